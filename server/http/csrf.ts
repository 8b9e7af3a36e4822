// CSRF protection with the synchroniser token pattern (csrf-sync): the token lives in the session; forms
// carry it in `_csrf`, API callers in the `X-CSRF-Token` header (returned by POST /api/session and
// GET /api/me). Every unsafe method is checked except the sign-in call itself, which has no session yet
// and is guarded by requiring a JSON body (a cross-site form cannot send one without a CORS preflight).
import { csrfSync } from 'csrf-sync';
import type { Request, RequestHandler } from 'express';
import { AppError } from '../../activities/infra/errors';

const sync = csrfSync({
  getTokenFromRequest: (req) => {
    const header = req.headers['x-csrf-token'];
    if (typeof header === 'string') return header;
    const body = req.body as Record<string, unknown> | undefined;
    return typeof body?._csrf === 'string' ? body._csrf : undefined;
  },
});

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The session's CSRF token, created when absent (requires a session). */
export function csrfTokenOf(req: Request, overwrite = false): string {
  return sync.generateToken(req, overwrite);
}

export function createCsrfProtection(opts: { exempt?: (req: Request) => boolean } = {}): RequestHandler {
  return (req, _res, next) => {
    if (SAFE.has(req.method) || opts.exempt?.(req)) {
      next();
      return;
    }
    if (!sync.isRequestValid(req)) {
      next(new AppError('CSRF_FAILED', {
        zh: '安全令牌无效或已过期，请刷新页面后重试',
        en: 'Invalid or expired security token; reload the page and try again',
      }));
      return;
    }
    next();
  };
}
