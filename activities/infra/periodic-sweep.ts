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
  /** A failure after which no run can succeed (its client was closed by its owner): the timer ends, logged
   * once at debug with `ended`, instead of failing every tick for the life of the process. */
  endsOn?: { test: (err: unknown) => boolean; ended: string };
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
    sweepNow().catch((e: unknown) => {
      if (o.endsOn?.test(e)) {
        if (!stopped) o.logger.debug(o.endsOn.ended);
        stop();
      } else o.logger.warn({ err: e }, o.failed);
    });
  };
  const stop = (): void => {
    stopped = true;
    clearInterval(timer);
  };
  if (o.runAtStart) tick();
  const timer = setInterval(tick, o.everyMs);
  timer.unref();
  return { sweepNow, stop };
}
