// A formula kept as a picture (an imported equation object, formula `src`) in the browser editor: real
// Chromium, the real bundle and collaboration server. The picture shows in the formula with its number,
// its placeholder text stays editable, and a co-author's editor shows the same picture.
import type { Page } from 'playwright-core';
import { randomBytes } from 'node:crypto';
import { editorSuite } from './editor-suite';
import { barChartPng } from '../../activities/docx/fixtures/png';

jest.setTimeout(120_000);

const suite = editorSuite('formulapic');

// A real 12 × 8 PNG.
const PNG = `data:image/png;base64,${barChartPng(12, 8, 2, 1).toString('base64')}`;

async function open(doc: string, user: string): Promise<Page> {
  const page = await (await suite.browser.newContext()).newPage();
  page.on('pageerror', (e) => console.error(`[${user}] page error`, e));
  await page.goto(suite.server.pageUrl(doc, user, { province: 'SH', lang: 'zh' }));
  await page.waitForSelector('#editor[data-synced="true"] .ProseMirror');
  await page.waitForFunction(() => window.tongbiaoEditorHandle !== undefined);
  return page;
}

describe('a formula kept as a picture in the editor', () => {
  it('shows the picture with the formula number, for every co-author', async () => {
    const doc = `formula-picture-${randomBytes(4).toString('hex')}`;
    const page = await open(doc, 'gina');
    await page.click('section[data-type="scope"] p');
    await page.click('button[data-command="chapter"]');
    await page.keyboard.type('计算');
    await page.keyboard.press('Enter');
    await page.keyboard.type('浓度按下式计算：');
    await page.evaluate((src) => {
      const view = window.tongbiaoEditorHandle!.view;
      const { state } = view;
      const formula = state.schema.nodeFromJSON({ type: 'formula', attrs: { src }, content: [{ type: 'formulaText', content: [{ type: 'text', text: '[公式图片]' }] }] });
      view.dispatch(state.tr.insert(state.selection.$from.after(), formula));
    }, PNG);
    const img = page.locator('div[data-type="formula"] > img.tb-formulaPicture');
    await img.waitFor();
    expect(await img.getAttribute('src')).toBe(PNG);
    expect(await page.locator('div[data-type="formula"]').getAttribute('data-src')).toBe(PNG);
    expect(await page.locator('div[data-type="formula"] div[data-type="formulaText"]').innerText()).toContain('[公式图片]');
    expect(await page.locator('div[data-type="formula"] div[data-type="formulaText"]').getAttribute('data-label')).toBe('(1)');
    // The picture is decoded (a real image, not a broken one).
    await page.waitForFunction(() => (document.querySelector('div[data-type="formula"] > img') as HTMLImageElement | null)?.complete === true);
    expect(await img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(12);

    const other = await open(doc, 'hugo');
    const seen = other.locator('div[data-type="formula"] > img.tb-formulaPicture');
    await seen.waitFor();
    expect(await seen.getAttribute('src')).toBe(PNG);
    await other.context().close();
    await page.context().close();
  });
});
