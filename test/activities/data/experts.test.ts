// The expert pool store on FerretDB: keyset pages cover every expert exactly once, filters by province and
// field, one account links to one expert, unknown ids are named, and a pool record becomes a panel member only
// with an account.
import { AppError } from '../../../activities/infra/errors';
import { createExpertStore, panelMemberOf, type ExpertStore } from '../../../activities/data/experts';
import { freshMongo } from '../../support/mongo';

let mongo: Awaited<ReturnType<typeof freshMongo>>;
let store: ExpertStore;
beforeAll(async () => {
  mongo = await freshMongo('experts');
  store = createExpertStore(mongo.db);
  await store.ensureIndexes();
});
afterAll(async () => {
  await mongo.drop();
});

const base = { organisation: '同济大学', title: '教授', contact: 'c', fields: ['水环境'] };

test('pages cover every expert once, in order; filters by province and field', async () => {
  const made: string[] = [];
  for (let i = 0; i < 7; i += 1) made.push((await store.create({ ...base, name: `专家${i}`, province: i % 2 ? 'JS' : 'SH', fields: i === 3 ? ['大气'] : ['水环境'] }, 't'))._id);
  const seen: string[] = [];
  let after;
  for (let n = 0; n < 10; n += 1) {
    const page = await store.list({ limit: 3, ...(after ? { after } : {}) });
    seen.push(...page.items.map((e) => e._id));
    if (!page.next) break;
    const { decodeCursor } = await import('../../../activities/data/paging');
    after = decodeCursor(page.next);
  }
  expect(seen.sort()).toEqual([...made].sort());
  expect((await store.list({ province: 'JS' })).items.map((e) => e.name)).toEqual(['专家1', '专家3', '专家5']);
  expect((await store.list({ field: '大气' })).items.map((e) => e.name)).toEqual(['专家3']);
});

test('one account per expert; unknown ids named; no account, no panel seat', async () => {
  const a = await store.create({ ...base, name: '甲', province: 'ZJ', userId: 'u-a' }, 't');
  await expect(store.create({ ...base, name: '乙', province: 'ZJ', userId: 'u-a' }, 't')).rejects.toMatchObject({ code: 'CONFLICT' });
  await expect(store.many([a._id, 'nope'])).rejects.toThrow(/nope/);
  const b = await store.create({ ...base, name: '丙', province: 'SH' }, 't');
  expect(() => panelMemberOf(b)).toThrow(AppError);
  expect(panelMemberOf(a)).toMatchObject({ expertId: a._id, userId: 'u-a', province: 'ZJ' });
  await expect(store.create({ ...base, name: '', province: 'SH' }, 't')).rejects.toThrow();
});
