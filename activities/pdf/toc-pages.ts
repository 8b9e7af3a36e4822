// An exact 目次 (issue 13): the page numbers stored in the TOC field's result are the ones LibreOffice really
// prints. The DOCX is generated with estimated numbers (activities/docx/pagination.ts), rendered to PDF, each
// heading found on its page with pdftotext (the printed page number is the page's last line: Ⅰ Ⅱ … in the
// front matter, 1 2 … in the body), and the DOCX generated again with those numbers. The layout does not
// move between the two (the 目次 keeps its lines), so one pass suffices; Word still refreshes the field. The
// layout pass uses the plain PDF export (render option layoutOnly): the same layout, read ten times faster.
// Without pdftotext, or when a heading is not found, the estimate stays (never a blank or a guess).
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TocEntry } from '../docx/toc';
import type { PdfBatchRenderer, PdfRenderer, RenderPdfOptions } from './render';

const run = promisify(execFile);

export interface LaidOutPage {
  /** As printed in the footer: 'I', 'II', '1' …; '' when the page prints none (the cover). */
  printed: string;
  /** Lines without white space. */
  lines: string[];
}

const squeeze = (s: string): string => s.replace(/[\s\u3000]+/g, '');

/** pdftotext's text (pages split by form feeds) as pages with their printed numbers. */
export function laidOutPages(text: string): LaidOutPage[] {
  return text.split('\f').map((page) => {
    const lines = page.split('\n').map(squeeze).filter(Boolean);
    const last = lines[lines.length - 1] ?? '';
    return { printed: /^([IVXLC]+|\d+)$/.test(last) ? last : '', lines };
  });
}

/** What a heading looks like on its page: 「5点位布设」, 「前言」, or 「附录A」 (an annex prints its title lines below). */
function headingKey(e: TocEntry): string {
  const t = squeeze(e.text);
  const annex = /^(附录[A-Z])/.exec(t);
  return annex ? annex[1] : t;
}

/** The printed page of each entry, in order, searching forward from the previous entry's page. */
export function pagesOfEntries(entries: readonly TocEntry[], pages: readonly LaidOutPage[]): Map<string, string> {
  const out = new Map<string, string>();
  let from = 0;
  for (const e of entries) {
    if (!e.id) continue;
    const key = headingKey(e);
    for (let p = from; p < pages.length; p++) {
      // Lines of the 目次 itself run into a dot leader.
      const hit = pages[p].lines.some((l) => !/[.…]{4}/.test(l) && (l === key || (l.length >= 8 && key.startsWith(l) && !key.startsWith('附录'))));
      if (hit && pages[p].printed) {
        out.set(e.id, pages[p].printed);
        from = p;
        break;
      }
    }
  }
  return out;
}

/** The text of a PDF by pdftotext (layout mode), or null when pdftotext is not installed or fails. */
export async function pdfText(pdf: Buffer): Promise<string | null> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tb-toc-'));
  try {
    const file = path.join(dir, 'document.pdf');
    await writeFile(file, pdf);
    const { stdout } = await run('pdftotext', ['-layout', file, '-'], { maxBuffer: 64 << 20, timeout: 60_000 });
    return stdout;
  } catch {
    return null;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A DOCX and its PDF whose 目次 prints the real pages: generate (estimated) → render → read the pages →
 * generate with them → render. `changed` counts the entries whose number the layout corrected.
 */
export async function generateWithExactToc(
  generate: (tocPages?: ReadonlyMap<string, string>) => Promise<Buffer>,
  entries: readonly TocEntry[],
  render: PdfRenderer,
): Promise<{ docx: Buffer; pdf: Buffer; changed: number; pages: Map<string, string> }> {
  const first = await generate();
  const firstPdf = await render(first, { layoutOnly: true });
  const text = await pdfText(firstPdf);
  if (text === null) return { docx: first, pdf: await render(first), changed: 0, pages: new Map() };
  const pages = pagesOfEntries(entries, laidOutPages(text));
  const changed = entries.filter((e) => e.id && pages.has(e.id) && pages.get(e.id) !== e.page).length;
  if (changed === 0) return { docx: first, pdf: await render(first), changed, pages };
  const docx = await generate(pages);
  return { docx, pdf: await render(docx), changed, pages };
}

/**
 * The printed page of each 目次 entry of several documents, laid out together in one LibreOffice process
 * (plain export, read by pdftotext); undefined for a document whose layout or text could not be had.
 */
export async function layoutTocPages(
  docs: readonly { docx: Buffer; entries: readonly TocEntry[] }[],
  renderMany: PdfBatchRenderer,
  options: RenderPdfOptions = {},
): Promise<(Map<string, string> | undefined)[]> {
  const pdfs = await renderMany(docs.map((d) => d.docx), { ...options, layoutOnly: true });
  return Promise.all(
    pdfs.map(async (pdf, i) => {
      if (!(pdf instanceof Buffer)) return undefined;
      const text = await pdfText(pdf);
      return text === null ? undefined : pagesOfEntries(docs[i].entries, laidOutPages(text));
    }),
  );
}
