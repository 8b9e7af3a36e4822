// Errors of the pure import code. editor/ sits below the server and must not import its AppError, so the
// import has its own typed error with a stable code and the zh/en message; activities/import maps each
// code to an AppError (HTTP status) and the CLI prints the message and exits with status 2.
export type ImportErrorCode =
  /** Not a Word document (by content). */
  | 'NOT_WORD'
  /** Password-protected / encrypted (OLE EncryptedPackage; a legacy .doc whose FIB says fEncrypted). */
  | 'ENCRYPTED'
  /** Macro-enabled document (.docm: vbaProject or the macroEnabled content type). */
  | 'MACROS'
  /** ZIP bomb or limits exceeded (parts, uncompressed size, file size). */
  | 'TOO_LARGE'
  /** DOCTYPE / external entities / nesting too deep. */
  | 'UNSAFE_XML'
  /** Broken ZIP or XML. */
  | 'MALFORMED'
  /** Tracked changes present and the caller chose neither accept nor reject. */
  | 'TRACKED_CHANGES'
  /** No recognisable GB/T 1.1 structure. */
  | 'NOT_A_STANDARD'
  /** A legacy format that needs conversion and the converter is missing or failed. */
  | 'CONVERSION_FAILED'
  /** A picture part whose bytes are no picture format (named .png but HTML, an executable …). */
  | 'NOT_AN_IMAGE';

export interface ImportMessages {
  zh: string;
  en: string;
}

export class ImportError extends Error {
  readonly code: ImportErrorCode;
  readonly messages: ImportMessages;
  readonly details?: unknown;

  constructor(code: ImportErrorCode, messages: ImportMessages, options: { details?: unknown; cause?: unknown } = {}) {
    super(`${messages.zh} / ${messages.en}`, { cause: options.cause });
    this.name = 'ImportError';
    this.code = code;
    this.messages = messages;
    this.details = options.details;
  }
}

export function isImportError(e: unknown): e is ImportError {
  return e instanceof ImportError;
}
