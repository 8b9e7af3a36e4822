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
// The parts live in workflows/lifecycle/: state.ts (the state and pure readings of it), validators.ts
// (pure Update validators), agenda.ts (pure: what is due when), run.ts (transition, notify and the run's
// instants), handlers.ts, effects.ts (the effects loop) and due.ts (running what came due, 发布 included).
//
// Determinism: no I/O, clocks or randomness besides the workflow's own; what comes due follows timers, and
// values read the lifecycle's clock (workflows/lifecycle/clock.ts), not the SDK's time directly.
// Business changes to running lifecycles go behind `patched('<change-id>')` (keep the old branch until no
// running workflow can take it) and the replay test over test/workflows/histories/ must stay green.
import { allHandlersFinished, condition } from '@temporalio/workflow';
import { TERMINAL_STAGES } from './domain';
import type { LifecycleInput, LifecycleState } from './messages';
import { createAgendaTimer } from './agenda-timer';
import { agendaOf } from './lifecycle/agenda';
import { dueStep } from './lifecycle/due';
import { startEffectsLoop } from './lifecycle/effects';
import { registerHandlers } from './lifecycle/handlers';
import { createLifecycleRun } from './lifecycle/run';
import { copy, pendingProvincesOf } from './lifecycle/state';

export type { LifecycleFailureType } from './failures';

export async function lifecycleWorkflow(input: LifecycleInput): Promise<LifecycleState> {
  const run = createLifecycleRun(input);
  const { state, light } = run;
  registerHandlers(run);

  state.pendingProvinces = pendingProvincesOf(state);
  run.armReminder();

  const { clock } = run;
  // The sleep is sized by the SDK's time: a replay does not compare durations (clock.ts says why the
  // decisions below do not read it).
  const timer = createAgendaTimer(() => Date.now());
  const effects = startEffectsLoop(run);
  while (!TERMINAL_STAGES.includes(state.stage)) {
    const next = agendaOf(state, run.times)[0];
    if (next && next.at <= clock.reached()) {
      await dueStep(run, effects, next)();
      continue;
    }
    const seenRevision = state.revision;
    if (light) {
      const seenFirings = timer.firings();
      if (next) timer.arm(next.at);
      await condition(() => state.revision !== seenRevision || timer.firings() !== seenFirings);
      if (timer.firings() !== seenFirings) clock.timerFired(timer.lastTarget());
      clock.refresh();
      continue;
    }
    const wake = (): boolean => state.revision !== seenRevision;
    if (next) await condition(wake, next.at - run.now());
    else await condition(wake);
  }
  timer.cancel();
  effects.stop();
  await effects.running;
  await condition(allHandlersFinished);
  return copy(state);
}
