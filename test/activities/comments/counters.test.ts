// Counts kept at write time (activities/comments/counters.ts): after intake (with a repeated text), retried
// submissions, dispositions (retried, and changed), moderation both ways, the stored counts equal a full
// recount of the comments; the counts are one `_id` read of `comment_counts`; a standard whose comments
// predate the counters is recounted on first read; a crash between a comment's write and its counts (the
// `tallyPending` marker left behind) is repaired at start.
import { freshMongo } from '../../support/mongo';
import { createCommentsStore, type CommentsStore } from '../../../activities/comments/store';
import { COUNTS_COLLECTION } from '../../../activities/comments/counters';
import { COLLECTIONS, type CommentRecord, type Who } from '../../../activities/comments/model';
import { publicIntake, type Intake } from './intake-fixture';

type M = Awaited<ReturnType<typeof freshMongo>>;
const STD = 'std-counts';
const by: Who = { userId: 'u-sh', displayName: '上海', role: 'ecoEnvDepartment', province: 'SH' };
const at = new Date(Date.UTC(2026, 10, 2));

function intake(n: number, text = `意见 ${n}`, standardId = STD): Intake {
  const clauseId = n % 3 === 0 ? undefined : n % 3 === 1 ? 'c5.1' : '$c52';
  return publicIntake(standardId, n, text, {
    type: (['general', 'technical', 'editorial'] as const)[n % 3],
    anchor: clauseId ? { scope: 'clause', clauseId, clauseNumber: '5.1' } : { scope: 'document' },
    submitter: { name: '张三', organisation: '', province: (['SH', 'JS', 'ZJ', 'other'] as const)[n % 4], contact: '', showName: false },
  });
}

describe('comment counts kept at write time', () => {
  let mongo: M;
  let store: CommentsStore;

  beforeAll(async () => {
    mongo = await freshMongo('comments-counters');
    store = createCommentsStore(mongo.db);
    await store.ensureIndexes();
  });
  afterAll(async () => {
    await mongo.drop();
  });

  it('equal a full recount after intake, retries, dispositions and moderation', async () => {
    const ids: string[] = [];
    for (let n = 0; n < 40; n++) ids.push((await store.insertOnce(intake(n, n % 10 === 9 ? '重复的意见' : `意见 ${n}`))).comment._id);
    // Retried submissions store nothing and count nothing.
    for (let n = 0; n < 5; n++) expect((await store.insertOnce(intake(n))).created).toBe(false);
    let c = await store.counts(STD);
    expect(c).toEqual(await store.recount(STD));
    expect(c).toMatchObject({ total: 40, visible: 40, pending: 40, disposed: 0, duplicates: 1 });
    expect(c.byClause).toEqual({ '': 14, 'c5.1': 13, $c52: 13 });

    for (let i = 0; i < 20; i++) await store.dispose(STD, ids[i], { decision: i % 2 ? 'accepted' : 'rejected', reason: i % 2 ? '' : '理由' }, by, at);
    // A retried disposition (same values) and a changed one (rejected → partially accepted).
    await store.dispose(STD, ids[1], { decision: 'accepted', reason: '' }, by, at);
    await store.dispose(STD, ids[0], { decision: 'partiallyAccepted', reason: '部分' }, by, at);
    await store.moderate(STD, ids[2], 'hidden', '无关内容', by, at);
    await store.moderate(STD, ids[30], 'hidden', '无关内容', by, at);
    await store.moderate(STD, ids[30], 'hidden', '重试', by, at);
    await store.moderate(STD, ids[30], 'visible', '误判', by, at);
    await store.setProvinceOpinion(STD, ids[3], '同意', by, at);

    c = await store.counts(STD);
    expect(c).toEqual(await store.recount(STD));
    expect(c).toMatchObject({ total: 40, hidden: 1, visible: 39, disposed: 19, pending: 20 });
    expect(c.byDecision).toEqual({ accepted: 10, rejected: 8, partiallyAccepted: 1 });
    // No comment is left marked: every difference was applied.
    expect(await mongo.db.collection(COLLECTIONS.comments).countDocuments({ tallyPending: true })).toBe(0);
  });

  it('equal a full recount after 60 comments arrive at once (the store does not apply concurrent $inc atomically)', async () => {
    const std = 'std-counts-burst';
    await store.insertOnce(intake(1000, '第一条', std));
    await Promise.all(Array.from({ length: 60 }, (_, i) => store.insertOnce(intake(1001 + i, `并发意见 ${i}`, std))));
    const c = await store.counts(std);
    expect(c.total).toBe(61);
    expect(c).toEqual(await store.recount(std));
  });

  it('are one _id read of comment_counts', async () => {
    const explain = await mongo.db.command({ explain: { find: COUNTS_COLLECTION, filter: { _id: STD } } });
    const plan = JSON.stringify(explain.queryPlanner);
    expect(plan).toMatch(/SEARCH .* USING INDEX|IDHACK|EXPRESS_IXSCAN|IXSCAN/);
    expect(plan).not.toMatch(/"SCAN /);
  });

  it('recounts on first read a standard whose comments were stored before the counters', async () => {
    const legacy = Array.from({ length: 12 }, (_, n) => ({ ...intake(n, `旧意见 ${n}`, 'std-legacy'), _id: `c${String(n).padStart(24, '0')}`, receipt: `LEG${n}`, textKey: `legacy-${n}` }));
    await mongo.db.collection<CommentRecord>(COLLECTIONS.comments).insertMany(legacy);
    expect(await mongo.db.collection(COUNTS_COLLECTION).findOne({ _id: 'std-legacy' as never })).toBeNull();
    const first = await store.counts('std-legacy');
    expect(first).toMatchObject({ total: 12, pending: 12 });
    // Then kept: a new comment and a disposition move the stored document.
    const { comment } = await store.insertOnce(intake(50, '新意见', 'std-legacy'));
    await store.dispose('std-legacy', comment._id, { decision: 'accepted', reason: '' }, by, at);
    expect(await store.counts('std-legacy')).toEqual(await store.recount('std-legacy'));
    expect((await store.counts('std-legacy')).total).toBe(13);
  });

  it('repairs at start the counts of a comment whose difference was never applied (crash between the writes)', async () => {
    // What a crash after the comment's write and before its counts leaves: the comment changed and marked.
    const { comment } = await store.insertOnce(intake(60, '崩溃前的意见'));
    await mongo.db.collection(COLLECTIONS.comments).updateOne({ _id: comment._id as never }, { $set: { status: 'disposed', disposition: { decision: 'accepted', reason: '', by, at }, tallyPending: true } });
    expect(await store.counts(STD)).not.toEqual(await store.recount(STD));
    const restarted = createCommentsStore(mongo.db);
    await restarted.ensureIndexes();
    expect(await restarted.counts(STD)).toEqual(await restarted.recount(STD));
    expect(await mongo.db.collection(COLLECTIONS.comments).countDocuments({ tallyPending: true })).toBe(0);
  });
});
