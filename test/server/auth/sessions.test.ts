// Sign-in, sessions in MongoDB, sign-out, CSRF and the sign-in rate limit, against the real app on
// FerretDB (and the real lifecycle service behind it).
import type { IncomingMessage } from 'node:http';
import request from 'supertest';
import { DEMO_PASSWORD } from '../../../server/auth/demo-accounts';
import { SESSION_COOKIE } from '../../../server/auth/session';
import { startAppHarness, type AppHarness } from '../http/app-harness';

let h: AppHarness;

beforeAll(async () => {
  h = await startAppHarness('sessions', { signInRateLimit: { windowMs: 60_000, limit: 3 } });
});
afterAll(async () => {
  await h?.close();
});

function sessionCookieOf(res: request.Response): string | undefined {
  const raw = res.headers['set-cookie'] as unknown as string[] | undefined;
  return raw?.find((c) => c.startsWith(`${SESSION_COOKIE}=`))?.split(';')[0];
}

describe('signing in through the API', () => {
  it('signs in with the right password, stores the session in MongoDB and answers /api/me', async () => {
    const agent = request.agent(h.app);
    const res = await agent.post('/api/session').send({ username: 'SH-Eco', password: DEMO_PASSWORD }).expect(200);
    expect(res.body.user).toMatchObject({ username: 'sh-eco', displayName: '上海市生态环境局', grants: [{ role: 'ecoEnvDepartment', province: 'SH' }] });
    expect(res.body.user.passwordHash).toBeUndefined();
    expect(typeof res.body.csrfToken).toBe('string');
    const cookie = sessionCookieOf(res);
    expect(cookie).toBeDefined();
    expect(res.headers['set-cookie']!.toString()).toMatch(/HttpOnly/i);
    expect(res.headers['set-cookie']!.toString()).toMatch(/SameSite=Lax/i);
    const stored = await h.db.collection('sessions').find({}).toArray();
    expect(stored.some((s) => String(s.session).includes(res.body.user.userId))).toBe(true);
    const me = await agent.get('/api/me').expect(200);
    expect(me.body.user.username).toBe('sh-eco');
    expect(me.body.csrfToken).toBe(res.body.csrfToken);
  });

  it('refuses a wrong password and an unknown user with the same bilingual message', async () => {
    const wrong = await request(h.app).post('/api/session').send({ username: 'sh-eco', password: 'nope' }).expect(401);
    const unknown = await request(h.app).post('/api/session').send({ username: 'nobody', password: 'nope' }).expect(401);
    expect(wrong.body).toMatchObject({ code: 'UNAUTHENTICATED', message_zh: '用户名或密码不正确', message_en: 'Wrong username or password' });
    expect(unknown.body.message).toBe(wrong.body.message);
  });

  it('answers 401 to API calls without a session', async () => {
    const res = await request(h.app).get('/api/me').expect(401);
    expect(res.body).toMatchObject({ code: 'UNAUTHENTICATED', message_en: 'Please sign in first' });
    await request(h.app).get('/api/standards').expect(401);
    await request(h.app).post('/api/standards').send({}).expect(401);
  });

  it('gives a new session id at sign-in so a planted session cookie is useless', async () => {
    const agent = request.agent(h.app);
    const page = await agent.get('/sign-in').expect(200);
    const before = sessionCookieOf(page);
    expect(before).toBeDefined();
    const res = await agent.post('/api/session').send({ username: 'js-eco', password: DEMO_PASSWORD }).expect(200);
    const after = sessionCookieOf(res);
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    // The old cookie no longer names a signed-in session.
    await request(h.app).get('/api/me').set('Cookie', before!).expect(401);
  });

  it('sends the bare address to the public site when signed out and to the standards when signed in', async () => {
    expect((await request(h.app).get('/').expect(303)).headers.location).toBe('/consultation');
    const s = await h.signIn('sh-eco');
    expect((await s.agent.get('/').expect(303)).headers.location).toBe('/standards');
    // The sign-in page tells a member of the public that they need no account, in both languages.
    expect((await request(h.app).get('/sign-in').expect(200)).text).toMatch(/公众查阅征求意见稿[^<]*<a href="\/consultation">公众征求意见<\/a>/);
    expect((await request(h.app).get('/sign-in?lang=en').expect(200)).text).toContain('without signing in: <a href="/consultation">Public consultation</a>');
  });

  it('signs out: the session is destroyed and the cookie stops working', async () => {
    const s = await h.signIn('exec');
    const me = await s.agent.get('/api/me').expect(200);
    expect(me.body.user.username).toBe('exec');
    await s.agent.delete('/api/session').set('X-CSRF-Token', s.csrf).expect(204);
    await s.agent.get('/api/me').expect(401);
  });
});

describe('CSRF protection', () => {
  it('refuses a signed-in API write without the X-CSRF-Token header', async () => {
    const s = await h.signIn('sh-eco');
    const res = await s.agent.post('/api/standards').send({ titleZh: 'x' }).expect(403);
    expect(res.body).toMatchObject({ code: 'CSRF_FAILED' });
    expect(res.body.message_zh).toContain('安全令牌');
    await s.agent.post('/api/standards').set('X-CSRF-Token', 'forged').send({ titleZh: 'x' }).expect(403);
    await s.agent.delete('/api/session').expect(403);
    expect(await h.db.collection('standards').countDocuments()).toBe(0);
  });

  it('refuses a form post without the _csrf field and accepts it with the token from the page', async () => {
    const agent = request.agent(h.app);
    const page = await agent.get('/sign-in').expect(200);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    expect(token).toBeDefined();
    const refused = await agent.post('/sign-in').type('form').send({ username: 'sh-eco', password: DEMO_PASSWORD }).expect(403);
    expect(refused.text).toContain('安全令牌无效');
    const ok = await agent.post('/sign-in').type('form').send({ _csrf: token, username: 'sh-eco', password: DEMO_PASSWORD, next: '/standards' }).expect(303);
    expect(ok.headers.location).toBe('/standards');
  });

  it('refuses a JSON sign-in sent as a form (what a cross-site page could send)', async () => {
    const res = await request(h.app).post('/api/session').type('form').send({ username: 'sh-eco', password: DEMO_PASSWORD }).expect(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('sign-in rate limit', () => {
  it('answers 429 after too many failed attempts and does not count successful ones', async () => {
    const app = (await startAppHarnessForLimit()).app;
    for (let i = 0; i < 5; i++) await request(app).post('/api/session').send({ username: 'sh-msa', password: DEMO_PASSWORD }).expect(200);
    for (let i = 0; i < 3; i++) await request(app).post('/api/session').send({ username: 'sh-msa', password: 'wrong' }).expect(401);
    const res = await request(app).post('/api/session').send({ username: 'sh-msa', password: DEMO_PASSWORD }).expect(429);
    expect(res.body).toMatchObject({ code: 'RATE_LIMITED' });
    expect(res.body.message_en).toMatch(/Too many sign-in attempts/);
  });
});

// The shared harness's limiter already saw failures from the tests above; use a fresh app on the same
// database for a clean count.
async function startAppHarnessForLimit(): Promise<{ app: AppHarness['app'] }> {
  const { createApp } = await import('../../../server/app');
  const { testConfig } = await import('../http/app-harness');
  const { createLogger } = await import('../../../activities/infra/logger');
  const t = await createApp({ config: testConfig(), db: h.db, lifecycle: h.service, logger: createLogger('rate-limit-test'), signInRateLimit: { windowMs: 60_000, limit: 3 } });
  return { app: t.app };
}

describe('authenticateRequest for WebSocket upgrades', () => {
  function upgradeRequest(cookie?: string): IncomingMessage {
    return { headers: cookie ? { cookie } : {}, url: '/collab/standard:x', method: 'GET' } as unknown as IncomingMessage;
  }

  it('returns the principal of the session cookie with grants read from the users collection', async () => {
    const res = await request(h.app).post('/api/session').send({ username: 'drafter-js', password: DEMO_PASSWORD }).expect(200);
    const cookie = sessionCookieOf(res)!;
    const p = await h.tongbiao.authenticateRequest(upgradeRequest(cookie));
    expect(p).toEqual({ userId: res.body.user.userId, displayName: '江苏省起草组成员', grants: [{ role: 'drafter', province: 'JS', standardIds: [] }] });
  });

  it('returns null without a cookie, with a tampered cookie, and after sign-out', async () => {
    expect(await h.tongbiao.authenticateRequest(upgradeRequest())).toBeNull();
    const res = await request(h.app).post('/api/session').send({ username: 'zj-eco', password: DEMO_PASSWORD }).expect(200);
    const cookie = sessionCookieOf(res)!;
    const tampered = cookie.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect(await h.tongbiao.authenticateRequest(upgradeRequest(tampered))).toBeNull();
    await request(h.app).delete('/api/session').set('Cookie', cookie).set('X-CSRF-Token', res.body.csrfToken).expect(204);
    expect(await h.tongbiao.authenticateRequest(upgradeRequest(cookie))).toBeNull();
  });
});
