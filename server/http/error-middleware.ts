// The one place errors become responses, for the app and for the comments router alike. AppError → its
// status and `{code, message, message_zh, message_en, details}`; body-parser and other HTTP errors → their
// 4xx in the same shape; the store or Temporal unreachable → 503 SERVICE_UNAVAILABLE with Retry-After;
// anything else → 500 with an id that is logged with the stack. Pages get the self-contained bilingual
// error page, the API gets JSON. It depends on no other middleware (a body that fails to parse never
// reaches the language, session or page locals), and nothing of an error — stack, server path, library
// message — is ever answered: when even rendering fails, a static bilingual page is sent instead, and no
// error is left for Express's own handler.
import { randomUUID } from 'node:crypto';
import { ServiceError } from '@temporalio/client';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { MongoNetworkError, MongoNotConnectedError, MongoServerSelectionError, MongoTopologyClosedError } from 'mongodb';
import nunjucks from 'nunjucks';
import { langOf, type Lang } from '../i18n/lang';
import { AppError, isAppError, type Bilingual, type ErrorCode } from '../../activities/infra/errors';
import type { Logger } from '../../activities/infra/logger';
import { INVALID_UTF8 } from './utf8';
import { TEMPLATES_DIR } from './views';
import { pageErrorJson } from './validate';

interface HttpErrorLike {
  status?: unknown;
  statusCode?: unknown;
  type?: unknown;
  limit?: unknown;
}

function sizeOf(limit: unknown): string {
  return typeof limit === 'number' && limit > 0 ? `${Math.round(limit / 1024)} kB` : '';
}

/** Maps errors thrown by body-parser (express.json / urlencoded) to AppErrors. */
export function fromBodyParserError(err: unknown): AppError | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as HttpErrorLike;
  switch (e.type) {
    case 'entity.too.large': {
      const limit = sizeOf(e.limit);
      return new AppError('PAYLOAD_TOO_LARGE', limit ? { zh: `请求内容过大（上限 ${limit}）`, en: `Request body too large (limit ${limit})` } : { zh: '请求内容过大', en: 'Request body too large' });
    }
    case 'entity.parse.failed':
      return new AppError('BAD_REQUEST', { zh: '请求内容不是有效的 JSON', en: 'The request body is not valid JSON' });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', { zh: '不支持的请求编码', en: 'Unsupported request encoding' });
    case INVALID_UTF8:
      return new AppError('BAD_REQUEST', { zh: '请求内容含无效的 UTF-8 字符', en: 'The request body contains invalid UTF-8' });
    case 'request.aborted':
    case 'request.size.invalid':
      return new AppError('BAD_REQUEST', { zh: '请求被中断或不完整', en: 'Request aborted or incomplete' });
    case 'parameters.too.many':
      return new AppError('PAYLOAD_TOO_LARGE', { zh: '参数过多', en: 'Too many parameters' });
    default:
      return null;
  }
}

const CLIENT_ERRORS: Record<number, { code: ErrorCode; message: Bilingual }> = {
  400: { code: 'BAD_REQUEST', message: { zh: '请求无效', en: 'Bad request' } },
  401: { code: 'UNAUTHENTICATED', message: { zh: '请先登录', en: 'Please sign in first' } },
  403: { code: 'FORBIDDEN', message: { zh: '无权访问', en: 'Forbidden' } },
  404: { code: 'NOT_FOUND', message: { zh: '找不到该页面或接口', en: 'No such page or endpoint' } },
  409: { code: 'CONFLICT', message: { zh: '请求与当前状态冲突', en: 'Conflict with the current state' } },
  413: { code: 'PAYLOAD_TOO_LARGE', message: { zh: '请求内容过大', en: 'Request body too large' } },
  415: { code: 'UNSUPPORTED_MEDIA_TYPE', message: { zh: '不支持的请求内容类型', en: 'Unsupported request content type' } },
  429: { code: 'RATE_LIMITED', message: { zh: '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' } },
};

/**
 * Other 4xx errors of Express and its libraries (http-errors, e.g. a path parameter that is not valid
 * percent-encoding): their status is kept, their message — the library's wording — is not.
 */
function fromHttpError(err: unknown): AppError | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as HttpErrorLike;
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  if (status === undefined || status < 400 || status > 499) return null;
  const known = CLIENT_ERRORS[status] ?? { code: 'BAD_REQUEST' as const, message: CLIENT_ERRORS[400].message };
  return new AppError(known.code, known.message, { status });
}

/** The error and its causes, outermost first (bounded: causes can form a cycle). */
function causeChain(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = err; e !== undefined && e !== null && chain.length < 10 && !chain.includes(e); e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

const MONGO_UNREACHABLE = [MongoServerSelectionError, MongoNetworkError /* and MongoNetworkTimeoutError */, MongoTopologyClosedError, MongoNotConnectedError];
const CONNECTION_FAILURES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
const GRPC_UNAVAILABLE = 14;

/**
 * True when the store or Temporal cannot be reached right now: the MongoDB driver's connection errors,
 * a Temporal ServiceError (or gRPC error) with status UNAVAILABLE, or a connection failure under a
 * Temporal error or raised inside the MongoDB driver. Looks through causes, since the lifecycle service wraps what Temporal throws.
 */
export function isServiceUnavailable(err: unknown): boolean {
  const chain = causeChain(err);
  const fromTemporal = chain.some((e) => e instanceof ServiceError || (e instanceof Error && e.name === 'TransportError'));
  return chain.some((e) => {
    if (MONGO_UNREACHABLE.some((C) => e instanceof C)) return true;
    const code = (e as { code?: unknown }).code;
    const grpcLike = typeof e === 'object' && e !== null && 'details' in e && 'metadata' in e;
    if (code === GRPC_UNAVAILABLE && (grpcLike || fromTemporal)) return true;
    if (typeof code !== 'string' || !CONNECTION_FAILURES.has(code)) return false;
    // The MongoDB driver lets some socket errors through unwrapped (a write to a socket FerretDB or mongod
    // closed as it died): raised inside the driver, they mean the store went away.
    return fromTemporal || /[\\/]node_modules[\\/]mongodb[\\/]/.test(String((e as { stack?: unknown }).stack));
  });
}

export function serviceUnavailable(cause?: unknown): AppError {
  return new AppError('SERVICE_UNAVAILABLE', { zh: '暂时无法服务，请稍后再试', en: 'Temporarily unavailable, please try again shortly' }, { cause });
}

export function isApiRequest(req: Request): boolean {
  return /^\/api(?:[/?]|$)/.test(req.originalUrl);
}

export const notFoundHandler: RequestHandler = (_req, _res, next) => {
  next(new AppError('NOT_FOUND', { zh: '找不到该页面或接口', en: 'No such page or endpoint' }));
};

const HEADINGS: Record<number, Bilingual> = {
  400: { zh: '提交的内容有误', en: 'Please check your request' },
  401: { zh: '请先登录', en: 'Please sign in' },
  403: { zh: '无权进行此操作', en: 'Not allowed' },
  404: { zh: '找不到页面', en: 'Not found' },
  409: { zh: '当前无法进行此操作', en: 'Not possible now' },
  413: { zh: '内容过长', en: 'Too long' },
  415: { zh: '不支持的内容类型', en: 'Unsupported content' },
  429: { zh: '请求过于频繁', en: 'Too many requests' },
  503: { zh: '暂时无法服务', en: 'Temporarily unavailable' },
};

/** The page answered when rendering the error page itself fails: no template, nothing of the request. */
export const FALLBACK_ERROR_HTML =
  '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>出错了 · Something went wrong</title></head><body>' +
  '<h1>出错了</h1><p>服务器暂时无法处理该请求，请稍后再试。</p>' +
  '<p lang="en"><strong>Something went wrong.</strong> The server could not handle this request; please try again shortly.</p>' +
  '<p><a href="/">统标 <span lang="en">Tongbiao</span></a></p></body></html>';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

function linksFor(req: Request, basePath: string): Array<{ href: string } & Bilingual> {
  const path = req.originalUrl.split('?')[0];
  const consultation = `${basePath}/consultation`;
  if (path === consultation || path.startsWith(`${consultation}/`)) {
    const id = path.slice(consultation.length + 1).split('/')[0];
    const links = ID.test(id) && !['status', 'receipt'].includes(id) ? [{ href: `${consultation}/${id}`, zh: '返回意见稿', en: 'Back to the draft' }] : [];
    return [...links, { href: consultation, zh: '所有征求意见的标准', en: 'All consultations' }];
  }
  if (path === '/published' || path.startsWith('/published/')) return [{ href: '/published', zh: '已发布标准', en: 'Published standards' }];
  const links = [{ href: '/standards', zh: '返回标准项目列表', en: 'Back to the standards' }];
  return req.user ? links : [...links, { href: '/sign-in', zh: '工作人员登录', en: 'Staff sign-in' }];
}

/** Sends the static page (or, once headers went out, cuts the connection); never throws. */
function sendFallback(res: Response, status = 500): void {
  try {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.statusCode = status >= 400 && status <= 599 ? status : 500;
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.end(FALLBACK_ERROR_HTML);
  } catch {
    res.destroy();
  }
}

export interface ErrorMiddlewareOptions {
  /** Prefix the comments router is mounted under, for the links back to a consultation. */
  basePath?: string;
}

/** The final error handler of the app or of a router: it always answers, and never calls next(err). */
export function createErrorMiddleware(logger: Logger, opts: ErrorMiddlewareOptions = {}): ErrorRequestHandler {
  // Its own environment: pages rendered with exactly the locals passed here, never the app's res.locals.
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(TEMPLATES_DIR), { autoescape: true, throwOnUndefined: false });
  const basePath = opts.basePath ?? '';

  const renderPage = (req: Request, lang: Lang, e: AppError): string => {
    try {
      return env.render('error.njk', { lang, status: e.status, error: pageErrorJson(e), heading: HEADINGS[e.status], links: linksFor(req, basePath) });
    } catch (renderError) {
      logger.error({ err: renderError }, 'error page not rendered');
      return FALLBACK_ERROR_HTML;
    }
  };

  return (err, req, res, _next) => {
    try {
      const where = { method: req.method, url: req.originalUrl.split('?')[0] };
      if (res.headersSent) {
        // The 503 gate already answered this request when a dependency went away: the abandoned handler's
        // late failure is expected and changes nothing.
        if (res.statusCode === 503 && res.writableEnded) {
          logger.debug({ err, ...where }, 'late error of a request already answered 503');
          return;
        }
        // The whole response went out already (express-session reports a failed touch of the session after
        // it wrote the end): destroying the socket now could drop bytes still buffered for the client.
        if (res.writableEnded) {
          logger.warn({ err, ...where }, 'error after the response was sent');
          return;
        }
        // Part of a response went out (a download, a stream): all that is left is to cut it short.
        logger.error({ err, ...where }, 'error after the response started');
        res.destroy();
        return;
      }
      let e: AppError;
      if (isAppError(err) && err.status < 500) e = err;
      else if (isServiceUnavailable(err)) {
        logger.warn({ err, ...where }, 'store or Temporal unreachable');
        e = serviceUnavailable(err);
      } else if (isAppError(err)) {
        logger.error({ err, ...where }, 'server error');
        e = err;
      } else {
        const known = fromBodyParserError(err) ?? fromHttpError(err);
        if (known) e = known;
        else {
          const errorId = randomUUID();
          logger.error({ err, errorId, ...where }, 'unhandled error');
          e = new AppError('INTERNAL', { zh: `服务器内部错误（编号 ${errorId}）`, en: `Internal server error (id ${errorId})` }, { details: { errorId } });
        }
      }

      res.status(e.status);
      // An error page must not be replayed from a cache once the cause is gone (or the user signed out).
      res.set('Cache-Control', 'no-store');
      if (e.code === 'SERVICE_UNAVAILABLE') res.set('Retry-After', '5');
      if (isApiRequest(req) || !req.accepts('html')) {
        res.json(e.toJSON());
        return;
      }
      // A browser navigating to a page (it asks for text/html by name) is sent to sign in and back; other
      // clients (a download tool, a script asking for */*) get the 401 itself.
      if (e.code === 'UNAUTHENTICATED' && req.method === 'GET' && (req.get('accept') ?? '').includes('text/html')) {
        res.redirect(303, `/sign-in?next=${encodeURIComponent(req.originalUrl)}`);
        return;
      }
      res.type('html').send(renderPage(req, langOf(req), e));
    } catch (failure) {
      try {
        logger.error({ err: failure, original: err }, 'error middleware failed');
      } catch {
        // Logging is best effort here; the answer below must still go out.
      }
      sendFallback(res);
    }
  };
}

/** After the error middleware, in case it ever throws: the static page, so Express's own never shows. */
export const lastResortHandler: ErrorRequestHandler = (_err, _req, res, _next) => {
  sendFallback(res);
};
