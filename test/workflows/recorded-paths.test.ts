// Three lifecycle paths beside the full one, each checked here and recorded for the replay test
// (test/workflows/histories/, re-recorded with `TONGBIAO_RECORD_HISTORY=1 npx jest test/workflows/recorded-paths.test.ts`):
// a proposal returned at 立项 and resubmitted (and a 报批稿 returned and resubmitted), 技术审查 sending the
// draft back to drafting, and a release whose document generation fails once and is retried. A change that
// breaks determinism on one of these paths then fails the replay test, not a running lifecycle.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { listNotificationsOfStandard } from '../../activities/data/notifications';
import type { LifecycleDurations } from '../../workflows/messages';
import { actors, chinaTodayNow, numberFor, regulatorOf, sampleProposal, startHarness, testReleaseDocuments, waitForState, type Harness } from './support';

/** Short periods; reminders every 2.5 s, so the release retry (one reminder interval later) comes quickly. */
const durations: LifecycleDurations = { commentPeriodMs: 1500, reminderIntervalMs: 2500, filingReminderMs: 800, reviewIntervalMs: 60_000 };

let h: Harness;
/** Standards whose first release-document generation already failed. */
const failedOnce = new Set<string>();
beforeAll(async () => {
  h = await startHarness('paths', {
    durations,
    seams: (db) => ({
      async generateReleaseDocuments(input) {
        if (!failedOnce.has(input.standardId)) {
          failedOnce.add(input.standardId);
          throw ApplicationFailure.nonRetryable('generator busy', 'TEST_GENERATOR_BUSY', { zh: '生成服务繁忙', en: 'The generator is busy' });
        }
        return testReleaseDocuments(db).generateReleaseDocuments(input);
      },
    }),
  });
});
afterAll(async () => {
  if (h) expect(await h.replayAll()).toBeGreaterThan(0);
  await h?.close();
});

/** Waits for the workflow to close, then records its history when asked to. */
async function finish(id: string, file: string): Promise<number> {
  const handle = h.client.workflow.getHandle(`standard-${id}`);
  await handle.result();
  const history = await handle.fetchHistory();
  if (process.env.TONGBIAO_RECORD_HISTORY === '1') writeFileSync(path.join(__dirname, 'histories', file), JSON.stringify(history, null, 1));
  return history.events?.length ?? 0;
}

async function timelineOf(id: string): Promise<string[]> {
  return (await h.service.timeline(id)).map((e) => `${e.fromStage ?? '-'}>${e.toStage}/${e.step}:${e.action}`);
}

async function approveInitiation(id: string): Promise<void> {
  for (const p of ['SH', 'JS', 'ZJ'] as const) await h.service.act(id, 'decideInitiation', { province: p, decision: 'approve' }, regulatorOf[p]);
}

async function throughComments(id: string): Promise<void> {
  await h.service.act(id, 'submitForComment', {}, actors.drafter);
  await waitForState(h, id, (s) => s.step === 'handlingComments');
  await h.service.act(id, 'completeCommentHandling', {}, actors.drafter);
}

test('a proposal returned at 立项 is resubmitted and decided again; a returned 报批稿 likewise', async () => {
  const { _id: id } = await h.service.propose(sampleProposal, actors.shEco);
  await h.service.act(id, 'decideInitiation', { province: 'SH', decision: 'approve' }, actors.shReg);
  let s = await h.service.act(id, 'decideInitiation', { province: 'JS', decision: 'return', reason: '范围需收窄' }, actors.jsReg);
  expect([s.stage, s.step, s.provinces.JS.decision]).toEqual(['initiation', 'returned', 'returned']);
  s = await h.service.act(id, 'resubmit', { reason: '已收窄范围' }, actors.shEco);
  expect([s.step, s.pendingProvinces]).toEqual(['awaitingDecisions', ['SH', 'JS', 'ZJ']]);
  await approveInitiation(id);
  await throughComments(id);
  await h.service.act(id, 'recordReviewResult', { outcome: 'pass' }, actors.expert);
  await h.service.act(id, 'submitForApproval', {}, actors.drafter);
  await h.service.act(id, 'decideApproval', { province: 'SH', decision: 'approve', number: numberFor('SH', 320001) }, actors.shReg);
  s = await h.service.act(id, 'decideApproval', { province: 'ZJ', decision: 'return', reason: '限值依据不足' }, actors.zjReg);
  expect([s.stage, s.step, s.provinces.SH.decision]).toEqual(['approval', 'returned', 'pending']);
  s = await h.service.act(id, 'resubmit', {}, actors.shEco);
  expect([s.stage, s.step]).toEqual(['approval', 'awaitingDecisions']);
  await h.service.act(id, 'withdraw', { reason: '记录完毕' }, actors.exec);
  expect(await finish(id, 'returned-proposal.json')).toBeGreaterThan(50);
  const timeline = await timelineOf(id);
  expect(timeline.slice(0, 5)).toEqual([
    '->initiation/awaitingDecisions:propose',
    'initiation>initiation/awaitingDecisions:decideInitiation',
    'initiation>initiation/returned:decideInitiation',
    'initiation>initiation/awaitingDecisions:resubmit',
    'initiation>initiation/awaitingDecisions:decideInitiation',
  ]);
  expect(timeline.slice(-4)).toEqual(['approval>approval/awaitingDecisions:decideApproval', 'approval>approval/returned:decideApproval', 'approval>approval/awaitingDecisions:resubmit', 'approval>withdrawn/ended:withdraw']);
}, 120_000);

test('技术审查 sends the draft back to drafting; it goes through comments and review again', async () => {
  const { _id: id } = await h.service.propose(sampleProposal, actors.shEco);
  await approveInitiation(id);
  await throughComments(id);
  let s = await h.service.act(id, 'recordReviewResult', { outcome: 'backToDrafting', reason: '第5章需重写' }, actors.expert);
  expect([s.stage, s.step, s.reviewOutcome]).toEqual(['drafting', 'editing', undefined]);
  await throughComments(id);
  s = await h.service.act(id, 'recordReviewResult', { outcome: 'pass' }, actors.expert);
  expect([s.stage, s.step, s.reviewOutcome]).toEqual(['technicalReview', 'revising', 'passed']);
  await h.service.act(id, 'withdraw', { reason: '记录完毕' }, actors.shEco);
  expect(await finish(id, 'back-to-drafting.json')).toBeGreaterThan(50);
  const timeline = await timelineOf(id);
  expect(timeline.filter((e) => e.endsWith(':submitForComment'))).toHaveLength(2);
  expect(timeline).toContain('technicalReview>drafting/editing:recordReviewResult');
}, 120_000);

test('a release whose documents fail once is held, the bureaus told, and retried one reminder interval later', async () => {
  const { _id: id } = await h.service.propose(sampleProposal, actors.shEco);
  await approveInitiation(id);
  await throughComments(id);
  await h.service.act(id, 'recordReviewResult', { outcome: 'pass' }, actors.expert);
  await h.service.act(id, 'submitForApproval', {}, actors.drafter);
  const today = chinaTodayNow();
  await h.service.act(id, 'setReleaseDates', { releaseDate: today, implementationDate: today }, actors.exec);
  for (const p of ['SH', 'JS', 'ZJ'] as const) await h.service.act(id, 'decideApproval', { province: p, decision: 'approve', number: numberFor(p, 340001) }, regulatorOf[p]);
  const s = await waitForState(h, id, (x) => x.stage === 'inForce', 30_000);
  expect(s.publishedAt).toBeDefined();
  const blocked = (await listNotificationsOfStandard(h.db, id)).filter((n) => n.kind === 'releaseBlocked');
  expect(blocked).toHaveLength(1);
  expect(blocked[0].messageEn).toContain('The generator is busy');
  await h.service.act(id, 'withdraw', { reason: '记录完毕' }, actors.exec);
  expect(await finish(id, 'release-retried.json')).toBeGreaterThan(50);
  const history = await h.client.workflow.getHandle(`standard-${id}`).fetchHistory();
  const generations = (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'generateReleaseDocuments');
  expect(generations).toHaveLength(2);
  expect((await timelineOf(id)).filter((e) => e.startsWith('release>'))).toEqual(['release>release/generatingDocuments:releaseDateReached', 'release>publicity/running:publish']);
}, 120_000);
