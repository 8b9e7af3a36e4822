// Co-editing across two app processes in real Chromium (issue 16): `npm run start:cluster -- --processes 2`
// (the suite's Temporal and MongoDB, the embedded Redis), a standard proposed and approved through the
// lifecycle, and two browsers each pinned to a different process (each signs in and opens the draft at its
// process's own port, so its socket lands there and nothing but Redis joins the two). Chinese typed through
// an input method and clauses inserted on one screen appear, numbered, on the other, with each other's
// cursors; then the drafter submits the draft for comment through the proxy, the lifecycle (the worker of
// whichever process takes the task) refreshes permissions, and both screens turn read-only within a second.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ApiSession } from '../../scripts/demo-lifecycle-driver';
import { DEMO_PASSWORD } from '../../server/auth/demo-accounts';
import { startDraftingStandard } from '../support/drafting-standard';
import { startTestCluster, type TestCluster } from '../scripts/start-cluster-support';
import { launchChromium } from './browser';

jest.setTimeout(600_000);

let cluster: TestCluster;
let browser: Browser;
let standardId: string;

beforeAll(async () => {
  execFileSync(process.execPath, [path.resolve(__dirname, '../../scripts/build-editor.mjs')], { stdio: 'ignore' });
  cluster = await startTestCluster(`t_cluster_e2e_${Date.now().toString(36)}`);
  standardId = await startDraftingStandard(cluster.ready.url, { titleZh: '示范区跨进程协同编辑测试标准', titleEn: 'Cross-process co-editing test standard' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await cluster?.stop();
});

/** Signs in at one app process's own address and opens the draft there. */
async function openDraftOn(processUrl: string, username: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
  page.on('pageerror', (e) => console.error(`[${username}] page error`, e));
  const consoleLines: string[] = [];
  page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  await page.goto(`${processUrl}/sign-in?next=${encodeURIComponent(`/standards/${standardId}/draft`)}`);
  await page.fill('#username', username);
  await page.fill('#password', DEMO_PASSWORD);
  await Promise.all([page.waitForURL(`**/standards/${standardId}/draft`), page.click('form[action="/sign-in"] button[type="submit"]')]);
  await page.waitForSelector('#editor[data-synced="true"] .ProseMirror', { timeout: 60_000 }).catch(async (e: unknown) => {
    // CI saw this wait time out once on a loaded machine: say what the editor showed and what the cluster logged.
    const status = await page.evaluate(() => JSON.stringify(document.querySelector('#editor')?.getAttributeNames().map((n) => `${n}=${document.querySelector('#editor')?.getAttribute(n) ?? ''}`))).catch(() => '(page gone)');
    throw new Error(`${(e as Error).message}\neditor: ${status}\nconsole:\n${consoleLines.slice(-20).join('\n')}\ncluster:\n${cluster.output().slice(-4000)}`);
  });
  await page.waitForFunction(() => window.tongbiaoEditorHandle !== undefined);
  return page;
}

const text = (page: Page): Promise<string> => page.evaluate(() => window.tongbiaoEditorHandle!.view.state.doc.textContent);
const waitText = (page: Page, needle: string): Promise<unknown> =>
  page.waitForFunction((n) => window.tongbiaoEditorHandle!.view.state.doc.textContent.includes(n), needle, { timeout: 20_000 });

/** Types through the input method path: composition events, then the committed text. */
async function imeType(page: Page, pinyin: string, committed: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  for (let i = 1; i <= pinyin.length; i++) await cdp.send('Input.imeSetComposition', { text: pinyin.slice(0, i), selectionStart: i, selectionEnd: i });
  await cdp.send('Input.insertText', { text: committed });
  await cdp.detach();
}

async function clickEnd(page: Page, selector: string): Promise<void> {
  await page.click(selector);
  await page.keyboard.press('End');
}

test('two browsers on two processes co-edit, see each other’s cursors, and turn read-only together when the lifecycle moves on', async () => {
  const [p1, p2] = cluster.ready.processes;
  const drafter = await openDraftOn(p1.url, 'drafter-sh');
  const lead = await openDraftOn(p2.url, 'sh-eco');
  // Pinned: each page's socket goes to its own process.
  expect(await drafter.evaluate(() => window.tongbiaoEditorHandle!.provider.url)).toContain(new URL(p1.url).host);
  expect(await lead.evaluate(() => window.tongbiaoEditorHandle!.provider.url)).toContain(new URL(p2.url).host);
  for (const page of [drafter, lead]) await page.waitForSelector('#editor[data-access="edit"]');

  // Chinese through IME composition on process 1, seen on process 2; and the other way round.
  await clickEnd(drafter, 'section[data-type="scope"] p');
  await imeType(drafter, 'shuizhi', '水质监测');
  await waitText(lead, '水质监测');
  expect(await text(lead)).not.toContain('shuizhi');
  await clickEnd(lead, 'section[data-type="scope"] p');
  await imeType(lead, 'xianzhi', '排放限值');
  await waitText(drafter, '水质监测排放限值');

  // A chapter with two clauses on process 2; a clause inserted between them on process 1 renumbers both screens.
  await lead.click('button[data-command="chapter"]');
  await lead.keyboard.type('总体要求');
  await lead.click('button[data-command="clauseAfter"]');
  await lead.keyboard.type('甲条');
  await lead.click('button[data-command="clauseAfter"]');
  await lead.keyboard.type('乙条');
  await drafter.waitForSelector('h2[data-label="4.2"]:has-text("乙条")', { timeout: 20_000 });
  await clickEnd(drafter, 'h2[data-label="4.1"]');
  await drafter.click('button[data-command="clauseAfter"]');
  await drafter.keyboard.type('新增条款');
  for (const page of [drafter, lead]) {
    await page.waitForSelector('h2[data-label="4.2"]:has-text("新增条款")', { timeout: 20_000 });
    await page.waitForSelector('h2[data-label="4.3"]:has-text("乙条")', { timeout: 20_000 });
  }

  // Cursors and presence cross the processes too.
  await drafter.waitForSelector('.ProseMirror-yjs-cursor:has-text("上海市生态环境局")', { timeout: 20_000 });
  await lead.waitForSelector('.ProseMirror-yjs-cursor:has-text("起草组成员")', { timeout: 20_000 });
  for (const page of [drafter, lead]) await page.waitForSelector('#editor[data-status="saved"]', { timeout: 20_000 });
  expect(await text(drafter)).toBe(await text(lead));

  // The stage changes through the lifecycle: the drafter submits the draft for comment (through the proxy).
  const session = await new ApiSession(cluster.ready.url, 'drafter-sh').signIn();
  const state = await session.request<{ stage: string }>('POST', `/api/standards/${standardId}/actions/submitForComment`, { reason: '征求意见稿' });
  expect(state.stage).toBe('publicComment');
  const answered = Date.now();
  const readOnly = (page: Page) => page.waitForSelector('#editor[data-status="readonly"]', { timeout: 10_000 }).then(() => Date.now() - answered);
  const [drafterMs, leadMs] = await Promise.all([readOnly(drafter), readOnly(lead)]);
  expect(Math.max(drafterMs, leadMs)).toBeLessThan(1000);
  for (const page of [drafter, lead]) {
    expect(await page.locator('.ProseMirror').getAttribute('contenteditable')).toBe('false');
    expect(await page.getAttribute('#editor', 'data-access')).toBe('read');
  }
  await drafter.context().close();
  await lead.context().close();
});
