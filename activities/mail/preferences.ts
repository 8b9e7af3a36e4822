// Each user's choice of notification e-mail (`mail_preferences`): immediate (one mail per notice), a daily
// digest (the default), or none; the address to send to (user accounts carry none) and the language of
// the mails. A user without a stored choice gets the daily digest once they give an address.
import type { Db } from 'mongodb';
import { z } from 'zod';
import { bilingual } from '../../workflows/payloads';

export const MAIL_PREFERENCES = 'mail_preferences';
export const MAIL_MODES = ['immediate', 'daily', 'none'] as const;
export type MailMode = (typeof MAIL_MODES)[number];
export const DEFAULT_MAIL_MODE: MailMode = 'daily';

export interface MailPreference {
  /** The user id. */
  _id: string;
  mode: MailMode;
  /** Where the mails go; none means no mail whatever the mode. */
  email?: string;
  lang: 'zh' | 'en';
  updatedAt: Date;
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]{1,64}@[^\s@<>()[\]\\,;:"]{1,253}\.[^\s@<>()[\]\\,;:"]{2,63}$/;

/** The settings form, validated at the edge (messages in both languages through `params.i18n`). */
export const mailPreferenceSchema = z.strictObject({
  mode: z
    .string()
    .refine((v) => (MAIL_MODES as readonly string[]).includes(v), bilingual('请选择一种邮件提醒方式', 'Choose how e-mail should tell you'))
    .transform((v) => v as MailMode),
  email: z
    .string()
    .trim()
    .max(254)
    .refine((s) => s === '' || EMAIL.test(s), bilingual('电子邮箱地址格式不正确', 'The e-mail address is not valid')),
  lang: z.enum(['zh', 'en']).catch('zh'),
  _csrf: z.string().optional(),
});
export type MailPreferenceInput = z.output<typeof mailPreferenceSchema>;

export async function getMailPreference(db: Db, userId: string): Promise<Omit<MailPreference, 'updatedAt'>> {
  const p = await db.collection<MailPreference>(MAIL_PREFERENCES).findOne({ _id: userId });
  return p ?? { _id: userId, mode: DEFAULT_MAIL_MODE, lang: 'zh' };
}

export async function setMailPreference(db: Db, userId: string, input: MailPreferenceInput): Promise<void> {
  const email = input.email === '' ? undefined : input.email;
  await db
    .collection<MailPreference>(MAIL_PREFERENCES)
    .updateOne({ _id: userId }, { $set: { mode: input.mode, lang: input.lang, updatedAt: new Date(), ...(email ? { email } : {}) }, ...(email ? {} : { $unset: { email: '' } }) }, { upsert: true });
}

/** Every user who wants mail of `mode` and gave an address, in pages of `batch` (keyset on the user id). */
export async function* mailReaders(db: Db, mode: Exclude<MailMode, 'none'>, batch = 200): AsyncGenerator<MailPreference> {
  const c = db.collection<MailPreference>(MAIL_PREFERENCES);
  let after: string | undefined;
  for (;;) {
    const page = await c
      .find({ mode, email: { $exists: true }, ...(after ? { _id: { $gt: after } } : {}) })
      .sort({ _id: 1 })
      .limit(batch)
      .toArray();
    yield* page;
    if (page.length < batch) return;
    after = page[page.length - 1]._id;
  }
}
