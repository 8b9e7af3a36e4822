// One lifecycle run's working set: the live state, the instants only the workflow keeps (reminders, 备案,
// release retry), the effect queue, and the moves every handler and timed step shares — `transition`
// (state change + audit entry + projection, one local activity), `notify`, coming into force, entering
// 发布. Created once inside the workflow function; it issues no command when created except the
// `patched()` marker the workflow always wrote first.
import { patched, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { LifecycleActivities } from '../../activities/lifecycle';
import type { FrozenVersionKind } from '../../activities/lifecycle/seams';
import { PROVINCES, draftIsEditable, type Actor, type Province, type Stage } from '../domain';
import { holdersOf } from '../holders';
import type { Action, LifecycleInput, LifecycleState, StageStep } from '../messages';
import { projectionOf } from '../projection';
import { PENDING_PROVINCES_SEARCH_ATTRIBUTE, STAGE_SEARCH_ATTRIBUTE } from '../search-attributes';
import { serialLocalActivities } from '../serial-local-activities';
import type { AgendaTimes } from './agenda';
import { allApproved, allPending, copy, initialState, pendingProvincesOf } from './state';
import type { ValidationContext } from './validators';

/**
 * Fewer history events per action, so a busy server keeps up: one agenda timer, re-armed only when an
 * earlier instant comes due (not cancelled and restarted by every action); a collaboration refresh only
 * when the transition changes whether the draft is editable (also when only the step changes, as in
 * 技术审查 → revising); search attributes written only when they change. Lifecycles started before this
 * change keep the old behaviour on replay.
 */
export const LIGHT_TRANSITIONS = 'light-transitions-1';

/** Work that follows a transition, run in order beside the agenda (workflows/lifecycle/effects.ts). */
export type Effect = { kind: 'freeze'; versionKind: FrozenVersionKind; actor: Actor } | { kind: 'refreshCollab' };

export interface TransitionArgs {
  to: Stage;
  step: StageStep;
  actor: Actor | null;
  action: string;
  reason?: string;
}

export type NoticeKind = 'reminder' | 'filingReminder' | 'releaseBlocked' | 'versionNotFrozen';
export interface NoticeBody {
  action?: Action;
  recipients: ReturnType<typeof holdersOf>[number]['recipients'];
  zh: string;
  en: string;
}

export interface LifecycleRun {
  readonly input: LifecycleInput;
  readonly state: LifecycleState;
  readonly useSearchAttributes: boolean;
  /** Whether this run takes the LIGHT_TRANSITIONS branch. */
  readonly light: boolean;
  readonly local: LifecycleActivities;
  readonly effects: Effect[];
  /** Provinces whose approval (number reservation) is being recorded right now. */
  readonly reserving: Set<Province>;
  /** Instants the agenda reads besides the state. */
  readonly times: AgendaTimes;
  /** The actor whose decision completed approval; the published version is frozen in their name. */
  releaseActor: Actor;
  reminderCount: number;
  releaseAttempts: number;
  revisionCount: number;
  now(): number;
  nowIso(): string;
  validation(): ValidationContext;
  transition(t: TransitionArgs): Promise<LifecycleState>;
  notify(kind: NoticeKind, n: number, body: NoticeBody): Promise<void>;
  armReminder(): void;
  resetDecisions(): void;
  enterInForce(): void;
  enterReleaseIfComplete(actor: Actor, action: Action, reason?: string): Promise<LifecycleState>;
}

export function createLifecycleRun(input: LifecycleInput): LifecycleRun {
  const { standardId, leadProvince, durations } = input;
  const useSearchAttributes = input.searchAttributes !== false;
  const state = initialState(standardId);
  const effects: Effect[] = [];
  const light = patched(LIGHT_TRANSITIONS);
  /** What the search attributes hold now: the starter sets them to 立项 with all three provinces pending. */
  let upserted = { stage: 'initiation' as Stage, pending: PROVINCES.join(',') };
  const local = serialLocalActivities();
  const now = (): number => Date.now();
  const nowIso = (): string => new Date(now()).toISOString();

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

  const run: LifecycleRun = {
    input,
    state,
    useSearchAttributes,
    light,
    local,
    effects,
    reserving: new Set<Province>(),
    times: {},
    releaseActor: input.proposedBy,
    reminderCount: 0,
    releaseAttempts: 0,
    revisionCount: 0,
    now,
    nowIso,
    validation: () => ({ state, standardId, leadProvince, mandatory: input.mandatory, now: now(), reserving: run.reserving }),

    /** Moves the state, records the audit entry and projection, and returns the state of this revision. */
    async transition(t) {
      const fromStage = state.stage;
      const wasEditable = draftIsEditable(state);
      state.stage = t.to;
      state.step = t.step;
      state.revision += 1;
      state.pendingProvinces = pendingProvincesOf(state);
      const at = nowIso();
      run.armReminder();
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
    },

    async notify(kind, n, body) {
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
    },

    armReminder() {
      run.reminderCount = 0;
      run.times.reminderDueAt = holdersOf(state, leadProvince).length > 0 ? now() + durations.reminderIntervalMs : undefined;
    },

    resetDecisions() {
      state.provinces = allPending();
    },

    enterInForce() {
      // Due at most one review interval after the standard came into force (its implementation instant, or
      // later when the release itself happened after the implementation date).
      state.reviewDueAt = new Date(now() + durations.reviewIntervalMs).toISOString();
    },

    async enterReleaseIfComplete(actor, action, reason) {
      if (allApproved(state) && state.releaseDate && state.implementationDate) {
        run.releaseActor = actor;
        return run.transition({ to: 'release', step: 'awaitingReleaseDate', actor, action, reason });
      }
      return run.transition({ to: 'approval', step: 'awaitingDecisions', actor, action, reason });
    },
  };
  return run;
}
