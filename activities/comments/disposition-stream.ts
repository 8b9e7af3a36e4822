// The 征求意见汇总处理表 as a stream, for the staff downloads: comments are read a batch at a time and their rows
// written out as they come, so memory stays flat however many comments a standard has (50,000 at the zone's
// ten-year volume) and nothing is left out. The CSV is lines; the DOCX is the same document ./disposition-table.ts
// builds, made once around a single marked row: the rows' XML is that row's XML with each cell's text put in
// (one paragraph per line, as the whole-table builder does), written into word/document.xml while the zip is
// being written (./zip-writer.ts: native deflate); the 说明 line, whose counts are known only at the end, follows
// the table.
import type { Readable } from 'node:stream';
import { Packer } from 'docx';
import JSZip from 'jszip';
import type { TableComment, TableRow as DispositionRow } from './rows';
import { clean, CSV_HEAD, csvCell, csvLine, dispositionDocument, docxDataRow, footText, TableTally, type DispositionTableInput } from './disposition-table';
import { zipStream, type ZipEntry } from './zip-writer';
import { timeSlicer } from './time-slice';

export interface StreamedTableInput extends Omit<DispositionTableInput, 'comments'> {
  /** Every comment of the standard, oldest first, a batch at a time. */
  batches: AsyncIterable<TableComment[]>;
}

/**
 * The CSV, a chunk per batch of comments (or per slice of one, ./time-slice.ts: the event loop is handed back every
 * few milliseconds of rows); the 说明 line last.
 */
export async function* dispositionCsvChunks(input: Pick<StreamedTableInput, 'batches' | 'current' | 'sentTo' | 'versionNames'>): AsyncGenerator<string> {
  const tally = new TableTally(input.current, input.versionNames);
  const slice = timeSlicer();
  yield CSV_HEAD;
  for await (const batch of input.batches) {
    let chunk = '';
    for (const c of batch) {
      const r = tally.add(c);
      if (r) chunk += csvLine(r);
      if (slice.due()) {
        if (chunk) yield chunk;
        chunk = '';
        await slice.pause();
      }
    }
    if (chunk) yield chunk;
  }
  yield `${csvCell(footText(tally.summary(input.sentTo)))}\r\n`;
}

const CELLS = ['no', 'clause', 'comment', 'proposedChange', 'from', 'dispositionText', 'remark'] as const;
const mark = (i: number): string => `@@TB${i}@@`;
const FOOT = '@@TBFOOT@@';

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The `<w:p>` … `</w:p>` around `at` in `xml`. */
function paragraphAround(xml: string, at: number): { start: number; end: number } {
  const start = Math.max(xml.lastIndexOf('<w:p>', at), xml.lastIndexOf('<w:p ', at));
  const end = xml.indexOf('</w:p>', at) + '</w:p>'.length;
  if (start < 0 || end < '</w:p>'.length) throw new Error('disposition table template: no paragraph around a marker');
  return { start, end };
}

/** Splits the marked document into what comes before the rows, a row renderer, and what follows (with the foot). */
function splitTemplate(xml: string): { before: string; row: (r: DispositionRow) => string; after: (foot: string) => string } {
  const first = xml.indexOf(mark(0));
  const rowStart = xml.lastIndexOf('<w:tr>', first);
  const rowEnd = xml.indexOf('</w:tr>', first) + '</w:tr>'.length;
  if (first < 0 || rowStart < 0) throw new Error('disposition table template: marked row not found');
  const rowXml = xml.slice(rowStart, rowEnd);
  // The row as pieces: literal XML, then cell i's paragraph (as a template), and so on.
  const pieces: Array<string | { cell: number; para: string }> = [];
  let pos = 0;
  CELLS.forEach((_, i) => {
    const at = rowXml.indexOf(mark(i), pos);
    if (at < 0) throw new Error(`disposition table template: cell ${i} not found`);
    const p = paragraphAround(rowXml, at);
    pieces.push(rowXml.slice(pos, p.start), { cell: i, para: rowXml.slice(p.start, p.end) });
    pos = p.end;
  });
  pieces.push(rowXml.slice(pos));
  const row = (r: DispositionRow): string =>
    pieces
      .map((piece) => {
        if (typeof piece === 'string') return piece;
        const text = String(r[CELLS[piece.cell]]);
        const lines = text === '' ? [''] : text.split('\n');
        return lines.map((l) => piece.para.replace(mark(piece.cell), escapeXml(clean(l)))).join('');
      })
      .join('');
  const before = xml.slice(0, rowStart);
  const rest = xml.slice(rowEnd);
  if (!rest.includes(FOOT)) throw new Error('disposition table template: foot not found');
  return { before, row, after: (foot) => rest.replace(FOOT, escapeXml(clean(foot))) };
}

/** Characters of row XML written out at a time. */
const CHUNK_CHARS = 32_000;

/** word/document.xml of the streamed table, in chunks; exported for the tests. */
export async function* documentXmlChunks(input: StreamedTableInput, template: string): AsyncGenerator<Buffer> {
  const { before, row, after } = splitTemplate(template);
  const tally = new TableTally(input.current, input.versionNames);
  const slice = timeSlicer();
  yield Buffer.from(before, 'utf8');
  for await (const batch of input.batches) {
    let chunk = '';
    for (const c of batch) {
      const r = tally.add(c);
      if (r) chunk += row(r);
      // Chunks of ≈ 100 KB rather than a batch's 2 MB: each is gone by the next young-generation GC, where whole
      // batches outlived it and piled up in the old generation until a full GC (the app's RSS during an export).
      if (chunk.length >= CHUNK_CHARS) {
        yield Buffer.from(chunk, 'utf8');
        chunk = '';
      }
      // A slice of rows at most between two turns of the event loop, whatever the consumer does with the chunks
      // (./time-slice.ts).
      if (slice.due()) {
        if (chunk) yield Buffer.from(chunk, 'utf8');
        chunk = '';
        await slice.pause();
      }
    }
    if (chunk) yield Buffer.from(chunk, 'utf8');
  }
  yield Buffer.from(after(footText(tally.summary(input.sentTo))), 'utf8');
}

/**
 * The DOCX as a stream: the same file `dispositionTableDocx` makes, its rows written as their batches arrive.
 * Errors after the first byte (a failed read) surface as the stream's error.
 */
export async function dispositionDocxStream(input: StreamedTableInput): Promise<Readable> {
  const marked = { no: mark(0), clause: mark(1), comment: mark(2), proposedChange: mark(3), from: mark(4), dispositionText: mark(5), remark: mark(6) };
  const template = await JSZip.loadAsync(await Packer.toBuffer(dispositionDocument(input, [docxDataRow(marked)], FOOT)));
  const entries: ZipEntry[] = [];
  for (const [name, file] of Object.entries(template.files)) {
    if (file.dir) continue;
    if (name === 'word/document.xml') entries.push({ name, data: documentXmlChunks(input, await file.async('string')) });
    else entries.push({ name, data: await file.async('nodebuffer') });
  }
  return zipStream(entries, input.date);
}
