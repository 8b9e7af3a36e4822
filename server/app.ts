// Builds the Express application: security headers, logging, bounded body parsing, sessions in MongoDB,
// CSRF protection, no-store for anything showing staff data, the JSON API, the pages, and one error
// middleware. Only the entry point listens, so tests start the app in-process on port 0.
import path from 'node:path';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { AppDeps } from './app-deps';
import { createSessionLayer, type SessionLayer } from './auth/session';
import { resolveSessionSecret } from './auth/session-secret';
import { ensurePublicityEventIndexes } from '../activities/data/publicity-events';
import { ensureUserIndexes } from '../activities/data/users';
import { resolveLang } from './i18n';
import { availabilityGate, healthRoutes, type AvailabilityMonitor } from './infra/availability';
import { AppError } from '../activities/infra/errors';
import { createApiRouter } from './http/api-routes';
import { createCsrfProtection } from './http/csrf';
import { noStoreUnlessPublic, noStoreWhenSignedIn } from './http/cache-control';
import { createErrorMiddleware, lastResortHandler, notFoundHandler } from './http/error-middleware';
import { createPageRouter } from './http/page-routes';
import { loadPrincipal, requireUser } from './http/principal';
import { createSignInRateLimit, DEFAULT_SIGN_IN_LIMIT } from './http/rate-limit';
import { createViews, pageLocals } from './http/views';
import { notificationLocals } from './http/notifications-view';
import { assertUtf8 } from './http/utf8';

/** Largest accepted JSON or form body. Drafts travel over the collaboration socket, not here. */
export const BODY_LIMIT = '100kb';

export const PUBLIC_DIR = path.resolve(__dirname, '..', 'public');

export interface TongbiaoApp {
  app: Express;
  /** For the collaboration server: the session principal of a WebSocket upgrade request. */
  authenticateRequest: SessionLayer['authenticateRequest'];
  /** Stops the app's background work (the expired-session sweep); the MongoDB client is the caller's. */
  close(): Promise<void>;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Figure uploads (server/extensions/images.ts): the one API write whose body is multipart. */
const MULTIPART_ROUTE = /^\/standards\/[^/]+\/images$/;

/** The Word import upload (server/extensions/import.ts): a multipart page form that checks its CSRF token after parsing. */
const IMPORT_FORM_ROUTE = /^\/standards\/[A-Za-z0-9_-]{1,80}\/import$/;

/** API writes with a body must be JSON: anything else is refused before parsing (415). */
const requireJsonBody: express.RequestHandler = (req, _res, next) => {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  const multipartAllowed = req.method === 'POST' && MULTIPART_ROUTE.test(req.path) && req.is('multipart/form-data') !== false;
  if (UNSAFE.has(req.method) && hasBody && !req.is('application/json') && !multipartAllowed) {
    next(new AppError('UNSUPPORTED_MEDIA_TYPE', { zh: '请求内容须为 application/json', en: 'The request body must be application/json' }));
    return;
  }
  next();
};

/** For an app built without a monitor: always ready. */
const ALWAYS_AVAILABLE: AvailabilityMonitor = { down: () => [], snapshot: () => ({}), onDown: () => () => undefined, stop: async () => undefined };

export async function createApp(deps: AppDeps): Promise<TongbiaoApp> {
  const { config, db, logger } = deps;
  await Promise.all([ensureUserIndexes(db), ensurePublicityEventIndexes(db)]);
  const secret = await resolveSessionSecret(config);
  const sessions = await createSessionLayer({
    db,
    secret,
    secureCookie: (config.PUBLIC_URL ?? '').startsWith('https://'),
    sweepIntervalMs: config.SESSION_SWEEP_INTERVAL_SECONDS * 1000,
  });
  const signInLimiter = createSignInRateLimit(deps.signInRateLimit ?? DEFAULT_SIGN_IN_LIMIT, deps.rateLimitStores);

  const app = express();
  app.disable('x-powered-by');
  // Rate limits and logs key on the client address: behind a reverse proxy it must be trusted to say it.
  app.set('trust proxy', config.TRUST_PROXY === undefined ? false : /^\d+$/.test(config.TRUST_PROXY) ? Number(config.TRUST_PROXY) : config.TRUST_PROXY);
  const views = createViews(app);

  // Over plain HTTP (the embedded default, or a LAN address) asking browsers to upgrade to HTTPS would
  // break every stylesheet and script; only an https PUBLIC_URL turns that and HSTS on.
  const https = (config.PUBLIC_URL ?? '').startsWith('https://');
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: https ? [] : null } },
      strictTransportSecurity: https,
    }),
  );
  // Before logging, sessions and CSRF: a load balancer probes these every few seconds, with no cookie.
  app.use(healthRoutes(deps.availability ?? ALWAYS_AVAILABLE));
  app.use(
    pinoHttp({
      logger,
      // Client errors are ordinary answers; server errors are logged (with their id) by the error middleware.
      // A 503 while the store or Temporal is away is expected (the availability monitor logs the outage once).
      customLogLevel: (_req, res, err) => (res.statusCode === 503 ? 'warn' : err || res.statusCode >= 500 ? 'error' : 'info'),
      // Method, path and status only: no cookies, CSRF tokens or bodies in the logs.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(noStoreUnlessPublic);
  app.use('/static', express.static(PUBLIC_DIR, { index: false, maxAge: '1h' }));
  app.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });
  // While the store or Temporal is away: 503 at once (sessions alone would wait on the store).
  if (deps.availability) app.use(availabilityGate(deps.availability));
  app.use('/api', requireJsonBody);
  app.use(express.json({ limit: BODY_LIMIT, strict: true, verify: (_req, _res, buf) => assertUtf8(buf, false) }));
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 200, verify: (_req, _res, buf) => assertUtf8(buf, true) }));
  app.use(sessions.middleware);
  app.use(loadPrincipal(db));
  app.use(noStoreWhenSignedIn);
  app.use(resolveLang);
  app.use(pageLocals);
  app.use(notificationLocals(db));
  // API calls without a signed-in session have nothing to forge (they are refused with 401), and the
  // sign-in call is JSON-only, which a cross-site form cannot send; forms are always checked.
  // The Word import form is multipart, whose body is parsed only by its route: that route checks the token
  // itself after parsing (server/extensions/import.ts).
  app.use(createCsrfProtection({
    exempt: (req) =>
      (req.path.startsWith('/api/') && (!req.user || (req.method === 'POST' && req.path === '/api/session'))) ||
      (req.method === 'POST' && IMPORT_FORM_ROUTE.test(req.path) && typeof req.is('multipart/form-data') === 'string'),
  }));

  app.use('/api', createApiRouter({ db, lifecycle: deps.lifecycle, signInLimiter }));
  app.use(createPageRouter({ db, lifecycle: deps.lifecycle, signInLimiter, standardLinks: deps.standardLinks }));
  for (const extend of deps.extensions ?? []) extend({ app, requireUser, views });

  app.use(notFoundHandler);
  // Independent of everything above (a body that fails to parse skips the language and page locals),
  // and followed by a handler that cannot fail, so Express's own error page is never reached.
  app.use(createErrorMiddleware(logger));
  app.use(lastResortHandler);
  return { app, authenticateRequest: sessions.authenticateRequest, close: () => sessions.close() };
}
