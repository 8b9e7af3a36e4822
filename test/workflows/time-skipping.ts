// Test harness for the time-skipping test server (TEMPORAL_TEST_SERVER_PATH): a fresh database, a worker with
// the real activities on its own task queue, and a lifecycle service with the production durations. The
// tests that skip weeks and years (lifecycle timers, the technical review) share these set-up lines.
import { randomBytes } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createLogger } from '../../activities/infra/logger';
import { ensureLifecycleIndexes } from '../../server/temporal/indexes';
import { createLifecycleService, type LifecycleService } from '../../server/temporal/lifecycle-service';
import { createWorker } from '../../server/temporal/worker';
import { DEFAULT_DURATIONS } from '../../workflows/messages';
import { freshMongo, requireEnv } from '../support/mongo';
import { sharedBundle, testWorkerActivities } from './support';

export interface TimeSkippingHarness {
  env: TestWorkflowEnvironment;
  mongo: Awaited<ReturnType<typeof freshMongo>>;
  taskQueue: string;
  /** Production durations; no search attributes (the test server has none of Tongbiao's registered). */
  lifecycle: LifecycleService;
  /** Stops the worker, tears the test server down and drops the database. */
  close(): Promise<void>;
}

/** `name` names the database (`freshMongo(name)`), the task queue (`test-<name>-<hex>`) and the logger. */
export async function startTimeSkipping(name: string): Promise<TimeSkippingHarness> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: requireEnv('TEMPORAL_TEST_SERVER_PATH') } } });
  let mongo: TimeSkippingHarness['mongo'] | undefined;
  try {
    mongo = await freshMongo(name);
    await ensureLifecycleIndexes(mongo.db);
    const taskQueue = `test-${name}-${randomBytes(4).toString('hex')}`;
    const logger = createLogger(`test-${name}`);
    const worker = await createWorker({ connection: env.nativeConnection, namespace: env.namespace ?? 'default', taskQueue, activities: testWorkerActivities(mongo.db, logger), workflowBundle: await sharedBundle(), logger });
    const running = worker.run();
    const db = mongo;
    const lifecycle = createLifecycleService({ client: env.client, db: db.db, taskQueue, durations: DEFAULT_DURATIONS, searchAttributes: false });
    return {
      env,
      mongo: db,
      taskQueue,
      lifecycle,
      async close() {
        worker.shutdown();
        await running;
        await env.teardown();
        await db.drop();
      },
    };
  } catch (e) {
    await env.teardown();
    await mongo?.drop();
    throw e;
  }
}
