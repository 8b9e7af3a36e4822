// Zod schemas of every HTTP input: bodies, queries and path parameters. Objects are strict (unknown keys
// are refused), strings are trimmed and length-limited, and values that end up in MongoDB filters are
// validated as plain strings or enums, so an operator object such as {"$gt": ""} can never reach a query.
// Free text follows the one text rule (workflows/text-rule.ts, through ./safe-text).
// The OpenAPI document is generated from these same schemas.
import { z } from 'zod';
import { PROVINCES, PROVINCE_INFO, STAGES, STANDARD_KINDS, STANDARD_NUMBER_PATTERN, parseStandardNumber } from '../../workflows/domain';
import type {
  Action,
  ActorWithReason,
  ApprovalDecision,
  ExtendCommentPeriod,
  InitiationDecision,
  PublicityEvent,
  ReleaseDates,
  ReviewDecision,
  ReviewResult,
  Withdrawal,
} from '../../workflows/messages';
import { USERNAME_PATTERN } from '../../activities/data/users';
import { proposalCommentDaysSchema } from '../temporal/action-payloads';
import { safeText } from './safe-text';

/** A required, trimmed, non-empty string of at most `max` characters. */
export const text = (max: number) => safeText(max).min(1);
/** An optional trimmed string; an empty one counts as absent. */
export const optionalText = (max: number) =>
  safeText(max)
    .optional()
    .transform((s) => (s === '' ? undefined : s));

export const provinceSchema = z.enum(PROVINCES);
export const stageSchema = z.enum(STAGES);
export const usernameSchema = z.string().trim().toLowerCase().regex(USERNAME_PATTERN, 'letters, digits, . _ - (2–40)');
/** Ids of standards and events: what the server generates, nothing that could be an operator. */
export const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an id of letters, digits, _ and -');
export const standardNumberSchema = z.string().trim().regex(STANDARD_NUMBER_PATTERN, 'a number such as DB31/T 310003—2021');
const isoDate = z.iso.date();
const reason = optionalText(2000);
const requiredReason = text(2000);

export const signInSchema = z.strictObject({
  username: z.string().trim().toLowerCase().min(1).max(40),
  password: z.string().min(1).max(200),
});

export const proposeSchema = z.strictObject({
  titleZh: text(200),
  titleEn: text(300),
  kind: z.enum(STANDARD_KINDS),
  mandatory: z.boolean(),
  field: text(100),
  scope: text(2000),
  leadUnits: z.array(text(100)).min(1).max(10),
  participatingUnits: z.array(text(100)).max(20).default([]),
  plannedYear: z.number().int().min(2000).max(2100),
  batch: optionalText(50),
  ics: optionalText(30),
  ccs: optionalText(30),
  /** 本文件由…提出. */
  proposer: optionalText(200),
  /** 本文件由…归口. */
  technicalCommittee: optionalText(200),
  draftingUnits: z.array(text(100)).max(30).default([]),
  drafters: z.array(text(50)).max(50).default([]),
  /** Accounts that become drafters of this standard (the proposer's drafting group). */
  drafterUsernames: z.array(usernameSchema).max(50).default([]),
  /** Optional public comment on the proposal (立项公开征求意见): open for this many days from now. */
  proposalCommentDays: proposalCommentDaysSchema.optional(),
});
export type ProposeBody = z.output<typeof proposeSchema>;

export const listQuerySchema = z.strictObject({
  stage: stageSchema.optional(),
  /** Lead province. */
  province: provinceSchema.optional(),
  /** Words of the title, zh or en. */
  q: optionalText(100),
  page: z.coerce.number().int().min(1).max(10000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  /** Page language switch; ignored by the API. */
  lang: z.enum(['zh', 'en']).optional(),
});
export type ListQuery = z.output<typeof listQuerySchema>;

export const standardParamsSchema = z.strictObject({ id: idSchema });

export const draftersBodySchema = z.strictObject({ usernames: z.array(usernameSchema).min(1).max(50) });

export const PUBLICITY_EVENT_KINDS = ['training', 'qa', 'materials', 'meeting'] as const;
export const publicityEventBodySchema = z.strictObject({
  title: text(200),
  kind: z.enum(PUBLICITY_EVENT_KINDS),
  date: isoDate,
  location: optionalText(200),
  description: optionalText(4000),
});
export type PublicityEventBody = z.output<typeof publicityEventBodySchema>;

const needsReason = (msg: string) => ({ message: msg, path: ['reason'] });

/** Action payloads: the Update payloads of workflows/messages.ts minus `actor`. */
export const actionSchemas = {
  decideInitiation: z
    .strictObject({ province: provinceSchema, decision: z.enum(['approve', 'return', 'reject']), reason })
    .refine((p) => p.decision === 'approve' || Boolean(p.reason), needsReason('a reason is required to return or reject')),
  resubmit: z.strictObject({ reason }),
  submitForComment: z.strictObject({ reason }),
  extendCommentPeriod: z.strictObject({ newDeadline: z.iso.datetime({ offset: true }), reason: requiredReason }),
  completeCommentHandling: z.strictObject({ reason }),
  recordReviewResult: z
    .strictObject({ outcome: z.enum(['pass', 'passWithChanges', 'backToDrafting']), reason })
    .refine((p) => p.outcome !== 'backToDrafting' || Boolean(p.reason), needsReason('a reason is required to send the draft back')),
  submitForApproval: z.strictObject({ reason }),
  decideApproval: z
    .strictObject({ province: provinceSchema, decision: z.enum(['approve', 'return']), number: standardNumberSchema.optional(), reason })
    .refine((p) => p.decision !== 'approve' || p.number !== undefined, { message: 'approving needs the province number', path: ['number'] })
    .refine((p) => p.number === undefined || parseStandardNumber(p.number)?.dbCode === PROVINCE_INFO[p.province].dbCode, {
      message: "the number must use the province's code (DB31 Shanghai, DB32 Jiangsu, DB33 Zhejiang)",
      path: ['number'],
    })
    .refine((p) => p.decision === 'approve' || Boolean(p.reason), needsReason('a reason is required to return')),
  setReleaseDates: z
    .strictObject({ releaseDate: isoDate, implementationDate: isoDate })
    .refine((p) => p.implementationDate >= p.releaseDate, { message: 'the implementation date cannot be before the release date', path: ['implementationDate'] }),
  recordPublicityEvent: z.strictObject({ eventId: idSchema }),
  completePublicity: z.strictObject({ reason }),
  startReview: z.strictObject({ reason }),
  decideReview: z.strictObject({ outcome: z.enum(['continue', 'revise', 'abolish']), reason: requiredReason }),
  withdraw: z.strictObject({ reason: requiredReason }),
} satisfies Record<Action, z.ZodType>;

export type ActionPayload<A extends Action> = z.output<(typeof actionSchemas)[A]>;
export type AnyActionPayload = { [A in Action]: ActionPayload<A> }[Action];

export const actionParamsSchema = z.strictObject({ id: idSchema, action: z.enum(Object.keys(actionSchemas) as [Action, ...Action[]]) });

// The payloads must stay assignable to the workflow's Update arguments (minus actor): a change to
// messages.ts that the schemas do not follow fails the type check here.
type WithoutActor<T> = Omit<T, 'actor'>;
type Assert<T extends true> = T;
type Assignable<A, B> = [A] extends [B] ? true : false;
export type PayloadsMatchMessages = [
  Assert<Assignable<ActionPayload<'decideInitiation'>, WithoutActor<InitiationDecision>>>,
  Assert<Assignable<ActionPayload<'resubmit'>, WithoutActor<ActorWithReason>>>,
  Assert<Assignable<ActionPayload<'extendCommentPeriod'>, WithoutActor<ExtendCommentPeriod>>>,
  Assert<Assignable<ActionPayload<'recordReviewResult'>, WithoutActor<ReviewResult>>>,
  Assert<Assignable<ActionPayload<'decideApproval'>, WithoutActor<ApprovalDecision>>>,
  Assert<Assignable<ActionPayload<'setReleaseDates'>, WithoutActor<ReleaseDates>>>,
  Assert<Assignable<ActionPayload<'recordPublicityEvent'>, WithoutActor<PublicityEvent>>>,
  Assert<Assignable<ActionPayload<'decideReview'>, WithoutActor<ReviewDecision>>>,
  Assert<Assignable<ActionPayload<'withdraw'>, WithoutActor<Withdrawal>>>,
];
