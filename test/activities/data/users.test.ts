// The users collection on FerretDB: unique usernames, Argon2 hashes, drafter grants per standard, and
// the demo seed that can run any number of times without taking work away.
import { hashPassword, verifyPassword } from '../../../server/auth/passwords';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, formatAccountsTable, seedDemoAccounts } from '../../../server/auth/demo-accounts';
import { checkCredentials } from '../../../server/auth/sign-in';
import { createUser, ensureUserIndexes, findDraftersOf, findUserByUsername, grantDrafter, principalOf, usersCollection } from '../../../activities/data/users';
import { AppError } from '../../../activities/infra/errors';
import { freshMongo } from '../../support/mongo';

let m: Awaited<ReturnType<typeof freshMongo>>;

beforeAll(async () => {
  m = await freshMongo('users');
  await ensureUserIndexes(m.db);
});
afterAll(async () => {
  await m?.drop();
});

describe('users', () => {
  it('stores an Argon2id hash, never the password, and verifies it', async () => {
    const hash = await hashPassword('s3cret-密码');
    expect(hash).toMatch(/^\$argon2id\$/);
    const u = await createUser(m.db, { username: 'Alice', displayName: '甲', passwordHash: hash, grants: [] });
    expect(u.username).toBe('alice');
    const stored = await usersCollection(m.db).findOne({ _id: u._id });
    expect(JSON.stringify(stored)).not.toContain('s3cret');
    expect(await verifyPassword(stored!.passwordHash, 's3cret-密码')).toBe(true);
    expect(await verifyPassword(stored!.passwordHash, 's3cret')).toBe(false);
    expect(await verifyPassword('not a hash', 's3cret')).toBe(false);
  });

  it('refuses a second user with the same username in any case (unique index)', async () => {
    await createUser(m.db, { username: 'bob', displayName: '乙', passwordHash: await hashPassword('x'), grants: [] });
    await expect(createUser(m.db, { username: 'BOB', displayName: '乙2', passwordHash: 'h', grants: [] })).rejects.toMatchObject({ code: 'CONFLICT', status: 409 });
    await expect(usersCollection(m.db).insertOne({ _id: 'raw', username: 'bob', displayName: '', passwordHash: '', grants: [], createdAt: new Date(), updatedAt: new Date(), version: 1 })).rejects.toMatchObject({ code: 11000 });
  });

  it('refuses usernames that are not plain names', async () => {
    for (const bad of ['$gt', 'a', 'has space', 'a/b', '用户']) {
      await expect(createUser(m.db, { username: bad, displayName: 'x', passwordHash: 'h', grants: [] })).rejects.toBeInstanceOf(AppError);
    }
  });

  it('adds a standard to a drafter grant once, and gives a drafter grant in the user’s province to a non-drafter', async () => {
    const d = await createUser(m.db, { username: 'drafter-x', displayName: '起草人', passwordHash: 'h', grants: [{ role: 'drafter', province: 'JS', standardIds: [] }] });
    await grantDrafter(m.db, d._id, 's1');
    await grantDrafter(m.db, d._id, 's1');
    await grantDrafter(m.db, d._id, 's2');
    expect((await principalOf(m.db, d)).grants).toEqual([{ role: 'drafter', province: 'JS', standardIds: ['s1', 's2'] }]);
    const lb = await createUser(m.db, { username: 'bureau-x', displayName: '分局', passwordHash: 'h', grants: [{ role: 'localBureau', province: 'ZJ' }] });
    await grantDrafter(m.db, lb._id, 's1');
    expect((await principalOf(m.db, lb)).grants).toEqual([{ role: 'localBureau', province: 'ZJ' }, { role: 'drafter', province: 'ZJ', standardIds: ['s1'] }]);
    await expect(grantDrafter(m.db, 'no-such-user', 's1')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await findDraftersOf(m.db, 's1')).map((u) => u.username)).toEqual(['bureau-x', 'drafter-x']);
    expect((await findDraftersOf(m.db, 's2')).map((u) => u.username)).toEqual(['drafter-x']);
  });

  it('keeps every grant when many are added at the same time', async () => {
    const d = await createUser(m.db, { username: 'busy', displayName: '忙', passwordHash: 'h', grants: [{ role: 'drafter', province: 'SH', standardIds: [] }] });
    await Promise.all(['a', 'b', 'c', 'd'].map((s) => grantDrafter(m.db, d._id, s)));
    const p = await principalOf(m.db, d);
    expect([...(p.grants[0].standardIds ?? [])].sort()).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('demo accounts', () => {
  it('creates one account per body of Annex 1 plus drafters, an expert and an admin, all able to sign in', async () => {
    const first = await seedDemoAccounts(m.db);
    expect(first.every((a) => a.created)).toBe(true);
    expect(first.map((a) => a.username)).toEqual([
      'sh-eco', 'js-eco', 'zj-eco', 'sh-msa', 'js-msa', 'zj-msa', 'exec', 'qingpu', 'wujiang', 'jiashan', 'drafter-sh', 'drafter-js', 'drafter-zj', 'expert', 'admin',
    ]);
    expect(first.find((a) => a.username === 'wujiang')?.displayName).toBe('苏州市吴江生态环境局');
    for (const a of DEMO_ACCOUNTS) expect((await checkCredentials(m.db, a.username, DEMO_PASSWORD)).grants).toEqual(a.grants);
    const table = formatAccountsTable(first);
    expect(table).toContain('sh-eco');
    expect(table).toContain('长三角生态绿色一体化发展示范区执行委员会');
  });

  it('can run again without duplicating accounts or losing a drafter’s standards', async () => {
    const d = await findUserByUsername(m.db, 'drafter-sh');
    await grantDrafter(m.db, d!._id, 'std-1');
    const again = await seedDemoAccounts(m.db);
    expect(again.every((a) => !a.created)).toBe(true);
    expect(await usersCollection(m.db).countDocuments({ username: { $in: DEMO_ACCOUNTS.map((a) => a.username) } })).toBe(DEMO_ACCOUNTS.length);
    expect((await principalOf(m.db, (await findUserByUsername(m.db, 'drafter-sh'))!)).grants).toEqual([{ role: 'drafter', province: 'SH', standardIds: ['std-1'] }]);
  });
});
