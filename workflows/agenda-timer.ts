// The lifecycle's one agenda timer: armed for the earliest due instant and kept when a later one comes
// due (it fires early, the agenda finds nothing due and arms the next), replaced only by an earlier one —
// so an action that pushes the next reminder back writes no timer events to the history.
import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';

export interface AgendaTimer {
  /** Makes sure the timer fires no later than `at` (workflow clock, ms). */
  arm(at: number): void;
  /** How many times it has fired: a change wakes the agenda loop. */
  firings(): number;
  /** The instant the timer that fired last was armed for. */
  lastTarget(): number;
  cancel(): void;
}

/**
 * `now` only sizes the sleep: a replay does not compare a timer's duration with the history, so it may be
 * any reading of the time.
 */
export function createAgendaTimer(now: () => number): AgendaTimer {
  let timerAt: number | undefined;
  let scope: CancellationScope | undefined;
  let fired = 0;
  let lastTarget = Number.NEGATIVE_INFINITY;
  return {
    arm(at) {
      if (timerAt !== undefined && timerAt <= at) return;
      scope?.cancel();
      const own = new CancellationScope();
      scope = own;
      timerAt = at;
      own
        .run(() => sleep(at - now()))
        .then(
          () => {
            if (scope !== own) return;
            scope = undefined;
            timerAt = undefined;
            lastTarget = at;
            fired += 1;
          },
          (e: unknown) => {
            if (!isCancellation(e)) throw e;
          },
        );
    },
    firings: () => fired,
    lastTarget: () => lastTarget,
    cancel() {
      scope?.cancel();
    },
  };
}
