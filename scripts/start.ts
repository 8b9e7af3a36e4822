// `npm start`: brings Tongbiao up on one machine. Installs the embedded Temporal dev server and FerretDB
// into .tools/ when missing, starts them (unless TEMPORAL_ADDRESS / MONGODB_URI point elsewhere), runs the
// lifecycle worker, the web server and the co-editing server in this process, seeds the demo accounts on
// the embedded database, and prints the URL. Ctrl-C stops everything cleanly. Checks that LibreOffice and a
// CJK font are there for the PDF editions, and says how to install them when not (and starts anyway).
import path from 'node:path';
import { DefaultLogger, Runtime as TemporalRuntime } from '@temporalio/worker';
import { formatAccountsTable, seedDemoAccounts } from '../server/auth/demo-accounts';
import { ensureUserIndexes } from '../activities/data/users';
import { isAppError } from '../activities/infra/errors';
import { loadConfig } from '../server/infra/config';
import { applyHeapGrowth } from '../server/infra/heap-growth';
import { createLogger } from '../activities/infra/logger';
import { startRuntime } from '../server/runtime';
import { retryWhileUnreachable } from './start-retry';
import { launchEmbeddedServers } from './embedded/launcher';
import { checkPdfTools, pdfToolsAdvice } from '../activities/pdf/render';

const log = createLogger('start');

async function main(): Promise<void> {
  const config = loadConfig();
  // Before anything big is allocated and before the workflow thread starts (it takes the flag too).
  applyHeapGrowth(config.HEAP_GROWTH_PERCENT);
  TemporalRuntime.install({ logger: new DefaultLogger('WARN') });
  console.log('统标 Tongbiao — 正在启动 starting…');
  // PDF editions need LibreOffice and a CJK font; without them Tongbiao still runs and skips the PDFs.
  const pdfAdvice = pdfToolsAdvice(await checkPdfTools());
  if (pdfAdvice.length > 0) console.warn(['PDF 版本 PDF editions:', ...pdfAdvice.map((l) => `  ${l}`), '  继续启动，PDF 将被跳过。 / Starting anyway; PDFs will be skipped.'].join('\n'));
  const servers = await launchEmbeddedServers({
    dataDir: config.TONGBIAO_DATA_DIR,
    toolsDir: config.TONGBIAO_TOOLS_DIR,
    temporalAddress: config.TEMPORAL_ADDRESS,
    mongoUri: config.MONGODB_URI,
    temporalPort: config.EMBEDDED_TEMPORAL_PORT,
    mongoPort: config.EMBEDDED_MONGO_PORT,
    temporalUi: true,
  });
  let runtime: Awaited<ReturnType<typeof startRuntime>> | undefined;
  const shutdown = async (signal: string): Promise<void> => {
    log.info({ signal }, 'shutting down');
    await runtime?.stop();
    await servers.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  const embeddedDb = !config.MONGODB_URI;
  const seed = embeddedDb || process.env.SEED_DEMO_ACCOUNTS === '1';
  let accounts: Awaited<ReturnType<typeof seedDemoAccounts>> | undefined;
  try {
    // The store or Temporal going away while this process starts (the embedded supervisor restarts a
    // killed server within seconds) must not leave Tongbiao down: start again until they answer.
    runtime = await retryWhileUnreachable(
      () => startRuntime({ config: { ...config, TEMPORAL_ADDRESS: servers.temporalAddress, MONGODB_URI: servers.mongoUri }, workflowBundleCacheDir: path.join(config.TONGBIAO_DATA_DIR, 'cache') }),
      { logger: log },
    );
  } catch (e) {
    await servers.stop();
    throw e;
  }
  if (seed) {
    // Seeded on the running runtime, retried alone while the store is away (it upserts): stopping the whole
    // runtime to start again, as before, held the start for minutes when the store was killed right then.
    const db = runtime.mongo.db;
    try {
      accounts = await retryWhileUnreachable(
        async () => {
          await ensureUserIndexes(db);
          return seedDemoAccounts(db);
        },
        { logger: log },
      );
    } catch (e) {
      await runtime.stop();
      await servers.stop();
      throw e;
    }
  }
  if (accounts) console.log('\n演示账号 Demo accounts:\n' + formatAccountsTable(accounts));
  console.log(`\nTemporal: ${servers.temporalAddress}${servers.started.includes('temporal') ? ` (embedded${servers.temporalUiUrl ? `; web UI ${servers.temporalUiUrl}` : ''})` : ''}`);
  console.log(`MongoDB:  ${servers.mongoUri.replace(/\/\/[^@/]*@/, '//***@')}${servers.started.includes('ferretdb') ? ' (embedded FerretDB)' : ''} database ${config.MONGODB_DB}`);
  console.log(`\n统标已就绪 Tongbiao is ready: ${runtime.url}/standards`);
  console.log(`公众征求意见 Public consultation: ${runtime.url}/consultation`);
  console.log('按 Ctrl-C 停止 Press Ctrl-C to stop.\n');
}

main().catch((e: unknown) => {
  if (isAppError(e)) console.error(`启动失败 Start failed [${e.code}]: ${e.messages.zh}\n${e.messages.en}`);
  else console.error('启动失败 Start failed:', e);
  process.exit(1);
});
