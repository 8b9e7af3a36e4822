// Comment threads in the draft (issue 15 item 1) in real Chromium against the whole runtime (Temporal,
// FerretDB, the collaboration server, the built bundle): the drafter selects text and comments on it, a
// market regulation bureau reading the draft read-only sees the highlighted passage and replies, the drafter
// resolves; a thread whose text the drafter then deletes says 原文已删除.
import type { Page } from 'playwright-core';
import { useDraftRuntime } from './draft-runtime-suite';
import JSZip from 'jszip';
import { DRAFT_THREADS } from '../../activities/data/draft-threads';
import { NOTIFICATIONS } from '../../activities/data/notifications';
import { findUserByUsername } from '../../activities/data/users';

jest.setTimeout(180_000);

const suite = useDraftRuntime('draftthreads', { titleZh: '示范区批注测试标准', titleEn: 'Draft threads test standard' });
const openDraftAs = (username: string): Promise<Page> => suite.openDraftAs(username, () => window.tongbiaoEditorHandle?.threads !== null);

const card = (page: Page) => page.locator('.tb-thread').first();

test('a drafter comments on selected text, a bureau replies from the read-only view, the drafter resolves', async () => {
  const drafter = await openDraftAs('drafter-sh');
  await drafter.click('section[data-type="scope"] p');
  await drafter.keyboard.press('End');
  await drafter.keyboard.type('示范区地表水监测要求。');
  await drafter.waitForSelector('#editor[data-status="saved"]');
  // Select 监测要求 (four characters before the final 。).
  await drafter.keyboard.press('ArrowLeft');
  for (let i = 0; i < 4; i++) await drafter.keyboard.press('Shift+ArrowLeft');
  await drafter.click('.tb-thread-add');
  await drafter.waitForSelector('.tb-thread-new:not([hidden]) textarea');
  expect(await drafter.locator('.tb-thread-new .tb-thread-quote').innerText()).toBe('监测要求');
  await drafter.fill('.tb-thread-new textarea', '请 @js-msa 确认监测要求的范围。');
  await drafter.click('.tb-thread-new .tb-thread-send');
  await drafter.waitForSelector('.tb-thread[data-status="open"]');
  await drafter.waitForSelector('.ProseMirror .tb-thread-mark');
  expect(await drafter.locator('.ProseMirror .tb-thread-mark').innerText()).toBe('监测要求');

  const stored = await suite.rt.mongo.db.collection(DRAFT_THREADS).findOne({ standardId: suite.standardId });
  expect(stored).toMatchObject({ quote: '监测要求', text: '请 @js-msa 确认监测要求的范围。', status: 'open' });
  const jsMsa = await findUserByUsername(suite.rt.mongo.db, 'js-msa');
  expect(await suite.rt.mongo.db.collection(NOTIFICATIONS).findOne({ standardId: suite.standardId, event: 'mentionedInThread' })).toMatchObject({ userIds: [jsMsa?._id] });

  // The bureau may not edit the draft (only suggest changes, issue 15): the passage is highlighted, it may reply but not resolve.
  const bureau = await openDraftAs('js-msa');
  expect(await bureau.getAttribute('#editor', 'data-suggest-only')).toBe('true');
  await bureau.waitForSelector('.tb-thread[data-status="open"]');
  await bureau.waitForSelector('.ProseMirror .tb-thread-mark');
  expect(await bureau.locator('.ProseMirror .tb-thread-mark').innerText()).toBe('监测要求');
  expect(await bureau.locator('.tb-thread-resolve').count()).toBe(0);
  // While the drafter types before the passage, the bureau's highlight never drops out: a remote change is
  // one whole-document replacement from the Yjs binding, so the passage is resolved again in the same update.
  await bureau.evaluate(() => {
    const w = window as unknown as { tbMarkGone: number };
    w.tbMarkGone = 0;
    new MutationObserver(() => {
      if (!document.querySelector('.ProseMirror .tb-thread-mark')) w.tbMarkGone += 1;
    }).observe(document.querySelector('.ProseMirror') as Node, { childList: true, subtree: true, characterData: true, attributes: true });
  });
  await drafter.click('section[data-type="scope"] p');
  await drafter.keyboard.press('Home');
  await drafter.keyboard.type('（补充）');
  await bureau.waitForFunction(() => document.querySelector('section[data-type="scope"]')?.textContent?.includes('（补充）'));
  expect(await bureau.locator('.ProseMirror .tb-thread-mark').innerText()).toBe('监测要求');
  expect(await bureau.evaluate(() => (window as unknown as { tbMarkGone: number }).tbMarkGone)).toBe(0);
  await card(bureau).locator('.tb-thread-reply textarea').fill('范围为跨界断面，已确认。');
  await card(bureau).locator('.tb-thread-reply .tb-thread-send').click();
  await bureau.waitForSelector('.tb-thread-replies li');

  // The drafter's panel picks the reply up by polling, then resolves the thread.
  await drafter.waitForSelector('.tb-thread-replies li', { timeout: 15_000 });
  expect(await card(drafter).locator('.tb-thread-replies li').innerText()).toContain('范围为跨界断面，已确认。');
  await card(drafter).locator('.tb-thread-resolve').click();
  // The default filter shows open threads: it leaves the list and its highlight goes.
  await drafter.waitForSelector('.tb-thread', { state: 'detached' });
  expect(await drafter.locator('.ProseMirror .tb-thread-mark').count()).toBe(0);
  expect((await suite.rt.mongo.db.collection(DRAFT_THREADS).findOne({ standardId: suite.standardId }))?.status).toBe('resolved');
  await drafter.selectOption('.tb-thread-filter', 'resolved');
  await drafter.waitForSelector('.tb-thread[data-status="resolved"] .tb-thread-reopen');

  // The bureau sees it resolved too, after its next poll.
  await bureau.selectOption('.tb-thread-filter', 'all');
  await bureau.waitForSelector('.tb-thread[data-status="resolved"]', { timeout: 15_000 });
  expect(await card(bureau).locator('.tb-thread-state').innerText()).toContain('已解决');

  // A thread whose words the drafter deletes says so instead of vanishing.
  await drafter.selectOption('.tb-thread-filter', 'open');
  await drafter.click('section[data-type="scope"] p');
  await drafter.keyboard.press('End');
  await drafter.keyboard.press('ArrowLeft');
  for (let i = 0; i < 4; i++) await drafter.keyboard.press('Shift+ArrowLeft');
  await drafter.click('.tb-thread-add');
  await drafter.fill('.tb-thread-new textarea', '这四个字要删掉吗？');
  await drafter.click('.tb-thread-new .tb-thread-send');
  await drafter.waitForSelector('.tb-thread[data-status="open"][data-anchor="present"]');
  await drafter.click('section[data-type="scope"] p');
  await drafter.keyboard.press('End');
  await drafter.keyboard.press('ArrowLeft');
  for (let i = 0; i < 4; i++) await drafter.keyboard.press('Backspace');
  await drafter.waitForSelector('.tb-thread[data-status="open"][data-anchor="deleted"]');
  expect(await card(drafter).locator('.tb-thread-deleted').innerText()).toContain('原文已删除');
  await bureau.waitForSelector('.tb-thread[data-status="open"][data-anchor="deleted"]', { timeout: 15_000 });

  // The review copy of the live draft carries both threads as Word comments: both sat on the words just
  // deleted, so both are attached to the first line and say so.
  const href = await bureau.locator('a[download][href$="/threads/review-copy"]').getAttribute('href');
  const copy = await bureau.request.get(`${suite.rt.url}${href}`);
  expect(copy.status()).toBe(200);
  expect(copy.headers()['x-threads-placed']).toBe('0');
  expect(copy.headers()['x-threads-elsewhere']).toBe('2');
  const zip = await JSZip.loadAsync(await copy.body());
  const comments = (await zip.file('word/comments.xml')?.async('string')) ?? '';
  for (const s of ['请 @js-msa 确认监测要求的范围。', '范围为跨界断面，已确认。', '这四个字要删掉吗？', '原文已删除', '〔已解决 Resolved〕']) expect(comments).toContain(s);

  await drafter.context().close();
  await bureau.context().close();
});
