// The page language: Chinese first. `?lang=en` or `?lang=zh` switches and is remembered in a cookie.
import type { RequestHandler } from 'express';

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

/** Sets `req.lang` from `?lang=`, else the cookie, else zh. */
export const resolveLang: RequestHandler = (req, res, next) => {
  const q = req.query.lang;
  if (q === 'zh' || q === 'en') {
    req.lang = q;
    res.cookie(LANG_COOKIE, q, { maxAge: 365 * 24 * 3600 * 1000, sameSite: 'lax', httpOnly: true, path: '/' });
  } else {
    req.lang = parseCookieLang(req.headers.cookie) ?? 'zh';
  }
  next();
};
