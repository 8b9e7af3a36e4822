// `npm run demo:lifecycle`: drives one sample standard through the whole lifecycle over the HTTP API with
// short durations, signing in as each role, and prints its timeline. Uses the running embedded servers
// (or TEMPORAL_ADDRESS / MONGODB_URI), starting them when nothing answers; runs its own worker and web
// server in-process on a free port. Exits non-zero on any failure.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import { createApp } from '../server/app';
import { formatAccountsTable, seedDemoAccounts } from '../server/auth/demo-accounts';
import { loadConfig } from '../server/infra/config';
import { createLogger } from '../server/infra/logger';
import { connectMongo } from '../server/infra/mongo';
import { connectTemporal, createLifecycleService, createWorker, ensureLifecycleIndexes } from '../server/temporal';
import { DAY_MS, type LifecycleDurations } from '../workflows/messages';
import { driveLifecycle, formatTimeline } from './demo-lifecycle-driver';
import { serversInUse } from './servers-in-use';

/** Seconds instead of days and years; reminders rare so the finished demo stays quiet. */
export const DEMO_DURATIONS: LifecycleDurations = {
  commentPeriodMs: 3000,
  reminderIntervalMs: DAY_MS,
  filingReminderMs: 2000,
  reviewIntervalMs: 4000,
};

async function main(): Promise<number> {
  const config = loadConfig();
  const log = createLogger('demo-lifecycle');
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const servers = await serversInUse(config, { temporal: true });
  const mongo = await connectMongo(servers.mongoUri, config.MONGODB_DB);
  const temporal = await connectTemporal({ ...config, TEMPORAL_ADDRESS: servers.temporalAddress });
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  let server: http.Server | undefined;
  try {
    await ensureLifecycleIndexes(mongo.db);
    const accounts = await seedDemoAccounts(mongo.db);
    console.log(`Temporal ${servers.temporalAddress} · MongoDB ${servers.mongoUri} (${config.MONGODB_DB})\n`);
    console.log(formatAccountsTable(accounts) + '\n');

    worker = await createWorker({ connection: await temporal.nativeConnection(), namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE, db: mongo.db, logger: log });
    running = worker.run();
    const lifecycle = createLifecycleService({ client: temporal.client, db: mongo.db, taskQueue: config.TEMPORAL_TASK_QUEUE, durations: DEMO_DURATIONS });
    const { app } = await createApp({ config, db: mongo.db, lifecycle, logger: log });
    server = http.createServer(app);
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const started = Date.now();
    const result = await driveLifecycle({ baseUrl, log: (l) => console.log(l) });
    console.log(`\n标准 ${result.standardId}：${result.finalState.stage}/${result.finalState.step} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(`编号 Numbers: ${Object.values(result.numbers).join(' · ')}\n`);
    console.log('流转记录 Timeline:');
    console.log(formatTimeline(result.timeline));
    return 0;
  } catch (e) {
    console.error(`\nDEMO FAILED: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running?.catch(() => undefined);
    await temporal.close();
    await mongo.close();
    await servers.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
