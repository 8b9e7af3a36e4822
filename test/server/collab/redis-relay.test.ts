// Co-editing across processes through a real Redis: two collaboration servers (each with its own relay,
// as two app processes would have) on one database. Clients pinned to different servers see each other's
// edits and cursors; a permission refresh on one server makes the sockets of the other read-only within a
// second; after kill -9 of Redis both keep editing alone and converge when it is back, with every
// acknowledged edit in MongoDB exactly once (a cold load equals what the clients hold); randomized edits
// by clients on both processes converge, with a cold load from MongoDB as the reference.
import * as Y from 'yjs';
import { createMongoDocumentStore } from '../../../activities/data/documents';
import { createLogger } from '../../../activities/infra/logger';
import { createRedisRelay, type CollabRelay } from '../../../server/collab/redis-relay';
import type { EmbeddedRedis } from '../../../scripts/embedded/redis';
import { freshMongo } from '../../support/mongo';
import { startTestRedis } from '../../support/redis';
import { connectClient, startCollab, until, type TestClient, type TestCollab } from './support';

jest.setTimeout(120_000);

let mongo: Awaited<ReturnType<typeof freshMongo>>;
let redis: EmbeddedRedis;
const relays: CollabRelay[] = [];
let one: TestCollab;
let two: TestCollab;
const clients: TestClient[] = [];

function client(srv: TestCollab, doc: string, user: string): TestClient {
  const c = connectClient(srv.url, doc, user);
  clients.push(c);
  return c;
}

async function coldText(docName: string, field = 't'): Promise<string> {
  const loaded = await createMongoDocumentStore(mongo.db).load(docName);
  const d = new Y.Doc();
  if (loaded.snapshot) Y.applyUpdate(d, loaded.snapshot);
  for (const u of loaded.updates) Y.applyUpdate(d, u.update);
  return d.getText(field).toString();
}

beforeAll(async () => {
  mongo = await freshMongo('collab-redis');
  redis = await startTestRedis('relay');
  const relay = () => {
    const r = createRedisRelay({ url: redis.url, logger: createLogger('relay-test') });
    relays.push(r);
    return r;
  };
  one = await startCollab(mongo.db, {}, { relay: relay() });
  two = await startCollab(mongo.db, {}, { relay: relay() });
  await until(() => relays.every((r) => r.connected()), 10_000, 'relays connected');
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await one?.close();
  await two?.close();
  for (const r of relays) await r.close();
  await redis?.stop();
  await mongo?.drop();
});

test('clients on two processes see each other’s edits and cursors', async () => {
  const a = client(one, 'standard:relay-1', 'sh-a');
  const b = client(two, 'standard:relay-1', 'js-b');
  await Promise.all([a.synced(), b.synced()]);
  a.doc.getText('t').insert(0, '上海');
  await until(() => b.doc.getText('t').toString() === '上海', 5000, 'b sees a');
  b.doc.getText('t').insert(2, '江苏');
  await until(() => a.doc.getText('t').toString() === '上海江苏', 5000, 'a sees b');
  a.provider.awareness.setLocalStateField('user', { name: '甲' });
  await until(() => [...b.provider.awareness.getStates().values()].some((s) => (s.user as { name?: string } | undefined)?.name === '甲'), 5000, 'b sees a’s cursor');
  await Promise.all([a.saved(), b.saved()]);
  expect(await coldText('standard:relay-1')).toBe('上海江苏');
});

test('a document loaded later on the other process gets edits not yet stored from the first', async () => {
  const a = client(one, 'standard:relay-2', 'sh-a');
  await a.synced();
  a.doc.getText('t').insert(0, '先写');
  const b = client(two, 'standard:relay-2', 'js-b');
  await b.synced();
  await until(() => b.doc.getText('t').toString() === '先写', 5000, 'late joiner has the edit');
});

test('a permission refresh on one process makes sockets on the other read-only within a second', async () => {
  const a = client(one, 'standard:relay-3', 'sh-a');
  const b = client(two, 'standard:relay-3', 'js-b');
  await Promise.all([a.synced(), b.synced()]);
  await until(() => a.tracker.state.access === 'edit' && b.tracker.state.access === 'edit');
  // The authorizer reads the stage from the database in the app; here each process's own table.
  for (const srv of [one, two]) {
    srv.permissions.set('sh-a@standard:relay-3', 'read');
    srv.permissions.set('js-b@standard:relay-3', 'read');
  }
  const started = Date.now();
  await one.collab.refreshPermissions('standard:relay-3');
  await until(() => a.tracker.state.access === 'read' && b.tracker.state.access === 'read', 1000, 'both read-only');
  expect(Date.now() - started).toBeLessThan(1000);
  b.doc.getText('t').insert(0, 'frozen?');
  await new Promise((r) => setTimeout(r, 300));
  expect((await one.collab.getDoc('standard:relay-3')).getText('t').toString()).toBe('');
});

test('after kill -9 of Redis both processes keep editing and converge when it is back, nothing lost or doubled', async () => {
  const a = client(one, 'standard:relay-4', 'sh-a');
  const b = client(two, 'standard:relay-4', 'js-b');
  await Promise.all([a.synced(), b.synced()]);
  a.doc.getText('t').insert(0, 'A0');
  await until(() => b.doc.getText('t').toString() === 'A0', 5000, 'relay before the outage');
  const pid = redis.server!.status().pid!;
  process.kill(pid, 'SIGKILL');
  // Edits during the outage: each client is acknowledged by its own process (stored in MongoDB).
  a.doc.getText('t').insert(2, 'A1');
  b.doc.getText('t').insert(0, 'B1');
  await Promise.all([a.saved(), b.saved()]);
  await until(() => (redis.server!.status().pid ?? pid) !== pid && redis.server!.status().state === 'running', 30_000, 'redis restarted');
  await until(() => a.doc.getText('t').toString() === b.doc.getText('t').toString(), 20_000, 'convergence after redis returned');
  const text = a.doc.getText('t').toString();
  expect(text.length).toBe(6);
  expect(text).toContain('A0');
  expect(text).toContain('A1');
  expect(text).toContain('B1');
  // Editing relays again.
  b.doc.getText('t').insert(0, 'B2');
  await until(() => a.doc.getText('t').toString() === `B2${text}`, 5000, 'relay after the outage');
  await Promise.all([a.saved(), b.saved()]);
  expect(await coldText('standard:relay-4')).toBe(`B2${text}`);
});

test('randomized concurrent edits on two processes converge to what a cold load from MongoDB holds', async () => {
  let seed = 20261203;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const doc = 'standard:relay-random';
  const cs = [client(one, doc, 'sh-r0'), client(two, doc, 'js-r1'), client(one, doc, 'zj-r2'), client(two, doc, 'sh-r3')];
  await Promise.all(cs.map((c) => c.synced()));
  const words = ['排放', '限值', 'mg/m³', '监测', '附录A', '；', '。'];
  for (let round = 0; round < 30; round++) {
    for (const c of cs) {
      const t = c.doc.getText('t');
      if (t.length > 20 && rand(3) === 0) t.delete(rand(t.length - 5), 1 + rand(4));
      else t.insert(rand(t.length + 1), words[rand(words.length)]);
      if (rand(4) === 0) c.doc.getArray<number>('a').push([round]);
    }
    if (round % 10 === 9) await new Promise((r) => setTimeout(r, rand(50)));
  }
  await Promise.all(cs.map((c) => c.saved()));
  await until(() => cs.every((c) => c.doc.getText('t').toString() === cs[0].doc.getText('t').toString() && c.doc.getArray('a').length === cs[0].doc.getArray('a').length), 10_000, 'clients converge');
  const final = cs[0].doc.getText('t').toString();
  expect(final.length).toBeGreaterThan(0);
  expect(await coldText(doc)).toBe(final);
  const loaded = await createMongoDocumentStore(mongo.db).load(doc);
  const cold = new Y.Doc();
  if (loaded.snapshot) Y.applyUpdate(cold, loaded.snapshot);
  for (const u of loaded.updates) Y.applyUpdate(cold, u.update);
  expect(cold.getArray('a').toArray()).toEqual(cs[0].doc.getArray('a').toArray());
  // Both processes' in-memory documents agree too.
  expect((await one.collab.getDoc(doc)).getText('t').toString()).toBe(final);
  expect((await two.collab.getDoc(doc)).getText('t').toString()).toBe(final);
});

test('one process at a time holds a document’s compaction lock', async () => {
  const [r1, r2] = relays;
  const release = await r1.lockCompaction('standard:lock', 5000);
  expect(release).not.toBeNull();
  expect(await r2.lockCompaction('standard:lock', 5000)).toBeNull();
  await release!();
  const again = await r2.lockCompaction('standard:lock', 5000);
  expect(again).not.toBeNull();
  await again!();
});

test('two processes compacting the same busy document lose nothing (one compacts at a time; a stale snapshot version resyncs)', async () => {
  const extra = async () => {
    const r = createRedisRelay({ url: redis.url, logger: createLogger('relay-test') });
    relays.push(r);
    return startCollab(mongo.db, { compactAfterUpdates: 5, storeDelayMs: 0 }, { relay: r });
  };
  const three = await extra();
  const four = await extra();
  await until(() => relays.every((r) => r.connected()), 10_000, 'relays connected');
  try {
    const doc = 'standard:relay-compact';
    const cs = [client(three, doc, 'sh-c0'), client(four, doc, 'js-c1'), client(three, doc, 'zj-c2'), client(four, doc, 'sh-c3')];
    await Promise.all(cs.map((c) => c.synced()));
    for (let round = 0; round < 40; round++) {
      cs.forEach((c, i) => c.doc.getArray<string>('ops').push([`${i}:${round}`]));
      if (round % 5 === 4) await new Promise((r) => setTimeout(r, 20));
    }
    await Promise.all(cs.map((c) => c.saved()));
    await until(() => cs.every((c) => c.doc.getArray('ops').length === 160), 10_000, 'all ops everywhere');
    // Let both processes finish their compactions, then read the database cold.
    await three.collab.flush(doc);
    await four.collab.flush(doc);
    await new Promise((r) => setTimeout(r, 500));
    const loaded = await createMongoDocumentStore(mongo.db).load(doc);
    const cold = new Y.Doc();
    if (loaded.snapshot) Y.applyUpdate(cold, loaded.snapshot);
    for (const u of loaded.updates) Y.applyUpdate(cold, u.update);
    const ops = cold.getArray<string>('ops').toArray();
    expect(new Set(ops).size).toBe(160);
    expect(ops.length).toBe(160);
    expect(loaded.snapshotVersion).toBeGreaterThan(0);
  } finally {
    for (const c of clients.splice(0)) c.destroy();
    await three.close();
    await four.close();
  }
});

test('a document opens while Redis does not answer, and gets the other process’s edits once Redis answers again', async () => {
  const b = client(two, 'standard:relay-stall', 'js-b');
  await b.synced();
  b.doc.getText('t').insert(0, 'B0');
  await b.saved();
  const pid = redis.server!.status().pid!;
  // Stopped, not killed: the connections stay open and a subscription is never confirmed.
  process.kill(pid, 'SIGSTOP');
  let a: TestClient;
  try {
    a = client(one, 'standard:relay-stall', 'sh-a');
    const started = Date.now();
    await a.synced();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(a.doc.getText('t').toString()).toBe('B0');
    // An edit made on the other process while this one is not subscribed.
    b.doc.getText('t').insert(2, 'B1');
    await b.saved();
  } finally {
    process.kill(pid, 'SIGCONT');
  }
  await until(() => a.doc.getText('t').toString() === 'B0B1', 20_000, 'the late subscription caught up');
  a.doc.getText('t').insert(0, 'A1');
  await until(() => b.doc.getText('t').toString() === 'A1B0B1', 10_000, 'relay after the stall');
});
