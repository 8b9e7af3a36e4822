// Intake of one public comment: validation, the honeypot, the open-period check against the lifecycle's
// projection (strictly before the deadline), the anchor (clause number at submission, quote offset, Yjs
// relative position) and the idempotent insert. Returns the stored comment and whether it is new.
import { createHash } from 'node:crypto';
import { AppError } from '../../activities/infra/errors';
import { clausesOf } from '../../editor/clauses';
import { locateQuote, relativePositionFor, type DraftSnapshot } from '../../editor/anchors';
import type { CommentRecord } from '../../activities/comments/model';
import type { CommentAnchor } from '../../editor/anchors';
import { openPeriod, type ConsultationStandard } from '../../activities/data/consultation-standards';
import { submissionSchema, type Submission } from './schemas';
import { commentIdFor, commentTextHash, type CommentsStore } from '../../activities/comments/store';

export interface IntakeContext {
  store: CommentsStore;
  getStandard(standardId: string): Promise<ConsultationStandard | null>;
  getCommentDraft(standardId: string): Promise<DraftSnapshot | null>;
  now(): Date;
  addressSalt: string;
  fragment?: string;
}

/** Turns zod issues into the `{ field, message }` list shown next to form fields. */
export function fieldErrors(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): Array<{ field: string; message: string }> {
  return issues.map((i) => ({ field: String(i.path[0] ?? ''), message: i.message }));
}

export function parseSubmission(body: unknown): Submission {
  const parsed = submissionSchema.safeParse(body ?? {});
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', { zh: '提交的内容有误，请检查标出的项目', en: 'Some fields need attention' }, { details: fieldErrors(parsed.error.issues) });
  }
  if (parsed.data.website && parsed.data.website.trim() !== '') {
    throw new AppError('VALIDATION_FAILED', { zh: '提交未被接受：请勿填写隐藏字段', en: 'Submission refused: a hidden field was filled in' }, { details: [{ field: 'website', message: 'honeypot' }] });
  }
  return parsed.data;
}

export function closedError(std: ConsultationStandard): AppError {
  return new AppError(
    'STAGE_CONFLICT',
    {
      zh: `《${std.titleZh}》的意见征求期已结束或尚未开始，不再接受意见。`,
      en: `The comment period for “${std.titleEn}” is closed (or not open yet); comments are no longer accepted.`,
    },
    { details: { standardId: std._id, deadline: std.commentDeadline ?? std.proposalCommentDeadline ?? null } },
  );
}

export function notFoundStandard(): AppError {
  return new AppError('NOT_FOUND', { zh: '没有这项标准', en: 'No such standard' });
}

function anchorFor(ctx: IntakeContext, s: Submission, draft: DraftSnapshot | null): CommentAnchor {
  if (!s.clauseId) return { scope: 'document' };
  if (!draft) throw new AppError('VALIDATION_FAILED', { zh: '意见稿尚未公布，只能对全文提意见', en: 'The draft is not published; comment on the whole document' }, { details: [{ field: 'clauseId', message: 'no draft' }] });
  const clause = clausesOf(draft.json).get(s.clauseId);
  if (!clause) {
    throw new AppError('VALIDATION_FAILED', { zh: '所选条款不存在', en: 'The chosen clause does not exist' }, { details: [{ field: 'clauseId', message: 'unknown clause' }] });
  }
  const base: CommentAnchor = { scope: 'clause', clauseId: clause.id, clauseNumber: clause.label, clauseTitle: clause.title };
  if (!s.quote) return base;
  const offset = locateQuote(clause, s.quote, s.quoteOffset);
  const anchor: CommentAnchor = { ...base, scope: 'passage', quote: s.quote };
  if (offset === undefined) return anchor;
  anchor.quoteOffset = offset;
  if (draft.yState) {
    const rel = relativePositionFor(draft.yState, clause.id, offset, ctx.fragment);
    if (rel) anchor.relPos = rel;
  }
  return anchor;
}

/** Validates and stores one submission. Throws AppError 400/404/409 as the case may be. */
export async function acceptComment(ctx: IntakeContext, standardId: string, body: unknown, address: string): Promise<{ comment: CommentRecord; created: boolean }> {
  const s = parseSubmission(body);
  const std = await ctx.getStandard(standardId);
  if (!std) throw notFoundStandard();
  const period = openPeriod(std, ctx.now());
  if (!period) {
    // A retry of a submission stored before the deadline still gets its receipt.
    const stored = await ctx.store.comments.findOne({ _id: commentIdFor(s.submissionKey), standardId });
    if (stored) return { comment: stored, created: false };
    throw closedError(std);
  }
  const draft = s.clauseId ? await ctx.getCommentDraft(standardId) : null;
  const anchor = anchorFor(ctx, s, draft);
  const rec: Omit<CommentRecord, '_id' | 'receipt' | 'textKey'> = {
    standardId,
    phase: period.phase,
    ...(draft ? { versionId: draft.versionId } : {}),
    submissionKey: s.submissionKey,
    type: s.type,
    anchor,
    comment: s.comment,
    proposedChange: s.proposedChange,
    submitter: { name: s.name, organisation: s.organisation, province: s.province, contact: s.contact, showName: s.showName },
    createdAt: ctx.now(),
    textHash: commentTextHash(standardId, anchor.clauseId, s.comment),
    status: 'pending',
    moderation: 'visible',
    moderationLog: [],
    addressHash: createHash('sha256').update(`${ctx.addressSalt}:${address}`).digest('hex').slice(0, 32),
  };
  return ctx.store.insertOnce(rec);
}
