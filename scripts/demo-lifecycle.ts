// `npm run demo:lifecycle`: drives one sample standard through the whole lifecycle over the HTTP API with
// short durations, signing in as each role, and prints its timeline. Uses the running embedded servers
// (or TEMPORAL_ADDRESS / MONGODB_URI), starting them when nothing answers; runs Tongbiao itself in-process
// (server/runtime.ts: the same wiring as `npm start`, with its worker) on a free port. Exits non-zero on
// any failure.
import { DefaultLogger, Runtime as TemporalRuntime } from '@temporalio/worker';
import { formatAccountsTable, seedDemoAccounts } from '../server/auth/demo-accounts';
import { ensureUserIndexes } from '../activities/data/users';
import { loadConfig } from '../server/infra/config';
import { startRuntime, type Runtime } from '../server/runtime';
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
  TemporalRuntime.install({ logger: new DefaultLogger('WARN') });
  const servers = await serversInUse(config, { temporal: true });
  let runtime: Runtime | undefined;
  try {
    runtime = await startRuntime({
      config: { ...config, TEMPORAL_ADDRESS: servers.temporalAddress, MONGODB_URI: servers.mongoUri, HOST: '127.0.0.1', PORT: 0, PUBLIC_URL: undefined },
      durations: DEMO_DURATIONS,
    });
    await ensureUserIndexes(runtime.mongo.db);
    const accounts = await seedDemoAccounts(runtime.mongo.db);
    console.log(`Temporal ${servers.temporalAddress} · MongoDB ${servers.mongoUri} (${config.MONGODB_DB}) · app ${runtime.url}\n`);
    console.log(formatAccountsTable(accounts) + '\n');

    const started = Date.now();
    const result = await driveLifecycle({ baseUrl: runtime.url, log: (l) => console.log(l) });
    console.log(`\n标准 ${result.standardId}：${result.finalState.stage}/${result.finalState.step} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(`编号 Numbers: ${Object.values(result.numbers).join(' · ')}\n`);
    console.log('流转记录 Timeline:');
    console.log(formatTimeline(result.timeline));
    return 0;
  } catch (e) {
    console.error(`\nDEMO FAILED: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    await runtime?.stop();
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
