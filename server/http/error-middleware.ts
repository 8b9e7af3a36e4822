// The one place errors become responses. AppError → its status and `{code, message, message_zh,
// message_en, details}`; body-parser errors → 400/413/415 in the same shape; anything else → 500 with an
// id that is logged with the stack. Pages get the error page, the API gets JSON.
import { INVALID_UTF8 } from './utf8';
import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { AppError, isAppError } from '../infra/errors';
import type { Logger } from '../infra/logger';

interface HttpErrorLike {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
}

/** Maps errors thrown by body-parser (express.json / urlencoded) to AppErrors. */
export function fromBodyParserError(err: unknown): AppError | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as HttpErrorLike;
  switch (e.type) {
    case 'entity.too.large':
      return new AppError('PAYLOAD_TOO_LARGE', { zh: '请求内容过大', en: 'Request body too large' });
    case 'entity.parse.failed':
      return new AppError('BAD_REQUEST', { zh: '请求内容不是有效的 JSON', en: 'The request body is not valid JSON' });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', { zh: '不支持的请求编码', en: 'Unsupported request encoding' });
    case INVALID_UTF8:
      return new AppError('BAD_REQUEST', { zh: '请求内容含无效的 UTF-8 字符', en: 'The request body contains invalid UTF-8' });
    case 'request.aborted':
      return new AppError('BAD_REQUEST', { zh: '请求被中断', en: 'Request aborted' });
    case 'parameters.too.many':
      return new AppError('PAYLOAD_TOO_LARGE', { zh: '参数过多', en: 'Too many parameters' });
    default:
      return null;
  }
}

export function isApiRequest(req: Request): boolean {
  return req.originalUrl.startsWith('/api/');
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('NOT_FOUND', { zh: `找不到 ${req.method} ${req.path}`, en: `Not found: ${req.method} ${req.path}` }));
};

export function createErrorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    let appError = isAppError(err) ? err : fromBodyParserError(err);
    let errorId: string | undefined;
    if (!appError) {
      errorId = randomUUID();
      logger.error({ err, errorId, method: req.method, url: req.originalUrl }, 'unhandled error');
      appError = new AppError('INTERNAL', { zh: `服务器内部错误（编号 ${errorId}）`, en: `Internal server error (id ${errorId})` }, { details: { errorId } });
    } else if (appError.status >= 500) {
      logger.error({ err, method: req.method, url: req.originalUrl }, 'server error');
    }
    res.status(appError.status);
    if (isApiRequest(req) || !req.accepts('html')) {
      res.json(appError.toJSON());
      return;
    }
    res.render('error.njk', { error: appError.toJSON(), status: appError.status });
  };
}
