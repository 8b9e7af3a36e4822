// Generation jobs: progress while running, the stored file when done, the error when failed.
import { createGenerationJobs } from '../../../server/files/jobs';
import type { StoredFile } from '../../../activities/files/store';
import { isAppError } from '../../../activities/infra/errors';

const file: StoredFile = {
  id: '0123456789abcdef01234567',
  filename: '征求意见稿.docx',
  length: 3,
  uploadDate: new Date(),
  metadata: { standardId: 's', kind: 'draft', stage: 'publicComment', province: 'joint', sha256: 'x', createdAt: new Date(), contentType: 'application/octet-stream' },
};

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
}

describe('generation jobs', () => {
  it('reports progress while running and the file id when done', async () => {
    const jobs = createGenerationJobs();
    let finish: () => void = () => undefined;
    const id = jobs.start('u1', async (progress) => {
      progress(0.4, 'body');
      await new Promise<void>((r) => (finish = r));
      return file;
    });
    await until(() => jobs.status(id, 'u1').phase === 'body');
    expect(jobs.status(id, 'u1')).toMatchObject({ state: 'running', fraction: 0.4, phase: 'body' });
    finish();
    await until(() => jobs.status(id, 'u1').state === 'done');
    expect(jobs.status(id, 'u1')).toMatchObject({ state: 'done', fraction: 1, fileId: file.id, filename: file.filename });
  });

  it('reports a failure with a bilingual message, and hides jobs from other users', async () => {
    const jobs = createGenerationJobs();
    const id = jobs.start('u1', () => Promise.reject(new Error('boom')));
    await until(() => jobs.status(id, 'u1').state === 'failed');
    expect(jobs.status(id, 'u1').error).toEqual({ zh: '文件生成失败', en: 'The document could not be generated' });
    const err = (() => {
      try {
        return jobs.status(id, 'u2');
      } catch (e) {
        return e;
      }
    })();
    expect(isAppError(err) && err.code).toBe('NOT_FOUND');
  });

  it('refuses to start more jobs than allowed at once', () => {
    const jobs = createGenerationJobs({ maxRunning: 1 });
    jobs.start('u1', () => new Promise<StoredFile>(() => undefined));
    expect(() => jobs.start('u1', () => Promise.resolve(file))).toThrow(/Too many/);
  });
});
