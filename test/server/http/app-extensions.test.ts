// The seams the lead wires other parts into: extension routes mounted inside the app (sessions, CSRF,
// the error middleware and the layout apply to them) and extra links on a standard's page.
import request from 'supertest';
import { createApp } from '../../../server/app';
import { AppError } from '../../../activities/infra/errors';
import { createLogger } from '../../../activities/infra/logger';
import { sampleProposalBody, startAppHarness, testConfig, type AppHarness } from './app-harness';
import { DEMO_PASSWORD } from '../../../server/auth/demo-accounts';

let h: AppHarness;
beforeAll(async () => {
  h = await startAppHarness('extensions');
}, 60_000);
afterAll(async () => {
  await h?.close();
});

describe('extensions and standard links', () => {
  it('mounts extension routes behind sessions, CSRF and the one error middleware, and shows the extra links', async () => {
    const { app } = await createApp({
      config: testConfig(),
      db: h.db,
      lifecycle: h.service,
      logger: createLogger('ext-test'),
      standardLinks: (s) => [{ href: `/standards/${s._id}/draft`, zh: '打开草案编辑器', en: 'Open the draft editor' }],
      extensions: [
        ({ app: a, requireUser, views }) => {
          a.get('/ext/whoami', requireUser, (req, res) => {
            res.json({ user: req.user?.username });
          });
          a.post('/ext/echo', requireUser, (req, res) => {
            res.json(req.body);
          });
          a.get('/ext/boom', () => {
            throw new AppError('CONFLICT', { zh: '扩展冲突', en: 'Extension conflict' });
          });
          a.get('/ext/crash', () => {
            throw new Error('secret internal detail');
          });
          a.get('/ext/page', (_req, res) => {
            res.send(views.render('error.njk', { ...res.locals, error: { code: 'X', message_zh: '扩展页面', message_en: 'Extension page' }, status: 200 }));
          });
        },
      ],
    });
    const agent = request.agent(app);
    const signIn = await agent.post('/api/session').send({ username: 'sh-eco', password: DEMO_PASSWORD }).expect(200);
    const csrf = signIn.body.csrfToken as string;
    expect((await agent.get('/ext/whoami').expect(200)).body).toEqual({ user: 'sh-eco' });
    await agent.post('/ext/echo').send({ a: 1 }).expect(403);
    expect((await agent.post('/ext/echo').set('X-CSRF-Token', csrf).send({ a: 1 }).expect(200)).body).toEqual({ a: 1 });
    const boom = await agent.get('/ext/boom').set('Accept', 'application/json').expect(409);
    expect(boom.body).toMatchObject({ code: 'CONFLICT', message_en: 'Extension conflict' });
    expect((await agent.get('/ext/page').expect(200)).text).toContain('扩展页面');
    // An unexpected error: 500 with an id to find it in the log, and nothing of the error itself.
    const crash = await agent.get('/ext/crash').set('Accept', 'application/json').expect(500);
    expect(crash.body).toMatchObject({ code: 'INTERNAL', details: { errorId: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
    expect(crash.body.message_zh).toContain(crash.body.details.errorId);
    expect(JSON.stringify(crash.body)).not.toContain('secret internal detail');
    const crashPage = await agent.get('/ext/crash').set('Accept', 'text/html').expect(500);
    expect(crashPage.text).toContain('服务器内部错误');
    await request(app).get('/ext/whoami').expect(303);

    const id = (await agent.post('/api/standards').set('X-CSRF-Token', csrf).send(sampleProposalBody).expect(201)).body._id;
    const page = await agent.get(`/standards/${id}`).expect(200);
    expect(page.text).toContain(`<a href="/standards/${id}/draft">打开草案编辑器</a>`);
  });
});
