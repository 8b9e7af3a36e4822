// Prunes `standards_changes` (./standards-changes.ts: entries older than RETAIN_MS, which no list view reads any
// more) at start and every ten minutes, and warms the list view at start so a process's first list read finds
// it loaded (./standards-listing.ts). Owned by the runtime (server/runtime.ts), which stops it so a stopped
// runtime never queries a closed client; the timer does not keep the process alive. Several app processes may
// each run it: pruning is idempotent and only ever deletes what the watermark it raised first announces.
import type { Db } from 'mongodb';
import type { Logger } from '../infra/logger';
import { pruneStandardsChanges } from './standards-changes';
import { listingRows } from './standards-listing';
import { startPeriodicSweep, type PeriodicSweep } from '../infra/periodic-sweep';

export const STANDARDS_CHANGES_SWEEP_EVERY_MS = 10 * 60_000;

export type StandardsChangesSweep = PeriodicSweep;

export function startStandardsChangesSweep(deps: { db: Db; logger: Logger; everyMs?: number }): StandardsChangesSweep {
  const sweep = startPeriodicSweep({
    run: () => pruneStandardsChanges(deps.db),
    everyMs: deps.everyMs ?? STANDARDS_CHANGES_SWEEP_EVERY_MS,
    logger: deps.logger,
    done: (n) => [{ pruned: n }, 'old standards_changes entries pruned'],
    failed: 'standards_changes prune failed; next tick retries',
    runAtStart: true,
  });
  listingRows(deps.db).catch((e: unknown) => deps.logger.warn({ err: e }, 'list view warm-up failed; the first list read loads it'));
  return sweep;
}
