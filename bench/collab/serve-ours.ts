// Runs Tongbiao's collaboration server alone in this process (for the benchmark and the kill -9 test):
// http on 127.0.0.1:PORT (0 = any), MongoDB from MONGODB_URI / COLLAB_DB, every `?user=` may edit.
// Prints one JSON line `{"ready":true,"port":N,"pid":P}` on stdout once listening. With REDIS_URL it relays
// through Redis like an app process of `npm run start:cluster` (bench/collab-cluster.ts).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { connectMongo } from '../../activities/infra/mongo';
import { createCollabServer } from '../../server/collab/server';
import { collabLimitsSchema } from '../../server/collab/types';
import { createRedisRelay } from '../../server/collab/redis-relay';
import { createLogger } from '../../activities/infra/logger';
import { startProbe } from './probe';
import { benchSuggestGuard } from '../collab-suggest-guard';

async function main(): Promise<void> {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is required');
  const mongo = await connectMongo(uri, process.env.COLLAB_DB ?? 'collab_bench', { onUnacknowledgedWrite: 'throw' });
  const limits = collabLimitsSchema.partial().parse(JSON.parse(process.env.COLLAB_LIMITS ?? '{}'));
  const relay = process.env.REDIS_URL ? createRedisRelay({ url: process.env.REDIS_URL, logger: createLogger('bench-relay') }) : undefined;
  const collab = createCollabServer({
    ...(relay ? { relay } : {}),
    db: mongo.db,
    limits: { connectionBurstPerAddress: 100_000, connectionsPerSecondPerAddress: 100_000, ...limits },
    authenticate: (req) => {
      const user = new URL(req.url ?? '/', 'http://x').searchParams.get('user');
      return user ? { userId: user, displayName: user } : null;
    },
    authorize: () => 'edit',
    // bench/collab-suggest.ts: users named sugg* are suggest-only, their updates checked as the app does.
    ...(process.env.BENCH_SUGGEST_GUARD === '1' ? { updateGuard: benchSuggestGuard().guard } : {}),
  });
  const server = http.createServer((req, res) => {
    if (startProbe(req, res, { loadDoc: (name) => collab.getDoc(name) })) return;
    res.writeHead(404).end();
  });
  server.on('upgrade', (req, socket, head) => {
    if (!collab.handleUpgrade(req, socket, head)) socket.destroy();
  });
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    process.stdout.write(`${JSON.stringify({ ready: true, port, pid: process.pid })}\n`);
  });
  const stop = async (): Promise<void> => {
    await collab.close();
    await relay?.close();
    server.close();
    await mongo.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
