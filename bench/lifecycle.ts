// npm run bench:lifecycle — drives N standards (default 200) concurrently through the whole lifecycle and
// measures action → state-visible latency: from sending the Update until the MongoDB projection shows
// the new revision. Next to it, in the same run and on the same servers, the floor: a bare Temporal Update
// round trip (a workflow whose Update returns at once), with the same concurrency and number of calls.
// Uses TEMPORAL_ADDRESS / MONGODB_URI when set, otherwise starts the embedded servers in a temp dir.
//
// Options (env): BENCH_STANDARDS (200), BENCH_COMMENT_MS (3000), BENCH_REVIEW_MS (20000).
import './quiet-logs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { Db } from 'mongodb';
import { launchEmbeddedServers } from '../scripts/embedded/launcher';
import { connectMongo } from '../activities/infra/mongo';
import { createLogger } from '../activities/infra/logger';
import { getStandard } from '../activities/data/standards';
import { ensureLifecycleIndexes } from '../server/temporal/indexes';
import { createLifecycleService, executeUpdateWithRetry, type LifecycleService } from '../server/temporal/lifecycle-service';
import { bundleLifecycleWorkflows, createWorker } from '../server/temporal/worker';
import { createWorkerActivities } from '../activities/worker';
import { chinaToday } from '../workflows/dates';
import type { Actor, Province } from '../workflows/domain';
import type { Action } from '../workflows/messages';
import { pingUpdate, stopFloorSignal, type updateFloorWorkflow } from './update-floor';

Runtime.install({ logger: new DefaultLogger('ERROR') });

const N = Number(process.env.BENCH_STANDARDS ?? 200);
const COMMENT_MS = Number(process.env.BENCH_COMMENT_MS ?? 3000);
// Long enough that the publicity event is recorded in 实施 before the 复审 timer opens the review.
const REVIEW_MS = Number(process.env.BENCH_REVIEW_MS ?? 20000);

const actor = (userId: string, role: Actor['role'], province?: Province): Actor => ({ userId, displayName: userId, role, ...(province ? { province } : {}) });
const A = {
  shEco: actor('sh-eco', 'ecoEnvDepartment', 'SH'),
  reg: { SH: actor('sh-reg', 'marketRegulator', 'SH'), JS: actor('js-reg', 'marketRegulator', 'JS'), ZJ: actor('zj-reg', 'marketRegulator', 'ZJ') } as Record<Province, Actor>,
  exec: actor('exec', 'executiveCommittee'),
  drafter: actor('drafter', 'drafter', 'SH'),
  expert: actor('expert', 'expert'),
  bureau: actor('qingpu', 'localBureau', 'SH'),
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function summarize(samples: number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s[s.length - 1] };
}


/** One action, timed from sending the Update until the projection in MongoDB shows its revision. */
async function timedAction(db: Db, service: LifecycleService, samples: Map<string, number[]>, id: string, action: Action, payload: object, who: Actor): Promise<void> {
  const t0 = performance.now();
  const state = await service.act(id, action, payload, who);
  for (;;) {
    const rec = await getStandard(db, id);
    if ((rec?.revision ?? -1) >= state.revision) break;
    await sleep(2);
  }
  const ms = performance.now() - t0;
  const list = samples.get(action) ?? [];
  list.push(ms);
  samples.set(action, list);
}

/**
 * Unmeasured waits for timers poll the projection (querying 200 workflows every few seconds loads the very
 * worker being measured). The projection can be a moment ahead of the workflow when a workflow task is
 * re-run, so the action after a wait retries a stage refusal briefly (timed from its successful attempt).
 */
async function waitForProjection(db: Db, id: string, pred: (stage: string, step: string) => boolean, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const rec = await getStandard(db, id);
    if (rec && pred(rec.stage, rec.step ?? '')) return;
    await sleep(2000);
  }
  throw new Error(`standard ${id} did not reach the expected stage`);
}

async function afterWait(run: () => Promise<void>): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await run();
    } catch (e) {
      if ((e as { code?: string }).code !== 'STAGE_CONFLICT' || attempt >= 30) throw e;
      await sleep(1000);
    }
  }
}

async function oneLifecycle(db: Db, service: LifecycleService, samples: Map<string, number[]>, i: number, year: number): Promise<void> {
  const t = (action: Action, payload: object, who: Actor): Promise<void> => timedAction(db, service, samples, id, action, payload, who);
  const rec = await service.propose(
    { titleZh: `基准标准 ${i}`, titleEn: `Benchmark standard ${i}`, kind: 'technicalSpecification', mandatory: false, field: '基准', scope: '基准测试', leadUnits: ['上海市生态环境局'], plannedYear: year },
    A.shEco,
  );
  const id = rec._id;
  for (const p of ['SH', 'JS', 'ZJ'] as const) await t('decideInitiation', { province: p, decision: 'approve' }, A.reg[p]);
  await t('submitForComment', {}, A.drafter);
  await waitForProjection(db, id, (_s, step) => step === 'handlingComments');
  await afterWait(() => t('completeCommentHandling', {}, A.drafter));
  await t('recordReviewResult', { outcome: 'pass' }, A.expert);
  await t('submitForApproval', {}, A.drafter);
  await t('setReleaseDates', { releaseDate: chinaToday(Date.now()), implementationDate: chinaToday(Date.now()) }, A.exec);
  const seq = 100000 + i;
  for (const p of ['SH', 'JS', 'ZJ'] as const) await t('decideApproval', { province: p, decision: 'approve', number: `${{ SH: 'DB31', JS: 'DB32', ZJ: 'DB33' }[p]}/T ${seq}—${year}` }, A.reg[p]);
  await waitForProjection(db, id, (stage) => stage === 'inForce');
  await afterWait(() => t('recordPublicityEvent', { eventId: `ev-${i}` }, A.bureau));
  await waitForProjection(db, id, (stage) => stage === 'review');
  await afterWait(() => t('decideReview', { outcome: 'abolish', reason: '基准测试结束' }, A.shEco));
}

/** The floor: N workflows, each answering `calls` sequential Updates that return at once. */
async function floor(client: Client, taskQueue: string, calls: number): Promise<number[]> {
  const samples: number[] = [];
  // allSettled: a failed pinger must not leave others in flight when the connection is closed.
  const settled = await Promise.allSettled(
    Array.from({ length: N }, async (_, i) => {
      const handle = await client.workflow.start<typeof updateFloorWorkflow>('updateFloorWorkflow', { taskQueue, workflowId: `floor-${randomBytes(4).toString('hex')}-${i}` });
      for (let k = 0; k < calls; k += 1) {
        const t0 = performance.now();
        // Same retry policy and update-id discipline as the lifecycle service, so both sides are alike.
        const updateId = randomUUID();
        await executeUpdateWithRetry(() => handle.executeUpdate(pingUpdate, { updateId, args: [k] }));
        samples.push(performance.now() - t0);
      }
      await handle.signal(stopFloorSignal);
    }),
  );
  const failed = settled.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
  if (failed.length > 0) throw new Error(`${failed.length} floor workflows failed: ${String((failed[0].reason as Error)?.message ?? failed[0].reason)}`);
  return samples;
}

function fmt(n: number): string {
  return n.toFixed(1).padStart(8);
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tongbiao-bench-lifecycle-'));
  const servers = await launchEmbeddedServers({
    dataDir,
    toolsDir: path.resolve(__dirname, '..', '.tools'),
    temporalAddress: process.env.TEMPORAL_ADDRESS || undefined,
    mongoUri: process.env.MONGODB_URI || undefined,
  });
  const mongo = await connectMongo(servers.mongoUri, `bench_lifecycle_${randomBytes(3).toString('hex')}`, { onUnacknowledgedWrite: 'throw' });
  const connection = await Connection.connect({ address: servers.temporalAddress });
  const client = new Client({ connection, namespace: 'default' });
  const native = await NativeConnection.connect({ address: servers.temporalAddress });
  const taskQueue = `bench-lifecycle-${randomBytes(3).toString('hex')}`;
  try {
    await ensureLifecycleIndexes(mongo.db);
    const workflowBundle = await bundleLifecycleWorkflows(path.join(__dirname, 'workflows.ts'));
    // Release documents: the real DOCX generator is registered when installed, but the benchmark's standards
    // have empty drafts (nothing to typeset), so a stand-in stores one id per edition; the release step is
    // automatic and not among the measured actions.
    const workerLogger = createLogger('bench-worker');
    const worker = await createWorker({
      connection: native,
      namespace: 'default',
      taskQueue,
      workflowBundle,
      logger: workerLogger,
      activities: createWorkerActivities({
        db: mongo.db,
        logger: workerLogger,
        overrides: {
          async generateReleaseDocuments({ standardId }) {
            return { documentIds: ['joint', 'SH', 'JS', 'ZJ'].map((e) => `${standardId}-${e}`) };
          },
        },
      }),
    });
    const service = createLifecycleService({
      client,
      db: mongo.db,
      taskQueue,
      durations: { commentPeriodMs: COMMENT_MS, reminderIntervalMs: 3_600_000, filingReminderMs: 3_600_000, reviewIntervalMs: REVIEW_MS },
    });
    await worker.runUntil(async () => {
      const year = Number(chinaToday(Date.now()).slice(0, 4));
      process.stdout.write(`bench:lifecycle — ${N} standards concurrently, Temporal ${servers.temporalAddress}, MongoDB ${servers.mongoUri}\n`);
      const actionsPerStandard = 14;
      const floorBefore = await floor(client, taskQueue, Math.ceil(actionsPerStandard / 2));
      const samples = new Map<string, number[]>();
      const t0 = Date.now();
      let finished = 0;
      const progress = setInterval(() => {
        const n = [...samples.values()].reduce((a, xs) => a + xs.length, 0);
        process.stdout.write(`  … ${Math.round((Date.now() - t0) / 1000)} s: ${finished}/${N} lifecycles finished, ${n} actions measured\n`);
      }, 30_000);
      const results = await Promise.allSettled(
        Array.from({ length: N }, (_, i) =>
          oneLifecycle(mongo.db, service, samples, i, year).finally(() => {
            finished += 1;
          }),
        ),
      );
      clearInterval(progress);
      const wall = (Date.now() - t0) / 1000;
      const failed = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
      const floorAfter = await floor(client, taskQueue, Math.floor(actionsPerStandard / 2));

      const all = summarize([...samples.values()].flat());
      const bare = summarize([...floorBefore, ...floorAfter]);
      const rows: Array<[string, Summary]> = [['bare Temporal Update round trip (floor)', bare], ['lifecycle action → visible in MongoDB', all]];
      process.stdout.write(`\n${'measure'.padEnd(44)}${'n'.padStart(7)}${'p50 ms'.padStart(9)}${'p95 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'max ms'.padStart(9)}\n`);
      for (const [name, s] of rows) process.stdout.write(`${name.padEnd(44)}${String(s.n).padStart(7)} ${fmt(s.p50)} ${fmt(s.p95)} ${fmt(s.p99)} ${fmt(s.max)}\n`);
      process.stdout.write(`${'ratio lifecycle / floor'.padEnd(44)}${''.padStart(7)} ${fmt(all.p50 / bare.p50)} ${fmt(all.p95 / bare.p95)} ${fmt(all.p99 / bare.p99)}\n`);
      process.stdout.write('\nper action (lifecycle):\n');
      for (const [action, xs] of [...samples.entries()].sort()) {
        const s = summarize(xs);
        process.stdout.write(`  ${action.padEnd(42)}${String(s.n).padStart(7)} ${fmt(s.p50)} ${fmt(s.p95)} ${fmt(s.p99)} ${fmt(s.max)}\n`);
      }
      process.stdout.write(`\nlifecycles completed ${N - failed.length}/${N} in ${wall.toFixed(1)} s (comment period ${COMMENT_MS} ms, review interval ${REVIEW_MS} ms)\n`);
      for (const f of failed.slice(0, 3)) process.stdout.write(`  failure: ${String((f.reason as Error)?.message ?? f.reason)}\n`);
      const ratio = all.p99 / bare.p99;
      process.stdout.write(`figures: lifecycle p50/p95/p99 ${all.p50.toFixed(1)}/${all.p95.toFixed(1)}/${all.p99.toFixed(1)} ms, floor ${bare.p50.toFixed(1)}/${bare.p95.toFixed(1)}/${bare.p99.toFixed(1)} ms, lifecycles ${N - failed.length}/${N}\n`);
      process.stdout.write(`RESULT lifecycle_p99_ratio ${ratio.toFixed(2)} goal <=2 ${ratio <= 2 && failed.length === 0 ? 'met' : 'missed'}\n`);
      if (failed.length > 0) process.exitCode = 1;
    });
  } finally {
    await native.close();
    await connection.close();
    await mongo.db.dropDatabase().catch(() => undefined);
    await mongo.close();
    await servers.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
