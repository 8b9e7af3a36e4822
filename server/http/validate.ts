// Request validation with zod. A failure is a VALIDATION_FAILED AppError (a ValidationError) listing each
// offending field with what is wrong in Chinese and English, in words (server/http/issue-messages.ts:
// never zod's own wording such as "期望 number <=60"); API callers read the field's path, pages the
// field's label (`pageMessages`); nothing else runs.
import type { z } from 'zod';
import { AppError } from '../../activities/infra/errors';
import { issueWords } from './issue-messages';

export interface FieldIssue {
  path: string;
  message_zh: string;
  message_en: string;
  label_zh?: string;
  label_en?: string;
}

function pathOf(p: readonly PropertyKey[]): string {
  return p.length === 0 ? '(body)' : p.map(String).join('.');
}

/** A validation refusal: `messages` name fields by path (API), `pageMessages` by their labels (pages). */
export class ValidationError extends AppError {
  readonly pageMessages: { zh: string; en: string };

  constructor(messages: { zh: string; en: string }, pageMessages: { zh: string; en: string }, details: FieldIssue[]) {
    super('VALIDATION_FAILED', messages, { details });
    this.pageMessages = pageMessages;
  }
}

/** What a page shows of a refusal: a validation refusal names the fields by their labels. */
export function pageMessagesOf(e: AppError): { zh: string; en: string } {
  return e instanceof ValidationError ? e.pageMessages : e.messages;
}

/** The error's JSON with the page's wording, for templates. */
export function pageErrorJson(e: AppError): ReturnType<AppError['toJSON']> {
  const m = pageMessagesOf(e);
  return { ...e.toJSON(), message: `${m.zh} / ${m.en}`, message_zh: m.zh, message_en: m.en };
}

/** Parses `value` with `schema` or throws VALIDATION_FAILED naming every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: { zh: string; en: string } = { zh: '请求内容', en: 'request' }): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const words = r.error.issues.map((iss) => ({ iss, w: issueWords(iss) }));
  const issues: FieldIssue[] = words.map(({ iss, w }) => ({
    path: pathOf(iss.path),
    message_zh: w.problem.zh,
    message_en: w.problem.en,
    ...(w.label ? { label_zh: w.label.zh, label_en: w.label.en } : {}),
  }));
  const zhPaths = issues.map((i) => `${i.path}：${i.message_zh}`).join('；');
  const enPaths = issues.map((i) => `${i.path}: ${i.message_en}`).join('; ');
  const zhWords = words.map(({ w }) => w.message.zh).join('；');
  const enWords = words.map(({ w }) => w.message.en).join('; ');
  throw new ValidationError(
    { zh: `${what.zh}无效：${zhPaths}`, en: `Invalid ${what.en}: ${enPaths}` },
    { zh: `请修改：${zhWords}`, en: `Please correct: ${enWords}` },
    issues,
  );
}
