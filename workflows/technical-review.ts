// One round of the technical review (技术审查) as a meeting, a child workflow of the lifecycle with the business
// id `technical-review:<standardId>:<round>`. The organiser forms the panel, chooses 会审 or 函审 and sends the
// 送审稿 package; experts submit an opinion and a vote before the deadline, reminded by a durable timer while
// they have not; the organiser records the conclusion (from the votes, by the configurable rule) with the
// handling of each opinion; the minutes are generated and stored; the result goes back to the lifecycle.
// Updates are validated by technical-review-rules.ts (403 role / 409 phase / 400 payload). Every change is
// saved to MongoDB (activity) before the Update returns. Deterministic: the workflow clock only.
import { ApplicationFailure, allHandlersFinished, condition, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { ReviewActivities } from '../activities/review/types';
import { chinaMidnight, isIsoDate } from './dates';
import { refuse } from './failures';
import {
  cancelReviewSignal,
  chooseFormUpdate,
  formPanelUpdate,
  recordConclusionUpdate,
  reviewStateQuery,
  sendUpdate,
  submitOpinionUpdate,
  type TechnicalReviewInput,
  type TechnicalReviewResult,
  type TechnicalReviewState,
} from './technical-review-messages';
import { checkForm, checkHandling, checkOpinion, checkPanel, checkReviewAction, conclusionOf, deadlineOf, type ReviewAction, type ReviewCheck } from './technical-review-rules';
import type { Actor } from './domain';

const acts = proxyActivities<ReviewActivities>({
  startToCloseTimeout: '2m',
  retry: { initialInterval: '1s', maximumInterval: '30s', maximumAttempts: 10 },
});

function copy<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/**
 * The loop's choices (deadline passed, reminder due) follow its timers, not the SDK's reading of the time,
 * which is not always the same live and on replay (workflows/lifecycle/clock.ts says when). Asked at the start.
 */
export const REVIEW_TIMER_DRIVEN = 'review-timer-driven-1';

export async function technicalReviewWorkflow(input: TechnicalReviewInput): Promise<TechnicalReviewResult> {
  const timerDriven = patched(REVIEW_TIMER_DRIVEN);
  /** The latest instant a timer of the loop was set for and fired at: what the history proves has passed. */
  let reached = Number.NEGATIVE_INFINITY;
  const { standardId, leadProvince, round, rule } = input;
  const state: TechnicalReviewState = { standardId, round, phase: 'preparing', rule, units: [], panel: [], opinions: [], reminders: {}, late: [], revision: 0 };
  let ready = false;
  let nextReminderAt: number | undefined;
  let reminderRound = 0;
  const now = (): number => Date.now();
  const deadlineMs = (): number | undefined => (state.deadline ? Date.parse(state.deadline) : undefined);

  const submitted = (): string[] => state.opinions.map((o) => o.userId);
  function enforce(c: ReviewCheck): void {
    if (!c.ok) refuse(c.kind === 'role' ? 'FORBIDDEN' : c.kind === 'stage' ? 'STAGE_CONFLICT' : 'VALIDATION_FAILED', c.zh, c.en);
  }
  function authorize(action: ReviewAction, actor: Actor): void {
    if (!ready) refuse('STAGE_CONFLICT', '技术审查正在准备，请稍后再试', 'The review is being prepared; try again shortly');
    enforce(checkReviewAction(action, actor, { standardId, leadProvince, phase: state.phase, panel: state.panel, ...(state.form ? { form: state.form } : {}), deadlineMs: deadlineMs(), submittedUserIds: submitted(), nowMs: now() }));
  }
  async function save(): Promise<TechnicalReviewState> {
    state.revision += 1;
    const snapshot = copy(state);
    await acts.saveReviewState({ state: snapshot });
    return snapshot;
  }

  setHandler(reviewStateQuery, () => copy(state));
  setHandler(cancelReviewSignal, () => {
    if (state.phase === 'concluded') return;
    state.phase = 'cancelled';
    nextReminderAt = undefined;
    state.revision += 1;
  });

  setHandler(
    formPanelUpdate,
    async ({ panel }) => {
      state.panel = copy(panel);
      return save();
    },
    {
      validator: ({ actor, panel }) => {
        authorize('formPanel', actor);
        if (!Array.isArray(panel)) refuse('VALIDATION_FAILED', '专家组格式不正确', 'The panel is malformed');
        enforce(checkPanel(panel, state.units, rule));
      },
    },
  );

  setHandler(
    chooseFormUpdate,
    async ({ form }) => {
      state.form = form.kind === 'meeting' ? { kind: 'meeting', date: form.date, place: form.place.trim() } : { kind: 'correspondence', deadline: new Date(Date.parse(form.deadline)).toISOString() };
      state.deadline = new Date(deadlineOf(state.form, chinaMidnight)).toISOString();
      return save();
    },
    {
      validator: ({ actor, form }) => {
        authorize('chooseForm', actor);
        if (typeof form !== 'object' || form === null) refuse('VALIDATION_FAILED', '审查方式无效', 'Unknown review form');
        enforce(checkForm(form, now(), isIsoDate, chinaMidnight));
      },
    },
  );

  setHandler(
    sendUpdate,
    async ({ actor, packageLink }) => {
      state.packageLink = packageLink;
      state.phase = 'collecting';
      state.sentAt = new Date(now()).toISOString();
      state.organiser = actor;
      nextReminderAt = now() + input.reminderIntervalMs;
      const snapshot = await save();
      await acts.notifyReviewUsers({
        id: `${technicalReviewKey()}:sent`,
        standardId,
        userIds: state.panel.map((m) => m.userId),
        zh: `请审查标准 ${standardId} 的送审稿，并于 ${state.deadline} 前提交审查意见`,
        en: `Please review the draft of standard ${standardId} and submit your opinion before ${state.deadline}`,
        at: snapshot.sentAt as string,
      });
      return snapshot;
    },
    {
      validator: ({ actor, packageLink }) => {
        authorize('send', actor);
        if (typeof packageLink !== 'string' || !/^\/[A-Za-z0-9/_.:%?=&-]{0,500}$|^https:\/\/[^\s<>"]{1,500}$/.test(packageLink)) {
          refuse('VALIDATION_FAILED', '送审材料链接应为站内路径或 https 地址', 'The package link must be a site path or an https address');
        }
        const d = deadlineMs();
        if (d !== undefined && d <= now()) refuse('VALIDATION_FAILED', '截止时间已过，请重新选择审查方式', 'The deadline has passed; choose the form again');
      },
    },
  );

  setHandler(
    submitOpinionUpdate,
    async ({ actor, text, vote }) => {
      state.opinions.push({ userId: actor.userId, text, vote, at: new Date(now()).toISOString(), afterReminders: state.reminders[actor.userId] ?? 0 });
      return save();
    },
    {
      validator: ({ actor, text, vote }) => {
        authorize('submitOpinion', actor);
        if (submitted().includes(actor.userId)) refuse('STAGE_CONFLICT', '您已提交过审查意见', 'You have already submitted your opinion');
        enforce(checkOpinion(text, vote));
      },
    },
  );

  setHandler(
    recordConclusionUpdate,
    async ({ actor, handling, summary }) => {
      const c = conclusionOf(state.panel.length, state.opinions.map((o) => o.vote), rule);
      state.conclusion = c.conclusion;
      state.yesVotes = c.yes;
      state.votesNeeded = c.needed;
      state.handling = copy(handling);
      state.summary = summary.trim();
      state.organiser = actor;
      state.concludedAt = new Date(now()).toISOString();
      state.late = state.panel.filter((m) => !submitted().includes(m.userId)).map((m) => m.userId);
      state.phase = 'concluded';
      nextReminderAt = undefined;
      await save();
      const { fileId } = await acts.generateReviewMinutes({ standardId, round });
      state.minutesFileId = fileId;
      return save();
    },
    {
      validator: ({ actor, handling, summary }) => {
        authorize('recordConclusion', actor);
        if (typeof handling !== 'object' || handling === null) refuse('VALIDATION_FAILED', '处理意见格式不正确', 'The handling is malformed');
        enforce(checkHandling(handling, submitted()));
        if (typeof summary !== 'string' || summary.trim() === '' || summary.length > 5000) refuse('VALIDATION_FAILED', '请填写审查结论说明（不超过 5000 字）', 'Write the conclusion (at most 5,000 characters)');
      },
    },
  );

  function technicalReviewKey(): string {
    return `technical-review:${standardId}:${round}`;
  }

  const loaded = await acts.loadReviewContext({ standardId });
  state.units = loaded.units;
  await save();
  ready = true;

  // Reminders while opinions are missing, until the deadline; then the late experts are listed.
  while (state.phase !== 'concluded' && state.phase !== 'cancelled') {
    const seen = state.revision;
    const d = deadlineMs();
    const passed = timerDriven ? reached : now();
    if (state.phase === 'collecting' && d !== undefined) {
      if (passed >= d) {
        if (state.late.length === 0) {
          state.late = state.panel.filter((m) => !submitted().includes(m.userId)).map((m) => m.userId);
          if (state.late.length > 0) await save();
        }
      } else if (nextReminderAt !== undefined && passed >= nextReminderAt) {
        reminderRound += 1;
        nextReminderAt = Math.min((timerDriven ? Math.max(nextReminderAt, reached) : now()) + input.reminderIntervalMs, d);
        const missing = state.panel.filter((m) => !submitted().includes(m.userId));
        for (const m of missing) state.reminders[m.userId] = (state.reminders[m.userId] ?? 0) + 1;
        if (missing.length > 0) {
          await save();
          await acts.notifyReviewUsers({
            id: `${technicalReviewKey()}:reminder:${reminderRound}`,
            standardId,
            userIds: missing.map((m) => m.userId),
            zh: `提醒：标准 ${standardId} 的技术审查意见尚未提交，截止时间 ${state.deadline}`,
            en: `Reminder: your review opinion on standard ${standardId} is due by ${state.deadline}`,
            at: new Date(now()).toISOString(),
          });
        }
        continue;
      }
    }
    const wakeAt = state.phase === 'collecting' && d !== undefined && passed < d ? Math.min(nextReminderAt ?? d, d) : undefined;
    const changed = (): boolean => state.revision !== seen;
    if (wakeAt !== undefined) {
      // The sleep is sized by the SDK's time (a replay does not compare durations); a timeout proves wakeAt passed.
      const woken = await condition(changed, Math.max(wakeAt - now(), 1));
      if (!woken && timerDriven) reached = Math.max(reached, wakeAt);
    } else await condition(changed);
  }
  await condition(allHandlersFinished);
  if (state.phase === 'cancelled') {
    await acts.saveReviewState({ state: copy(state) });
    return { cancelled: true };
  }
  if (state.minutesFileId) await acts.renderReviewMinutesPdf({ fileId: state.minutesFileId });
  if (!state.conclusion || !state.organiser) throw ApplicationFailure.nonRetryable('review ended without a conclusion', 'REVIEW_INCOMPLETE');
  return { conclusion: state.conclusion, summary: state.summary ?? '', organiser: state.organiser, ...(state.minutesFileId ? { minutesFileId: state.minutesFileId } : {}) };
}
