// The server-rendered pages: Chinese first with English on request, sign-in with CSRF-protected forms,
// the list with the three provinces side by side, a standard's page with exactly the forms its reader may
// use, refusals shown as messages, escaping of user text — and a whole no-JavaScript flow in Chromium.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser';
import request from 'supertest';
import { DEMO_PASSWORD } from '../../server/auth/demo-accounts';
import { sampleProposalBody, startAppHarness, type AppHarness, type SignedIn } from '../server/http/app-harness';

let h: AppHarness;
let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
  h = await startAppHarness('pages');
  server = http.createServer(h.app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await h?.close();
});

function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF field on the page');
  return m[1];
}

async function formSignIn(username: string): Promise<ReturnType<typeof request.agent>> {
  const agent = request.agent(h.app);
  const page = await agent.get('/sign-in').expect(200);
  await agent.post('/sign-in').type('form').send({ _csrf: csrfOf(page.text), username, password: DEMO_PASSWORD, next: '/standards' }).expect(303);
  return agent;
}

describe('security headers', () => {
  it('sends a strict content security policy without forcing HTTPS on a plain-HTTP deployment', async () => {
    const res = await request(h.app).get('/sign-in').expect(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'self'");
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('language', () => {
  it('speaks Chinese by default and English with ?lang=en, remembered in a cookie', async () => {
    const zh = await request(h.app).get('/sign-in').expect(200);
    expect(zh.text).toContain('<html lang="zh-CN">');
    expect(zh.text).toContain('<h1>登录</h1>');
    const agent = request.agent(h.app);
    const en = await agent.get('/sign-in?lang=en').expect(200);
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain('<h1>Sign in</h1>');
    const again = await agent.get('/sign-in').expect(200);
    expect(again.text).toContain('<h1>Sign in</h1>');
    const back = await agent.get('/sign-in?lang=zh').expect(200);
    expect(back.text).toContain('<h1>登录</h1>');
  });
});

describe('signing in with the form', () => {
  it('sends a visitor without a session to the sign-in page and back afterwards', async () => {
    const res = await request(h.app).get('/standards?stage=drafting').expect(303);
    expect(res.headers.location).toBe('/sign-in?next=%2Fstandards%3Fstage%3Ddrafting');
  });

  it('shows a wrong password on the form with status 401 and keeps the username', async () => {
    const agent = request.agent(h.app);
    const page = await agent.get('/sign-in').expect(200);
    const res = await agent.post('/sign-in').type('form').send({ _csrf: csrfOf(page.text), username: 'sh-eco', password: 'wrong' }).expect(401);
    expect(res.text).toContain('用户名或密码不正确');
    expect(res.text).toContain('value="sh-eco"');
  });

  it('never redirects off the site after sign-in', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      const agent = request.agent(h.app);
      const page = await agent.get('/sign-in').expect(200);
      const res = await agent.post('/sign-in').type('form').send({ _csrf: csrfOf(page.text), username: 'sh-eco', password: DEMO_PASSWORD, next }).expect(303);
      expect(res.headers.location).toBe('/standards');
    }
  });
});

describe('the list and a standard’s page', () => {
  let id: string;
  let eco: SignedIn;

  beforeAll(async () => {
    eco = await h.signIn('sh-eco');
    id = (await eco.post('/api/standards', { ...sampleProposalBody, titleZh: '<script>alert(1)</script>湖泊标准' }).expect(201)).body._id;
    const sh = await h.signIn('sh-msa');
    await sh.post(`/api/standards/${id}/actions/decideInitiation`, { province: 'SH', decision: 'approve' }).expect(200);
  });

  it('lists each province’s position side by side under 沪 苏 浙, with user text escaped', async () => {
    const agent = await formSignIn('exec');
    const res = await agent.get('/standards').expect(200);
    const heads = [...res.text.matchAll(/<abbr title="[^"]+">(.)<\/abbr>/g)].map((m) => m[1]);
    expect(heads).toEqual(['沪', '苏', '浙']);
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;湖泊标准');
    expect(res.text).not.toContain('<script>alert(1)</script>');
    const row = res.text.slice(res.text.indexOf(`/standards/${id}`));
    expect(row).toMatch(/data-province="SH">[\s\S]*?decision--approved[\s\S]*?data-province="JS">[\s\S]*?decision--pending/);
  });

  it('shows a bureau the one form it may use now, and an expert none', async () => {
    const js = await formSignIn('js-msa');
    const page = await js.get(`/standards/${id}`).expect(200);
    const forms = [...page.text.matchAll(/action="\/standards\/[^/]+\/actions\/(\w+)"/g)].map((m) => m[1]);
    expect(forms).toEqual(['decideInitiation']);
    expect(page.text).toContain('立项审核（江苏省）');
    expect(page.text).toContain('name="province" value="JS"');
    const expert = await formSignIn('expert');
    const none = await expert.get(`/standards/${id}`).expect(200);
    expect(none.text).toContain('您当前没有可执行的操作');
    expect(none.text).not.toMatch(/\/actions\//);
  });

  it('shows the timeline with who, role and the stage change', async () => {
    const agent = await formSignIn('exec');
    const page = await agent.get(`/standards/${id}?lang=en`).expect(200);
    expect(page.text).toContain('Timeline');
    expect(page.text).toMatch(/上海市市场监督管理局<\/td>\s*<td data-label="Role">Market regulation bureau · 沪<\/td>\s*<td data-label="From → to">Initiation → Initiation<\/td>\s*<td data-label="Action">Decide on initiation<\/td>/);
    expect(page.text).toContain('<td data-label="Action">Proposed</td>');
    expect(page.text).toContain('<dt>Proposed by</dt><dd>上海市生态环境局 · ');
  });

  it('takes an action from a form and shows the outcome once; a refusal comes back as a message', async () => {
    const zj = await formSignIn('zj-msa');
    const page = await zj.get(`/standards/${id}`).expect(200);
    const ok = await zj.post(`/standards/${id}/actions/decideInitiation`).type('form').send({ _csrf: csrfOf(page.text), province: 'ZJ', decision: 'approve', reason: '' }).expect(303);
    expect(ok.headers.location).toBe(`/standards/${id}`);
    const after = await zj.get(`/standards/${id}`).expect(200);
    expect(after.text).toContain('role="status">已完成：立项审核');
    expect((await zj.get(`/standards/${id}`).expect(200)).text).not.toContain('已完成');
    const refused = await zj.post(`/standards/${id}/actions/decideInitiation`).type('form').send({ _csrf: csrfOf(page.text), province: 'SH', decision: 'approve' }).expect(303);
    expect(refused.headers.location).toBe(`/standards/${id}`);
    expect((await zj.get(`/standards/${id}`).expect(200)).text).toContain('role="alert">只有该省（市）市场监督管理局可以执行此操作');
  });

  it('re-shows the proposal form with the bad field marked', async () => {
    const agent = await formSignIn('sh-eco');
    const form = await agent.get('/standards/new').expect(200);
    const res = await agent
      .post('/standards')
      .type('form')
      .send({ _csrf: csrfOf(form.text), titleZh: '标准', titleEn: 'Standard', kind: 'emissionStandard', field: '水', scope: '范围', leadUnits: '上海市生态环境局', plannedYear: '20x6' })
      .expect(400);
    expect(res.text).toContain('id="err-plannedYear"');
    expect(res.text).toContain('aria-invalid="true" aria-describedby="err-plannedYear"');
    expect(res.text).toContain('value="标准"');
  });

  it('refuses the proposal form to a bureau, and shows an error page for an unknown standard', async () => {
    const agent = await formSignIn('sh-msa');
    const res = await agent.get('/standards/new').expect(403);
    expect(res.text).toContain('只有生态环境部门可以提出立项');
    const missing = await agent.get('/standards/s000000000000').expect(404);
    expect(missing.text).toContain('<code>NOT_FOUND</code>');
  });
});

describe('without JavaScript, in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a department proposes a standard and a bureau approves it, on a phone, with forms only', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/standards`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.getByLabel('用户名').fill('sh-eco');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('link', { name: '提出立项' }).click();
    await page.getByLabel('中文名称').fill('示范区大气污染物排放标准');
    await page.getByLabel('英文名称').fill('Emission standard of air pollutants');
    await page.getByLabel('标准类别').selectOption('emissionStandard');
    await page.getByRole('textbox', { name: '领域', exact: true }).fill('大气环境');
    await page.getByLabel('适用范围').fill('本文件规定了大气污染物排放限值。');
    await page.getByLabel('牵头单位（每行一个）').fill('上海市生态环境局\n江苏省生态环境厅');
    await page.getByLabel('起草组账号', { exact: false }).fill('drafter-sh');
    await page.getByRole('button', { name: '提交' }).click();
    // Without JavaScript every step is a page load: wait for the address, then read the page.
    await page.waitForURL(/\/standards\/s[0-9a-f]+$/);
    await page.waitForLoadState('load');
    expect(await page.getByRole('status').textContent()).toBe('已提出立项，等待三地市场监督管理局审核');
    const standardUrl = page.url();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('示范区大气污染物排放标准');
    expect(await page.getByText('上海市起草组成员').count()).toBe(1);
    await page.screenshot({ path: `${process.env.TONGBIAO_TEST_DATA_DIR ?? '/tmp'}/page-standard-phone.png`, fullPage: true });

    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByLabel('用户名').fill('sh-msa');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.goto(standardUrl);
    // The form posts and is redirected back to the same address: wait for that page, then read it (a
    // locator started during the navigation does not resume polling in a page without JavaScript).
    const reloaded = page.waitForResponse((r) => r.url() === standardUrl && r.request().method() === 'GET');
    const form = page.getByRole('form', { name: '立项审核（上海市）' });
    await form.getByRole('radio', { name: '同意', exact: true }).check();
    await form.getByRole('button', { name: '立项审核' }).click();
    await reloaded;
    await page.waitForLoadState('load');
    expect(await page.getByRole('status').textContent()).toBe('已完成：立项审核');
    expect(await page.locator('tr[data-province="SH"] .decision').textContent()).toBe('同意');
    expect(await page.locator('tr[data-province="JS"] .decision').textContent()).toBe('待定');

    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(/lang=en/);
    expect(await page.locator('tr[data-province="SH"] .decision').textContent()).toBe('Approved');
    await context.close();
  });
});
