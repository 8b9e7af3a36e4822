// The production durations — a 30-day comment period, weekly reminders, the 60-day 备案 reminder, the
// 5-year 复审 — on the time-skipping test server (TEMPORAL_TEST_SERVER_PATH), with real activities on
// FerretDB. Also: publicity that is never completed still gives way to 实施 on the implementation date.
import { listNotificationsOfStandard } from '../../activities/data/notifications';
import type { LifecycleService } from '../../server/temporal/lifecycle-service';
import { chinaToday } from '../../workflows/dates';
import { DAY_MS, type LifecycleState } from '../../workflows/messages';
import { actors, numberFor, regulatorOf, sampleProposal } from './support';
import { startTimeSkipping, type TimeSkippingHarness } from './time-skipping';

let ts: TimeSkippingHarness;
let env: TimeSkippingHarness['env'];
let mongo: TimeSkippingHarness['mongo'];
let service: LifecycleService;

beforeAll(async () => {
  ts = await startTimeSkipping('timeskip');
  ({ env, mongo, lifecycle: service } = ts);
}, 120_000);

afterAll(async () => {
  await ts?.close();
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
