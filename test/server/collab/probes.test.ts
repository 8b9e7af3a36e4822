// WebSocket probes: each bad connection is refused with its named close code, read-only sockets cannot
// change the document, and the server keeps serving a healthy client throughout.
import net from 'node:net';
import * as Y from 'yjs';
import { CloseCode } from '../../../editor/collab/close-codes';
import { encodeAwareness, encodeSyncUpdate, MessageType } from '../../../editor/collab/wire';
import { freshMongo } from '../../support/mongo';
import { connectClient, openRaw, startCollab, until, type TestClient, type TestCollab } from './support';

let mongo: Awaited<ReturnType<typeof freshMongo>>;
let srv: TestCollab;
let healthy: TestClient;
let watcher: TestClient;

beforeAll(async () => {
  mongo = await freshMongo('collabprobes');
  srv = await startCollab(mongo.db, { maxMessageBytes: 2 * 1024 * 1024, connectionBurstPerAddress: 1000, connectionsPerSecondPerAddress: 1000 });
  healthy = connectClient(srv.url, 'standard:healthy', 'sh-drafter');
  watcher = connectClient(srv.url, 'standard:healthy', 'zj-drafter');
  await Promise.all([healthy.synced(), watcher.synced()]);
});

afterAll(async () => {
  healthy.destroy();
  watcher.destroy();
  await srv.close();
  await mongo.drop();
});

/** The healthy pair still co-edits: an edit by one reaches the other and is stored. */
async function expectServerStillServes(): Promise<void> {
  const marker = `alive-${Math.random()}`;
  healthy.doc.getArray<string>('log').push([marker]);
  await until(() => watcher.doc.getArray<string>('log').toArray().includes(marker), 10_000, 'edit relayed');
  await healthy.saved();
}

test('a connection without a session is closed with 4401 Unauthorized', async () => {
  const s = openRaw(srv.port, 'standard:healthy');
  expect((await s.closed).code).toBe(CloseCode.UNAUTHORIZED);
  await expectServerStillServes();
});

test('a drafter of another province on a document they may not open is closed with 4403 Forbidden', async () => {
  srv.permissions.set('zj-other@standard:sh-only', 'none');
  const s = openRaw(srv.port, 'standard:sh-only', 'zj-other');
  expect((await s.closed).code).toBe(CloseCode.FORBIDDEN);
  await expectServerStillServes();
});

test('a document the application does not know is closed with 4404', async () => {
  const s = openRaw(srv.port, 'missing-standard', 'sh-drafter');
  expect((await s.closed).code).toBe(CloseCode.UNKNOWN_DOCUMENT);
});

test('random and malformed document names are refused with 4404 and never create a document', async () => {
  const names = ['', '..%2F..%2Fetc', '%E4%B8%AD%E6%96%87', 'a'.repeat(101), 'x%20y', '%ZZ', 'a/b', 'std;drop', encodeURIComponent('{"$gt":""}')];
  for (let i = 0; i < 20; i++) names.push(encodeURIComponent(String.fromCharCode(...Array.from({ length: 1 + (i % 7) }, () => 33 + Math.floor(Math.random() * 90)))) + '%00');
  const results = await Promise.all(names.map((n) => openRaw(srv.port, n, 'sh-drafter').closed));
  for (const r of results) expect(r.code).toBe(CloseCode.UNKNOWN_DOCUMENT);
  const stored = await mongo.db.collection('collabUpdates').distinct('doc');
  expect(stored.every((d: string) => /^[A-Za-z0-9_:-]{1,100}$/.test(d))).toBe(true);
  await expectServerStillServes();
});

test('a read-only user sending updates has them neither applied nor relayed, and is told so', async () => {
  const reader = connectClient(srv.url, 'standard:healthy', 'reader-1');
  await reader.synced();
  await until(() => reader.tracker.state.access === 'read', 5000, 'access announced');
  const answers = new Map<number, number>();
  reader.tracker.onStored((t, status) => answers.set(t, status));
  reader.doc.getArray<string>('log').push(['written-by-reader']);
  const token = reader.tracker.barrier();
  expect(token).not.toBeNull();
  await until(() => answers.has(token!), 5000, 'barrier answered');
  expect(answers.get(token!)).toBe(1);
  // A later edit by a writer does arrive, so relaying works; the reader's edit must not have.
  await expectServerStillServes();
  expect(watcher.doc.getArray<string>('log').toArray()).not.toContain('written-by-reader');
  const serverDoc = await srv.collab.getDoc('standard:healthy');
  expect(serverDoc.getArray<string>('log').toArray()).not.toContain('written-by-reader');
  reader.destroy();
});

test('a raw read-only socket pushing a crafted update changes nothing on the server', async () => {
  const s = openRaw(srv.port, 'standard:healthy', 'reader-2');
  await s.opened;
  const evil = new Y.Doc();
  evil.getArray<string>('log').push(['crafted']);
  s.ws.send(encodeSyncUpdate(Y.encodeStateAsUpdate(evil)));
  s.ws.send(encodeAwareness(new Uint8Array([0])));
  await expectServerStillServes();
  const serverDoc = await srv.collab.getDoc('standard:healthy');
  expect(serverDoc.getArray<string>('log').toArray()).not.toContain('crafted');
  s.ws.close();
});

test('a 20 MB frame is refused with 1009 Message too big', async () => {
  const s = openRaw(srv.port, 'standard:healthy', 'sh-big');
  await s.opened;
  s.ws.send(new Uint8Array(20 * 1024 * 1024));
  expect((await s.closed).code).toBe(CloseCode.MESSAGE_TOO_BIG);
  await expectServerStillServes();
});

test('a flood of messages right after connecting is cut off with 4429 and the document is unharmed', async () => {
  const s = openRaw(srv.port, 'standard:flooded', 'sh-flooder');
  await s.opened;
  const junk = encodeAwareness(new Uint8Array([0]));
  for (let i = 0; i < 6000; i++) s.ws.send(junk);
  expect((await s.closed).code).toBe(CloseCode.TOO_MANY);
  await expectServerStillServes();
});

test('bytes flooded before authentication finishes are never read and the socket is refused', async () => {
  // A raw TCP client sends an upgrade without a session followed by 5 MB of garbage at once.
  const sock = net.connect(srv.port, '127.0.0.1');
  await new Promise<void>((r) => sock.once('connect', () => r()));
  let answer = '';
  sock.on('data', (d) => (answer += d.toString('latin1')));
  const closed = new Promise<void>((r) => sock.on('close', () => r()));
  sock.on('error', () => undefined);
  sock.write(
    'GET /collab/standard:healthy HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  sock.write(Buffer.alloc(5 * 1024 * 1024, 0x41));
  await closed;
  expect(answer).toMatch(/^HTTP\/1.1 101/);
  // Right after the 101 answer comes a close frame (0x88) carrying 4401 (0x1131), before any flooded byte is read.
  const frame = answer.slice(answer.indexOf('\r\n\r\n') + 4);
  expect([frame.charCodeAt(0), frame.charCodeAt(2), frame.charCodeAt(3)]).toEqual([0x88, 0x11, 0x31]);
  await expectServerStillServes();
});

test('a socket that is not a y-websocket peer is closed with 4400 on its first bad message', async () => {
  const s = openRaw(srv.port, 'standard:healthy', 'sh-garbage');
  await s.opened;
  s.ws.send(new Uint8Array([MessageType.SYNC, 2, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]));
  expect((await s.closed).code).toBe(CloseCode.BAD_MESSAGE);
  const t = openRaw(srv.port, 'standard:healthy', 'sh-text');
  await t.opened;
  t.ws.send('hello');
  expect((await t.closed).code).toBe(CloseCode.BAD_MESSAGE);
  await expectServerStillServes();
});

test('too many new connections from one address are refused with 4429', async () => {
  const limited = await startCollab(mongo.db, { connectionBurstPerAddress: 5, connectionsPerSecondPerAddress: 1 });
  const sockets = Array.from({ length: 12 }, (_, i) => openRaw(limited.port, 'standard:rate', `sh-${i}`));
  const codes = await Promise.all(
    sockets.map(async (s) => {
      const r = await Promise.race([s.closed, new Promise<{ code: number }>((res) => setTimeout(() => res({ code: -1 }), 1500))]);
      s.ws.terminate();
      return r.code;
    }),
  );
  expect(codes.filter((c) => c === CloseCode.TOO_MANY).length).toBeGreaterThanOrEqual(6);
  expect(codes.filter((c) => c === -1).length).toBeGreaterThanOrEqual(1);
  await limited.close();
});

test('refreshPermissions turns live editors read-only, then editable again, and closes users who lost access', async () => {
  const a = connectClient(srv.url, 'standard:stage', 'sh-a');
  const b = connectClient(srv.url, 'standard:stage', 'sh-b');
  await Promise.all([a.synced(), b.synced()]);
  await until(() => a.tracker.state.access === 'edit' && b.tracker.state.access === 'edit');
  srv.permissions.set('sh-a@standard:stage', 'read');
  srv.permissions.set('sh-b@standard:stage', 'none');
  const bClosed = new Promise<number>((r) => b.provider.on('connection-close', (e) => r((e as { code: number } | null)?.code ?? 0)));
  await srv.collab.refreshPermissions('standard:stage');
  await until(() => a.tracker.state.access === 'read', 5000, 'a read-only');
  expect(await bClosed).toBe(CloseCode.FORBIDDEN);
  b.destroy();
  a.doc.getText('t').insert(0, 'frozen?');
  await new Promise((r) => setTimeout(r, 300));
  expect((await srv.collab.getDoc('standard:stage')).getText('t').toString()).toBe('');
  srv.permissions.set('sh-a@standard:stage', 'edit');
  await srv.collab.refreshPermissions('standard:stage');
  await until(() => a.tracker.state.access === 'edit', 5000, 'a editable');
  a.doc.getText('t').insert(0, 'again ');
  await a.saved();
  // Becoming editable resynchronises: the edit refused while read-only arrives now, so nobody diverges.
  const serverText = (await srv.collab.getDoc('standard:stage')).getText('t');
  await until(() => serverText.toString() === a.doc.getText('t').toString(), 5000, 'resync after unfreeze');
  expect(serverText.toString()).toBe('again frozen?');
  a.destroy();
});
