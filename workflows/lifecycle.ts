// The lifecycle of one standard, from 立项 to 复审 (one workflow per standard, id `standard-<id>`).
//
// Human actions arrive as Updates whose validators ask permissions.ts (so a caller hears "not your role" or
// "not in this stage" before anything is recorded); handlers change the state synchronously, then await
// the `recordTransition` local activity, so when an Update returns, the audit entry and the MongoDB
// projection already show the new revision. Durations are inputs and every wait is a durable timer: one
// agenda loop below sleeps until the earliest due instant (comment deadline, release instant,
// implementation date, review due, reminders, 备案 reminder) or until something changes.
// Side effects that follow a transition (freezing a named version, asking the collaboration server to
// re-check permissions) queue as effects that a second loop runs in order beside the agenda, so an action
// is visible at once and a slow or retried effect delays no timer. Local activities run one at a time
// (workflows/serial-local-activities.ts). A rejected initiation ends in stage `withdrawn` with `rejectedBy` and `endReason`.
//
// Determinism: no I/O, clocks or randomness besides the workflow's own (Date.now() is the workflow clock).
// Business changes to running lifecycles go behind `patched('<change-id>')` (keep the old branch until no
// running workflow can take it) and the replay test over test/workflows/histories/ must stay green.
import {
  ApplicationFailure,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  log,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { FrozenVersionKind, SeamActivities } from '../activities/lifecycle/seams';
import { createAgendaTimer } from './agenda-timer';
import { chinaMidnight, chinaToday, isIsoDate } from './dates';
import { failureDetails, refuse } from './failures';
import { PROVINCE_INFO, PROVINCES, TERMINAL_STAGES, draftIsEditable, lifecycleWorkflowId, parseStandardNumber, type Actor, type Province, type ProvincePosition, type Stage } from './domain';
import { holdersOf } from './holders';
import {
  completeCommentHandlingUpdate,
  completePublicityUpdate,
  decideApprovalUpdate,
  decideInitiationUpdate,
  decideReviewUpdate,
  extendCommentPeriodUpdate,
  recordPublicityEventUpdate,
  recordReviewResultUpdate,
  resubmitUpdate,
  setReleaseDatesUpdate,
  startReviewUpdate,
  stateQuery,
  submitForApprovalUpdate,
  submitForCommentUpdate,
  withdrawUpdate,
  type Action,
  type LifecycleInput,
  type LifecycleState,
  type StageStep,
} from './messages';
import { checkAction, grantOfActor } from './permissions';
import { PENDING_PROVINCES_SEARCH_ATTRIBUTE, STAGE_SEARCH_ATTRIBUTE } from './search-attributes';
import { projectionOf } from './projection';
import { serialLocalActivities } from './serial-local-activities';

export type { LifecycleFailureType } from './failures';

// Seams get timeouts that fit their work, so a worker that dies mid-activity delays a retry by at most that.
const versionSeam = proxyActivities<Pick<SeamActivities, 'freezeVersion'>>({
  startToCloseTimeout: '1m',
  retry: { initialInterval: '1s', maximumInterval: '30s', maximumAttempts: 5 },
});
const collabSeam = proxyActivities<Pick<SeamActivities, 'refreshCollabPermissions'>>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '10s', maximumAttempts: 3 },
});
const documentSeam = proxyActivities<Pick<SeamActivities, 'generateReleaseDocuments'>>({
  startToCloseTimeout: '10m',
  retry: { initialInterval: '2s', maximumInterval: '1m', maximumAttempts: 3 },
});

/**
 * Fewer history events per action, so a busy server keeps up: one agenda timer, re-armed only when an
 * earlier instant comes due (not cancelled and restarted by every action); a collaboration refresh only
 * when the transition changes whether the draft is editable (also when only the step changes, as in
 * 技术审查 → revising); search attributes written only when they change. Lifecycles started before this
 * change keep the old behaviour on replay.
 */
const LIGHT_TRANSITIONS = 'light-transitions-1';

type Effect = { kind: 'freeze'; versionKind: FrozenVersionKind; actor: Actor } | { kind: 'refreshCollab' };

function copy<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function allPending(): Record<Province, ProvincePosition> {
  return { SH: { decision: 'pending' }, JS: { decision: 'pending' }, ZJ: { decision: 'pending' } };
}

export async function lifecycleWorkflow(input: LifecycleInput): Promise<LifecycleState> {
  const { standardId, leadProvince, durations } = input;
  const useSearchAttributes = input.searchAttributes !== false;
  const state: LifecycleState = {
    standardId,
    stage: 'initiation',
    step: 'awaitingDecisions',
    provinces: allPending(),
    publicityEvents: 0,
    publicityDone: false,
    revision: 0,
    pendingProvinces: [...PROVINCES],
  };
  const effects: Effect[] = [];
  const light = patched(LIGHT_TRANSITIONS);
  /** What the search attributes hold now: the starter sets them to 立项 with all three provinces pending. */
  let upserted = { stage: 'initiation' as Stage, pending: PROVINCES.join(',') };
  const local = serialLocalActivities();
  /** Provinces whose approval (number reservation) is being recorded right now. */
  const reserving = new Set<Province>();
  /** The actor whose decision completed approval; the published version is frozen in their name. */
  let releaseActor: Actor = input.proposedBy;
  let reminderDueAt: number | undefined;
  let reminderCount = 0;
  let filingDueAt: number | undefined;
  let releaseRetryAt: number | undefined;
  let releaseAttempts = 0;
  let inForceSince: number | undefined;
  let revisionCount = 0;

  const now = (): number => Date.now();
  const nowIso = (): string => new Date(now()).toISOString();
  const isTerminal = (): boolean => TERMINAL_STAGES.includes(state.stage);
  const isAt = (stage: Stage, step?: StageStep): boolean => state.stage === stage && (step === undefined || state.step === step);

  function pendingProvinces(): Province[] {
    if (!(state.step === 'awaitingDecisions' && (state.stage === 'initiation' || state.stage === 'approval'))) return [];
    return PROVINCES.filter((p) => state.provinces[p].decision === 'pending');
  }

  function authorize(action: Action, actor: Actor, province?: Province): void {
    const r = checkAction(action, [grantOfActor(actor, standardId)], { standardId, leadProvince, stage: state.stage, step: state.step, provinces: state.provinces }, province);
    if (!r.ok) refuse(r.kind === 'role' ? 'FORBIDDEN' : 'STAGE_CONFLICT', r.zh, r.en);
  }

  function requireReason(reason: string | undefined, zhWhat: string, enWhat: string): void {
    if (typeof reason !== 'string' || reason.trim() === '') refuse('VALIDATION_FAILED', `${zhWhat}必须说明理由`, `${enWhat} needs a reason`);
    if (reason.length > 2000) refuse('VALIDATION_FAILED', '理由不得超过 2000 字', 'The reason must be at most 2000 characters');
  }

  /** After an await inside a handler, the lifecycle may have moved on (e.g. withdrawn meanwhile). */
  function requireStillAt(stage: Stage, step: StageStep): void {
    if (!isAt(stage, step)) refuse('STAGE_CONFLICT', `标准已进入其他阶段（${state.stage}/${state.step}）`, `The standard has moved on (${state.stage}/${state.step})`);
  }

  function upsertStageSearchAttributes(): void {
    if (!useSearchAttributes) return;
    const current = { stage: state.stage, pending: state.pendingProvinces.join(',') };
    if (light && current.stage === upserted.stage && current.pending === upserted.pending) return;
    upserted = current;
    upsertSearchAttributes([
      { key: STAGE_SEARCH_ATTRIBUTE, value: state.stage },
      { key: PENDING_PROVINCES_SEARCH_ATTRIBUTE, value: state.pendingProvinces.length ? [...state.pendingProvinces] : null },
    ]);
  }

  function armReminder(): void {
    reminderCount = 0;
    reminderDueAt = holdersOf(state, leadProvince).length > 0 ? now() + durations.reminderIntervalMs : undefined;
  }

  interface TransitionArgs {
    to: Stage;
    step: StageStep;
    actor: Actor | null;
    action: string;
    reason?: string;
  }

  /** Moves the state, records the audit entry and projection, and returns the state of this revision. */
  async function transition(t: TransitionArgs): Promise<LifecycleState> {
    const fromStage = state.stage;
    const wasEditable = draftIsEditable(state);
    state.stage = t.to;
    state.step = t.step;
    state.revision += 1;
    state.pendingProvinces = pendingProvinces();
    const at = nowIso();
    armReminder();
    upsertStageSearchAttributes();
    if (light ? draftIsEditable(state) !== wasEditable : fromStage !== t.to) effects.push({ kind: 'refreshCollab' });
    const snapshot = copy(state);
    await local.recordTransition({
      standardId,
      revision: snapshot.revision,
      attemptMark: workflowInfo().historyLength,
      at,
      actor: t.actor,
      fromStage,
      toStage: t.to,
      step: t.step,
      action: t.action,
      ...(t.reason === undefined ? {} : { reason: t.reason }),
      projection: projectionOf(snapshot, at),
    });
    return snapshot;
  }

  async function notify(kind: 'reminder' | 'filingReminder' | 'releaseBlocked' | 'versionNotFrozen', n: number, body: { action?: Action; recipients: ReturnType<typeof holdersOf>[number]['recipients']; zh: string; en: string }): Promise<void> {
    await local.notify({
      id: `${standardId}:${state.revision}:${kind}:${n}`,
      standardId,
      kind,
      ...(body.action ? { action: body.action } : {}),
      recipients: body.recipients,
      messageZh: body.zh,
      messageEn: body.en,
      at: nowIso(),
    });
  }

  function resetDecisions(): void {
    state.provinces = allPending();
  }

  const implementationInstant = (): number | undefined => (state.implementationDate ? chinaMidnight(state.implementationDate) : undefined);

  function enterInForce(): void {
    inForceSince = now();
    // Due at most one review interval after the standard came into force (its implementation instant, or
    // later when the release itself happened after the implementation date).
    state.reviewDueAt = new Date(inForceSince + durations.reviewIntervalMs).toISOString();
  }

  const allApproved = (): boolean => PROVINCES.every((p) => state.provinces[p].decision === 'approved');

  async function enterReleaseIfComplete(actor: Actor, action: Action, reason?: string): Promise<LifecycleState> {
    if (allApproved() && state.releaseDate && state.implementationDate) {
      releaseActor = actor;
      return transition({ to: 'release', step: 'awaitingReleaseDate', actor, action, reason });
    }
    return transition({ to: 'approval', step: 'awaitingDecisions', actor, action, reason });
  }

  // ---------------------------------------------------------------- queries and updates

  setHandler(stateQuery, () => copy(state));

  setHandler(
    decideInitiationUpdate,
    async ({ actor, province, decision, reason }) => {
      const at = nowIso();
      if (decision === 'approve') {
        state.provinces[province] = { decision: 'approved', approvedAt: at, approvedBy: actor.displayName };
        if (allApproved()) return transition({ to: 'drafting', step: 'editing', actor, action: 'decideInitiation', reason });
        return transition({ to: 'initiation', step: 'awaitingDecisions', actor, action: 'decideInitiation', reason });
      }
      if (decision === 'return') {
        state.provinces[province] = { decision: 'returned' };
        return transition({ to: 'initiation', step: 'returned', actor, action: 'decideInitiation', reason });
      }
      state.provinces[province] = { decision: 'rejected' };
      state.rejectedBy = province;
      state.endReason = `rejected by ${province}: ${reason ?? ''}`;
      return transition({ to: 'withdrawn', step: 'ended', actor, action: 'decideInitiation', reason });
    },
    {
      validator: ({ actor, province, decision, reason }) => {
        if (!PROVINCES.includes(province)) refuse('VALIDATION_FAILED', '省份无效', 'Unknown province');
        authorize('decideInitiation', actor, province);
        if (decision !== 'approve' && decision !== 'return' && decision !== 'reject') refuse('VALIDATION_FAILED', '决定无效', 'Unknown decision');
        if (decision !== 'approve') requireReason(reason, decision === 'return' ? '退回' : '否决', decision === 'return' ? 'Returning' : 'Rejecting');
      },
    },
  );

  setHandler(
    resubmitUpdate,
    async ({ actor, reason }) => {
      resetDecisions();
      return transition({ to: state.stage, step: 'awaitingDecisions', actor, action: 'resubmit', reason });
    },
    { validator: ({ actor }) => authorize('resubmit', actor) },
  );

  setHandler(
    submitForCommentUpdate,
    async ({ actor, reason }) => {
      state.commentDeadline = new Date(now() + durations.commentPeriodMs).toISOString();
      effects.push({ kind: 'freeze', versionKind: 'draftForComment', actor });
      return transition({ to: 'publicComment', step: 'open', actor, action: 'submitForComment', reason });
    },
    { validator: ({ actor }) => authorize('submitForComment', actor) },
  );

  setHandler(
    extendCommentPeriodUpdate,
    async ({ actor, newDeadline, reason }) => {
      state.commentDeadline = new Date(Date.parse(newDeadline)).toISOString();
      return transition({ to: 'publicComment', step: 'open', actor, action: 'extendCommentPeriod', reason });
    },
    {
      validator: ({ actor, newDeadline, reason }) => {
        authorize('extendCommentPeriod', actor);
        requireReason(reason, '延长征求意见期', 'Extending the comment period');
        const t = typeof newDeadline === 'string' ? Date.parse(newDeadline) : NaN;
        if (Number.isNaN(t)) refuse('VALIDATION_FAILED', '新的截止时间格式不正确', 'The new deadline is not a valid ISO instant');
        const current = state.commentDeadline ? Date.parse(state.commentDeadline) : 0;
        if (t <= current) refuse('VALIDATION_FAILED', '新的截止时间必须晚于当前截止时间', 'The new deadline must be later than the current one');
      },
    },
  );

  setHandler(
    completeCommentHandlingUpdate,
    async ({ actor, reason }) => {
      const undisposed = await local.countUndisposedComments({ standardId });
      requireStillAt('publicComment', 'handlingComments');
      if (undisposed > 0) {
        refuse('STAGE_CONFLICT', `尚有 ${undisposed} 条意见未给出处理意见`, `${undisposed} comment(s) still lack a disposition`);
      }
      effects.push({ kind: 'freeze', versionKind: 'draftForReview', actor });
      return transition({ to: 'technicalReview', step: 'underReview', actor, action: 'completeCommentHandling', reason });
    },
    { validator: ({ actor }) => authorize('completeCommentHandling', actor) },
  );

  setHandler(
    recordReviewResultUpdate,
    async ({ actor, outcome, reason }) => {
      if (outcome === 'backToDrafting') {
        state.reviewOutcome = undefined;
        return transition({ to: 'drafting', step: 'editing', actor, action: 'recordReviewResult', reason });
      }
      state.reviewOutcome = outcome === 'pass' ? 'passed' : 'passedWithChanges';
      return transition({ to: 'technicalReview', step: 'revising', actor, action: 'recordReviewResult', reason });
    },
    {
      validator: ({ actor, outcome, reason }) => {
        authorize('recordReviewResult', actor);
        if (outcome !== 'pass' && outcome !== 'passWithChanges' && outcome !== 'backToDrafting') refuse('VALIDATION_FAILED', '审查结论无效', 'Unknown review outcome');
        if (outcome !== 'pass') requireReason(reason, '该审查结论', 'This review outcome');
      },
    },
  );

  setHandler(
    submitForApprovalUpdate,
    async ({ actor, reason }) => {
      resetDecisions();
      effects.push({ kind: 'freeze', versionKind: 'draftForApproval', actor });
      return transition({ to: 'approval', step: 'awaitingDecisions', actor, action: 'submitForApproval', reason });
    },
    { validator: ({ actor }) => authorize('submitForApproval', actor) },
  );

  setHandler(
    decideApprovalUpdate,
    async ({ actor, province, decision, number, reason }) => {
      if (decision === 'return') {
        for (const p of PROVINCES) state.provinces[p] = { decision: p === province ? 'returned' : 'pending' };
        const snapshot = await transition({ to: 'approval', step: 'returned', actor, action: 'decideApproval', reason });
        await local.releaseNumberReservations({ standardId });
        return snapshot;
      }
      const n = number as string;
      reserving.add(province);
      try {
        await local.reserveNumber({ standardId, province, number: n });
      } catch (e) {
        const f = failureDetails(e);
        refuse(f.type === 'DUPLICATE_NUMBER' || f.type === 'VALIDATION_FAILED' ? f.type : 'STAGE_CONFLICT', f.zh, f.en);
      } finally {
        reserving.delete(province);
      }
      if (!isAt('approval', 'awaitingDecisions')) {
        // Returned or withdrawn while the number was being reserved: that release ran before this
        // reservation landed, so release again.
        await local.releaseNumberReservations({ standardId });
        requireStillAt('approval', 'awaitingDecisions');
      }
      const parsed = parseStandardNumber(n);
      state.provinces[province] = { decision: 'approved', number: n, numberYear: parsed?.year, approvedAt: nowIso(), approvedBy: actor.displayName };
      return enterReleaseIfComplete(actor, 'decideApproval', reason);
    },
    {
      validator: ({ actor, province, decision, number, reason }) => {
        if (!PROVINCES.includes(province)) refuse('VALIDATION_FAILED', '省份无效', 'Unknown province');
        authorize('decideApproval', actor, province);
        if (reserving.has(province)) refuse('STAGE_CONFLICT', '该省（市）的批准正在登记', "This province's approval is being recorded");
        if (decision === 'return') return requireReason(reason, '退回', 'Returning');
        if ((decision as string) !== 'approve') refuse('VALIDATION_FAILED', '决定无效', 'Unknown decision');
        const parsed = typeof number === 'string' ? parseStandardNumber(number) : null;
        if (!parsed) refuse('VALIDATION_FAILED', '批准时必须给出编号，如 DB31/T 310003—2021', 'Approval needs a number such as DB31/T 310003—2021');
        const dbCode: string = PROVINCE_INFO[province as Province].dbCode;
        if (parsed.dbCode !== dbCode) refuse('VALIDATION_FAILED', `编号必须以 ${dbCode} 开头`, `The number must start with ${dbCode}`);
        if (input.mandatory !== undefined && parsed.recommended === input.mandatory) {
          refuse('VALIDATION_FAILED', input.mandatory ? '强制性标准编号不带 /T' : '推荐性标准编号须带 /T', input.mandatory ? 'A mandatory standard has no /T' : 'A recommended standard needs /T');
        }
        const year = Number(chinaToday(now()).slice(0, 4));
        if (parsed.year < 2000 || parsed.year > year + 1) refuse('VALIDATION_FAILED', '编号年份不合理', 'The year of the number is out of range');
      },
    },
  );

  setHandler(
    setReleaseDatesUpdate,
    async ({ actor, releaseDate, implementationDate }) => {
      state.releaseDate = releaseDate;
      state.implementationDate = implementationDate;
      return enterReleaseIfComplete(actor, 'setReleaseDates', `${releaseDate} / ${implementationDate}`);
    },
    {
      // A release date of today means the release instant (00:00 China time) has passed: the standard is
      // published as soon as approval completes. Dates before today are refused.
      validator: ({ actor, releaseDate, implementationDate }) => {
        authorize('setReleaseDates', actor);
        if (!isIsoDate(releaseDate) || !isIsoDate(implementationDate)) refuse('VALIDATION_FAILED', '日期格式应为 yyyy-mm-dd', 'Dates must be yyyy-mm-dd');
        if (releaseDate < chinaToday(now())) refuse('VALIDATION_FAILED', '发布日期不得早于今天', 'The release date cannot be in the past');
        if (implementationDate < releaseDate) refuse('VALIDATION_FAILED', '实施日期不得早于发布日期', 'The implementation date cannot precede the release date');
      },
    },
  );

  setHandler(
    recordPublicityEventUpdate,
    async ({ actor, eventId }) => {
      state.publicityEvents += 1;
      return transition({ to: state.stage, step: state.step, actor, action: 'recordPublicityEvent', reason: `event ${eventId}` });
    },
    {
      validator: ({ actor, eventId }) => {
        authorize('recordPublicityEvent', actor);
        if (typeof eventId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(eventId)) refuse('VALIDATION_FAILED', '活动编号无效', 'Invalid event id');
      },
    },
  );

  setHandler(
    completePublicityUpdate,
    async ({ actor, reason }) => {
      state.publicityDone = true;
      const impl = implementationInstant();
      if (impl !== undefined && now() >= impl) {
        enterInForce();
        return transition({ to: 'inForce', step: 'active', actor, action: 'completePublicity', reason });
      }
      return transition({ to: 'publicity', step: 'awaitingImplementation', actor, action: 'completePublicity', reason });
    },
    { validator: ({ actor }) => authorize('completePublicity', actor) },
  );

  setHandler(
    startReviewUpdate,
    async ({ actor, reason }) => transition({ to: 'review', step: 'deciding', actor, action: 'startReview', reason }),
    { validator: ({ actor }) => authorize('startReview', actor) },
  );

  setHandler(
    decideReviewUpdate,
    async ({ actor, outcome, reason }) => {
      if (outcome === 'abolish') {
        state.endReason = reason;
        return transition({ to: 'abolished', step: 'ended', actor, action: 'decideReview', reason });
      }
      if (outcome === 'revise') {
        revisionCount += 1;
        const newId = `${standardId}-r${revisionCount}`;
        await local.createRevisionRecord({ parentId: standardId, newId, actor, at: nowIso(), reason });
        requireStillAt('review', 'deciding');
        await startChild(lifecycleWorkflow, {
          workflowId: lifecycleWorkflowId(newId),
          args: [{ standardId: newId, leadProvince, proposedBy: actor, durations, ...(input.mandatory === undefined ? {} : { mandatory: input.mandatory }), searchAttributes: useSearchAttributes }],
          parentClosePolicy: ParentClosePolicy.ABANDON,
          ...(useSearchAttributes
            ? { typedSearchAttributes: [{ key: STAGE_SEARCH_ATTRIBUTE, value: 'initiation' }, { key: PENDING_PROVINCES_SEARCH_ATTRIBUTE, value: [...PROVINCES] }] }
            : {}),
        });
        state.revisedBy = newId;
      }
      // continue, or revise (this standard stays in force until its revision replaces it)
      enterInForce();
      return transition({ to: 'inForce', step: 'active', actor, action: 'decideReview', reason: outcome === 'revise' ? `revise → ${state.revisedBy}: ${reason}` : reason });
    },
    {
      validator: ({ actor, outcome, reason }) => {
        authorize('decideReview', actor);
        if (outcome !== 'continue' && outcome !== 'revise' && outcome !== 'abolish') refuse('VALIDATION_FAILED', '复审结论无效', 'Unknown review decision');
        requireReason(reason, '复审结论', 'A review decision');
      },
    },
  );

  setHandler(
    withdrawUpdate,
    async ({ actor, reason }) => {
      const wasApproval = state.stage === 'approval' || state.stage === 'release';
      state.endReason = reason;
      const snapshot = await transition({ to: 'withdrawn', step: 'ended', actor, action: 'withdraw', reason });
      if (wasApproval) await local.releaseNumberReservations({ standardId });
      return snapshot;
    },
    {
      validator: ({ actor, reason }) => {
        authorize('withdraw', actor);
        requireReason(reason, '撤销', 'Withdrawal');
      },
    },
  );

  // ---------------------------------------------------------------- what happens by itself

  let effectRunning = false;
  let stopEffects = false;
  /** Runs queued effects in order, beside the agenda loop, so a slow or retried effect delays no timer. */
  async function effectsLoop(): Promise<void> {
    for (;;) {
      await condition(() => effects.length > 0 || stopEffects);
      if (effects.length === 0) return;
      effectRunning = true;
      try {
        await runEffects();
      } finally {
        effectRunning = false;
      }
    }
  }
  const effectsDone = (): boolean => effects.length === 0 && !effectRunning;

  async function runEffects(): Promise<void> {
    while (effects.length > 0) {
      const e = effects.shift() as Effect;
      if (e.kind === 'refreshCollab') {
        try {
          await collabSeam.refreshCollabPermissions({ standardId });
        } catch (err) {
          log.warn('collaboration permissions not refreshed', { standardId, error: failureDetails(err).en });
        }
        continue;
      }
      try {
        const { versionId } = await versionSeam.freezeVersion({ standardId, kind: e.versionKind, actor: e.actor });
        state.versions = { ...state.versions, [e.versionKind]: versionId };
      } catch (err) {
        const f = failureDetails(err);
        await notify('versionNotFrozen', 0, {
          recipients: [{ role: 'ecoEnvDepartment', province: leadProvince }, { role: 'admin' }],
          zh: `版本（${e.versionKind}）未能冻结：${f.zh}`,
          en: `The ${e.versionKind} version was not frozen: ${f.en}`,
        });
      }
    }
  }

  /** 发布: wait for the release instant, freeze the 发布稿, generate the documents, publish at one instant. */
  async function runRelease(): Promise<void> {
    releaseRetryAt = undefined;
    if (isAt('release', 'awaitingReleaseDate')) {
      effects.push({ kind: 'freeze', versionKind: 'published', actor: releaseActor });
      await transition({ to: 'release', step: 'generatingDocuments', actor: null, action: 'releaseDateReached' });
      // The documents are generated from the frozen 发布稿.
      await condition(effectsDone);
    }
    if (!isAt('release', 'generatingDocuments')) return;
    releaseAttempts += 1;
    let documentIds: string[] = [];
    try {
      documentIds = (await documentSeam.generateReleaseDocuments({ standardId })).documentIds;
      if (documentIds.length === 0) throw ApplicationFailure.nonRetryable('no documents were generated', 'RELEASE_DOCUMENTS_EMPTY', { zh: '未生成任何发布文本', en: 'No release documents were generated' });
    } catch (e) {
      const f = failureDetails(e);
      await notify('releaseBlocked', releaseAttempts, {
        recipients: [{ role: 'executiveCommittee' }, { role: 'admin' }],
        zh: `发布暂停：${f.zh}。将于稍后重试。`,
        en: `Release on hold: ${f.en}. It will be retried.`,
      });
      releaseRetryAt = now() + Math.max(durations.reminderIntervalMs, 1000);
      return;
    }
    if (!isAt('release', 'generatingDocuments')) return;
    log.info('release documents ready', { standardId, documents: documentIds.length });
    state.publishedAt = nowIso();
    filingDueAt = now() + durations.filingReminderMs;
    await transition({ to: 'publicity', step: 'running', actor: null, action: 'publish', reason: `documents ${documentIds.join(',')}` });
    await local.confirmNumbers({ standardId });
  }

  interface Due {
    at: number;
    run: () => Promise<void>;
  }

  function agenda(): Due[] {
    const out: Due[] = [];
    if (isAt('publicComment', 'open') && state.commentDeadline) {
      out.push({ at: Date.parse(state.commentDeadline), run: async () => void (await transition({ to: 'publicComment', step: 'handlingComments', actor: null, action: 'commentPeriodClosed' })) });
    }
    if (isAt('release', 'awaitingReleaseDate') && state.releaseDate) out.push({ at: chinaMidnight(state.releaseDate), run: runRelease });
    if (isAt('release', 'generatingDocuments') && releaseRetryAt !== undefined) out.push({ at: releaseRetryAt, run: runRelease });
    const impl = implementationInstant();
    if (state.stage === 'publicity' && impl !== undefined) {
      out.push({
        at: impl,
        run: async () => {
          enterInForce();
          await transition({ to: 'inForce', step: 'active', actor: null, action: 'implementationDateReached' });
        },
      });
    }
    if (isAt('inForce', 'active') && state.reviewDueAt) {
      out.push({ at: Date.parse(state.reviewDueAt), run: async () => void (await transition({ to: 'review', step: 'deciding', actor: null, action: 'reviewDue' })) });
    }
    if (reminderDueAt !== undefined) {
      const due = reminderDueAt;
      out.push({
        at: due,
        run: async () => {
          reminderCount += 1;
          reminderDueAt = due + durations.reminderIntervalMs;
          const n = reminderCount;
          for (const h of holdersOf(state, leadProvince)) {
            await notify('reminder', n * 100 + ACTION_INDEX[h.action], {
              action: h.action,
              recipients: h.recipients,
              zh: `标准 ${standardId} 正在等待您的操作：${h.action}`,
              en: `Standard ${standardId} is waiting for you: ${h.action}`,
            });
          }
        },
      });
    }
    if (filingDueAt !== undefined) {
      out.push({
        at: filingDueAt,
        run: async () => {
          filingDueAt = undefined;
          await notify('filingReminder', 0, {
            recipients: PROVINCES.map((p) => ({ role: 'marketRegulator' as const, province: p })),
            zh: `标准 ${standardId} 已发布，请办理备案`,
            en: `Standard ${standardId} was published: please file it (备案)`,
          });
        },
      });
    }
    return out.sort((a, b) => a.at - b.at);
  }

  state.pendingProvinces = pendingProvinces();
  armReminder();

  const timer = createAgendaTimer(now);
  const effectsRunning = effectsLoop();
  while (!isTerminal()) {
    const next = agenda()[0];
    if (next && next.at <= now()) {
      await next.run();
      continue;
    }
    const seenRevision = state.revision;
    if (light) {
      const seenFirings = timer.firings();
      if (next) timer.arm(next.at);
      await condition(() => state.revision !== seenRevision || timer.firings() !== seenFirings);
      continue;
    }
    const wake = (): boolean => state.revision !== seenRevision;
    if (next) await condition(wake, next.at - now());
    else await condition(wake);
  }
  timer.cancel();
  stopEffects = true;
  await effectsRunning;
  await condition(allHandlersFinished);
  return copy(state);
}

const ACTION_INDEX: Record<Action, number> = {
  decideInitiation: 0,
  resubmit: 1,
  submitForComment: 2,
  extendCommentPeriod: 3,
  completeCommentHandling: 4,
  recordReviewResult: 5,
  submitForApproval: 6,
  decideApproval: 7,
  setReleaseDates: 8,
  recordPublicityEvent: 9,
  completePublicity: 10,
  startReview: 11,
  decideReview: 12,
  withdraw: 13,
};
