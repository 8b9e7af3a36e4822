// Issue 12 item 10, in the browser editor: real Chromium (playwright-core), the real bundle
// (public/build/editor.js) and the real collaboration server. The outline and the findings pane stay in
// view below the toolbar, Tab in a table's last cell adds a row and the header row stands out, a cut network
// shows as offline, and the one-click fix of a hanging paragraph converts it in place.
import type { Page } from 'playwright-core';
import { editorSuite } from './editor-suite';
import { randomBytes } from 'node:crypto';
import { chapter, clause, docJSON, foreword, h, normativeReferences, p, scope, termsAndDefinitions } from '../../editor/builders';
import type { NodeJSON } from '../../editor/types';

jest.setTimeout(120_000);

const suite = editorSuite('editorux');

const docName = (): string => `ux-${randomBytes(4).toString('hex')}`;

async function open(doc: string, user: string, viewport = { width: 1366, height: 900 }): Promise<Page> {
  const page = await (await suite.browser.newContext({ viewport })).newPage();
  page.on('pageerror', (e) => console.error(`[${user}] page error`, e));
  await page.goto(suite.server.pageUrl(doc, user, { province: 'SH', page: true }));
  await page.waitForSelector('#editor[data-synced="true"] .ProseMirror');
  await page.waitForFunction(() => window.tongbiaoEditorHandle !== undefined);
  return page;
}

/** Appends top-level nodes (chapters) to the document. */
async function append(page: Page, nodes: NodeJSON[]): Promise<void> {
  await page.evaluate((content) => {
    const view = window.tongbiaoEditorHandle!.view;
    view.dispatch(view.state.tr.insert(view.state.doc.content.size, content.map((n) => view.state.schema.nodeFromJSON(n))));
  }, nodes);
}

const chaptersOf = (...nodes: Parameters<typeof docJSON>): NodeJSON[] =>
  (docJSON(foreword(p('前言')), scope(p('范围')), normativeReferences(), termsAndDefinitions(), ...nodes).content ?? []).filter((n) => n.type === 'chapter');

const rect = (page: Page, selector: string): Promise<{ top: number; bottom: number }> =>
  page.locator(selector).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom };
  });

describe('editor panes, tables, offline state and one-click fixes (issue 12 item 10)', () => {
  it('keeps the outline and the findings pane in view below the toolbar while the draft scrolls (1366×900)', async () => {
    const page = await open(docName(), 'una');
    const long = Array.from({ length: 30 }, (_, c) => chapter(h(`章${c}`), p('监测单位必须按本章要求采样。'.repeat(8)), p('本章的其余要求。'.repeat(20))));
    await append(page, chaptersOf(...long));
    await page.waitForSelector('.tb-findings .tb-finding-item');
    for (const y of [0, 3000, 1e6]) {
      await page.evaluate((top) => window.scrollTo(0, top), y);
      await page.waitForTimeout(100);
      const toolbar = await rect(page, '.tb-toolbar');
      for (const heading of ['.tb-outline h3', '.tb-findings h3']) {
        const r = await rect(page, heading);
        // Below the toolbar (not covered by it) and inside the window.
        expect(r.top).toBeGreaterThanOrEqual(toolbar.bottom - 0.5);
        expect(r.bottom).toBeLessThanOrEqual(900);
      }
    }
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(3000);
    await page.context().close();
  });

  it('adds a row on Tab in the last cell of a table, and shows the header row distinctly', async () => {
    const page = await open(docName(), 'vic');
    await page.click('section[data-type="scope"] p');
    await page.click('button[data-command="chapter"]');
    await page.keyboard.type('要求');
    await page.click('button[data-command="table"]');
    const rows = page.locator('.ProseMirror table tr');
    expect(await rows.count()).toBe(3);
    await page.click('.ProseMirror table tr:last-child td:last-child p');
    await page.keyboard.type('末格');
    await page.keyboard.press('Tab');
    await page.waitForFunction(() => document.querySelectorAll('.ProseMirror table tr').length === 4);
    await page.keyboard.type('新行');
    expect(await page.locator('.ProseMirror table tr:last-child td').first().innerText()).toBe('新行');
    expect(await page.locator('.ProseMirror table tr:nth-child(3) td:last-child').innerText()).toBe('末格');
    // Tab elsewhere in the table still moves to the next cell.
    await page.click('.ProseMirror table tr:first-child th:first-child p');
    await page.keyboard.press('Tab');
    await page.keyboard.type('表头二');
    expect(await page.locator('.ProseMirror table tr:first-child th:nth-child(2)').innerText()).toBe('表头二');
    expect(await rows.count()).toBe(4);
    const look = (sel: string): Promise<string> =>
      page.locator(sel).first().evaluate((el) => {
        const s = getComputedStyle(el);
        return s.backgroundColor;
      });
    expect(await look('.ProseMirror table th')).not.toBe(await look('.ProseMirror table td'));
    await page.context().close();
  });

  it('says offline, not 保存中…, while the network is cut, and 已保存 again after reconnecting', async () => {
    const doc = docName();
    const page = await open(doc, 'wen');
    await page.click('section[data-type="scope"] p');
    await page.keyboard.press('End');
    await page.keyboard.type('联网');
    await page.waitForSelector('#editor[data-status="saved"]');
    await page.context().setOffline(true);
    await page.keyboard.type('断网时的修改');
    await page.waitForSelector('#editor[data-status="offline"]', { timeout: 5_000 });
    expect(await page.locator('.tb-status').innerText()).toContain('离线');
    await page.waitForTimeout(1500);
    expect(await page.locator('.tb-status').getAttribute('data-status')).toBe('offline');
    await page.context().setOffline(false);
    await page.waitForSelector('#editor[data-status="saved"]', { timeout: 15_000 });
    expect(await page.locator('.tb-status').innerText()).toBe('已保存');
    // Stored on the server: a new reader sees the offline edit.
    const reader = await open(doc, 'xia');
    await reader.waitForFunction(() => window.tongbiaoEditorHandle!.view.state.doc.textContent.includes('断网时的修改'), undefined, { timeout: 15_000 });
    await Promise.all([page.context().close(), reader.context().close()]);
  });

  it('fixes a hanging paragraph in place with one click: it becomes the untitled first sub-clause', async () => {
    const page = await open(docName(), 'yan');
    await append(page, chaptersOf(chapter(h('要求'), p('悬置的段落'), clause(h('甲条'), p('甲')), clause(h('乙条'), p('乙')))));
    const paragraphId = await page.evaluate(() => {
      let id = '';
      window.tongbiaoEditorHandle!.view.state.doc.descendants((n) => {
        if (n.type.name === 'paragraph' && n.textContent === '悬置的段落') id = n.attrs.id as string;
        return true;
      });
      return id;
    });
    const fix = page.locator('.tb-finding-item[data-rule="hanging-paragraph"] button[data-fix="hanging-paragraph"]');
    await fix.waitFor();
    expect(await fix.innerText()).toBe('改为无标题条');
    await fix.click();
    await page.waitForSelector('.tb-finding-item[data-rule="hanging-paragraph"]', { state: 'detached' });
    // Converted in place: 4.1 is the former hanging paragraph; 甲条, 乙条 follow as 4.2, 4.3; nothing appended.
    const untitled = page.locator('section[data-type="chapter"] > section[data-type="clause1"]').first().locator('> p');
    expect(await untitled.getAttribute('data-label')).toBe('4.1');
    expect(await untitled.innerText()).toBe('悬置的段落');
    expect(await page.locator('h2[data-label="4.2"]').innerText()).toBe('甲条');
    expect(await page.locator('h2[data-label="4.3"]').innerText()).toBe('乙条');
    expect(await page.locator('[data-label="4.4"]').count()).toBe(0);
    const json = await page.evaluate(() => window.tongbiaoEditorHandle!.view.state.doc.toJSON() as NodeJSON);
    const ch = (json.content ?? []).find((n) => n.type === 'chapter')!;
    expect((ch.content ?? []).map((n) => n.type)).toEqual(['heading', 'clause1', 'clause1', 'clause1']);
    expect(ch.content![1].content![0].attrs?.id).toBe(paragraphId);
    await page.context().close();
  });
});
