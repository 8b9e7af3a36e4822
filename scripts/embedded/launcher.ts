// Starts the embedded Temporal dev server and FerretDB on loopback, waits until each answers, and stops
// them cleanly. Where an address is configured (TEMPORAL_ADDRESS, MONGODB_URI) it starts nothing for it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MongoClient } from 'mongodb';
import { AppError } from '../../server/infra/errors';
import { createLogger } from '../../server/infra/logger';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { ensureTools } from './install-tools';

const log = createLogger('launcher');

export interface LaunchOptions {
  dataDir: string;
  toolsDir: string;
  /** Use this Temporal instead of starting one. */
  temporalAddress?: string;
  /** Use this MongoDB instead of starting FerretDB. */
  mongoUri?: string;
  /** 0 picks a free port. */
  temporalPort?: number;
  mongoPort?: number;
  /** Serve the Temporal web UI (on temporalPort + 1000); off in tests. */
  temporalUi?: boolean;
}

export interface EmbeddedServers {
  temporalAddress: string;
  mongoUri: string;
  /** The processes this launcher started, by name. */
  started: string[];
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function waitFor(what: string, child: ChildProcess, probe: () => Promise<boolean>, timeoutMs: number, logFile: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new AppError('SERVER_START_FAILED', {
        zh: `${what} 启动后立即退出（退出码 ${child.exitCode}），见日志 ${logFile}`,
        en: `${what} exited right after start (code ${child.exitCode}); see ${logFile}`,
      });
    }
    if (await probe()) return;
    await sleep(150);
  }
  child.kill('SIGKILL');
  throw new AppError('SERVER_START_FAILED', {
    zh: `${what} 在 ${timeoutMs / 1000} 秒内未就绪，见日志 ${logFile}`,
    en: `${what} did not answer within ${timeoutMs / 1000} s; see ${logFile}`,
  });
}

function startProcess(name: string, bin: string, args: string[], logFile: string): ChildProcess {
  const out = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  log.info({ name, pid: child.pid, logFile }, 'started embedded server');
  return child;
}

async function stopProcess(child: ChildProcess, name: string): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
  log.info({ name }, 'stopped embedded server');
}

async function mongoAnswers(uri: string): Promise<boolean> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 1000, connectTimeoutMS: 1000 });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** Starts what is not configured, waits until it answers, and returns the addresses to use. */
export async function launchEmbeddedServers(opts: LaunchOptions): Promise<EmbeddedServers> {
  const children: Array<{ name: string; child: ChildProcess }> = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(children.map(({ name, child }) => stopProcess(child, name)));
  };
  const needTemporal = !opts.temporalAddress;
  const needMongo = !opts.mongoUri;
  if (!needTemporal && !needMongo) {
    return { temporalAddress: opts.temporalAddress!, mongoUri: opts.mongoUri!, started: [], stop: async () => undefined };
  }
  const tools = await ensureTools(opts.toolsDir);
  mkdirSync(opts.dataDir, { recursive: true });
  // A crash of the parent must not leave servers holding the ports and the SQLite files.
  const killOnExit = (): void => children.forEach(({ child }) => child.kill('SIGKILL'));
  process.once('exit', killOnExit);

  try {
    let temporalAddress = opts.temporalAddress ?? '';
    if (needTemporal) {
      const port = opts.temporalPort || (await freePort());
      const args = [
        'server', 'start-dev',
        '--ip', '127.0.0.1',
        '--port', String(port),
        '--db-filename', path.join(opts.dataDir, 'temporal.sqlite'),
        '--log-level', 'warn',
        '--namespace', 'default',
      ];
      if (opts.temporalUi) args.push('--ui-port', String(port + 1000), '--ui-ip', '127.0.0.1');
      else args.push('--headless');
      for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${name}=${type}`);
      const logFile = path.join(opts.dataDir, 'temporal.log');
      const child = startProcess('temporal', tools.temporal, args, logFile);
      children.push({ name: 'temporal', child });
      await waitFor('Temporal dev server', child, () => canConnect(port), 60_000, logFile);
      temporalAddress = `127.0.0.1:${port}`;
    }

    let mongoUri = opts.mongoUri ?? '';
    if (needMongo) {
      const port = opts.mongoPort || (await freePort());
      const dir = path.join(opts.dataDir, 'ferretdb');
      mkdirSync(dir, { recursive: true });
      const args = [
        '--handler=sqlite',
        `--sqlite-url=file:${dir}/`,
        `--listen-addr=127.0.0.1:${port}`,
        `--state-dir=${dir}`,
        '--debug-addr=-',
        '--telemetry=disable',
        '--log-level=warn',
      ];
      const logFile = path.join(opts.dataDir, 'ferretdb.log');
      const child = startProcess('ferretdb', tools.ferretdb, args, logFile);
      children.push({ name: 'ferretdb', child });
      mongoUri = `mongodb://127.0.0.1:${port}/`;
      await waitFor('FerretDB', child, () => mongoAnswers(mongoUri), 60_000, logFile);
    }

    return {
      temporalAddress,
      mongoUri,
      started: children.map((c) => c.name),
      stop: async () => {
        await stopAll();
        process.removeListener('exit', killOnExit);
      },
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
