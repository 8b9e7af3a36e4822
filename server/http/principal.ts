// Who is asking: loads the signed-in user from the session on every request (grants read fresh, so a
// change of roles applies at once) and guards routes that need one.
import type { Request, RequestHandler } from 'express';
import type { Db } from 'mongodb';
import { findUserById, principalOf, type Principal } from '../../activities/data/users';
import { AppError } from '../../activities/infra/errors';
import { isApiRequest } from './error-middleware';

declare module 'express-serve-static-core' {
  interface Request {
    user?: Principal;
  }
}

export function loadPrincipal(db: Db): RequestHandler {
  return async (req, _res, next) => {
    const userId = req.session?.userId;
    if (userId) {
      const user = await findUserById(db, userId);
      if (user && !user.disabled) req.user = await principalOf(db, user);
      else delete req.session.userId;
    }
    next();
  };
}

export const unauthenticated = (): AppError => new AppError('UNAUTHENTICATED', { zh: '请先登录', en: 'Please sign in first' });

/** API: 401 without a user. Pages: redirect to the sign-in page, coming back afterwards. */
export const requireUser: RequestHandler = (req, res, next) => {
  if (req.user) {
    next();
    return;
  }
  if (isApiRequest(req) || req.method !== 'GET') {
    next(unauthenticated());
    return;
  }
  res.redirect(303, `/sign-in?next=${encodeURIComponent(req.originalUrl)}`);
};

/** The user of a route behind `requireUser`. */
export function userOf(req: Request): Principal {
  if (!req.user) throw unauthenticated();
  return req.user;
}
