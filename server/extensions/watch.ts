// The watch list: a signed-in user follows a standard from its page (POST /standards/:id/watch) and stops
// following it (POST /standards/:id/unwatch); followers receive the notifications that concern the standard
// (activities/lifecycle/transition-notices.ts). A form is answered by going back to the standard's page, a
// JSON call with `{ watching }`.
import type { Db } from 'mongodb';
import type { Request, Response } from 'express';
import type { AppExtensionContext } from '../app-deps';
import { userOf } from '../http/principal';
import { requireStandard } from '../http/standards-read';
import { ensureWatcherIndexes, unwatchStandard, watchStandard } from '../../activities/data/watchers';
import { retryingReady } from '../infra/retrying-ready';

export function watchExtension(deps: { db: Db }) {
  const { db } = deps;
  const indexes = retryingReady(() => ensureWatcherIndexes(db), () => undefined);

  async function toggle(req: Request, res: Response, watching: boolean): Promise<void> {
    await indexes().catch(() => undefined);
    const user = userOf(req);
    const standard = await requireStandard(db, String(req.params.id));
    if (watching) await watchStandard(db, standard._id, user.userId);
    else await unwatchStandard(db, standard._id, user.userId);
    if (req.accepts(['html', 'json']) === 'json') {
      res.json({ standardId: standard._id, watching });
      return;
    }
    req.session.flash = watching
      ? { kind: 'ok', zh: '已关注：本标准的进展将通知您', en: 'Following: you will be told how this standard progresses' }
      : { kind: 'ok', zh: '已取消关注', en: 'No longer following' };
    res.redirect(303, `/standards/${encodeURIComponent(standard._id)}${req.lang === 'en' ? '?lang=en' : ''}`);
  }

  return ({ app, requireUser }: AppExtensionContext): void => {
    app.post('/standards/:id/watch', requireUser, (req, res) => toggle(req, res, true));
    app.post('/standards/:id/unwatch', requireUser, (req, res) => toggle(req, res, false));
  };
}
