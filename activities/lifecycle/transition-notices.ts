// The notifications a recorded transition sends, derived on the activity side so the workflow's commands
// stay as they are (no new activity, no new input: running lifecycles replay unchanged).
//
// - `actionDue`: the step entered waits on someone (workflows/holders.ts); one notification per action,
//   addressed only to the recipients `checkAction` lets take it (a drafter is never told to do what only the
//   lead department may). A transition that stays in its step (one bureau of three approved, the period
//   extended) sends none: the others were told when the step began, and reminders follow.
// - `news`: what happened, to those it concerns: the proposer (return, rejection, approval of the
//   proposal, the end of the standard), the drafters (the draft locks or the standard ends) and everyone
//   who follows the standard (every event). Not to the actor who caused it.
//
// Ids are `<standardId>:<revision>:<kind>[:<action>]`, so the reconciler's removal of a phantom revision's
// notifications (by the revision in the id) applies. Texts are not stored: they are rendered in the reader's
// language from these fields (notification-text.ts).
import { checkAction, PROVINCE_ACTIONS } from '../../workflows/permissions';
import { holdersOf, type NotificationRecipient } from '../../workflows/holders';
import type { Province, RoleGrant, StandardRecord } from '../../workflows/domain';
import type { Action, LifecycleState } from '../../workflows/messages';
import type { NotificationEvent, NotificationRecord } from '../data/notifications';
import type { TransitionInput } from './types';

/** What happened in a transition, in the notifications' vocabulary (undefined: nothing to tell). */
export function eventOfTransition(t: Pick<TransitionInput, 'action' | 'fromStage' | 'toStage' | 'step'>): NotificationEvent | undefined {
  switch (t.action) {
    case 'decideInitiation':
      if (t.toStage === 'withdrawn') return 'proposalRejected';
      if (t.step === 'returned') return 'proposalReturned';
      if (t.toStage === 'drafting') return 'proposalApproved';
      return 'provinceApproved';
    case 'resubmit':
      return t.toStage === 'initiation' ? 'proposalResubmitted' : 'approvalStarted';
    case 'submitForComment':
      return 'draftLocked';
    case 'extendCommentPeriod':
      return 'commentPeriodExtended';
    case 'commentPeriodClosed':
      return 'commentPeriodClosed';
    case 'completeCommentHandling':
      return 'reviewStarted';
    case 'recordReviewResult':
      return t.toStage === 'drafting' ? 'sentBackToDrafting' : 'reviewPassed';
    case 'submitForApproval':
      return 'approvalStarted';
    case 'decideApproval':
      if (t.step === 'returned') return 'approvalReturned';
      return t.toStage === 'release' ? 'releaseScheduled' : 'provinceApproved';
    case 'setReleaseDates':
      return t.toStage === 'release' ? 'releaseScheduled' : undefined;
    case 'publish':
      return 'published';
    case 'completePublicity':
      return t.toStage === 'inForce' ? 'inForce' : 'publicityDone';
    case 'implementationDateReached':
      return 'inForce';
    case 'reviewDue':
    case 'startReview':
      return 'reviewDue';
    case 'decideReview':
      return t.toStage === 'abolished' ? 'abolished' : 'stageChanged';
    case 'withdraw':
      return 'withdrawn';
    case 'releaseDateReached':
    case 'recordPublicityEvent':
      return undefined;
    default:
      return t.fromStage !== t.toStage ? 'stageChanged' : undefined;
  }
}

/** Events the proposer hears of (besides the watchers). */
const PROPOSER_EVENTS: readonly NotificationEvent[] = ['proposalReturned', 'proposalRejected', 'proposalApproved', 'approvalReturned', 'published', 'withdrawn', 'abolished'];
/** Events the drafters hear of as news (the draft locks, or the standard ends); they hear of the draft opening as an actionDue. */
const DRAFTER_EVENTS: readonly NotificationEvent[] = ['draftLocked', 'reviewStarted', 'approvalStarted', 'withdrawn', 'abolished'];

/** A transition that stays in a step somebody was already told to act in. */
function staysInStep(t: Pick<TransitionInput, 'action' | 'fromStage' | 'toStage' | 'step'>): boolean {
  if (t.action === 'extendCommentPeriod' || t.action === 'recordPublicityEvent') return true;
  return t.fromStage === t.toStage && t.step === 'awaitingDecisions' && (t.action === 'decideInitiation' || t.action === 'decideApproval' || t.action === 'setReleaseDates');
}

/** The grant a recipient stands for (what `checkAction` is asked about). */
export function grantOfRecipient(r: NotificationRecipient): RoleGrant {
  return { role: r.role, ...(r.province ? { province: r.province } : {}), ...(r.standardId ? { standardIds: [r.standardId] } : {}) };
}

/** Whether the recipient may take `action` in the state (per-province actions: for its own province). */
export function recipientMayAct(r: NotificationRecipient, action: Action, state: Pick<LifecycleState, 'standardId' | 'stage' | 'step' | 'provinces'>, leadProvince: Province): boolean {
  const province = PROVINCE_ACTIONS.includes(action) ? r.province : undefined;
  if (PROVINCE_ACTIONS.includes(action) && !province) return false;
  return checkAction(action, [grantOfRecipient(r)], { standardId: state.standardId, leadProvince, stage: state.stage, step: state.step, provinces: state.provinces }, province).ok;
}

function provinceOf(t: TransitionInput, event: NotificationEvent): Province | undefined {
  if (event === 'proposalRejected') return t.projection.rejectedBy;
  if (event === 'proposalReturned' || event === 'approvalReturned') {
    return (Object.keys(t.projection.provinces) as Province[]).find((p) => t.projection.provinces[p]?.decision === 'returned');
  }
  if (event === 'provinceApproved' && t.actor?.role === 'marketRegulator') return t.actor.province;
  return undefined;
}

/** The notifications of one recorded transition (possibly none). */
export function noticesOfTransition(t: TransitionInput, standard: Pick<StandardRecord, 'leadProvince' | 'createdBy'>, watchers: readonly string[]): NotificationRecord[] {
  const event = eventOfTransition(t);
  const out: NotificationRecord[] = [];
  const province = event ? provinceOf(t, event) : undefined;
  const common = {
    standardId: t.standardId,
    at: t.at,
    stage: t.toStage,
    step: t.step,
    ...(event ? { event } : {}),
    ...(province ? { province } : {}),
    ...(t.reason ? { reason: t.reason.slice(0, 2000) } : {}),
    ...(t.actor ? { actorName: t.actor.displayName } : {}),
  };
  if (!staysInStep(t)) {
    const state = { ...t.projection, standardId: t.standardId, publicityEvents: 0, publicityDone: false } as LifecycleState;
    for (const h of holdersOf(state, standard.leadProvince)) {
      const recipients = h.recipients.filter((r) => recipientMayAct(r, h.action, state, standard.leadProvince));
      if (recipients.length === 0) continue;
      out.push({ _id: `${t.standardId}:${t.revision}:actionDue:${h.action}`, kind: 'actionDue', action: h.action, recipients, ...common });
    }
  }
  if (event) {
    const users = new Set(watchers);
    if (PROPOSER_EVENTS.includes(event) && standard.createdBy) users.add(standard.createdBy);
    if (t.actor) users.delete(t.actor.userId);
    const recipients: NotificationRecipient[] = DRAFTER_EVENTS.includes(event) ? [{ role: 'drafter', standardId: t.standardId }] : [];
    if (users.size > 0 || recipients.length > 0) {
      out.push({ _id: `${t.standardId}:${t.revision}:news`, kind: 'news', recipients, userIds: [...users].sort(), ...common });
    }
  }
  return out;
}
