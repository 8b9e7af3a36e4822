// Durable timers with short inputs on the real dev server: the comment period closes by itself, an
// extension moves the deadline, reminders reach the holders of the next action, the 复审 timer opens the
// review, and a "revise" review decision starts the revision as its own lifecycle.
import { listNotificationsOfStandard } from '../../activities/data/notifications';
import { getStandard } from '../../activities/data/standards';
import { actors, chinaTodayNow, numberFor, regulatorOf, sampleProposal, startHarness, waitForState, type Harness } from './support';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('timers', { durations: { commentPeriodMs: 4000, reminderIntervalMs: 600, filingReminderMs: 60_000, reviewIntervalMs: 2000 } });
});
afterAll(async () => {
  if (h) expect(await h.replayAll()).toBeGreaterThan(0);
  await h?.close();
});

async function toDrafting(): Promise<string> {
  const { _id: id } = await h.service.propose(sampleProposal, actors.shEco);
  for (const p of ['SH', 'JS', 'ZJ'] as const) await h.service.act(id, 'decideInitiation', { province: p, decision: 'approve' }, regulatorOf[p]);
  return id;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('the comment period closes by itself at its deadline', async () => {
  const id = await toDrafting();
  const opened = await h.service.act(id, 'submitForComment', {}, actors.drafter);
  const deadline = Date.parse(opened.commentDeadline!);
  // 4 s of period leave a loaded machine room for the act's answer and the query below (2.5 s was tight on CI).
  expect(deadline - Date.now()).toBeGreaterThan(2500);
  await sleep(1000);
  expect((await h.service.state(id)).step).toBe('open');
  const closed = await waitForState(h, id, (s) => s.step === 'handlingComments');
  const entry = (await h.service.timeline(id)).find((e) => e.action === 'commentPeriodClosed');
  expect(entry).toMatchObject({ actor: null, fromStage: 'publicComment', toStage: 'publicComment', step: 'handlingComments' });
  expect(Date.parse(entry!.at)).toBeGreaterThanOrEqual(deadline);
  expect(closed.stage).toBe('publicComment');
  await h.service.act(id, 'withdraw', { reason: '测试结束' }, actors.shEco);
});

test('an extension moves the deadline: the period stays open past the old one and closes at the new one', async () => {
  const id = await toDrafting();
  const opened = await h.service.act(id, 'submitForComment', {}, actors.drafter);
  const oldDeadline = Date.parse(opened.commentDeadline!);
  await expect(h.service.act(id, 'extendCommentPeriod', { newDeadline: new Date(oldDeadline - 1000).toISOString(), reason: '提前' }, actors.shEco)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  await expect(h.service.act(id, 'extendCommentPeriod', { newDeadline: new Date(oldDeadline + 3000).toISOString(), reason: '延长' }, actors.drafter)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  const newDeadline = new Date(oldDeadline + 3000).toISOString();
  const s = await h.service.act(id, 'extendCommentPeriod', { newDeadline, reason: '应企业要求延长' }, actors.exec);
  expect(s.commentDeadline).toBe(newDeadline);
  expect((await getStandard(h.db, id))?.commentDeadline).toBe(newDeadline);
  await sleep(Math.max(0, oldDeadline - Date.now()) + 800);
  expect((await h.service.state(id)).step).toBe('open');
  await waitForState(h, id, (x) => x.step === 'handlingComments');
  const closedAt = Date.parse((await h.service.timeline(id)).find((e) => e.action === 'commentPeriodClosed')!.at);
  expect(closedAt).toBeGreaterThanOrEqual(Date.parse(newDeadline));
  // Once closed, the period can no longer be extended.
  await expect(h.service.act(id, 'extendCommentPeriod', { newDeadline: new Date(Date.now() + 60_000).toISOString(), reason: '再延长' }, actors.exec)).rejects.toMatchObject({ code: 'STAGE_CONFLICT' });
  await h.service.act(id, 'withdraw', { reason: '测试结束' }, actors.shEco);
});

test('while a step waits, reminders go to whoever holds the next action, and only to them', async () => {
  const { _id: id } = await h.service.propose(sampleProposal, actors.shEco);
  await h.service.act(id, 'decideInitiation', { province: 'SH', decision: 'approve' }, actors.shReg);
  // Every 600 ms while the step waits; each one is a timer's round trip, slower on a loaded machine.
  const remindersOf = async (): Promise<Awaited<ReturnType<typeof listNotificationsOfStandard>>> => (await listNotificationsOfStandard(h.db, id)).filter((n) => n.kind === 'reminder');
  const deadline = Date.now() + 15_000;
  let reminders = await remindersOf();
  while (reminders.length < 2 && Date.now() < deadline) {
    await sleep(200);
    reminders = await remindersOf();
  }
  expect(reminders.length).toBeGreaterThanOrEqual(2);
  for (const r of reminders) {
    expect(r.action).toBe('decideInitiation');
    expect(r.recipients).toEqual([{ role: 'marketRegulator', province: 'JS' }, { role: 'marketRegulator', province: 'ZJ' }]);
  }
  await h.service.act(id, 'withdraw', { reason: '测试结束' }, actors.shEco);
  const withdrawnAt = Date.now();
  // A reminder whose timer fired just before the withdrawal may still be written after it (its activity was
  // in flight); none may be dated after it: more than two intervals pass.
  await sleep(1500);
  expect((await remindersOf()).filter((r) => Date.parse(r.at) > withdrawnAt)).toEqual([]);
});

async function toInForce(): Promise<string> {
  const id = await toDrafting();
  await h.service.act(id, 'submitForComment', {}, actors.drafter);
  await waitForState(h, id, (s) => s.step === 'handlingComments');
  await h.service.act(id, 'completeCommentHandling', {}, actors.shEco);
  await h.service.act(id, 'recordReviewResult', { outcome: 'pass' }, actors.expert);
  await h.service.act(id, 'submitForApproval', {}, actors.shEco);
  const today = chinaTodayNow();
  await h.service.act(id, 'setReleaseDates', { releaseDate: today, implementationDate: today }, actors.exec);
  for (const p of ['SH', 'JS', 'ZJ'] as const) await h.service.act(id, 'decideApproval', { province: p, decision: 'approve', number: numberFor(p, Number(id.replace(/\D/g, '').slice(0, 6) || '1') + 100_007) }, regulatorOf[p]);
  await waitForState(h, id, (s) => s.stage === 'inForce');
  return id;
}

test('the 复审 timer opens the review by itself; the lead department may also open it early', async () => {
  const id = await toInForce();
  const inForce = await h.service.state(id);
  const due = Date.parse(inForce.reviewDueAt!);
  await expect(h.service.act(id, 'startReview', {}, actors.jsEco)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  const s = await waitForState(h, id, (x) => x.stage === 'review');
  expect(s.step).toBe('deciding');
  const opened = (await h.service.timeline(id)).find((e) => e.action === 'reviewDue')!;
  expect(Date.parse(opened.at)).toBeGreaterThanOrEqual(due);
  // Continue: in force again with a new due date; then opened early by hand.
  const cont = await h.service.act(id, 'decideReview', { outcome: 'continue', reason: '继续有效' }, actors.shEco);
  expect(Date.parse(cont.reviewDueAt!)).toBeGreaterThan(due);
  const early = await h.service.act(id, 'startReview', { reason: '国家标准更新' }, actors.shEco);
  expect([early.stage, early.step]).toEqual(['review', 'deciding']);
  await h.service.act(id, 'decideReview', { outcome: 'abolish', reason: '测试结束' }, actors.shEco);
}, 60_000);

test('a "revise" review decision creates the revision and starts its own lifecycle, which outlives this one', async () => {
  const id = await toInForce();
  await h.service.act(id, 'startReview', {}, actors.shEco);
  const s = await h.service.act(id, 'decideReview', { outcome: 'revise', reason: '限值需收严' }, actors.shEco);
  const newId = `${id}-r1`;
  expect([s.stage, s.revisedBy]).toEqual(['inForce', newId]);
  const revision = await getStandard(h.db, newId);
  expect(revision).toMatchObject({ revisionOf: id, stage: 'initiation', leadProvince: 'SH', titleZh: sampleProposal.titleZh });
  expect(revision?.replaces?.length).toBe(3);
  const child = await h.service.state(newId);
  expect([child.stage, child.step]).toEqual(['initiation', 'awaitingDecisions']);
  const desc = await h.client.workflow.getHandle(`standard-${newId}`).describe();
  expect(desc.status.name).toBe('RUNNING');
  // The old standard ends; its revision carries on (ParentClosePolicy ABANDON).
  await h.service.act(id, 'startReview', {}, actors.shEco);
  await h.service.act(id, 'decideReview', { outcome: 'abolish', reason: '由修订版替代' }, actors.shEco);
  await h.client.workflow.getHandle(`standard-${id}`).result();
  const after = await h.service.act(newId, 'decideInitiation', { province: 'SH', decision: 'approve' }, actors.shReg);
  expect(after.provinces.SH.decision).toBe('approved');
  expect((await h.service.timeline(newId))[0]).toMatchObject({ action: 'propose', actor: { userId: 'u-sh-eco' }, reason: '限值需收严' });
  await h.service.act(newId, 'withdraw', { reason: '测试结束' }, actors.shEco);
}, 60_000);
