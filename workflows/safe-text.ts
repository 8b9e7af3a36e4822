// zod schemas for free-text fields that apply the one text rule of workflows/text-rule.ts: newlines
// normalised to LF, then control, bidirectional-override, lone-surrogate and noncharacter code points
// refused (before trimming, so a leading control character is refused rather than silently dropped).
// Every free-text field of every HTTP schema is built from these.
import { z } from 'zod';
import { normaliseNewlines, textRefinement, type BilingualText } from './text-rule';

export interface SafeStringOptions {
  /** Names the field in the refusal ("意见内容含控制字符 … / Comment contains …"). */
  label?: BilingualText;
  /** The message when the value is not a string at all. */
  error?: string;
}

/** A string checked by the text rule; chain trim/min/max after it. */
export function safeString(opts: SafeStringOptions = {}): z.ZodString {
  return (opts.error === undefined ? z.string() : z.string({ error: opts.error })).overwrite(normaliseNewlines).superRefine(textRefinement(opts.label));
}

/** A trimmed string of at most `max` characters checked by the text rule (may be empty: add `.min(1)`). */
export function safeText(max: number, opts: SafeStringOptions = {}): z.ZodString {
  return safeString(opts).trim().max(max);
}
