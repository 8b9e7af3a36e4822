// Receipt lookups by key: `comment_receipts` holds `{_id: receipt, commentId, standardId}`, written before the
// comment, so byReceipt is two `_id` lookups (an index search on the embedded store, not a scan of every
// comment). A crash between the two writes leaves a row that reads as not found and a retry completes; the
// backfill gives comments stored before receipt rows existed their rows, in batches.
import { freshMongo } from '../../support/mongo';
import { backfillReceipts, commentIdFor, createCommentsStore, RECEIPTS_BACKFILLED, type CommentsStore } from '../../../activities/comments/store';
import { COLLECTIONS, type CommentRecord, type ReceiptRecord } from '../../../activities/comments/model';
import { publicIntake } from './intake-fixture';

const intake = (n: number, text?: string) => publicIntake('std-r', n, text);

type M = Awaited<ReturnType<typeof freshMongo>>;


describe('receipt lookups by key', () => {
  let mongo: M;
  let store: CommentsStore;

  beforeAll(async () => {
    mongo = await freshMongo('comments-receipts');
    store = createCommentsStore(mongo.db);
    await store.ensureIndexes();
  });
  afterAll(async () => {
    await mongo.drop();
  });

  it('finds a comment by its receipt through the _id index of comment_receipts (explain: an index search)', async () => {
    const { comment } = await store.insertOnce(intake(1));
    const row = await mongo.db.collection<ReceiptRecord>(COLLECTIONS.receipts).findOne({ _id: comment.receipt });
    expect(row).toEqual({ _id: comment.receipt, commentId: comment._id, standardId: 'std-r' });
    expect((await store.byReceipt(comment.receipt))?._id).toBe(comment._id);
    expect(await store.byReceipt('ZZZZZ-ZZZZZ')).toBeNull();
    const explain = await mongo.db.command({ explain: { find: COLLECTIONS.receipts, filter: { _id: comment.receipt } } });
    const plan = JSON.stringify(explain.queryPlanner);
    // FerretDB on SQLite: "SEARCH … USING INDEX"; MongoDB: an _id index stage.
    expect(plan).toMatch(/SEARCH .* USING INDEX|IDHACK|EXPRESS_IXSCAN|IXSCAN/);
    expect(plan).not.toMatch(/"SCAN /);
  });

  it('a retried submission returns the stored comment and adds no receipt row; a repeated text is flagged', async () => {
    const first = await store.insertOnce(intake(2, '同一意见'));
    const rows = await mongo.db.collection(COLLECTIONS.receipts).countDocuments({ commentId: first.comment._id });
    const again = await store.insertOnce(intake(2, '同一意见'));
    expect(again).toMatchObject({ created: false, comment: { _id: first.comment._id, receipt: first.comment.receipt } });
    expect(await mongo.db.collection(COLLECTIONS.receipts).countDocuments({ commentId: first.comment._id })).toBe(rows);
    const dup = await store.insertOnce(intake(3, '同一意见'));
    expect(dup).toMatchObject({ created: true, comment: { duplicateOf: first.comment.receipt } });
    expect((await store.byReceipt(dup.comment.receipt))?._id).toBe(dup.comment._id);
  });

  it('a crash between the receipt row and the comment leaves a row that reads as not found; the retry completes', async () => {
    const rec = intake(4);
    const orphan = 'AAAAA-BBBBB';
    await mongo.db.collection<ReceiptRecord>(COLLECTIONS.receipts).insertOne({ _id: orphan, commentId: commentIdFor(rec.submissionKey), standardId: 'std-r' });
    expect(await store.byReceipt(orphan)).toBeNull();
    const { comment, created } = await store.insertOnce(rec);
    expect(created).toBe(true);
    expect(comment.receipt).not.toBe(orphan);
    expect(await store.byReceipt(orphan)).toBeNull(); // points at a comment that holds another receipt
    expect((await store.byReceipt(comment.receipt))?._id).toBe(comment._id);
  });

  it('backfills, in batches, the receipt rows of comments stored before them; later runs skip', async () => {
    const legacy = Array.from({ length: 25 }, (_, i) => {
      const r = intake(100 + i);
      return { ...r, _id: commentIdFor(r.submissionKey), receipt: `LEG${'ABCDEFGHJKLMNPQRSTUVWXYZ3'[i]}Z-22222`, textKey: r.textHash };
    });
    await mongo.db.collection<CommentRecord>(COLLECTIONS.comments).insertMany(legacy);
    for (const c of legacy) expect(await store.byReceipt(c.receipt)).toBeNull();
    await mongo.db.collection<ReceiptRecord>(COLLECTIONS.receipts).deleteOne({ _id: RECEIPTS_BACKFILLED });
    expect(await backfillReceipts(mongo.db, 7)).toBe(legacy.length); // 4 batches; existing rows left alone
    for (const c of legacy) expect((await store.byReceipt(c.receipt))?._id).toBe(c._id);
    expect(await backfillReceipts(mongo.db, 7)).toBe(0);
    await mongo.db.collection<ReceiptRecord>(COLLECTIONS.receipts).deleteOne({ _id: RECEIPTS_BACKFILLED });
    expect(await backfillReceipts(mongo.db, 7)).toBe(0); // a second full pass adds nothing
  });
});
