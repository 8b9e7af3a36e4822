// A public comment as the store takes it in (before its id, receipt and text key), for the comment store's
// tests: the n-th of a standard, a pending, visible, document-wide technical comment unless told otherwise.
import { commentTextHash } from '../../../activities/comments/store';
import type { CommentRecord } from '../../../activities/comments/model';

export type Intake = Omit<CommentRecord, '_id' | 'receipt' | 'textKey'>;

export function publicIntake(standardId: string, n: number, text = `意见 ${n}`, over: Partial<Pick<Intake, 'type' | 'anchor' | 'submitter' | 'submissionKey'>> = {}): Intake {
  const anchor = over.anchor ?? { scope: 'document' };
  return {
    standardId,
    phase: 'publicComment',
    submissionKey: over.submissionKey ?? `${standardId}-key-${n}`,
    type: over.type ?? 'technical',
    anchor,
    comment: text,
    proposedChange: '',
    submitter: over.submitter ?? { name: '张三', organisation: '', province: 'SH', contact: `u${n}@example.org`, showName: false },
    createdAt: new Date(Date.UTC(2026, 10, 1, 0, 0, n)),
    textHash: commentTextHash(standardId, anchor.clauseId, text),
    status: 'pending',
    moderation: 'visible',
    moderationLog: [],
    addressHash: 'h',
  };
}
