// Turning HTML form posts (application/x-www-form-urlencoded, all strings) into the same values the JSON
// API takes, so both go through one schema: empty fields are absent, textareas become lists (one per
// line), a checkbox becomes a boolean, a China-time datetime-local becomes an ISO instant.
import { z } from 'zod';
import type { Action } from '../../workflows/messages';
import { AppError } from '../../activities/infra/errors';

/** The posted fields as strings; a repeated field (an array) is refused rather than guessed at. */
export function formFields(body: unknown): Record<string, string> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object') throw new AppError('BAD_REQUEST', { zh: '表单内容无效', en: 'Invalid form body' });
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (k === '_csrf') continue;
    if (typeof v !== 'string') throw new AppError('BAD_REQUEST', { zh: `表单字段重复或无效：${k}`, en: `Repeated or invalid form field: ${k}` });
    out[k] = v;
  }
  return out;
}

/** Non-empty fields only. */
export function presentFields(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v.trim() !== ''));
}

export function lines(v: string | undefined): string[] {
  return (v ?? '')
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** `2026-12-01T18:00` entered in China time → `2026-12-01T18:00:00+08:00`. */
export function chinaLocalToIso(v: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v) ? `${v}:00+08:00` : v;
}

const LIST_FIELDS = ['leadUnits', 'participatingUnits', 'draftingUnits', 'drafters', 'drafterUsernames'] as const;

/** The proposal form as the API's JSON body. */
export function proposalFromForm(fields: Record<string, string>): Record<string, unknown> {
  const present = presentFields(fields);
  const out: Record<string, unknown> = { ...present };
  for (const f of LIST_FIELDS) {
    if (f in fields) out[f] = lines(fields[f]);
  }
  out.mandatory = fields.mandatory === 'on' || fields.mandatory === 'true';
  for (const f of ['plannedYear', 'proposalCommentDays'] as const) {
    if (present[f] !== undefined) out[f] = /^\d+$/.test(present[f]) ? Number(present[f]) : present[f];
  }
  return out;
}

/** An action form as the API's JSON payload. */
export function actionPayloadFromForm(action: Action, fields: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = presentFields(fields);
  if (action === 'extendCommentPeriod' && typeof out.newDeadline === 'string') out.newDeadline = chinaLocalToIso(out.newDeadline);
  return out;
}

/** Field-keyed messages of a VALIDATION_FAILED error, for showing next to the inputs. */
export function fieldErrors(e: AppError, lang: 'zh' | 'en'): Record<string, string> {
  const details = z.array(z.object({ path: z.string(), message_zh: z.string(), message_en: z.string() })).safeParse(e.details);
  if (!details.success) return {};
  const out: Record<string, string> = {};
  for (const d of details.data) {
    const key = d.path.split('.')[0];
    out[key] = out[key] ? `${out[key]}；${lang === 'zh' ? d.message_zh : d.message_en}` : lang === 'zh' ? d.message_zh : d.message_en;
  }
  return out;
}
