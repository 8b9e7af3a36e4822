// Redline numbers and formatting (issue 13): in the 修改对照稿 every element is numbered as in the version it
// belongs to — after 图1 is deleted the kept 图2 prints 图1 (as in the newer version), the deleted one its old
// 图1 struck through; a cross-reference to a renumbered target shows the old number deleted and the new one
// inserted (「见5.2」 → 「见5.3」 after a clause is inserted before it), one inside a deleted paragraph its old
// number deleted; a character changed in a paragraph with formatting is tracked alone, not the whole paragraph;
// a formatting-only change is tracked; a figure deleted whole has its picture deleted with it, a formula its
// number (text, not a SEQ field). Checked in document.xml and in LibreOffice's own PDF with changes shown (one
// conversion), and against the ECMA-376 schemas.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { formatSchemaErrors, validateOoxml } from '../../../scripts/ooxml-validate';
import { richStandardBody, richStandardRecord } from '../../../activities/docx/fixtures/rich-standard';
import { richStandardRevised } from '../../../activities/docx/fixtures/revised';
import { generateRedlineDocx, mergeForRedline } from '../../../activities/redline/redline';
import { schema } from '../../../editor/schema';
import type { DocJSON, NodeJSON } from '../../../editor/types';

jest.setTimeout(300_000);
const toolsDir = process.env.TONGBIAO_TOOLS_DIR ?? path.resolve(__dirname, '..', '..', '..', '.tools');

function walk(n: NodeJSON, f: (n: NodeJSON, parent: NodeJSON | null) => void, parent: NodeJSON | null = null): void {
  f(n, parent);
  for (const c of n.content ?? []) walk(c, f, n);
}
const textOf = (n: NodeJSON): string => (n.type === 'text' ? (n.text ?? '') : (n.content ?? []).map(textOf).join(''));

const cites = (c: NodeJSON, target: string): boolean => c.type === 'paragraph' && (c.content ?? []).some((x) => x.type === 'xref' && x.attrs?.target === target);

/** The revised sample, then 表1, 图1 and formula (B.1) deleted with the sentences citing them, a bold word added to a paragraph. */
function newer(): DocJSON {
  const doc = richStandardRevised() as NodeJSON;
  walk(doc, (n) => {
    if (!n.content) return;
    n.content = n.content.filter((c) => !['figure-1', 'table-1', 'formula-b-1'].includes(String(c.attrs?.id)) && !['figure-1', 'table-1', 'formula-b-1'].some((t) => cites(c, t)));
    for (const c of n.content) if (c.type === 'paragraph' && textOf(c).startsWith('监测结果统计见')) c.content = [{ type: 'text', text: '年度', marks: [{ type: 'strong' }] }, ...(c.content ?? [])];
  });
  return doc as DocJSON;
}

const older = richStandardBody;

/** newer() with 「化学需氧量按」 → 「化学耗氧量按」 (a paragraph with italic and subscript) and 「计」 made bold. */
function formatted(): DocJSON {
  const doc = newer() as NodeJSON;
  walk(doc, (n) => {
    if (n.type !== 'paragraph' || !textOf(n).startsWith('化学需氧量按')) return;
    n.content = (n.content ?? []).flatMap((c): NodeJSON[] => {
      if (c.type === 'text' && c.text === '化学需氧量按') return [{ ...c, text: '化学耗氧量按' }];
      if (c.type === 'text' && c.text?.startsWith('计，')) return [{ type: 'text', text: '计', marks: [{ type: 'strong' }] }, { ...c, text: c.text.slice(1) }];
      return [c];
    });
  });
  return doc as DocJSON;
}

let dir = '';
let xml = '';
let pdfText = '';
let file = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tb-redline-numbers-'));
  const data = await generateRedlineDocx({ older: older(), newer: formatted(), author: '起草组', date: '2026-03-02T08:00:00Z', record: richStandardRecord(), edition: 'joint', stageLabel: 'draftForReview' });
  file = path.join(dir, 'redline.docx');
  await writeFile(file, data);
  xml = await (await JSZip.loadAsync(data)).file('word/document.xml')!.async('string');
  // LibreOffice's own PDF export shows the tracked changes: deleted and inserted text both printed.
  execFileSync('soffice', [`-env:UserInstallation=file://${dir}/lo-profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, file], { stdio: 'ignore', timeout: 180_000 });
  pdfText = execFileSync('pdftotext', ['-layout', path.join(dir, 'redline.pdf'), '-'], { encoding: 'utf8' }).replace(/[ \t\u3000]+/g, '');
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const paragraphs = (): string[] => [...xml.matchAll(/<w:p>[\s\S]*?<\/w:p>|<w:p [^>]*>[\s\S]*?<\/w:p>/g)].map((m) => m[0]);
const del = (t: string) => new RegExp(`<w:del [^>]*><w:r>(<w:rPr>(?:(?!</w:rPr>).)*</w:rPr>)?<w:delText[^>]*>${t}</w:delText>`);
const ins = (t: string) => new RegExp(`<w:ins [^>]*><w:r>(<w:rPr>(?:(?!</w:rPr>).)*</w:rPr>)?<w:t[^>]*>${t}</w:t>`);

describe('redline numbers and formatting', () => {
  it('the revised sample fits the editor schema (its inserted clause is a 一级条)', () => {
    expect(() => schema.nodeFromJSON(richStandardRevised()).check()).not.toThrow();
  });

  it('prints the numbers of the version each element belongs to: 表1（续） for the old 表2, the deleted clause as 5.4 in the 目次, its line struck', () => {
    // 表1 deleted: the long 表2 is 表1 in the newer version, and so are its continuation titles.
    expect(xml).toContain('表1（续）');
    expect(xml).not.toContain('表2（续）');
    expect(pdfText).toContain('表1（续）');
    // The 目次: 5.4 点位编码 (deleted) keeps its old number instead of counting as 5.5 after the inserted 5.2.
    const tocParas = paragraphs().filter((p) => /w:val="TOC[12]"/.test(p));
    const toc = tocParas.map((p) => [...p.matchAll(/<w:(?:t|delText)[^>]*>([^<]*)<\/w:(?:t|delText)>/g)].map((m) => m[1]).join(''));
    expect(toc).toEqual(expect.arrayContaining([expect.stringMatching(/^5\.2\u3000布设时机/), expect.stringMatching(/^5\.3\u3000布设数量/), expect.stringMatching(/^5\.4\u3000点位编码/)]));
    expect(toc.some((t) => t.startsWith('5.5'))).toBe(false);
    // The 目次 lines of the inserted and the deleted clause are tracked with them, paragraph marks too.
    const line = (t: string) => tocParas.find((p) => p.includes(t))!;
    expect(line('布设时机')).toMatch(/<w:rPr><w:ins [^>]*\/><\/w:rPr><\/w:pPr><w:ins [^>]*><w:r><w:t[^>]*>5\.2\u3000布设时机<\/w:t>/);
    expect(line('点位编码')).toMatch(/<w:rPr><w:del [^>]*\/><\/w:rPr><\/w:pPr><w:del [^>]*><w:r><w:delText[^>]*>5\.4\u3000点位编码<\/w:delText>/);
    expect(line('布设数量')).not.toMatch(/<w:(ins|del) /);
    // Figures are numbered by Word's list numbering, which LibreOffice shows as new [old] in a redline.
    expect(pdfText).toMatch(/图1\[图2\]年度监测结果统计/);
  });

  it('shows a cross-reference to a renumbered target as the old number deleted and the new one inserted', () => {
    const note = paragraphs().find((p) => p.includes('布设要求见'))!;
    expect(note).toMatch(del('5\\.2'));
    expect(note).toMatch(ins('5\\.3'));
    const figureRef = paragraphs().find((p) => p.includes('监测结果统计见'))!;
    expect(figureRef).toMatch(del('图2'));
    expect(figureRef).toMatch(ins('图1'));
    expect(pdfText).toContain('布设要求见5.25.3。');
    expect(pdfText).toMatch(/监测结果统计见图2图1/);
  });

  it('deletes the number of a cross-reference inside a deleted paragraph with it (nothing left over on accepting)', () => {
    const gone = paragraphs().find((p) => p.includes('示范区监测点位的分布见'))!;
    expect(gone).toMatch(del('图1'));
    expect(gone).not.toMatch(/<w:t[^>]*>图1/);
  });

  it('tracks one changed character of a paragraph with italics and subscripts, not the whole paragraph', () => {
    const merged = JSON.stringify(mergeForRedline(older(), formatted()));
    expect(merged).toContain('{"type":"text","text":"化学"}');
    const p = paragraphs().find((x) => x.includes('氧量按'))!;
    expect(p).toMatch(del('需'));
    expect(p).toMatch(ins('耗'));
    expect(p).not.toMatch(/<w:delText[^>]*>化学需氧量按<\/w:delText>/);
    expect(pdfText).toContain('化学需耗氧量按');
  });

  it('tracks a formatting-only change: the word deleted as it was and inserted bold', () => {
    const p = paragraphs().find((x) => x.includes('氧量按'))!;
    expect(p).toMatch(/<w:del [^>]*><w:r>(<w:rPr>(?:(?!<\/w:rPr>).)*<\/w:rPr>)?<w:delText[^>]*>计<\/w:delText>/);
    expect(p).toMatch(/<w:ins [^>]*><w:r><w:rPr><w:b\/>(?:(?!<\/w:rPr>).)*<\/w:rPr><w:t[^>]*>计<\/w:t>/);
    const added = paragraphs().find((x) => x.includes('监测结果统计见'))!;
    expect(added).toMatch(/<w:ins [^>]*><w:r><w:rPr><w:b\/>(?:(?!<\/w:rPr>).)*<\/w:rPr><w:t[^>]*>年度<\/w:t>/);
  });

  it('tracks the picture and the paragraph mark of a figure deleted whole (accepting removes the picture too)', () => {
    const picture = paragraphs().find((p) => p.includes('name="示范区监测点位示意图"'))!;
    expect(picture).toMatch(/^<w:p><w:pPr><w:pStyle w:val="GBFigure"\/><w:rPr><w:del w:id="\d+" w:author="起草组" w:date="2026-03-02T08:00:00Z"\/><\/w:rPr><\/w:pPr><w:del w:id="\d+" w:author="起草组" w:date="2026-03-02T08:00:00Z"><w:r><w:drawing>/);
    const kept = paragraphs().find((p) => p.includes('name="年度监测结果"'))!;
    expect(kept).not.toMatch(/<w:del /);
  });

  it('prints a deleted formula’s number as deleted text, not a SEQ field, so the kept formula after it is numbered (B.1)', () => {
    const line = paragraphs().find((p) => p.includes('GBFormula"') && /<w:delText[^>]*>d<\/w:delText>/.test(p))!;
    expect(line).not.toContain('fldSimple');
    expect(line).toMatch(/<w:delText[^>]*>\(B\.<\/w:delText>[\s\S]*<w:delText[^>]*>1<\/w:delText>/);
    // Its paragraph mark goes with it: accepting leaves no empty formula line.
    expect(line).toMatch(/^<w:p><w:pPr><w:pStyle w:val="GBFormula"\/><w:tabs>[\s\S]*<w:rPr><w:del [^>]*\/><\/w:rPr><\/w:pPr>/);
    const kept = paragraphs().find((p) => p.includes('GBFormula"') && /<w:t[^>]*>Q<\/w:t>/.test(p))!;
    expect(kept).toMatch(/<w:fldSimple w:instr="SEQ 公式B \\\* ARABIC"><w:r><w:t[^>]*>1<\/w:t>/);
    // LibreOffice recounts SEQ fields: with the deleted one gone from the count, the kept formula is (B.1).
    expect(pdfText).toMatch(/Q=A×v\.+\(B\.1\)/);
  });

  it('validates against the ECMA-376 schemas with 0 errors', async () => {
    const result = await validateOoxml(toolsDir, [file]);
    expect(formatSchemaErrors(result.errors)).toBe('');
  });
});
