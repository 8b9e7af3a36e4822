// Test harness for the lifecycle: a fresh database, a client and a worker on the suite's real Temporal dev
// server, each test file on its own task queue, plus the actors of every role and small helpers.
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, type WorkflowBundle } from '@temporalio/worker';
import type { Db } from 'mongodb';
import { ApplicationFailure } from '@temporalio/activity';
import { SEAM_UNAVAILABLE, type SeamActivities } from '../../activities/lifecycle/seams';
import type { Logger } from '../../activities/infra/logger';
import { createWorkerActivities, type WorkerActivities } from '../../activities/worker';
import { chinaToday } from '../../workflows/dates';
import { ensureLifecycleIndexes } from '../../server/temporal/indexes';
import { createLifecycleService, type LifecycleService } from '../../server/temporal/lifecycle-service';
import { bundleLifecycleWorkflows, createWorker } from '../../server/temporal/worker';
import { createLogger } from '../../activities/infra/logger';
import type { Actor, Province } from '../../workflows/domain';
import type { LifecycleDurations, LifecycleState } from '../../workflows/messages';
import { freshMongo, requireEnv } from '../support/mongo';
import { testBundleCache } from '../support/bundle-cache';

export const actors = {
  shEco: { userId: 'u-sh-eco', displayName: '上海市生态环境局', role: 'ecoEnvDepartment', province: 'SH' },
  jsEco: { userId: 'u-js-eco', displayName: '江苏省生态环境厅', role: 'ecoEnvDepartment', province: 'JS' },
  shReg: { userId: 'u-sh-reg', displayName: '上海市市场监督管理局', role: 'marketRegulator', province: 'SH' },
  jsReg: { userId: 'u-js-reg', displayName: '江苏省市场监督管理局', role: 'marketRegulator', province: 'JS' },
  zjReg: { userId: 'u-zj-reg', displayName: '浙江省市场监督管理局', role: 'marketRegulator', province: 'ZJ' },
  exec: { userId: 'u-exec', displayName: '示范区执委会', role: 'executiveCommittee' },
  drafter: { userId: 'u-drafter', displayName: '起草人甲', role: 'drafter', province: 'SH' },
  expert: { userId: 'u-expert', displayName: '专家乙', role: 'expert' },
  localBureau: { userId: 'u-qingpu', displayName: '青浦区生态环境局', role: 'localBureau', province: 'SH' },
  admin: { userId: 'u-admin', displayName: '管理员', role: 'admin' },
} satisfies Record<string, Actor>;

export const regulatorOf: Record<Province, Actor> = { SH: actors.shReg, JS: actors.jsReg, ZJ: actors.zjReg };

export const sampleProposal = {
  titleZh: '水污染物排放标准',
  titleEn: 'Discharge standard of water pollutants',
  kind: 'emissionStandard' as const,
  mandatory: false,
  field: '水环境',
  scope: '本文件规定了示范区内水污染物排放限值。',
  leadUnits: ['上海市生态环境局'],
  participatingUnits: ['江苏省生态环境厅', '浙江省生态环境厅'],
  plannedYear: 2026,
};

/** Short durations: nothing in a test waits more than a few seconds. */
export const shortDurations: LifecycleDurations = {
  commentPeriodMs: 1500,
  reminderIntervalMs: 3_600_000,
  filingReminderMs: 800,
  reviewIntervalMs: 1500,
};

// Worker chatter at INFO drowns test output; warnings and errors still show.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // already installed by an earlier import in this worker process
}

let bundle: Promise<WorkflowBundle> | undefined;
/** One workflow bundle per test file (bundling takes seconds). */
export function sharedBundle(): Promise<WorkflowBundle> {
  return (bundle ??= bundleLifecycleWorkflows(undefined, testBundleCache()));
}

/** Release documents for tests: stores one id per edition, as the DOCX generator will (it is another issue's). */
export function testReleaseDocuments(db: Db): Pick<SeamActivities, 'generateReleaseDocuments'> {
  return {
    async generateReleaseDocuments({ standardId }) {
      const ids = ['joint', 'SH', 'JS', 'ZJ'].map((e) => `${standardId}-${e}`);
      for (const id of ids) await db.collection<{ _id: string; standardId: string }>('release_documents').updateOne({ _id: id }, { $set: { standardId } }, { upsert: true });
      return { documentIds: ids };
    },
  };
}

/** A release without a DOCX generator: fails as the workflow expects of a missing capability (it parks). */
export function unavailableReleaseDocuments(): Pick<SeamActivities, 'generateReleaseDocuments'> {
  return {
    async generateReleaseDocuments(input) {
      throw ApplicationFailure.nonRetryable(`No release documents exist for ${input.standardId}`, SEAM_UNAVAILABLE.releaseDocuments, {
        zh: '尚无发布文本：DOCX 生成模块尚未安装，发布暂停',
        en: 'No release documents exist yet: the DOCX generator is not installed; release is on hold',
      });
    },
  };
}

/** The production activities (`createWorkerActivities`) with the release documents stood in for (test drafts are empty). */
export function testWorkerActivities(db: Db, logger: Logger, overrides: Partial<WorkerActivities> = testReleaseDocuments(db)): WorkerActivities {
  return createWorkerActivities({ db, logger, overrides });
}

export interface Harness {
  db: Db;
  client: Client;
  native: NativeConnection;
  taskQueue: string;
  service: LifecycleService;
  worker: Worker;
  /** Starts a fresh worker (after `stopWorker`). */
  startWorker(): Promise<Worker>;
  stopWorker(): Promise<void>;
  /** Replays every workflow this file ran against the current code; returns how many. */
  replayAll(): Promise<number>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  durations?: LifecycleDurations;
  seams?: (db: Db) => Partial<SeamActivities>;
}

export async function startHarness(name: string, opts: HarnessOptions = {}): Promise<Harness> {
  const mongo = await freshMongo(name);
  await ensureLifecycleIndexes(mongo.db);
  const address = requireEnv('TEMPORAL_ADDRESS');
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: 'default' });
  const native = await NativeConnection.connect({ address });
  const taskQueue = `test-${name}-${randomBytes(4).toString('hex')}`;
  const workflowBundle = await sharedBundle();
  const seams = opts.seams ? opts.seams(mongo.db) : testReleaseDocuments(mongo.db);
  let running: Promise<void> | undefined;
  const h: Harness = {
    db: mongo.db,
    client,
    native,
    taskQueue,
    service: createLifecycleService({ client, db: mongo.db, taskQueue, durations: opts.durations ?? shortDurations }),
    worker: undefined as unknown as Worker,
    async startWorker() {
      const logger = createLogger(`test-worker-${name}`);
      h.worker = await createWorker({ connection: native, namespace: 'default', taskQueue, activities: testWorkerActivities(mongo.db, logger, seams), workflowBundle, logger });
      running = h.worker.run();
      return h.worker;
    },
    async stopWorker() {
      if (h.worker.getState() === 'RUNNING') h.worker.shutdown();
      await running;
    },
    async replayAll() {
      const histories = client.workflow.list({ query: `TaskQueue = '${taskQueue}'` }).intoHistories();
      let n = 0;
      for await (const r of Worker.runReplayHistories({ workflowBundle }, histories)) {
        if (r.error) throw r.error;
        n += 1;
      }
      return n;
    },
    async close() {
      await h.stopWorker().catch(() => undefined);
      await native.close();
      await connection.close();
      await mongo.drop();
    },
  };
  await h.startWorker();
  return h;
}

/** Polls until `pred` holds for the live state (timers fire on their own; this only watches). */
export async function waitForState(h: Harness, standardId: string, pred: (s: LifecycleState) => boolean, timeoutMs = 20_000): Promise<LifecycleState> {
  const deadline = Date.now() + timeoutMs;
  let last: LifecycleState | undefined;
  while (Date.now() < deadline) {
    last = await h.service.state(standardId);
    if (pred(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`state never matched; last: ${JSON.stringify(last)}`);
}

/** Today's date in China, yyyy-mm-dd. */
export function chinaTodayNow(): string {
  return chinaToday(Date.now());
}

export function numberFor(p: Province, seq: number, year = Number(chinaTodayNow().slice(0, 4))): string {
  const code = { SH: 'DB31', JS: 'DB32', ZJ: 'DB33' }[p];
  return `${code}/T ${seq}—${year}`;
}

/** Runs the lifecycle from proposal to the start of approval. */
export async function driveToApproval(h: Harness): Promise<string> {
  const rec = await h.service.propose(sampleProposal, actors.shEco);
  const id = rec._id;
  for (const p of ['SH', 'JS', 'ZJ'] as const) await h.service.act(id, 'decideInitiation', { province: p, decision: 'approve' }, regulatorOf[p]);
  await h.service.act(id, 'submitForComment', {}, actors.drafter);
  await waitForState(h, id, (s) => s.step === 'handlingComments');
  await h.service.act(id, 'completeCommentHandling', {}, actors.drafter);
  await h.service.act(id, 'recordReviewResult', { outcome: 'pass' }, actors.expert);
  await h.service.act(id, 'submitForApproval', {}, actors.drafter);
  return id;
}
