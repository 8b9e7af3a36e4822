// `Cache-Control: no-store` on every response that may show staff data, so that after signing out the
// browser's Back button (or a shared computer's cache) cannot show a staff page again. Only the static
// assets and the public pages (consultation, published standards) seen without a session may be kept;
// the API (its public consultation part too) is never stored.
import type { RequestHandler } from 'express';

const CACHEABLE = /^\/(?:static|consultation|published)(?:\/|$)/;

/** By path, first of all, so that answers of failed requests (parse errors, 404) are covered too. */
export const noStoreUnlessPublic: RequestHandler = (req, res, next) => {
  if (!CACHEABLE.test(req.path)) res.set('Cache-Control', 'no-store');
  next();
};

/** After the session is loaded: a signed-in user's public pages carry their name and a sign-out form. */
export const noStoreWhenSignedIn: RequestHandler = (req, res, next) => {
  if (req.user || req.session?.userId) res.set('Cache-Control', 'no-store');
  next();
};
