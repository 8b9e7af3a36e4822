// DOCX → PDF with LibreOffice headless. Each conversion runs in its own temporary directory with its own
// LibreOffice profile (`-env:UserInstallation`), so concurrent conversions never share a lock or a profile,
// under a timeout that kills the whole soffice process group. The export embeds the fonts and writes
// PDF/A-2b (`SelectPdfVersion` 2: every font embedded, as PDF/A requires). Errors are typed and bilingual:
// `PDF_TOOL_MISSING` when soffice is not installed, `PDF_TIMEOUT`, `PDF_FAILED` otherwise.
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
  /** Default 120 s. */
  timeoutMs?: number;
  /** Default `soffice` on PATH (or TONGBIAO_SOFFICE). */
  soffice?: string;
}

export type PdfRenderer = (docx: Buffer, options?: RenderPdfOptions) => Promise<Buffer>;

function sofficePath(options?: RenderPdfOptions): string {
  return options?.soffice ?? process.env.TONGBIAO_SOFFICE ?? 'soffice';
}

/** Converts a DOCX to PDF; throws a PdfRenderError. */
export const renderPdf: PdfRenderer = async (docx, options = {}) => {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const dir = await mkdtemp(path.join(tmpdir(), 'tb-pdf-'));
  try {
    const input = path.join(dir, 'document.docx');
    await writeFile(input, docx);
    const args = [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--norestore', '--nolockcheck', '--convert-to', PDF_EXPORT_FILTER, '--outdir', dir, input];
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
    if (timedOut) {
      throw new PdfRenderError('PDF_TIMEOUT', { zh: `LibreOffice 转换 PDF 超时（${Math.round(timeoutMs / 1000)} 秒）`, en: `LibreOffice did not finish the PDF within ${Math.round(timeoutMs / 1000)} s` });
    }
    let pdf: Buffer;
    try {
      pdf = await readFile(path.join(dir, 'document.pdf'));
    } catch (e) {
      const why = (spawnError?.message ?? stderr.trim()) || `exit code ${String(code)}`;
      throw new PdfRenderError('PDF_FAILED', { zh: `LibreOffice 未能生成 PDF：${why}`, en: `LibreOffice did not produce a PDF: ${why}` }, e);
    }
    if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') {
      throw new PdfRenderError('PDF_FAILED', { zh: 'LibreOffice 输出的不是 PDF 文件', en: 'LibreOffice wrote something that is not a PDF' });
    }
    return pdf;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

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
