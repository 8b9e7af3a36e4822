// The indexes of the comment collections, one per hot query shape: equality fields first, then the sort
// fields with the `_id` tie-breaker, in the sort's direction — so the query that carries EXACT_PUSHDOWN
// (activities/infra/exact-pushdown.ts) is an index walk on the embedded store and on MongoDB alike. Named
// `…_v2` (activities/data/named-indexes.ts says why); the names they replace are dropped.
import type { Db } from 'mongodb';
import { ensureNamedIndexes, type NamedIndex } from '../data/named-indexes';
import { COLLECTIONS } from './model';

/** `comments`: triage pages and exports (`store.page`, `store.all`), the gate's probe, the counters' repair. */
export const COMMENT_INDEXES: readonly NamedIndex[] = [
  // Every comment of a standard in keyset order (triage without a filter, the exports, the recount).
  { key: { standardId: 1, createdAt: 1, _id: 1 }, name: 'by_standard_keyset_v2' },
  // Triage by status (pending / disposed are visible ones), the public disposition page, the publication's notices.
  { key: { standardId: 1, moderation: 1, status: 1, createdAt: 1, _id: 1 }, name: 'triage_status_v2' },
  // Triage of hidden comments.
  { key: { standardId: 1, moderation: 1, createdAt: 1, _id: 1 }, name: 'triage_moderation_v2' },
  { key: { standardId: 1, type: 1, createdAt: 1, _id: 1 }, name: 'triage_type_v2' },
  { key: { standardId: 1, 'submitter.province': 1, createdAt: 1, _id: 1 }, name: 'triage_province_v2' },
  { key: { standardId: 1, 'anchor.clauseId': 1, createdAt: 1, _id: 1 }, name: 'triage_clause_v2' },
  // Comments whose change is not yet in the counts (activities/comments/counters.ts): few, found by the repair
  // and by the exact-count probe of one standard (an index seek on `tallyPending: true`).
  { key: { tallyPending: 1, standardId: 1 }, name: 'tally_pending_v2' },
];

/** Replaced by the indexes above (`gate` is served by `triage_status_v2`: equality on the same three fields). */
export const RETIRED_COMMENT_INDEXES = ['gate', 'by_standard_keyset', 'tally_pending', 'triage_status'] as const;

/** `comment_audit`: a standard's audit, newest first. */
export const COMMENT_AUDIT_INDEXES: readonly NamedIndex[] = [{ key: { standardId: 1, at: -1, _id: -1 }, name: 'by_standard_newest_v2' }];
export const RETIRED_COMMENT_AUDIT_INDEXES = ['standardId_1_at_1'] as const;

/** `comment_outbox`: the administrator's newest-first list; the sender's due notices in keyset order. */
export const OUTBOX_INDEXES: readonly NamedIndex[] = [
  { key: { createdAt: -1, _id: -1 }, name: 'newest_first_v2' },
  { key: { channel: 1, status: 1, createdAt: 1, _id: 1 }, name: 'due_v2' },
];
export const RETIRED_OUTBOX_INDEXES = ['newest_first', 'status_1_createdAt_1'] as const;

/** `comment_province_reviews`: the provinces' opinions of a standard (on every triage page). */
export const PROVINCE_REVIEW_INDEXES: readonly NamedIndex[] = [{ key: { standardId: 1, province: 1, _id: 1 }, name: 'by_standard_province_v2' }];

/** Creates every index above and drops the names they replace. */
export async function ensureCommentIndexes(db: Db): Promise<void> {
  await ensureNamedIndexes(db.collection(COLLECTIONS.comments), COMMENT_INDEXES, RETIRED_COMMENT_INDEXES);
  await ensureNamedIndexes(db.collection(COLLECTIONS.audit), COMMENT_AUDIT_INDEXES, RETIRED_COMMENT_AUDIT_INDEXES);
  await ensureNamedIndexes(db.collection(COLLECTIONS.outbox), OUTBOX_INDEXES, RETIRED_OUTBOX_INDEXES);
  await ensureNamedIndexes(db.collection(COLLECTIONS.provinceReviews), PROVINCE_REVIEW_INDEXES);
}
