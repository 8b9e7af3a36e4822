// Randomized convergence: many y-websocket clients make random concurrent structural and text edits
// (clauses inserted, moved by delete+insert, split; text typed, deleted, formatted; attributes set), some
// drop off and come back; at the end every replica is equal, and equal to a cold reload from MongoDB.
// Also: compaction keeps the stored log short, so load time stays flat as edits accumulate.
import * as Y from 'yjs';
import { createMongoDocumentStore } from '../../../activities/data/documents';
import { freshMongo } from '../../support/mongo';
import { connectClient, startCollab, until, type TestClient } from './support';
import { prng } from '../../support/prng';

jest.setTimeout(120_000);

let mongo: Awaited<ReturnType<typeof freshMongo>>;
beforeAll(async () => {
  mongo = await freshMongo('collabconv');
});
afterAll(async () => {
  await mongo.drop();
});

const WORDS = ['范围', '术语', '定义', '要求', '试验方法', 'pH', '限值', '注', '示例', 'mg/L', '——', 'a)'];

function randomEdit(doc: Y.Doc, rnd: () => number, who: string): void {
  const body = doc.getXmlFragment('prosemirror');
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const clauses = body.toArray().filter((n): n is Y.XmlElement => n instanceof Y.XmlElement);
  const r = rnd();
  doc.transact(() => {
    if (clauses.length < 3 || r < 0.15) {
      const clause = new Y.XmlElement('clause');
      clause.setAttribute('id', `${who}-${Math.floor(rnd() * 1e9)}`);
      const heading = new Y.XmlText();
      heading.insert(0, pick(WORDS));
      const para = new Y.XmlElement('paragraph');
      para.insert(0, [new Y.XmlText(pick(WORDS))]);
      clause.insert(0, [heading, para]);
      body.insert(Math.floor(rnd() * (body.length + 1)), [clause]);
    } else if (r < 0.22) {
      body.delete(Math.floor(rnd() * body.length), 1);
    } else if (r < 0.27) {
      const c = pick(clauses);
      c.setAttribute('level', String(1 + Math.floor(rnd() * 5)));
    } else if (r < 0.32) {
      // A paragraph added inside a clause (structure nested two deep).
      const c = pick(clauses);
      const para = new Y.XmlElement('paragraph');
      para.insert(0, [new Y.XmlText(pick(WORDS))]);
      c.insert(Math.floor(rnd() * (c.length + 1)), [para]);
    } else {
      const c = pick(clauses);
      const texts: Y.XmlText[] = [];
      c.toArray().forEach((n) => {
        if (n instanceof Y.XmlText) texts.push(n);
        else if (n instanceof Y.XmlElement) n.toArray().forEach((m) => m instanceof Y.XmlText && texts.push(m));
      });
      if (texts.length === 0) return;
      const t = pick(texts);
      const q = rnd();
      if (q < 0.6 || t.length === 0) t.insert(Math.floor(rnd() * (t.length + 1)), pick(WORDS));
      else if (q < 0.85) t.delete(Math.floor(rnd() * t.length), 1 + Math.floor(rnd() * Math.min(3, t.length)));
      else t.format(0, Math.min(2, t.length), { strong: true });
    }
  });
}

function fingerprint(doc: Y.Doc): string {
  return doc.getXmlFragment('prosemirror').toString();
}

test('many clients editing structure and text at random converge, and equal a cold reload from MongoDB', async () => {
  const seed = Number(process.env.COLLAB_SEED ?? Date.now() % 100000);
  const rnd = prng(seed);
  const srv = await startCollab(mongo.db, { compactAfterUpdates: 5, idleUnloadMs: 200 });
  const docName = `standard:conv${seed}`;
  const clients: TestClient[] = Array.from({ length: 12 }, (_, i) => connectClient(srv.url, docName, `${['sh', 'js', 'zj'][i % 3]}-${i}`));
  try {
    await Promise.all(clients.map((c) => c.synced()));
    for (let round = 0; round < 40; round++) {
      for (const [i, c] of clients.entries()) {
        const edits = 1 + Math.floor(rnd() * 4);
        for (let k = 0; k < edits; k++) randomEdit(c.doc, rnd, `c${i}`);
      }
      // Now and then a client goes offline, keeps editing, and comes back.
      if (round % 6 === 2) {
        const c = clients[Math.floor(rnd() * clients.length)];
        c.provider.disconnect();
        for (let k = 0; k < 5; k++) randomEdit(c.doc, rnd, 'offline');
        setTimeout(() => c.provider.connect(), 150);
      }
      await new Promise((r) => setTimeout(r, 5 + Math.floor(rnd() * 20)));
    }
    await until(() => clients.every((c) => c.provider.synced), 20_000, 'all reconnected');
    await Promise.all(clients.map((c) => c.saved(20_000)));
    const expected = fingerprint(clients[0].doc);
    await until(() => clients.every((c) => fingerprint(c.doc) === expected), 20_000, `convergence (seed ${seed})`);
    expect(expected.length).toBeGreaterThan(200);
    const vectors = new Set(clients.map((c) => Buffer.from(Y.encodeStateVector(c.doc)).toString('hex')));
    expect(vectors.size).toBe(1);

    // Cold reload: a new Y.Doc from the stored snapshot and log only.
    const loaded = await createMongoDocumentStore(mongo.db).load(docName);
    const cold = new Y.Doc();
    if (loaded.snapshot) Y.applyUpdate(cold, loaded.snapshot);
    for (const u of loaded.updates) Y.applyUpdate(cold, u.update);
    expect(fingerprint(cold)).toBe(expected);
  } finally {
    clients.forEach((c) => c.destroy());
    await srv.close();
  }
  // Closing wrote the document back as one snapshot, with nothing left in the log.
  const compacted = await createMongoDocumentStore(mongo.db).load(docName);
  expect(compacted.snapshot).not.toBeNull();
  expect(compacted.updates).toHaveLength(0);
  // After every client left and the server wrote the document back, a fresh client loads the same document.
  const srv2 = await startCollab(mongo.db);
  const late = connectClient(srv2.url, docName, 'sh-late');
  await late.synced();
  const reloaded = late.doc.getXmlFragment('prosemirror').toString();
  late.destroy();
  await srv2.close();
  expect(reloaded.length).toBeGreaterThan(200);
});

test('compaction keeps the stored log short, so load time stays flat as edits accumulate', async () => {
  let batches = 0;
  let compactions = 0;
  const srv = await startCollab(mongo.db, { compactAfterUpdates: 20 }, {
    extensions: [{ name: 'count', onStored: () => void (batches += 1), onCompact: () => void (compactions += 1) }],
  });
  const docName = 'standard:compaction';
  const writer = connectClient(srv.url, docName, 'sh-writer');
  const store = createMongoDocumentStore(mongo.db);
  const loadTimes: number[] = [];
  const rowCounts: number[] = [];
  try {
    await writer.synced();
    const text = writer.doc.getText('body');
    for (let phase = 0; phase < 4; phase++) {
      for (let i = 0; i < 600; i++) {
        text.insert(Math.floor(Math.random() * (text.length + 1)), '标准');
        // Waiting for "saved" every 20 edits makes each chunk its own stored batch.
        if (i % 20 === 19) await writer.saved();
      }
      await writer.saved();
      await new Promise((r) => setTimeout(r, 300));
      // Median of three cold loads, to damp the noise of a shared machine.
      const times: number[] = [];
      let loaded = await store.load(docName);
      let doc = new Y.Doc();
      for (let k = 0; k < 3; k++) {
        const started = performance.now();
        loaded = await store.load(docName);
        doc = new Y.Doc();
        if (loaded.snapshot) Y.applyUpdate(doc, loaded.snapshot);
        for (const u of loaded.updates) Y.applyUpdate(doc, u.update);
        times.push(performance.now() - started);
      }
      loadTimes.push(times.sort((a, b) => a - b)[1]);
      rowCounts.push(loaded.updates.length);
      expect(doc.getText('body').toString()).toBe(text.toString());
    }
  } finally {
    writer.destroy();
    await srv.close();
  }
  expect(batches).toBeGreaterThanOrEqual(120);
  expect(compactions).toBeGreaterThanOrEqual(4);
  // The log never holds much more than one compaction interval, whatever the number of edits so far.
  for (const n of rowCounts) expect(n).toBeLessThanOrEqual(40);
  // 2 400 edits load about as fast as 600 (generous bound: timing on a shared, loaded machine; the row
  // bound above is the property that keeps it so).
  expect(loadTimes[3]).toBeLessThan(Math.max(4 * loadTimes[0], loadTimes[0] + 250));
});
