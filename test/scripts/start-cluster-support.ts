// Test helper: `npm run start:cluster -- --processes N` as a child process on the suite's Temporal and
// MongoDB (its own database and task queue), with the embedded Redis and demo accounts; resolves with the
// `CLUSTER-READY` line's URLs and pids. One place for the cluster tests' start and stop.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../scripts/embedded/launcher';
import { requireEnv } from '../support/mongo';

export interface ClusterReady {
  /** The round-robin proxy. */
  url: string;
  redisUrl: string;
  processes: Array<{ url: string; pid: number }>;
}

export interface TestCluster {
  ready: ClusterReady;
  /** The cluster's output so far (for a failing test's message). */
  output(): string;
  stop(): Promise<void>;
}

export async function startTestCluster(dbName: string, processes = 2): Promise<TestCluster> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.resolve(__dirname, '../../scripts/start-cluster.ts'), '--processes', String(processes)], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      TEMPORAL_ADDRESS: requireEnv('TEMPORAL_ADDRESS'),
      MONGODB_URI: requireEnv('MONGODB_URI'),
      MONGODB_DB: dbName,
      TEMPORAL_TASK_QUEUE: `${dbName}-queue`,
      TONGBIAO_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'tb-cluster-')),
      SEED_DEMO_ACCOUNTS: '1',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const ready = await new Promise<ClusterReady>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cluster not ready:\n${out.slice(-3000)}`)), 480_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /CLUSTER-READY (.+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(JSON.parse(m[1]) as ClusterReady);
      }
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`cluster exited (${code}):\n${out.slice(-3000)}`)));
  });
  return {
    ready,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000).unref())]);
    },
  };
}
