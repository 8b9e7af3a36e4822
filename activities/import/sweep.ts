// Pending Word uploads expire after an hour, and with them the pictures their preview stored
// (activities/import/pending-pictures.ts). A new upload sweeps expired ones first, but a quiet server may
// see none for days: this timer sweeps on its own. Owned by the runtime (server/runtime.ts), which stops it
// so a stopped runtime never queries a closed client; the timer does not keep the process alive.
import type { Db } from 'mongodb';
import type { Logger } from '../infra/logger';
import { sweepExpiredUploads } from './uploads';
import { startPeriodicSweep, type PeriodicSweep } from '../infra/periodic-sweep';

export const IMPORT_SWEEP_EVERY_MS = 10 * 60 * 1000;

export type ImportSweep = PeriodicSweep;

export function startImportSweep(deps: { db: Db; logger: Logger; everyMs?: number }): ImportSweep {
  return startPeriodicSweep({
    run: () => sweepExpiredUploads(deps.db),
    everyMs: deps.everyMs ?? IMPORT_SWEEP_EVERY_MS,
    logger: deps.logger,
    done: (n) => [{ dropped: n }, 'expired Word uploads and their pictures swept'],
    failed: 'Word upload sweep failed; next tick retries',
  });
}
