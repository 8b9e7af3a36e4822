// The export read (activities/comments/store.ts `all` and `tableComments`): against the real store, 3,700 comments
// of one standard (above three batches) with bursts that share one createdAt across batch edges — every comment
// exactly once, in (createdAt, _id) order, no batch above BATCH_SIZE, filters kept; the next batch is already being
// read while the caller holds one, and a caller that stops early leaves no read behind; `tableComments` reads only
// the table's fields (TABLE_PROJECTION), and the 征求意见汇总处理表 CSV made from it is byte-identical to the one made
// from whole comments (so the projection leaves out nothing the table prints).
import type { CommandStartedEvent, CommandSucceededEvent } from 'mongodb';
import { freshMongo } from '../../support/mongo';
import { createCommentsStore, type CommentsStore } from '../../../activities/comments/store';
import { BATCH_SIZE } from '../../../activities/data/paging';
import { COLLECTIONS, type CommentRecord, type Who } from '../../../activities/comments/model';
import { TABLE_PROJECTION, type TableComment } from '../../../activities/comments/rows';
import { dispositionCsvChunks } from '../../../activities/comments/disposition-stream';
import { benchComment } from '../../../bench/comment-doc';

const STD = 'std-export-read';
const t0 = Date.UTC(2026, 5, 1);
const N = 3700;
const by: Who = { userId: 'u-d', displayName: '起草组', role: 'drafter' };

/** Comment i's time: mostly a second apart, with bursts of 40 sharing one millisecond, and a long quiet gap. */
function at(i: number): number {
  const burst = Math.floor(i / 40) % 5 === 0 ? Math.floor(i / 40) * 40 : i;
  return t0 + burst * 1000 + (i > 3000 ? 30 * 86_400_000 : 0);
}

/** A comment with every field the table prints somewhere in the set (opinions, duplicates, remarks, quotes). */
function comment(i: number): CommentRecord {
  const c = { ...benchComment(i, { standardId: STD, keyPrefix: 'export-read', t0, handled: true }), createdAt: new Date(at(i)) };
  if (i % 7 === 0) c.provinceOpinion = { opinion: `省级意见${i}`, by, at: new Date(t0) };
  if (i % 11 === 0) c.duplicateOf = 'AAAAA-BBBBB';
  if (i % 13 === 0) c.anchor = { scope: 'passage', clauseId: 'c51', clauseNumber: '5.1', quote: `引文${i}` };
  if (c.disposition && i % 5 === 0) c.disposition = { ...c.disposition, remark: `备注${i}`, versionId: `v${i}` };
  return c;
}

const order = (a: { createdAt: Date; _id: string }, b: { createdAt: Date; _id: string }): number =>
  a.createdAt.getTime() - b.createdAt.getTime() || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);

describe('the export read', () => {
  let m: Awaited<ReturnType<typeof freshMongo>>;
  let store: CommentsStore;
  let expected: CommentRecord[];

  beforeAll(async () => {
    m = await freshMongo('comments-export-read');
    store = createCommentsStore(m.db);
    await store.ensureIndexes();
    expected = Array.from({ length: N }, (_, i) => comment(i));
    const other = Array.from({ length: 300 }, (_, i) => benchComment(i, { standardId: 'std-export-read-other', keyPrefix: 'export-read-other', t0, handled: true }));
    const coll = m.db.collection<CommentRecord>(COLLECTIONS.comments);
    for (let i = 0; i < N; i += 1000) await coll.insertMany(expected.slice(i, i + 1000));
    await coll.insertMany(other);
    expected.sort(order);
  }, 120_000);
  afterAll(async () => {
    await m.drop();
  });

  async function read<T extends { _id: string }>(it: AsyncGenerator<T[]>): Promise<{ rows: T[]; sizes: number[] }> {
    const rows: T[] = [];
    const sizes: number[] = [];
    for await (const batch of it) {
      sizes.push(batch.length);
      rows.push(...batch);
    }
    return { rows, sizes };
  }

  it('every comment exactly once, in order, whole by `all` and by `tableComments`', async () => {
    const want = expected.map((c) => c._id);
    for (const it of [store.all(STD, {}), store.tableComments(STD)]) {
      const { rows, sizes } = await read<{ _id: string }>(it);
      const ids = rows.map((c) => c._id);
      expect(ids).toHaveLength(N);
      expect(new Set(ids).size).toBe(N);
      expect(ids).toEqual(want);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(BATCH_SIZE);
    }
  }, 120_000);

  it('a filtered read (the notices: disposed comments) is complete and in order', async () => {
    const want = expected.filter((c) => c.status === 'disposed' && c.moderation === 'visible').map((c) => c._id);
    expect(want.length).toBeGreaterThan(BATCH_SIZE);
    expect((await read(store.all(STD, { status: 'disposed' }))).rows.map((c) => c._id)).toEqual(want);
  }, 120_000);

  it("tableComments holds the table's fields only, as stored", async () => {
    const { rows } = await read(store.tableComments(STD));
    const fields = Object.keys(TABLE_PROJECTION);
    const byId = new Map(expected.map((c) => [c._id, c]));
    for (const row of rows) {
      const stored = byId.get(row._id) as CommentRecord;
      expect(Object.keys(row).every((k) => fields.includes(k))).toBe(true);
      expect(row).toEqual(Object.fromEntries(fields.filter((k) => k in stored).map((k) => [k, stored[k as keyof CommentRecord]])));
    }
    expect(rows.some((r) => 'provinceOpinion' in r && 'duplicateOf' in r)).toBe(true);
  }, 120_000);

  it('the table made from tableComments is byte-identical to the one made from whole comments', async () => {
    const csv = async (batches: AsyncIterable<TableComment[]>): Promise<string> => {
      let out = '';
      for await (const chunk of dispositionCsvChunks({ batches, current: null, sentTo: 40 })) out += chunk;
      return out;
    };
    const whole = await csv(store.all(STD, {}));
    expect(await csv(store.tableComments(STD))).toBe(whole);
    for (const text of ['省级意见7', '重复意见（同 AAAAA-BBBBB）', '引文13', '修改见版本 v5', '备注5']) expect(whole).toContain(text);
  }, 120_000);

  it('reads the next batch while the caller holds one, and a caller that stops leaves no read behind', async () => {
    const started: number[] = [];
    let inFlight = 0;
    const start = (e: CommandStartedEvent): void => {
      if (e.commandName !== 'find' || e.command.find !== COLLECTIONS.comments) return;
      started.push(e.requestId);
      inFlight += 1;
    };
    const end = (e: CommandSucceededEvent): void => {
      if (e.commandName === 'find' && started.includes(e.requestId)) inFlight -= 1;
    };
    m.client.on('commandStarted', start);
    m.client.on('commandSucceeded', end);
    try {
      const it = store.tableComments(STD);
      const first = await it.next();
      expect(first.value).toHaveLength(BATCH_SIZE);
      // The second batch's find goes out before the caller asks for it.
      for (let waited = 0; started.length < 2 && waited < 5000; waited += 20) await new Promise((r) => setTimeout(r, 20));
      expect(started).toHaveLength(2);
      await it.return(undefined);
      await new Promise((r) => setTimeout(r, 300));
      expect(started).toHaveLength(2);
      expect(inFlight).toBe(0);
    } finally {
      m.client.off('commandStarted', start);
      m.client.off('commandSucceeded', end);
    }
  }, 120_000);
});
