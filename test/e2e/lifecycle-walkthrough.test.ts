// Issue 12: the whole lifecycle through the pages only (no API call), in Chromium, with the whole runtime
// (`npm start`'s wiring; short comment and review periods). Each role signs in through the form, reads its
// notification and follows its link to the standard's page, where it uses the form of its action; the list's
// search and filter find the standard; a member of the public comments on the draft; the comment is
// disposed on the triage page while the drafter may edit the draft; the public page offers the 征求意见稿 for download. From 立项 to the 复审
// decision.
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { DEMO_PASSWORD, seedDemoAccounts } from '../../server/auth/demo-accounts';
import { loadConfig } from '../../server/infra/config';
import { startRuntime, type Runtime } from '../../server/runtime';
import { ensureUserIndexes } from '../../activities/data/users';
import { requireEnv } from '../support/mongo';
import { chinaToday } from '../../workflows/dates';
import { testBundleCacheDir } from '../support/bundle-cache';

jest.setTimeout(420_000);

let rt: Runtime;
let browser: Browser;
const TITLE = `示范区走查排放标准${randomBytes(2).toString('hex')}`;

beforeAll(async () => {
  const suffix = randomBytes(4).toString('hex');
  const config = loadConfig({
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    MONGODB_DB: `t_walk_${suffix}`,
    TEMPORAL_TASK_QUEUE: `walk-${suffix}`,
    TONGBIAO_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'tb-walk-')),
    MONGODB_URI: requireEnv('MONGODB_URI'),
    TEMPORAL_ADDRESS: requireEnv('TEMPORAL_ADDRESS'),
    LOG_LEVEL: 'warn',
  });
  rt = await startRuntime({ config, signInRateLimit: { windowMs: 60_000, limit: 1000 }, workflowBundleCacheDir: testBundleCacheDir(), durations: { commentPeriodMs: 25_000, reminderIntervalMs: 86_400_000, filingReminderMs: 2000, reviewIntervalMs: 5000 } });
  await ensureUserIndexes(rt.mongo.db);
  await seedDemoAccounts(rt.mongo.db);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

async function signIn(username: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${rt.url}/sign-in`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await Promise.all([page.waitForURL(/\/standards/), page.getByRole('button', { name: '登录' }).click()]);
  return page;
}

/** Opens the notifications from the header and follows the link of the newest one saying `text` (waits for it). */
async function followNotice(page: Page, text: string): Promise<void> {
  for (let i = 0; i < 120; i += 1) {
    await Promise.all([page.waitForURL(/\/notifications/), page.locator('.site-nav__notifications').click()]);
    const item = page.locator('ul.notices > li', { hasText: text }).first();
    if ((await item.count()) > 0) {
      await Promise.all([page.waitForURL(/\/standards\/[^/]+$/), item.locator('a').first().click()]);
      return;
    }
    await page.waitForTimeout(500);
  }
  throw new Error(`no notification saying ${text}`);
}

/** Fills and submits the form of an action on the standard's page; the page says it is done. */
async function act(page: Page, formName: string, fill: (form: Locator) => Promise<void> = async () => undefined): Promise<void> {
  const form = page.getByRole('form', { name: formName });
  await fill(form);
  const label = formName.replace(/（.*）$/, '');
  await Promise.all([page.waitForNavigation(), form.getByRole('button', { name: label }).click()]);
  expect(await page.getByRole('status').first().textContent()).toContain(`已完成：${label}`);
}

/** Reloads the standard's page until its stage line shows `words`. */
async function waitForStage(page: Page, words: RegExp): Promise<void> {
  for (let i = 0; i < 240; i += 1) {
    if (words.test((await page.locator('main').textContent()) ?? '')) return;
    await page.waitForTimeout(500);
    await page.reload();
  }
  throw new Error(`stage never showed ${words}`);
}

const BUREAUS = [
  ['sh-msa', '上海市'],
  ['js-msa', '江苏省'],
  ['zj-msa', '浙江省'],
] as const;

test('from proposal to the review decision, through the pages only', async () => {
  // 立项: the lead department proposes with the form.
  const eco = await signIn('sh-eco');
  await eco.getByRole('link', { name: '提出立项' }).click();
  await eco.getByLabel('中文名称').fill(TITLE);
  await eco.getByLabel('英文名称').fill('Walkthrough emission standard');
  await eco.getByLabel('标准类别').selectOption('emissionStandard');
  await eco.getByRole('textbox', { name: '领域', exact: true }).fill('大气环境');
  await eco.getByLabel('适用范围').fill('本文件规定了大气污染物排放限值。');
  await eco.getByLabel('牵头单位（每行一个）').fill('上海市生态环境局');
  await eco.getByLabel('起草组账号', { exact: false }).fill('drafter-sh');
  await Promise.all([eco.waitForURL(/\/standards\/s[0-9a-f]+$/), eco.getByRole('button', { name: '提交' }).click()]);
  const standardPath = new URL(eco.url()).pathname;

  // The list's search and filter find it.
  await eco.goto(`${rt.url}/standards`);
  await eco.getByLabel('搜索').fill(TITLE.slice(-6));
  await Promise.all([eco.waitForURL(/q=/), eco.getByRole('button', { name: '筛选' }).click()]);
  expect(await eco.getByRole('link', { name: TITLE }).count()).toBe(1);

  // Each bureau is told its decision is due and approves.
  for (const [user, province] of BUREAUS) {
    const reg = await signIn(user);
    await followNotice(reg, '请代表贵局作出立项决定');
    expect(new URL(reg.url()).pathname).toBe(standardPath);
    await act(reg, `立项审核（${province}）`, (f) => f.getByRole('radio', { name: '同意', exact: true }).check());
  }

  // 起草: the drafter is told the draft is open and submits the draft for comment.
  const drafter = await signIn('drafter-sh');
  await followNotice(drafter, '请编辑草案');
  await act(drafter, '提交征求意见稿');

  // 征求意见: a member of the public comments on the whole draft from the public page.
  const pub = await (await browser.newContext()).newPage();
  await pub.goto(`${rt.url}/consultation`);
  await Promise.all([pub.waitForURL(/\/consultation\/s[0-9a-f]+$/), pub.getByRole('link', { name: TITLE }).first().click()]);
  // The 征求意见稿 generated at submission (a workflow effect after the freeze, laid out by LibreOffice for
  // its 目次) is offered for download, as a plain link that works; until it is stored the page says so.
  const draftLink = pub.locator('[data-download="draft"] a').first();
  for (let i = 0; i < 120 && (await draftLink.count()) === 0; i++) {
    expect(await pub.locator('[data-download-pending]').count()).toBe(1);
    await new Promise((r) => setTimeout(r, 1000));
    await pub.reload();
  }
  expect(await draftLink.count()).toBe(1);
  const download = await pub.request.get(`${rt.url}${await draftLink.getAttribute('href')}`);
  expect(download.status()).toBe(200);
  expect(download.headers()['content-type']).toContain('wordprocessingml');
  await Promise.all([pub.waitForURL(/\/comment/), pub.getByRole('link', { name: /对全文提意见/ }).click()]);
  await pub.locator('input[name="type"]').first().check();
  await pub.locator('#f-comment').fill('建议补充监测频次的要求。');
  await pub.locator('#f-name').fill('王五');
  await pub.locator('#f-province').selectOption({ index: 1 });
  await Promise.all([pub.waitForURL(/\/consultation\/receipt\//), pub.getByRole('button', { name: /提交意见/ }).click()]);

  // The period closes by its timer; the lead department is told, disposes the comment and completes handling.
  await followNotice(eco, '征求意见期已结束');
  await Promise.all([eco.waitForURL(/\/comments/), eco.getByRole('link', { name: '征求意见处理' }).first().click()]);
  const disp = eco.locator('form[action*="/disposition"]').first();
  await disp.getByRole('radio', { name: /^采纳/ }).first().check();
  await Promise.all([eco.waitForNavigation(), disp.getByRole('button', { name: /保存处理意见/ }).click()]);
  // While comments are handled the drafters may edit the draft to work accepted comments in (item 6).
  await drafter.goto(`${rt.url}${standardPath}`);
  await Promise.all([drafter.waitForURL(/\/draft$/), drafter.getByRole('link', { name: '打开草案（在线编辑）' }).click()]);
  expect(await drafter.locator('.status-line').textContent()).toContain('您可以编辑此草案');
  await eco.goto(`${rt.url}${standardPath}`);
  await act(eco, '完成意见处理');
  // In 技术审查 the 送审稿 is under review: read-only again.
  await drafter.reload();
  expect(await drafter.locator('.status-line').textContent()).toContain('此草案当前为只读');

  // 技术审查: the expert records the result; the drafter submits the draft for approval.
  const expert = await signIn('expert');
  await followNotice(expert, '请审查送审稿并登记审查结论');
  await act(expert, '记录技术审查结论', (f) => f.getByRole('radio', { name: '通过', exact: true }).check());
  await followNotice(drafter, '请修改形成报批稿并提交报批');
  await act(drafter, '提交报批稿');

  // 报批: each bureau approves with a number typed with the keyboard hyphen.
  const year = chinaToday(Date.now()).slice(0, 4);
  const code = { 'sh-msa': '31', 'js-msa': '32', 'zj-msa': '33' } as const;
  for (const [user, province] of BUREAUS) {
    const reg = await signIn(user);
    await followNotice(reg, '请代表贵局作出报批决定');
    await act(reg, `报批审核并编号（${province}）`, async (f) => {
      await f.getByRole('radio', { name: '同意', exact: true }).check();
      await f.getByLabel(/编号/).fill(`DB${code[user]}/T ${code[user]}${String(randomInt(0, 10000)).padStart(4, '0')}-${year}`);
    });
  }

  // The executive committee sets the dates; release, publicity and entry into force follow.
  const exec = await signIn('exec');
  await followNotice(exec, '请确定统一的发布日期和实施日期');
  const today = chinaToday(Date.now());
  await act(exec, '商定发布与实施日期', async (f) => {
    await f.getByRole('textbox', { name: '发布日期', exact: true }).fill(today);
    await f.getByRole('textbox', { name: '实施日期', exact: true }).fill(today);
    await f.getByRole('checkbox').check();
  });

  // 复审: the review opens by its timer; the lead department decides it.
  await followNotice(eco, '请作出复审结论');
  await act(eco, '复审结论', async (f) => {
    await f.getByRole('radio', { name: '继续有效', exact: true }).check();
    await f.getByRole('textbox').last().fill('标准适用，继续有效');
  });
  await waitForStage(eco, /继续有效|实施/);
});
