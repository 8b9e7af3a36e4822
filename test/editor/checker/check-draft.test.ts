// The drafting-rule checker on one crafted document per rule, and on clean documents.
import {
  annex, chapter, clause, docJSON, example, foreword, h, li, list, note, normativeReferences, p, ref, scope, table, termEntry, termsAndDefinitions, xref, type Built,
} from '../../../editor/builders';
import type { DocJSON, NodeJSON } from '../../../editor/types';
import { blockingSummary, checkDraft, hasBlockingFindings, RULES, type RuleId } from '../../../editor/checker';
import { richStandardBody } from '../../../activities/docx/fixtures/rich-standard';

/** A conforming skeleton; `chapters` replace the technical chapters, `overrides` the fixed parts. */
function draft(parts: { scope?: Built; refs?: Built; terms?: Built; chapters?: Built[]; annexes?: Built[]; foreword?: Built } = {}): DocJSON {
  return docJSON(
    parts.foreword ?? foreword(p('本文件是示范区统一标准体系的组成部分。')),
    parts.scope ?? scope({ id: 'scope' }, p('本文件规定了地表水监测的技术要求。'), p('本文件适用于示范区地表水监测。')),
    // Listed undated, as the chapters below cite it (a dated listing cited undated is a mismatch, issue 13 item 8).
    parts.refs ?? normativeReferences({ id: 'refs' }, ref('GB', '3838', '', '地表水环境质量标准', 'ref-gb3838')),
    parts.terms ?? termsAndDefinitions({ id: 'terms' }, p('下列术语和定义适用于本文件。'), termEntry({ term: '监测点位', english: 'monitoring site', definition: '用于采集水样的具体位置' })),
    ...(parts.chapters ?? [chapter({ id: 'ch-4' }, h('要求'), p('水质评价应符合GB 3838的规定。'))]),
    ...(parts.annexes ?? []),
  );
}

function rulesOf(doc: DocJSON): RuleId[] {
  return checkDraft(doc).map((f) => f.ruleId);
}

describe('checkDraft', () => {
  it('finds nothing in a conforming draft', () => {
    expect(checkDraft(draft())).toEqual([]);
  });

  it('finds nothing in the rich fixture standard used for the sample documents', () => {
    expect(checkDraft(richStandardBody())).toEqual([]);
  });

  it('reports a hanging paragraph between a heading and the first sub-clause, at that clause', () => {
    const doc = draft({
      chapters: [chapter({ id: 'ch-4' }, h('要求'), p('水质评价应符合GB 3838的规定。'), clause({ id: 'c1' }, h('一'), p('甲。')), clause({ id: 'c2' }, h('二'), p('乙。')))],
    });
    const f = checkDraft(doc).find((x) => x.ruleId === 'hanging-paragraph');
    expect(f).toMatchObject({ severity: 'error', clauseId: 'ch-4' });
    expect(f?.message.zh).toContain('悬置段');
  });

  it('reports a clause divided into a single sub-clause', () => {
    const doc = draft({
      chapters: [chapter({ id: 'ch-4' }, h('要求'), clause({ id: 'c1' }, h('一'), p('应符合GB 3838的规定。'), clause({ id: 'c11' }, p('乙。'))), clause({ id: 'c2' }, h('二'), p('丙。')))],
    });
    expect(checkDraft(doc).filter((f) => f.ruleId === 'lone-subclause')).toEqual([expect.objectContaining({ clauseId: 'c1', nodeId: 'c11', severity: 'error' })]);
  });

  it('reports 必须 and 需要 in a provision as a warning', () => {
    const doc = draft({ chapters: [chapter({ id: 'ch-4' }, h('要求'), p('监测单位必须按GB 3838执行。'), p('采样需要两人以上。'))] });
    const found = checkDraft(doc).filter((f) => f.ruleId === 'forbidden-modal');
    expect(found).toHaveLength(2);
    expect(found[0]).toMatchObject({ severity: 'warning', clauseId: 'ch-4' });
  });

  it('accepts 需要 in the fixed sentence 「本文件没有需要界定的术语和定义。」', () => {
    const doc = draft({ terms: termsAndDefinitions({ id: 'terms' }, p('本文件没有需要界定的术语和定义。')) });
    expect(rulesOf(doc)).toEqual([]);
  });

  it('reports a wrong lead-in of chapter 3', () => {
    const doc = draft({ terms: termsAndDefinitions({ id: 'terms' }, p('本文件采用下列术语。'), termEntry({ term: '点位', english: 'site', definition: '采样位置' })) });
    expect(checkDraft(doc).find((f) => f.ruleId === 'terms-lead-in')).toMatchObject({ severity: 'error', clauseId: 'terms' });
  });

  it('accepts the lead-in that names the document whose terms apply', () => {
    const doc = draft({ terms: termsAndDefinitions({ id: 'terms' }, p('GB 3838界定的以及下列术语和定义适用于本文件。'), termEntry({ term: '点位', english: 'site', definition: '采样位置' })) });
    expect(rulesOf(doc)).toEqual([]);
  });

  it('reports a chapter 3 that says it has no terms yet lists some', () => {
    const doc = draft({ terms: termsAndDefinitions({ id: 'terms' }, p('本文件没有需要界定的术语和定义。'), termEntry({ term: '点位', english: 'site', definition: '采样位置' })) });
    expect(rulesOf(doc)).toContain('terms-lead-in');
  });

  it('reports 范围 wording that does not state or that contains a provision', () => {
    const doc = draft({ scope: scope({ id: 'scope' }, p('为了统一监测要求，制定本文件。'), p('本文件适用于地表水监测，监测单位应遵守。')) });
    const found = checkDraft(doc).filter((f) => f.ruleId === 'scope-wording');
    expect(found.map((f) => f.severity)).toEqual(['error', 'error']);
    expect(found[0].clauseId).toBe('scope');
  });

  it('reports typed bullet characters in list items', () => {
    const doc = draft({ chapters: [chapter({ id: 'ch-4' }, h('要求'), p('应符合GB 3838和下列要求：'), list({ kind: 'dash', id: 'l1' }, '• 代表性；', '• 稳定。'))] });
    expect(checkDraft(doc).find((f) => f.ruleId === 'list-bullet-character')).toMatchObject({ severity: 'error', clauseId: 'ch-4', nodeId: 'l1' });
  });

  it('reports a list without a lead-in and inconsistent list punctuation', () => {
    const noLead = draft({ chapters: [chapter({ id: 'ch-4' }, h('要求'), list({ kind: 'letter' }, li('甲；'), li('乙。')), p('应符合GB 3838。'))] });
    expect(rulesOf(noLead)).toContain('list-lead-in');
    const badPunct = draft({ chapters: [chapter({ id: 'ch-4' }, h('要求'), p('应符合GB 3838和下列要求：'), list({ kind: 'letter' }, li('甲。'), li('乙；')))] });
    expect(rulesOf(badPunct)).toContain('list-punctuation');
  });

  it('reports a document cited normatively but missing from chapter 2', () => {
    const doc = draft({ chapters: [chapter({ id: 'ch-4' }, h('要求'), p('水质评价应符合GB 3838的规定，采样按HJ 91.2执行。'))] });
    const f = checkDraft(doc).find((x) => x.ruleId === 'reference-not-listed');
    expect(f).toMatchObject({ severity: 'error', clauseId: 'ch-4' });
    expect(f?.message.zh).toContain('HJ 91.2');
  });

  it('does not count an informative pointer 「见…」 as a normative reference', () => {
    const doc = draft({ chapters: [chapter({ id: 'ch-4' }, h('要求'), p('水质评价应符合GB 3838的规定，背景资料见HJ 630。'))] });
    expect(rulesOf(doc)).toEqual([]);
  });

  it('reports a document listed in chapter 2 but never cited, and accepts a citation by cross-reference', () => {
    const uncited = draft({ chapters: [chapter({ id: 'ch-4' }, h('要求'), p('采样按统一方法执行。'))] });
    expect(checkDraft(uncited).find((f) => f.ruleId === 'reference-not-cited')).toMatchObject({ severity: 'error', clauseId: 'refs', nodeId: 'ref-gb3838' });
    const byXref = draft({ chapters: [chapter({ id: 'ch-4' }, h('要求'), p('水质评价应符合', xref('ref-gb3838'), '的规定。'))] });
    expect(rulesOf(byXref)).toEqual([]);
  });

  it('reports clauses nested deeper than five levels below the chapter', () => {
    const doc = draft();
    // The schema cannot hold a sixth level, so the JSON is written by hand as a stored document could be.
    let inner: NodeJSON = { type: 'clause5', attrs: { id: 'deep-6' }, content: [{ type: 'paragraph', content: [{ type: 'text', text: '甲。' }] }] };
    for (let level = 5; level >= 1; level--) {
      const sibling: NodeJSON = { type: `clause${level}` as NodeJSON['type'], attrs: { id: `sib-${level}` }, content: [{ type: 'paragraph', content: [{ type: 'text', text: '乙。' }] }] };
      inner = { type: `clause${level}` as NodeJSON['type'], attrs: { id: `deep-${level}` }, content: [{ type: 'paragraph', content: [{ type: 'text', text: '丙。' }] }, inner, sibling] };
    }
    (doc.content[4].content as NodeJSON[]).push(inner);
    expect(checkDraft(doc).find((f) => f.ruleId === 'clause-depth')).toMatchObject({ severity: 'error', clauseId: 'deep-6' });
  });

  it('reports a cross-reference to nothing', () => {
    const doc = draft({ chapters: [chapter({ id: 'ch-4' }, h('要求'), p('应符合GB 3838和', xref('gone'), '的规定。'))] });
    expect(checkDraft(doc).find((f) => f.ruleId === 'dangling-xref')).toMatchObject({ severity: 'error' });
  });

  it('reports provisions in notes and examples, and definitions that start with 是 or end with a full stop', () => {
    const doc = draft({
      terms: termsAndDefinitions({ id: 'terms' }, p('下列术语和定义适用于本文件。'), termEntry({ id: 't1', term: '点位', english: 'site', definition: '是采样的位置。' })),
      chapters: [chapter({ id: 'ch-4' }, h('要求'), p('应符合GB 3838。'), note(p('采样前应检查设备。')), example(p('示例文字。')))],
    });
    const rules = rulesOf(doc);
    expect(rules).toContain('provision-in-informative');
    expect(checkDraft(doc).find((f) => f.ruleId === 'term-definition')).toMatchObject({ severity: 'warning', clauseId: 't1' });
  });

  it('reports siblings that mix titled and untitled clauses, and empty headings', () => {
    const doc = draft({ chapters: [chapter({ id: 'ch-4' }, h(''), clause({ id: 'a' }, h('一'), p('应符合GB 3838。')), clause({ id: 'b' }, p('乙。')))] });
    const rules = rulesOf(doc);
    expect(rules).toContain('mixed-titled-untitled');
    expect(rules).toContain('empty-heading');
  });

  it('reports an annex nobody refers to, and accepts one named in the text', () => {
    const lonely = draft({ annexes: [annex({ id: 'ax', kind: 'informative' }, h('示例'), p('示例。'))] });
    expect(checkDraft(lonely).find((f) => f.ruleId === 'annex-not-referenced')).toMatchObject({ severity: 'warning', clauseId: 'ax' });
    const named = draft({
      chapters: [chapter({ id: 'ch-4' }, h('要求'), p('水质评价应符合GB 3838的规定，示例见附录A。'))],
      annexes: [annex({ id: 'ax', kind: 'informative' }, h('示例'), p('示例。'))],
    });
    expect(rulesOf(named)).toEqual([]);
  });

  it('reports an incomplete reference entry and a citation with another year', () => {
    const doc = draft({
      refs: normativeReferences({ id: 'refs' }, ref('GB', '3838', '02', '地表水环境质量标准', 'r1')),
      chapters: [chapter({ id: 'ch-4' }, h('要求'), p('水质评价应符合GB 3838—2002的规定。'))],
    });
    expect(rulesOf(doc)).toEqual(expect.arrayContaining(['reference-format', 'reference-year-mismatch']));
  });

  it('reports numbers typed in front of headings and captions, which the document generates', () => {
    const doc = draft({
      chapters: [chapter({ id: 'ch-4' }, h('4　要求'), p('应符合GB 3838。'), table({ id: 't' }, '表1　限值', [['项目', '限值'], ['COD', '20']])), chapter({ id: 'ch-5' }, h('方法'), p('按GB 3838执行。'), clause({ id: 'c51' }, h('5.1 采样'), p('甲。')), clause({ id: 'c52' }, h('分析'), p('乙。')))],
    });
    const found = checkDraft(doc).filter((f) => f.ruleId === 'typed-number');
    expect(found.map((f) => f.clauseId)).toEqual(['ch-4', 'ch-4', 'c51']);
    expect(found[0].severity).toBe('warning');
    // Headings that merely start with a figure are fine.
    expect(rulesOf(draft({ chapters: [chapter({ id: 'ch-4' }, h('3D模型要求'), p('应符合GB 3838。'))] }))).toEqual([]);
  });

  it('says a draft with errors blocks submission and one with warnings only does not', () => {
    const warningsOnly = draft({ chapters: [chapter({ id: 'ch-4' }, h('要求'), p('监测单位必须按GB 3838执行。'))] });
    expect(hasBlockingFindings(checkDraft(warningsOnly))).toBe(false);
    const withError = draft({ scope: scope({ id: 'scope' }, p('监测单位应遵守本文件。')) });
    expect(hasBlockingFindings(checkDraft(withError))).toBe(true);
    expect(blockingSummary(checkDraft(warningsOnly))).toBeNull();
    expect(blockingSummary(checkDraft(withError))?.zh).toMatch(/^草案有1处不符合GB\/T 1\.1—2020起草规则，须先修改（范围的表述）/);
    expect(blockingSummary(checkDraft(withError))?.zh).not.toContain('scope-wording');
  });

  it('gives every rule a bilingual message and a severity', () => {
    for (const [id, rule] of Object.entries(RULES)) {
      expect(['error', 'warning']).toContain(rule.severity);
      expect(id).toMatch(/^[a-z-]+$/);
    }
  });
});
