// The PDF beside a stored DOCX: rendered from the DOCX's own (hash-checked) bytes, stored in GridFS as a
// new immutable file with the DOCX's metadata plus `format: 'pdf'` and `sourceFileId`, and its own sha256.
// Once per DOCX: a PDF already stored for that DOCX is returned as it is. `ensurePdfsOf` renders the missing
// PDFs of several DOCX in one LibreOffice process (a release's four editions).
import type { Db } from 'mongodb';
import { formatOf, getFileInfo, listFiles, readFileBytes, storeGeneratedFile, type StoredFile } from '../files/store';
import { AppError } from '../infra/errors';
import { PDF_CONTENT_TYPE, PdfRenderError, renderPdf as defaultRenderPdf, renderPdfs as defaultRenderPdfs, type PdfBatchRenderer, type PdfRenderer, type RenderPdfOptions } from './render';

/** The PDF's file name: the DOCX's with `.pdf`. */
export function pdfFileName(docxName: string): string {
  return docxName.replace(/\.docx$/i, '') + '.pdf';
}

/** The PDF already stored for a DOCX file, if any. */
export async function findPdfOf(db: Db, docx: StoredFile): Promise<StoredFile | undefined> {
  return (await listFiles(db, { standardId: docx.metadata.standardId, format: 'pdf', sourceFileId: docx.id }))[0];
}

/**
 * The PDF of a stored DOCX (by id or description), rendering and storing it when there is none.
 * `data` may be passed when the caller holds the DOCX bytes already. Throws PdfRenderError on failure.
 */
export async function ensurePdfOf(db: Db, docx: StoredFile | string, options: { data?: Buffer; render?: PdfRenderer } = {}): Promise<StoredFile> {
  const info = typeof docx === 'string' ? await getFileInfo(db, docx) : docx;
  assertDocx(info);
  const existing = await findPdfOf(db, info);
  if (existing) return existing;
  const data = options.data ?? (await readFileBytes(db, info.id)).data;
  return storePdfOf(db, info, await (options.render ?? defaultRenderPdf)(data));
}

function assertDocx(info: StoredFile): void {
  if (formatOf(info) !== 'docx' || !/\.docx$/i.test(info.filename)) {
    throw new AppError('BAD_REQUEST', { zh: '只能由 DOCX 文件生成 PDF', en: 'A PDF can only be made from a DOCX file' });
  }
}

function storePdfOf(db: Db, info: StoredFile, pdf: Buffer): Promise<StoredFile> {
  const m = info.metadata;
  const metadata = { standardId: m.standardId, kind: m.kind, stage: m.stage, province: m.province, sourceVersionId: m.sourceVersionId, draftKind: m.draftKind };
  return storeGeneratedFile(db, {
    filename: pdfFileName(info.filename),
    data: pdf,
    contentType: PDF_CONTENT_TYPE,
    metadata: { ...metadata, format: 'pdf', sourceFileId: info.id },
  });
}

/**
 * The PDFs of several stored DOCX, in their order: those already stored as they are, the missing ones
 * rendered together in one LibreOffice process (`renderMany`) and stored. Each entry is the stored PDF or the
 * error of that document (one failing document does not lose the others). Throws PDF_TOOL_MISSING.
 */
export async function ensurePdfsOf(db: Db, docxs: readonly StoredFile[], options: RenderPdfOptions & { renderMany?: PdfBatchRenderer } = {}): Promise<(StoredFile | Error)[]> {
  docxs.forEach(assertDocx);
  const out: (StoredFile | Error | undefined)[] = await Promise.all(docxs.map((d) => findPdfOf(db, d)));
  const todo = docxs.map((d, i) => ({ d, i })).filter(({ i }) => !out[i]);
  if (todo.length > 0) {
    const data = await Promise.all(todo.map(({ d }) => readFileBytes(db, d.id).then((r) => r.data)));
    const { renderMany, ...renderOptions } = options;
    const pdfs = await (renderMany ?? defaultRenderPdfs)(data, renderOptions);
    for (const [k, { d, i }] of todo.entries()) {
      const pdf = pdfs[k];
      out[i] = pdf instanceof PdfRenderError ? pdf : await storePdfOf(db, d, pdf);
    }
  }
  return out as (StoredFile | Error)[];
}

/** A DOCX with the PDF stored beside it, if any. */
export interface FileWithPdf {
  file: StoredFile;
  pdf?: StoredFile;
}

/**
 * Pairs each DOCX of a list with its PDF (by `sourceFileId`); PDFs whose DOCX is not in the list are
 * left out, so the caller's visibility filter on the DOCX list also governs the PDFs.
 */
export function pairWithPdfs(files: StoredFile[]): FileWithPdf[] {
  const pdfs = new Map<string, StoredFile>();
  for (const f of files) if (formatOf(f) === 'pdf' && f.metadata.sourceFileId && !pdfs.has(f.metadata.sourceFileId)) pdfs.set(f.metadata.sourceFileId, f);
  return files.filter((f) => formatOf(f) === 'docx').map((file) => ({ file, pdf: pdfs.get(file.id) }));
}
