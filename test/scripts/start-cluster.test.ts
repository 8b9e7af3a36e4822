// `npm run start:cluster -- --processes 2` with real processes: the suite's Temporal and MongoDB, the
// embedded Redis, two app processes and the round-robin proxy. Two y-websocket clients (Node) signed in
// through the proxy land on different processes and see each other's edits; a stage change with a
// permission refresh (published on the Redis channel, as the worker's process does) makes the sockets of
// both processes read-only within a second; kill -9 of one app process: its client reconnects through the
// proxy and no acknowledged edit is lost (a cold load from MongoDB holds each exactly once); kill -9 of
// Redis: both processes keep acknowledging edits and converge once the supervisor brought Redis back.
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { createMongoDocumentStore } from '../../activities/data/documents';
import { connectMongo, type Mongo } from '../../activities/infra/mongo';
import { DEMO_PASSWORD } from '../../server/auth/demo-accounts';
import { trackSaveState, type SaveTracker } from '../../editor/collab/save-tracker';
import { requireEnv } from '../support/mongo';
import { seedStandard } from '../server/comments/support';
import { until } from '../server/collab/support';
import { startTestCluster, type ClusterReady, type TestCluster } from './start-cluster-support';

jest.setTimeout(600_000);

let cluster: TestCluster;
let ready: ClusterReady;
let mongo: Mongo;
let cookie = '';
const dbName = `t_cluster_${Date.now().toString(36)}`;
const ID = 'cluster-1';
const DOC = `standard:${ID}`;
const clients: Array<{ doc: Y.Doc; provider: WebsocketProvider; tracker: SaveTracker }> = [];

function connect(docName = DOC): (typeof clients)[number] {
  const headers = { cookie };
  class CookieSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  }
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${ready.url.replace('http', 'ws')}/collab`, docName, doc, { WebSocketPolyfill: CookieSocket as unknown as typeof globalThis.WebSocket, disableBc: true, maxBackoffTime: 300 });
  const c = { doc, provider, tracker: trackSaveState(provider, { barrierDelayMs: 20 }) };
  clients.push(c);
  return c;
}

const synced = (c: (typeof clients)[number]) => until(() => c.provider.synced, 30_000, 'sync');
const saved = (c: (typeof clients)[number]) => until(() => c.tracker.state.saved && c.provider.synced, 30_000, 'saved');

async function coldText(docName = DOC): Promise<string> {
  const loaded = await createMongoDocumentStore(mongo.db).load(docName);
  const d = new Y.Doc();
  if (loaded.snapshot) Y.applyUpdate(d, loaded.snapshot);
  for (const u of loaded.updates) Y.applyUpdate(d, u.update);
  return d.getText('t').toString();
}

beforeAll(async () => {
  cluster = await startTestCluster(dbName);
  ready = cluster.ready;
  mongo = await connectMongo(requireEnv('MONGODB_URI'), dbName);
  await seedStandard(mongo.db, { id: ID, stage: 'drafting', step: 'drafting' });
  const res = await fetch(`${ready.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'sh-eco', password: DEMO_PASSWORD }) });
  expect(res.status).toBe(200);
  cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
});

afterAll(async () => {
  for (const c of clients) {
    c.tracker.destroy();
    c.provider.destroy();
    c.doc.destroy();
  }
  await cluster?.stop();
  await mongo?.db.dropDatabase().catch(() => undefined);
  await mongo?.close();
});

test('each process answers /readyz and the proxy serves pages', async () => {
  for (const p of ready.processes) {
    let body: { dependencies: { redis?: { up: boolean } } } | undefined;
    for (let i = 0; i < 50 && !body?.dependencies.redis?.up; i++) {
      const res = await fetch(`${p.url}/readyz`);
      expect(res.status).toBe(200);
      body = (await res.json()) as typeof body;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(body?.dependencies.redis?.up).toBe(true);
  }
  expect((await fetch(`${ready.url}/healthz`)).status).toBe(200);
});

test('two clients on different processes see each other’s edits; kill -9 of one process loses no acknowledged edit', async () => {
  // Round-robin without other traffic in between: consecutive sockets land on different processes.
  const a = connect();
  await synced(a);
  const b = connect();
  await synced(b);
  a.doc.getText('t').insert(0, '[a1]');
  await until(() => b.doc.getText('t').toString().includes('[a1]'), 10_000, 'b sees a');
  b.doc.getText('t').insert(0, '[b1]');
  await until(() => a.doc.getText('t').toString().includes('[b1]'), 10_000, 'a sees b');
  for (let i = 2; i <= 5; i++) {
    a.doc.getText('t').insert(0, `[a${i}]`);
    b.doc.getText('t').insert(0, `[b${i}]`);
  }
  await Promise.all([saved(a), saved(b)]);
  const acknowledged = ['a', 'b'].flatMap((w) => [1, 2, 3, 4, 5].map((i) => `[${w}${i}]`));
  // kill -9 of the first process mid-edit: its client reconnects through the proxy.
  process.kill(ready.processes[0].pid, 'SIGKILL');
  for (let i = 6; i <= 8; i++) {
    a.doc.getText('t').insert(0, `[a${i}]`);
    b.doc.getText('t').insert(0, `[b${i}]`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await Promise.all([saved(a), saved(b)]);
  await until(() => a.doc.getText('t').toString() === b.doc.getText('t').toString(), 20_000, 'convergence after the kill');
  const cold = await coldText();
  for (const token of [...acknowledged, '[a8]', '[b8]']) expect(cold.split(token).length - 1).toBe(1);
  expect(cold).toBe(a.doc.getText('t').toString());
});

test('a stage change with a permission refresh makes the sockets on both processes read-only within a second', async () => {
  const a = connect();
  await synced(a);
  const b = connect();
  await synced(b);
  await until(() => a.tracker.state.access === 'edit' && b.tracker.state.access === 'edit', 10_000, 'editable');
  await mongo.db.collection<{ _id: string }>('standards').updateOne({ _id: ID }, { $set: { stage: 'publicComment', step: 'open' } });
  const redis = new Redis(ready.redisUrl);
  try {
    const started = Date.now();
    // What the worker's process sends after the lifecycle's refreshCollabPermissions (its own sockets are
    // re-authorized directly); any process id that is not one of the apps'.
    await redis.publish('tongbiao:collab:permissions', `${'0'.repeat(32)}:${DOC}`);
    await until(() => a.tracker.state.access === 'read' && b.tracker.state.access === 'read', 1000, 'both read-only');
    expect(Date.now() - started).toBeLessThan(1000);
  } finally {
    await redis.quit();
  }
});

test('kill -9 of Redis: both processes keep acknowledging edits and converge when it is back', async () => {
  await seedStandard(mongo.db, { id: 'cluster-2', stage: 'drafting', step: 'drafting' });
  const doc = 'standard:cluster-2';
  const a = connect(doc);
  await synced(a);
  const b = connect(doc);
  await synced(b);
  a.doc.getText('t').insert(0, '[r0]');
  await until(() => b.doc.getText('t').toString() === '[r0]', 10_000, 'relay before the outage');
  const redis = new Redis(ready.redisUrl, { maxRetriesPerRequest: null });
  try {
    const info = await redis.info('server');
    const pid = Number(/process_id:(\d+)/.exec(info)?.[1]);
    process.kill(pid, 'SIGKILL');
    a.doc.getText('t').insert(0, '[ra]');
    b.doc.getText('t').insert(0, '[rb]');
    // Each process acknowledges its own client's edit (stored in MongoDB) while Redis is away.
    await Promise.all([saved(a), saved(b)]);
    await until(() => a.doc.getText('t').toString() === b.doc.getText('t').toString(), 30_000, 'convergence after Redis returned');
    expect(Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1])).not.toBe(pid);
  } finally {
    redis.disconnect();
  }
  const text = a.doc.getText('t').toString();
  for (const token of ['[r0]', '[ra]', '[rb]']) expect(text.split(token).length - 1).toBe(1);
  expect(await coldText(doc)).toBe(text);
});
