// Who holds the next action of a lifecycle step: the recipients of reminders while the step waits on
// someone. Pure function of the state (workflow-safe); mirrors the role rules in permissions.ts.
import type { Province, Role } from './domain';
import type { Action, LifecycleState } from './messages';

/** A role (optionally scoped by province or standard) a notification is addressed to. */
export interface NotificationRecipient {
  role: Role;
  province?: Province;
  /** Set for drafters and experts of one standard. */
  standardId?: string;
}

export interface Holding {
  action: Action;
  recipients: NotificationRecipient[];
}

export function holdersOf(state: LifecycleState, leadProvince: Province): Holding[] {
  const drafters: NotificationRecipient = { role: 'drafter', standardId: state.standardId };
  const leadEco: NotificationRecipient = { role: 'ecoEnvDepartment', province: leadProvince };
  const pendingRegulators = state.pendingProvinces.map((p): NotificationRecipient => ({ role: 'marketRegulator', province: p }));
  switch (`${state.stage}/${state.step}`) {
    case 'initiation/awaitingDecisions':
      return [{ action: 'decideInitiation', recipients: pendingRegulators }];
    case 'initiation/returned':
    case 'approval/returned':
      return [{ action: 'resubmit', recipients: [leadEco] }];
    case 'drafting/editing':
      return [{ action: 'submitForComment', recipients: [drafters, leadEco] }];
    case 'publicComment/handlingComments':
      return [{ action: 'completeCommentHandling', recipients: [drafters, leadEco] }];
    case 'technicalReview/underReview':
      return [{ action: 'recordReviewResult', recipients: [{ role: 'expert', standardId: state.standardId }] }];
    case 'technicalReview/revising':
      return [{ action: 'submitForApproval', recipients: [drafters, leadEco] }];
    case 'approval/awaitingDecisions': {
      const out: Holding[] = [];
      if (pendingRegulators.length) out.push({ action: 'decideApproval', recipients: pendingRegulators });
      if (!state.releaseDate) out.push({ action: 'setReleaseDates', recipients: [{ role: 'executiveCommittee' }] });
      return out;
    }
    case 'publicity/running':
      return [{ action: 'completePublicity', recipients: [{ role: 'executiveCommittee' }] }];
    case 'review/deciding':
      return [{ action: 'decideReview', recipients: [leadEco] }];
    default:
      return [];
  }
}
