// Sign-in rate limit (express-rate-limit): failed attempts per client address within a window; successful
// sign-ins do not count. Over the limit the answer is 429 RATE_LIMITED through the error middleware.
// Given a store factory (Redis, ./rate-limit-store.ts) the counts are shared by every app process.
import { rateLimit } from 'express-rate-limit';
import type { RequestHandler } from 'express';
import type { RateLimitStoreFactory } from './rate-limit-store';
import { AppError } from '../../activities/infra/errors';

export const DEFAULT_SIGN_IN_LIMIT = { windowMs: 15 * 60 * 1000, limit: 10 };

export function createSignInRateLimit(opts: { windowMs: number; limit: number } = DEFAULT_SIGN_IN_LIMIT, stores?: RateLimitStoreFactory): RequestHandler {
  return rateLimit({
    ...(stores ? { store: stores('sign-in:'), passOnStoreError: true } : {}),
    windowMs: opts.windowMs,
    limit: opts.limit,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next, options) => {
      const minutes = Math.ceil(options.windowMs / 60000);
      next(
        new AppError('RATE_LIMITED', {
          zh: `登录尝试过多，请 ${minutes} 分钟后再试`,
          en: `Too many sign-in attempts; try again in ${minutes} minutes`,
        }),
      );
    },
  });
}
