// Zod schemas of every HTTP input: bodies, queries and path parameters. Objects are strict (unknown keys
// are refused), strings are trimmed and length-limited, and values that end up in MongoDB filters are
// validated as plain strings or enums, so an operator object such as {"$gt": ""} can never reach a query.
// Free text follows the one text rule (workflows/text-rule.ts, through workflows/safe-text.ts). The action
// payloads and the proposal have one schema, in workflows/payloads.ts. The OpenAPI document is generated
// from these same schemas.
import { z } from 'zod';
import { STAGES } from '../../workflows/domain';
import { actionSchemas, idSchema, optionalText, proposalSchema, provinceSchema, text } from '../../workflows/payloads';
import type { Action } from '../../workflows/messages';
import { USERNAME_PATTERN } from '../../activities/data/users';

export const stageSchema = z.enum(STAGES);
export const usernameSchema = z.string().trim().toLowerCase().regex(USERNAME_PATTERN, 'letters, digits, . _ - (2–40)');
const isoDate = z.iso.date();

export const signInSchema = z.strictObject({
  username: z.string().trim().toLowerCase().min(1).max(40),
  password: z.string().min(1).max(200),
});


/** The proposal (workflows/payloads.ts) plus the accounts that become drafters of this standard (the proposer's drafting group). */
export const proposeSchema = proposalSchema.extend({
  drafterUsernames: z.array(usernameSchema).max(50).default([]),
});
export type ProposeBody = z.output<typeof proposeSchema>;

/** An empty query value (`?stage=` from a form's 全部 option) means the parameter was not given. */
const blankAsAbsent = <T extends z.ZodType>(s: T) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), s);

export const listQuerySchema = z.strictObject({
  stage: blankAsAbsent(stageSchema.optional()),
  /** Lead province. */
  province: blankAsAbsent(provinceSchema.optional()),
  /** Words of the title, zh or en. */
  q: optionalText(100),
  page: blankAsAbsent(z.coerce.number().int().min(1).max(10000).default(1)),
  pageSize: blankAsAbsent(z.coerce.number().int().min(1).max(100).default(20)),
  /** Page language switch; ignored by the API. */
  lang: blankAsAbsent(z.enum(['zh', 'en']).optional()),
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


export const actionParamsSchema = z.strictObject({ id: idSchema, action: z.enum(Object.keys(actionSchemas) as [Action, ...Action[]]) });

