// Validation of everything that reaches the comment module from outside: the public form (urlencoded or
// JSON), staff dispositions, moderation, province opinions and triage filters. Text fields follow the one
// text rule of every surface (workflows/text-rule.ts: control characters, bidirectional overrides, lone
// surrogates, noncharacters refused, newlines as LF) and are otherwise stored exactly as typed.
import { z } from 'zod';
import { PROVINCES } from '../../workflows/domain';
import { safeString } from '../../workflows/safe-text';
import { COMMENT_TYPES, COMMENTER_PROVINCES, DECISIONS } from '../../activities/comments/model';
import type { TriageFilter } from '../../activities/comments/store';

export const LIMITS = {
  comment: 10_000,
  proposedChange: 10_000,
  quote: 2_000,
  name: 100,
  organisation: 200,
  contact: 200,
  reason: 5_000,
} as const;

function text(max: number, label: { zh: string; en: string }) {
  return safeString({ label, error: `${label.zh}必须是文本 / ${label.en} must be text` }).refine((s) => s.length <= max, {
    message: `${label.zh}不能超过 ${max} 字 / ${label.en} is limited to ${max} characters`,
  });
}

const required = (max: number, label: { zh: string; en: string }) =>
  text(max, label).refine((s) => s.trim().length > 0, { message: `请填写${label.zh} / ${label.en} is required` });

const optional = (max: number, label: { zh: string; en: string }) => text(max, label).optional().transform((s) => (s === undefined || s.trim() === '' ? '' : s));

/** Checkbox values from HTML forms and booleans from JSON. */
const checkbox = z.union([z.boolean(), z.enum(['on', 'yes', 'true', '1', 'off', 'no', 'false', '0', ''])]).optional().transform((v) => v === true || v === 'on' || v === 'yes' || v === 'true' || v === '1');

export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const submissionSchema = z.object({
  submissionKey: z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, { message: '提交标识无效，请刷新页面后重试 / Invalid submission key; reload the page and try again' }),
  type: z.enum(COMMENT_TYPES, { error: '请选择意见类型 / Choose the type of comment' }),
  clauseId: z.string().regex(ID_PATTERN).optional().or(z.literal('').transform(() => undefined)),
  quote: optional(LIMITS.quote, { zh: '引用的原文', en: 'Quoted text' }),
  quoteOffset: z.union([z.number(), z.string().regex(/^\d{0,9}$/)]).optional().transform((v) => (v === undefined || v === '' ? undefined : Number(v))),
  comment: required(LIMITS.comment, { zh: '意见内容', en: 'Comment' }),
  proposedChange: optional(LIMITS.proposedChange, { zh: '修改建议', en: 'Proposed change' }),
  name: required(LIMITS.name, { zh: '姓名', en: 'Name' }),
  organisation: optional(LIMITS.organisation, { zh: '单位', en: 'Organisation' }),
  province: z.enum(COMMENTER_PROVINCES, { error: '请选择所在省市 / Choose your province' }),
  contact: optional(LIMITS.contact, { zh: '联系方式', en: 'Contact' }),
  showName: checkbox,
  /** Honeypot: a field hidden from people; anything typed here marks a robot. */
  website: z.string().max(500).optional(),
});
export type Submission = z.output<typeof submissionSchema>;

export const dispositionSchema = z
  .object({
    decision: z.enum(DECISIONS, { error: '请选择处理意见 / Choose a decision' }),
    reason: optional(LIMITS.reason, { zh: '理由', en: 'Reason' }),
    versionId: z.string().regex(ID_PATTERN).optional().or(z.literal('').transform(() => undefined)),
    remark: optional(LIMITS.reason, { zh: '备注', en: 'Remark' }),
  })
  .refine((d) => d.decision === 'accepted' || d.reason.trim().length > 0, {
    message: '部分采纳或不采纳时必须说明理由 / A reason is required unless the comment is accepted',
    path: ['reason'],
  });

export const moderationSchema = z.object({
  to: z.enum(['visible', 'hidden']),
  reason: required(LIMITS.reason, { zh: '理由', en: 'Reason' }),
});

export const provinceOpinionSchema = z.object({
  opinion: required(LIMITS.reason, { zh: '省级意见', en: 'Provincial opinion' }),
});

export const provinceReviewSchema = z.object({
  province: z.enum(PROVINCES),
  opinion: required(LIMITS.reason, { zh: '汇总意见', en: 'Consolidated opinion' }),
});

export const triageFilterSchema = z.object({
  clause: z.string().regex(ID_PATTERN).optional().or(z.literal('').transform(() => undefined)),
  type: z.enum(COMMENT_TYPES).optional().or(z.literal('').transform(() => undefined)),
  province: z.enum(COMMENTER_PROVINCES).optional().or(z.literal('').transform(() => undefined)),
  status: z.enum(['pending', 'disposed', 'hidden', 'duplicate']).optional().or(z.literal('').transform(() => undefined)),
}) satisfies z.ZodType<TriageFilter, unknown>;

export const receiptSchema = z.string().trim().toUpperCase().regex(/^[A-Z0-9-]{6,20}$/);
