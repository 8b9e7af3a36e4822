// What comes due by itself, pure: from the state and the run's own due instants, the list of timed steps
// (comment period closing, release instant, release retry, implementation date, 复审 due, reminders, 备案
// reminder) ordered by instant. The workflow sleeps until the first and runs it (workflows/lifecycle/due.ts);
// test/workflows/lifecycle-agenda.test.ts checks the list without a workflow.
import { chinaMidnight } from '../dates';
import type { LifecycleState } from '../messages';
import { implementationInstant, isAt } from './state';

export type DueKind = 'commentPeriodClosed' | 'releaseDate' | 'releaseRetry' | 'implementationDate' | 'reviewDue' | 'reminder' | 'filingReminder';

export interface Due {
  /** Workflow clock, ms. */
  at: number;
  kind: DueKind;
}

/** The run's own instants (not part of the queried state). */
export interface AgendaTimes {
  reminderDueAt?: number;
  filingDueAt?: number;
  releaseRetryAt?: number;
}

/** Everything due, earliest first; equal instants keep the order listed in DueKind (the sort is stable). */
export function agendaOf(state: Readonly<LifecycleState>, times: AgendaTimes): Due[] {
  const out: Due[] = [];
  if (isAt(state, 'publicComment', 'open') && state.commentDeadline) out.push({ at: Date.parse(state.commentDeadline), kind: 'commentPeriodClosed' });
  if (isAt(state, 'release', 'awaitingReleaseDate') && state.releaseDate) out.push({ at: chinaMidnight(state.releaseDate), kind: 'releaseDate' });
  if (isAt(state, 'release', 'generatingDocuments') && times.releaseRetryAt !== undefined) out.push({ at: times.releaseRetryAt, kind: 'releaseRetry' });
  const impl = implementationInstant(state);
  if (state.stage === 'publicity' && impl !== undefined) out.push({ at: impl, kind: 'implementationDate' });
  if (isAt(state, 'inForce', 'active') && state.reviewDueAt) out.push({ at: Date.parse(state.reviewDueAt), kind: 'reviewDue' });
  if (times.reminderDueAt !== undefined) out.push({ at: times.reminderDueAt, kind: 'reminder' });
  if (times.filingDueAt !== undefined) out.push({ at: times.filingDueAt, kind: 'filingReminder' });
  return out.sort((a, b) => a.at - b.at);
}

