// Suggest-only co-editing through the whole runtime (issue 15): a market regulation bureau opens a draft in
// drafting, is put in suggestion mode it cannot leave, and its words reach the drafter as a suggestion in
// Jiangsu's colour; the drafter accepts it. A plain edit forced past the editor's suggestion mode becomes the
// bureau's suggestion; an update the server refuses (socket closed 4403 'not a suggestion', nothing stored or
// relayed) reloads the editor with a notice in Chinese and English keeping the bureau's words to copy.
import type { Page } from 'playwright-core';
import { useDraftRuntime } from './draft-runtime-suite';
import { draftDocName } from '../../workflows/domain';
import { yDocToJSON } from '../../editor/ydoc';
import { schema } from '../../editor/schema';

jest.setTimeout(180_000);

const suite = useDraftRuntime('suggestroles', { titleZh: '示范区修改建议测试标准', titleEn: 'Suggestions test standard' });
const openDraftAs = (username: string): Promise<Page> => suite.openDraftAs(username);

/** Puts the cursor just before the first occurrence of `needle`. */
async function cursorBefore(page: Page, needle: string): Promise<void> {
  await page.evaluate((n) => {
    const view = window.tongbiaoEditorHandle!.view;
    let pos = -1;
    view.state.doc.descendants((node, p) => {
      if (pos < 0 && node.isText && node.text!.includes(n)) pos = p + node.text!.indexOf(n);
      return pos < 0;
    });
    const sel = view.state.selection.constructor as unknown as { create(doc: unknown, pos: number): never };
    view.dispatch(view.state.tr.setSelection(sel.create(view.state.doc, pos)));
    view.focus();
  }, needle);
}

const storedText = async (): Promise<string> => schema.nodeFromJSON(yDocToJSON(await suite.rt.collab.getDoc(draftDocName(suite.standardId)))).textContent;

test('a bureau suggests, the drafter accepts; a forced plain edit becomes its suggestion; a refused update keeps its words', async () => {
  const drafter = await openDraftAs('drafter-sh');
  await drafter.click('section[data-type="scope"] p');
  await drafter.keyboard.press('End');
  await drafter.keyboard.type('排放浓度应符合表1。');
  await drafter.waitForSelector('#editor[data-status="saved"]');

  const bureau = await openDraftAs('js-msa');
  expect(await bureau.getAttribute('#editor', 'data-suggest-only')).toBe('true');
  await bureau.waitForSelector('#editor[data-access="edit"]');
  await bureau.waitForSelector('button[data-command="suggest"][aria-pressed="true"][disabled]');
  await bureau.waitForSelector('button[data-command="bold"][disabled]');
  await cursorBefore(bureau, '表1。');
  await bureau.keyboard.type('附录');
  await bureau.waitForSelector('#editor[data-status="saved"]');
  await drafter.waitForSelector('.ProseMirror ins.tb-suggestInsert[data-province="JS"]', { timeout: 15_000 });
  expect(await storedText()).toContain('符合附录表1。');

  // The drafter accepts it from the pane; the bureau sees it as plain text.
  await drafter.click('.tb-suggestion[data-by] button[data-action="accept"]');
  await bureau.waitForFunction(() => document.querySelectorAll('.ProseMirror ins.tb-suggestInsert').length === 0, undefined, { timeout: 15_000 });
  // The bureau has no accept/reject buttons of its own.
  expect(await bureau.locator('button[data-action="accept"]').count()).toBe(0);

  // A plain edit forced past suggestion mode (as a tampered client would send it) becomes the bureau's
  // suggestion on the server (never a direct edit; server/collab/suggest-guard.ts).
  await bureau.evaluate(() => {
    const view = window.tongbiaoEditorHandle!.view;
    view.dispatch(view.state.tr.insertText('直接修改', view.state.selection.from).setMeta('tongbiaoSuggestionsSkip', true));
  });
  await drafter.waitForFunction(() => [...document.querySelectorAll('.ProseMirror ins.tb-suggestInsert[data-province="JS"]')].some((el) => el.textContent?.includes('直接修改')), undefined, { timeout: 15_000 });

  // An update the server refuses (here the bureau's words with a decision record forged in the drafter's name,
  // in one update): the editor reloads the draft, tells the bureau in Chinese and English, and keeps its words
  // for copying; it may go on suggesting.
  const before = await bureau.evaluate(() => window.tongbiaoEditorHandle!.ydoc.clientID);
  await bureau.evaluate(() => {
    const handle = window.tongbiaoEditorHandle!;
    handle.ydoc.transact(() => {
      handle.view.dispatch(handle.view.state.tr.insertText('每月监测', handle.view.state.selection.from));
      handle.ydoc.getMap('suggestionDecisions').set('drafter-sh', { decision: 'accept', sids: [], at: 'forged' });
    });
  });
  const notice = bureau.locator('.tb-refused-edit[role="alert"]');
  await notice.waitFor({ timeout: 15_000 });
  expect(await notice.textContent()).toContain('您最后的修改未能作为修改建议保存');
  expect(await notice.textContent()).toContain('Your last change could not be applied as a suggestion');
  expect(await notice.locator('textarea').inputValue()).toContain('每月监测');
  await bureau.waitForFunction((old) => window.tongbiaoEditorHandle !== undefined && window.tongbiaoEditorHandle.ydoc.clientID !== old, before, { timeout: 15_000 });
  await bureau.waitForSelector('#editor[data-access="edit"][data-synced="true"]');
  expect(await bureau.evaluate(() => window.tongbiaoEditorHandle!.view.state.doc.textContent)).not.toContain('每月监测');
  await cursorBefore(bureau, '表1。');
  await bureau.keyboard.type('年度');
  await bureau.waitForSelector('#editor[data-status="saved"]');
  await drafter.waitForFunction(() => document.querySelector('.ProseMirror')?.textContent?.includes('年度'), undefined, { timeout: 15_000 });
  expect(await storedText()).not.toContain('每月监测');
  expect(await storedText()).toContain('年度');
  // The words wait in the tab until dismissed: reloading the page shows them again; once dismissed, they are gone.
  await bureau.reload();
  await bureau.waitForSelector('#editor[data-synced="true"] .ProseMirror');
  expect(await notice.locator('textarea').inputValue()).toContain('每月监测');
  await notice.locator('button[data-action="dismiss"]').click();
  expect(await notice.count()).toBe(0);
  await bureau.reload();
  await bureau.waitForSelector('#editor[data-synced="true"] .ProseMirror');
  expect(await notice.count()).toBe(0);
});
