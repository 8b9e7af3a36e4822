// Suggested changes in two Chromium sessions (issue 15), with the real bundle and collaboration server: one
// drafter suggests while the other types in the same clause; the suggestion shows in the author's province
// colour on both screens; accepting on one screen applies on both, and Ctrl-Z undoes the accept on both;
// rejecting restores the text exactly.
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { editorSuite } from './editor-suite';

jest.setTimeout(150_000);

const suite = editorSuite('suggeste2e');

async function open(doc: string, user: string, province: string): Promise<Page> {
  const page = await (await suite.browser.newContext()).newPage();
  page.on('pageerror', (e) => console.error(`[${user}] page error`, e));
  await page.goto(suite.server.pageUrl(doc, user, { province }));
  await page.waitForSelector('#editor[data-synced="true"] .ProseMirror');
  await page.waitForFunction(() => window.tongbiaoEditorHandle !== undefined);
  return page;
}

const text = (page: Page): Promise<string> => page.evaluate(() => window.tongbiaoEditorHandle!.view.state.doc.textContent);
const docJSON = (page: Page): Promise<unknown> => page.evaluate(() => window.tongbiaoEditorHandle!.view.state.doc.toJSON());
const waitText = (page: Page, needle: string): Promise<unknown> =>
  page.waitForFunction((n) => window.tongbiaoEditorHandle!.view.state.doc.textContent.includes(n), needle, { timeout: 15_000 });
const suggestionCount = (page: Page): Promise<number> => page.evaluate(() => window.tongbiaoEditorHandle!.suggestions.suggestions().length);
const waitCount = (page: Page, n: number): Promise<unknown> =>
  page.waitForFunction((k) => window.tongbiaoEditorHandle!.suggestions.suggestions().length === k, n, { timeout: 15_000 });
/** The text of the first element matching `selector`, without the co-authors' cursor labels inside it. */
const markText = (page: Page, selector: string): Promise<string> =>
  page.locator(selector).first().evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('.ProseMirror-yjs-cursor').forEach((c) => c.remove());
    return copy.textContent ?? '';
  });
/** Puts the cursor `offset` characters after the start of the first occurrence of `needle`. */
async function cursorBefore(page: Page, needle: string, offset = 0): Promise<void> {
  await page.evaluate(([n, k]) => {
    const view = window.tongbiaoEditorHandle!.view;
    let pos = -1;
    view.state.doc.descendants((node, p) => {
      if (pos < 0 && node.isText && node.text!.includes(n)) pos = p + node.text!.indexOf(n) + k;
      return pos < 0;
    });
    const sel = view.state.selection.constructor as unknown as { create(doc: unknown, pos: number): never };
    view.dispatch(view.state.tr.setSelection(sel.create(view.state.doc, pos)));
    view.focus();
  }, [needle, offset] as const);
}

test('one suggests while the other types; accept shows on both screens; reject restores the text exactly', async () => {
  const doc = `sugg-${randomBytes(4).toString('hex')}`;
  const alice = await open(doc, 'alice', 'SH');
  const bob = await open(doc, 'bob', 'ZJ');
  await bob.waitForFunction(() => window.tongbiaoEditorHandle!.view.state.doc.childCount === 4);

  // The shared clause text, typed directly.
  await alice.click('section[data-type="scope"] p');
  await alice.keyboard.press('End');
  await alice.keyboard.type('排放浓度应符合表1。');
  await waitText(bob, '排放浓度应符合表1。');
  await alice.waitForSelector('#editor[data-status="saved"]');
  const before = await docJSON(bob);

  // Alice turns suggestion mode on and types inside the clause while Bob types in the same paragraph.
  await alice.click('button[data-command="suggest"]');
  await alice.waitForSelector('button[data-command="suggest"][aria-pressed="true"]');
  await cursorBefore(alice, '表1。', 2);
  await cursorBefore(bob, '排放');
  await Promise.all([alice.keyboard.type('和表2'), bob.keyboard.type('各地')]);
  await waitText(bob, '和表2');
  await waitText(alice, '各地');
  expect(await text(alice)).toBe(await text(bob));
  // On Bob's screen Alice's words are a suggested insertion in Shanghai's colour; Bob's own words are plain.
  await bob.waitForSelector('.ProseMirror ins.tb-suggestInsert[data-province="SH"]');
  expect(await markText(bob, '.ProseMirror ins.tb-suggestInsert')).toBe('和表2');
  const colour = await bob.locator('.ProseMirror ins.tb-suggestInsert').evaluate((el) => getComputedStyle(el).color);
  expect(colour).toBe('rgb(217, 72, 15)');
  expect(await bob.locator('.ProseMirror ins:has-text("各地")').count()).toBe(0);

  // Alice suggests deleting 表1: Backspace keeps it, struck through, on both screens.
  await cursorBefore(alice, '和表2');
  await alice.keyboard.press('Backspace');
  await alice.keyboard.press('Backspace');
  await bob.waitForSelector('.ProseMirror del.tb-suggestDelete[data-province="SH"]');
  expect(await markText(bob, '.ProseMirror del.tb-suggestDelete')).toBe('表1');
  expect(await text(bob)).toContain('各地排放浓度应符合表1和表2。');
  await waitCount(bob, 2);
  expect(await bob.locator('.tb-suggestion').count()).toBe(2);
  expect(await bob.locator('.tb-suggestion[data-kind="insert"] .tb-suggestion-head').innerText()).toContain('alice');

  // Bob accepts the insertion: on Alice's screen it is plain text now.
  await bob.click('.tb-suggestion[data-kind="insert"] button[data-action="accept"]');
  await alice.waitForFunction(() => document.querySelectorAll('.ProseMirror ins.tb-suggestInsert').length === 0, undefined, { timeout: 15_000 });
  expect(await text(alice)).toContain('各地排放浓度应符合表1和表2。');
  expect(await suggestionCount(alice)).toBe(1);
  // Bob's editor recorded what he had seen when deciding (the server keeps words typed meanwhile out of it).
  const record = await alice.evaluate(() => {
    const entries = [...window.tongbiaoEditorHandle!.ydoc.getMap('suggestionDecisions').values()] as { decision: string; sids: string[]; sv: Uint8Array }[];
    return entries.map((e) => ({ decision: e.decision, sids: e.sids.length, sv: e.sv instanceof Uint8Array && e.sv.length > 0 }));
  });
  expect(record).toEqual([{ decision: 'accept', sids: 1, sv: true }]);

  // Ctrl-Z on Bob's screen undoes his accept: Alice's words are her suggestion again on both screens (the server
  // lets the undo stand: editor/suggestions-undo.ts); Ctrl-Shift-Z accepts them again.
  await bob.keyboard.press('Control+z');
  await alice.waitForSelector('.ProseMirror ins.tb-suggestInsert[data-province="SH"]', { timeout: 15_000 });
  await bob.waitForSelector('#editor[data-status="saved"]');
  await waitCount(alice, 2);
  expect(await markText(alice, '.ProseMirror ins.tb-suggestInsert')).toBe('和表2');
  expect(await text(alice)).toBe(await text(bob));
  await bob.keyboard.press('Control+Shift+z');
  await alice.waitForFunction(() => document.querySelectorAll('.ProseMirror ins.tb-suggestInsert').length === 0, undefined, { timeout: 15_000 });
  await waitCount(alice, 1);

  // Bob rejects the deletion: 表1 is back, unmarked, on both screens.
  await bob.click('.tb-suggestion[data-kind="delete"] button[data-action="reject"]');
  await alice.waitForFunction(() => document.querySelectorAll('.ProseMirror del.tb-suggestDelete').length === 0, undefined, { timeout: 15_000 });
  await waitCount(alice, 0);
  expect(await text(alice)).toContain('各地排放浓度应符合表1和表2。');

  // A whole replacement suggested and rejected with 全部拒绝 leaves exactly the document before it.
  const settled = await docJSON(bob);
  await alice.evaluate(() => {
    const view = window.tongbiaoEditorHandle!.view;
    const { from, to } = (() => {
      let f = -1;
      view.state.doc.descendants((node, p) => {
        if (f < 0 && node.isText && node.text!.includes('排放浓度')) f = p + node.text!.indexOf('排放浓度');
        return f < 0;
      });
      return { from: f, to: f + 4 };
    })();
    view.dispatch(view.state.tr.insertText('排放限值', from, to));
  });
  await waitText(bob, '排放浓度排放限值');
  await waitCount(bob, 2);
  await bob.click('button[data-action="reject-all"]');
  await alice.waitForFunction(() => window.tongbiaoEditorHandle!.suggestions.suggestions().length === 0, undefined, { timeout: 15_000 });
  expect(await docJSON(alice)).toEqual(settled);
  expect(await docJSON(bob)).toEqual(settled);
  expect(before).not.toEqual(settled);

  // Typing inside a suggested deletion lands after it, as a suggested insertion.
  await cursorBefore(alice, '排放浓度');
  await alice.keyboard.press('Shift+ArrowRight');
  await alice.keyboard.press('Shift+ArrowRight');
  await alice.keyboard.press('Delete');
  await cursorBefore(alice, '排放', 1);
  await alice.keyboard.type('Y');
  await waitText(bob, '排放Y浓度');
  expect(await markText(bob, '.ProseMirror del.tb-suggestDelete')).toBe('排放');
  expect(await markText(bob, '.ProseMirror ins.tb-suggestInsert')).toBe('Y');
});
