// What comes due by itself (workflows/lifecycle/agenda.ts), as a pure list: which entries a state yields
// and in which order. The workflow sleeps until the first entry; a wrong order or a missing entry here is a
// missed deadline, release or reminder there.
import { chinaMidnight } from '../../workflows/dates';
import type { LifecycleState } from '../../workflows/messages';
import { agendaOf } from '../../workflows/lifecycle/agenda';
import { initialState } from '../../workflows/lifecycle/state';

const state = (patch: Partial<LifecycleState>): LifecycleState => ({ ...initialState('sAgenda'), ...patch });

test('a new lifecycle has nothing due but its reminder', () => {
  expect(agendaOf(state({}), {})).toEqual([]);
  expect(agendaOf(state({}), { reminderDueAt: 5 })).toEqual([{ at: 5, kind: 'reminder' }]);
});

test('the comment period closes at its deadline only while it is open', () => {
  const deadline = '2026-07-01T00:00:00.000Z';
  expect(agendaOf(state({ stage: 'publicComment', step: 'open', commentDeadline: deadline }), {})).toEqual([{ at: Date.parse(deadline), kind: 'commentPeriodClosed' }]);
  expect(agendaOf(state({ stage: 'publicComment', step: 'handlingComments', commentDeadline: deadline }), {})).toEqual([]);
});

test('the release comes due at 00:00 China time of the release date; a retry only while generating', () => {
  expect(agendaOf(state({ stage: 'release', step: 'awaitingReleaseDate', releaseDate: '2026-07-01' }), { releaseRetryAt: 1 })).toEqual([
    { at: chinaMidnight('2026-07-01'), kind: 'releaseDate' },
  ]);
  expect(chinaMidnight('2026-07-01')).toBe(Date.parse('2026-06-30T16:00:00Z'));
  expect(agendaOf(state({ stage: 'release', step: 'generatingDocuments', releaseDate: '2026-07-01' }), { releaseRetryAt: 42 })).toEqual([{ at: 42, kind: 'releaseRetry' }]);
  expect(agendaOf(state({ stage: 'release', step: 'generatingDocuments' }), {})).toEqual([]);
});

test('in 宣贯 the implementation date comes due, with the 备案 reminder, earliest first', () => {
  const impl = chinaMidnight('2026-09-01');
  const list = agendaOf(state({ stage: 'publicity', step: 'running', implementationDate: '2026-09-01' }), { filingDueAt: impl - 1, reminderDueAt: impl + 1 });
  expect(list).toEqual([
    { at: impl - 1, kind: 'filingReminder' },
    { at: impl, kind: 'implementationDate' },
    { at: impl + 1, kind: 'reminder' },
  ]);
});

test('复审 comes due in force; equal instants keep the listed order (stage step before reminders)', () => {
  const due = '2031-09-01T00:00:00.000Z';
  const at = Date.parse(due);
  expect(agendaOf(state({ stage: 'inForce', step: 'active', reviewDueAt: due }), { reminderDueAt: at, filingDueAt: at })).toEqual([
    { at, kind: 'reviewDue' },
    { at, kind: 'reminder' },
    { at, kind: 'filingReminder' },
  ]);
  expect(agendaOf(state({ stage: 'review', step: 'deciding', reviewDueAt: due }), {})).toEqual([]);
});
