// The public consultation in a real browser (Debian's Chromium through playwright-core): with JavaScript
// turned off a visitor finds the standard, comments on clause 5.2 and reads the comment's status with the
// receipt code; with JavaScript a visitor selects a passage and comments on exactly that passage.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser';
import { freshMongo } from '../support/mongo';
import { sampleDraft, seedStandard, snapshotOf, startCommentsServer, type TestServer } from '../server/comments/support';

const SID = 'std-browser';

describe('public consultation in a browser', () => {
  let mongo: Awaited<ReturnType<typeof freshMongo>>;
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    const root = path.resolve(__dirname, '..', '..');
    // The passage script is bundled at npm install; build it if this checkout has not been built yet.
    if (!existsSync(path.join(root, 'public', 'build', 'public-comment.js'))) execFileSync(process.execPath, [path.join(root, 'scripts', 'build-editor.mjs')], { cwd: root });
    mongo = await freshMongo('comments-browser');
    await seedStandard(mongo.db, { id: SID, commentDeadline: '2099-01-01T00:00:00.000Z' });
    const draft = snapshotOf(sampleDraft());
    server = await startCommentsServer({ db: mongo.db, getCommentDraft: async () => draft });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await mongo?.drop();
  });

  it('lets a visitor without JavaScript, on a phone-sized screen, comment on clause 5.2 and read its status by receipt code', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 740 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${server.url}/consultation`);
    await page.getByRole('link', { name: /示范区地表水环境质量监测技术规范/ }).click();
    await expect(page.getByRole('heading', { name: /5\.2\s*采样方法/ }).count()).resolves.toBe(1);
    await page.getByRole('link', { name: /对5\.2提意见/ }).click();
    await page.getByLabel(/技术性/).check();
    await page.getByLabel(/意见内容/).fill('水深大于5 m时分层采样的层数应明确。<b>请核实</b>');
    await page.getByLabel(/修改建议/).fill('改为：水深大于5 m时，在水面下0.5 m和河底以上0.5 m各采一个样。');
    await page.getByLabel(/^姓名/).fill('王五');
    await page.getByLabel(/所在省市/).selectOption('ZJ');
    await page.getByLabel(/联系方式/).fill('wangwu@example.org');
    await page.getByLabel(/同意公开/).check();
    await page.getByRole('button', { name: /提交意见/ }).click();
    await expect(page.getByText('意见已收到，谢谢！').count()).resolves.toBe(1);
    const receipt = (await page.locator('h1').innerText()).match(/[A-Z0-9]{5}-[A-Z0-9]{5}/)?.[0];
    expect(receipt).toBeDefined();
    expect(await page.locator('dd.pre').first().innerText()).toContain('<b>请核实</b>');

    // Later, from the footer link: look the comment up by its code.
    await page.goto(`${server.url}/consultation`);
    await page.getByRole('link', { name: /查询意见处理情况/ }).click();
    await page.getByLabel(/回执编号/).fill(String(receipt).toLowerCase());
    await page.getByRole('button', { name: /查询/ }).click();
    await expect(page.getByText(/待处理/).count()).resolves.toBeGreaterThan(0);
    expect(await page.textContent('body')).toContain('5.2 采样方法');

    // A mistake is answered on the form itself, keeping what was typed.
    await page.goto(`${server.url}/consultation/${SID}/comment?clause=c51`);
    await page.getByLabel(/编辑性/).check();
    await page.getByLabel(/意见内容/).fill('   ');
    await page.getByLabel(/^姓名/).fill('赵六');
    await page.getByLabel(/所在省市/).selectOption('SH');
    await page.getByRole('button', { name: /提交意见/ }).click();
    await expect(page.getByRole('alert').innerText()).resolves.toContain('请填写意见内容');
    expect(await page.getByLabel(/^姓名/).inputValue()).toBe('赵六');

    const stored = await mongo.db.collection('comments').findOne({ receipt });
    expect(stored).toMatchObject({ type: 'technical', anchor: { scope: 'clause', clauseId: 'c52', clauseNumber: '5.2' }, submitter: { name: '王五', province: 'ZJ', showName: true } });
    await context.close();
  }, 60_000);

  it('lets a visitor with JavaScript select a passage in 5.2 and comment on exactly that passage', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${server.url}/consultation/${SID}`);
    await page.waitForFunction(() => document.getElementById('passage-bar') !== null);
    // Select 「中泓线」 inside clause 5.2 the way a mouse drag would leave the selection.
    await page.evaluate(() => {
      const p = document.querySelector('section[data-clause-id="c52"] p');
      const text = p?.firstChild as Text;
      const start = text.data.indexOf('中泓线');
      const range = document.createRange();
      range.setStart(text, start);
      range.setEnd(text, start + 3);
      const sel = window.getSelection();
      sel?.removeAllRanges();
      sel?.addRange(range);
    });
    const link = page.locator('#comment-on-selection');
    await link.waitFor({ state: 'visible' });
    expect(await link.innerText()).toContain('「中泓线」');
    await link.click();
    await expect(page.locator('blockquote.quote').innerText()).resolves.toBe('中泓线');
    await page.getByLabel(/一般性/).check();
    await page.getByLabel(/意见内容/).fill('中泓线的确定方法应给出。');
    await page.getByLabel(/^姓名/).fill('钱七');
    await page.getByLabel(/所在省市/).selectOption('JS');
    await page.getByRole('button', { name: /提交意见/ }).click();
    await expect(page.getByText('意见已收到，谢谢！').count()).resolves.toBe(1);
    const receipt = (await page.locator('h1').innerText()).match(/[A-Z0-9]{5}-[A-Z0-9]{5}/)?.[0];
    const stored = await mongo.db.collection('comments').findOne({ receipt });
    expect(stored?.anchor).toMatchObject({ scope: 'passage', clauseId: 'c52', clauseNumber: '5.2', quote: '中泓线', quoteOffset: '采样方法采样应在河流'.length });
    expect(typeof stored?.anchor.relPos).toBe('string');
    await context.close();
  }, 60_000);
});
