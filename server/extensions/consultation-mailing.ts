// The record of where the 征求意见稿 was sent: a plain form (no JavaScript needed) on which the drafting
// group or the lead department enters how many units it was sent to (and which, optionally). Anyone who
// may read the draft sees it; the 征求意见汇总处理表 prints the count in its 说明 line.
import type { Request } from 'express';
import type { Db } from 'mongodb';
import type { AppExtensionContext } from '../app-deps';
import { draftPermission, isDraftWriter } from '../../workflows/draft-access';
import { userOf } from '../http/principal';
import { AppError } from '../../activities/infra/errors';
import { loadStandardOr404 } from './editor-page';
import { consultationMailingSchema, createConsultationMailingStore } from '../../activities/data/consultation-mailings';
import { retryingReady } from '../infra/retrying-ready';

export function consultationMailingExtension(deps: { db: Db }) {
  const store = createConsultationMailingStore(deps.db);
  const ready = retryingReady(() => store.ensureIndexes(), () => undefined);

  async function load(req: Request, write: boolean) {
    const user = userOf(req);
    const standard = await loadStandardOr404(deps.db, String(req.params.id));
    if (draftPermission(user.grants, standard) === 'none') throw new AppError('FORBIDDEN', { zh: '您无权查看此标准的征求意见记录', en: "You may not see this standard's consultation record" });
    const canWrite = isDraftWriter(user.grants, standard);
    if (write && !canWrite) throw new AppError('FORBIDDEN', { zh: '只有起草组或牵头生态环境部门可以记录征求意见稿的发送单位', en: 'Only the drafting group or the lead department may record where the draft was sent' });
    await ready();
    return { user, standard, canWrite };
  }

  return ({ app, requireUser }: AppExtensionContext): void => {
    app.get('/standards/:id/consultation-mailing', requireUser, async (req, res) => {
      const ctx = await load(req, false);
      const stored = await store.get(ctx.standard._id);
      if (req.accepts(['html', 'json']) === 'json') {
        res.json(stored ? { sentTo: stored.sentTo, units: stored.units ?? '' } : { sentTo: null, units: '' });
        return;
      }
      res.render('consultation-mailing.njk', { ...ctx, mailing: stored, errors: [] });
    });

    app.post('/standards/:id/consultation-mailing', requireUser, async (req, res) => {
      const ctx = await load(req, true);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const raw = { sentTo: body.sentTo, ...(typeof body.units === 'string' && body.units.trim() ? { units: body.units } : {}) };
      const parsed = consultationMailingSchema.safeParse(raw);
      if (!parsed.success) {
        const zh = '发送单位数须为 0 至 100000 的整数；单位名单不超过 20000 字';
        const en = 'The number of units must be a whole number from 0 to 100000; the list at most 20000 characters';
        if (req.accepts(['html', 'json']) === 'json') throw new AppError('VALIDATION_FAILED', { zh, en }, { details: parsed.error.issues });
        res.status(400).render('consultation-mailing.njk', { ...ctx, mailing: { sentTo: body.sentTo, units: body.units }, errors: [req.lang === 'en' ? en : zh] });
        return;
      }
      await store.save(ctx.standard._id, parsed.data, ctx.user.username);
      if (req.accepts(['html', 'json']) === 'json') {
        res.json({ saved: true, sentTo: parsed.data.sentTo });
        return;
      }
      req.session.flash = { kind: 'ok', zh: `已记录：征求意见稿发送至${parsed.data.sentTo}个单位`, en: `Recorded: the draft for comment was sent to ${parsed.data.sentTo} units` };
      res.redirect(303, `/standards/${ctx.standard._id}/consultation-mailing`);
    });
  };
}
