// Generation jobs recorded in MongoDB: progress while running and the file when done, seen from another
// process's job service on the same database; failures with a bilingual message; a job whose process died
// (lease not renewed) reads as failed instead of running forever; the limit counts jobs of every process and
// holds when starts on several processes race; the sweep deletes finished jobs.
import { createGenerationJobs, type GenerationJobs } from '../../../server/files/jobs';
import { createGenerationJobsStore, generationJobsCollection, JOB_ABANDONED } from '../../../activities/data/generation-jobs';
import type { StoredFile } from '../../../activities/files/store';
import { isAppError } from '../../../activities/infra/errors';
import { createLogger } from '../../../activities/infra/logger';
import { freshMongo } from '../../support/mongo';

jest.setTimeout(60_000);

const file: StoredFile = {
  id: '0123456789abcdef01234567',
  filename: '征求意见稿.docx',
  length: 3,
  uploadDate: new Date(),
  metadata: { standardId: 's', kind: 'draft', stage: 'publicComment', province: 'joint', sha256: 'x', createdAt: new Date(), contentType: 'application/octet-stream' },
};

let mongo: Awaited<ReturnType<typeof freshMongo>>;
const services: GenerationJobs[] = [];
const logger = createLogger('jobs-test');
function service(opts: { maxRunning?: number; leaseMs?: number } = {}): GenerationJobs {
  const s = createGenerationJobs({ db: mongo.db, logger, ...opts });
  services.push(s);
  return s;
}

async function until<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function errorOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
    return null;
  } catch (e) {
    return e;
  }
}

beforeAll(async () => {
  mongo = await freshMongo('genjobs');
});
afterAll(async () => {
  for (const s of services) s.close();
  await mongo?.drop();
});

describe('generation jobs in MongoDB', () => {
  it('reports progress and the file to a poll on another process', async () => {
    const a = service();
    const b = service();
    let finish: () => void = () => undefined;
    const id = await a.start('u1', 'std-1', async (progress) => {
      progress(0.4, 'body');
      await new Promise<void>((r) => (finish = r));
      return file;
    });
    const running = await until('progress', async () => {
      const st = await b.status(id, 'u1');
      return st.phase === 'body' ? st : undefined;
    });
    expect(running).toMatchObject({ state: 'running', fraction: 0.4, phase: 'body', standardId: 'std-1' });
    finish();
    const done = await until('done', async () => {
      const st = await b.status(id, 'u1');
      return st.state === 'done' ? st : undefined;
    });
    expect(done).toMatchObject({ fraction: 1, fileId: file.id, filename: file.filename });
  });

  it('reports a failure with a bilingual message, and hides jobs from other users', async () => {
    const a = service();
    const id = await a.start('u1', 'std-1', () => Promise.reject(new Error('boom')));
    const failed = await until('failure', async () => {
      const st = await service().status(id, 'u1');
      return st.state === 'failed' ? st : undefined;
    });
    expect(failed.error).toEqual({ zh: '文件生成失败', en: 'The document could not be generated' });
    const err = await errorOf(a.status(id, 'u2'));
    expect(isAppError(err) && err.code).toBe('NOT_FOUND');
    expect(isAppError(await errorOf(a.status('not-a-job', 'u1')))).toBe(true);
  });

  it('fails a job whose process stopped renewing its lease, so it can be started again', async () => {
    const store = createGenerationJobsStore(mongo.db);
    // A job recorded by a process that then died: nobody renews its 200 ms lease.
    await store.create({ id: '00000000-0000-4000-8000-000000000001', owner: 'u1', standardId: 'std-1', leaseMs: 200 });
    const b = service();
    expect((await b.status('00000000-0000-4000-8000-000000000001', 'u1')).state).toBe('running');
    await new Promise((r) => setTimeout(r, 300));
    const st = await b.status('00000000-0000-4000-8000-000000000001', 'u1');
    expect(st).toMatchObject({ state: 'failed', error: JOB_ABANDONED });
    // A live job renews its lease: with a 300 ms lease it still runs after a second.
    let finish: () => void = () => undefined;
    const live = await service({ leaseMs: 300 }).start('u1', 'std-1', async () => {
      await new Promise<void>((r) => (finish = r));
      return file;
    });
    await new Promise((r) => setTimeout(r, 1000));
    expect((await b.status(live, 'u1')).state).toBe('running');
    finish();
    await until('live job done', async () => ((await b.status(live, 'u1')).state === 'done' ? true : undefined));
  });

  it('counts running jobs of every process against the limit', async () => {
    await generationJobsCollection(mongo.db).deleteMany({});
    const never = () => new Promise<StoredFile>(() => undefined);
    await service({ maxRunning: 2 }).start('u1', 's', never);
    await service({ maxRunning: 2 }).start('u1', 's', never);
    const err = await errorOf(service({ maxRunning: 2 }).start('u1', 's', never));
    expect(isAppError(err) && err.code).toBe('RATE_LIMITED');
  });

  it('never runs more than the limit when starts race on several processes at once', async () => {
    await generationJobsCollection(mongo.db).deleteMany({});
    const never = () => new Promise<StoredFile>(() => undefined);
    // Twelve job services (as twelve processes would hold, nothing shared in memory), all starting at once.
    const outcomes = await Promise.allSettled(Array.from({ length: 12 }, () => service({ maxRunning: 3 }).start('u1', 's', never)));
    const started = outcomes.filter((o) => o.status === 'fulfilled').length;
    for (const o of outcomes) if (o.status === 'rejected') expect(isAppError(o.reason) && o.reason.code).toBe('RATE_LIMITED');
    expect(started).toBeLessThanOrEqual(3);
    expect(await generationJobsCollection(mongo.db).countDocuments({ state: 'running' })).toBe(started);
    // Once the race is over a start is taken again while slots are free.
    await generationJobsCollection(mongo.db).deleteMany({});
    await expect(service({ maxRunning: 3 }).start('u1', 's', never)).resolves.toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sweeps finished jobs past their expiry with an acknowledged delete', async () => {
    const store = createGenerationJobsStore(mongo.db);
    await store.create({ id: '00000000-0000-4000-8000-000000000002', owner: 'u1', standardId: 's', leaseMs: 60_000 });
    await store.finish('00000000-0000-4000-8000-000000000002', { fileId: file.id, filename: file.filename }, -1);
    expect(await store.sweep(60_000)).toBeGreaterThanOrEqual(1);
    expect(await store.get('00000000-0000-4000-8000-000000000002', 60_000)).toBeNull();
  });

  it('ends its sweep when the database client was closed, instead of failing every interval', async () => {
    const own = await freshMongo('jobs-closed');
    const lines: string[] = [];
    const pino = (await import('pino')).default;
    const captured = pino({ level: 'debug' }, { write: (l: string) => void lines.push(l) });
    const jobs = createGenerationJobs({ db: own.db, logger: captured, sweepMs: 30 });
    await own.drop();
    await new Promise((r) => setTimeout(r, 400));
    const failures = lines.filter((l) => l.includes('generation job sweep failed'));
    const ended = lines.findIndex((l) => l.includes('generation job sweep ended'));
    jobs.close();
    // A sweep in flight at the moment of closing may fail once (its connection is cancelled); after the
    // first sweep that finds the client closed, the timer is gone: ten more intervals passed silently.
    expect(ended).toBeGreaterThanOrEqual(0);
    expect(failures.length).toBeLessThanOrEqual(1);
    expect(lines.slice(ended + 1).filter((l) => l.includes('generation job sweep'))).toEqual([]);
  });
});
