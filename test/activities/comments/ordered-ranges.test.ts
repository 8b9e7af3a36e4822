// The export read on several connections (activities/comments/ordered-ranges.ts, store.all): against the real
// store, 3,700 comments of one standard (above three batches) with bursts that share one createdAt across batch
// and slice edges, read on 1 and on 3 lanes — every comment exactly once, in (createdAt, _id) order, no batch
// above BATCH_SIZE, the 3-lane read really overlapping its finds, filters kept; and with a source in memory: the
// split cannot leave out a row beyond the span it was made from, at most `lanes` fetches run at once, a failed
// slice fails the read after the rows before it, and stopping early leaves nothing running.
import type { CommandStartedEvent, CommandSucceededEvent } from 'mongodb';
import { freshMongo } from '../../support/mongo';
import { createCommentsStore, sliceFilter, type CommentsStore } from '../../../activities/comments/store';
import { readInOrder, splitSpan, type OrderedSource, type Slice } from '../../../activities/comments/ordered-ranges';
import { BATCH_SIZE, type Cursor } from '../../../activities/data/paging';
import { COLLECTIONS, type CommentRecord } from '../../../activities/comments/model';
import { benchComment } from '../../../bench/comment-doc';

const STD = 'std-ranges';
const t0 = Date.UTC(2026, 5, 1);
const N = 3700;

/** Comment i's time: mostly a second apart, with bursts of 40 sharing one millisecond, and a long quiet gap. */
function at(i: number): number {
  const burst = Math.floor(i / 40) % 5 === 0 ? Math.floor(i / 40) * 40 : i;
  return t0 + burst * 1000 + (i > 3000 ? 30 * 86_400_000 : 0);
}

const order = (a: { createdAt: Date; _id: string }, b: { createdAt: Date; _id: string }): number =>
  a.createdAt.getTime() - b.createdAt.getTime() || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);

describe('the export read in ordered slices', () => {
  let m: Awaited<ReturnType<typeof freshMongo>>;
  let store: CommentsStore;
  let expected: CommentRecord[];

  beforeAll(async () => {
    m = await freshMongo('comments-ranges');
    store = createCommentsStore(m.db);
    await store.ensureIndexes();
    expected = Array.from({ length: N }, (_, i) => ({ ...benchComment(i, { standardId: STD, keyPrefix: 'ranges', t0, handled: true }), createdAt: new Date(at(i)) }));
    const other = Array.from({ length: 300 }, (_, i) => benchComment(i, { standardId: 'std-ranges-other', keyPrefix: 'ranges-other', t0, handled: true }));
    const coll = m.db.collection<CommentRecord>(COLLECTIONS.comments);
    for (let i = 0; i < N; i += 1000) await coll.insertMany(expected.slice(i, i + 1000));
    await coll.insertMany(other);
    expected.sort(order);
  }, 120_000);
  afterAll(async () => {
    await m.drop();
  });

  async function read(filter: Parameters<CommentsStore['all']>[1], lanes: number): Promise<{ ids: string[]; sizes: number[] }> {
    const ids: string[] = [];
    const sizes: number[] = [];
    for await (const batch of store.all(STD, filter, { lanes })) {
      sizes.push(batch.length);
      for (const c of batch) ids.push(c._id);
    }
    return { ids, sizes };
  }

  it('every comment exactly once, in order, on one lane and on three', async () => {
    const want = expected.map((c) => c._id);
    for (const lanes of [1, 3]) {
      const { ids, sizes } = await read({}, lanes);
      expect(ids).toHaveLength(N);
      expect(new Set(ids).size).toBe(N);
      expect(ids).toEqual(want);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(BATCH_SIZE);
    }
  }, 120_000);

  it('three lanes have finds in flight at the same time', async () => {
    let inFlight = 0;
    let most = 0;
    const started = (e: CommandStartedEvent): void => {
      if (e.commandName === 'find' && e.command.find === COLLECTIONS.comments) most = Math.max(most, ++inFlight);
    };
    const ended = (e: CommandSucceededEvent): void => {
      if (e.commandName === 'find') inFlight -= 1;
    };
    m.client.on('commandStarted', started);
    m.client.on('commandSucceeded', ended);
    try {
      expect((await read({}, 3)).ids).toHaveLength(N);
    } finally {
      m.client.off('commandStarted', started);
      m.client.off('commandSucceeded', ended);
    }
    expect(most).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it("a slice's query names its end before its start (the embedded store's index range ends at the first upper bound)", () => {
    const [from, to, at] = [new Date(t0), new Date(t0 + 60_000), new Date(t0 + 1000)];
    expect(Object.keys(sliceFilter({ standardId: STD }, { from, to }, undefined).createdAt as object)).toEqual(['$lt', '$gte']);
    const after = sliceFilter({ standardId: STD }, { from, to }, { at, id: 'c1' });
    expect(after.createdAt).toEqual({ $lt: to, $gte: at });
    expect(Object.keys(after.createdAt as object)).toEqual(['$lt', '$gte']);
    expect(after.$or).toEqual([{ createdAt: { $gt: at } }, { _id: { $gt: 'c1' } }]);
    expect(sliceFilter({ standardId: STD }, {}, undefined)).toEqual({ standardId: STD });
  });

  it('a filtered read (the notices: disposed comments) is complete and in order', async () => {
    const want = expected.filter((c) => c.status === 'disposed' && c.moderation === 'visible').map((c) => c._id);
    expect(want.length).toBeGreaterThan(BATCH_SIZE);
    expect((await read({ status: 'disposed' }, 3)).ids).toEqual(want);
  }, 120_000);
});

describe('readInOrder with a source in memory', () => {
  interface Row {
    at: Date;
    id: string;
  }
  const rows: Row[] = Array.from({ length: 1000 }, (_, i) => ({ at: new Date(t0 + Math.floor(i / 3) * 10), id: `r${String(i).padStart(4, '0')}` }));
  const after = (r: Row, c: Cursor): boolean => r.at > c.at || (r.at.getTime() === c.at.getTime() && r.id > c.id);
  function source(extra: { running?: { now: number; most: number; calls?: number }; failAt?: Date } = {}): OrderedSource<Row> {
    return {
      key: (r) => ({ at: r.at, id: r.id }),
      async fetch(slice: Slice, cursor: Cursor | undefined, limit: number) {
        const run = extra.running;
        if (run) run.calls = (run.calls ?? 0) + 1;
        if (run) run.most = Math.max(run.most, ++run.now);
        await new Promise((r) => setTimeout(r, 2));
        if (run) run.now -= 1;
        if (extra.failAt && slice.from && slice.from >= extra.failAt) throw new Error('store went away');
        const start = cursor ?? slice.after;
        return rows.filter((r) => (!slice.from || r.at >= slice.from) && (!slice.to || r.at < slice.to) && (!start || after(r, start))).slice(0, limit);
      },
    };
  }
  async function all(it: AsyncGenerator<Row[]>): Promise<string[]> {
    const out: string[] = [];
    for await (const b of it) out.push(...b.map((r) => r.id));
    return out;
  }

  it('splits a span into contiguous slices, open at both ends', () => {
    const s = splitSpan(new Date(1000), new Date(2000), 4);
    expect(s).toEqual([{ to: new Date(1250) }, { from: new Date(1250), to: new Date(1500) }, { from: new Date(1500), to: new Date(1750) }, { from: new Date(1750) }]);
    expect(splitSpan(new Date(1000), new Date(1000), 4)).toEqual([{}]);
  });

  it('rows beyond the span the slices were made from are still read, in order, once', async () => {
    // Slices made from the first third of the rows' times: the rest lies past the last bound.
    const slices = splitSpan(rows[0].at, rows[333].at, 8);
    const running = { now: 0, most: 0 };
    expect(await all(readInOrder(source({ running }), slices, { lanes: 3, batch: 17, ahead: 2 }))).toEqual(rows.map((r) => r.id));
    expect(running.most).toBeLessThanOrEqual(3);
    expect(running.most).toBeGreaterThanOrEqual(2);
  });

  it('a failing slice fails the read after the rows before it; stopping early ends every fetch', async () => {
    const slices = splitSpan(rows[0].at, rows[999].at, 10);
    const got: string[] = [];
    await expect(
      (async () => {
        for await (const b of readInOrder(source({ failAt: slices[5].from }), slices, { lanes: 3, batch: 50, ahead: 2 })) got.push(...b.map((r) => r.id));
      })(),
    ).rejects.toThrow('store went away');
    expect(got).toEqual(rows.filter((r) => r.at < (slices[5].from as Date)).map((r) => r.id));

    // Room for every batch: without the stop the lanes would go on fetching their slices to the end.
    const running = { now: 0, most: 0, calls: 0 };
    for await (const b of readInOrder(source({ running }), slices, { lanes: 3, batch: 10, ahead: 1000 })) if (b.length) break;
    await new Promise((r) => setTimeout(r, 10));
    const calls = running.calls;
    await new Promise((r) => setTimeout(r, 60));
    expect(running.now).toBe(0);
    expect(running.calls).toBe(calls);
    expect(calls).toBeLessThan(10);
  });
});
