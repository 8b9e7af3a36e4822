// Presence (awareness) is relayed coalesced and cleaned up on leave; a consumer that stops reading is
// closed as slow; idle documents are unloaded and come back from MongoDB.
import * as Y from 'yjs';
import { CloseCode } from '../../../editor/collab/close-codes';
import { MessageType } from '../../../editor/collab/wire';
import { freshMongo } from '../../support/mongo';
import { connectClient, openRaw, startCollab, until } from './support';

jest.setTimeout(60_000);

let mongo: Awaited<ReturnType<typeof freshMongo>>;
beforeAll(async () => {
  mongo = await freshMongo('collabpresence');
});
afterAll(async () => {
  await mongo.drop();
});

test('cursor updates of many users reach everyone in coalesced frames, and a user who leaves disappears', async () => {
  const srv = await startCollab(mongo.db, { awarenessFlushMs: 50 });
  const clients = Array.from({ length: 8 }, (_, i) => connectClient(srv.url, 'standard:presence', `${['sh', 'js', 'zj'][i % 3]}-${i}`));
  const watcher = openRaw(srv.port, 'standard:presence', 'sh-watcher');
  try {
    await Promise.all(clients.map((c) => c.synced()));
    await watcher.opened;
    const framesBefore = watcher.messages.filter((m) => m[0] === MessageType.AWARENESS).length;
    // Every user moves the cursor 10 times in quick succession: 80 awareness changes.
    for (let k = 0; k < 10; k++) {
      clients.forEach((c, i) => c.provider.awareness.setLocalStateField('cursor', { user: i, at: k }));
      await new Promise((r) => setTimeout(r, 5));
    }
    await until(
      () => clients.every((c) => [...c.provider.awareness.getStates().values()].filter((s) => (s as { cursor?: { at: number } }).cursor?.at === 9).length === 8),
      10_000,
      'everyone sees everyone at the last position',
    );
    const frames = watcher.messages.filter((m) => m[0] === MessageType.AWARENESS).length - framesBefore;
    // Coalesced: far fewer frames than the 80 changes (one per window, not one per change).
    expect(frames).toBeGreaterThan(0);
    expect(frames).toBeLessThan(40);

    const leaving = clients.pop()!;
    const id = leaving.doc.clientID;
    leaving.destroy();
    await until(() => clients.every((c) => !c.provider.awareness.getStates().has(id)), 10_000, 'the leaver is gone');
  } finally {
    clients.forEach((c) => c.destroy());
    watcher.ws.terminate();
    await srv.close();
  }
});

test('a client that stops reading is closed as a slow consumer while the others carry on', async () => {
  const codes: number[] = [];
  const srv = await startCollab(mongo.db, { maxBufferedBytes: 256 * 1024 }, { extensions: [{ name: 'codes', onDisconnect: ({ connection, code }) => void (connection.principal.userId === 'sh-slow' && codes.push(code)) }] });
  const writer = connectClient(srv.url, 'standard:slow', 'sh-writer');
  const reader = connectClient(srv.url, 'standard:slow', 'js-reader');
  const slow = openRaw(srv.port, 'standard:slow', 'sh-slow');
  try {
    await Promise.all([writer.synced(), reader.synced(), slow.opened]);
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const text = writer.doc.getText('t');
    const chunk = '标'.repeat(20_000);
    for (let i = 0; i < 300 && codes.length === 0; i++) {
      text.insert(text.length, chunk);
      await new Promise((r) => setTimeout(r, 5));
    }
    await until(() => codes.length > 0, 20_000, 'slow consumer closed');
    expect(codes[0]).toBe(CloseCode.SLOW_CONSUMER);
    await writer.saved(30_000);
    await until(() => reader.doc.getText('t').length === text.length, 20_000, 'reader caught up');
  } finally {
    writer.destroy();
    reader.destroy();
    slow.ws.terminate();
    await srv.close();
  }
});

test('a document nobody has open is unloaded after the idle delay and reloads with its content', async () => {
  const srv = await startCollab(mongo.db, { idleUnloadMs: 200 });
  try {
    const a = connectClient(srv.url, 'standard:idle', 'sh-a');
    await a.synced();
    a.doc.getMap('meta').set('title', '水污染物排放标准');
    await a.saved();
    expect(srv.collab.stats().documents).toBe(1);
    a.destroy();
    await until(() => srv.collab.stats().documents === 0, 5000, 'unloaded');
    const b = connectClient(srv.url, 'standard:idle', 'js-b');
    await b.synced();
    expect(b.doc.getMap('meta').get('title')).toBe('水污染物排放标准');
    // Editing the reloaded document works: the Y.Doc is built from the stored bytes on the first edit.
    b.doc.getMap('meta').set('status', 'drafting');
    await b.saved();
    const server = await srv.collab.getDoc('standard:idle');
    expect(server.getMap('meta').toJSON()).toEqual({ title: '水污染物排放标准', status: 'drafting' });
    b.destroy();
  } finally {
    await srv.close();
  }
});

test('getDoc edits made on the server reach connected clients and are stored', async () => {
  const srv = await startCollab(mongo.db);
  try {
    const a = connectClient(srv.url, 'standard:server-edit', 'sh-a');
    await a.synced();
    const doc = await srv.collab.getDoc('standard:server-edit');
    doc.getArray<string>('log').push(['from the server']);
    await srv.collab.flush('standard:server-edit');
    await until(() => a.doc.getArray('log').length === 1, 5000, 'relayed');
    a.destroy();
  } finally {
    await srv.close();
  }
  const srv2 = await startCollab(mongo.db);
  const reloaded = await srv2.collab.getDoc('standard:server-edit');
  expect(reloaded.getArray('log').toArray()).toEqual(['from the server']);
  expect(Y.encodeStateVector(reloaded).length).toBeGreaterThan(1);
  await srv2.close();
});
