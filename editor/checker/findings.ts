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
  'hanging-paragraph': { severity: 'error', checklist: 13 },
  'lone-subclause': { severity: 'error', checklist: 13 },
  'clause-depth': { severity: 'error', checklist: 14 },
  'empty-heading': { severity: 'error', checklist: 14 },
  'scope-wording': { severity: 'error', checklist: 7 },
  'terms-lead-in': { severity: 'error', checklist: 10 },
  'list-bullet-character': { severity: 'error', checklist: 16 },
  'reference-not-listed': { severity: 'error', checklist: 9 },
  'reference-not-cited': { severity: 'error', checklist: 9 },
  'dangling-xref': { severity: 'error', checklist: 9 },
  'reference-format': { severity: 'warning', checklist: 8 },
  'reference-year-mismatch': { severity: 'warning', checklist: 8 },
  'forbidden-modal': { severity: 'warning', checklist: 0 },
  'provision-in-informative': { severity: 'warning', checklist: 3 },
  'term-definition': { severity: 'warning', checklist: 11 },
  'list-lead-in': { severity: 'warning', checklist: 17 },
  'list-punctuation': { severity: 'warning', checklist: 17 },
  'mixed-titled-untitled': { severity: 'warning', checklist: 14 },
  'annex-not-referenced': { severity: 'warning', checklist: 22 },
  'typed-number': { severity: 'warning', checklist: 15 },
} as const satisfies Record<string, { severity: Severity; checklist: number }>;

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
  const rules = [...new Set(errors.map((f) => f.ruleId))];
  return {
    zh: `草案有${errors.length}处不符合GB/T 1.1—2020起草规则，须先修改（${rules.join('、')}）：${errors[0].message.zh}`,
    en: `The draft breaks ${errors.length} GB/T 1.1—2020 drafting rule(s) that must be fixed first (${rules.join(', ')}): ${errors[0].message.en}`,
  };
}
