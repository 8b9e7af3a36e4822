// `npm run start:cluster -- --processes N`: Tongbiao as several app processes behind one address, on one
// machine. Starts the embedded Temporal and FerretDB once (or uses TEMPORAL_ADDRESS / MONGODB_URI), Redis
// (Debian's redis-server, supervised; or REDIS_URL), N app processes (scripts/start.ts each, on their own
// loopback port, all with the same session secret, REDIS_URL and PUBLIC_URL) and the round-robin proxy of
// scripts/cluster-proxy.ts on PORT. A process that exits is started again on its port. Prints the URLs,
// and one `CLUSTER-READY {json}` line for scripts and tests. Ctrl-C stops everything.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { z } from 'zod';
import { DefaultLogger, Runtime as TemporalRuntime } from '@temporalio/worker';
import { ensureUserIndexes } from '../activities/data/users';
import { connectMongo } from '../activities/infra/mongo';
import { isAppError } from '../activities/infra/errors';
import { formatAccountsTable, seedDemoAccounts } from '../server/auth/demo-accounts';
import { resolveSessionSecret } from '../server/auth/session-secret';
import { loadConfig } from '../server/infra/config';
import { freePort, launchEmbeddedServers } from './embedded/launcher';
import { launchEmbeddedRedis } from './embedded/redis';
import { startClusterProxy, type ClusterProxy } from './cluster-proxy';

const argsSchema = z.object({ processes: z.coerce.number().int().min(1).max(32).default(2) });

function parseArgs(argv: string[]): z.infer<typeof argsSchema> {
  const i = argv.indexOf('--processes');
  const parsed = argsSchema.safeParse({ processes: i >= 0 ? argv[i + 1] : undefined });
  if (!parsed.success) throw new Error('--processes 应为 1–32 的整数 / --processes must be a whole number from 1 to 32');
  return parsed.data;
}

async function waitReady(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} not ready within ${timeoutMs / 1000} s`);
}

async function main(): Promise<void> {
  const { processes } = parseArgs(process.argv.slice(2));
  const config = loadConfig();
  TemporalRuntime.install({ logger: new DefaultLogger('WARN') });
  console.log(`统标 Tongbiao — 正在启动 ${processes} 个应用进程 starting ${processes} app processes…`);
  const servers = await launchEmbeddedServers({
    dataDir: config.TONGBIAO_DATA_DIR,
    toolsDir: config.TONGBIAO_TOOLS_DIR,
    temporalAddress: config.TEMPORAL_ADDRESS,
    mongoUri: config.MONGODB_URI,
    temporalPort: config.TEMPORAL_ADDRESS ? undefined : config.EMBEDDED_TEMPORAL_PORT,
    mongoPort: config.MONGODB_URI ? undefined : config.EMBEDDED_MONGO_PORT,
  });
  const redis = await launchEmbeddedRedis({ dataDir: config.TONGBIAO_DATA_DIR, redisUrl: config.REDIS_URL });
  const secret = await resolveSessionSecret(config);
  const publicUrl = config.PUBLIC_URL ?? `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${config.PORT}`;

  if (!config.MONGODB_URI || process.env.SEED_DEMO_ACCOUNTS === '1') {
    const mongo = await connectMongo(servers.mongoUri, config.MONGODB_DB);
    await ensureUserIndexes(mongo.db);
    const accounts = await seedDemoAccounts(mongo.db);
    await mongo.close();
    console.log('\n演示账号 Demo accounts:\n' + formatAccountsTable(accounts));
  }

  const ports = await Promise.all(Array.from({ length: processes }, () => freePort()));
  const children = new Map<number, ChildProcess>();
  let stopping = false;
  const startChild = (port: number): void => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'start.ts')], {
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(port),
        PUBLIC_URL: publicUrl,
        TRUST_PROXY: 'loopback',
        TEMPORAL_ADDRESS: servers.temporalAddress,
        MONGODB_URI: servers.mongoUri,
        REDIS_URL: redis.url,
        SESSION_SECRET: secret,
        SEED_DEMO_ACCOUNTS: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.set(port, child);
    const prefix = `[app:${port}] `;
    child.stdout?.on('data', (d: Buffer) => process.stdout.write(d.toString().replace(/^(?=.)/gm, prefix)));
    child.stderr?.on('data', (d: Buffer) => process.stderr.write(d.toString().replace(/^(?=.)/gm, prefix)));
    child.once('exit', (code, signal) => {
      if (stopping) return;
      console.warn(`${prefix}应用进程退出 app process exited (${signal ?? code}); 1 秒后重启 restarting in 1 s`);
      setTimeout(() => {
        if (!stopping) startChild(port);
      }, 1000);
    });
  };

  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: 正在停止 stopping…`);
    await running.proxy?.close();
    await Promise.all(
      [...children.values()].map(
        (c) =>
          new Promise<void>((r) => {
            if (c.exitCode !== null || c.signalCode !== null) return r();
            c.once('exit', () => r());
            c.kill('SIGTERM');
            setTimeout(() => c.kill('SIGKILL'), 15_000).unref();
          }),
      ),
    );
    await redis.stop();
    await servers.stop();
    process.exit(0);
  };
  const running: { proxy?: ClusterProxy } = {};
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  for (const port of ports) startChild(port);
  const urls = ports.map((p) => `http://127.0.0.1:${p}`);
  await Promise.all(urls.map((u) => waitReady(u, 180_000)));
  const proxy = await startClusterProxy({ host: config.HOST, port: config.PORT, backends: ports.map((port) => ({ host: '127.0.0.1', port })) });
  running.proxy = proxy;
  const { port: proxyPort } = proxy.server.address() as { port: number };
  const url = config.PUBLIC_URL ?? `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${proxyPort}`;

  console.log(`\nTemporal: ${servers.temporalAddress}`);
  console.log(`MongoDB:  ${servers.mongoUri.replace(/\/\/[^@/]*@/, '//***@')} database ${config.MONGODB_DB}`);
  console.log(`Redis:    ${redis.url.replace(/\/\/[^@/]*@/, '//***@')}${redis.server ? ' (embedded redis-server)' : ''}`);
  urls.forEach((u, i) => console.log(`应用进程 App process ${i + 1}: ${u}  (pid ${children.get(ports[i])?.pid})`));
  console.log(`\n统标已就绪 Tongbiao is ready (round-robin over ${processes} processes): ${url}/standards`);
  console.log('按 Ctrl-C 停止 Press Ctrl-C to stop.\n');
  console.log(`CLUSTER-READY ${JSON.stringify({ url, redisUrl: redis.url, mongoUri: servers.mongoUri, processes: ports.map((p) => ({ url: `http://127.0.0.1:${p}`, pid: children.get(p)?.pid })) })}`);
}

main().catch((e: unknown) => {
  if (isAppError(e)) console.error(`启动失败 Start failed [${e.code}]: ${e.messages.zh}\n${e.messages.en}`);
  else console.error('启动失败 Start failed:', e);
  process.exit(1);
});
