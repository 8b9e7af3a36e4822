// A clean-up run now and then by the app (and on demand): one run at a time (a tick during a long run joins
// it), a failed run logged and left to the next tick, a timer that does not keep the process alive and that
// `stop()` ends, so a stopped runtime never queries a closed client.
import type { Logger } from './logger';

export interface PeriodicSweep {
  /** Runs now (also what the timer runs); the number of records it removed. */
  sweepNow(): Promise<number>;
  stop(): void;
}

export interface PeriodicSweepOptions {
  run: () => Promise<number>;
  everyMs: number;
  logger: Logger;
  /** Logged (info) with the count when a run removed something. */
  done: (n: number) => [Record<string, unknown>, string];
  /** Logged (warn) when a run failed. */
  failed: string;
  /** Also run once at the start (default: first run after `everyMs`). */
  runAtStart?: boolean;
}

export function startPeriodicSweep(o: PeriodicSweepOptions): PeriodicSweep {
  let running: Promise<number> | null = null;
  let stopped = false;
  const sweepNow = (): Promise<number> => {
    running ??= o
      .run()
      .then((n) => {
        if (n > 0) o.logger.info(...o.done(n));
        return n;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const tick = (): void => {
    if (stopped) return;
    sweepNow().catch((e: unknown) => o.logger.warn({ err: e }, o.failed));
  };
  if (o.runAtStart) tick();
  const timer = setInterval(tick, o.everyMs);
  timer.unref();
  return {
    sweepNow,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
