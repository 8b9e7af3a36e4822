// Test helper: the whole runtime (server/runtime.ts, as `npm start` wires it) on the suite's Temporal and
// MongoDB, with a database and task queue of its own, the demo accounts seeded and any w:0 write fatal.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DefaultLogger, Runtime as TemporalRuntime } from '@temporalio/worker';
import { ensureUserIndexes } from '../../activities/data/users';
import { seedDemoAccounts } from '../../server/auth/demo-accounts';
import { loadConfig } from '../../server/infra/config';
import { startRuntime, type Runtime } from '../../server/runtime';
import { requireEnv } from './mongo';
import { testBundleCacheDir } from './bundle-cache';

export interface TestRuntimeOptions {
  /** Configuration over the suite's (e.g. TEMPORAL_ADDRESS through a proxy the test can cut). */
  env?: Record<string, string>;
  /** Run the lifecycle worker (default true); false skips the workflow bundle. */
  runWorker?: boolean;
}

export async function startTestRuntime(name: string, opts: TestRuntimeOptions = {}): Promise<Runtime> {
  try {
    TemporalRuntime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed by another suite in this worker process
  }
  const suffix = randomBytes(4).toString('hex');
  const config = loadConfig({
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    MONGODB_DB: `t_${name}_${suffix}`,
    TEMPORAL_TASK_QUEUE: `${name}-${suffix}`,
    TONGBIAO_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), `tb-${name}-`)),
    MONGODB_URI: requireEnv('MONGODB_URI'),
    TEMPORAL_ADDRESS: requireEnv('TEMPORAL_ADDRESS'),
    LOG_LEVEL: 'warn',
    ...opts.env,
  });
  const rt = await startRuntime({ config, ...(opts.runWorker === false ? { runWorker: false } : {}), signInRateLimit: { windowMs: 60_000, limit: 1000 }, onUnacknowledgedWrite: 'throw', workflowBundleCacheDir: testBundleCacheDir() });
  await ensureUserIndexes(rt.mongo.db);
  await seedDemoAccounts(rt.mongo.db);
  return rt;
}
