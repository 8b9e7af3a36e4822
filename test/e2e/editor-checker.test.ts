// Drafting-rule findings in the browser editor: real Chromium (playwright-core), the real bundle
// (public/build/editor.js) and the real collaboration server. A rule broken while typing shows up in the
// findings pane and as a mark on the clause shortly after the typing stops, and goes away when fixed.
import type { Page } from 'playwright-core';
import { editorSuite } from './editor-suite';
import { randomBytes } from 'node:crypto';
import { chapter, clause, docJSON, foreword, h, li, list, normativeReferences, note, p, scope, table, termsAndDefinitions } from '../../editor/builders';

jest.setTimeout(120_000);


const suite = editorSuite('checkere2e');

async function open(doc: string, user: string, lang = 'zh'): Promise<Page> {
  const page = await (await suite.browser.newContext()).newPage();
  page.on('pageerror', (e) => console.error(`[${user}] page error`, e));
  await page.goto(suite.server.pageUrl(doc, user, { province: 'SH', lang }));
  await page.waitForSelector('#editor[data-synced="true"] .ProseMirror');
  await page.waitForFunction(() => window.tongbiaoEditorHandle !== undefined);
  return page;
}

const item = (rule: string): string => `.tb-findings .tb-finding-item[data-rule="${rule}"]`;

describe('drafting-rule findings next to the clause', () => {
  it('shows a broken rule in the pane and on the clause after typing stops, jumps to it, and clears it when fixed', async () => {
    const doc = `checker-${randomBytes(4).toString('hex')}`;
    const page = await open(doc, 'dora');
    await page.waitForSelector('.tb-findings .tb-findings-summary');

    // Chapter 4 with a single clause 4.1: a lone sub-clause (an error), marked on clause 4.1.
    await page.click('section[data-type="scope"] p');
    await page.click('button[data-command="chapter"]');
    await page.keyboard.type('要求');
    await page.keyboard.press('Control+Enter');
    await page.keyboard.type('第一条');
    await page.waitForSelector(`${item('lone-subclause')}.tb-finding-item-error`);
    expect(await page.locator(item('lone-subclause')).innerText()).toContain('只有一个下级条');
    const lone = page.locator('section.tb-finding-error[data-finding-rules~="lone-subclause"]');
    await lone.waitFor();
    expect(await lone.locator('> h2').getAttribute('data-label')).toBe('4.1');
    expect(await lone.getAttribute('title')).toContain('只有一个下级条');
    expect(Number(await page.locator('.tb-findings').getAttribute('data-errors'))).toBeGreaterThanOrEqual(1);

    // A second clause fixes it: the finding and the mark go away.
    await page.keyboard.press('Control+Enter');
    await page.keyboard.type('第二条');
    await page.waitForSelector(item('lone-subclause'), { state: 'detached' });
    expect(await page.locator('[data-finding-rules~="lone-subclause"]').count()).toBe(0);

    // 必须 in a provision: a warning on that paragraph, with the message as its tooltip.
    await page.keyboard.press('Enter');
    await page.keyboard.type('排放浓度必须达标');
    await page.waitForSelector(`${item('forbidden-modal')}.tb-finding-item-warning`);
    expect(await page.locator(item('forbidden-modal')).innerText()).toContain('必须');
    const marked = page.locator('p.tb-finding-warning[data-finding-rules~="forbidden-modal"]');
    await marked.waitFor();
    expect(await marked.innerText()).toContain('排放浓度必须达标');
    expect(await marked.getAttribute('title')).toContain('「必须」');

    // A click in the pane puts the cursor into the paragraph at fault.
    await page.click('section[data-type="scope"] p');
    await page.click(item('forbidden-modal'));
    expect(await page.evaluate(() => window.tongbiaoEditorHandle!.view.state.selection.$from.parent.textContent)).toBe('排放浓度必须达标');

    // Replacing 必须 with 应 clears it.
    await page.keyboard.press('End');
    for (let i = 0; i < 4; i++) await page.keyboard.press('Backspace');
    await page.keyboard.type('应达标');
    await page.waitForSelector(item('forbidden-modal'), { state: 'detached' });
    expect(await page.locator('[data-finding-rules~="forbidden-modal"]').count()).toBe(0);
    expect(await page.evaluate(() => window.tongbiaoEditorHandle!.findings().map((f) => f.ruleId))).not.toContain('forbidden-modal');
    await page.context().close();
  });

  it('shows the findings of a co-author’s edit in the reader’s own language', async () => {
    const doc = `checker-${randomBytes(4).toString('hex')}`;
    const zh = await open(doc, 'erik');
    const en = await open(doc, 'fay', 'en');
    await zh.click('section[data-type="scope"] p');
    await zh.click('button[data-command="chapter"]');
    await zh.keyboard.type('要求');
    await zh.keyboard.press('Enter');
    await zh.keyboard.type('设备需要定期校准');
    await en.waitForSelector(item('forbidden-modal'));
    expect(await en.locator(item('forbidden-modal')).innerText()).toContain('in a provision');
    expect(await en.locator('.tb-findings h3').innerText()).toBe('Drafting rules');
    expect(await en.locator('p.tb-finding-warning').getAttribute('title')).toContain('"需要"');
    await Promise.all([zh.context().close(), en.context().close()]);
  });

  it('checks a 1.5 MB draft in the browser within a fraction of a second after the typing stops', async () => {
    const PARA = '本文件规定了长三角生态绿色一体化发展示范区地表水环境质量监测的点位布设、样品采集、分析方法和质量控制要求。'.repeat(2);
    const chapters = [];
    for (let c = 0; c < 39; c++) {
      const clauses = [];
      for (let k = 0; k < 15; k++) {
        clauses.push(clause(h(`条${k}`), p(k % 5 === 0 ? '监测单位必须按本条要求采样。' : PARA), p(PARA), note(p('注')), clause(h('下级'), p(PARA)), clause(h('下级二'), p(PARA), list(li('甲'), li('乙')), table('表题', [['a', 'b'], ['1', '2']]))));
      }
      chapters.push(chapter(h(`章${c}`), ...clauses));
    }
    const big = (docJSON(foreword(p('前言')), scope(p('范围')), normativeReferences(), termsAndDefinitions(), ...chapters).content ?? []).filter((n) => n.type === 'chapter');
    expect(JSON.stringify(big).length).toBeGreaterThan(1_400_000);
    const page = await open(`checker-${randomBytes(4).toString('hex')}`, 'gus');
    await page.evaluate((content) => {
      const view = window.tongbiaoEditorHandle!.view;
      const nodes = content.map((n) => view.state.schema.nodeFromJSON(n));
      view.dispatch(view.state.tr.insert(view.state.doc.content.size, nodes));
    }, big);
    await page.waitForFunction(() => Number(document.querySelector('.tb-findings')?.getAttribute('data-warnings')) >= 39 * 3, undefined, { timeout: 30_000 });
    // Measured again now that the document is settled: the time of one check as the pane runs it.
    const ms = await page.evaluate(() => {
      const start = performance.now();
      window.tongbiaoEditorHandle!.checkNow();
      return performance.now() - start;
    });
    console.log(`drafting-rule check of a 1.5 MB draft in Chromium: ${ms.toFixed(0)} ms (pane: ${await page.locator('.tb-findings').getAttribute('data-check-ms')} ms)`);
    expect(ms).toBeLessThan(1000);
    expect(await page.locator('.tb-findings-list > li').count()).toBeLessThanOrEqual(201);
    expect(await page.locator('p[data-finding-rules~="forbidden-modal"]').count()).toBe(39 * 3);
    await page.context().close();
  });
});
