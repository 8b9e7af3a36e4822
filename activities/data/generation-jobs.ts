// Generation jobs (the staff's on-demand DOCX of a live draft) recorded in MongoDB, so that whichever app
// process a progress poll or a download lands on can answer it. A running job holds a lease that the
// process running it renews; a job whose lease ran out (its process died or hung) is failed by the next
// reader, so no job stays "running" forever and the user can start it again. Finished jobs are deleted by
// an acknowledged sweep (FerretDB has no TTL indexes; never a w:0 write).
import type { Collection, Db } from 'mongodb';
import type { Bilingual } from '../infra/errors';

export type GenerationJobState = 'running' | 'done' | 'failed';

export interface GenerationJobRecord {
  _id: string;
  /** The user who started it: only they may see it. */
  owner: string;
  standardId: string;
  state: GenerationJobState;
  fraction: number;
  phase: string;
  fileId?: string;
  filename?: string;
  error?: Bilingual;
  createdAt: Date;
  updatedAt: Date;
  /** A running job counts as alive until then; the running process renews it. */
  leaseUntil: Date;
  /** When the sweep may delete the record (set when it finishes). */
  expiresAt?: Date;
}

export const GENERATION_JOBS_COLLECTION = 'generationJobs';

/** The message of a job whose process stopped before finishing it. */
export const JOB_ABANDONED: Bilingual = {
  zh: '生成任务所在的服务进程已停止，请重新生成',
  en: 'The server process running this job stopped; start the generation again',
};

export interface GenerationJobsStore {
  ensureIndexes(): Promise<void>;
  create(job: { id: string; owner: string; standardId: string; leaseMs: number }): Promise<void>;
  /** Records progress and renews the lease; false when the job is no longer running (e.g. failed as abandoned). */
  progress(id: string, fraction: number, phase: string, leaseMs: number): Promise<boolean>;
  finish(id: string, file: { fileId: string; filename: string }, keepMs: number): Promise<void>;
  fail(id: string, error: Bilingual, keepMs: number): Promise<void>;
  /** The job as stored; a running job whose lease ran out is failed first (atomically, once). */
  get(id: string, keepMs: number): Promise<GenerationJobRecord | null>;
  /** Running jobs whose lease is still valid, over all processes. */
  countRunning(): Promise<number>;
  /** Deletes a job that was recorded but never started (it backed off from the limit). */
  withdraw(id: string): Promise<void>;
  /** Deletes finished jobs past their expiry and fails abandoned ones; returns how many were deleted. */
  sweep(keepMs: number): Promise<number>;
}

export function generationJobsCollection(db: Db): Collection<GenerationJobRecord> {
  return db.collection<GenerationJobRecord>(GENERATION_JOBS_COLLECTION);
}

export function createGenerationJobsStore(db: Db, clock: () => Date = () => new Date()): GenerationJobsStore {
  const jobs = generationJobsCollection(db);
  const later = (ms: number): Date => new Date(clock().getTime() + ms);

  async function failAbandoned(filter: Record<string, unknown>, keepMs: number): Promise<void> {
    const now = clock();
    await jobs.updateMany(
      { ...filter, state: 'running', leaseUntil: { $lt: now } },
      { $set: { state: 'failed', error: JOB_ABANDONED, updatedAt: now, expiresAt: later(keepMs) } },
    );
  }

  return {
    async ensureIndexes() {
      await jobs.createIndex({ state: 1, leaseUntil: 1 });
      await jobs.createIndex({ expiresAt: 1 });
    },

    async create({ id, owner, standardId, leaseMs }) {
      const now = clock();
      await jobs.insertOne({ _id: id, owner, standardId, state: 'running', fraction: 0, phase: 'start', createdAt: now, updatedAt: now, leaseUntil: later(leaseMs) });
    },

    async progress(id, fraction, phase, leaseMs) {
      const r = await jobs.updateOne(
        { _id: id, state: 'running' },
        { $max: { fraction: Math.min(0.95, Math.max(0, fraction)) }, $set: { phase, updatedAt: clock(), leaseUntil: later(leaseMs) } },
      );
      return r.matchedCount === 1;
    },

    async finish(id, file, keepMs) {
      await jobs.updateOne({ _id: id }, { $set: { state: 'done', fraction: 1, phase: 'done', fileId: file.fileId, filename: file.filename, updatedAt: clock(), expiresAt: later(keepMs) } });
    },

    async fail(id, error, keepMs) {
      await jobs.updateOne({ _id: id, state: 'running' }, { $set: { state: 'failed', error, updatedAt: clock(), expiresAt: later(keepMs) } });
    },

    async get(id, keepMs) {
      await failAbandoned({ _id: id }, keepMs);
      return jobs.findOne({ _id: id });
    },

    async countRunning() {
      return jobs.countDocuments({ state: 'running', leaseUntil: { $gte: clock() } });
    },

    async withdraw(id) {
      await jobs.deleteOne({ _id: id });
    },

    async sweep(keepMs) {
      await failAbandoned({}, keepMs);
      const r = await jobs.deleteMany({ expiresAt: { $lt: clock() } });
      return r.deletedCount;
    },
  };
}
