// The comments router creates its indexes at start-up and holds requests until they exist. When the store is
// away at that moment (the soak killed FerretDB while the app started), the failure must not be kept: once
// the store answers again, the next request creates the indexes and is served. The store is reached through a
// TCP relay that this test opens only after the first request.
import { once } from 'node:events';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import http from 'node:http';
import express from 'express';
import { MongoClient } from 'mongodb';
import { createLogger } from '../../../activities/infra/logger';
import { createCommentsRouter } from '../../../server/comments/router';
import { createErrorMiddleware } from '../../../server/http/error-middleware';
import { freePort } from '../../../scripts/embedded/launcher';
import { requireEnv } from '../../support/mongo';

jest.setTimeout(60_000);

test('a store that was away when the router started: the next request after it returns is served', async () => {
  const upstream = new URL(requireEnv('MONGODB_URI'));
  const relayPort = await freePort();
  const sockets = new Set<net.Socket>();
  const relay = net.createServer((socket) => {
    const up = net.connect(Number(upstream.port || 27017), upstream.hostname);
    sockets.add(socket).add(up);
    socket.pipe(up).pipe(socket);
    socket.on('error', () => up.destroy());
    up.on('error', () => socket.destroy());
  });
  relay.listen(relayPort, '127.0.0.1');
  await once(relay, 'listening');
  // Connected first, as the app is at start-up; then the store goes away.
  const client = await MongoClient.connect(`mongodb://127.0.0.1:${relayPort}/`, { serverSelectionTimeoutMS: 500, directConnection: true });
  relay.close();
  for (const s of sockets) s.destroy();
  const dbName = `t_routerready_${Date.now().toString(36)}`;
  const app = express();
  app.use(createCommentsRouter({ db: client.db(dbName), logger: createLogger('router-ready-test') }));
  app.use(createErrorMiddleware(createLogger('router-ready-test')));
  const server = http.createServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const closers: Array<() => void> = [];
  try {
    // The store is away: answered as unavailable, not served.
    const away = await fetch(`${base}/api/consultation/receipts/ZZZZZ-ZZZZZ`, { headers: { accept: 'application/json' } });
    expect(away.status).toBe(503);
    const back = net.createServer((socket) => {
      const up = net.connect(Number(upstream.port || 27017), upstream.hostname);
      socket.pipe(up).pipe(socket);
      socket.on('error', () => up.destroy());
      up.on('error', () => socket.destroy());
    });
    closers.push(() => back.close());
    back.listen(relayPort, '127.0.0.1');
    await once(back, 'listening');
    // Back: served without a restart of the router.
    // (A receipt code nobody holds: the router's own answer, a 404, once it can read the store.)
    let status = 0;
    for (let i = 0; i < 20 && status !== 404; i++) {
      status = (await fetch(`${base}/api/consultation/receipts/ZZZZZ-ZZZZZ`, { headers: { accept: 'application/json' } })).status;
      if (status !== 404) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(404);
    const names = (await client.db(dbName).collection('comments').indexes()).map((i) => i.name);
    expect(names.length).toBeGreaterThan(1);
  } finally {
    server.close();
    for (const c of closers) c();
    await client.db(dbName).dropDatabase().catch(() => undefined);
    await client.close();
  }
});
