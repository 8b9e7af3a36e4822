// Generation jobs for staff downloads: a large draft takes a moment to generate, so the page starts a
// job, polls its progress (fraction and phase, from the generator's onProgress) and downloads the stored
// file when it is done. In memory and per process: a job lives a few minutes; the file it produces is
// stored in GridFS like any other and outlives it.
import { randomUUID } from 'node:crypto';
import { createLogger, type Logger } from '../../activities/infra/logger';
import { AppError } from '../../activities/infra/errors';
import type { StoredFile } from '../../activities/files/store';

export interface JobStatus {
  id: string;
  state: 'running' | 'done' | 'failed';
  fraction: number;
  phase: string;
  fileId?: string;
  filename?: string;
  error?: { zh: string; en: string };
}

export type ProgressReporter = (fraction: number, phase: string) => void;

export interface GenerationJobs {
  /** Starts `run` in the background and returns the job's id at once. */
  start(owner: string, run: (progress: ProgressReporter) => Promise<StoredFile>): string;
  /** The job's status; NOT_FOUND for an unknown or expired job, or one started by someone else. */
  status(id: string, owner: string): JobStatus;
}

/** Jobs are forgotten `ttlMs` after they finish (default 10 minutes). */
export function createGenerationJobs(options: { ttlMs?: number; maxRunning?: number; logger?: Logger } = {}): GenerationJobs {
  const log = options.logger ?? createLogger('generation-jobs');
  const ttl = options.ttlMs ?? 10 * 60_000;
  const maxRunning = options.maxRunning ?? 4;
  const jobs = new Map<string, JobStatus & { owner: string }>();
  const running = (): number => [...jobs.values()].filter((j) => j.state === 'running').length;

  return {
    start(owner, run) {
      if (running() >= maxRunning) {
        throw new AppError('RATE_LIMITED', { zh: '正在生成的文件过多，请稍后再试', en: 'Too many documents are being generated; try again shortly' });
      }
      const id = randomUUID();
      const job: JobStatus & { owner: string } = { id, owner, state: 'running', fraction: 0, phase: 'queued' };
      jobs.set(id, job);
      const forget = (): void => void setTimeout(() => jobs.delete(id), ttl).unref();
      run((fraction, phase) => {
        job.fraction = Math.max(job.fraction, Math.min(1, fraction));
        job.phase = phase;
      }).then(
        (file) => {
          Object.assign(job, { state: 'done', fraction: 1, phase: 'done', fileId: file.id, filename: file.filename });
          forget();
        },
        (e: unknown) => {
          const messages = e instanceof AppError ? e.messages : { zh: '文件生成失败', en: 'The document could not be generated' };
          Object.assign(job, { state: 'failed', error: messages });
          log.error({ err: e, jobId: id }, 'document generation failed');
          forget();
        },
      );
      return id;
    },
    status(id, owner) {
      const job = jobs.get(id);
      if (!job || job.owner !== owner) throw new AppError('NOT_FOUND', { zh: '生成任务不存在或已过期', en: 'No such generation job (or it expired)' });
      return { id: job.id, state: job.state, fraction: job.fraction, phase: job.phase, ...(job.fileId ? { fileId: job.fileId, filename: job.filename } : {}), ...(job.error ? { error: job.error } : {}) };
    },
  };
}
