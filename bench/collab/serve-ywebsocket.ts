// Runs the y-websocket reference server (y-websocket@2 `bin/utils` setupWSConnection) for the benchmark,
// with a MongoDB persistence built like its y-leveldb one: every update is inserted as it happens,
// without waiting (the reference has no acknowledgement), and a document is loaded in the background
// while clients are already connected (bindState is not awaited by the reference).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Binary } from 'mongodb';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { connectMongo } from '../../activities/infra/mongo';
import { binaryBytes } from '../../activities/data/documents';
import { startProbe } from './probe';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const utils = require('y-websocket/bin/utils') as {
  setupWSConnection(conn: unknown, req: http.IncomingMessage, opts?: { docName?: string; gc?: boolean }): void;
  setPersistence(p: { provider: unknown; bindState(name: string, doc: Y.Doc): Promise<void>; writeState(name: string, doc: Y.Doc): Promise<void> }): void;
  getYDoc(name: string): Y.Doc;
};

import { YWS_COLLECTION } from './harness';

async function main(): Promise<void> {
  const mongo = await connectMongo(process.env.MONGODB_URI!, process.env.COLLAB_DB ?? 'collab_bench_yws', { onUnacknowledgedWrite: 'throw' });
  const col = mongo.db.collection<{ doc: string; update: Binary }>(YWS_COLLECTION);
  await col.createIndex({ doc: 1 });
  const bound = new Map<string, Promise<void>>();
  utils.setPersistence({
    provider: null,
    bindState: (name, ydoc) => {
      const p = (async () => {
        const rows = await col.find({ doc: name }).toArray();
        const persisted = new Y.Doc();
        persisted.transact(() => rows.forEach((r) => Y.applyUpdate(persisted, binaryBytes(r.update))));
        const newUpdates = Y.encodeStateAsUpdate(ydoc);
        if (newUpdates.byteLength > 2) void col.insertOne({ doc: name, update: new Binary(newUpdates) });
        Y.applyUpdate(ydoc, Y.encodeStateAsUpdate(persisted));
        persisted.destroy();
        ydoc.on('update', (u: Uint8Array) => void col.insertOne({ doc: name, update: new Binary(u) }));
      })();
      bound.set(name, p);
      return p;
    },
    writeState: async () => undefined,
  });
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const server = http.createServer((req, res) => {
    const loadDoc = async (name: string) => {
      utils.getYDoc(name);
      await bound.get(name);
    };
    if (startProbe(req, res, { loadDoc })) return;
    res.writeHead(404).end();
  });
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      const docName = decodeURIComponent((req.url ?? '/').slice(1).split('?')[0]);
      utils.setupWSConnection(ws, req, { docName });
    });
  });
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    process.stdout.write(`${JSON.stringify({ ready: true, port, pid: process.pid })}\n`);
  });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
