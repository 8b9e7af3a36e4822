// The 目次 as a PDF prints it, against where its headings really are in that same PDF (pdftotext text):
// shared by the exact-目次 tests and the docx:sample test.
import type { TocEntry } from '../../../activities/docx/toc';
import { laidOutPages, pagesOfEntries } from '../../../activities/pdf/toc-pages';

const squeeze = (s: string): string => s.replace(/[\s\u3000]+/g, '');

/** The 目次 as printed: entry text (no spaces) → page number after the dot leader. */
export function printedToc(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*(.+?)\s*[.…]{4,}\s*([IVXLC]+|\d+)\s*$/.exec(line);
    if (m) out.set(squeeze(m[1]), m[2]);
  }
  return out;
}

/** Entries whose printed 目次 number differs from the page their heading is on in the same PDF. */
export function tocMismatches(text: string, entries: readonly TocEntry[]): { entry: string; printed?: string; actual?: string }[] {
  const actual = pagesOfEntries(entries, laidOutPages(text));
  const toc = printedToc(text);
  return entries
    .filter((e) => e.id)
    .map((e) => ({ entry: e.text, printed: toc.get(squeeze(e.text)), actual: actual.get(e.id as string) }))
    .filter((x) => x.printed !== x.actual);
}
