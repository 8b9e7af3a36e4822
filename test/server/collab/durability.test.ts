// kill -9 of the collaboration server while three writers type: every edit the server acknowledged
// (a `stored` answer to a save barrier) is in MongoDB after each crash, and after the writers reconnect
// everything converges.
import * as Y from 'yjs';
import { startServer } from '../../../bench/collab/harness';
import { freePort } from '../../../scripts/embedded/launcher';
import { createMongoDocumentStore } from '../../../activities/data/documents';
import { StoredStatus } from '../../../editor/collab/wire';
import { freshMongo, requireEnv } from '../../support/mongo';
import { connectClient, until, type TestClient } from './support';

jest.setTimeout(180_000);

interface Writer {
  client: TestClient;
  pushed: string[];
  /** Ids of edits covered by an answered barrier. */
  acknowledged: Set<string>;
  timer: NodeJS.Timeout;
}

function startWriter(url: string, docName: string, name: string): Writer {
  const client = connectClient(url, docName, name);
  const pushed: string[] = [];
  const acknowledged = new Set<string>();
  const coveredBy = new Map<number, number>();
  client.tracker.onBarrier((token) => coveredBy.set(token, pushed.length));
  client.tracker.onStored((token, status) => {
    const n = coveredBy.get(token);
    if (n === undefined || status !== StoredStatus.STORED) return;
    for (let i = 0; i < n; i++) acknowledged.add(pushed[i]);
  });
  const ops = client.doc.getArray<string>('ops');
  const text = client.doc.getText('text');
  const timer = setInterval(() => {
    const id = `${name}-${pushed.length}`;
    client.doc.transact(() => {
      ops.push([id]);
      text.insert(Math.floor(Math.random() * (text.length + 1)), `${name[0]}${pushed.length % 10}`);
    });
    pushed.push(id);
  }, 4);
  return { client, pushed, acknowledged, timer };
}

async function storedIds(db: Parameters<typeof createMongoDocumentStore>[0], docName: string): Promise<Set<string>> {
  const loaded = await createMongoDocumentStore(db).load(docName);
  const doc = new Y.Doc();
  if (loaded.snapshot) Y.applyUpdate(doc, loaded.snapshot);
  for (const u of loaded.updates) Y.applyUpdate(doc, u.update);
  const ids = new Set(doc.getArray<string>('ops').toArray());
  doc.destroy();
  return ids;
}

test('every acknowledged edit survives repeated kill -9 of the server while three writers type', async () => {
  const mongo = await freshMongo('collabkill');
  const port = await freePort();
  const url = `ws://127.0.0.1:${port}/collab`;
  const docName = 'standard:kill9';
  let server = await startServer('ours', port, requireEnv('MONGODB_URI'), mongo.db.databaseName);
  const writers = ['sh', 'js', 'zj'].map((n) => startWriter(url, docName, n));
  try {
    const trials = 4;
    for (let trial = 0; trial < trials; trial++) {
      await until(() => writers.every((w) => w.client.provider.synced), 30_000, 'writers synced');
      const before = writers.map((w) => w.acknowledged.size);
      // Type for a while, until every writer has had new edits acknowledged, then crash mid-stream.
      await new Promise((r) => setTimeout(r, 800));
      await until(() => writers.every((w, i) => w.acknowledged.size > before[i]), 30_000, 'new acknowledgements');
      await server.kill9();
      const acknowledged = writers.flatMap((w) => [...w.acknowledged]);
      const stored = await storedIds(mongo.db, docName);
      const lost = acknowledged.filter((id) => !stored.has(id));
      expect({ trial, lost }).toEqual({ trial, lost: [] });
      // The writers keep typing offline for a moment before the server comes back.
      await new Promise((r) => setTimeout(r, 200));
      server = await startServer('ours', port, requireEnv('MONGODB_URI'), mongo.db.databaseName);
    }
    for (const w of writers) clearInterval(w.timer);
    await Promise.all(writers.map((w) => w.client.saved(30_000)));
    // After reconnecting, every edit ever made (acknowledged or not) is stored, and all replicas agree.
    const stored = await storedIds(mongo.db, docName);
    const everything = writers.flatMap((w) => w.pushed);
    expect(everything.filter((id) => !stored.has(id))).toEqual([]);
    const texts = writers.map((w) => w.client.doc.getText('text').toString());
    expect(new Set(texts).size).toBe(1);
    expect(writers[0].acknowledged.size).toBeGreaterThan(50);
  } finally {
    for (const w of writers) {
      clearInterval(w.timer);
      w.client.destroy();
    }
    await server.kill9();
    await mongo.drop();
  }
});
