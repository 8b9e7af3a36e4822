// The drafting rules the checker knows, their severity and their bilingual messages. `error` findings block
// submission at a stage change (the lifecycle's validators refuse the transition); `warning` findings are
// shown next to the clause and left to the drafters' judgement.
//
// What is an error: a rule of GB/T 1.1—2020 whose breach makes the text non-conforming for certain and
// that the drafters can always fix — structure (hanging paragraph, lone sub-clause, depth), the fixed
// wording of chapters 1 and 3, typed bullet characters, normative references missing from or superfluous
// in chapter 2, broken cross-references, empty headings. What is a warning: wording that needs a human
// reading (必须/需要, provisions in notes or the 前言, definitions, list punctuation, mixed titled and
// untitled clauses, an annex nobody refers to), because the checker cannot tell every use from a misuse.

export type Severity = 'error' | 'warning';

export interface Bilingual {
  zh: string;
  en: string;
}

export interface Finding {
  ruleId: RuleId;
  severity: Severity;
  /** Id of the clause (or chapter, annex, 前言 …) the finding belongs to, to show it next to that clause. */
  clauseId: string | null;
  /** Id of the block at fault when it is not the clause itself (a paragraph, list, term entry …). */
  nodeId?: string | null;
  message: Bilingual;
}

export const RULES = {
  'hanging-paragraph': { severity: 'error', checklist: 13, name: { zh: '悬置段', en: 'Hanging paragraph' } },
  'lone-subclause': { severity: 'error', checklist: 13, name: { zh: '单独的下级条', en: 'Lone sub-clause' } },
  'clause-depth': { severity: 'error', checklist: 14, name: { zh: '条的层次过深', en: 'Clause nested too deep' } },
  'empty-heading': { severity: 'error', checklist: 14, name: { zh: '标题为空', en: 'Empty heading' } },
  'scope-wording': { severity: 'error', checklist: 7, name: { zh: '范围的表述', en: 'Wording of the scope' } },
  'terms-lead-in': { severity: 'error', checklist: 10, name: { zh: '术语和定义的引导语', en: 'Lead-in of terms and definitions' } },
  'list-bullet-character': { severity: 'error', checklist: 16, name: { zh: '手工输入的列项符号', en: 'Typed list bullet' } },
  'reference-not-listed': { severity: 'error', checklist: 9, name: { zh: '引用文件未列入规范性引用文件', en: 'Cited document not listed in the normative references' } },
  'reference-not-cited': { severity: 'error', checklist: 9, name: { zh: '规范性引用文件未被引用', en: 'Normative reference not cited' } },
  'dangling-xref': { severity: 'error', checklist: 9, name: { zh: '交叉引用的目标不存在', en: 'Cross-reference to nothing' } },
  'reference-format': { severity: 'warning', checklist: 8, name: { zh: '引用文件的格式', en: 'Format of a reference' } },
  'reference-year-mismatch': { severity: 'warning', checklist: 8, name: { zh: '引用文件的年代号不一致', en: 'Year of a reference differs' } },
  'forbidden-modal': { severity: 'warning', checklist: 0, name: { zh: '不宜使用的助动词', en: 'Modal verb to avoid' } },
  'provision-in-informative': { severity: 'warning', checklist: 3, name: { zh: '资料性内容中的要求', en: 'Provision in informative text' } },
  'term-definition': { severity: 'warning', checklist: 11, name: { zh: '术语的定义', en: 'Definition of a term' } },
  'list-lead-in': { severity: 'warning', checklist: 17, name: { zh: '列项的引导语', en: 'Lead-in of a list' } },
  'list-punctuation': { severity: 'warning', checklist: 17, name: { zh: '列项的标点', en: 'Punctuation of a list' } },
  'mixed-titled-untitled': { severity: 'warning', checklist: 14, name: { zh: '有标题条与无标题条混用', en: 'Titled and untitled clauses mixed' } },
  'annex-not-referenced': { severity: 'warning', checklist: 22, name: { zh: '附录未被提及', en: 'Annex not referred to' } },
  'typed-number': { severity: 'warning', checklist: 15, name: { zh: '手工输入的编号', en: 'Typed number' } },
  'formula-where-missing': { severity: 'warning', checklist: 21, name: { zh: '公式缺少「式中」', en: 'Formula without 式中' } },
  'formula-symbol-unexplained': { severity: 'warning', checklist: 21, name: { zh: '公式中的符号未解释', en: 'Formula symbol not explained' } },
  'formula-typed-subscript': { severity: 'warning', checklist: 21, name: { zh: '公式中的下标未设为下标', en: 'Subscript typed on the formula line' } },
  'table-not-referenced': { severity: 'warning', checklist: 19, name: { zh: '表未被提及', en: 'Table not referred to' } },
  'figure-not-referenced': { severity: 'warning', checklist: 20, name: { zh: '图未被提及', en: 'Figure not referred to' } },
} as const satisfies Record<string, { severity: Severity; checklist: number; name: Bilingual }>;

export type RuleId = keyof typeof RULES;

export function finding(ruleId: RuleId, clauseId: string | null, message: Bilingual, nodeId?: string | null): Finding {
  return { ruleId, severity: RULES[ruleId].severity, clauseId, ...(nodeId ? { nodeId } : {}), message };
}

/** True when any finding blocks a stage change. */
export function hasBlockingFindings(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

/**
 * A one-line bilingual summary of the findings that block a stage change, for the refusal message of a
 * submission (the findings themselves go in the error's details); null when nothing blocks.
 */
export function blockingSummary(findings: readonly Finding[]): Bilingual | null {
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length === 0) return null;
  const rules = [...new Set(errors.map((f) => f.ruleId))].map((id) => RULES[id].name);
  return {
    zh: `草案有${errors.length}处不符合GB/T 1.1—2020起草规则，须先修改（${rules.map((r) => r.zh).join('、')}）：${errors[0].message.zh}`,
    en: `The draft breaks ${errors.length} GB/T 1.1—2020 drafting rule(s) that must be fixed first (${rules.map((r) => r.en).join('; ')}): ${errors[0].message.en}`,
  };
}
