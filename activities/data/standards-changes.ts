// Which standards a bump of the list view's generation was about (`standards_changes`, insert-only): each bump
// first inserts {_id: its token, ids, at}, then publishes the token (./standards-listing.ts). A reader holding
// the view sees a new token and, when every change since its load names its standards, re-reads only those by
// `_id` instead of every standard (≈ 1.5 s at 5,000 on the embedded store). `ids: null` (a write past the data
// module, a bulk seed) asks for a full reload. Inserts only: FerretDB applies concurrent updates of one
// document non-atomically, an insert per change cannot be lost.
import type { Db } from 'mongodb';
import { EXACT_PUSHDOWN } from '../infra/exact-pushdown';
import { ensureNamedIndexes } from './named-indexes';

export const STANDARDS_CHANGES = 'standards_changes';

export interface StandardsChange {
  /** The generation token the bump publishes. */
  _id: string;
  /** The standards written; null when unknown (reload everything). */
  ids: string[] | null;
  at: Date;
}

const col = (db: Db) => db.collection<StandardsChange>(STANDARDS_CHANGES);

export async function recordStandardsChange(db: Db, token: string, ids: readonly string[] | null): Promise<void> {
  await col(db).insertOne({ _id: token, ids: ids ? [...ids] : null, at: new Date() });
}

/** The changes recorded at or after `since`, oldest first, at most `limit` (one more tells there are more). */
export function standardsChangesSince(db: Db, since: Date, limit: number): Promise<StandardsChange[]> {
  return col(db).find({ at: { $gte: since } }, EXACT_PUSHDOWN).sort({ at: 1, _id: 1 }).limit(limit + 1).toArray();
}

export async function ensureStandardsChangesIndexes(db: Db): Promise<void> {
  await ensureNamedIndexes(col(db), [{ key: { at: 1, _id: 1 }, name: 'at_v2' }]);
}
