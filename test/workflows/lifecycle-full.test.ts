// The whole lifecycle through the lifecycle service, every role taking its part, on the real Temporal
// dev server and FerretDB. With TONGBIAO_RECORD_HISTORY=1 it also records the history the replay test uses.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { listAudit } from '../../activities/data/audit';
import { listNotificationsOfStandard } from '../../activities/data/notifications';
import { numbersOfStandard } from '../../activities/data/numbers';
import { getStandard } from '../../activities/data/standards';
import { draftIsEditable } from '../../workflows/domain';
import { actors, chinaTodayNow, numberFor, regulatorOf, sampleProposal, startHarness, waitForState, type Harness } from './support';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('full');
});
afterAll(async () => {
  await h?.close();
});

async function projectionMatches(id: string, revision: number): Promise<void> {
  const rec = await getStandard(h.db, id);
  expect(rec?.revision).toBe(revision);
}

test('a standard goes from 立项 to 废止 with every role taking its part, each step visible in MongoDB when the action returns', async () => {
  const rec = await h.service.propose(sampleProposal, actors.shEco);
  const id = rec._id;
  expect(rec.stage).toBe('initiation');
  expect(rec.leadProvince).toBe('SH');

  // 立项: all three bureaus approve.
  let s = await h.service.act(id, 'decideInitiation', { province: 'JS', decision: 'approve' }, actors.jsReg);
  expect(s.stage).toBe('initiation');
  expect(s.pendingProvinces).toEqual(['SH', 'ZJ']);
  await projectionMatches(id, s.revision);
  await h.service.act(id, 'decideInitiation', { province: 'ZJ', decision: 'approve' }, actors.zjReg);
  s = await h.service.act(id, 'decideInitiation', { province: 'SH', decision: 'approve' }, actors.shReg);
  expect([s.stage, s.step]).toEqual(['drafting', 'editing']);
  await projectionMatches(id, s.revision);

  // 起草 → 征求意见: the period closes by itself.
  s = await h.service.act(id, 'submitForComment', { reason: '征求意见稿及编制说明' }, actors.drafter);
  expect([s.stage, s.step]).toEqual(['publicComment', 'open']);
  expect(Date.parse(s.commentDeadline!)).toBeGreaterThan(Date.now());
  s = await waitForState(h, id, (x) => x.step === 'handlingComments');

  // A comment without disposition blocks the end of comment handling; with one it goes through.
  const comments = h.db.collection<{ _id: string; standardId: string; status: string; moderation: string }>('comments');
  await comments.insertOne({ _id: `${id}-c1`, standardId: id, status: 'pending', moderation: 'visible' });
  await comments.insertOne({ _id: `${id}-c2`, standardId: id, status: 'pending', moderation: 'hidden' });
  await expect(h.service.act(id, 'completeCommentHandling', {}, actors.drafter)).rejects.toMatchObject({ code: 'STAGE_CONFLICT', status: 409, messages: { en: '1 comment(s) still lack a disposition' } });
  await comments.updateOne({ _id: `${id}-c1` }, { $set: { status: 'disposed' } });
  s = await h.service.act(id, 'completeCommentHandling', {}, actors.drafter);
  expect([s.stage, s.step]).toEqual(['technicalReview', 'underReview']);

  // 技术审查: passed with changes, drafters revise, then 报批.
  s = await h.service.act(id, 'recordReviewResult', { outcome: 'passWithChanges', reason: '修改第5章限值' }, actors.expert);
  expect([s.stage, s.step, s.reviewOutcome]).toEqual(['technicalReview', 'revising', 'passedWithChanges']);
  s = await h.service.act(id, 'submitForApproval', {}, actors.drafter);
  expect([s.stage, s.step]).toEqual(['approval', 'awaitingDecisions']);

  // 报批: dates from the executive committee, a number from each bureau; release date today = at once.
  const today = chinaTodayNow();
  s = await h.service.act(id, 'setReleaseDates', { releaseDate: today, implementationDate: today }, actors.exec);
  expect(s.stage).toBe('approval');
  for (const p of ['SH', 'JS'] as const) await h.service.act(id, 'decideApproval', { province: p, decision: 'approve', number: numberFor(p, 310003) }, regulatorOf[p]);
  s = await h.service.act(id, 'decideApproval', { province: 'ZJ', decision: 'approve', number: numberFor('ZJ', 330017) }, actors.zjReg);
  expect(s.stage).toBe('release');
  expect(s.provinces.ZJ.number).toBe(numberFor('ZJ', 330017));

  // 发布 at one instant, then 实施 (implementation date reached) with publicity events still recorded.
  s = await waitForState(h, id, (x) => x.stage === 'inForce');
  const published = await getStandard(h.db, id);
  expect(published?.publishedAt).toBeDefined();
  expect(published?.publishedAt).toBe(s.publishedAt);
  expect((await numbersOfStandard(h.db, id)).map((n) => [n.province, n.status]).sort()).toEqual([['JS', 'published'], ['SH', 'published'], ['ZJ', 'published']]);
  // Named versions were frozen at each stage change (activities/versions, on the stored draft).
  expect(Object.keys(s.versions ?? {}).sort()).toEqual(['draftForApproval', 'draftForComment', 'draftForReview', 'published']);
  const frozen = await h.db.collection<{ _id: string; kind: string; standardId: string }>('versions').find({ standardId: id }).toArray();
  expect(frozen.map((v) => [v.kind, v._id]).sort()).toEqual(Object.entries(s.versions ?? {}).sort());
  s = await h.service.act(id, 'recordPublicityEvent', { eventId: 'training-1' }, actors.localBureau);
  expect(s.publicityEvents).toBe(1);

  // 备案 reminder to the three bureaus; the 复审 timer opens the review by itself.
  s = await waitForState(h, id, (x) => x.stage === 'review');
  const notes = await listNotificationsOfStandard(h.db, id);
  const filing = notes.find((n) => n.kind === 'filingReminder');
  expect(filing?.recipients.map((r) => r.province).sort()).toEqual(['JS', 'SH', 'ZJ']);

  // 复审: continue re-arms the timer; abolish ends the standard.
  s = await h.service.act(id, 'decideReview', { outcome: 'continue', reason: '仍然适用' }, actors.shEco);
  expect(s.stage).toBe('inForce');
  s = await waitForState(h, id, (x) => x.stage === 'review');
  s = await h.service.act(id, 'decideReview', { outcome: 'abolish', reason: '已被国家标准替代' }, actors.shEco);
  expect([s.stage, s.step, s.endReason]).toEqual(['abolished', 'ended', '已被国家标准替代']);

  const result = await h.client.workflow.getHandle(`standard-${id}`).result();
  expect(result.stage).toBe('abolished');
  await projectionMatches(id, result.revision);

  // The timeline names every step, who took it, with which role, from which stage to which.
  const timeline = await h.service.timeline(id);
  expect(timeline.map((e) => e.revision)).toEqual([...Array(result.revision + 1).keys()]);
  expect(timeline.map((e) => `${e.fromStage ?? '-'}>${e.toStage}:${e.action}:${e.role ?? 'system'}`)).toEqual([
    '->initiation:propose:ecoEnvDepartment',
    'initiation>initiation:decideInitiation:marketRegulator',
    'initiation>initiation:decideInitiation:marketRegulator',
    'initiation>drafting:decideInitiation:marketRegulator',
    'drafting>publicComment:submitForComment:drafter',
    'publicComment>publicComment:commentPeriodClosed:system',
    'publicComment>technicalReview:completeCommentHandling:drafter',
    'technicalReview>technicalReview:recordReviewResult:expert',
    'technicalReview>approval:submitForApproval:drafter',
    'approval>approval:setReleaseDates:executiveCommittee',
    'approval>approval:decideApproval:marketRegulator',
    'approval>approval:decideApproval:marketRegulator',
    'approval>release:decideApproval:marketRegulator',
    'release>release:releaseDateReached:system',
    'release>publicity:publish:system',
    'publicity>inForce:implementationDateReached:system',
    'inForce>inForce:recordPublicityEvent:localBureau',
    'inForce>review:reviewDue:system',
    'review>inForce:decideReview:ecoEnvDepartment',
    'inForce>review:reviewDue:system',
    'review>abolished:decideReview:ecoEnvDepartment',
  ]);
  expect(timeline.find((e) => e.action === 'recordReviewResult')?.reason).toBe('修改第5章限值');
  expect(await listAudit(h.db, id)).toHaveLength(timeline.length);

  // A light history: the collaboration server is asked to re-check permissions exactly where the draft
  // turns editable or read-only (also on the step change 技术审查 → revising), an action that leaves the
  // earliest due instant later keeps the agenda timer, and unchanged search attributes are not rewritten.
  const history = await h.client.workflow.getHandle(`standard-${id}`).fetchHistory();
  const events = history.events ?? [];
  const refreshes = events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'refreshCollabPermissions').length;
  let flips = 0;
  for (let i = 1; i < timeline.length; i += 1) {
    const before = { stage: timeline[i - 1].toStage, step: timeline[i - 1].step };
    const after = { stage: timeline[i].toStage, step: timeline[i].step };
    if (draftIsEditable(before) !== draftIsEditable(after)) flips += 1;
  }
  // drafting → (open) → handling → (review) → revising → (approval): six, with editing while comments are handled.
  expect(flips).toBe(6);
  expect(refreshes).toBe(flips);
  /** The events an Update of `name` wrote between its acceptance and completion, one list per Update. */
  const eventsOfUpdates = (name: string): Array<typeof events> => {
    const out: Array<typeof events> = [];
    let current: typeof events | null = null;
    for (const e of events) {
      if (e.workflowExecutionUpdateAcceptedEventAttributes) current = e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest?.input?.name === name ? [] : null;
      else if (e.workflowExecutionUpdateCompletedEventAttributes) {
        if (current) out.push(current);
        current = null;
      } else current?.push(e);
    }
    return out;
  };
  const initiation = eventsOfUpdates('decideInitiation');
  expect(initiation).toHaveLength(3);
  // The first decision may share the workflow's first task, where the timer is armed for the first time.
  for (const evs of initiation.slice(0, 2)) expect(evs.filter((e) => e.timerCanceledEventAttributes)).toEqual([]);
  expect(initiation[1].filter((e) => e.timerStartedEventAttributes)).toEqual([]);
  const publicity = eventsOfUpdates('recordPublicityEvent');
  expect(publicity).toHaveLength(1);
  expect(publicity[0].filter((e) => e.upsertWorkflowSearchAttributesEventAttributes)).toEqual([]);
  expect(eventsOfUpdates('submitForComment')[0].filter((e) => e.upsertWorkflowSearchAttributesEventAttributes)).toHaveLength(1);

  if (process.env.TONGBIAO_RECORD_HISTORY === '1') {
    writeFileSync(path.join(__dirname, 'histories', 'full-lifecycle.json'), JSON.stringify(history, null, 1));
  }
}, 120_000);
