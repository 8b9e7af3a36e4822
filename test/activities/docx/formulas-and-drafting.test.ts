// Issue 13 items 4 and 8 in the generated DOCX of the rich sample: formula (2) with real subscripts and every
// symbol explained, (B.1) and (B.2) with 式中, symbols italic on the formula line as in 式中; 表3, 表4, 图1
// and 图3 referred to in the text; 5.2 citing GB 3838 with its year as chapter 2 lists it; a gap after 「[1]」.
import { generateStandardDocx } from '../../../activities/docx/generate';
import { richStandardBody, richStandardRecord } from '../../../activities/docx/fixtures/rich-standard';
import { checkDraft } from '../../../editor/checker';
import { levelOfStyle, paragraphs, unzipDocx, type Para, type Part } from './docx-xml';

let part: Part;
let ps: Para[];
beforeAll(async () => {
  part = await unzipDocx(await generateStandardDocx({ record: richStandardRecord(), body: richStandardBody(), edition: 'joint' }));
  ps = paragraphs(part.document);
});

/** The runs of a paragraph: text, italic, subscript. */
function runs(p: Para): { t: string; i: boolean; sub: boolean }[] {
  return [...p.xml.matchAll(/<w:r>([\s\S]*?)<\/w:r>/g)]
    .map((m) => ({ t: [...m[1].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((x) => x[1]).join(''), i: /<w:i\/>/.test(m[1]), sub: /<w:vertAlign w:val="subscript"\/>/.test(m[1]) }))
    .filter((r) => r.t !== '');
}
const formulaLine = (n: string): Para => {
  const f = ps.find((p) => p.style === 'GBFormula' && p.text.endsWith(`(${n})`));
  if (!f) throw new Error(`formula (${n}) not found`);
  return f;
};
/** The 式中 lines after a formula line. */
const whereLines = (f: Para): Para[] => {
  const at = ps.indexOf(f);
  if (ps[at + 1]?.text !== '式中：') return [];
  const out: Para[] = [];
  for (let i = at + 2; i < ps.length && ps[i].style === ps[at + 2].style; i++) out.push(ps[i]);
  return out;
};

describe('formulas (issue 13 item 4)', () => {
  it('sets formula (2) with V₀ and V₁ as subscripts and explains ρ, V₀, V₁, c and V', () => {
    const f = formulaLine('2');
    const r = runs(f);
    expect(r).toEqual(expect.arrayContaining([{ t: '0', i: false, sub: true }, { t: '1', i: false, sub: true }]));
    const where = whereLines(f).map((p) => p.text.split('——')[0]);
    expect(where).toEqual(['ρ', 'V0', 'V1', 'c', 'V']);
    expect(runs(whereLines(f)[1]).slice(0, 2)).toEqual([{ t: 'V', i: true, sub: false }, { t: '0', i: false, sub: true }]);
  });

  it('sets the symbols italic on the formula line, as in 式中, and numbers upright', () => {
    const r = runs(formulaLine('1'));
    for (const s of ['n', 'W', 'w']) expect(r.find((x) => x.t === s)).toMatchObject({ i: true });
    const two = runs(formulaLine('2'));
    expect(two.filter((x) => /^(ρ|V|c)$/.test(x.t)).every((x) => x.i)).toBe(true);
    expect(two.filter((x) => /8000/.test(x.t)).every((x) => !x.i)).toBe(true);
  });

  it('gives (A.1), (B.1) and (B.2) a 式中 explaining every symbol', () => {
    expect(whereLines(formulaLine('A.1')).map((p) => p.text.split('——')[0])).toEqual(['R', 'C1', 'C0', 'C']);
    expect(whereLines(formulaLine('B.1')).map((p) => p.text.split('——')[0])).toEqual(['d', 'v', 't']);
    expect(whereLines(formulaLine('B.2')).map((p) => p.text.split('——')[0])).toEqual(['Q', 'A', 'v']);
  });
});

describe('drafting (issue 13 item 8)', () => {
  it('refers to every table and figure of the sample in its text, and the checker finds nothing', () => {
    const text = ps.map((p) => p.text).join('\n');
    for (const n of ['表1', '表2', '表3', '表4', '图1', '图2', '图3', '表A.1', '图A.1', '表B.1']) expect(text).toMatch(new RegExp(`[见按足]${n.replace('.', '\\.')}[^\\d.]`));
    expect(checkDraft(richStandardBody())).toEqual([]);
  });

  it('cites GB 3838 in 5.2 with the year chapter 2 lists', () => {
    expect(ps.some((p) => p.text.includes('水质评价应符合GB 3838—2002的规定。'))).toBe(true);
    expect(ps.some((p) => /GB 3838的/.test(p.text))).toBe(false);
  });

  it('follows 「[1]」 of a 参考文献 entry with a tab to the hanging indent', () => {
    const lvl = levelOfStyle(part.numbering, part.styles, 'GBBibliographyEntry');
    expect(lvl).toContain('<w:lvlText w:val="[%1]"/>');
    expect(lvl).toContain('<w:suff w:val="tab"/>');
  });
});
