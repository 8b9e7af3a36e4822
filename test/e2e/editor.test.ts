// Browser tests of the co-editing editor: real Chromium (playwright-core), the real bundle
// (public/build/editor.js) and the real collaboration server with MongoDB persistence.
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { freshMongo } from '../support/mongo';
import { startEditorPageServer, type EditorPageServer } from '../editor/support/page-server';

jest.setTimeout(120_000);


let mongo: Awaited<ReturnType<typeof freshMongo>>;
let server: EditorPageServer;
let browserA: Browser;
let browserB: Browser;

beforeAll(async () => {
  execFileSync(process.execPath, [path.resolve(__dirname, '../../scripts/build-editor.mjs')], { stdio: 'ignore' });
  mongo = await freshMongo('editore2e');
  server = await startEditorPageServer(mongo.db);
  [browserA, browserB] = await Promise.all([launchChromium(), launchChromium()]);
});

afterAll(async () => {
  await Promise.all([browserA?.close(), browserB?.close()]);
  await server?.close();
  await mongo?.drop();
});

const docName = () => `e2e-${randomBytes(4).toString('hex')}`;

async function open(browser: Browser, doc: string, user: string, province?: string, opts: { readonly?: boolean } = {}): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  page.on('pageerror', (e) => console.error(`[${user}] page error`, e));
  await page.goto(server.pageUrl(doc, user, { province, ...opts }));
  await page.waitForSelector('#editor[data-synced="true"] .ProseMirror');
  await page.waitForFunction(() => window.tongbiaoEditorHandle !== undefined);
  return page;
}

/** The editor's plain text (all text nodes, in order). */
const text = (page: Page): Promise<string> => page.evaluate(() => window.tongbiaoEditorHandle!.view.state.doc.textContent);
const status = (page: Page): Promise<string | undefined> => page.evaluate(() => document.getElementById('editor')?.dataset.status);
const waitText = (page: Page, needle: string): Promise<unknown> =>
  // Predicates must be synchronous: Playwright treats a returned promise as truthy.
  page.waitForFunction((n) => window.tongbiaoEditorHandle!.view.state.doc.textContent.includes(n), needle, { timeout: 15_000 });
const waitStatus = (page: Page, s: string): Promise<unknown> => page.waitForSelector(`#editor[data-status="${s}"]`, { timeout: 15_000 });

/** Types through the input method path: composition events, then the committed text. */
async function imeType(page: Page, pinyin: string, committed: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  for (let i = 1; i <= pinyin.length; i++) {
    await cdp.send('Input.imeSetComposition', { text: pinyin.slice(0, i), selectionStart: i, selectionEnd: i });
  }
  await cdp.send('Input.insertText', { text: committed });
  await cdp.detach();
}

async function clickEnd(page: Page, selector: string): Promise<void> {
  await page.click(selector);
  await page.keyboard.press('End');
}

describe('co-editing in two browsers', () => {
  it('shows Chinese typed with an input method, renumbers inserted clauses and cross-references on both screens, shows cursors, merges offline edits and follows the read-only switch', async () => {
    const doc = docName();
    const alice = await open(browserA, doc, 'alice', 'SH');
    const bob = await open(browserB, doc, 'bob', 'ZJ');

    // Both see one skeleton, even though both browsers may have seeded it.
    expect(await alice.locator('section[data-type="scope"]').count()).toBe(1);
    await bob.waitForFunction(() => window.tongbiaoEditorHandle!.view.state.doc.childCount === 4);
    expect(await bob.locator('section[data-type="scope"]').count()).toBe(1);

    // Chinese through IME composition.
    await clickEnd(alice, 'section[data-type="scope"] p');
    await imeType(alice, 'shuizhi', '水质监测');
    await waitText(bob, '本文件规定了水质监测');
    expect(await text(bob)).not.toContain('shuizhi');

    // A composition that is still open while the other side types in the same paragraph commits intact.
    const cdp = await alice.context().newCDPSession(alice);
    await cdp.send('Input.imeSetComposition', { text: 'fang', selectionStart: 4, selectionEnd: 4 });
    await bob.click('section[data-type="scope"] p');
    await bob.keyboard.press('Home');
    await bob.keyboard.type('（联合发布）');
    await waitText(alice, '（联合发布）');
    await cdp.send('Input.imeSetComposition', { text: 'fangfa', selectionStart: 6, selectionEnd: 6 });
    await cdp.send('Input.insertText', { text: '方法' });
    await cdp.detach();
    await waitText(bob, '（联合发布）本文件规定了水质监测方法');
    expect(await text(alice)).toBe(await text(bob));
    expect(await text(bob)).not.toContain('fang');

    // A chapter with two clauses, and a cross-reference from 4.1 to 4.2.
    await alice.click('button[data-command="chapter"]');
    await alice.keyboard.type('总体要求');
    await alice.click('button[data-command="clauseAfter"]');
    await alice.keyboard.type('甲条');
    await alice.keyboard.press('Enter');
    await alice.keyboard.type('见');
    await alice.click('button[data-command="clauseAfter"]');
    await alice.keyboard.type('乙条');
    await alice.keyboard.press('Enter');
    await alice.keyboard.type('乙的正文');
    await clickEnd(alice, 'h2[data-label="4.1"] ~ p');
    await alice.click('button[data-command="xref"]');
    await alice.locator('.tb-dialog button', { hasText: '4.2　乙条' }).click();
    await bob.waitForSelector('span.tb-xref[data-label="4.2"]');
    expect(await bob.locator('h2[data-label="4"]').innerText()).toContain('总体要求');
    expect(await bob.locator('h2[data-label="4.2"]').innerText()).toContain('乙条');

    // Bob inserts a clause between 4.1 and 4.2: 4.2 becomes 4.3 on both screens, and so does the reference.
    await clickEnd(bob, 'h2[data-label="4.1"]');
    await bob.click('button[data-command="clauseAfter"]');
    await bob.keyboard.type('新条');
    for (const page of [alice, bob]) {
      await page.waitForSelector('h2[data-label="4.3"]:has-text("乙条")');
      await page.waitForSelector('h2[data-label="4.2"]:has-text("新条")');
      await page.waitForSelector('span.tb-xref[data-label="4.3"]');
    }
    // The outline shows the computed numbers.
    expect(await alice.locator('.tb-outline a', { hasText: '乙条' }).innerText()).toContain('4.3');

    // Each sees the other's cursor with the name; presence lists both with province.
    await alice.waitForSelector('.ProseMirror-yjs-cursor:has-text("bob")');
    await bob.waitForSelector('.ProseMirror-yjs-cursor:has-text("alice")');
    expect(await bob.locator('.tb-presence li').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('alice〔沪〕')]));

    // "Saved" only after the server acknowledged.
    await waitStatus(alice, 'saved');
    await waitStatus(bob, 'saved');

    // Alice loses the network and keeps typing; Bob types too; on reconnect both merge.
    await alice.evaluate(() => window.tongbiaoEditorHandle!.provider.disconnect());
    await waitStatus(alice, 'offline');
    await clickEnd(alice, 'section[data-type="scope"] p');
    await alice.keyboard.type('（离线）');
    await clickEnd(bob, 'h2[data-label="4.3"] ~ p');
    await bob.keyboard.type('（在线）');
    await waitText(bob, '乙的正文（在线）');
    await alice.waitForTimeout(500);
    expect(await text(alice)).not.toContain('（在线）');
    await alice.evaluate(() => window.tongbiaoEditorHandle!.provider.connect());
    await waitText(alice, '（在线）');
    await waitText(bob, '（离线）');
    await waitStatus(alice, 'saved');
    expect(await text(alice)).toBe(await text(bob));

    // The stage changes: Alice becomes read-only, then editable again.
    server.permissions.set(`alice@${doc}`, 'read');
    await server.collab.refreshPermissions(doc);
    await waitStatus(alice, 'readonly');
    expect(await alice.locator('.ProseMirror').getAttribute('contenteditable')).toBe('false');
    expect(await alice.locator('button[data-command="clauseAfter"]').isDisabled()).toBe(true);
    await clickEnd(bob, 'section[data-type="scope"] p');
    await bob.keyboard.type('B');
    await waitText(alice, '（离线）B');
    server.permissions.delete(`alice@${doc}`);
    await server.collab.refreshPermissions(doc);
    await alice.waitForSelector('.ProseMirror[contenteditable="true"]');
    await clickEnd(alice, 'section[data-type="scope"] p');
    await alice.keyboard.type('A');
    await waitText(bob, '（离线）BA');

    await alice.context().close();
    await bob.context().close();
  });

  it('undoes only the edits of the user who presses undo', async () => {
    const doc = docName();
    const alice = await open(browserA, doc, 'alice', 'SH');
    const bob = await open(browserB, doc, 'bob', 'JS');
    await clickEnd(alice, 'section[data-type="scope"] p');
    await alice.keyboard.type('AAA');
    await waitText(bob, 'AAA');
    await clickEnd(bob, 'section[data-type="foreword"] p');
    await bob.keyboard.type('BBB');
    await waitText(alice, 'BBB');
    await alice.keyboard.press('Control+z');
    await waitText(bob, '本文件规定了'); // still there
    await bob.waitForFunction(() => !window.tongbiaoEditorHandle!.view.state.doc.textContent.includes('AAA'));
    expect(await text(bob)).toContain('BBB');
    expect(await text(alice)).toContain('BBB');
    await alice.context().close();
    await bob.context().close();
  });
});

describe('structure merged out of shape', () => {
  it('merges two bibliographies created at the same time into one, keeping both entries, on both screens', async () => {
    const doc = docName();
    const alice = await open(browserA, doc, 'alice', 'SH');
    const bob = await open(browserB, doc, 'bob', 'JS');
    await alice.evaluate(() => window.tongbiaoEditorHandle!.provider.disconnect());
    await waitStatus(alice, 'offline');
    for (const [page, entry] of [[alice, '甲文献'], [bob, '乙文献']] as const) {
      await page.click('section[data-type="scope"] p');
      await page.click('button[data-command="bibliography"]');
      await page.keyboard.type(entry);
    }
    await alice.evaluate(() => window.tongbiaoEditorHandle!.provider.connect());
    for (const page of [alice, bob]) {
      await page.waitForFunction(() => {
        const d = window.tongbiaoEditorHandle!.view.state.doc;
        let bibs = 0;
        d.forEach((c) => {
          if (c.type.name === 'bibliography') bibs++;
        });
        return bibs === 1 && d.textContent.includes('甲文献') && d.textContent.includes('乙文献');
      }, null, { timeout: 15_000 });
    }
    await bob.waitForSelector('div[data-type="bibliographyEntry"][data-label="[2]"]');
    await waitStatus(alice, 'saved');
    await waitStatus(bob, 'saved');
    expect(await text(alice)).toBe(await text(bob));
    await alice.context().close();
    await bob.context().close();
  });
});

describe('the editor in one browser', () => {
  it('inserts every element from the toolbar with computed numbers, uploads figure images and jumps from the outline', async () => {
    const doc = docName();
    const page = await open(browserA, doc, 'carol', 'JS');
    // Term entry 3.1 with its fields.
    await page.click('section[data-type="termsAndDefinitions"] p');
    await page.click('button[data-command="term"]');
    await page.keyboard.type('监测点位');
    await page.keyboard.press('Enter');
    await page.keyboard.type('monitoring site');
    await page.waitForSelector('section[data-type="termEntry"][data-label="3.1"]');
    // Normative reference with code/number/year from the properties panel.
    await page.click('button[data-command="reference"]');
    await page.keyboard.type('地表水环境质量标准');
    await page.fill('fieldset[data-props-for="referenceEntry"] input[data-attr="code"]', 'GB');
    await page.fill('fieldset[data-props-for="referenceEntry"] input[data-attr="number"]', '3838');
    await page.fill('fieldset[data-props-for="referenceEntry"] input[data-attr="year"]', '2002');
    await page.waitForSelector('div[data-type="referenceEntry"][data-label="GB 3838—2002"]');
    // Chapter 4 with a clause, a note, a list, a table, a figure and a formula.
    await page.click('section[data-type="scope"] p');
    await page.click('button[data-command="chapter"]');
    await page.keyboard.type('要求');
    await page.click('button[data-command="clauseAfter"]');
    await page.keyboard.type('一般要求');
    await page.keyboard.press('Enter');
    await page.keyboard.type('应符合下列要求：');
    await page.click('button[data-command="listLetter"]');
    await page.keyboard.type('第一项；');
    await page.keyboard.press('Enter');
    await page.keyboard.type('第二项。');
    await page.waitForSelector('p[data-label="b)"]');
    await page.click('button[data-command="note"]');
    await page.keyboard.type('注的内容');
    await page.waitForSelector('p.tb-note-first[data-label="注"]');
    await page.click('button[data-command="note"]');
    await page.waitForSelector('p.tb-note-first[data-label="注2"]');
    await page.click('button[data-command="table"]');
    await page.keyboard.type('限值');
    await page.waitForSelector('figcaption[data-label="表1"]');
    const chooser = page.waitForEvent('filechooser');
    await page.click('button[data-command="figure"]');
    await (await chooser).setFiles({ name: 'map.png', mimeType: 'image/png', buffer: Buffer.from('89504e470d0a1a0a', 'hex') });
    await page.waitForSelector('figure[data-type="figure"] img[src="/uploads/1.png"]');
    await page.keyboard.type('点位图');
    await page.waitForSelector('figcaption[data-label="图1"]');
    await page.click('button[data-command="formula"]');
    await page.keyboard.type('n = W / w');
    await page.waitForSelector('div[data-type="formulaText"][data-label="(1)"]');
    // Annex A (normative) with a table numbered 表A.1.
    await page.click('button[data-command="annexNormative"]');
    await page.keyboard.type('质量控制');
    await page.waitForSelector('h2[data-label="附录A"][data-qualifier="（规范性）"]');
    await page.click('button[data-command="table"]');
    await page.waitForSelector('figcaption[data-label="表A.1"]');
    // A list pasted from a word processor becomes a GB/T list with a second level.
    await page.click('h2[data-label="4.1"] ~ p');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.setData('text/html', '<ol type="a"><li>粘贴一<ol><li>子项</li></ol></li><li>粘贴二</li></ol>');
      data.setData('text/plain', '粘贴一 子项 粘贴二');
      document.querySelector('.ProseMirror')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    await page.waitForSelector('p[data-label="b)"]:has-text("粘贴二")');
    await page.waitForSelector('div[data-type="sublist"] p[data-label="1)"]:has-text("子项")');
    // The outline jumps to a clause.
    await page.locator('.tb-outline a', { hasText: '一般要求' }).click();
    const where = await page.evaluate(() => window.tongbiaoEditorHandle!.view.state.selection.$from.parent.textContent);
    expect(where).toBe('一般要求');
    expect(server.uploads).toBeGreaterThanOrEqual(1);
    await waitStatus(page, 'saved');
    // A cold reload shows the same document from the server.
    const before = await text(page);
    await page.reload();
    await page.waitForSelector('#editor[data-synced="true"] .ProseMirror');
    expect(await text(page)).toBe(before);
    await page.context().close();
  });

  it('creates clauses and notes with keyboard shortcuts and moves a clause down a level with Tab', async () => {
    const doc = docName();
    const page = await open(browserA, doc, 'erin', 'ZJ');
    await page.click('section[data-type="scope"] p');
    await page.click('button[data-command="chapter"]');
    await page.keyboard.type('要求');
    await page.keyboard.press('Control+Enter');
    await page.keyboard.type('第一条');
    await page.waitForSelector('h2[data-label="4.1"]:has-text("第一条")');
    await page.keyboard.press('Control+Enter');
    await page.keyboard.type('第二条');
    await page.waitForSelector('h2[data-label="4.2"]:has-text("第二条")');
    await page.keyboard.press('Tab');
    await page.waitForSelector('h2[data-label="4.1.1"]:has-text("第二条")');
    await page.keyboard.press('Shift+Tab');
    await page.waitForSelector('h2[data-label="4.2"]:has-text("第二条")');
    // Pasting a copy of clause 4.1 (same id on the clipboard) gives the copy a new id, and undo removes it.
    // (Edits less than 500 ms apart form one undo step; wait so that the paste is a step of its own.)
    await page.waitForTimeout(700);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    const firstId = await page.evaluate(() => window.tongbiaoEditorHandle!.numbering().outline.find((o) => o.title === '第一条')!.id!);
    await page.evaluate((id) => {
      const data = new DataTransfer();
      data.setData('text/html', `<section data-type="clause1" data-id="${id}"><h2 data-type="heading">第一条</h2><p data-id="x">复制的正文</p></section>`);
      document.querySelector('.ProseMirror')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, firstId);
    await page.waitForFunction(() => window.tongbiaoEditorHandle!.numbering().outline.filter((o) => o.title === '第一条').length === 2);
    const copies = await page.evaluate(() => window.tongbiaoEditorHandle!.numbering().outline.filter((o) => o.title === '第一条').map((o) => o.id));
    expect(copies[0]).toBe(firstId);
    expect(copies[1]).not.toBe(firstId);
    await page.keyboard.press('Control+z');
    await page.waitForFunction(() => window.tongbiaoEditorHandle!.numbering().outline.filter((o) => o.title === '第一条').length === 1);
    expect(await text(page)).not.toContain('复制的正文');
    expect(await text(page)).toContain('第二条');
    await clickEnd(page, 'h2[data-label="4.2"]');
    await page.keyboard.press('Control+Alt+n');
    await page.keyboard.type('注文');
    await page.waitForSelector('p.tb-note-first[data-label="注"]:has-text("注文")');
    await page.keyboard.press('Control+z');
    await page.waitForFunction(() => !window.tongbiaoEditorHandle!.view.state.doc.textContent.includes('注文'));
    await page.context().close();
  });

  it('shows that a user without access is refused and stops reconnecting', async () => {
    const doc = docName();
    server.permissions.set(`mallory@${doc}`, 'none');
    const refusedBefore = server.refusals;
    const page = await (await browserA.newContext()).newPage();
    await page.goto(server.pageUrl(doc, 'mallory'));
    await waitStatus(page, 'refused');
    await page.waitForTimeout(2000); // y-websocket would retry within 100 ms … 2.5 s
    expect(await status(page)).toBe('refused');
    expect(server.refusals - refusedBefore).toBe(1);
    expect(server.collab.stats().connections).toBe(0);
    await page.context().close();

    // Access withdrawn while editing: the editor stops editing and says so.
    const editor = await open(browserA, doc, 'victor', 'JS');
    await waitStatus(editor, 'saved');
    server.permissions.set(`victor@${doc}`, 'none');
    await server.collab.refreshPermissions(doc);
    await waitStatus(editor, 'refused');
    expect(await editor.locator('.ProseMirror').getAttribute('contenteditable')).toBe('false');
    await editor.context().close();
  });

  it('shows a stored version read-only with its computed numbers and outline, without collaboration', async () => {
    const page = await (await browserB.newContext()).newPage();
    await page.goto(`${server.url}/view`);
    await page.waitForSelector('#editor[data-status="ready"]');
    expect(await page.locator('.ProseMirror').getAttribute('contenteditable')).toBe('false');
    await page.waitForSelector('h2[data-label="附录B"][data-qualifier="（资料性）"]');
    await page.waitForSelector('figcaption[data-label="表A.1"]');
    await page.waitForSelector('div[data-type="formulaText"][data-label="(B.2)"]');
    await page.waitForSelector('span.tb-xref[data-label="5.2"]');
    expect(await page.locator('.tb-outline a', { hasText: '平行样' }).innerText()).toContain('A.2');
    await page.context().close();
  });

  it('opens read-only for a reader and never lets them edit', async () => {
    const doc = docName();
    const writer = await open(browserA, doc, 'dave', 'SH');
    await clickEnd(writer, 'section[data-type="scope"] p');
    await writer.keyboard.type('只读测试');
    await waitStatus(writer, 'saved');
    const reader = await open(browserB, doc, 'reader1', undefined, { readonly: true });
    await waitStatus(reader, 'readonly');
    await waitText(reader, '只读测试');
    expect(await reader.locator('.ProseMirror').getAttribute('contenteditable')).toBe('false');
    expect(await status(reader)).toBe('readonly');
    await writer.context().close();
    await reader.context().close();
  });
});
