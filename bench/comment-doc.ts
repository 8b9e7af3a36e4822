// One comment document shaped like a real public comment, for the benchmarks that seed the comments
// collection directly (bench:scale, bench:store, bench/scale-export.ts): one shape, so their figures compare.
import { createHash } from 'node:crypto';
import { commentIdFor, commentTextHash, newReceipt } from '../activities/comments/store';
import type { CommentRecord } from '../activities/comments/model';

export interface BenchCommentOptions {
  standardId: string;
  /** Prefix of the submission key (keeps each benchmark's comments apart). */
  keyPrefix: string;
  /** createdAt of comment 0; comment n is n seconds later. */
  t0: number;
  /** Every other comment disposed (rejected with a reason) and one in 97 hidden, as in a handled consultation. */
  handled?: boolean;
}

export function benchComment(n: number, o: BenchCommentOptions): CommentRecord {
  const submissionKey = `${o.keyPrefix}-${n}`;
  const comment = `第${n}条意见：建议将采样频次由每月一次改为每月两次，以反映汛期水质变化。`;
  const clauseId = n % 3 === 0 ? undefined : n % 3 === 1 ? 'c51' : 'c52';
  const textHash = commentTextHash(o.standardId, clauseId, comment);
  const disposed = o.handled === true && n % 2 === 1;
  return {
    _id: commentIdFor(submissionKey),
    standardId: o.standardId,
    phase: 'publicComment',
    submissionKey,
    receipt: newReceipt(),
    type: (['editorial', 'technical', 'general'] as const)[n % 3],
    anchor: clauseId ? { scope: 'clause', clauseId, clauseNumber: clauseId === 'c51' ? '5.1' : '5.2' } : { scope: 'document' },
    comment,
    proposedChange: n % 2 ? '每月两次。' : '',
    submitter: { name: `评论人${n}`, organisation: '某环境监测站', province: (['SH', 'JS', 'ZJ', 'other'] as const)[n % 4], contact: `c${n}@example.org`, showName: n % 5 === 0 },
    createdAt: new Date(o.t0 + n * 1000),
    textHash,
    textKey: textHash,
    status: disposed ? 'disposed' : 'pending',
    moderation: o.handled === true && n % 97 === 0 ? 'hidden' : 'visible',
    moderationLog: [],
    addressHash: createHash('sha256').update(`a${n % 500}`).digest('hex').slice(0, 32),
    ...(disposed ? { disposition: { decision: 'rejected' as const, reason: '现有频次已能反映变化。', by: { userId: 'u', displayName: '起草组', role: 'drafter' as const }, at: new Date(o.t0) } } : {}),
  };
}
