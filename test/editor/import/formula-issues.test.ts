// Formulas the editor's linear formula text cannot hold: an OLE equation object (Equation 3.0 / MathType,
// only its preview picture is in the file) keeps its place and number in the draft with a placeholder and
// its picture goes to the report; OMML with constructs the linear text loses (an accent, a matrix, a
// script inside a script) is imported as approximate text and reported for checking. Never dropped silently.
import { importWordFile } from '../../../activities/import';
import { computeNumbering } from '../../../editor/numbering';
import type { NodeJSON } from '../../../editor/types';
import { docx, formulaParagraph, p } from '../../fixtures/import/ooxml';
import { expectNothingLost } from './shape';

const NS = [
  'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"',
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"',
  'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"',
  'xmlns:v="urn:schemas-microsoft-com:vml"',
  'xmlns:o="urn:schemas-microsoft-com:office:office"',
].join(' ');

const oleEquation = (number: string): string =>
  `<w:p><w:r><w:object><v:shape id="_x0000_i1025" style="width:60pt;height:20pt"><v:imagedata r:id="rIdImg1" o:title=""/></v:shape><o:OLEObject Type="Embed" ProgID="Equation.3" ShapeID="_x0000_i1025" DrawAspect="Content" ObjectID="_1"/></w:object></w:r><w:r><w:tab/><w:t>${number}</w:t></w:r></w:p>`;

const accentFormula = (number: string): string =>
  `<w:p><m:oMath><m:acc><m:accPr><m:chr m:val="\u0304"/></m:accPr><m:e><m:r><m:t>x</m:t></m:r></m:e></m:acc><m:r><m:t>=</m:t></m:r><m:sSub><m:e><m:r><m:t>a</m:t></m:r></m:e><m:sub><m:sSub><m:e><m:r><m:t>i</m:t></m:r></m:e><m:sub><m:r><m:t>j</m:t></m:r></m:sub></m:sSub></m:sub></m:sSub></m:oMath><w:r><w:tab/><w:t>${number}</w:t></w:r></w:p>`;

function formulas(n: NodeJSON, out: NodeJSON[] = []): NodeJSON[] {
  if (n.type === 'formula') out.push(n);
  for (const c of n.content ?? []) formulas(c, out);
  return out;
}

describe('Word import: formulas that cannot be converted', () => {
  it('keeps an equation object as a numbered placeholder with its picture in the report, and reports approximate OMML', async () => {
    const body = [
      p('1 范围', { bold: true }),
      p('本文件规定了计算方法。'),
      p('2 规范性引用文件', { bold: true }),
      p('3 术语和定义', { bold: true }),
      p('4 计算', { bold: true }),
      p('浓度按下式计算：'),
      formulaParagraph('(1)'),
      p('平均值按下式计算：'),
      oleEquation('(2)'),
      p('加权值按下式计算：'),
      accentFormula('(3)'),
      p('结果按公式(2)修约。'),
    ].join('');
    const documentXml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ${NS}><w:body>${body}<w:sectPr/></w:body></w:document>`;
    const r = await importWordFile(await docx({ body, documentXml, picture: true }), { changes: 'accept' });

    const found = r.doc.content.flatMap((n) => formulas(n));
    expect(found).toHaveLength(3);
    const numbering = computeNumbering(r.doc);
    const labels = found.map((f) => numbering.byId[String(f.attrs?.id)]?.label);
    expect(labels).toEqual(['(1)', '(2)', '(3)']);
    expect(JSON.stringify(found[1])).toContain('[公式图片]');

    const [ole, approx] = r.report.formulaIssues;
    expect(r.report.formulaIssues).toHaveLength(2);
    expect(ole).toMatchObject({ kind: 'oleEquation', progId: 'Equation.3', text: '[公式图片]' });
    expect(ole.src).toMatch(/^data:image\/png;base64,/);
    expect(ole.zh).toContain('请重新录入');
    expect(approx.kind).toBe('approximate');
    expect(approx.constructs).toEqual(expect.arrayContaining(['m:acc', 'nested script']));
    expect(r.report.warnings.some((w) => /2 个公式需要核对/.test(w.zh))).toBe(true);
    // The reference to the equation object still resolves: its number was kept.
    expect(r.report.crossReferences.unresolved).toEqual([]);
    expect(r.report.crossReferences.linked).toBe(1);
    expectNothingLost(r);
  });

  it('stores the equation picture with the figures when a picture store is given', async () => {
    const body = [p('1 范围', { bold: true }), p('本文件规定了计算方法。'), p('4 计算', { bold: true }), oleEquation('(1)')].join('');
    const documentXml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ${NS}><w:body>${body}<w:sectPr/></w:body></w:document>`;
    const seen: string[] = [];
    const r = await importWordFile(await docx({ body, documentXml, picture: true }), {
      storePictures: async (used) => {
        seen.push(...used.keys());
        return new Map([...used.keys()].map((k) => [k, `/images/${'a'.repeat(24)}`]));
      },
    });
    expect(seen).toEqual(['word/media/image1.png']);
    expect(r.report.formulaIssues[0].src).toBe(`/images/${'a'.repeat(24)}`);
  });
});
