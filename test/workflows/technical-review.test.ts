// The technical review as its own workflow (技术审查 child, `technical-review:<id>:<round>`) on the
// time-skipping test server with the real activities on FerretDB: panel rules (conflict, provinces), the role
// and phase refusals of every review action with nothing changed, reminders to a late expert by durable
// timer, the deadline, the conclusion by the ¾ rule on both sides of the threshold, and the stored minutes.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { Worker } from '@temporalio/worker';
import { createExpertStore, panelMemberOf, type ExpertRecord } from '../../activities/data/experts';
import { insertStandard } from '../../activities/data/standards';
import { readFileBytes } from '../../activities/files/store';
import { findPdfOf } from '../../activities/pdf/editions';
import { AppError } from '../../activities/infra/errors';
import { createTechnicalReviewService, reviewRuleFromConfig, type TechnicalReviewService } from '../../server/extensions/technical-review-service';
import { configSchema } from '../../server/infra/config';
import { createLifecycleService, type LifecycleService } from '../../server/temporal/lifecycle-service';
import type { Actor, StandardRecord } from '../../workflows/domain';
import { DAY_MS, DEFAULT_DURATIONS, type LifecycleState } from '../../workflows/messages';
import { DEFAULT_REVIEW_RULE, type PanelMember, type ReviewAction } from '../../workflows/technical-review-rules';
import { actors, regulatorOf, sampleProposal, sharedBundle } from './support';
import { startTimeSkipping, type TimeSkippingHarness } from './time-skipping';

let ts: TimeSkippingHarness;
let env: TimeSkippingHarness['env'];
let mongo: TimeSkippingHarness['mongo'];
let reviews: TechnicalReviewService;
let lifecycle: LifecycleService;
let taskQueue: string;
const pool: ExpertRecord[] = [];
let conflicted: ExpertRecord;

const expertActor = (e: ExpertRecord): Actor => ({ userId: e.userId as string, displayName: e.name, role: 'expert' });

function standard(id: string): StandardRecord {
  const now = new Date().toISOString();
  return {
    _id: id, titleZh: '水污染物排放标准', titleEn: 'Water', kind: 'emissionStandard', mandatory: false, field: '水环境', scope: '范围。',
    leadProvince: 'SH', leadUnits: ['上海市环境科学研究院'], participatingUnits: ['江苏省环境科学研究院'], plannedYear: 2026,
    draftingUnits: ['浙江省生态环境监测中心'], drafters: [], stage: 'technicalReview', step: 'underReview',
    provinces: { SH: {}, JS: {}, ZJ: {} }, createdAt: now, createdBy: 'u-sh-eco', updatedAt: now, workflowId: `standard-${id}`,
  };
}

async function startRound(): Promise<string> {
  const id = `tr-${randomBytes(3).toString('hex')}`;
  await insertStandard(mongo.db, standard(id));
  await reviews.start({ standardId: id, leadProvince: 'SH', round: 1, rule: DEFAULT_REVIEW_RULE, reminderIntervalMs: 2 * DAY_MS }, taskQueue);
  // Ready once the units are loaded (first save).
  for (let i = 0; i < 100 && (await reviews.state(id, 1)).revision === 0; i += 1) await new Promise((r) => setTimeout(r, 100));
  return id;
}

async function refused(p: Promise<unknown>): Promise<{ code: string; zh: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, zh: e.messages.zh };
    throw e;
  }
  throw new Error('expected a refusal');
}

const panel = (): PanelMember[] => pool.slice(0, 5).map(panelMemberOf);
const inDays = async (d: number): Promise<string> => new Date((await env.currentTimeMs()) + d * DAY_MS).toISOString();

beforeAll(async () => {
  ts = await startTimeSkipping('techreview');
  ({ env, mongo, taskQueue, lifecycle } = ts);
  reviews = createTechnicalReviewService({ client: env.client, db: mongo.db });
  const experts = createExpertStore(mongo.db);
  const people: Array<[string, string, 'SH' | 'JS' | 'ZJ']> = [
    ['张一', '同济大学', 'SH'], ['李二', '南京大学', 'JS'], ['王三', '浙江大学', 'ZJ'], ['赵四', '华东师范大学', 'SH'], ['钱五', '河海大学', 'JS'], ['孙六', '复旦大学', 'SH'],
  ];
  for (const [name, organisation, province] of people) {
    pool.push(await experts.create({ name, organisation, province, fields: ['水环境'], title: '教授', contact: '021-00000000', userId: `u-exp-${pool.length}` }, 'u-exec'));
  }
  // The same unit as the standard's participating unit, written with a space and full-width brackets.
  conflicted = await experts.create({ name: '周七', organisation: ' 江苏省 环境科学研究院', province: 'JS', fields: ['水环境'], title: '研究员', contact: 'x', userId: 'u-exp-c' }, 'u-exec');
}, 120_000);

afterAll(async () => {
  await ts?.close();
});

test('a panel with a conflicted expert, a panel missing a province, and a short panel are refused; nothing changes', async () => {
  const id = await startRound();
  const before = await reviews.state(id, 1);
  const withConflict = [...pool.slice(0, 4), conflicted].map(panelMemberOf);
  const r1 = await refused(reviews.act(id, 1, 'formPanel', { panel: withConflict }, actors.shEco));
  expect(r1.code).toBe('VALIDATION_FAILED');
  expect(r1.zh).toContain('周七');
  const noZj = [pool[0], pool[1], pool[3], pool[4], pool[5]].map(panelMemberOf);
  const r2 = await refused(reviews.act(id, 1, 'formPanel', { panel: noZj }, actors.shEco));
  expect([r2.code, r2.zh.includes('浙江')]).toEqual(['VALIDATION_FAILED', true]);
  const r3 = await refused(reviews.act(id, 1, 'formPanel', { panel: pool.slice(0, 4).map(panelMemberOf) }, actors.shEco));
  expect([r3.code, r3.zh.includes('至少需要 5')]).toEqual(['VALIDATION_FAILED', true]);
  const after = await reviews.state(id, 1);
  expect([after.revision, after.panel]).toEqual([before.revision, []]);
  // With one more expert from Zhejiang it is accepted.
  const ok = await reviews.act(id, 1, 'formPanel', { panel: [...noZj, panelMemberOf(pool[2])] }, actors.shEco);
  expect(ok.panel.map((m) => m.name)).toContain('王三');
}, 60_000);

test('role × action: 403 for the wrong role, 409 for the wrong phase, nothing changed', async () => {
  const id = await startRound();
  const member = expertActor(pool[0]);
  const outsider: Actor = { userId: 'u-exp-outside', displayName: '外人', role: 'expert' };
  const payloads: Record<ReviewAction, Record<string, unknown>> = {
    formPanel: { panel: panel() },
    chooseForm: { form: { kind: 'correspondence', deadline: await inDays(10) } },
    send: { packageLink: `/standards/${id}/documents/package/review` },
    submitOpinion: { text: '同意', vote: 'pass' },
    recordConclusion: { handling: {}, summary: '结论' },
  };
  const expectations: Array<[ReviewAction, Actor, string]> = [
    ['formPanel', actors.drafter, 'FORBIDDEN'], ['formPanel', member, 'FORBIDDEN'], ['formPanel', actors.jsEco, 'FORBIDDEN'], ['formPanel', actors.shReg, 'FORBIDDEN'],
    ['chooseForm', actors.drafter, 'FORBIDDEN'], ['chooseForm', member, 'FORBIDDEN'],
    ['send', actors.drafter, 'FORBIDDEN'], ['send', member, 'FORBIDDEN'], ['send', actors.shEco, 'STAGE_CONFLICT'],
    ['submitOpinion', actors.shEco, 'FORBIDDEN'], ['submitOpinion', outsider, 'FORBIDDEN'],
    ['recordConclusion', member, 'FORBIDDEN'], ['recordConclusion', actors.drafter, 'FORBIDDEN'], ['recordConclusion', actors.exec, 'STAGE_CONFLICT'],
  ];
  const check = async (list: Array<[ReviewAction, Actor, string]>): Promise<void> => {
    const before = await reviews.state(id, 1);
    const got: string[] = [];
    for (const [a, who, code] of list) got.push(`${a}/${who.userId}: ${(await refused(reviews.act(id, 1, a, payloads[a], who))).code} (want ${code})`);
    expect(got).toEqual(list.map(([a, who, code]) => `${a}/${who.userId}: ${code} (want ${code})`));
    expect((await reviews.state(id, 1)).revision).toBe(before.revision);
  };
  await check(expectations);
  await reviews.act(id, 1, 'formPanel', payloads.formPanel, actors.exec);
  // The panel is formed, but the expert still cannot give an opinion before the package is sent.
  await check([['submitOpinion', member, 'STAGE_CONFLICT'], ['send', actors.shEco, 'STAGE_CONFLICT']]);
  await reviews.act(id, 1, 'chooseForm', payloads.chooseForm, actors.shEco);
  await reviews.act(id, 1, 'send', payloads.send, actors.shEco);
  await check([['formPanel', actors.shEco, 'STAGE_CONFLICT'], ['chooseForm', actors.exec, 'STAGE_CONFLICT'], ['send', actors.shEco, 'STAGE_CONFLICT'], ['recordConclusion', actors.shEco, 'STAGE_CONFLICT'], ['submitOpinion', outsider, 'FORBIDDEN']]);
  await reviews.act(id, 1, 'submitOpinion', payloads.submitOpinion, member);
  await check([['submitOpinion', member, 'STAGE_CONFLICT']]);
}, 60_000);

async function sentRound(deadlineDays: number): Promise<string> {
  const id = await startRound();
  await reviews.act(id, 1, 'formPanel', { panel: panel() }, actors.shEco);
  await reviews.act(id, 1, 'chooseForm', { form: { kind: 'correspondence', deadline: await inDays(deadlineDays) } }, actors.shEco);
  await reviews.act(id, 1, 'send', { packageLink: `/standards/${id}/documents/package/review` }, actors.shEco);
  return id;
}

test('a late expert is reminded every two days until the deadline, then listed late; four of five yes votes (one with changes) pass with changes; the minutes carry panel and opinions', async () => {
  const id = await sentRound(7);
  const votes = ['pass', 'passWithChanges', 'pass', 'pass'] as const;
  for (let i = 0; i < 4; i += 1) await reviews.act(id, 1, 'submitOpinion', { text: `意见<${i}>：第 ${i + 1} 章需补充监测方法。`, vote: votes[i] }, expertActor(pool[i]));
  await env.sleep(5 * DAY_MS);
  const lateUser = pool[4].userId as string;
  const mid = await reviews.state(id, 1);
  expect(mid.reminders).toEqual({ [lateUser]: 2 });
  const notices = await mongo.db.collection<{ _id: string; userIds?: string[] }>('notifications').find({ standardId: id, _id: /:reminder:/ }).toArray();
  expect(notices.map((n) => n.userIds)).toEqual([[lateUser], [lateUser]]);
  // Before the deadline the organiser waits for the missing expert.
  expect((await refused(reviews.act(id, 1, 'recordConclusion', { handling: {}, summary: 'x' }, actors.shEco))).code).toBe('STAGE_CONFLICT');
  await env.sleep(3 * DAY_MS);
  const after = await reviews.state(id, 1);
  expect(after.late).toEqual([lateUser]);
  expect((await refused(reviews.act(id, 1, 'submitOpinion', { text: '迟到', vote: 'pass' }, expertActor(pool[4])))).code).toBe('STAGE_CONFLICT');
  // Every submitted opinion needs its handling.
  const handling = Object.fromEntries(pool.slice(0, 4).map((e, i) => [e.userId as string, `采纳，已修改第 ${i + 1} 章`]));
  const partial = { ...handling };
  delete partial[pool[0].userId as string];
  expect((await refused(reviews.act(id, 1, 'recordConclusion', { handling: partial, summary: '同意' }, actors.shEco))).code).toBe('VALIDATION_FAILED');
  const done = await reviews.act(id, 1, 'recordConclusion', { handling, summary: '专家组同意修改后通过。' }, actors.shEco);
  expect([done.conclusion, done.yesVotes, done.votesNeeded, done.phase]).toEqual(['passWithChanges', 4, 4, 'concluded']);
  expect(done.minutesFileId).toBeDefined();
  const { data, info } = await readFileBytes(mongo.db, done.minutesFileId as string);
  expect([info.metadata.kind, info.metadata.stage]).toEqual(['reviewMinutes', 'technicalReview']);
  const xml = await (await JSZip.loadAsync(data)).file('word/document.xml')!.async('string');
  for (const e of pool.slice(0, 5)) expect(xml).toContain(e.name);
  expect(xml).toContain('同济大学');
  expect(xml).toContain('意见&lt;0&gt;：第 1 章需补充监测方法。');
  expect(xml).toContain('采纳，已修改第 3 章');
  expect(xml).toContain('修改后通过');
  expect(xml).toContain('签名');
  // The PDF beside it (LibreOffice), as the 报批 package takes both.
  let pdf;
  for (let i = 0; i < 300 && !pdf; i += 1) {
    pdf = await findPdfOf(mongo.db, info);
    if (!pdf) await new Promise((r) => setTimeout(r, 100));
  }
  expect(pdf?.metadata).toMatchObject({ kind: 'reviewMinutes', format: 'pdf', sourceFileId: info.id });
}, 120_000);

test('three yes votes of five are below the ¾ threshold: not passed, concluded as soon as everyone has voted', async () => {
  const id = await sentRound(10);
  const votes = ['pass', 'pass', 'passWithChanges', 'fail', 'fail'] as const;
  for (let i = 0; i < 5; i += 1) await reviews.act(id, 1, 'submitOpinion', { text: `意见 ${i}`, vote: votes[i] }, expertActor(pool[i]));
  const handling = Object.fromEntries(pool.slice(0, 5).map((e) => [e.userId as string, '已处理']));
  const done = await reviews.act(id, 1, 'recordConclusion', { handling, summary: '未达到四分之三。' }, actors.exec);
  expect([done.conclusion, done.yesVotes, done.votesNeeded, done.late]).toEqual(['notPassed', 3, 4, []]);
  // The round is over: the stored record answers, and further actions are refused as a phase conflict.
  expect((await refused(reviews.act(id, 1, 'submitOpinion', { text: 'x', vote: 'pass' }, expertActor(pool[0])))).code).toBe('STAGE_CONFLICT');
}, 60_000);

/** A standard through 征求意见 into 技术审查 by its lifecycle; returns its id once round 1 is ready. */
async function intoTechnicalReview(): Promise<string> {
  const { _id: id } = await lifecycle.propose(sampleProposal, actors.shEco);
  for (const p of ['SH', 'JS', 'ZJ'] as const) await lifecycle.act(id, 'decideInitiation', { province: p, decision: 'approve' }, regulatorOf[p]);
  await lifecycle.act(id, 'submitForComment', {}, actors.drafter);
  await env.sleep(31 * DAY_MS);
  await lifecycle.act(id, 'completeCommentHandling', {}, actors.drafter);
  for (let i = 0; i < 100 && (await reviews.state(id, 1).catch(() => ({ revision: 0 }))).revision === 0; i += 1) await new Promise((r) => setTimeout(r, 100));
  return id;
}

async function lifecycleAt(id: string, pred: (s: LifecycleState) => boolean): Promise<LifecycleState> {
  let last: LifecycleState | undefined;
  for (let i = 0; i < 100; i += 1) {
    last = await lifecycle.state(id);
    if (pred(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`lifecycle never matched: ${JSON.stringify(last)}`);
}

async function concludeWith(id: string, votes: ReadonlyArray<'pass' | 'passWithChanges' | 'fail'>): Promise<void> {
  await reviews.act(id, 1, 'formPanel', { panel: panel() }, actors.shEco);
  await reviews.act(id, 1, 'chooseForm', { form: { kind: 'correspondence', deadline: await inDays(10) } }, actors.shEco);
  await reviews.act(id, 1, 'send', { packageLink: `/standards/${id}/documents/package/review` }, actors.shEco);
  for (let i = 0; i < votes.length; i += 1) await reviews.act(id, 1, 'submitOpinion', { text: `意见 ${i}`, vote: votes[i] }, expertActor(pool[i]));
  const handling = Object.fromEntries(pool.slice(0, votes.length).map((e) => [e.userId as string, '已处理']));
  await reviews.act(id, 1, 'recordConclusion', { handling, summary: '专家组结论' }, actors.shEco);
}

test('the lifecycle starts round 1 when 技术审查 begins; a pass with changes moves it to revising, a failed round back to drafting', async () => {
  const passed = await intoTechnicalReview();
  expect((await reviews.state(passed, 1)).phase).toBe('preparing');
  await concludeWith(passed, ['pass', 'pass', 'pass', 'passWithChanges', 'fail']);
  const revising = await lifecycleAt(passed, (s) => s.step === 'revising');
  expect([revising.stage, revising.reviewOutcome]).toEqual(['technicalReview', 'passedWithChanges']);
  // The meeting path replays on the current code (and is recorded for the replay test with TONGBIAO_RECORD_HISTORY=1).
  await lifecycle.act(passed, 'withdraw', { reason: '测试结束' }, actors.shEco);
  const handle = env.client.workflow.getHandle(`standard-${passed}`);
  await handle.result();
  const history = await handle.fetchHistory();
  expect(history.events?.length).toBeGreaterThan(50);
  await Worker.runReplayHistory({ workflowBundle: await sharedBundle() }, history, `standard-${passed}`);
  if (process.env.TONGBIAO_RECORD_HISTORY === '1') writeFileSync(path.join(__dirname, 'histories', 'technical-review-meeting.json'), JSON.stringify(history, null, 1));

  const failed = await intoTechnicalReview();
  await concludeWith(failed, ['pass', 'pass', 'fail', 'fail', 'fail']);
  const back = await lifecycleAt(failed, (s) => s.stage === 'drafting');
  expect([back.step, back.reviewOutcome]).toEqual(['editing', undefined]);
}, 120_000);

test('the expert\'s direct result (the older path) still moves the lifecycle and calls the round off', async () => {
  const id = await intoTechnicalReview();
  await lifecycle.act(id, 'recordReviewResult', { outcome: 'pass' }, actors.expert);
  expect((await lifecycle.state(id)).step).toBe('revising');
  let phase = '';
  for (let i = 0; i < 100 && phase !== 'cancelled'; i += 1) {
    phase = (await reviews.state(id, 1)).phase;
    if (phase !== 'cancelled') await new Promise((r) => setTimeout(r, 100));
  }
  expect(phase).toBe('cancelled');
}, 120_000);

test('the rule is configuration: REVIEW_PANEL_MIN / REVIEW_PANEL_PER_PROVINCE / REVIEW_PASS_SHARE reach the round the lifecycle starts', async () => {
  expect(configSchema.safeParse({ REVIEW_PASS_SHARE: '1.5' }).success).toBe(false);
  const rule = reviewRuleFromConfig(configSchema.parse({ REVIEW_PANEL_MIN: '3', REVIEW_PANEL_PER_PROVINCE: '1', REVIEW_PASS_SHARE: '0.5' }));
  expect(rule).toEqual({ minPanel: 3, perProvince: 1, passShare: 0.5 });
  expect(reviewRuleFromConfig(configSchema.parse({}))).toEqual(DEFAULT_REVIEW_RULE);
  const own = createLifecycleService({ client: env.client, db: mongo.db, taskQueue, durations: DEFAULT_DURATIONS, searchAttributes: false, reviewRule: rule });
  const { _id: id } = await own.propose(sampleProposal, actors.shEco);
  for (const p of ['SH', 'JS', 'ZJ'] as const) await own.act(id, 'decideInitiation', { province: p, decision: 'approve' }, regulatorOf[p]);
  await own.act(id, 'submitForComment', {}, actors.drafter);
  await env.sleep(31 * DAY_MS);
  await own.act(id, 'completeCommentHandling', {}, actors.drafter);
  for (let i = 0; i < 100 && (await reviews.state(id, 1).catch(() => ({ revision: 0 }))).revision === 0; i += 1) await new Promise((r) => setTimeout(r, 100));
  expect((await reviews.state(id, 1)).rule).toEqual(rule);
  const three = pool.slice(0, 3);
  await reviews.act(id, 1, 'formPanel', { panel: three.map(panelMemberOf) }, actors.shEco);
  await reviews.act(id, 1, 'chooseForm', { form: { kind: 'correspondence', deadline: await inDays(5) } }, actors.shEco);
  await reviews.act(id, 1, 'send', { packageLink: '/x' }, actors.shEco);
  const votes = ['pass', 'pass', 'fail'] as const;
  for (let i = 0; i < 3; i += 1) await reviews.act(id, 1, 'submitOpinion', { text: `意见 ${i}`, vote: votes[i] }, expertActor(three[i]));
  const done = await reviews.act(id, 1, 'recordConclusion', { handling: Object.fromEntries(three.map((e) => [e.userId as string, '已处理'])), summary: '过半通过' }, actors.shEco);
  expect([done.conclusion, done.yesVotes, done.votesNeeded]).toEqual(['pass', 2, 2]);
  expect((await lifecycleAt(id, (s) => s.step === 'revising')).reviewOutcome).toBe('passed');
}, 120_000);
