// The page language: Chinese first. `?lang=en` or `?lang=zh` switches and is remembered in a cookie.
import type { Request, RequestHandler } from 'express';

export const LANGS = ['zh', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const LANG_COOKIE = 'tongbiao.lang';

declare module 'express-serve-static-core' {
  interface Request {
    lang?: Lang;
  }
}

function parseCookieLang(header: string | undefined): Lang | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === LANG_COOKIE && (v === 'zh' || v === 'en')) return v;
  }
  return undefined;
}

function queryLang(req: Request): Lang | undefined {
  const q = req.query.lang;
  return q === 'zh' || q === 'en' ? q : undefined;
}

/**
 * The language of a request from `?lang=`, else the cookie, else zh, read from the raw request so the
 * error page can use it before any middleware ran. Accept-Language is not consulted: the site is Chinese
 * first, and a page must not change language between one request and the next.
 */
export function langOf(req: Request): Lang {
  return queryLang(req) ?? parseCookieLang(req.headers.cookie) ?? 'zh';
}

/** Sets `req.lang` (see langOf) and remembers an explicit `?lang=` in a cookie. */
export const resolveLang: RequestHandler = (req, res, next) => {
  const q = queryLang(req);
  if (q) res.cookie(LANG_COOKIE, q, { maxAge: 365 * 24 * 3600 * 1000, sameSite: 'lax', httpOnly: true, path: '/' });
  req.lang = langOf(req);
  next();
};
