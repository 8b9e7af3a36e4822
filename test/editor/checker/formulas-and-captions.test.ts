// Issue 13 items 4 and 8 in the checker: formulas without 式中, symbols left unexplained, subscripts typed on
// the formula line; tables and figures nobody refers to; a reference listed dated but cited undated (and
// the reverse). Each on one crafted draft, and the rich fixture clean of all of them.
import { chapter, docJSON, figure, foreword, formula, h, normativeReferences, p, ref, scope, sub, table, termEntry, termsAndDefinitions, xref, type Built } from '../../../editor/builders';
import type { DocJSON } from '../../../editor/types';
import { checkDraft, type RuleId } from '../../../editor/checker';
import { formulaSymbols, italiciseSymbols, splitSymbol } from '../../../editor/formula-symbols';

function draft(chapters: Built[], refs: Built = normativeReferences({ id: 'refs' }, ref('GB', '3838', '', '地表水环境质量标准', 'r1'))): DocJSON {
  return docJSON(
    foreword(p('本文件是示范区统一标准体系的组成部分。')),
    scope({ id: 'scope' }, p('本文件规定了地表水监测的技术要求。')),
    refs,
    termsAndDefinitions({ id: 'terms' }, p('下列术语和定义适用于本文件。'), termEntry({ term: '监测点位', english: 'monitoring site', definition: '用于采集水样的具体位置' })),
    ...chapters,
  );
}
const rules = (d: DocJSON): RuleId[] => checkDraft(d).map((f) => f.ruleId);
const marked = (id: string, line: (string | Built[])[], ...symbols: [string, string][]): Built => ({
  type: 'formula',
  attrs: { id },
  content: [
    { type: 'formulaText', content: line.flatMap((x) => (typeof x === 'string' ? [{ type: 'text' as const, text: x }] : x)) },
    ...symbols.map(([symbol, meaning]) => ({ type: 'formulaSymbol' as const, attrs: { symbol }, content: [{ type: 'text' as const, text: meaning }] })),
  ],
});

describe('formula rules (issue 13 item 4)', () => {
  it('flags a formula with symbols and no 式中', () => {
    const f = checkDraft(draft([chapter({ id: 'ch4' }, h('计算'), p('按', xref('f1'), '计算，并符合GB 3838。'), formula({ id: 'f1' }, 'd = v × t'))])).filter((x) => x.ruleId === 'formula-where-missing');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'warning', clauseId: 'ch4', nodeId: 'f1' });
    expect(f[0].message.zh).toBe('公式(1)后缺少「式中：」，其中的符号d、v、t未解释。');
  });

  it('flags the symbols a 式中 leaves out, and subscripts typed on the line', () => {
    const doc = draft([chapter({ id: 'ch4' }, h('计算'), p('按', xref('f2'), '计算，并符合GB 3838。'), formula({ id: 'f2' }, 'ρ = (V0 − V1) × c × 8000 / V', ['ρ', '浓度；'], ['V', '体积。']))]);
    const found = checkDraft(doc);
    expect(found.find((x) => x.ruleId === 'formula-symbol-unexplained')?.message.zh).toBe('公式(1)中的符号V0、V1、c未在「式中」解释。');
    expect(found.find((x) => x.ruleId === 'formula-typed-subscript')?.message.zh).toBe('公式(1)中的V0、V1的下标是直接输入的，应设为下标。');
  });

  it('accepts marked subscripts explained as V_0 or V0, and leaves function names alone', () => {
    const good = marked('f3', ['ρ = lg(V', sub('0'), ' − V', sub('1'), ') × c'], ['ρ', '浓度；'], ['V_0', '空白体积；'], ['V1', '水样体积；'], ['c', '浓度。']);
    expect(rules(draft([chapter({ id: 'ch4' }, h('计算'), p('按', xref('f3'), '计算，并符合GB 3838。'), good)]))).toEqual([]);
    expect(formulaSymbols(good.content?.[0].content as never).map((s) => s.key)).toEqual(['ρ', 'V0', 'V1', 'c']);
  });

  it('italicises the symbols of a formula line but not function names, numbers or subscripts', () => {
    const line = italiciseSymbols([{ type: 'text', text: 'ρ = lg(V' }, { type: 'text', text: 'COD', marks: [{ type: 'sub' }] }, { type: 'text', text: ') × 100' }]);
    const italic = line.filter((n) => (n.marks ?? []).some((m) => m.type === 'em')).map((n) => n.text);
    expect(italic).toEqual(['ρ', 'V']);
    expect(line.map((n) => n.text).join('')).toBe('ρ = lg(VCOD) × 100');
    expect(splitSymbol('V_0')).toEqual({ base: 'V', sub: '0' });
    expect(splitSymbol('C1')).toEqual({ base: 'C', sub: '1' });
    expect(splitSymbol('ρ_COD')).toEqual({ base: 'ρ', sub: 'COD' });
    expect(splitSymbol('CBS')).toEqual({ base: 'CBS', sub: '' });
  });
});

describe('drafting rules (issue 13 item 8)', () => {
  const tbl = (id: string) => table({ id }, '限值', [['项目', '限值'], ['COD', '20']]);
  const fig = (id: string) => figure({ id, src: 'data:image/png;base64,AA==', alt: '示意' }, '示意图');

  it('flags tables and figures no one refers to, and accepts a cross-reference or a typed 「表N」/「图N」', () => {
    const doc = draft([chapter({ id: 'ch4' }, h('要求'), p('应符合GB 3838，限值见', xref('t1'), '，示意见图2。'), tbl('t1'), tbl('t2'), fig('g1'), fig('g2'))]);
    const found = checkDraft(doc).filter((x) => x.ruleId === 'table-not-referenced' || x.ruleId === 'figure-not-referenced');
    expect(found.map((x) => [x.ruleId, x.nodeId, x.message.zh])).toEqual([
      ['table-not-referenced', 't2', '正文中没有提及表2。'],
      ['figure-not-referenced', 'g1', '正文中没有提及图1。'],
    ]);
    expect(found.every((x) => x.severity === 'warning' && x.clauseId === 'ch4')).toBe(true);
  });

  it('flags a reference listed dated but cited undated, and one listed undated but cited dated', () => {
    const datedList = normativeReferences({ id: 'refs' }, ref('GB', '3838', '2002', '地表水环境质量标准', 'r1'));
    const undatedCite = checkDraft(draft([chapter({ id: 'ch4' }, h('要求'), p('水质评价应符合GB 3838的规定。'))], datedList)).find((x) => x.ruleId === 'reference-year-mismatch');
    expect(undatedCite).toMatchObject({ severity: 'warning', clauseId: 'ch4' });
    expect(undatedCite?.message.zh).toContain('第2章为注日期引用');
    const datedCite = checkDraft(draft([chapter({ id: 'ch4' }, h('要求'), p('水质评价应符合GB 3838—2002的规定。'))])).find((x) => x.ruleId === 'reference-year-mismatch');
    expect(datedCite?.message.zh).toBe('引用「GB 3838—2002」注了年号，而第2章所列为不注日期引用。');
    expect(rules(draft([chapter({ id: 'ch4' }, h('要求'), p('水质评价应符合GB 3838—2002的规定。'))], datedList))).toEqual([]);
  });
});
