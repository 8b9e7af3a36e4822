// Comment threads inside a standard's draft (`draft_threads`, `draft_thread_replies`): staff questions on a
// passage, anchored by two base64 Yjs relative positions against the live draft plus the text quoted at
// creation (editor/thread-anchors.ts resolves them). Threads are stored here, not in the Y.Doc, because
// commenters (bureaus, experts) may only read the draft. Lists are keyset pages on (createdAt, _id), so
// every thread and every reply stays reachable however many there are.
import { randomUUID } from 'node:crypto';
import type { Db, Filter } from 'mongodb';
import { afterFilter, decodeCursor, encodeCursor, type Page } from './paging';
import type { Province } from '../../workflows/domain';
import { serialByKey } from '../infra/keyed-serial';
import { EXACT_PUSHDOWN } from '../infra/exact-pushdown';
import { ensureNamedIndexes } from './named-indexes';

export const DRAFT_THREADS = 'draft_threads';
export const DRAFT_THREAD_REPLIES = 'draft_thread_replies';

/** Most threads or replies in one page. */
export const THREAD_PAGE_MAX = 100;

export interface ThreadAuthor {
  userId: string;
  displayName: string;
  province?: Province;
}

/** Where a thread points: base64 Yjs relative positions of the start and the end of the passage. */
export interface ThreadAnchor {
  start: string;
  end: string;
}

export type ThreadStatus = 'open' | 'resolved';

/** A thread or reply that came from a Word comment (server/extensions/word-threads.ts): its creator is the
 *  importing user; the Word author and date are kept here, shown as 「Word 批注：张三」. */
export interface WordOrigin {
  author: string;
  date?: string;
}

export interface DraftThreadRecord {
  _id: string;
  standardId: string;
  anchor: ThreadAnchor;
  /** The passage as it read when the thread was opened. */
  quote: string;
  text: string;
  author: ThreadAuthor;
  /** User ids mentioned in the opening text. */
  mentions: string[];
  /** Who wrote in the thread or was mentioned in it (for the "mine" filter). */
  participants: string[];
  status: ThreadStatus;
  replyCount: number;
  createdAt: Date;
  /** Last reply, resolve or reopen. */
  updatedAt: Date;
  resolvedAt?: Date;
  resolvedBy?: ThreadAuthor;
  word?: WordOrigin;
}

export interface DraftThreadReplyRecord {
  _id: string;
  threadId: string;
  standardId: string;
  text: string;
  author: ThreadAuthor;
  mentions: string[];
  createdAt: Date;
  word?: WordOrigin;
}

export type ThreadFilter = 'all' | 'open' | 'resolved' | 'mine';

export interface NewThread {
  standardId: string;
  anchor: ThreadAnchor;
  quote: string;
  text: string;
  author: ThreadAuthor;
  mentions: string[];
  /** Imported from Word: the comment's author and date; `resolved` for a comment the review copy marked so. */
  word?: WordOrigin;
  resolved?: boolean;
}

export interface DraftThreadsStore {
  ensureIndexes(): Promise<void>;
  create(t: NewThread): Promise<DraftThreadRecord>;
  get(standardId: string, threadId: string): Promise<DraftThreadRecord | null>;
  /** Adds a reply and counts it on the thread; null when the thread does not exist. */
  reply(standardId: string, threadId: string, r: { text: string; author: ThreadAuthor; mentions: string[]; word?: WordOrigin }): Promise<DraftThreadReplyRecord | null>;
  /**
   * Moves the thread from `from` to the other status. `changed: false` with the thread when it already
   * had the target status (the caller answers 409), null when there is no such thread.
   */
  setStatus(standardId: string, threadId: string, to: ThreadStatus, by: ThreadAuthor): Promise<{ changed: boolean; thread: DraftThreadRecord } | null>;
  /** One page of a standard's threads, oldest first; `userId` is the reader (for `mine`). */
  list(standardId: string, opts: { filter: ThreadFilter; userId: string; after?: string; limit?: number }): Promise<Page<DraftThreadRecord>>;
  /** One page of a thread's replies, oldest first. */
  replies(standardId: string, threadId: string, opts: { after?: string; limit?: number }): Promise<Page<DraftThreadReplyRecord>>;
}

const clampLimit = (n: number | undefined): number => Math.min(Math.max(n ?? 50, 1), THREAD_PAGE_MAX);

function pageOf<T extends { _id: string; createdAt: Date }>(rows: T[], limit: number): Page<T> {
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next: encodeCursor({ at: last.createdAt, id: last._id }) };
}

export function createDraftThreadsStore(db: Db): DraftThreadsStore {
  const threads = db.collection<DraftThreadRecord>(DRAFT_THREADS);
  const replies = db.collection<DraftThreadReplyRecord>(DRAFT_THREAD_REPLIES);

  return {
    async ensureIndexes() {
      // `_v2`: built with the key expressions the embedded store's exact pushdown matches (./named-indexes.ts).
      await ensureNamedIndexes(
        threads,
        [
          { key: { standardId: 1, createdAt: 1, _id: 1 }, name: 'standard_created_v2' },
          { key: { standardId: 1, status: 1, createdAt: 1, _id: 1 }, name: 'standard_status_created_v2' },
        ],
        ['standard_created', 'standard_status_created'],
      );
      // `participants` is an array: its queries are never pushed down (MongoDB uses this multikey index).
      await threads.createIndex({ standardId: 1, participants: 1, createdAt: 1 }, { name: 'standard_participants_created' });
      await ensureNamedIndexes(replies, [{ key: { threadId: 1, createdAt: 1, _id: 1 }, name: 'thread_created_v2' }], ['thread_created']);
    },

    async create(t) {
      const now = new Date();
      const record: DraftThreadRecord = {
        _id: randomUUID(),
        standardId: t.standardId,
        anchor: t.anchor,
        quote: t.quote,
        text: t.text,
        author: t.author,
        mentions: [...new Set(t.mentions)],
        participants: [...new Set([t.author.userId, ...t.mentions])],
        status: t.resolved ? 'resolved' : 'open',
        replyCount: 0,
        createdAt: now,
        updatedAt: now,
        ...(t.resolved ? { resolvedAt: now, resolvedBy: t.author } : {}),
        ...(t.word ? { word: t.word } : {}),
      };
      await threads.insertOne(record);
      return record;
    },

    get(standardId, threadId) {
      return threads.findOne({ _id: threadId, standardId });
    },

    async reply(standardId, threadId, r) {
      if (!(await threads.findOne({ _id: threadId, standardId }, { projection: { _id: 1 } }))) return null;
      const record: DraftThreadReplyRecord = {
        _id: randomUUID(),
        threadId,
        standardId,
        text: r.text,
        author: r.author,
        mentions: [...new Set(r.mentions)],
        createdAt: new Date(),
        ...(r.word ? { word: r.word } : {}),
      };
      await replies.insertOne(record);
      // Queued per thread: the embedded store loses concurrent updates of one document (activities/infra/keyed-serial.ts).
      await serialByKey(`${threads.dbName}\0threads\0${threadId}`, () =>
        threads.updateOne(
          { _id: threadId, standardId },
          { $inc: { replyCount: 1 }, $set: { updatedAt: record.createdAt }, $addToSet: { participants: { $each: [r.author.userId, ...record.mentions] } } },
        ),
      );
      return record;
    },

    async setStatus(standardId, threadId, to, by) {
      const from: ThreadStatus = to === 'resolved' ? 'open' : 'resolved';
      const now = new Date();
      const update =
        to === 'resolved'
          ? { $set: { status: to, updatedAt: now, resolvedAt: now, resolvedBy: by } }
          : { $set: { status: to, updatedAt: now }, $unset: { resolvedAt: '' as const, resolvedBy: '' as const } };
      const res = await threads.updateOne({ _id: threadId, standardId, status: from }, update);
      const thread = await threads.findOne({ _id: threadId, standardId });
      if (!thread) return null;
      return { changed: res.modifiedCount === 1, thread };
    },

    async list(standardId, opts) {
      const limit = clampLimit(opts.limit);
      const after = opts.after ? decodeCursor(opts.after) : undefined;
      const byFilter: Filter<DraftThreadRecord> =
        opts.filter === 'open' || opts.filter === 'resolved' ? { status: opts.filter } : opts.filter === 'mine' ? { participants: opts.userId } : {};
      // 'mine' filters on the `participants` array: no pushdown marker for it (activities/infra/exact-pushdown.ts).
      const rows = await threads
        .find({ standardId, ...byFilter, ...afterFilter<DraftThreadRecord>('createdAt', after) }, opts.filter === 'mine' ? {} : EXACT_PUSHDOWN)
        .sort({ createdAt: 1, _id: 1 })
        .limit(limit + 1)
        .toArray();
      return pageOf(rows, limit);
    },

    async replies(standardId, threadId, opts) {
      const limit = clampLimit(opts.limit);
      const after = opts.after ? decodeCursor(opts.after) : undefined;
      const rows = await replies
        .find({ threadId, standardId, ...afterFilter<DraftThreadReplyRecord>('createdAt', after) }, EXACT_PUSHDOWN)
        .sort({ createdAt: 1, _id: 1 })
        .limit(limit + 1)
        .toArray();
      return pageOf(rows, limit);
    },
  };
}
