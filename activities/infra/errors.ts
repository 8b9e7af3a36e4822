// Typed application errors. Every error a user can see carries a stable code, an HTTP status and a
// message in Chinese and English; the single error middleware in server/ maps them to responses.

export type ErrorCode =
  | 'BAD_REQUEST'
  | 'VALIDATION_FAILED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'CSRF_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'STAGE_CONFLICT'
  | 'DUPLICATE_NUMBER'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE'
  | 'CONFIG_INVALID'
  | 'TOOL_INSTALL_FAILED'
  | 'SERVER_START_FAILED'
  | 'INTERNAL';

const statusOf: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  CSRF_FAILED: 403,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  STAGE_CONFLICT: 409,
  DUPLICATE_NUMBER: 409,
  RATE_LIMITED: 429,
  /** The store or Temporal cannot be reached right now; the caller may retry (Retry-After). */
  SERVICE_UNAVAILABLE: 503,
  CONFIG_INVALID: 500,
  TOOL_INSTALL_FAILED: 500,
  SERVER_START_FAILED: 500,
  INTERNAL: 500,
};

/** A bilingual message: Chinese first, English second. */
export interface Bilingual {
  zh: string;
  en: string;
}

/**
 * The one error class of the application. `details` carries machine-readable context (for
 * validation errors, the list of offending fields) and is safe to show to the caller.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly messages: Bilingual;
  readonly details?: unknown;

  constructor(code: ErrorCode, messages: Bilingual, options: { details?: unknown; cause?: unknown; status?: number } = {}) {
    super(`${messages.zh} / ${messages.en}`, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = options.status ?? statusOf[code];
    this.messages = messages;
    this.details = options.details;
  }

  /** The JSON body answered to HTTP callers: `{ code, message, message_zh, message_en, details? }`. */
  toJSON(): { code: ErrorCode; message: string; message_zh: string; message_en: string; details?: unknown } {
    return {
      code: this.code,
      message: this.message,
      message_zh: this.messages.zh,
      message_en: this.messages.en,
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
