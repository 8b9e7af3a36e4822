// Starts the embedded Temporal dev server and FerretDB on loopback, waits until each answers, keeps them
// alive (scripts/embedded/supervisor.ts: restarts on exit or when they stop answering, same port and data),
// and stops them cleanly. Where an address is configured (TEMPORAL_ADDRESS, MONGODB_URI) it starts and
// supervises nothing for it: the app's availability monitor still answers 503 while that server is away.
import type { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { ensureTools } from './install-tools';
import { SupervisedServer, type ServerStatus, type SupervisionTuning, type SupervisorEvents } from './supervisor';

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
  /** Serve the Temporal web UI (on temporalPort + 1000 when that is free, else another free port); off in tests. */
  temporalUi?: boolean;
  /** Probe interval, back-off and the orphan guard; defaults in supervisor.ts. */
  supervision?: Partial<SupervisionTuning>;
}

export interface EmbeddedServers {
  temporalAddress: string;
  mongoUri: string;
  /** The embedded Temporal web UI, when one was asked for and started. */
  temporalUiUrl?: string;
  /** The processes this launcher started, by name. */
  started: string[];
  /** State, pid and restart count of each supervised server. */
  status(): ServerStatus[];
  /** 'down' when a server is found dead or not answering, 'restarted' once it answers again. */
  on<K extends keyof SupervisorEvents>(event: K, listener: (...args: SupervisorEvents[K]) => void): void;
  /** Ends supervision, then stops the servers. */
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

/** True when nothing listens on the port on loopback (and it is a port at all). */
export async function portIsFree(port: number): Promise<boolean> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) return false;
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function mongoAnswers(uri: string, timeoutMs: number): Promise<boolean> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: timeoutMs, socketTimeoutMS: timeoutMs });
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

/** A Temporal probe: one gRPC call without the SDK's retries, so a dead server fails at once. */
/**
 * FerretDB's Go garbage collector runs at GOGC=200 unless the environment sets GOGC: a 50,000-comment export read
 * cost the store 4.8 s of CPU instead of 6.7 s, for a peak of 82 MB instead of 65 (bench/README.md, issue 11).
 */
export const FERRETDB_GOGC = '200';

export function ferretdbEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return env.GOGC ? {} : { GOGC: FERRETDB_GOGC };
}

function temporalProbe(address: string, timeoutMs: number): { probe: () => Promise<boolean>; dispose: () => Promise<void> } {
  // Short reconnect back-off: after a restart the channel reconnects within a second, not after grpc's
  // default of up to two minutes.
  const connection = Connection.lazy({ address, interceptors: [], channelArgs: { 'grpc.initial_reconnect_backoff_ms': 200, 'grpc.max_reconnect_backoff_ms': 1000 } });
  return {
    probe: async () => {
      try {
        await connection.withDeadline(Date.now() + timeoutMs, () => connection.workflowService.getSystemInfo({}));
        return true;
      } catch {
        return false;
      }
    },
    dispose: () => connection.close(),
  };
}

/** Starts what is not configured, waits until it answers, supervises it, and returns the addresses to use. */
export async function launchEmbeddedServers(opts: LaunchOptions): Promise<EmbeddedServers> {
  const supervised: SupervisedServer[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(supervised.map((s) => s.stop()));
  };
  const needTemporal = !opts.temporalAddress;
  const needMongo = !opts.mongoUri;
  if (!needTemporal && !needMongo) {
    return { temporalAddress: opts.temporalAddress!, mongoUri: opts.mongoUri!, started: [], status: () => [], on: () => undefined, stop: async () => undefined };
  }
  const tools = await ensureTools(opts.toolsDir);
  mkdirSync(opts.dataDir, { recursive: true });
  // A crash of the parent must not leave servers holding the ports and the SQLite files: on a normal exit
  // they are killed here; on kill -9 the supervisor's watchdog kills them; what still survives is replaced
  // at the next start (pid file under the data dir).
  const killOnExit = (): void => supervised.forEach((s) => s.killNow());
  process.once('exit', killOnExit);
  const probeTimeoutMs = opts.supervision?.probeTimeoutMs ?? 2000;

  try {
    let temporalAddress = opts.temporalAddress ?? '';
    let temporalUiUrl: string | undefined;
    if (needTemporal) {
      const port = opts.temporalPort || (await freePort());
      const dbFile = path.join(opts.dataDir, 'temporal.sqlite');
      const args = [
        'server', 'start-dev',
        '--ip', '127.0.0.1',
        '--port', String(port),
        '--db-filename', dbFile,
        '--log-level', 'warn',
        '--namespace', 'default',
      ];
      if (opts.temporalUi) {
        // The conventional +1000 may be taken (or past 65535 for a high port): the dev server would then exit
        // at once and take the whole start down with it, for the sake of an optional UI.
        const uiPort = (await portIsFree(port + 1000)) ? port + 1000 : await freePort();
        args.push('--ui-port', String(uiPort), '--ui-ip', '127.0.0.1');
        temporalUiUrl = `http://127.0.0.1:${uiPort}`;
      } else args.push('--headless');
      for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${name}=${type}`);
      temporalAddress = `127.0.0.1:${port}`;
      const probe = temporalProbe(temporalAddress, probeTimeoutMs);
      const server = new SupervisedServer(
        { name: 'temporal', bin: path.resolve(tools.temporal), args, port, dataArg: dbFile, logFile: path.join(opts.dataDir, 'temporal.log'), pidFile: path.join(opts.dataDir, 'temporal.pid'), ...probe },
        opts.supervision,
      );
      supervised.push(server);
      await server.start();
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
      mongoUri = `mongodb://127.0.0.1:${port}/`;
      const uri = mongoUri;
      const server = new SupervisedServer(
        { name: 'ferretdb', bin: path.resolve(tools.ferretdb), args, port, dataArg: `--state-dir=${dir}`, logFile: path.join(opts.dataDir, 'ferretdb.log'), pidFile: path.join(opts.dataDir, 'ferretdb.pid'), env: ferretdbEnv(), probe: () => mongoAnswers(uri, probeTimeoutMs) },
        opts.supervision,
      );
      supervised.push(server);
      await server.start();
    }

    return {
      temporalAddress,
      mongoUri,
      ...(temporalUiUrl ? { temporalUiUrl } : {}),
      started: supervised.map((s) => s.status().name),
      status: () => supervised.map((s) => s.status()),
      on: (event, listener) => {
        // Node's typed EventEmitter cannot relate a generic K to its own listener type; the signature above does.
        for (const s of supervised) (s as EventEmitter).on(event, listener as (...args: unknown[]) => void);
      },
      stop: async () => {
        await stopAll();
        process.removeListener('exit', killOnExit);
      },
    };
  } catch (e) {
    await stopAll();
    process.removeListener('exit', killOnExit);
    throw e;
  }
}
