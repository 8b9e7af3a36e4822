// The comment store's hot queries on the embedded store's terms (activities/comments/indexes.ts,
// activities/infra/exact-pushdown.ts): the query-shaped indexes exist under their `_v2` names with the keys
// their queries need and the names they replace are gone (also after a second start); the triage page, the
// export's cursor, the outbox, the audit and the start-up repair send their `find` with the exact-pushdown
// comment, the repair filtering on `tallyPending` only (no read of every comment); the gate's pending count
// equals a recount after concurrent dispositions, a kept zero is never trusted against a pending comment, and
// the publication's count is the kept count of visible disposed comments.
import type { CommandStartedEvent, Document } from 'mongodb';
import { freshMongo } from '../../support/mongo';
import { commentTextHash, createCommentsStore, pendingCommentCount, type CommentsStore } from '../../../activities/comments/store';
import { COUNTS_COLLECTION } from '../../../activities/comments/counters';
import { COMMENT_AUDIT_INDEXES, COMMENT_INDEXES, OUTBOX_INDEXES, RETIRED_COMMENT_INDEXES } from '../../../activities/comments/indexes';
import { EXACT_PUSHDOWN_COMMENT } from '../../../activities/infra/exact-pushdown';
import { COLLECTIONS, type CommentRecord, type Who } from '../../../activities/comments/model';

type M = Awaited<ReturnType<typeof freshMongo>>;
const STD = 'std-query-indexes';
const by: Who = { userId: 'u-sh', displayName: '上海', role: 'ecoEnvDepartment', province: 'SH' };
const at = new Date(Date.UTC(2026, 10, 2));

function intake(n: number, standardId = STD): Omit<CommentRecord, '_id' | 'receipt' | 'textKey'> {
  const text = `意见 ${n}`;
  return {
    standardId,
    phase: 'publicComment',
    submissionKey: `${standardId}-key-${n}`,
    type: 'technical',
    anchor: { scope: 'clause', clauseId: 'c51', clauseNumber: '5.1' },
    comment: text,
    proposedChange: '',
    submitter: { name: '张三', organisation: '', province: 'SH', contact: `p${n}@example.org`, showName: false },
    createdAt: new Date(Date.UTC(2026, 10, 1, 0, 0, n)),
    textHash: commentTextHash(standardId, 'c51', text),
    status: 'pending',
    moderation: 'visible',
    moderationLog: [],
    addressHash: 'h',
  };
}

async function indexesOf(mongo: M, collection: string): Promise<Map<string, Document>> {
  const list = await mongo.db.collection(collection).listIndexes().toArray();
  return new Map(list.map((ix) => [ix.name as string, ix.key as Document]));
}

describe('comment queries and their indexes', () => {
  let mongo: M;
  let store: CommentsStore;

  beforeAll(async () => {
    mongo = await freshMongo('comments-query-indexes');
    // What an earlier release created: the names the `_v2` indexes replace.
    const comments = mongo.db.collection(COLLECTIONS.comments);
    await comments.createIndex({ standardId: 1, status: 1, moderation: 1 }, { name: 'gate' });
    await comments.createIndex({ standardId: 1, createdAt: 1, _id: 1 }, { name: 'by_standard_keyset' });
    await comments.createIndex({ tallyPending: 1 }, { name: 'tally_pending', sparse: true });
    await comments.createIndex({ standardId: 1, moderation: 1, status: 1, createdAt: 1, _id: 1 }, { name: 'triage_status' });
    await mongo.db.collection(COLLECTIONS.audit).createIndex({ standardId: 1, at: 1 });
    await mongo.db.collection(COLLECTIONS.outbox).createIndex({ createdAt: -1, _id: -1 }, { name: 'newest_first' });
    store = createCommentsStore(mongo.db);
    await store.ensureIndexes();
    // A second start changes nothing.
    await createCommentsStore(mongo.db).ensureIndexes();
  });
  afterAll(async () => {
    await mongo.drop();
  });

  it('exist under their new names with the keys their queries need; the old names are gone', async () => {
    const comments = await indexesOf(mongo, COLLECTIONS.comments);
    for (const ix of COMMENT_INDEXES) expect(comments.get(ix.name)).toEqual(ix.key);
    expect(comments.get('triage_status_v2')).toEqual({ standardId: 1, moderation: 1, status: 1, createdAt: 1, _id: 1 });
    expect(comments.get('by_standard_keyset_v2')).toEqual({ standardId: 1, createdAt: 1, _id: 1 });
    for (const old of RETIRED_COMMENT_INDEXES) expect(comments.has(old)).toBe(false);
    // The unique ones stay as they were.
    for (const unique of ['submissionKey_unique', 'receipt_unique', 'textKey_unique']) expect(comments.has(unique)).toBe(true);
    const audit = await indexesOf(mongo, COLLECTIONS.audit);
    expect(audit.get(COMMENT_AUDIT_INDEXES[0].name)).toEqual({ standardId: 1, at: -1, _id: -1 });
    expect(audit.has('standardId_1_at_1')).toBe(false);
    const outbox = await indexesOf(mongo, COLLECTIONS.outbox);
    for (const ix of OUTBOX_INDEXES) expect(outbox.get(ix.name)).toEqual(ix.key);
    expect(outbox.has('newest_first')).toBe(false);
  });

  it('send the hot finds with the exact-pushdown comment; the start-up repair reads only marked comments', async () => {
    for (let n = 0; n < 5; n++) await store.insertOnce(intake(n));
    const finds: Document[] = [];
    const listen = (ev: CommandStartedEvent): void => {
      if (ev.commandName === 'find' && ev.databaseName === mongo.db.databaseName) finds.push(ev.command);
    };
    mongo.client.on('commandStarted', listen);
    try {
      await store.page(STD, { status: 'pending' });
      for await (const batch of store.all(STD, {})) expect(batch.length).toBe(5);
      await store.outbox();
      await store.audit(STD);
      await store.provinceReviews(STD);
      await createCommentsStore(mongo.db).ensureIndexes();
    } finally {
      mongo.client.off('commandStarted', listen);
    }
    const of = (collection: string): Document[] => finds.filter((f) => f.find === collection);
    const comments = of(COLLECTIONS.comments);
    // page, all, the repair's marked-comment read.
    expect(comments.length).toBeGreaterThanOrEqual(3);
    for (const f of comments) expect(f.comment).toBe(EXACT_PUSHDOWN_COMMENT);
    const page = comments.find((f) => f.limit === 201);
    expect(page && [...(page.sort as Map<string, number>)]).toEqual([['createdAt', 1], ['_id', 1]]);
    const repair = comments.filter((f) => 'tallyPending' in (f.filter as Document));
    expect(repair).toHaveLength(1);
    expect(repair[0].filter).toEqual({ tallyPending: true });
    for (const c of [COLLECTIONS.outbox, COLLECTIONS.audit, COLLECTIONS.provinceReviews]) {
      expect(of(c).length).toBeGreaterThan(0);
      for (const f of of(c)) expect(f.comment).toBe(EXACT_PUSHDOWN_COMMENT);
    }
  });

  it('count pending comments exactly after concurrent dispositions, and never trust a kept zero', async () => {
    const std = 'std-query-gate';
    const ids: string[] = [];
    for (let n = 0; n < 30; n++) ids.push((await store.insertOnce(intake(100 + n, std))).comment._id);
    await Promise.all(ids.slice(0, 24).map((id, i) => store.dispose(std, id, { decision: i % 2 ? 'accepted' : 'rejected', reason: i % 2 ? '' : '理由' }, by, at)));
    await store.moderate(std, ids[29], 'hidden', '无关内容', by, at);
    const recount = await store.recount(std);
    expect(recount.pending).toBe(5);
    expect(await store.pendingCount(std)).toBe(5);
    expect(await pendingCommentCount(mongo.db, std)).toBe(5);
    expect(await store.counts(std)).toEqual(recount);

    // Kept counts that went wrong (an increment lost between processes): zero is checked against the comments,
    // and a small count is counted.
    const counts = mongo.db.collection<{ _id: string; pending: number }>(COUNTS_COLLECTION);
    await counts.updateOne({ _id: std }, { $set: { pending: 0 } });
    expect(await store.pendingCount(std)).toBe(5);
    await counts.updateOne({ _id: std }, { $set: { pending: 9 } });
    expect(await store.pendingCount(std)).toBe(5);
    await counts.updateOne({ _id: std }, { $set: { pending: 5 } });

    await Promise.all(ids.slice(24, 29).map((id) => store.dispose(std, id, { decision: 'accepted', reason: '' }, by, at)));
    expect(await store.pendingCount(std)).toBe(0);
    expect((await store.recount(std)).pending).toBe(0);

    // The publication counts the visible disposed comments (the hidden one is not among them).
    const published = await store.publish(std, by, at, []);
    expect(published.comments).toBe(29);
    expect(published.comments).toBe((await store.recount(std)).disposed);
  });

  it('count from the comments while a change is not yet in the counts (tallyPending left by a crash)', async () => {
    const std = 'std-query-unsettled';
    const { comment } = await store.insertOnce(intake(200, std));
    await store.insertOnce(intake(201, std));
    // A crash after the comment's write and before its counts: the comment changed and marked.
    await mongo.db.collection(COLLECTIONS.comments).updateOne({ _id: comment._id as never }, { $set: { status: 'disposed', disposition: { decision: 'accepted', reason: '', by, at }, tallyPending: true } });
    expect((await store.counts(std)).pending).toBe(2);
    expect(await store.pendingCount(std)).toBe(1);
  });
});
