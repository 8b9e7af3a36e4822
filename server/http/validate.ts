// Request validation with zod. A failure is a VALIDATION_FAILED AppError whose details list each
// offending field with its message in Chinese and English (zod's zh-CN locale, or the text rule's own
// bilingual message), and nothing else runs.
import { z } from 'zod';
import { AppError } from '../../activities/infra/errors';

const zhCN = z.locales.zhCN();

export interface FieldIssue {
  path: string;
  message_zh: string;
  message_en: string;
}

/** The text rule (workflows/text-rule.ts) puts both languages in the issue's params. */
function textRuleMessage(iss: z.core.$ZodIssue): { zh: string; en: string } | undefined {
  if (iss.code !== 'custom') return undefined;
  const m = (iss.params as { textRule?: { zh?: unknown; en?: unknown } } | undefined)?.textRule;
  return typeof m?.zh === 'string' && typeof m.en === 'string' ? { zh: m.zh, en: m.en } : undefined;
}

function pathOf(p: readonly PropertyKey[]): string {
  return p.length === 0 ? '(body)' : p.map(String).join('.');
}

/** Parses `value` with `schema` or throws VALIDATION_FAILED naming every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: { zh: string; en: string } = { zh: '请求内容', en: 'request' }): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const zh = schema.safeParse(value, { error: zhCN.localeError });
  const zhIssues = zh.success ? [] : zh.error.issues;
  const issues: FieldIssue[] = r.error.issues.map((iss, i) => {
    const rule = textRuleMessage(iss);
    return { path: pathOf(iss.path), message_en: rule?.en ?? iss.message, message_zh: rule?.zh ?? zhIssues[i]?.message ?? iss.message };
  });
  const zhList = issues.map((i) => `${i.path}：${i.message_zh}`).join('；');
  const enList = issues.map((i) => `${i.path}: ${i.message_en}`).join('; ');
  throw new AppError('VALIDATION_FAILED', { zh: `${what.zh}无效：${zhList}`, en: `Invalid ${what.en}: ${enList}` }, { details: issues });
}
