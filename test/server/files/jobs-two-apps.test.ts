// Several app processes behind one address: a draft DOCX job started through one app instance is polled
// (JSON and the no-JavaScript progress page) and downloaded through a second instance on the same
// database, as a load balancer without stickiness would route it.
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../../server/app';
import { documentsExtension } from '../../../server/extensions/documents';
import { DEMO_PASSWORD } from '../../../server/auth/demo-accounts';
import { createLogger } from '../../../activities/infra/logger';
import { startAppHarness, testConfig, type AppHarness } from '../http/app-harness';
import { seedStandard } from '../comments/support';
import { createMongoDocumentStore } from '../../../activities/data/documents';
import { seedStandardUpdate } from '../../../editor/ydoc';
import { draftDocName } from '../../../workflows/domain';

jest.setTimeout(120_000);

let h: AppHarness;
let appA: Express;
let appB: Express;
const ID = 'jobs-two-apps-1';

beforeAll(async () => {
  h = await startAppHarness('jobs-two-apps');
  await seedStandard(h.db, { id: ID, stage: 'drafting', step: 'drafting' });
  await createMongoDocumentStore(h.db).append(draftDocName(ID), [seedStandardUpdate()]);
  // Both instances share the configuration (the session secret) and the database, like N processes.
  const config = testConfig();
  const make = async (name: string): Promise<Express> =>
    (await createApp({ config, db: h.db, lifecycle: h.service, logger: createLogger(name), signInRateLimit: { windowMs: 60_000, limit: 1000 }, extensions: [documentsExtension({ db: h.db })] })).app;
  appA = await make('app-a');
  appB = await make('app-b');
});
afterAll(async () => {
  await h?.close();
});

test('a job started on one instance is polled and downloaded on another', async () => {
  const signIn = await request(appA).post('/api/session').send({ username: 'exec', password: DEMO_PASSWORD }).expect(200);
  const cookie = (signIn.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
  const csrf = (signIn.body as { csrfToken: string }).csrfToken;
  const started = await request(appA).post(`/standards/${ID}/documents/draft`).set('cookie', cookie).set('X-CSRF-Token', csrf).set('accept', 'application/json').send({}).expect(202);
  const { statusUrl } = started.body as { statusUrl: string };
  let status: { state: string; fraction: number; fileId: string | null; error: unknown } | undefined;
  for (let i = 0; i < 200; i++) {
    const res = await request(appB).get(statusUrl).set('cookie', cookie).set('accept', 'application/json').expect(200);
    status = res.body as typeof status;
    if (status!.state !== 'running') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(status).toMatchObject({ state: 'done', fraction: 1, error: null });
  const page = await request(appB).get(statusUrl).set('cookie', cookie).set('accept', 'text/html').expect(200);
  expect(page.text).toContain(`/files/${status!.fileId}`);
  const download = await request(appB).get(`/files/${status!.fileId}`).set('cookie', cookie).buffer(true).expect(200);
  expect(download.headers['content-type']).toContain('wordprocessingml');
  expect(decodeURIComponent(String(download.headers['content-disposition']))).toContain('工作组讨论稿');
  // Another user sees no such job on either instance.
  const other = await request(appB).post('/api/session').send({ username: 'drafter-sh', password: DEMO_PASSWORD }).expect(200);
  const otherCookie = (other.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
  await request(appA).get(statusUrl).set('cookie', otherCookie).set('accept', 'application/json').expect(404);
});
