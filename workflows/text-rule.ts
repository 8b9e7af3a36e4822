// The one rule for free text, on every surface (lifecycle API and forms, comments, versions, 编制说明):
// what a person may type into a field so that it is shown faithfully and harmlessly wherever it appears
// (pages, DOCX, the audit trail). Pure and import-free; the zod helper in workflows/safe-text.ts and the
// schemas in activities/ apply it through `textRefinement`.
//
// Newlines: a textarea submits CRLF, and old clients a lone CR; both become LF before anything else, so a
// line break is stored one way. Tab and LF are the only control characters kept.
//
// Refused, with a message naming the character:
// - control: C0 controls (U+0000–U+001F) other than tab and LF, DEL (U+007F) and C1 controls
//   (U+0080–U+009F, NEL U+0085 among them): invisible, and several break XML (DOCX) or terminals (logs);
// - bidi: the embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069 ("Trojan Source",
//   CVE-2021-42574): they open a scope that reverses or reorders what follows, beyond the field on a page.
//   The marks U+200E/U+200F (LRM/RLM) and U+061C (ALM) are kept: they open no scope, only settle the
//   direction of a neighbouring punctuation mark, and are legitimate in mixed-script names;
// - surrogate: a lone UTF-16 surrogate (JSON allows `"\ud800"`): it cannot be encoded as UTF-8, so MongoDB
//   and Temporal would silently store U+FFFD instead of what was sent;
// - noncharacter: U+FDD0–U+FDEF and U+xFFFE/U+xFFFF of every plane, which Unicode reserves for internal use;
// - bom: U+FEFF, an invisible byte order mark pasted from a file;
// - replacement: U+FFFD, the mark of text already damaged by a wrong decoding upstream.

export type TextViolationKind = 'control' | 'bidi' | 'surrogate' | 'noncharacter' | 'bom' | 'replacement';

export interface TextViolation {
  kind: TextViolationKind;
  /** The offending code point (a lone surrogate's own value). */
  codePoint: number;
  /** Its index (UTF-16 code units) in the normalised text. */
  index: number;
}

export interface BilingualText {
  zh: string;
  en: string;
}

// With the `u` flag a paired surrogate is one code point, so [\uD800-\uDFFF] matches only lone ones.
const FORBIDDEN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFEFF\uFFFD\uD800-\uDFFF\p{Noncharacter_Code_Point}]/u;

/** CRLF and lone CR → LF. */
export function normaliseNewlines(s: string): string {
  return s.includes('\r') ? s.replace(/\r\n?/g, '\n') : s;
}

function kindOf(cp: number): TextViolationKind {
  if (cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f)) return 'control';
  if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) return 'bidi';
  if (cp >= 0xd800 && cp <= 0xdfff) return 'surrogate';
  if (cp === 0xfeff) return 'bom';
  if (cp === 0xfffd) return 'replacement';
  return 'noncharacter';
}

/** The first character of `s` the rule refuses; `s` is checked as given (normalise newlines first). */
export function findTextViolation(s: string): TextViolation | undefined {
  const m = FORBIDDEN.exec(s);
  if (!m) return undefined;
  const codePoint = m[0].codePointAt(0) ?? 0;
  return { kind: kindOf(codePoint), codePoint, index: m.index };
}

/** `text` normalised, or the reason it is refused. */
export function checkText(text: string): { ok: true; value: string } | { ok: false; violation: TextViolation } {
  const value = normaliseNewlines(text);
  const violation = findTextViolation(value);
  return violation ? { ok: false, violation } : { ok: true, value };
}

function hex(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** What is wrong, in Chinese and English; with a field label, the message names the field. */
export function textViolationMessage(v: TextViolation, label?: BilingualText): BilingualText {
  const u = hex(v.codePoint);
  const what: Record<TextViolationKind, BilingualText> = {
    control: { zh: `含控制字符 ${u}`, en: `contains a control character (${u})` },
    bidi: { zh: `含改变文字方向的双向控制字符 ${u}`, en: `contains a bidirectional control character (${u}) that reorders the text` },
    surrogate: { zh: `含无效的 Unicode 字符（孤立代理项 ${u}）`, en: `contains invalid Unicode (a lone surrogate ${u})` },
    noncharacter: { zh: `含 Unicode 非字符 ${u}`, en: `contains a Unicode noncharacter (${u})` },
    bom: { zh: `含不可见的字节顺序标记 ${u}`, en: `contains an invisible byte order mark (${u})` },
    replacement: { zh: `含替换字符 ${u}（文字在复制或转换时已损坏）`, en: `contains the replacement character ${u} (the text was damaged when copied or converted)` },
  };
  const m = what[v.kind];
  return label ? { zh: `${label.zh}${m.zh}`, en: `${label.en} ${m.en}` } : m;
}

/** The issue sink of a zod refinement context (structural, so this module needs no zod). */
export interface TextIssueSink {
  addIssue(issue: { code: 'custom'; message: string; input: string; params: { textRule: TextViolation & BilingualText } }): void;
}

/**
 * A zod `superRefine` callback applying the rule. Without a label the issue's message is the English one
 * and `params.textRule` carries both languages (the API's validation error names the field by its path);
 * with a label the message is "中文 / English" naming the field, as the comment forms show it.
 */
export function textRefinement(label?: BilingualText): (value: string, ctx: TextIssueSink) => void {
  return (value, ctx) => {
    const v = findTextViolation(value);
    if (!v) return;
    const m = textViolationMessage(v, label);
    ctx.addIssue({ code: 'custom', message: label ? `${m.zh} / ${m.en}` : m.en, input: value, params: { textRule: { ...v, ...m } } });
  };
}
