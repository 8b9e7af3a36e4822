// Pending Word uploads expire after an hour, and with them the pictures their preview stored
// (activities/import/pending-pictures.ts). A new upload sweeps expired ones first, but a quiet server may
// see none for days: this timer sweeps on its own. Owned by the runtime (server/runtime.ts), which stops it
// so a stopped runtime never queries a closed client; the timer does not keep the process alive.
import type { Db } from 'mongodb';
import type { Logger } from '../infra/logger';
import { sweepExpiredUploads } from './uploads';

export const IMPORT_SWEEP_EVERY_MS = 10 * 60 * 1000;

export interface ImportSweep {
  /** Sweeps now (also what the timer runs); the number of uploads dropped. */
  sweepNow(): Promise<number>;
  stop(): void;
}

export function startImportSweep(deps: { db: Db; logger: Logger; everyMs?: number }): ImportSweep {
  let running: Promise<number> | null = null;
  let stopped = false;
  const sweepNow = (): Promise<number> => {
    // One sweep at a time; a tick during a long sweep joins it.
    running ??= sweepExpiredUploads(deps.db)
      .then((n) => {
        if (n > 0) deps.logger.info({ dropped: n }, 'expired Word uploads and their pictures swept');
        return n;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => {
    if (stopped) return;
    sweepNow().catch((e: unknown) => deps.logger.warn({ err: e }, 'Word upload sweep failed; next tick retries'));
  }, deps.everyMs ?? IMPORT_SWEEP_EVERY_MS);
  timer.unref();
  return {
    sweepNow,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
