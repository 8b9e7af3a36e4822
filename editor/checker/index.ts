// The drafting-rule checker: `checkDraft(doc)` → findings with rule id, severity and clause id.
export { checkDraft } from './check-draft';
export { blockingSummary, hasBlockingFindings, RULES, finding, type Finding, type RuleId, type Severity, type Bilingual } from './findings';
