// The public-comment record and its vocabulary. One MongoDB document per comment in `comments`; the
// lifecycle relies on `standardId`, `status` and `moderation` (see `pendingCommentCount` in ./store.ts), so those
// three fields and their values are a contract and must not be renamed.
import type { CommentAnchor } from '../../editor/anchors';
import type { Province, Role } from '../../workflows/domain';

export const COMMENT_TYPES = ['general', 'technical', 'editorial'] as const;
export type CommentType = (typeof COMMENT_TYPES)[number];
export const COMMENT_TYPE_LABELS: Record<CommentType, { zh: string; en: string }> = {
  general: { zh: '一般性', en: 'General' },
  technical: { zh: '技术性', en: 'Technical' },
  editorial: { zh: '编辑性', en: 'Editorial' },
};

export const DECISIONS = ['accepted', 'partiallyAccepted', 'rejected'] as const;
export type Decision = (typeof DECISIONS)[number];
export const DECISION_LABELS: Record<Decision, { zh: string; en: string }> = {
  accepted: { zh: '采纳', en: 'Accepted' },
  partiallyAccepted: { zh: '部分采纳', en: 'Partially accepted' },
  rejected: { zh: '不采纳', en: 'Not accepted' },
};

/** Where a commenter says they are from: one of the three provinces or elsewhere. */
export const COMMENTER_PROVINCES = ['SH', 'JS', 'ZJ', 'other'] as const;
export type CommenterProvince = (typeof COMMENTER_PROVINCES)[number];
export const COMMENTER_PROVINCE_LABELS: Record<CommenterProvince, { zh: string; en: string }> = {
  SH: { zh: '上海市', en: 'Shanghai' },
  JS: { zh: '江苏省', en: 'Jiangsu' },
  ZJ: { zh: '浙江省', en: 'Zhejiang' },
  other: { zh: '其他地区', en: 'Elsewhere' },
};

/** Which consultation a comment belongs to: the 征求意见稿, or the proposal at 立项. */
export type CommentPhase = 'publicComment' | 'initiation';

export type CommentStatus = 'pending' | 'disposed';
export type Moderation = 'visible' | 'hidden';

export interface Submitter {
  name: string;
  organisation: string;
  province: CommenterProvince;
  contact: string;
  /** Consent to show the name (and organisation) on public pages. */
  showName: boolean;
}

export interface Who {
  userId: string;
  displayName: string;
  role: Role;
  province?: Province;
}

export interface DispositionRecord {
  decision: Decision;
  /** Required unless accepted. */
  reason: string;
  /** The version that carried the change, when there is one. */
  versionId?: string;
  /** 备注. */
  remark?: string;
  by: Who;
  at: Date;
}

export interface ModerationEvent {
  to: Moderation;
  reason: string;
  by: Who;
  at: Date;
}

export interface ProvinceOpinion {
  opinion: string;
  by: Who;
  at: Date;
}

export interface CommentRecord {
  /** `c` + 24 hex digits of sha256(submissionKey): a retry finds its comment by primary key. */
  _id: string;
  standardId: string;
  phase: CommentPhase;
  /** The version the commenter read (征求意见稿), when known. */
  versionId?: string;
  /** Client- or form-supplied idempotency key; unique. */
  submissionKey: string;
  /** Receipt code shown to the commenter; unique. */
  receipt: string;
  type: CommentType;
  anchor: CommentAnchor;
  comment: string;
  proposedChange: string;
  submitter: Submitter;
  createdAt: Date;
  /** sha256 of standard, clause and normalised comment text, for duplicate detection. */
  textHash: string;
  /** Unique: the text hash for the first comment with that text, `<hash>:<id>` for later ones. */
  textKey: string;
  /** Receipt of an earlier comment with the same text on the same clause; flagged, never dropped. */
  duplicateOf?: string;
  status: CommentStatus;
  moderation: Moderation;
  moderationLog: ModerationEvent[];
  disposition?: DispositionRecord;
  provinceOpinion?: ProvinceOpinion;
  /** Hash of the client address, for abuse review without keeping the address itself. */
  addressHash: string;
}

/** One row of `comment_audit`: who changed what on a comment, and the values before and after. */
export interface CommentAuditRecord {
  _id?: string;
  standardId: string;
  commentId: string;
  receipt: string;
  action: 'dispose' | 'moderate' | 'provinceOpinion' | 'publish';
  by: Who;
  at: Date;
  before: Record<string, unknown> | null;
  after: Record<string, unknown>;
}

/** A province's consolidated opinion on its comments (one per standard and province). */
export interface ProvinceReviewRecord {
  _id: string;
  standardId: string;
  province: Province;
  opinion: string;
  by: Who;
  at: Date;
}

/** Publication of dispositions to the public page; also queues outcome notices. */
export interface PublicationRecord {
  _id: string;
  publishedAt: Date;
  by: Who;
  comments: number;
}

/** One outcome notice to a commenter; sent by activities/comments/notices.ts. */
export interface OutboxRecord {
  _id: string;
  standardId: string;
  commentId: string;
  receipt: string;
  to: string;
  channel: 'email' | 'manual';
  subject: string;
  text: string;
  status: 'queued' | 'sent' | 'failed' | 'manual';
  attempts: number;
  createdAt: Date;
  sentAt?: Date;
  lastError?: string;
}

export const COLLECTIONS = {
  comments: 'comments',
  audit: 'comment_audit',
  provinceReviews: 'comment_province_reviews',
  publications: 'comment_publications',
  outbox: 'comment_outbox',
  receipts: 'comment_receipts',
} as const;

/**
 * A receipt code as a key: `_id` is the receipt, so a lookup is an `_id` (index) lookup and the unique `_id`
 * is the collision check. Written before its comment; a row whose comment is missing, or whose comment holds
 * another receipt (a crash between the two writes, then a retry), reads as not found.
 */
export interface ReceiptRecord {
  _id: string;
  commentId: string;
  standardId: string;
}
