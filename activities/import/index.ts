// Word import, the I/O part: bytes of an uploaded .docx / .doc / .wps → the document model and report.
// Sniffs the content, converts legacy formats with LibreOffice, opens the package within limits and runs
// the pure importer (editor/import). Errors are ImportErrors; toAppError() gives the HTTP form (4xx).
import { AppError } from '../infra/errors';
import { importDocxParts, isImportError, type ChangeMode, type ImportError, type ImportResult } from '../../editor/import';
import type { DocJSON, NodeJSON } from '../../editor/types';
import type { FormulaIssueReport } from '../../editor/import/report';
import { openDocx, sniff, LIMITS, type Limits } from './package';
import { convertToDocx } from './convert';
import type { ConversionCache } from './convert-cache';
import { metafilesToPng, type MetafileOutcome } from './metafile-media';
import type { MetafileTools } from './metafile';

export { LIMITS, sniff, checkCentralDirectory } from './package';
export { createConversionCache, type ConversionCache } from './convert-cache';

export interface ImportFileOptions {
  changes?: ChangeMode;
  /** The importing user's id, recorded as the proposer of kept suggestions (changes 'keep'). */
  suggestionsBy?: string;
  allowNonStandard?: boolean;
  limits?: Limits;
  makeId?: () => string;
  /** Keeps .doc/.wps conversions by content hash (the upload → preview → confirm flow converts once). */
  conversions?: ConversionCache;
  /** Stores the package's pictures (path → bytes) and gives each stored one's URL; the model then refers to
   *  them by URL instead of carrying data: URLs. */
  storePictures?: (media: ReadonlyMap<string, Uint8Array>) => Promise<ReadonlyMap<string, string>>;
  /** LibreOffice / pdftocairo paths for rendering WMF/EMF pictures (equation previews) to PNG. */
  metafileTools?: MetafileTools;
}

export interface ImportFileResult extends ImportResult {
  /** 'docx', or the legacy format that was converted first. */
  format: 'docx' | 'doc' | 'wps';
  /** WMF/EMF pictures rendered to PNG, or kept (with the failure, for the log: it may name server paths). */
  metafiles: MetafileOutcome;
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
  // Equation previews (WMF/EMF) become PNG pictures before the importer reads the package.
  const metafiles = await metafilesToPng(pkg.media, { conversions: options.conversions, tools: options.metafileTools });
  // With a picture store, the model first refers to pictures by their part (no data: URLs); once the import
  // succeeded (a refused file stores nothing), the pictures it uses are stored and referred to by URL.
  const result = importDocxParts(pkg.parts, {
    pictureSrc: options.storePictures ? (p) => `${PART_REF}${p}` : undefined,
    changes: options.changes,
    suggestionsBy: options.suggestionsBy,
    allowNonStandard: options.allowNonStandard,
    media: (p) => pkg.media.get(p),
    makeId: options.makeId,
  });
  if (options.storePictures) {
    const linked = await linkStoredPictures(result.doc, result.report.formulaIssues, pkg.media, options.storePictures);
    result.doc = linked.doc;
  }
  if (metafiles.kept.length > 0) {
    result.report.warnings.push({
      zh: `${metafiles.kept.length} 个 WMF/EMF 图片（公式对象的预览图）未能转换为 PNG，草案中保留占位文字，请重新录入或插入图片。`,
      en: `${metafiles.kept.length} WMF/EMF pictures (equation previews) could not be rendered as PNG; the draft keeps placeholders, please retype or insert them.`,
    });
  }
  return { ...result, format, metafiles };
}

const PART_REF = 'tongbiao-part:';

/** Stores the pictures the model refers to by part and puts their URLs in (''  for one the store refused). */
async function linkStoredPictures(
  doc: DocJSON,
  formulaIssues: FormulaIssueReport[],
  media: ReadonlyMap<string, Uint8Array>,
  store: NonNullable<ImportFileOptions['storePictures']>,
): Promise<{ doc: DocJSON }> {
  const used = new Map<string, Uint8Array>();
  const use = (src: unknown): void => {
    if (typeof src !== 'string' || !src.startsWith(PART_REF)) return;
    const bytes = media.get(src.slice(PART_REF.length));
    if (bytes) used.set(src.slice(PART_REF.length), bytes);
  };
  const collect = (n: NodeJSON): void => {
    if (n.type === 'figure' || n.type === 'formula') use(n.attrs?.src);
    for (const c of n.content ?? []) collect(c);
  };
  collect(doc as NodeJSON);
  for (const f of formulaIssues) use(f.src);
  const urls = await store(used);
  // Equation pictures in the report (mutated in place: the report is this import's own object).
  for (const f of formulaIssues) if (f.src?.startsWith(PART_REF)) f.src = urls.get(f.src.slice(PART_REF.length)) ?? '';
  const link = (n: NodeJSON): NodeJSON => {
    const src = n.type === 'figure' || n.type === 'formula' ? n.attrs?.src : undefined;
    const attrs = typeof src === 'string' && src.startsWith(PART_REF) ? { ...n.attrs, src: urls.get(src.slice(PART_REF.length)) ?? '' } : n.attrs;
    return { ...n, ...(attrs ? { attrs } : {}), ...(n.content ? { content: n.content.map(link) } : {}) };
  };
  return { doc: link(doc as NodeJSON) as DocJSON };
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
  NOT_AN_IMAGE: { code: 'UNSUPPORTED_MEDIA_TYPE', status: 415 },
};

/** The AppError (HTTP 4xx, zh/en message) of an import failure; other errors pass through. */
export function toAppError(e: unknown): unknown {
  if (!isImportError(e)) return e;
  const s = STATUS[e.code];
  return new AppError(s.code, e.messages, { status: s.status, details: { importError: e.code, ...(e.details === undefined ? {} : { info: e.details }) }, cause: e });
}
