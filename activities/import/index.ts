// Word import, the I/O part: bytes of an uploaded .docx / .doc / .wps → the document model and report.
// Sniffs the content, converts legacy formats with LibreOffice, opens the package within limits and runs
// the pure importer (editor/import). Errors are ImportErrors; toAppError() gives the HTTP form (4xx).
import { AppError } from '../infra/errors';
import { importDocxParts, isImportError, type ChangeMode, type ImportError, type ImportResult } from '../../editor/import';
import { openDocx, sniff, LIMITS, type Limits } from './package';
import { convertToDocx } from './convert';
import type { ConversionCache } from './convert-cache';

export { LIMITS, sniff, checkCentralDirectory } from './package';
export { createConversionCache, type ConversionCache } from './convert-cache';

export interface ImportFileOptions {
  changes?: ChangeMode;
  allowNonStandard?: boolean;
  limits?: Limits;
  makeId?: () => string;
  /** Keeps .doc/.wps conversions by content hash (the upload → preview → confirm flow converts once). */
  conversions?: ConversionCache;
}

export interface ImportFileResult extends ImportResult {
  /** 'docx', or the legacy format that was converted first. */
  format: 'docx' | 'doc' | 'wps';
}

/** Imports a Word file given as bytes. Throws ImportError. */
export async function importWordFile(data: Uint8Array, options: ImportFileOptions = {}): Promise<ImportFileResult> {
  const limits = options.limits ?? LIMITS;
  let format: ImportFileResult['format'] = 'docx';
  let bytes: Uint8Array = data;
  const kind = sniff(data);
  if (data.length <= limits.maxFileBytes && (kind === 'doc' || kind === 'wps')) {
    format = kind;
    const legacy = kind;
    bytes = options.conversions ? await options.conversions.get(data, legacy, () => convertToDocx(data, legacy)) : await convertToDocx(data, legacy);
  }
  const pkg = await openDocx(bytes, limits);
  const result = importDocxParts(pkg.parts, {
    changes: options.changes,
    allowNonStandard: options.allowNonStandard,
    media: (p) => pkg.media.get(p),
    makeId: options.makeId,
  });
  return { ...result, format };
}

const STATUS: Record<ImportError['code'], { code: 'BAD_REQUEST' | 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE' | 'VALIDATION_FAILED'; status: number }> = {
  NOT_WORD: { code: 'UNSUPPORTED_MEDIA_TYPE', status: 415 },
  ENCRYPTED: { code: 'UNSUPPORTED_MEDIA_TYPE', status: 415 },
  MACROS: { code: 'UNSUPPORTED_MEDIA_TYPE', status: 415 },
  TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', status: 413 },
  UNSAFE_XML: { code: 'BAD_REQUEST', status: 400 },
  MALFORMED: { code: 'BAD_REQUEST', status: 400 },
  TRACKED_CHANGES: { code: 'VALIDATION_FAILED', status: 422 },
  NOT_A_STANDARD: { code: 'VALIDATION_FAILED', status: 422 },
  CONVERSION_FAILED: { code: 'UNSUPPORTED_MEDIA_TYPE', status: 415 },
};

/** The AppError (HTTP 4xx, zh/en message) of an import failure; other errors pass through. */
export function toAppError(e: unknown): unknown {
  if (!isImportError(e)) return e;
  const s = STATUS[e.code];
  return new AppError(s.code, e.messages, { status: s.status, details: { importError: e.code, ...(e.details === undefined ? {} : { info: e.details }) }, cause: e });
}
