// The draft threads data module on FerretDB: keyset pages reach every thread and reply exactly once (also
// past the largest page, and with rows sharing a creation instant), the filters, reply counting and
// participants, status changes that report "already so" instead of changing anything, and its indexes.
import { createDraftThreadsStore, DRAFT_THREADS, THREAD_PAGE_MAX, type DraftThreadRecord, type DraftThreadsStore } from '../../../activities/data/draft-threads';
import { freshMongo } from '../../support/mongo';

jest.setTimeout(120_000);

let mongo: Awaited<ReturnType<typeof freshMongo>>;
let store: DraftThreadsStore;
const anchor = { start: 'AQID', end: 'BAUG' };
const alice = { userId: 'u-alice', displayName: '起草人甲', province: 'SH' as const };
const bob = { userId: 'u-bob', displayName: '江苏省市场监督管理局', province: 'JS' as const };

beforeAll(async () => {
  mongo = await freshMongo('draftthreads');
  store = createDraftThreadsStore(mongo.db);
  await store.ensureIndexes();
});

afterAll(async () => {
  await mongo?.drop();
});

async function everyPage(std: string, filter: 'all' | 'open' | 'resolved' | 'mine', userId: string, limit?: number): Promise<DraftThreadRecord[]> {
  const out: DraftThreadRecord[] = [];
  let after: string | undefined;
  do {
    const page = await store.list(std, { filter, userId, ...(after ? { after } : {}), ...(limit ? { limit } : {}) });
    expect(page.items.length).toBeLessThanOrEqual(limit ?? 50);
    out.push(...page.items);
    after = page.next;
  } while (after);
  return out;
}

test('pages cover every thread once, beyond the largest page and across equal creation instants', async () => {
  const ids: string[] = [];
  for (let i = 0; i < THREAD_PAGE_MAX + 30; i++) ids.push((await store.create({ standardId: 'std-a', anchor, quote: `引文${i}`, text: `批注${i}`, author: i % 2 ? alice : bob, mentions: [] }))._id);
  // Rows sharing one createdAt: the _id tie-breaker keeps them apart.
  const same = new Date('2030-01-01T00:00:00.000Z');
  await mongo.db.collection<DraftThreadRecord>(DRAFT_THREADS).updateMany({ _id: { $in: ids.slice(0, 40) } }, { $set: { createdAt: same } });
  await store.create({ standardId: 'std-other', anchor, quote: '别的标准', text: '不应出现', author: alice, mentions: [] });

  for (const limit of [undefined, 7, THREAD_PAGE_MAX]) {
    const all = await everyPage('std-a', 'all', alice.userId, limit);
    expect(all).toHaveLength(ids.length);
    expect(new Set(all.map((t) => t._id))).toEqual(new Set(ids));
  }
  // A limit above the maximum is clamped, never more rows than asked for at most THREAD_PAGE_MAX.
  const big = await store.list('std-a', { filter: 'all', userId: alice.userId, limit: 10_000 });
  expect(big.items).toHaveLength(THREAD_PAGE_MAX);
  expect(big.next).toBeDefined();

  const mine = await everyPage('std-a', 'mine', bob.userId, 25);
  expect(mine.every((t) => t.participants.includes(bob.userId))).toBe(true);
  expect(mine).toHaveLength(Math.ceil(ids.length / 2));
});

test('replies are counted, make their author and the mentioned participants, and page in order', async () => {
  const t = await store.create({ standardId: 'std-b', anchor, quote: '限值', text: '为何取此限值？', author: alice, mentions: [] });
  for (let i = 0; i < 12; i++) await store.reply('std-b', t._id, { text: `回复${i}`, author: bob, mentions: i === 3 ? ['u-carol'] : [] });
  expect(await store.reply('std-b', 'no-such-thread', { text: 'x', author: bob, mentions: [] })).toBeNull();
  expect(await store.reply('std-other', t._id, { text: 'x', author: bob, mentions: [] })).toBeNull();
  const stored = await store.get('std-b', t._id);
  expect(stored?.replyCount).toBe(12);
  expect(stored?.participants.sort()).toEqual([alice.userId, bob.userId, 'u-carol'].sort());
  const texts: string[] = [];
  let after: string | undefined;
  do {
    const page = await store.replies('std-b', t._id, { limit: 5, ...(after ? { after } : {}) });
    texts.push(...page.items.map((r) => r.text));
    after = page.next;
  } while (after);
  expect(texts).toEqual(Array.from({ length: 12 }, (_, i) => `回复${i}`));
});

test('resolve and reopen change the status once; a second call reports no change and alters nothing', async () => {
  const t = await store.create({ standardId: 'std-c', anchor, quote: '条文', text: '请核对', author: bob, mentions: [] });
  const first = await store.setStatus('std-c', t._id, 'resolved', alice);
  expect(first).toMatchObject({ changed: true, thread: { status: 'resolved', resolvedBy: alice } });
  const again = await store.setStatus('std-c', t._id, 'resolved', bob);
  expect(again).toMatchObject({ changed: false, thread: { status: 'resolved', resolvedBy: alice } });
  expect((await everyPage('std-c', 'resolved', bob.userId)).map((x) => x._id)).toEqual([t._id]);
  expect(await everyPage('std-c', 'open', bob.userId)).toHaveLength(0);
  const reopened = await store.setStatus('std-c', t._id, 'open', alice);
  expect(reopened?.changed).toBe(true);
  expect(reopened?.thread.resolvedBy).toBeUndefined();
  expect((await store.setStatus('std-c', t._id, 'open', alice))?.changed).toBe(false);
  expect(await store.setStatus('std-c', 'missing', 'resolved', alice)).toBeNull();
});

test('the list and reply queries have their indexes', async () => {
  const names = (await mongo.db.collection(DRAFT_THREADS).indexes()).map((i) => i.name);
  expect(names).toEqual(expect.arrayContaining(['standard_created_v2', 'standard_status_created_v2', 'standard_participants_created']));
  // Replaced by their `_v2` names (activities/data/named-indexes.ts).
  expect(names).not.toContain('standard_created');
  expect(names).not.toContain('standard_status_created');
});
