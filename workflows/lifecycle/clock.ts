// The lifecycle's clock. The SDK's workflow time (Date.now()) is not always the same live and on replay:
// after a local activity that outlasted a workflow task (the store away for ~8 s, so the worker heartbeat
// the task) a replay reads an earlier instant than the live run did, and a worker taking a lifecycle over
// after a kill -9 once read the previous task's instant live where the replay reads the current one. A
// lifecycle that chose its next command from such a reading could not be replayed: its workflow task
// failed forever after the next restart (the soak found both). So:
// - what is due is decided by timers alone: a timer that fired proves its target instant has passed, and
//   the history records the firing; `reached()` is the latest such target;
// - the values computed from the time (deadlines, reminders, audit instants) read `now()`, which moves only
//   at an Update's entry, a timer's firing or an activity's result, and never while a local activity is in
//   flight, so the instants a heartbeat or a take-over blurs are not read at all.
// Lifecycles started before this change keep reading Date.now() on replay (`legacyClock`).

export interface LifecycleClock {
  /** The time values are computed from (workflow clock, ms). */
  now(): number;
  /** What `now()` would read after `refresh()`, without moving it: for validators, which a replay skips. */
  peek(): number;
  /** Takes the workflow time, unless a local activity is in flight. Call where an Update, a timer or an activity result enters. */
  refresh(): void;
  /** The latest target instant of a timer that fired: what the history proves has passed (the legacy clock: the SDK's time). */
  reached(): number;
  /** A timer armed for `target` fired. */
  timerFired(target: number): void;
}

export function createLifecycleClock(localsInFlight: () => number): LifecycleClock {
  let t = Date.now();
  let reached = Number.NEGATIVE_INFINITY;
  const fresh = (): number => (localsInFlight() === 0 ? Math.max(t, Date.now()) : t);
  return {
    now: () => t,
    peek: fresh,
    refresh() {
      t = fresh();
    },
    reached: () => reached,
    timerFired(target) {
      reached = Math.max(reached, target);
      t = Math.max(t, target);
    },
  };
}

/** The clock of lifecycles started before the change: the SDK's time everywhere. */
export function legacyClock(): LifecycleClock {
  return {
    now: () => Date.now(),
    peek: () => Date.now(),
    refresh: () => undefined,
    reached: () => Date.now(),
    timerFired: () => undefined,
  };
}
