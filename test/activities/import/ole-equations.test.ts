// Equation objects whose preview is a Windows metafile (Equation Editor 3: WMF; MathType: EMF) are kept as
// pictures: the import renders the previews to PNG with LibreOffice and pdftocairo (one run for all of
// them, cached by content), the formula keeps its place and number and shows the picture, the report lists
// it, and the generated DOCX prints the picture in the formula line. Without the tools the import still
// succeeds with placeholders and says so. The public draft page shows the stored pictures.
import { inflateSync } from 'node:zlib';
import JSZip from 'jszip';
import { createConversionCache, importWordFile } from '../../../activities/import';
import { generateStandardDocx } from '../../../activities/docx/generate';
import { richStandardRecord } from '../../../activities/docx/fixtures/rich-standard';
import { computeNumbering } from '../../../editor/numbering';
import { renderDraftHtml } from '../../../server/comments/draft-html';
import type { NodeJSON } from '../../../editor/types';
import { emfFigureDocx, emfRectangle, oleEquationsDocx, wmfFormula } from '../../fixtures/import/metafiles';

jest.setTimeout(180_000);

function find(n: NodeJSON, type: string, out: NodeJSON[] = []): NodeJSON[] {
  if (n.type === type) out.push(n);
  for (const c of n.content ?? []) find(c, type, out);
  return out;
}
const formulas = (n: NodeJSON): NodeJSON[] => find(n, 'formula');

/** PNG → width, height and the number of dark samples (the picture is not blank). */
function inspectPng(png: Buffer): { width: number; height: number; dark: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const chunks: Buffer[] = [];
  for (let i = 8; i < png.length; ) {
    const len = png.readUInt32BE(i);
    if (png.toString('latin1', i + 4, i + 8) === 'IDAT') chunks.push(png.subarray(i + 8, i + 8 + len));
    i += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(chunks));
  let dark = 0;
  for (const b of raw) if (b < 64) dark++;
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), dark };
}

const pngOf = (src: unknown): Buffer => {
  const m = /^data:image\/png;base64,(.+)$/.exec(String(src));
  if (!m) throw new Error(`not a PNG data URL: ${String(src).slice(0, 40)}`);
  return Buffer.from(m[1], 'base64');
};

describe('Word import: equation objects with WMF/EMF previews', () => {
  let file: Buffer;
  beforeAll(async () => {
    file = await oleEquationsDocx([
      { ext: 'wmf', bytes: wmfFormula('x = a + b'), progId: 'Equation.3' },
      { ext: 'emf', bytes: emfRectangle(), progId: 'Equation.DSMT4' },
    ]);
  });

  it('renders the previews to PNG, shows them in the numbered formulas and lists them in the report', async () => {
    const conversions = createConversionCache();
    const r = await importWordFile(file, { conversions });
    const found = r.doc.content.flatMap((n) => formulas(n));
    expect(found).toHaveLength(2);
    const numbering = computeNumbering(r.doc);
    expect(found.map((f) => numbering.byId[String(f.attrs?.id)]?.label)).toEqual(['(1)', '(2)']);
    // Real pictures, of the metafiles' sizes at 192 dpi (72 pt × 24 pt → 192 × 64 px; 20 mm × 6 mm → 151 × 45 px).
    const wmf = inspectPng(pngOf(found[0].attrs?.src));
    const emf = inspectPng(pngOf(found[1].attrs?.src));
    expect(wmf.width).toBeGreaterThanOrEqual(190);
    expect(wmf.width).toBeLessThanOrEqual(194);
    expect(emf.width).toBeGreaterThanOrEqual(149);
    expect(emf.width).toBeLessThanOrEqual(154);
    expect(wmf.dark).toBeGreaterThan(100);
    expect(emf.dark).toBeGreaterThan(1000);
    expect(r.metafiles.converted.sort()).toEqual(['word/media/image1.wmf', 'word/media/image2.emf']);
    expect(r.metafiles.kept).toEqual([]);
    // The report lists both, with the same pictures, and says they are shown as pictures.
    expect(r.report.formulaIssues.map((f) => [f.kind, f.progId, f.src === found[r.report.formulaIssues.indexOf(f)].attrs?.src])).toEqual([
      ['oleEquation', 'Equation.3', true],
      ['oleEquation', 'Equation.DSMT4', true],
    ]);
    expect(r.report.formulaIssues[0].zh).toContain('以其图片显示');
    expect(r.report.warnings.some((w) => /WMF\/EMF/.test(w.zh))).toBe(false);
    // The reference to formula (1) still resolves.
    expect(r.report.crossReferences.unresolved).toEqual([]);

    // Preview and confirmation import the same bytes: the pictures are rendered once.
    const before = conversions.conversions;
    const again = await importWordFile(file, { conversions });
    expect(conversions.conversions).toBe(before);
    expect(again.doc.content.flatMap((n) => formulas(n)).map((f) => f.attrs?.src)).toEqual(found.map((f) => f.attrs?.src));
  });

  it('prints the pictures in the formula lines of the generated DOCX', async () => {
    const r = await importWordFile(file);
    const out = await generateStandardDocx({ record: richStandardRecord(), body: r.doc, edition: 'joint' });
    const zip = await JSZip.loadAsync(out);
    const media = Object.keys(zip.files).filter((n) => n.startsWith('word/media/'));
    expect(media).toHaveLength(2);
    const xml = await zip.file('word/document.xml')!.async('string');
    // Each formula line: the picture, then the SEQ number field; the placeholder text is not printed.
    const lines = xml.split('</w:p>').filter((para) => para.includes('SEQ 公式'));
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toContain('<w:drawing>');
    expect(xml).not.toContain('[公式图片]');
    // Printed at the real size: 72 pt × 24 pt = 914,400 × 304,800 EMU (within a pixel).
    expect(lines[0]).toMatch(/<wp:extent cx="914400" cy="3[01]\d{4}"\/>/);
  });

  it('shows a figure whose picture is an EMF (pasted from another program) as PNG too', async () => {
    const r = await importWordFile(await emfFigureDocx());
    const [figure] = r.doc.content.flatMap((n) => find(n, 'figure'));
    expect(figure).toBeDefined();
    const png = inspectPng(pngOf(figure.attrs?.src));
    expect(png.dark).toBeGreaterThan(1000);
    expect(r.report.elements.find((e) => e.kind === 'figure')).toMatchObject({ number: '1', title: '断面图' });
  });

  it('imports with placeholders and says why when the pictures cannot be rendered', async () => {
    const r = await importWordFile(file, { metafileTools: { soffice: '/nonexistent/soffice' } });
    const found = r.doc.content.flatMap((n) => formulas(n));
    expect(found.map((f) => f.attrs?.src ?? '')).toEqual(['', '']);
    expect(JSON.stringify(found)).toContain('[公式图片]');
    expect(r.metafiles.kept).toHaveLength(2);
    expect(r.report.formulaIssues.map((f) => f.src)).toEqual(['', '']);
    const warning = r.report.warnings.find((w) => /WMF\/EMF/.test(w.zh));
    expect(warning?.en).toContain('2 WMF/EMF pictures');
    expect(JSON.stringify(r.report)).not.toContain('/nonexistent');
  });

  it('stores the rendered pictures with the figures when a picture store is given', async () => {
    const stored = new Map<string, Buffer>();
    const r = await importWordFile(file, {
      storePictures: async (used) => {
        for (const [k, v] of used) stored.set(k, Buffer.from(v));
        return new Map([...used.keys()].map((k, i) => [k, `/images/${String(i).repeat(24)}`]));
      },
    });
    expect([...stored.keys()].sort()).toEqual(['word/media/image1.wmf', 'word/media/image2.emf']);
    for (const png of stored.values()) expect(inspectPng(png).dark).toBeGreaterThan(0);
    const srcs = r.doc.content.flatMap((n) => formulas(n)).map((f) => String(f.attrs?.src));
    for (const s of srcs) expect(s).toMatch(/^\/images\/\d{24}$/);
    expect(r.report.formulaIssues.map((f) => f.src)).toEqual(srcs);
    // The public draft page shows the picture too (not content: the placeholder text stays for anchors).
    const html = renderDraftHtml(r.doc, { clauses: new Map(), commentHref: () => null });
    for (const s of srcs) expect(html).toContain(`<img data-nc class="formula-picture" src="${s}" alt="公式图片">`);
  });
});
