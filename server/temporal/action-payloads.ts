// zod schemas of the payload of every lifecycle action as the HTTP API receives it (the actor is added
// by the server from the session, never taken from the body). Strict objects: unknown keys, operator
// objects such as {"$gt": ""} and wrong types are refused before anything reaches Temporal. Free text
// follows the one text rule (workflows/text-rule.ts): a lone surrogate would otherwise reach Temporal's
// UTF-8 payloads and MongoDB as U+FFFD.
import { z } from 'zod';
import { PROVINCES } from '../../workflows/domain';
import type { Action } from '../../workflows/messages';
import { safeText } from '../http/safe-text';

const reason = safeText(2000).min(1);
const optionalReason = safeText(2000).optional();
const province = z.enum(PROVINCES);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'yyyy-mm-dd');

export const actionPayloadSchemas = {
  decideInitiation: z.strictObject({ province, decision: z.enum(['approve', 'return', 'reject']), reason: optionalReason }),
  resubmit: z.strictObject({ reason: optionalReason }),
  submitForComment: z.strictObject({ reason: optionalReason }),
  extendCommentPeriod: z.strictObject({ newDeadline: z.iso.datetime({ offset: true }), reason }),
  completeCommentHandling: z.strictObject({ reason: optionalReason }),
  recordReviewResult: z.strictObject({ outcome: z.enum(['pass', 'passWithChanges', 'backToDrafting']), reason: optionalReason }),
  submitForApproval: z.strictObject({ reason: optionalReason }),
  decideApproval: z.strictObject({ province, decision: z.enum(['approve', 'return']), number: safeText(40).optional(), reason: optionalReason }),
  setReleaseDates: z.strictObject({ releaseDate: isoDate, implementationDate: isoDate }),
  recordPublicityEvent: z.strictObject({ eventId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }),
  completePublicity: z.strictObject({ reason: optionalReason }),
  startReview: z.strictObject({ reason: optionalReason }),
  decideReview: z.strictObject({ outcome: z.enum(['continue', 'revise', 'abolish']), reason }),
  withdraw: z.strictObject({ reason }),
} satisfies Record<Action, z.ZodType>;

export type ActionPayload<A extends Action> = z.infer<(typeof actionPayloadSchemas)[A]>;

/** What `propose` accepts: the proposal's cover data. The lead province is the proposer's. */
/** Days of the optional public comment on a proposal (立项公开征求意见). */
export const proposalCommentDaysSchema = z.number().int().min(1).max(60);

export const proposalSchema = z.strictObject({
  titleZh: safeText(200).min(1),
  titleEn: safeText(300).min(1),
  kind: z.enum(['emissionStandard', 'qualityStandard', 'monitoringMethod', 'technicalSpecification', 'managementSpecification']),
  mandatory: z.boolean(),
  field: safeText(200).min(1),
  scope: safeText(4000).min(1),
  leadUnits: z.array(safeText(200).min(1)).min(1).max(20),
  participatingUnits: z.array(safeText(200).min(1)).max(50).default([]),
  plannedYear: z.number().int().min(2000).max(2100),
  batch: safeText(100).optional(),
  ics: safeText(50).optional(),
  ccs: safeText(50).optional(),
  proposer: safeText(200).optional(),
  technicalCommittee: safeText(200).optional(),
  draftingUnits: z.array(safeText(200).min(1)).max(50).default([]),
  drafters: z.array(safeText(100).min(1)).max(100).default([]),
  proposalCommentDays: proposalCommentDaysSchema.optional(),
});

export type ProposalInput = z.input<typeof proposalSchema>;
