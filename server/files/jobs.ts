// Generation jobs for staff downloads: a large draft takes a moment to generate, so the page starts a
// job, polls its progress (fraction and phase, from the generator's onProgress) and downloads the stored
// file when it is done. The job runs in the process that started it; its status lives in MongoDB
// (activities/data/generation-jobs.ts), so a poll that lands on any app process is answered. The running
// process renews the job's lease while it works; if it dies the lease runs out and the job reads as
// failed, and the user starts it again. The file it produces is stored in GridFS and outlives the job.
import { randomUUID } from 'node:crypto';
import { MongoNotConnectedError, type Db } from 'mongodb';
import { createGenerationJobsStore, type GenerationJobsStore } from '../../activities/data/generation-jobs';
import { AppError, type Bilingual } from '../../activities/infra/errors';
import type { Logger } from '../../activities/infra/logger';
import type { StoredFile } from '../../activities/files/store';
import { startPeriodicSweep } from '../../activities/infra/periodic-sweep';
import { retryingReady } from '../infra/retrying-ready';

export interface JobStatus {
  id: string;
  standardId: string;
  state: 'running' | 'done' | 'failed';
  fraction: number;
  phase: string;
  fileId?: string;
  filename?: string;
  error?: Bilingual;
}

export type ProgressReporter = (fraction: number, phase: string) => void;

export interface GenerationJobs {
  /** Records the job and starts `run` in the background; resolves with the job's id. */
  start(owner: string, standardId: string, run: (progress: ProgressReporter) => Promise<StoredFile>): Promise<string>;
  /** The job's status; NOT_FOUND for an unknown or expired job, or one started by someone else. */
  status(id: string, owner: string): Promise<JobStatus>;
  /** Stops the sweep timer (jobs still running keep running). */
  close(): void;
}

export interface GenerationJobsOptions {
  db: Db;
  logger: Logger;
  /** How long a finished job stays readable (default 10 minutes). */
  keepMs?: number;
  /** How long a running job counts as alive without a renewal (default 30 s; renewed every third of it). */
  leaseMs?: number;
  /** Jobs running at once over all processes (default 4). */
  maxRunning?: number;
  /** How often finished jobs are deleted (default 1 minute). */
  sweepMs?: number;
  store?: GenerationJobsStore;
}

const JOB_ID = /^[0-9a-f-]{36}$/;
const TOO_MANY: Bilingual = { zh: '正在生成的文件过多，请稍后再试', en: 'Too many documents are being generated; try again shortly' };
const NO_SUCH_JOB: Bilingual = { zh: '生成任务不存在或已过期', en: 'No such generation job (or it expired)' };

export function createGenerationJobs(options: GenerationJobsOptions): GenerationJobs {
  const log = options.logger;
  const keepMs = options.keepMs ?? 10 * 60_000;
  const leaseMs = options.leaseMs ?? 30_000;
  const maxRunning = options.maxRunning ?? 4;
  const store = options.store ?? createGenerationJobsStore(options.db);
  const ready = retryingReady(() => store.ensureIndexes(), (err) => log.warn({ err }, 'generation job indexes not created; trying again with the next job'));
  const sweeper = startPeriodicSweep({
    run: () => store.sweep(keepMs),
    everyMs: options.sweepMs ?? 60_000,
    logger: log,
    done: (n) => [{ removed: n }, 'expired generation jobs removed'],
    failed: 'generation job sweep failed',
    // The client was closed by its owner (a stopped runtime that did not call close()): nothing is left to
    // sweep through it.
    endsOn: { test: (err) => err instanceof MongoNotConnectedError, ended: 'generation job sweep ended: the database client was closed' },
  });

  /** Runs the job, writing its progress at most every 200 ms (and renewing the lease meanwhile). */
  async function runJob(id: string, run: (progress: ProgressReporter) => Promise<StoredFile>): Promise<void> {
    let latest: { fraction: number; phase: string } = { fraction: 0, phase: 'start' };
    let written = 0;
    let writing: Promise<unknown> = Promise.resolve();
    const write = (): void => {
      written = Date.now();
      const { fraction, phase } = latest;
      writing = writing.then(() => store.progress(id, fraction, phase, leaseMs)).catch((err: unknown) => log.warn({ err, jobId: id }, 'generation job progress not recorded'));
    };
    const renew = setInterval(write, Math.max(100, Math.floor(leaseMs / 3)));
    renew.unref();
    try {
      const file = await run((fraction, phase) => {
        latest = { fraction: Math.max(latest.fraction, fraction), phase };
        if (Date.now() - written >= 200) write();
      });
      clearInterval(renew);
      await writing;
      await store.finish(id, { fileId: file.id, filename: file.filename }, keepMs);
    } catch (e) {
      clearInterval(renew);
      await writing;
      log.error({ err: e, jobId: id }, 'document generation failed');
      const messages = e instanceof AppError ? e.messages : { zh: '文件生成失败', en: 'The document could not be generated' };
      await store.fail(id, messages, keepMs).catch((err: unknown) => log.error({ err, jobId: id }, 'generation job failure not recorded'));
    }
  }

  return {
    async start(owner, standardId, run) {
      await ready().catch(() => undefined);
      if ((await store.countRunning()) >= maxRunning) throw new AppError('RATE_LIMITED', TOO_MANY);
      // Record first, count after, and back off when over the limit: of the starts that go ahead, the one
      // that counted last saw every other one's record (each recorded before it counted), so the limit
      // holds across processes without a lock; under contention a start may back off needlessly, never
      // the other way round. (Count-then-insert let concurrent starts on several processes all pass.)
      const id = randomUUID();
      await store.create({ id, owner, standardId, leaseMs });
      if ((await store.countRunning()) > maxRunning) {
        await store.withdraw(id);
        throw new AppError('RATE_LIMITED', TOO_MANY);
      }
      void runJob(id, run);
      return id;
    },

    async status(id, owner) {
      const job = JOB_ID.test(id) ? await store.get(id, keepMs) : null;
      if (!job || job.owner !== owner) throw new AppError('NOT_FOUND', NO_SUCH_JOB);
      return {
        id: job._id,
        standardId: job.standardId,
        state: job.state,
        fraction: job.fraction,
        phase: job.phase,
        ...(job.fileId ? { fileId: job.fileId, filename: job.filename } : {}),
        ...(job.error ? { error: job.error } : {}),
      };
    },

    close() {
      sweeper.stop();
    },
  };
}
