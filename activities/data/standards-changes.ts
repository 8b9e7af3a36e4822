// Which standards a bump of the list view's generation was about (`standards_changes`): each bump first inserts
// {_id: its token, ids, at}, then publishes the token (./standards-listing.ts). A reader holding the view sees a
// new token and, when every change since its load names its standards, re-reads only those by `_id` instead of
// every standard (≈ 1.5 s at 5,000 on the embedded store). `ids: null` (a write past the data module, a bulk seed)
// asks for a full reload. Inserts, never updates: FerretDB applies concurrent updates of one document
// non-atomically, an insert per change cannot be lost.
// Entries are pruned once older than RETAIN_MS (./standards-changes-sweep.ts runs it). By design no reader needs
// them by then: a view catches up only while its last full load is younger than CATCH_UP_MAX_AGE_MS, and it reads
// the changes from CHANGE_WINDOW_MS before that load, so what a catch-up reads is at most 35 minutes old, 25
// minutes inside the 60 kept (margin for other processes' clocks). As a second guard the pruner raises a
// watermark (`standards_meta` {_id: 'changes-pruned', before}) before it deletes; a reader that reads the
// watermark after its changes and finds it above where it started reloads everything instead.
import type { Db } from 'mongodb';
import { EXACT_PUSHDOWN } from '../infra/exact-pushdown';
import { ensureNamedIndexes } from './named-indexes';

export const STANDARDS_CHANGES = 'standards_changes';
export const STANDARDS_META = 'standards_meta';
const PRUNED = 'changes-pruned';

/** How long a change is kept. */
export const RETAIN_MS = 60 * 60_000;
/** A view whose last full load is older than this reloads everything instead of catching up. */
export const CATCH_UP_MAX_AGE_MS = 30 * 60_000;
/** How far before its load a view looks for changes it may not hold (clocks of other processes, slow writers). */
export const CHANGE_WINDOW_MS = 5 * 60_000;

export interface StandardsChange {
  /** The generation token the bump publishes. */
  _id: string;
  /** The standards written; null when unknown (reload everything). */
  ids: string[] | null;
  at: Date;
}

interface PrunedDoc {
  _id: string;
  before: Date;
}

const col = (db: Db) => db.collection<StandardsChange>(STANDARDS_CHANGES);
const meta = (db: Db) => db.collection<PrunedDoc>(STANDARDS_META);

export async function recordStandardsChange(db: Db, token: string, ids: readonly string[] | null): Promise<void> {
  await col(db).insertOne({ _id: token, ids: ids ? [...ids] : null, at: new Date() });
}

/** The changes recorded at or after `since`, oldest first, a page of `pageSize` at a time (keyset, ./paging.ts). */
export async function* standardsChangesSince(db: Db, since: Date, pageSize: number): AsyncGenerator<StandardsChange[]> {
  let after: { at: Date; _id: string } | undefined;
  for (;;) {
    // After the first page: `at ≥ last.at and (at > last.at or _id > last._id)`, a range the (at, _id) index seeks to.
    const filter = after ? { at: { $gte: after.at }, $or: [{ at: { $gt: after.at } }, { _id: { $gt: after._id } }] } : { at: { $gte: since } };
    const page = await col(db).find(filter, EXACT_PUSHDOWN).sort({ at: 1, _id: 1 }).limit(pageSize).toArray();
    if (page.length) yield page;
    if (page.length < pageSize) return;
    const last = page[page.length - 1];
    after = { at: last.at, _id: last._id };
  }
}

/** Where the last prune ended: changes recorded before it may be gone (null: never pruned). */
export async function changesPrunedBefore(db: Db): Promise<Date | null> {
  return (await meta(db).findOne({ _id: PRUNED }))?.before ?? null;
}

function isDuplicateKey(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: number }).code === 11000;
}

/**
 * Deletes the changes recorded before `now − RETAIN_MS`, after raising the watermark to that instant (never
 * lowering it). Idempotent; several processes may run it at once (each deletes a subset of what the latest
 * watermark announces). Returns how many entries it deleted.
 */
export async function pruneStandardsChanges(db: Db, now: Date = new Date()): Promise<number> {
  const before = new Date(now.getTime() - RETAIN_MS);
  try {
    await meta(db).updateOne({ _id: PRUNED, $or: [{ before: { $lt: before } }, { before: { $exists: false } }] }, { $set: { before } }, { upsert: true });
  } catch (e) {
    // The watermark is already at or above `before` (the upsert's insert met the existing document).
    if (!isDuplicateKey(e)) throw e;
  }
  const res = await col(db).deleteMany({ at: { $lt: before } });
  return res.deletedCount;
}

export async function ensureStandardsChangesIndexes(db: Db): Promise<void> {
  await ensureNamedIndexes(col(db), [{ key: { at: 1, _id: 1 }, name: 'at_v2' }]);
}
