// Every number of a standard is computed from its structure; these documents are the tricky cases.
import {
  annex, bib, bibliography, chapter, clause, doc, docJSON, example, figure, foreword, formula, h, introduction, li, list, note,
  normativeReferences, p, ref, scope, sublist, table, termEntry, termsAndDefinitions, xref, type Built,
} from '../../editor/builders';
import { computeNumbering, annexLetter, listMarker, referenceDesignation, xrefText, type Numbering } from '../../editor/numbering';
import { sampleStandard, sampleStandardJSON } from '../../editor/fixtures/sample-standard';

const fixed = (...terms: Built[]) => [foreword(p('前言')), scope(p('范围')), normativeReferences(), termsAndDefinitions(...terms)];
const number = (n: Numbering, id: string) => n.byId[id]?.number;
const label = (n: Numbering, id: string) => n.byId[id]?.label;

describe('computeNumbering', () => {
  it('numbers chapters after the three fixed ones from 4 and restarts clause numbers in each chapter', () => {
    const n = computeNumbering(
      doc(...fixed(), chapter({ id: 'c4' }, h('总则'), clause({ id: 'a' }, h('x'), p('1'))), chapter({ id: 'c5' }, h('要求'), clause({ id: 'b' }, h('y'), p('2')), clause({ id: 'c' }, h('z'), p('3')))),
    );
    expect([label(n, 'c4'), label(n, 'a'), label(n, 'c5'), label(n, 'b'), label(n, 'c')]).toEqual(['4', '4.1', '5', '5.1', '5.2']);
    expect(n.byId.c5.xref).toBe('第5章');
    expect(n.outline.filter((o) => o.kind === 'chapter').map((o) => `${o.label} ${o.title}`)).toEqual(['1 范围', '2 规范性引用文件', '3 术语和定义', '4 总则', '5 要求']);
  });

  it('numbers untitled clauses like titled ones and shows their opening words in the outline', () => {
    const n = computeNumbering(doc(...fixed(), chapter(h('要求'), clause({ id: 'u1' }, p('第一个无标题条的正文比较长，超过了二十四个字符，所以在目录里会被截断。')), clause({ id: 'u2' }, p('短')))));
    expect([number(n, 'u1'), number(n, 'u2')]).toEqual(['4.1', '4.2']);
    const entry = n.outline.find((o) => o.id === 'u1');
    expect(entry?.title).toBe('');
    expect(entry?.snippet).toBe('第一个无标题条的正文比较长，超过了二十四个字符，…');
    expect(n.outline.find((o) => o.id === 'u2')?.snippet).toBe('短');
  });

  it('numbers clauses down to the fifth level and reports their outline level', () => {
    const n = computeNumbering(
      doc(...fixed(), chapter(h('要求'), clause(h('1'), clause(h('2'), clause(h('3'), clause(h('4'), clause({ id: 'deep' }, h('5'), p('x')))))))),
    );
    expect(number(n, 'deep')).toBe('4.1.1.1.1.1');
    expect(n.outline.find((o) => o.id === 'deep')?.level).toBe(6);
  });

  it('letters annexes A, B, C with their qualifiers and numbers their clauses, tables, figures and formulas inside the annex', () => {
    const n = computeNumbering(
      doc(
        ...fixed(),
        chapter(h('要求'), table({ id: 't1' }, '正文表', [['a']]), formula({ id: 'f1' }, 'x=1'), figure({ id: 'g1' }, '正文图')),
        annex({ id: 'A', kind: 'normative' }, h('甲'), table({ id: 'tA1' }, '表', [['a']]), clause({ id: 'A1' }, h('一'), clause({ id: 'A11' }, h('二'), formula({ id: 'fA1' }, 'y'), figure({ id: 'gA1' }, '图'))), clause({ id: 'A2' }, h('三'), table({ id: 'tA2' }, '表', [['b']]))),
        annex({ id: 'B', kind: 'informative' }, h('乙'), formula({ id: 'fB1' }, 'z'), formula({ id: 'fB2' }, 'w'), table({ id: 'tB1' }, '表', [['c']])),
        annex({ id: 'C' }, h('丙'), p('x')),
      ),
    );
    expect([label(n, 'A'), n.byId.A.qualifier, label(n, 'B'), n.byId.B.qualifier, label(n, 'C'), n.byId.C.qualifier]).toEqual(['附录A', '规范性', '附录B', '资料性', '附录C', '资料性']);
    expect([number(n, 'A1'), number(n, 'A11'), number(n, 'A2')]).toEqual(['A.1', 'A.1.1', 'A.2']);
    expect([label(n, 't1'), label(n, 'tA1'), label(n, 'tA2'), label(n, 'tB1')]).toEqual(['表1', '表A.1', '表A.2', '表B.1']);
    expect([label(n, 'g1'), label(n, 'gA1')]).toEqual(['图1', '图A.1']);
    expect([label(n, 'f1'), label(n, 'fA1'), label(n, 'fB1'), label(n, 'fB2')]).toEqual(['(1)', '(A.1)', '(B.1)', '(B.2)']);
    expect(n.byId.fB2.xref).toBe('公式(B.2)');
  });

  it('counts formulas, tables and figures through the whole body across chapters and the introduction', () => {
    const n = computeNumbering(
      doc(
        foreword(p('前言')),
        introduction(p('引言'), formula({ id: 'f0' }, 'a')),
        scope(p('范围')),
        normativeReferences(),
        termsAndDefinitions(),
        chapter(h('四'), formula({ id: 'f1' }, 'b'), clause(h('x'), formula({ id: 'f2' }, 'c'), table({ id: 't1' }, 't', [['1']]))),
        chapter(h('五'), clause(h('y'), clause(h('z'), formula({ id: 'f3' }, 'd'), table({ id: 't2' }, 't', [['1']])))),
        chapter(h('六'), formula({ id: 'f4' }, 'e')),
      ),
    );
    expect(['f0', 'f1', 'f2', 'f3', 'f4'].map((id) => label(n, id))).toEqual(['(1)', '(2)', '(3)', '(4)', '(5)']);
    expect([label(n, 't1'), label(n, 't2')]).toEqual(['表1', '表2']);
  });

  it('counts notes per clause: a single note is 注, several are 注1 注2, and sub-clauses and tables count their own', () => {
    const n = computeNumbering(
      doc(
        ...fixed(),
        chapter(
          h('要求'),
          clause(
            { id: 'c1' },
            h('x'),
            p('正文'),
            note({ id: 'n1' }, p('a')),
            p('正文'),
            note({ id: 'n2' }, p('b')),
            example({ id: 'e1' }, p('e')),
            table({ id: 't' }, '表', [['1']], note({ id: 'tn' }, p('表注'))),
            clause({ id: 'c11' }, h('y'), p('z'), note({ id: 'n3' }, p('c'))),
            clause({ id: 'c12' }, h('y'), example({ id: 'e2' }, p('e')), example({ id: 'e3' }, p('e')), note({ id: 'n4' }, p('c'))),
          ),
          clause({ id: 'c2' }, h('w'), note({ id: 'n5' }, p('d'))),
        ),
      ),
    );
    expect(['n1', 'n2', 'n3', 'n4', 'n5', 'tn'].map((id) => label(n, id))).toEqual(['注1', '注2', '注', '注', '注', '注']);
    expect(['e1', 'e2', 'e3'].map((id) => label(n, id))).toEqual(['示例', '示例1', '示例2']);
    expect(n.byId.n2.xref).toBe('4.1的注2');
    expect(n.byId.tn.xref).toBe('表1的注');
    expect(n.byId.n3.within).toBe('c11');
  });

  it('numbers term entries 3.1, 3.2 and counts notes to entry per entry', () => {
    const n = computeNumbering(
      doc(
        ...fixed(
          p('下列术语和定义适用于本文件。'),
          termEntry({ id: 't1', term: '甲', english: 'a', definition: 'd', notes: [note({ id: 'tn1' }, p('x'))] }),
          termEntry({ id: 't2', term: '乙', english: 'b', abbreviation: 'B', definition: 'd', notes: [note({ id: 'tn2' }, p('x')), note({ id: 'tn3' }, p('y'))] }),
        ),
      ),
    );
    expect([label(n, 't1'), label(n, 't2')]).toEqual(['3.1', '3.2']);
    expect(['tn1', 'tn2', 'tn3'].map((id) => label(n, id))).toEqual(['注', '注1', '注2']);
    expect(n.outline.filter((o) => o.kind === 'term').map((o) => `${o.label} ${o.title}`)).toEqual(['3.1 甲', '3.2 乙']);
  });

  it('numbers introduction clauses 0.1, 0.2 and leaves foreword and introduction unnumbered', () => {
    const n = computeNumbering(doc(foreword({ id: 'fw' }, p('x')), introduction({ id: 'in' }, clause({ id: 'i1' }, h('背景'), p('x')), clause({ id: 'i2' }, h('目的'), p('y'))), scope(p('s')), normativeReferences(), termsAndDefinitions()));
    expect([label(n, 'fw'), label(n, 'in'), number(n, 'i1'), number(n, 'i2')]).toEqual(['前言', '引言', '0.1', '0.2']);
  });

  it('gives list markers —— / a) / 1) at the first level and · / 1) at the second, with references like 5.1 b) 2)', () => {
    const n = computeNumbering(
      doc(
        ...fixed(),
        chapter(
          h('要求'),
          clause(
            { id: 'c' },
            h('x'),
            list({ kind: 'letter' }, li('一', undefined, { id: 'la' }), li('二', sublist({ kind: 'number' }, '甲', '乙'), { id: 'lb' })),
            list({ kind: 'dash' }, li('三', sublist({ kind: 'dash' }, '丙'), { id: 'ld' })),
            list({ kind: 'number' }, li('四', undefined, { id: 'ln' })),
          ),
        ),
      ),
    );
    expect([label(n, 'la'), label(n, 'lb'), label(n, 'ld'), label(n, 'ln')]).toEqual(['a)', 'b)', '——', '1)']);
    expect(label(n, 'sublistItem-2')).toBe('2)');
    expect(n.byId['sublistItem-2'].xref).toBe('4.1 b) 2)');
    expect(label(n, 'sublistItem-3')).toBe('·');
    expect(listMarker('letter', 26, 1)).toBe('aa)');
  });

  it('numbers bibliography entries [1], [2] and designates normative references with or without a year', () => {
    const n = computeNumbering(doc(foreword(p('x')), scope(p('s')), normativeReferences(ref('GB', '3095', '2012', '环境空气质量标准', 'r1'), ref('HJ/T', '397', '', '固定源', 'r2')), termsAndDefinitions(), bibliography(bib('a', 'b1'), bib('b', 'b2'))));
    expect([label(n, 'r1'), label(n, 'r2'), label(n, 'b1'), label(n, 'b2')]).toEqual(['GB 3095—2012', 'HJ/T 397', '[1]', '[2]']);
    expect(referenceDesignation({ code: 'GB/T', number: '1.1', year: '2020' })).toBe('GB/T 1.1—2020');
  });

  it('renumbers clauses, and the cross-references to them, when a clause is inserted between 5.1 and 5.2', () => {
    const before = [clause({ id: 'x1' }, h('一'), p('见', xref('x2'))), clause({ id: 'x2' }, h('二'), p('y'))];
    const n1 = computeNumbering(doc(...fixed(), chapter(h('四'), p('z')), chapter(h('五'), ...before)));
    const n2 = computeNumbering(doc(...fixed(), chapter(h('四'), p('z')), chapter(h('五'), before[0], clause({ id: 'new' }, h('新'), p('n')), before[1])));
    expect(xrefText(n1, 'x2')).toBe('5.2');
    expect(xrefText(n2, 'x2')).toBe('5.3');
    expect(xrefText(n2, 'new')).toBe('5.2');
    expect(xrefText(n2, 'gone')).toBe('[引用失效]');
  });

  it('gives the same result for a ProseMirror node and for its JSON', () => {
    expect(computeNumbering(sampleStandardJSON())).toEqual(computeNumbering(sampleStandard()));
  });

  it('still counts blocks that have no id yet, so later numbers do not shift when ids arrive', () => {
    const json = docJSON(...fixed(), chapter(h('四'), clause({ id: 'a' }, h('x'), p('1')), clause({ id: 'b' }, h('y'), p('2'))));
    const c1 = json.content[4].content?.[1];
    if (c1?.attrs) c1.attrs.id = null;
    const n = computeNumbering(json);
    expect(number(n, 'b')).toBe('4.2');
    expect(n.byId.a).toBeUndefined();
  });

  it('labels paragraphs with the clause they sit in, for comments', () => {
    const n = computeNumbering(sampleStandard());
    const para = Object.values(n.byId).find((l) => l.kind === 'paragraph' && l.within === 'clause-5-2');
    expect(para?.xref).toBe('5.2');
  });

  it('letters annexes beyond Z as AA, AB', () => {
    expect([annexLetter(0), annexLetter(25), annexLetter(26), annexLetter(27)]).toEqual(['A', 'Z', 'AA', 'AB']);
  });
});
