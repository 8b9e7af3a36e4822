// The production durations — a 30-day comment period, weekly reminders, the 60-day 备案 reminder, the
// 5-year 复审 — on the time-skipping test server (TEMPORAL_TEST_SERVER_PATH), with real activities on
// FerretDB. Also: publicity that is never completed still gives way to 实施 on the implementation date.
import { randomBytes } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import { listNotificationsOfStandard } from '../../activities/data/notifications';
import { ensureLifecycleIndexes } from '../../server/temporal/indexes';
import { createLifecycleService, type LifecycleService } from '../../server/temporal/lifecycle-service';
import { createWorker } from '../../server/temporal/worker';
import { createLogger } from '../../activities/infra/logger';
import { chinaToday } from '../../workflows/dates';
import { DAY_MS, DEFAULT_DURATIONS, type LifecycleState } from '../../workflows/messages';
import { freshMongo, requireEnv } from '../support/mongo';
import { actors, numberFor, regulatorOf, sampleProposal, sharedBundle, testWorkerActivities } from './support';

try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // installed already
}

let env: TestWorkflowEnvironment;
let mongo: Awaited<ReturnType<typeof freshMongo>>;
let worker: Worker;
let running: Promise<void>;
let service: LifecycleService;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: requireEnv('TEMPORAL_TEST_SERVER_PATH') } } });
  mongo = await freshMongo('timeskip');
  await ensureLifecycleIndexes(mongo.db);
  const taskQueue = `test-timeskip-${randomBytes(4).toString('hex')}`;
  worker = await createWorker({ connection: env.nativeConnection, namespace: env.namespace ?? 'default', taskQueue, activities: testWorkerActivities(mongo.db, createLogger('test-timeskip')), workflowBundle: await sharedBundle(), logger: createLogger('test-timeskip') });
  running = worker.run();
  // The test server has no Tongbiao search attributes registered.
  service = createLifecycleService({ client: env.client, db: mongo.db, taskQueue, durations: DEFAULT_DURATIONS, searchAttributes: false });
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await mongo?.drop();
});

async function chinaDate(offsetDays: number): Promise<string> {
  return chinaToday((await env.currentTimeMs()) + offsetDays * DAY_MS);
}

async function stateOf(id: string): Promise<LifecycleState> {
  return service.state(id);
}

test('thirty days of comment, 备案 after sixty days, 实施 on its date without publicity done, and 复审 after five years', async () => {
  const { _id: id } = await service.propose(sampleProposal, actors.shEco);
  for (const p of ['SH', 'JS', 'ZJ'] as const) await service.act(id, 'decideInitiation', { province: p, decision: 'approve' }, regulatorOf[p]);

  // Drafting waits on the drafters: a reminder each week.
  await env.sleep(15 * DAY_MS);
  const drafting = (await listNotificationsOfStandard(mongo.db, id)).filter((n) => n.kind === 'reminder' && n.action === 'submitForComment');
  expect(drafting).toHaveLength(2);
  expect(drafting[0].recipients).toEqual([{ role: 'drafter', standardId: id }, { role: 'ecoEnvDepartment', province: 'SH' }]);

  const open = await service.act(id, 'submitForComment', {}, actors.drafter);
  const deadline = Date.parse(open.commentDeadline!);
  expect(deadline - (await env.currentTimeMs())).toBeGreaterThan(29.9 * DAY_MS);
  await env.sleep(29 * DAY_MS);
  expect((await stateOf(id)).step).toBe('open');
  await env.sleep(2 * DAY_MS);
  expect((await stateOf(id)).step).toBe('handlingComments');

  await service.act(id, 'completeCommentHandling', {}, actors.drafter);
  await service.act(id, 'recordReviewResult', { outcome: 'pass' }, actors.expert);
  await service.act(id, 'submitForApproval', {}, actors.drafter);
  const releaseDate = await chinaDate(10);
  const implementationDate = await chinaDate(40);
  await service.act(id, 'setReleaseDates', { releaseDate, implementationDate }, actors.exec);
  for (const p of ['SH', 'JS', 'ZJ'] as const) await service.act(id, 'decideApproval', { province: p, decision: 'approve', number: numberFor(p, 341000) }, regulatorOf[p]);
  expect((await stateOf(id)).step).toBe('awaitingReleaseDate');

  // Published at 00:00 China time of the release date, not before.
  await env.sleep(9 * DAY_MS);
  expect((await stateOf(id)).stage).toBe('release');
  await env.sleep(2 * DAY_MS);
  const published = await stateOf(id);
  expect([published.stage, published.step]).toEqual(['publicity', 'running']);
  expect(Date.parse(published.publishedAt!)).toBeGreaterThanOrEqual(Date.parse(`${releaseDate}T00:00:00+08:00`));

  // Publicity is never completed; 实施 starts on the implementation date anyway.
  await service.act(id, 'recordPublicityEvent', { eventId: 'training' }, actors.exec);
  await env.sleep(31 * DAY_MS);
  const inForce = await stateOf(id);
  expect([inForce.stage, inForce.publicityDone, inForce.publicityEvents]).toEqual(['inForce', false, 1]);

  await env.sleep(30 * DAY_MS);
  const filing = (await listNotificationsOfStandard(mongo.db, id)).filter((n) => n.kind === 'filingReminder');
  expect(filing).toHaveLength(1);

  // 复审 due five years after coming into force.
  const due = Date.parse(inForce.reviewDueAt!);
  expect(due - Date.parse(`${implementationDate}T00:00:00+08:00`)).toBeGreaterThanOrEqual(5 * 365 * DAY_MS);
  await env.sleep(due - (await env.currentTimeMs()) - DAY_MS);
  expect((await stateOf(id)).stage).toBe('inForce');
  await env.sleep(2 * DAY_MS);
  const review = await stateOf(id);
  expect([review.stage, review.step]).toEqual(['review', 'deciding']);
  await service.act(id, 'decideReview', { outcome: 'abolish', reason: '测试结束' }, actors.shEco);
}, 180_000);
