// DOCX → PDF with LibreOffice headless. Each conversion runs in its own temporary directory with its own
// LibreOffice profile (`-env:UserInstallation`), so concurrent conversions never share a lock or a profile,
// under a timeout that kills the whole soffice process group. The export embeds the fonts and writes
// PDF/A-2b (`SelectPdfVersion` 2: every font embedded, as PDF/A requires). Errors are typed and bilingual:
// `PDF_TOOL_MISSING` when soffice is not installed, `PDF_TIMEOUT`, `PDF_FAILED` otherwise. Several documents
// go through one soffice process (`renderPdfs`), as a release's four editions do: one start instead of four.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '../infra/errors';

const run = promisify(execFile);

export const PDF_CONTENT_TYPE = 'application/pdf';

/** The export filter: PDF/A-2b with standard fonts embedded too (JSON filter options, LibreOffice ≥ 7.4). */
export const PDF_EXPORT_FILTER =
  'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"},"EmbedStandardFonts":{"type":"boolean","value":"true"}}';

export type PdfErrorReason = 'PDF_TOOL_MISSING' | 'PDF_TIMEOUT' | 'PDF_FAILED';

export class PdfRenderError extends AppError {
  readonly reason: PdfErrorReason;
  constructor(reason: PdfErrorReason, messages: { zh: string; en: string }, cause?: unknown) {
    super(reason === 'PDF_TOOL_MISSING' ? 'SERVICE_UNAVAILABLE' : 'INTERNAL', messages, { cause, details: { reason } });
    this.name = 'PdfRenderError';
    this.reason = reason;
  }
}

export interface RenderPdfOptions {
  /** Default 120 s per document. */
  timeoutMs?: number;
  /** Default `soffice` on PATH (or TONGBIAO_SOFFICE). */
  soffice?: string;
  /**
   * A PDF read only for its layout (the 目次 pass, activities/pdf/toc-pages.ts), never stored: the plain
   * export, whose text pdftotext reads in a tenth of the PDF/A's time (1.2 s against 12.5 s for 280 pages).
   * The page layout is Writer's and does not depend on the export filter.
   */
  layoutOnly?: boolean;
}

export type PdfRenderer = (docx: Buffer, options?: RenderPdfOptions) => Promise<Buffer>;
/** Several DOCX in one LibreOffice process: each PDF, or the error of that document. */
export type PdfBatchRenderer = (docxs: readonly Buffer[], options?: RenderPdfOptions) => Promise<(Buffer | PdfRenderError)[]>;

function sofficePath(options?: RenderPdfOptions): string {
  return options?.soffice ?? process.env.TONGBIAO_SOFFICE ?? 'soffice';
}

const failed = (why: string, cause?: unknown): PdfRenderError =>
  new PdfRenderError('PDF_FAILED', { zh: `LibreOffice 未能生成 PDF：${why}`, en: `LibreOffice did not produce a PDF: ${why}` }, cause);

/**
 * Converts DOCX files to PDF in ONE soffice process (one start, one profile; a release's four editions
 * take 21.6 s this way against 24.9 s in four processes). Each document's result is its PDF or its error;
 * a timeout ends the process and keeps the PDFs finished before it. Throws only PDF_TOOL_MISSING.
 */
export const renderPdfs: PdfBatchRenderer = async (docxs, options = {}) => {
  if (docxs.length === 0) return [];
  const timeoutMs = options.timeoutMs ?? 120_000 * docxs.length;
  const dir = await mkdtemp(path.join(tmpdir(), 'tb-pdf-'));
  try {
    const inputs = docxs.map((_, i) => path.join(dir, `document-${i}.docx`));
    await Promise.all(docxs.map((d, i) => writeFile(inputs[i], d)));
    const filter = options.layoutOnly ? 'pdf' : PDF_EXPORT_FILTER;
    const args = [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--norestore', '--nolockcheck', '--convert-to', filter, '--outdir', dir, ...inputs];
    const { code, stderr, timedOut, spawnError } = await new Promise<{ code: number | null; stderr: string; timedOut: boolean; spawnError?: NodeJS.ErrnoException }>((resolve) => {
      // detached: its own process group, so the timeout ends soffice.bin as well as the wrapper script.
      const child = spawn(sofficePath(options), args, { cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: dir } });
      let err = '';
      let timedOut = false;
      child.stdout.resume();
      child.stderr.on('data', (d: Buffer) => {
        if (err.length < 4000) err += d.toString();
      });
      const timer = setTimeout(() => {
        timedOut = true;
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }, timeoutMs);
      child.once('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        resolve({ code: null, stderr: err, timedOut, spawnError: e });
      });
      child.once('close', (c) => {
        clearTimeout(timer);
        resolve({ code: c, stderr: err, timedOut });
      });
    });
    if (spawnError?.code === 'ENOENT') {
      throw new PdfRenderError('PDF_TOOL_MISSING', { zh: '未安装 LibreOffice（soffice），无法生成 PDF：apt-get install libreoffice-writer-nogui fonts-noto-cjk', en: 'LibreOffice (soffice) is not installed, so no PDF can be made: apt-get install libreoffice-writer-nogui fonts-noto-cjk' }, spawnError);
    }
    return Promise.all(
      inputs.map(async (input): Promise<Buffer | PdfRenderError> => {
        let pdf: Buffer;
        try {
          pdf = await readFile(input.replace(/\.docx$/, '.pdf'));
        } catch (e) {
          if (timedOut) return new PdfRenderError('PDF_TIMEOUT', { zh: `LibreOffice 转换 PDF 超时（${Math.round(timeoutMs / 1000)} 秒）`, en: `LibreOffice did not finish the PDF within ${Math.round(timeoutMs / 1000)} s` });
          return failed((spawnError?.message ?? stderr.trim()) || `exit code ${String(code)}`, e);
        }
        // A PDF still being written when the timeout struck is cut off: without its trailer it is not kept.
        if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-' || !pdf.subarray(-1024).toString('latin1').includes('%%EOF')) {
          return timedOut ? new PdfRenderError('PDF_TIMEOUT', { zh: 'LibreOffice 转换 PDF 超时，文件不完整', en: 'LibreOffice timed out while writing the PDF' }) : new PdfRenderError('PDF_FAILED', { zh: 'LibreOffice 输出的不是完整的 PDF 文件', en: 'LibreOffice wrote something that is not a complete PDF' });
        }
        return pdf;
      }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

/** Converts one DOCX to PDF; throws a PdfRenderError. */
export const renderPdf: PdfRenderer = async (docx, options = {}) => {
  const [result] = await renderPdfs([docx], options);
  if (result instanceof PdfRenderError) throw result;
  return result;
};

/** A batch renderer from a one-document renderer (documents in turn), for renderers injected by callers. */
export function oneByOne(render: PdfRenderer): PdfBatchRenderer {
  return async (docxs, options) => {
    const out: (Buffer | PdfRenderError)[] = [];
    for (const docx of docxs) {
      try {
        out.push(await render(docx, options));
      } catch (e) {
        if (e instanceof PdfRenderError && e.reason === 'PDF_TOOL_MISSING') throw e;
        out.push(e instanceof PdfRenderError ? e : failed(String(e), e));
      }
    }
    return out;
  };
}

export interface PdfToolsStatus {
  soffice: boolean;
  cjkFont: boolean;
}

/** Whether soffice runs and a CJK font is installed (`fc-list :lang=zh`). */
export async function checkPdfTools(options?: RenderPdfOptions): Promise<PdfToolsStatus> {
  const soffice = await run(sofficePath(options), ['--version'], { timeout: 30_000 }).then(
    () => true,
    () => false,
  );
  const cjkFont = await run('fc-list', [':lang=zh'], { timeout: 30_000 }).then(
    ({ stdout }) => stdout.trim().length > 0,
    () => false,
  );
  return { soffice, cjkFont };
}

/** What to tell the operator when the tools are missing (zh, then en); empty when all is there. */
export function pdfToolsAdvice(status: PdfToolsStatus): string[] {
  const lines: string[] = [];
  if (!status.soffice) lines.push('未找到 LibreOffice（soffice），将不生成 PDF 版本。 / LibreOffice (soffice) not found: PDF editions will be skipped.');
  if (!status.cjkFont) lines.push('未找到中文字体（fc-list :lang=zh 为空），PDF 中的汉字将无法正确显示。 / No CJK font found (fc-list :lang=zh is empty): Chinese text would not print in PDFs.');
  if (lines.length > 0) lines.push('安装方法 / To install: sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk');
  return lines;
}
