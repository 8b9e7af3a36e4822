// Removes expired sessions from the sessions collection on an interval. FerretDB 1.x has no TTL indexes, and
// connect-mongo's own interval sweep sends its delete unacknowledged (w: 0), which FerretDB 1.24 as released
// answered anyway, crossing the replies of that pooled connection (issue 9). This sweep sends an ordinary
// acknowledged delete. Reads already ignore expired sessions, so a late or failed sweep only costs space:
// errors are logged, never thrown.
import type { Collection } from 'mongodb';
import { createLogger, type Logger } from '../../activities/infra/logger';

export const DEFAULT_SESSION_SWEEP_INTERVAL_MS = 10 * 60 * 1000;

/** A session as connect-mongo stores it (the fields the sweep reads). */
export interface StoredSession {
  _id: string;
  expires: Date;
  session: string;
}

export interface SessionSweepOptions {
  /** The collection connect-mongo stores sessions in. */
  collection: Collection<StoredSession>;
  intervalMs?: number;
  logger?: Logger;
  /** The clock (tests). */
  now?: () => Date;
}

export interface SessionSweep {
  /** Runs one sweep now (after the one in progress, if any); resolves to the number of sessions removed, 0 on error. */
  sweepNow(): Promise<number>;
  /** Stops the timer and waits for a sweep in progress. Idempotent. */
  stop(): Promise<void>;
}

export function startSessionSweep(opts: SessionSweepOptions): SessionSweep {
  const intervalMs = opts.intervalMs ?? DEFAULT_SESSION_SWEEP_INTERVAL_MS;
  const log = opts.logger ?? createLogger('session-sweep');
  const now = opts.now ?? (() => new Date());
  let running: Promise<number> = Promise.resolve(0);
  let stopped = false;

  const sweepOnce = async (): Promise<number> => {
    try {
      // The default write concern: acknowledged.
      const res = await opts.collection.deleteMany({ expires: { $lt: now() } });
      if (res.deletedCount > 0) log.debug({ removed: res.deletedCount }, 'expired sessions removed');
      return res.deletedCount;
    } catch (err) {
      log.error({ err }, 'sweeping expired sessions failed; will try again at the next interval');
      return 0;
    }
  };

  // One sweep at a time: a slow sweep is not overtaken by the next tick.
  const sweepNow = (): Promise<number> => {
    running = running.then(sweepOnce);
    return running;
  };

  let busy = false;
  const timer = setInterval(() => {
    if (busy || stopped) return;
    busy = true;
    void sweepNow().finally(() => {
      busy = false;
    });
  }, intervalMs);
  // The sweep never keeps the process alive on its own.
  timer.unref();

  return {
    sweepNow,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
