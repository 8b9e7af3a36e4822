// Which of a reader's notifications they are shown (on the page, by the API and in e-mail): a workflow
// reminder whose recipients' role can never take its action is hidden, and a transition's news is folded
// into the "your turn" notice of the same transition (same headline), so each transition reads once.
import type { NotificationRecord } from '../data/notifications';
import type { Principal } from '../data/users';
import type { Action } from '../../workflows/messages';
import type { StandardRecord } from '../../workflows/domain';
import { recipientMayAct } from './transition-notices';

/** The stage/step in which the action is taken (to ask whether a role may ever take it there). */
const ACTION_STEP: Partial<Record<Action, [StandardRecord['stage'], NonNullable<StandardRecord['step']>]>> = {
  decideInitiation: ['initiation', 'awaitingDecisions'],
  resubmit: ['initiation', 'returned'],
  submitForComment: ['drafting', 'editing'],
  completeCommentHandling: ['publicComment', 'handlingComments'],
  recordReviewResult: ['technicalReview', 'underReview'],
  submitForApproval: ['technicalReview', 'revising'],
  decideApproval: ['approval', 'awaitingDecisions'],
  setReleaseDates: ['approval', 'awaitingDecisions'],
  completePublicity: ['publicity', 'running'],
  decideReview: ['review', 'deciding'],
};

function showable(n: NotificationRecord, user: Pick<Principal, 'grants'>, standard: StandardRecord | undefined): boolean {
  if (n.kind !== 'reminder' || !n.action || !standard) return true;
  const action = n.action as Action;
  const at = ACTION_STEP[action];
  const state = { standardId: standard._id, stage: at?.[0] ?? standard.stage, step: at?.[1] ?? standard.step ?? 'ended', provinces: standard.provinces };
  return n.recipients.some((r) => user.grants.some((g) => g.role === r.role && (!r.province || r.province === g.province)) && recipientMayAct(r, action, state, standard.leadProvince));
}

/** `<standardId>:<revision>` of a notification id. */
const revisionPrefix = (id: string): string => id.split(':').slice(0, 2).join(':');

/** The notifications of one page the reader is shown, in the page's order. */
export function visibleNotices(page: readonly NotificationRecord[], user: Pick<Principal, 'grants'>, standards: ReadonlyMap<string, StandardRecord>): NotificationRecord[] {
  const turns = new Set(page.filter((n) => n.kind === 'actionDue').map((n) => revisionPrefix(n._id)));
  return page.filter((n) => showable(n, user, standards.get(n.standardId)) && !(n.kind === 'news' && turns.has(revisionPrefix(n._id))));
}
