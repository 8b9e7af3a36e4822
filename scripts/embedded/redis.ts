// The embedded Redis for running several app processes (npm run start:cluster, the cross-process tests):
// Debian's redis-server on loopback, started and kept alive by the same supervisor as Temporal and
// FerretDB (scripts/embedded/supervisor.ts: restarted on exit or when it stops answering, same port and
// data directory). Redis only relays (co-editing pub/sub) and counts rate limits; everything durable is in
// MongoDB, so it runs without persistence. A configured REDIS_URL starts nothing.
import { existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort } from './launcher';
import { SupervisedServer, type SupervisionTuning } from './supervisor';

export const REDIS_SERVER_BIN = '/usr/bin/redis-server';

export interface EmbeddedRedis {
  url: string;
  port: number;
  /** The supervised process (null when REDIS_URL was given). */
  server: SupervisedServer | null;
  stop(): Promise<void>;
}

/** One PING over a raw socket: true when the server answers +PONG within the timeout. */
export function redisAnswers(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

export async function launchEmbeddedRedis(opts: { dataDir: string; redisUrl?: string; port?: number; supervision?: Partial<SupervisionTuning> }): Promise<EmbeddedRedis> {
  if (opts.redisUrl) {
    const port = Number(new URL(opts.redisUrl).port || 6379);
    return { url: opts.redisUrl, port, server: null, stop: async () => undefined };
  }
  if (!existsSync(REDIS_SERVER_BIN)) {
    throw new Error(`${REDIS_SERVER_BIN} is missing: apt-get install -y redis-server (or set REDIS_URL)`);
  }
  const port = opts.port || (await freePort());
  const dir = path.join(opts.dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--protected-mode', 'yes', '--loglevel', 'warning'];
  const server = new SupervisedServer(
    { name: 'redis', bin: REDIS_SERVER_BIN, args, port, dataArg: dir, logFile: path.join(opts.dataDir, 'redis.log'), pidFile: path.join(opts.dataDir, 'redis.pid'), probe: () => redisAnswers(port) },
    opts.supervision,
  );
  await server.start();
  return { url: `redis://127.0.0.1:${port}`, port, server, stop: () => server.stop() };
}
