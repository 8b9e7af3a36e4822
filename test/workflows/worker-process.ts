// A lifecycle worker in its own process, so a test can kill it with SIGKILL. Usage:
//   tsx test/workflows/worker-process.ts <temporalAddress> <mongoUri> <dbName> <taskQueue>
// Prints "ready" once polling.
import { NativeConnection } from '@temporalio/worker';
import { connectMongo } from '../../activities/infra/mongo';
import { createLogger } from '../../activities/infra/logger';
import { createWorker } from '../../server/temporal/worker';
import { testWorkerActivities } from './support';

async function main(): Promise<void> {
  const [address, mongoUri, dbName, taskQueue] = process.argv.slice(2);
  const mongo = await connectMongo(mongoUri, dbName, { onUnacknowledgedWrite: 'throw' });
  const connection = await NativeConnection.connect({ address });
  const logger = createLogger('worker-process');
  const worker = await createWorker({ connection, namespace: 'default', taskQueue, activities: testWorkerActivities(mongo.db, logger), logger });
  const running = worker.run();
  process.stdout.write('ready\n');
  await running;
}

main().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exit(1);
});
