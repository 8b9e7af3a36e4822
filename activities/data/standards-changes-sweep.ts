// Prunes `standards_changes` (./standards-changes.ts: entries older than RETAIN_MS, which no list view reads any
// more) at start and every ten minutes, and warms the list view at start so a process's first list read finds
// it loaded (./standards-listing.ts). Owned by the runtime (server/runtime.ts), which stops it so a stopped
// runtime never queries a closed client; the timer does not keep the process alive. Several app processes may
// each run it: pruning is idempotent and only ever deletes what the watermark it raised first announces.
import type { Db } from 'mongodb';
import type { Logger } from '../infra/logger';
import { pruneStandardsChanges } from './standards-changes';
import { listingRows } from './standards-listing';

export const STANDARDS_CHANGES_SWEEP_EVERY_MS = 10 * 60_000;

export interface StandardsChangesSweep {
  /** Prunes now (also what the timer runs); the number of entries deleted. */
  sweepNow(): Promise<number>;
  stop(): void;
}

export function startStandardsChangesSweep(deps: { db: Db; logger: Logger; everyMs?: number }): StandardsChangesSweep {
  let running: Promise<number> | null = null;
  let stopped = false;
  const sweepNow = (): Promise<number> => {
    // One sweep at a time; a tick during a long sweep joins it.
    running ??= pruneStandardsChanges(deps.db)
      .then((n) => {
        if (n > 0) deps.logger.info({ pruned: n }, 'old standards_changes entries pruned');
        return n;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const tick = (): void => {
    if (stopped) return;
    sweepNow().catch((e: unknown) => deps.logger.warn({ err: e }, 'standards_changes prune failed; next tick retries'));
  };
  tick();
  listingRows(deps.db).catch((e: unknown) => deps.logger.warn({ err: e }, 'list view warm-up failed; the first list read loads it'));
  const timer = setInterval(tick, deps.everyMs ?? STANDARDS_CHANGES_SWEEP_EVERY_MS);
  timer.unref();
  return {
    sweepNow,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
