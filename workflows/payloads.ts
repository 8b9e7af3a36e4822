// The one schema of each lifecycle action's payload and of a proposal, used by the HTTP layer
// (server/http), the lifecycle service (server/temporal/lifecycle-service.ts) and the OpenAPI document.
// The actor is added by the server from the session, never taken from the body. Strict objects: unknown
// keys, operator objects such as {"$gt": ""} and wrong types are refused before anything reaches
// Temporal. Free text follows the one text rule (./text-rule.ts, through ./safe-text.ts).
// Pure: not imported by the workflow code (the workflow's own validators stay as they are, so the bundle
// and its histories do not change), but free of I/O so any layer may use it.
import { z } from 'zod';
import { PROVINCES, PROVINCE_INFO, STANDARD_KINDS, STANDARD_NUMBER_PATTERN, normalizeStandardNumber, parseStandardNumber } from './domain';
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
} from './messages';
import { safeText } from './safe-text';

/** A required, trimmed, non-empty string of at most `max` characters. */
export const text = (max: number) => safeText(max).min(1);
/** An optional trimmed string; an empty one counts as absent. */
export const optionalText = (max: number) =>
  safeText(max)
    .optional()
    .transform((s) => (s === '' ? undefined : s));

export const provinceSchema = z.enum(PROVINCES);
/** Ids of standards and events: what the server generates, nothing that could be an operator. */
export const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an id of letters, digits, _ and -');
/**
 * A refusal message in both languages: zod keeps the English, `params.i18n` carries both for the HTTP
 * layer (server/http/validate.ts), as the text rule's `params.textRule` does.
 */
export function bilingual(zh: string, en: string, path?: string[]): { message: string; params: { i18n: { zh: string; en: string } }; path?: string[] } {
  return { message: en, params: { i18n: { zh, en } }, ...(path ? { path } : {}) };
}

/**
 * The one check of a number's format (the province's code is checked against the province below). The
 * number is first written the one way (normalizeStandardNumber: hyphens, dashes and a missing space as
 * people type them become `DB31/T 310099—2026`).
 */
export const standardNumberSchema = z
  .string()
  .overwrite(normalizeStandardNumber)
  .regex(STANDARD_NUMBER_PATTERN, 'a number such as DB31/T 310003—2021');
const isoDate = z.iso.date();
const reason = optionalText(2000);
const requiredReason = text(2000);

/** Days of the optional public comment on a proposal (立项公开征求意见). */
export const proposalCommentDaysSchema = z.number().int().min(1).max(60);

/** What `propose` accepts: the proposal's cover data. The lead province is the proposer's. */
export const proposalSchema = z.strictObject({
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
  /** Optional public comment on the proposal (立项公开征求意见): open for this many days from now. */
  proposalCommentDays: proposalCommentDaysSchema.optional(),
});
export type ProposalInput = z.input<typeof proposalSchema>;

/**
 * What the lead department may change in a returned proposal before resubmitting it (修改后重新提交 at
 * initiation): the proposal's own fields, checked by the one proposal schema. The kind, the mandatory
 * choice and the public comment on the proposal stay as proposed.
 */
export const proposalAmendmentSchema = proposalSchema.pick({
  titleZh: true,
  titleEn: true,
  field: true,
  scope: true,
  leadUnits: true,
  participatingUnits: true,
  plannedYear: true,
  batch: true,
  ics: true,
  ccs: true,
  proposer: true,
  technicalCommittee: true,
  draftingUnits: true,
  drafters: true,
});
export type ProposalAmendment = z.output<typeof proposalAmendmentSchema>;
export const PROPOSAL_AMENDMENT_FIELDS = Object.keys(proposalAmendmentSchema.shape) as Array<keyof ProposalAmendment>;

const needsReason = (zh: string, en: string) => bilingual(zh, en, ['reason']);

/** Action payloads: the Update payloads of workflows/messages.ts minus `actor`. */
export const actionSchemas = {
  decideInitiation: z
    .strictObject({ province: provinceSchema, decision: z.enum(['approve', 'return', 'reject']), reason })
    .refine((p) => p.decision === 'approve' || Boolean(p.reason), needsReason('退回或不予立项须填写理由', 'a reason is required to return or reject')),
  resubmit: z.strictObject({ reason }),
  submitForComment: z.strictObject({ reason }),
  extendCommentPeriod: z.strictObject({ newDeadline: z.iso.datetime({ offset: true }), reason: requiredReason }),
  completeCommentHandling: z.strictObject({ reason }),
  // The workflow refuses any outcome but `pass` without a reason; refused here already.
  recordReviewResult: z
    .strictObject({ outcome: z.enum(['pass', 'passWithChanges', 'backToDrafting']), reason })
    .refine((p) => p.outcome === 'pass' || Boolean(p.reason), needsReason('除“通过”外须填写理由', 'a reason is required unless the draft passes as it is')),
  submitForApproval: z.strictObject({ reason }),
  decideApproval: z
    .strictObject({ province: provinceSchema, decision: z.enum(['approve', 'return']), number: standardNumberSchema.optional(), reason })
    .refine((p) => p.decision !== 'approve' || p.number !== undefined, bilingual('批准须填写本省（市）的地方标准编号', 'approving needs the province number', ['number']))
    .superRefine((p, ctx) => {
      if (p.number === undefined) return;
      const info = PROVINCE_INFO[p.province];
      const got = parseStandardNumber(p.number)?.dbCode;
      if (got === undefined || got === info.dbCode) return;
      ctx.addIssue({
        code: 'custom',
        input: p.number,
        ...bilingual(
          `${info.nameZh}的标准编号应以 ${info.dbCode} 开头（如 ${info.dbCode}/T ${info.dbCode.slice(2)}0003—2026），而不是 ${got}`,
          `${info.nameEn}'s number must start with ${info.dbCode} (e.g. ${info.dbCode}/T ${info.dbCode.slice(2)}0003—2026), not ${got}`,
          ['number'],
        ),
      });
    })
    .refine((p) => p.decision === 'approve' || Boolean(p.reason), needsReason('退回须填写理由', 'a reason is required to return')),
  setReleaseDates: z
    .strictObject({ releaseDate: isoDate, implementationDate: isoDate })
    .refine((p) => p.implementationDate >= p.releaseDate, bilingual('实施日期不能早于发布日期', 'the implementation date cannot be before the release date', ['implementationDate'])),
  recordPublicityEvent: z.strictObject({ eventId: idSchema }),
  completePublicity: z.strictObject({ reason }),
  startReview: z.strictObject({ reason }),
  decideReview: z.strictObject({ outcome: z.enum(['continue', 'revise', 'abolish']), reason: requiredReason }),
  withdraw: z.strictObject({ reason: requiredReason }),
} satisfies Record<Action, z.ZodType>;

export type ActionPayload<A extends Action> = z.output<(typeof actionSchemas)[A]>;
export type AnyActionPayload = { [A in Action]: ActionPayload<A> }[Action];

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
