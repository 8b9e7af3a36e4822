// The one text rule (workflows/text-rule.ts): every refused class with its code point, what is kept, CRLF
// normalised, and the zod helper built on it answering both languages.
import { z } from 'zod';
import { checkText, findTextViolation, normaliseNewlines, textRefinement, textViolationMessage, type TextViolationKind } from '../../workflows/text-rule';
import { safeText } from '../../workflows/safe-text';
import { parseOrThrow } from '../../server/http/validate';
import { AppError } from '../../activities/infra/errors';

const REFUSED: Array<[string, string, TextViolationKind, number]> = [
  ['NUL', '\u0000', 'control', 0x0],
  ['BEL', '\u0007', 'control', 0x7],
  ['ESC', '\u001b[31m', 'control', 0x1b],
  ['vertical tab', '\u000b', 'control', 0xb],
  ['form feed', '\u000c', 'control', 0xc],
  ['DEL', '\u007f', 'control', 0x7f],
  ['C1 NEL', '\u0085', 'control', 0x85],
  ['C1 CSI', '\u009b', 'control', 0x9b],
  ['LRE', '\u202a', 'bidi', 0x202a],
  ['RLE', '\u202b', 'bidi', 0x202b],
  ['PDF', '\u202c', 'bidi', 0x202c],
  ['LRO', '\u202d', 'bidi', 0x202d],
  ['RLO', '\u202e', 'bidi', 0x202e],
  ['LRI', '\u2066', 'bidi', 0x2066],
  ['RLI', '\u2067', 'bidi', 0x2067],
  ['FSI', '\u2068', 'bidi', 0x2068],
  ['PDI', '\u2069', 'bidi', 0x2069],
  ['lone high surrogate', '\ud800', 'surrogate', 0xd800],
  ['lone low surrogate', '\udfff', 'surrogate', 0xdfff],
  ['reversed pair', '\udc00\ud800', 'surrogate', 0xdc00],
  ['U+FFFE', '\ufffe', 'noncharacter', 0xfffe],
  ['U+FFFF', '\uffff', 'noncharacter', 0xffff],
  ['U+FDD0', '\ufdd0', 'noncharacter', 0xfdd0],
  ['U+1FFFE', '\u{1fffe}', 'noncharacter', 0x1fffe],
  ['U+10FFFF', '\u{10ffff}', 'noncharacter', 0x10ffff],
  ['BOM', '\ufeff', 'bom', 0xfeff],
  ['replacement character', '\ufffd', 'replacement', 0xfffd],
];

const KEPT = ['示范区水污染物排放标准', 'a\tb', '第一行\n第二行', '水质 👍🏽🌊 👨‍👩‍👧', 'DB31/T 310001—2026', 'x\u200ey\u200fz\u061c', '零宽\u200b连接\u200d', 'ǅ ß İ', '\u2028\u2029', ''];

describe('the text rule', () => {
  it.each(REFUSED)('refuses %s', (_name, ch, kind, codePoint) => {
    for (const s of [ch, `前${ch}后`, `${'a'.repeat(100)}${ch}`]) {
      const v = findTextViolation(s);
      expect(v).toMatchObject({ kind, codePoint });
      expect(s.codePointAt(v!.index)).toBe(codePoint);
    }
    const m = textViolationMessage(findTextViolation(ch)!, { zh: '理由', en: 'Reason' });
    expect(m.zh).toMatch(/^理由含/);
    expect(m.en).toMatch(/^Reason contains /);
    expect(m.zh).toContain(`U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`);
  });

  it.each(KEPT.map((s) => [JSON.stringify(s), s]))('keeps %s unchanged', (_n, s) => {
    expect(checkText(s)).toEqual({ ok: true, value: s });
  });

  it('normalises CRLF and a lone CR to LF instead of refusing them', () => {
    expect(normaliseNewlines('a\r\nb\rc\n')).toBe('a\nb\nc\n');
    expect(checkText('一\r\n二')).toEqual({ ok: true, value: '一\n二' });
  });

  it('reports the first offending character', () => {
    expect(findTextViolation('ok\u202e then \u0000')).toMatchObject({ kind: 'bidi', index: 2 });
  });

  it('works as a zod refinement with a bilingual message in params, or one naming the field', () => {
    const plain = z.string().superRefine(textRefinement()).safeParse('a\u0007');
    expect(plain.success).toBe(false);
    const issue = plain.error!.issues[0] as { message: string; params?: { textRule?: { zh: string; en: string } } };
    expect(issue.message).toBe('contains a control character (U+0007)');
    expect(issue.params?.textRule).toMatchObject({ zh: '含控制字符 U+0007', en: 'contains a control character (U+0007)' });
    const labelled = z.string().superRefine(textRefinement({ zh: '意见内容', en: 'Comment' })).safeParse('\u202e');
    expect(labelled.error!.issues[0].message).toMatch(/^意见内容含.*U\+202E.* \/ Comment contains a bidirectional control character \(U\+202E\)/);
  });
});

describe('safeText', () => {
  const schema = z.strictObject({ reason: safeText(20).min(1) });

  it('refuses before trimming, so a leading control or BOM is refused rather than dropped', () => {
    expect(schema.safeParse({ reason: '\u000b理由' }).success).toBe(false);
    expect(schema.safeParse({ reason: '\ufeff理由' }).success).toBe(false);
  });

  it('normalises newlines, trims, and keeps tab and CJK', () => {
    expect(schema.parse({ reason: '  第一行\r\n\t第二行  ' })).toEqual({ reason: '第一行\n\t第二行' });
  });

  it('names the field in both languages through parseOrThrow', () => {
    let err: unknown;
    try {
      parseOrThrow(schema, { reason: 'x\ud800' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.messages.zh).toContain('reason：含无效的 Unicode 字符');
    expect(e.messages.en).toContain('reason: contains invalid Unicode (a lone surrogate U+D800)');
    expect(e.details).toEqual([expect.objectContaining({ path: 'reason', message_zh: expect.stringContaining('U+D800'), message_en: expect.stringContaining('U+D800') })]);
  });
});
