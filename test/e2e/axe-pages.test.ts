// Issue 12: the main public and staff pages have no serious or critical accessibility violations (axe-core,
// WCAG 2.0/2.1 A and AA rules) in Debian's Chromium. axe's source is injected into each page (the context
// bypasses the pages' CSP for that script only); the app is the whole runtime as `npm start` wires it. The comment
// form and a decision form are used with the keyboard alone (Tab, Space, arrows, Enter).
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { DEMO_PASSWORD } from '../../server/auth/demo-accounts';
import type { Runtime } from '../../server/runtime';
import { startTestRuntime } from '../support/test-runtime';
import { sampleProposalBody } from '../server/http/app-harness';

jest.setTimeout(240_000);

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

let rt: Runtime;
let browser: Browser;
let standardId = '';

async function api(path: string, body: unknown, session: { cookie: string; csrf: string }): Promise<Response> {
  return fetch(`${rt.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf }, body: JSON.stringify(body) });
}

async function apiSignIn(username: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${rt.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

beforeAll(async () => {
  rt = await startTestRuntime('axe');
  browser = await launchChromium();
  const eco = await apiSignIn('sh-eco');
  const created = await api('/api/standards', { ...sampleProposalBody, proposalCommentDays: 20 }, eco);
  expect(created.status).toBe(201);
  standardId = ((await created.json()) as { _id: string })._id;
});

afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

/** The serious and critical violations axe finds on the page as it is now. */
async function violations(page: Page): Promise<Violation[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: unknown): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => String(n.target[0])) }));
  });
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

async function checkPages(context: BrowserContext, paths: string[]): Promise<Record<string, Violation[]>> {
  const page = await context.newPage();
  const out: Record<string, Violation[]> = {};
  for (const p of paths) {
    const res = await page.goto(`${rt.url}${p}`);
    // No redirect (a signed-out staff page would land on the sign-in page with 200).
    expect({ path: p, status: res?.status(), at: new URL(page.url()).pathname }).toEqual({ path: p, status: 200, at: p.split('?')[0] });
    out[p] = await violations(page);
  }
  return out;
}

const clean = (found: Record<string, Violation[]>): Record<string, Violation[]> => Object.fromEntries(Object.keys(found).map((k) => [k, []]));

test('the check finds a violation when there is one', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${rt.url}/consultation`);
  await page.evaluate(() => {
    const b = document.createElement('button');
    document.querySelector('main')?.appendChild(b);
  });
  expect((await violations(page)).map((v) => v.id)).toContain('button-name');
  await context.close();
});

test('public pages: no serious or critical violations', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const found = await checkPages(context, [
    '/sign-in',
    '/consultation',
    `/consultation/${standardId}`,
    `/consultation/${standardId}/comment`,
    '/consultation/status',
    '/published',
    '/consultation?lang=en',
    `/consultation/${standardId}?lang=en`,
  ]);
  await context.close();
  expect(found).toEqual(clean(found));
});

test('staff pages: no serious or critical violations', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  // Signed in through the sign-in form.
  await page.goto(`${rt.url}/sign-in`);
  await page.fill('input[name="username"]', 'sh-eco');
  await page.fill('input[name="password"]', DEMO_PASSWORD);
  await Promise.all([page.waitForURL(/\/standards/), page.locator('form[action="/sign-in"] button[type="submit"], form[action="/sign-in"] input[type="submit"]').first().click()]);
  const found = await checkPages(context, [
    '/standards',
    '/standards/new',
    `/standards/${standardId}`,
    '/notifications',
    '/notifications/settings',
    `/standards/${standardId}/versions`,
    `/standards/${standardId}/documents`,
    `/standards/${standardId}/explanatory-note`,
    `/standards/${standardId}/comments`,
    '/standards?lang=en',
    `/standards/${standardId}?lang=en`,
  ]);
  await context.close();
  expect(found).toEqual(clean(found));
});

/** Presses Tab until the focused element matches `selector` (at most 80 presses); fails if it is never reached. */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 80; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`${selector} is not reachable with Tab`);
}

test('the public comment form works with the keyboard alone', async () => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${rt.url}/consultation/${standardId}/comment`);
  await tabTo(page, 'input[name="type"]');
  await page.keyboard.press('Space');
  await tabTo(page, '#f-comment');
  await page.keyboard.type('建议增加枯水期的监测要求。');
  await tabTo(page, '#f-name');
  await page.keyboard.type('赵六');
  await tabTo(page, '#f-province');
  await page.keyboard.press('ArrowDown');
  await tabTo(page, 'button[type="submit"]');
  await Promise.all([page.waitForURL(/\/consultation\/receipt\//), page.keyboard.press('Enter')]);
  expect(await page.locator('main').textContent()).toMatch(/回执/);
  await page.context().close();
});

test('a decision form works with the keyboard alone', async () => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${rt.url}/sign-in`);
  await tabTo(page, 'input[name="username"]');
  await page.keyboard.type('js-msa');
  await tabTo(page, 'input[name="password"]');
  await page.keyboard.type(DEMO_PASSWORD);
  await Promise.all([page.waitForURL(/\/standards/), page.keyboard.press('Enter')]);
  await page.goto(`${rt.url}/standards/${standardId}`);
  const form = '#act-decideInitiation-JS-h';
  expect(await page.locator(form).count()).toBe(1);
  await tabTo(page, 'form[aria-labelledby="act-decideInitiation-JS-h"] input[name="decision"]');
  await page.keyboard.press('Space');
  await tabTo(page, 'form[aria-labelledby="act-decideInitiation-JS-h"] button[type="submit"]');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  expect(await page.getByRole('status').first().textContent()).toContain('已完成：立项审核');
  expect(await page.locator('tr[data-province="JS"] .decision').textContent()).toBe('同意');
  await page.context().close();
});
