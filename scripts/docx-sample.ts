// npm run docx:sample -- --out DIR
// Writes the release documents of the rich fixture standard (every element type, two annexes, 30+ pages):
// the joint edition, the three province editions, the 征求意见稿 and its 编制说明, the 送审稿 (the sample as
// revised, activities/docx/fixtures/revised.ts) with the redline copy (修改对照稿, Word tracked changes) and the
// 条文对照表 between the two, and the 征求意见汇总处理表 of the comments module's sample (DOCX and CSV), each DOCX
// also as PDF (LibreOffice; skipped with a notice when it is not installed), and prints paths and SHA-256.
// As the release does, the 目次 prints the pages LibreOffice lays the headings on (activities/pdf/toc-pages.ts):
// one layout start for the three bodies (editions and 征求意见稿 share theirs, the 送审稿, the redline), then
// every PDF from one more start. `writeDocxSample` is the whole job, for the test (test/scripts/docx-sample).
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { DocJSON } from '../editor/types';
import { computeNumbering } from '../editor/numbering';
import { generateStandardDocx, type GenerateOptions } from '../activities/docx/generate';
import { generateExplanatoryNoteDocx, sampleExplanatoryNote } from '../activities/docx/explanatory-note';
import { editionFileName } from '../activities/docx/activities';
import { EDITIONS } from '../activities/docx/edition';
import { tocEntries } from '../activities/docx/toc';
import { richStandardBody, richStandardRecord } from '../activities/docx/fixtures/rich-standard';
import { richStandardRevised } from '../activities/docx/fixtures/revised';
import { generateRedlineDocx, redlineParts } from '../activities/redline/redline';
import { generateClauseTableDocx } from '../activities/redline/clause-table';
import { pdfFileName } from '../activities/pdf/editions';
import { PdfRenderError, renderPdfs, type PdfBatchRenderer } from '../activities/pdf/render';
import { layoutTocPages } from '../activities/pdf/toc-pages';

export interface SampleFile {
  path: string;
  sha256: string;
  bytes: number;
}

export interface SampleOptions {
  /** Where each written file's line goes (default console.log). */
  print?: (line: string) => void;
  /** Default: LibreOffice (`renderPdfs`). */
  renderMany?: PdfBatchRenderer;
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
const messageOf = (e: unknown): string => {
  const m = (e as { messages?: { zh: string; en: string } }).messages;
  return m ? `${m.zh} / ${m.en}` : String(e);
};

/** Writes the sample set into `out`; returns every file written (DOCX, PDF, CSV) in the order printed. */
export async function writeDocxSample(out: string, options: SampleOptions = {}): Promise<SampleFile[]> {
  const print = options.print ?? ((line: string) => console.log(line));
  const renderMany = options.renderMany ?? renderPdfs;
  await mkdir(out, { recursive: true });
  const record = richStandardRecord();
  const body = richStandardBody();
  const revised = richStandardRevised();
  const draft = { record, edition: 'joint' as const, stageLabel: 'draftForComment' as const, completedOn: '2025-03-01' };
  const review = { record, edition: 'joint' as const, stageLabel: 'draftForReview' as const, completedOn: '2025-05-01' };
  const redlineOf = (tocPages?: ReadonlyMap<string, string>) => generateRedlineDocx({ ...review, tocPages, older: body, newer: revised, author: '起草组', date: '2025-05-01T08:00:00Z' });
  const entriesOf = (b: DocJSON) => tocEntries(b, computeNumbering(b));

  // The 目次 layout: the editions and the 征求意见稿 share one body (their headings land alike, as the
  // release test shows), the 送审稿 and the redline (deleted text shown) have their own.
  const tocPages: (ReadonlyMap<string, string> | undefined)[] = await layoutTocPages(
    [
      { docx: await generateStandardDocx({ ...draft, body }), entries: entriesOf(body) },
      { docx: await generateStandardDocx({ ...review, body: revised }), entries: entriesOf(revised) },
      { docx: await redlineOf(), entries: ((r) => tocEntries(r.body, r.numbering))(redlineParts(body, revised)) },
    ],
    renderMany,
  ).catch((e: unknown) => {
    console.error(`目次页码取自估算（未能排版）The 目次 keeps estimated page numbers (no layout): ${messageOf(e)}`);
    return [];
  });
  const [bodyPages, revisedPages, redlinePages] = tocPages;
  const standard = (o: Omit<GenerateOptions, 'tocPages'>, pages?: ReadonlyMap<string, string>) => generateStandardDocx({ ...o, tocPages: pages });

  const docs: { name: string; data: Buffer }[] = [];
  for (const edition of EDITIONS) docs.push({ name: editionFileName(record, edition), data: await standard({ record, body, edition }, bodyPages) });
  docs.push({ name: `${record.titleZh}（征求意见稿）.docx`, data: await standard({ ...draft, body }, bodyPages) });
  docs.push({ name: `${record.titleZh}（征求意见稿）编制说明.docx`, data: await generateExplanatoryNoteDocx({ record, note: sampleExplanatoryNote(), stage: 'draftForComment' }) });
  docs.push({ name: `${record.titleZh}（送审稿）.docx`, data: await standard({ ...review, body: revised }, revisedPages) });
  docs.push({ name: `${record.titleZh}-修改对照稿（征求意见稿→送审稿）.docx`, data: await redlineOf(redlinePages) });
  docs.push({ name: `${record.titleZh}-条文对照表（征求意见稿→送审稿）.docx`, data: await generateClauseTableDocx({ titleZh: record.titleZh, older: body, newer: revised, olderName: '征求意见稿', newerName: '送审稿' }) });

  const written: SampleFile[] = [];
  const put = async (p: string, data: Buffer, write = true): Promise<void> => {
    if (write) await writeFile(p, data);
    const file = { path: p, sha256: sha256(data), bytes: data.length };
    written.push(file);
    print(`${file.sha256}  ${data.length.toString().padStart(8)}  ${p}`);
  };
  for (const d of docs) await put(path.join(out, d.name), d.data);
  // The disposition table is the comments module's (activities/comments); written here so the sample set is whole.
  const { writeSampleDispositionTable } = await import('../activities/comments/sample');
  for (const p of await writeSampleDispositionTable(out)) {
    const data = await readFile(p);
    await put(p, data, false);
    if (p.endsWith('.docx')) docs.push({ name: path.basename(p), data });
  }

  // Every PDF from one LibreOffice start.
  const pdfs = await renderMany(docs.map((d) => d.data)).catch((e: unknown) => {
    console.error(`PDF 未生成 PDF not written: ${messageOf(e)}`);
    return [];
  });
  for (const [i, pdf] of pdfs.entries()) {
    if (pdf instanceof PdfRenderError) console.error(`PDF 未生成 PDF not written (${docs[i].name}): ${messageOf(pdf)}`);
    else await put(path.join(out, pdfFileName(docs[i].name)), pdf);
  }
  return written;
}

if (require.main === module) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  if (!values.out) {
    console.error('usage: npm run docx:sample -- --out DIR');
    process.exit(2);
  }
  writeDocxSample(path.resolve(values.out)).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
