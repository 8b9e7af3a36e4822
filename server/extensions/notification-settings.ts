// The notification e-mail settings of the signed-in user (GET/POST /notifications/settings): immediate, a
// daily digest (the default) or none, the address and the language of the mails. A plain form (works
// without JavaScript); a wrong value re-shows the form with the field's message in the page's language.
import type { Request, Response } from 'express';
import type { Db } from 'mongodb';
import type { AppExtensionContext } from '../app-deps';
import { userOf } from '../http/principal';
import { fieldErrors } from '../http/forms';
import { parseOrThrow } from '../http/validate';
import { isAppError } from '../../activities/infra/errors';
import { getMailPreference, mailPreferenceSchema, setMailPreference, type MailPreference } from '../../activities/mail/preferences';

export function notificationSettingsExtension(deps: { db: Db }) {
  const { db } = deps;
  const lang = (req: Request): 'zh' | 'en' => (req.lang === 'en' ? 'en' : 'zh');
  const show = (res: Response, pref: Pick<MailPreference, 'mode' | 'lang'> & { email?: string }, errors: Record<string, string> = {}, status = 200): void => {
    res.status(status).render('notification-settings.njk', { pref, errors });
  };

  return ({ app, requireUser }: AppExtensionContext): void => {
    app.get('/notifications/settings', requireUser, async (req, res) => {
      show(res, await getMailPreference(db, userOf(req).userId));
    });
    app.post('/notifications/settings', requireUser, async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      let input;
      try {
        input = parseOrThrow(mailPreferenceSchema, body, { zh: '邮件提醒设置', en: 'e-mail settings' });
      } catch (e) {
        if (!isAppError(e) || req.accepts(['html', 'json']) === 'json') throw e;
        const pref = { mode: String(body.mode ?? 'daily') as MailPreference['mode'], lang: body.lang === 'en' ? ('en' as const) : ('zh' as const), email: String(body.email ?? '') };
        show(res, pref, fieldErrors(e, lang(req)), 400);
        return;
      }
      await setMailPreference(db, userOf(req).userId, input);
      if (req.accepts(['html', 'json']) === 'json') {
        res.json(await getMailPreference(db, userOf(req).userId));
        return;
      }
      req.session.flash = { kind: 'ok', zh: '邮件提醒设置已保存', en: 'E-mail settings saved' };
      res.redirect(303, `/notifications/settings${lang(req) === 'en' ? '?lang=en' : ''}`);
    });
  };
}
