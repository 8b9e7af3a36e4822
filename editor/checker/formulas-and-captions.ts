// Drafting rules on formulas, tables and figures (issue 13 items 4 and 8): every symbol of a formula is
// explained after 「式中：」 and its subscripts are marked as subscripts, not typed on the line (rule 21);
// every table and figure is referred to from the text (rules 19 and 20), by a cross-reference or by its
// number typed as 「表3」/「图A.1」. Warnings: the drafters judge, the checker points.
import type { Numbering } from '../numbering';
import type { NodeJSON } from '../types';
import { formulaSymbols, normaliseSymbol } from '../formula-symbols';
import { finding, type Finding } from './findings';

/** Findings of one formula: no 式中, unexplained symbols, subscripts typed on the line. */
export function checkFormula(n: NodeJSON, clauseId: string | null, numbering: Numbering): Finding[] {
  const id = typeof n.attrs?.id === 'string' ? n.attrs.id : null;
  const label = `公式(${(id && numbering.byId[id]?.number) || '?'})`;
  const labelEn = `Formula (${(id && numbering.byId[id]?.number) || '?'})`;
  const line = (n.content ?? []).find((c) => c.type === 'formulaText');
  const symbols = formulaSymbols(line?.content);
  const explained = new Set((n.content ?? []).filter((c) => c.type === 'formulaSymbol').map((c) => normaliseSymbol(String(c.attrs?.symbol ?? ''))));
  const out: Finding[] = [];
  const typed = symbols.filter((s) => s.typedSubscript).map((s) => s.key);
  if (typed.length) {
    out.push(finding('formula-typed-subscript', clauseId, { zh: `${label}中的${typed.join('、')}的下标是直接输入的，应设为下标。`, en: `${labelEn}: the subscripts of ${typed.join(', ')} are typed on the line; mark them as subscripts.` }, id));
  }
  if (symbols.length && explained.size === 0) {
    out.push(finding('formula-where-missing', clauseId, { zh: `${label}后缺少「式中：」，其中的符号${symbols.map((s) => s.key).join('、')}未解释。`, en: `${labelEn} has no 式中 explaining its symbols ${symbols.map((s) => s.key).join(', ')}.` }, id));
    return out;
  }
  const missing = symbols.filter((s) => !explained.has(s.key)).map((s) => s.key);
  if (missing.length) {
    out.push(finding('formula-symbol-unexplained', clauseId, { zh: `${label}中的符号${missing.join('、')}未在「式中」解释。`, en: `${labelEn}: the symbols ${missing.join(', ')} are not explained under 式中.` }, id));
  }
  return out;
}

/** 「表3」, 「表 A.1」, 「图2」 typed in a text: the numbers mentioned. */
export function captionMentions(t: string, into: { tables: Set<string>; figures: Set<string> }): void {
  for (const m of t.matchAll(/([表图])\s?([A-Z]\.\d+|\d+)/g)) (m[1] === '表' ? into.tables : into.figures).add(m[2]);
}

/** Tables and figures of the document, in order, with the section they stand in. */
export function captionedBlocks(doc: NodeJSON): { node: NodeJSON; sectionId: string | null }[] {
  const out: { node: NodeJSON; sectionId: string | null }[] = [];
  const walk = (n: NodeJSON, section: string | null): void => {
    const id = typeof n.attrs?.id === 'string' ? n.attrs.id : null;
    if (n.type === 'table' || n.type === 'figure') out.push({ node: n, sectionId: section });
    const here = /^(chapter|annex|clause\d|introduction|foreword|scope|termsAndDefinitions)$/.test(n.type) && id ? id : section;
    for (const c of n.content ?? []) walk(c, here);
  };
  walk(doc, null);
  return out;
}

/** Tables and figures that no cross-reference targets and whose number is typed nowhere in the text. */
export function checkCaptionReferences(doc: NodeJSON, numbering: Numbering, xrefTargets: ReadonlySet<string>, mentions: { tables: Set<string>; figures: Set<string> }): Finding[] {
  const out: Finding[] = [];
  for (const { node, sectionId } of captionedBlocks(doc)) {
    const id = typeof node.attrs?.id === 'string' ? node.attrs.id : null;
    const number = id ? numbering.byId[id]?.number : undefined;
    const table = node.type === 'table';
    if ((id && xrefTargets.has(id)) || (number && (table ? mentions.tables : mentions.figures).has(number))) continue;
    const zh = table ? '表' : '图';
    out.push(
      finding(table ? 'table-not-referenced' : 'figure-not-referenced', sectionId, { zh: `正文中没有提及${zh}${number ?? ''}。`, en: `${table ? 'Table' : 'Figure'} ${number ?? ''} is not referred to from the text.` }, id),
    );
  }
  return out;
}
