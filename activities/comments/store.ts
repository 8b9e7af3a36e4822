// Data access for public comments: idempotent intake (unique submission key), receipts, duplicate
// flagging, triage queries, dispositions, moderation and province opinions with their audit trail.
// Runs on FerretDB 1.x and MongoDB alike: single-document atomic updates only (no transactions); each
// change is one `findOneAndUpdate` on the comment, then one row in `comment_audit` naming who, when,
// and the values before and after.
import { createHash, randomBytes } from 'node:crypto';
import { MongoBulkWriteError, MongoServerError, type Collection, type Db, type Document, type Filter } from 'mongodb';
import { AppError } from '../infra/errors';
import {
  COLLECTIONS,
  type CommentAuditRecord,
  type CommentRecord,
  type CommenterProvince,
  type CommentType,
  type DispositionRecord,
  type Moderation,
  type ModerationEvent,
  type OutboxRecord,
  type ProvinceReviewRecord,
  type PublicationRecord,
  type ReceiptRecord,
  type Who,
} from './model';
import { afterFilter, BATCH_SIZE, encodeCursor, PAGE_SIZE, type Cursor, type Page } from '../data/paging';
import { createCommentCounters, type CommentCounts } from './counters';
import { EXACT_PUSHDOWN } from '../infra/exact-pushdown';
import { ensureCommentIndexes } from './indexes';
import { TABLE_PROJECTION, type TableComment } from './rows';

export type { CommentCounts } from './counters';

/** The triage page's filter (parsed from the query string by server/comments/schemas.ts). */
export interface TriageFilter {
  clause?: string;
  type?: CommentType;
  province?: CommenterProvince;
  status?: 'pending' | 'disposed' | 'hidden' | 'duplicate';
}

const RECEIPT_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** A receipt code such as `K7M2Q-9XWPA`: 50 random bits, no 0/O/1/I to misread. */
export function newReceipt(): string {
  // 32 symbols: each byte's low five bits pick one without bias.
  const bytes = randomBytes(10);
  let s = '';
  for (const b of bytes) s += RECEIPT_ALPHABET[b & 31];
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}

/** Hash for "same text on the same clause": whitespace collapsed, case folded. */
export function commentTextHash(standardId: string, clauseId: string | undefined, comment: string): string {
  const norm = comment.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();
  return createHash('sha256').update(`${standardId}\u0000${clauseId ?? ''}\u0000${norm}`).digest('hex');
}

/** The comment id of a submission key: deterministic, so a retried submission is found by primary key. */
export function commentIdFor(submissionKey: string): string {
  return `c${createHash('sha256').update(submissionKey).digest('hex').slice(0, 24)}`;
}

const COMMENT_ID = /^c[0-9a-f]{24}$/;

function isDuplicateKey(e: unknown): boolean {
  return e instanceof MongoServerError && e.code === 11000;
}

/** Marks, in `comment_receipts`, that every comment stored before receipt rows existed has one (not a receipt code: lower case). */
export const RECEIPTS_BACKFILLED = 'backfill:v1';

/**
 * Adds the receipt row of every comment that has none, `batch` at a time (one pass over the comments; rows
 * already there are left alone), then marks the backfill done so later starts skip it. Returns rows added.
 */
export async function backfillReceipts(db: Db, batch = BATCH_SIZE): Promise<number> {
  const receipts = db.collection<ReceiptRecord>(COLLECTIONS.receipts);
  if (await receipts.findOne({ _id: RECEIPTS_BACKFILLED })) return 0;
  const cursor = db
    .collection<CommentRecord>(COLLECTIONS.comments)
    .find({}, { projection: { _id: 1, receipt: 1, standardId: 1 }, batchSize: batch });
  let added = 0;
  let rows: ReceiptRecord[] = [];
  const flush = async (): Promise<void> => {
    if (!rows.length) return;
    try {
      const r = await receipts.insertMany(rows, { ordered: false });
      added += r.insertedCount;
    } catch (e) {
      // Rows already present fail on `_id`, the rest are inserted (unordered).
      if (!(e instanceof MongoBulkWriteError) || (e.writeErrors as unknown[] as Array<{ code: number }>).some((w) => w.code !== 11000)) throw e;
      added += e.result.insertedCount;
    }
    rows = [];
  };
  for await (const c of cursor) {
    if (!c.receipt) continue;
    rows.push({ _id: c.receipt, commentId: c._id, standardId: c.standardId });
    if (rows.length >= batch) await flush();
  }
  await flush();
  await receipts.updateOne({ _id: RECEIPTS_BACKFILLED }, { $set: { commentId: '', standardId: '' } }, { upsert: true });
  return added;
}

export interface CommentsStore {
  comments: Collection<CommentRecord>;
  ensureIndexes(): Promise<void>;
  /** Stores a new comment once per submission key; a retry returns the stored one with `created: false`. */
  insertOnce(rec: Omit<CommentRecord, '_id' | 'receipt' | 'textKey'>): Promise<{ comment: CommentRecord; created: boolean }>;
  byReceipt(receipt: string): Promise<CommentRecord | null>;
  byId(standardId: string, id: string): Promise<CommentRecord | null>;
  /** One page of the comments matching `filter`, oldest first; `next` leads to the rest. */
  page(standardId: string, filter: TriageFilter, after?: Cursor, limit?: number): Promise<Page<CommentRecord>>;
  /**
   * Every comment matching `filter`, oldest first, in keyset batches of at most `BATCH_SIZE`: nothing is left out.
   * The next batch is read while the caller handles one (at most two batches held).
   */
  all(standardId: string, filter: TriageFilter): AsyncGenerator<CommentRecord[]>;
  /** `all(standardId, {})` reading only what the 征求意见汇总处理表 prints (./rows.ts TABLE_PROJECTION): the exports. */
  tableComments(standardId: string): AsyncGenerator<TableComment[]>;
  /** Kept at write time (./counters.ts): one `_id` read, not a scan of the standard's comments. */
  counts(standardId: string): Promise<CommentCounts>;
  /** The same counts from every comment (the repair's way; tests compare the two). */
  recount(standardId: string): Promise<CommentCounts>;
  dispose(standardId: string, id: string, d: Omit<DispositionRecord, 'at' | 'by'>, by: Who, now: Date): Promise<CommentRecord>;
  moderate(standardId: string, id: string, to: Moderation, reason: string, by: Who, now: Date): Promise<CommentRecord>;
  setProvinceOpinion(standardId: string, id: string, opinion: string, by: Who, now: Date): Promise<CommentRecord>;
  saveProvinceReview(rec: ProvinceReviewRecord): Promise<void>;
  provinceReviews(standardId: string): Promise<ProvinceReviewRecord[]>;
  publication(standardId: string): Promise<PublicationRecord | null>;
  /** Records the publication and queues one notice per entry (an async iterable: every batch is queued). */
  publish(standardId: string, by: Who, now: Date, notices: AsyncIterable<NoticeEntry[]> | NoticeEntry[][]): Promise<PublicationRecord & { queued: number }>;
  /** Notices, newest first, a page at a time. */
  outbox(after?: Cursor, limit?: number): Promise<Page<OutboxRecord>>;
  audit(standardId: string, limit?: number): Promise<CommentAuditRecord[]>;
  /** Visible comments still waiting for a disposition: the lifecycle's gate. */
  pendingCount(standardId: string): Promise<number>;
}

export type NoticeEntry = Omit<OutboxRecord, 'createdAt' | 'attempts' | 'status'> & { status: OutboxRecord['status'] };

function triageQuery(standardId: string, f: TriageFilter): Filter<CommentRecord> {
  const q: Filter<CommentRecord> = { standardId };
  if (f.clause) q['anchor.clauseId'] = f.clause;
  if (f.type) q.type = f.type;
  if (f.province) q['submitter.province'] = f.province;
  if (f.status === 'pending' || f.status === 'disposed') {
    q.status = f.status;
    q.moderation = 'visible';
  }
  if (f.status === 'hidden') q.moderation = 'hidden';
  if (f.status === 'duplicate') q.duplicateOf = { $exists: true };
  return q;
}

function snapshotOf(c: CommentRecord | null, keys: Array<keyof CommentRecord>): Record<string, unknown> | null {
  if (!c) return null;
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = c[k] ?? null;
  return out;
}

/**
 * Comments of a standard that are visible and still pending a disposition: the lifecycle may leave comment
 * handling only when there are none (hidden comments, spam or abuse, need no disposition). From the counts
 * kept at write time, a zero always checked against the comments (./counters.ts `pending`), not a scan.
 */
export function pendingCommentCount(db: Db, standardId: string): Promise<number> {
  return createCommentCounters(db).pending(standardId);
}

export function createCommentsStore(db: Db): CommentsStore {
  const comments = db.collection<CommentRecord>(COLLECTIONS.comments);
  const audit = db.collection<CommentAuditRecord>(COLLECTIONS.audit);
  const reviews = db.collection<ProvinceReviewRecord>(COLLECTIONS.provinceReviews);
  const publications = db.collection<PublicationRecord>(COLLECTIONS.publications);
  const outbox = db.collection<OutboxRecord>(COLLECTIONS.outbox);
  const receipts = db.collection<ReceiptRecord>(COLLECTIONS.receipts);
  const counters = createCommentCounters(db);

  /** Draws a receipt and claims it by inserting its row: the unique `_id` is the collision check. */
  async function claimReceipt(commentId: string, standardId: string): Promise<string> {
    for (let attempt = 0; attempt < 6; attempt++) {
      const receipt = newReceipt();
      try {
        await receipts.insertOne({ _id: receipt, commentId, standardId });
        return receipt;
      } catch (e) {
        if (!isDuplicateKey(e)) throw e; // ≈ 2^-50: draw another
      }
    }
    throw new AppError('INTERNAL', { zh: '无法保存意见，请重试', en: 'Could not store the comment; please try again' });
  }

  async function change(
    standardId: string,
    id: string,
    action: CommentAuditRecord['action'],
    keys: Array<keyof CommentRecord>,
    update: { $set: Partial<CommentRecord>; $push?: { moderationLog: ModerationEvent } },
    by: Who,
    now: Date,
    guard: Filter<CommentRecord> = {},
  ): Promise<CommentRecord> {
    if (!COMMENT_ID.test(id)) throw new AppError('NOT_FOUND', { zh: '意见不存在', en: 'No such comment' });
    const _id = id;
    // A change that moves the counts marks the comment until its difference is applied (./counters.ts).
    const counted = action === 'dispose' || action === 'moderate';
    if (counted) await counters.ensure(standardId);
    const write = counted ? { ...update, $set: { ...update.$set, tallyPending: true } } : update;
    const before = await comments.findOneAndUpdate({ _id, standardId, ...guard }, write, { returnDocument: 'before' });
    if (!before) {
      const exists = await comments.countDocuments({ _id, standardId });
      if (!exists) throw new AppError('NOT_FOUND', { zh: '意见不存在', en: 'No such comment' });
      throw new AppError('CONFLICT', { zh: '该意见当前状态不允许此操作', en: 'The comment is not in a state that allows this' });
    }
    const after = { ...before, ...update.$set } as CommentRecord;
    // The difference of this write alone (before → before + $set), so concurrent or retried writes compose.
    if (counted) await counters.apply(standardId, _id, before, after);
    await audit.insertOne({ standardId, commentId: _id, receipt: before.receipt, action, by, at: now, before: snapshotOf(before, keys), after: snapshotOf(after, keys) ?? {} });
    const fresh = await comments.findOne({ _id });
    return fresh ?? after;
  }

  async function* readAll<T extends Pick<CommentRecord, '_id' | 'createdAt'>>(query: Filter<CommentRecord>, projection?: Document): AsyncGenerator<T[]> {
    // Keyset batches of BATCH_SIZE, each an index seek with a LIMIT on the embedded store (EXACT_PUSHDOWN,
    // ./indexes.ts), so the store decodes a batch at a time — with a projection, only the top-level fields it names
    // (scripts/embedded/ferretdb-exact-fields.ts). One batch is fetched ahead: the store decodes it while the caller
    // writes the rows of the one before. (Reading disjoint time slices on two connections measured no faster.)
    const options = { ...EXACT_PUSHDOWN, ...(projection ? { projection } : {}) };
    const fetch = (after?: Cursor): Promise<T[]> =>
      comments
        .find({ ...query, ...afterFilter<CommentRecord>('createdAt', after) }, options)
        .sort({ createdAt: 1, _id: 1 })
        .limit(BATCH_SIZE)
        .toArray() as unknown as Promise<T[]>;
    let next = fetch();
    for (;;) {
      const rows = await next;
      const last = rows[rows.length - 1];
      const more = rows.length === BATCH_SIZE && last !== undefined;
      if (more) {
        next = fetch({ at: last.createdAt, id: last._id });
        // Awaited on the next turn; a caller that stops here leaves its failure of no interest.
        next.catch(() => undefined);
      }
      if (rows.length) yield rows;
      if (!more) return;
    }
  }

  const store: CommentsStore = {
    comments,
    async ensureIndexes() {
      await comments.createIndex({ submissionKey: 1 }, { unique: true, name: 'submissionKey_unique' });
      await comments.createIndex({ receipt: 1 }, { unique: true, name: 'receipt_unique' });
      await comments.createIndex({ textKey: 1 }, { unique: true, name: 'textKey_unique' });
      // The query-shaped indexes, under their `_v2` names (./indexes.ts).
      await ensureCommentIndexes(db);
      await backfillReceipts(db);
      await counters.repair();
    },

    async insertOnce(rec) {
      const _id = commentIdFor(rec.submissionKey);
      const stored = await comments.findOne({ _id });
      if (stored) return { comment: stored, created: false }; // a retried submission: its receipt row is there
      await counters.ensure(rec.standardId);
      // The receipt row first, then the comment. A crash between the two leaves a row pointing at nothing
      // (read as not found); the retry draws a new receipt and completes.
      let receipt = await claimReceipt(_id, rec.standardId);
      let duplicateOf: string | undefined;
      for (let attempt = 0; attempt < 6; attempt++) {
        // The first comment with a text on a clause holds `textKey` = the text hash (unique); a repeat gets
        // a key of its own and is flagged, never dropped. One insert in the common case.
        const doc: CommentRecord = { ...rec, _id, receipt, textKey: duplicateOf ? `${rec.textHash}:${_id}` : rec.textHash, ...(duplicateOf ? { duplicateOf } : {}) };
        try {
          await comments.insertOne({ ...doc, tallyPending: true } as CommentRecord);
          await counters.apply(rec.standardId, _id, null, doc);
          return { comment: doc, created: true };
        } catch (e) {
          if (!isDuplicateKey(e)) throw e;
        }
        const existing = await comments.findOne({ _id });
        if (existing) {
          // A concurrent retry stored it first: our receipt row is not needed.
          await receipts.deleteOne({ _id: receipt, commentId: _id });
          return { comment: existing, created: false };
        }
        if (!duplicateOf) {
          // A seek on the unique text key (the exact pushdown; textKey is a string in every comment): without it
          // the embedded store read every comment of every standard for each repeated text.
          const first = await comments.findOne({ textKey: rec.textHash }, { projection: { receipt: 1 }, ...EXACT_PUSHDOWN });
          if (first) {
            duplicateOf = first.receipt;
            continue;
          }
        }
        // Otherwise the receipt is held by a comment stored before receipt rows existed: draw another.
        await receipts.deleteOne({ _id: receipt, commentId: _id });
        receipt = await claimReceipt(_id, rec.standardId);
      }
      throw new AppError('INTERNAL', { zh: '无法保存意见，请重试', en: 'Could not store the comment; please try again' });
    },

    async byReceipt(receipt) {
      // Two `_id` lookups; a row whose comment is missing or holds another receipt is not found.
      const row = await receipts.findOne({ _id: receipt });
      if (!row?.commentId) return null;
      const c = await comments.findOne({ _id: row.commentId });
      return c && c.receipt === receipt ? c : null;
    },
    byId: (standardId, id) => (COMMENT_ID.test(id) ? comments.findOne({ _id: id, standardId }) : Promise.resolve(null)),

    async page(standardId, f, after, limit = PAGE_SIZE) {
      // One row more than the page tells whether there is a next page without counting.
      // Scalar fields only (./indexes.ts has an index per filter): an index walk with its LIMIT on the embedded store.
      const rows = await comments
        .find({ ...triageQuery(standardId, f), ...afterFilter<CommentRecord>('createdAt', after) }, EXACT_PUSHDOWN)
        .sort({ createdAt: 1, _id: 1 })
        .limit(limit + 1)
        .toArray();
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return rows.length > limit && last ? { items, next: encodeCursor({ at: last.createdAt, id: last._id }) } : { items };
    },

    all: (standardId, f) => readAll<CommentRecord>(triageQuery(standardId, f)),
    tableComments: (standardId) => readAll<TableComment>(triageQuery(standardId, {}), TABLE_PROJECTION),

    counts: (standardId) => counters.read(standardId),
    recount: (standardId) => counters.recount(standardId),

    dispose(standardId, id, d, by, now) {
      const disposition: DispositionRecord = { ...d, by, at: now };
      return change(standardId, id, 'dispose', ['status', 'disposition'], { $set: { status: 'disposed', disposition } }, by, now);
    },

    moderate(standardId, id, to, reason, by, now) {
      return change(standardId, id, 'moderate', ['moderation'], { $set: { moderation: to }, $push: { moderationLog: { to, reason, by, at: now } } }, by, now);
    },

    setProvinceOpinion(standardId, id, opinion, by, now) {
      return change(standardId, id, 'provinceOpinion', ['provinceOpinion'], { $set: { provinceOpinion: { opinion, by, at: now } } }, by, now);
    },

    async saveProvinceReview(rec) {
      await reviews.replaceOne({ _id: rec._id }, rec, { upsert: true });
    },
    provinceReviews: (standardId) => reviews.find({ standardId }, EXACT_PUSHDOWN).sort({ province: 1, _id: 1 }).toArray(),

    publication: (standardId) => publications.findOne({ _id: standardId }),

    async publish(standardId, by, now, notices) {
      // Visible disposed comments, from the kept counts (a recount while a change is still being applied).
      const count = (await counters.exact(standardId)).disposed;
      const rec: PublicationRecord = { _id: standardId, publishedAt: now, by, comments: count };
      await publications.replaceOne({ _id: standardId }, rec, { upsert: true });
      let queued = 0;
      for await (const batch of notices) {
        for (const n of batch) {
          try {
            await outbox.insertOne({ ...n, attempts: 0, createdAt: now });
          } catch (e) {
            if (!isDuplicateKey(e)) throw e; // already queued by an earlier publication
          }
          queued += 1;
        }
      }
      await audit.insertOne({ standardId, commentId: '', receipt: '', action: 'publish', by, at: now, before: null, after: { comments: count, notices: queued } });
      return { ...rec, queued };
    },

    async outbox(after, limit = PAGE_SIZE) {
      const rows = await outbox
        .find(afterFilter<OutboxRecord>('createdAt', after, -1), EXACT_PUSHDOWN)
        .sort({ createdAt: -1, _id: -1 })
        .limit(limit + 1)
        .toArray();
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return rows.length > limit && last ? { items, next: encodeCursor({ at: last.createdAt, id: last._id }) } : { items };
    },
    audit: (standardId, limit = 1000) => audit.find({ standardId }, EXACT_PUSHDOWN).sort({ at: -1, _id: -1 }).limit(limit).toArray(),
    pendingCount: (standardId) => counters.pending(standardId),
  };
  return store;
}
