// One row of the 征求意见汇总处理表 from a stored comment, shared by the DOCX, the CSV and the public
// disposition page. The clause column names the clause by its number in the 征求意见稿 the commenter read
// (the draft the table accompanies) and, where the revised text renumbered or deleted it, says so in words
// that cannot be mistaken for the draft's own numbering (「5.2（修改后为5.3）」, 「5.2（修改后已删除）」).
import type { ClauseInfo } from '../../editor/clauses';
import { resolveAnchor, type DraftSnapshot } from '../../editor/anchors';
import { COMMENT_TYPE_LABELS, COMMENTER_PROVINCE_LABELS, DECISION_LABELS, type CommentRecord, type DispositionRecord } from './model';

/**
 * What a row (and the table's 说明 tally) reads of a comment: an export asks the store for these fields only
 * (TABLE_PROJECTION), so the embedded store decodes no others of 50,000 stored comments (issue 11).
 */
export type TableComment = Pick<CommentRecord, '_id' | 'createdAt' | 'receipt' | 'type' | 'phase' | 'anchor' | 'comment' | 'proposedChange' | 'moderation' | 'duplicateOf'> & {
  submitter: Pick<CommentRecord['submitter'], 'name' | 'organisation' | 'province' | 'showName'>;
  disposition?: Pick<DispositionRecord, 'decision' | 'reason' | 'remark' | 'versionId'>;
  provinceOpinion?: Pick<NonNullable<CommentRecord['provinceOpinion']>, 'opinion'>;
};

/**
 * The projection that reads a TableComment (the keyset's `_id` and `createdAt` included). Whole top-level fields:
 * the few unprinted ones inside them (the submitter's contact, who disposed and when) cost less to send than the
 * embedded store spends projecting nested paths.
 */
export const TABLE_PROJECTION = {
  _id: 1,
  // Not printed: with the filter's field in it, the embedded store returns the decoded fields as they are instead
  // of projecting each document again (ferretdb-exact-go-fields.ts `exactProjectionCovered`).
  standardId: 1,
  createdAt: 1,
  receipt: 1,
  type: 1,
  phase: 1,
  anchor: 1,
  comment: 1,
  proposedChange: 1,
  moderation: 1,
  duplicateOf: 1,
  submitter: 1,
  disposition: 1,
  provinceOpinion: 1,
} as const;

export interface TableRow {
  no: number;
  receipt: string;
  clause: string;
  comment: string;
  proposedChange: string;
  from: string;
  decision: { zh: string; en: string };
  reason: string;
  /** 处理意见 as printed: 「采纳」 or 「不采纳：理由」. */
  dispositionText: string;
  remark: string;
}

/** A quoted passage as printed: one that stops mid-phrase (no closing punctuation) is marked 「……」. */
export function quoted(quote: string): string {
  const q = quote.trim();
  return /[。；，、：！？」）”…]$/.test(q) ? q : `${q}……`;
}

export function clauseColumn(c: Pick<TableComment, 'anchor'>, current: DraftSnapshot | null, clauses?: ReadonlyMap<string, ClauseInfo>): string {
  if (c.anchor.scope === 'document' || !c.anchor.clauseId) return '全文';
  const at = c.anchor.clauseNumber ?? '';
  if (!current) return at;
  const r = resolveAnchor(c.anchor, current, clauses);
  if (r.state === 'deleted') return `${at}（修改后已删除）`;
  if (r.renumbered && r.currentLabel) return `${at}（修改后为${r.currentLabel}）`;
  // Unchanged: the number the commenter saw, which is the 征求意见稿's.
  return at || r.currentLabel || '';
}

/**
 * Builds a row. `forPublic` shows the commenter's name and organisation only with their consent (otherwise
 * 「上海市公众」 etc.); the internal table always names them.
 */
export function tableRow(c: TableComment, no: number, current: DraftSnapshot | null, clauses: ReadonlyMap<string, ClauseInfo> | undefined, forPublic: boolean, versionNames?: ReadonlyMap<string, string>): TableRow {
  const prov = COMMENTER_PROVINCE_LABELS[c.submitter.province] ?? COMMENTER_PROVINCE_LABELS.other;
  const named = [c.submitter.organisation, c.submitter.organisation ? '' : c.submitter.name].filter(Boolean).join('');
  const from = forPublic && !c.submitter.showName ? `${prov.zh}公众` : `${named || c.submitter.name}（${prov.zh}）`;
  const decision = c.disposition ? DECISION_LABELS[c.disposition.decision] : { zh: '待处理', en: 'Pending' };
  const reason = c.disposition?.reason ?? '';
  const remark = [
    `${COMMENT_TYPE_LABELS[c.type].zh}`,
    c.phase === 'initiation' ? '立项阶段意见' : '',
    c.duplicateOf ? `重复意见（同 ${c.duplicateOf}）` : '',
    c.provinceOpinion && !forPublic ? `省级意见：${c.provinceOpinion.opinion}` : '',
    c.disposition?.remark ?? '',
    c.disposition?.versionId && !forPublic ? `修改见版本 ${versionNames?.get(c.disposition.versionId) ?? c.disposition.versionId}` : '',
    forPublic ? '' : `回执 ${c.receipt}`,
  ].filter(Boolean).join('；');
  const comment = c.anchor.quote ? `原文：「${quoted(c.anchor.quote)}」\n${c.comment}` : c.comment;
  return {
    no,
    receipt: c.receipt,
    clause: clauseColumn(c, current, clauses),
    comment,
    proposedChange: c.proposedChange,
    from,
    decision,
    reason,
    dispositionText: reason ? `${decision.zh}：${reason}` : decision.zh,
    remark,
  };
}
