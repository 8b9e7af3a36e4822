// The app's lifecycle side in a process of its own — worker, lifecycle service (the web server's sender of
// Updates) and the projection reconciler — so a test can kill worker and sender together with SIGKILL, as
// kill -9 of `npm start` does. Usage:
//   node --import tsx test/workflows/app-process.ts <temporalAddress> <mongoUri> <dbName> <taskQueue> <bundleFile>
// Environment: RECONCILE=off runs no reconciler (to show what the bug looks like); RECONCILE_GRACE_MS sets
// its grace; KILL_AFTER_WRITE=<standardId> makes recordTransition of that standard kill the Temporal server
// (TEMPORAL_PID) and this process right after its write, before the workflow task completes (the
// deterministic phantom); AFTER_WRITE_DELAY_MS=<ms> makes every recordTransition wait that long after its
// write (a loaded machine), so a kill at a random moment lands between write and task completion more often.
// Reads one JSON command per line on stdin: {"n":1,"standardId":"…","action":"…","payload":{…},"actor":{…}};
// prints "ready", "sending <n>", "done <n> <revision>" or "failed <n> <code>", and "reconciled".
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { connectMongo } from '../../activities/infra/mongo';
import { createLogger } from '../../activities/infra/logger';
import { createLifecycleService } from '../../server/temporal/lifecycle-service';
import { createReconciler } from '../../server/temporal/reconciler';
import { createWorker } from '../../server/temporal/worker';
import type { Actor } from '../../workflows/domain';
import type { Action } from '../../workflows/messages';
import { shortDurations, testWorkerActivities } from './support';

interface Command {
  n: number;
  standardId: string;
  action: Action;
  payload: Record<string, unknown>;
  actor: Actor;
}

async function main(): Promise<void> {
  const [address, mongoUri, dbName, taskQueue, bundleFile] = process.argv.slice(2);
  const logger = createLogger('app-process');
  const mongo = await connectMongo(mongoUri, dbName, { onUnacknowledgedWrite: 'throw' });
  const native = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: 'default' });
  const workflowBundle = { code: readFileSync(bundleFile, 'utf8') };
  const killAfter = process.env.KILL_AFTER_WRITE;
  let worker: Worker;
  const afterWriteMs = Number(process.env.AFTER_WRITE_DELAY_MS ?? 0);
  if (killAfter || afterWriteMs > 0) {
    // The app's activities, with recordTransition slowed down or dying right after its write.
    const activities = testWorkerActivities(mongo.db, logger);
    const record = activities.recordTransition;
    activities.recordTransition = async (t) => {
      await record(t);
      if (afterWriteMs > 0) await new Promise((r) => setTimeout(r, afterWriteMs));
      if (!killAfter || t.standardId !== killAfter) return;
      if (process.env.TEMPORAL_PID) process.kill(Number(process.env.TEMPORAL_PID), 'SIGKILL');
      process.kill(process.pid, 'SIGKILL');
    };
    worker = await createWorker({ connection: native, namespace: 'default', taskQueue, workflowBundle, activities, logger });
  } else {
    worker = await createWorker({ connection: native, namespace: 'default', taskQueue, activities: testWorkerActivities(mongo.db, logger), workflowBundle, logger });
  }
  const running = worker.run();
  const reconciler =
    process.env.RECONCILE === 'off'
      ? undefined
      : createReconciler({ client, db: mongo.db, logger, aheadGraceMs: Number(process.env.RECONCILE_GRACE_MS ?? 15_000), queryDeadlineMs: 2000 });
  const service = createLifecycleService({ client, db: mongo.db, taskQueue, durations: shortDurations, ...(reconciler ? { onProjectionMismatch: reconciler.noteMismatch } : {}) });
  process.stdout.write('ready\n');
  if (reconciler) {
    reconciler.start();
    void reconciler.settled(120_000).then(() => process.stdout.write('reconciled\n'));
  } else {
    process.stdout.write('reconciled\n');
  }
  createInterface({ input: process.stdin }).on('line', (line) => {
    const c = JSON.parse(line) as Command;
    process.stdout.write(`sending ${c.n}\n`);
    service.act(c.standardId, c.action, c.payload, c.actor).then(
      (s) => process.stdout.write(`done ${c.n} ${s.revision}\n`),
      (e: unknown) => process.stdout.write(`failed ${c.n} ${(e as { code?: string }).code ?? String(e)}\n`),
    );
  });
  await running;
}

main().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exit(1);
});
