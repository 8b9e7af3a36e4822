// npm run docx:sample -- --out DIR
// Writes the release documents of the rich fixture standard (every element type, two annexes, 30+ pages):
// the joint edition, the three province editions, the 征求意见稿 and its 编制说明, the 送审稿 (the sample as
// revised, activities/docx/fixtures/revised.ts) with the redline copy (修改对照稿, Word tracked changes) and the
// 条文对照表 between the two, and the 征求意见汇总处理表 of the comments module's sample (DOCX and CSV), each DOCX
// also as PDF (LibreOffice; skipped with a notice when it is not installed), and prints paths and SHA-256.
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateStandardDocx } from '../activities/docx/generate';
import { generateExplanatoryNoteDocx, sampleExplanatoryNote } from '../activities/docx/explanatory-note';
import { editionFileName } from '../activities/docx/activities';
import { EDITIONS } from '../activities/docx/edition';
import { richStandardBody, richStandardRecord } from '../activities/docx/fixtures/rich-standard';
import { richStandardRevised } from '../activities/docx/fixtures/revised';
import { generateRedlineDocx } from '../activities/redline/redline';
import { generateClauseTableDocx } from '../activities/redline/clause-table';
import { pdfFileName } from '../activities/pdf/editions';
import { renderPdf } from '../activities/pdf/render';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  if (!values.out) {
    console.error('usage: npm run docx:sample -- --out DIR');
    process.exit(2);
  }
  const out = path.resolve(values.out);
  await mkdir(out, { recursive: true });
  const record = richStandardRecord();
  const body = richStandardBody();
  const files: { name: string; data: Buffer }[] = [];
  for (const edition of EDITIONS) files.push({ name: editionFileName(record, edition), data: await generateStandardDocx({ record, body, edition }) });
  files.push({
    name: `${record.titleZh}（征求意见稿）.docx`,
    data: await generateStandardDocx({ record, body, edition: 'joint', stageLabel: 'draftForComment', completedOn: '2025-03-01' }),
  });
  files.push({ name: `${record.titleZh}（征求意见稿）编制说明.docx`, data: await generateExplanatoryNoteDocx({ record, note: sampleExplanatoryNote(), stage: 'draftForComment' }) });
  const revised = richStandardRevised();
  const review = { record, edition: 'joint' as const, stageLabel: 'draftForReview' as const, completedOn: '2025-05-01' };
  files.push({ name: `${record.titleZh}（送审稿）.docx`, data: await generateStandardDocx({ ...review, body: revised }) });
  files.push({ name: `${record.titleZh}-修改对照稿（征求意见稿→送审稿）.docx`, data: await generateRedlineDocx({ ...review, older: body, newer: revised, author: '起草组', date: '2025-05-01T08:00:00Z' }) });
  files.push({ name: `${record.titleZh}-条文对照表（征求意见稿→送审稿）.docx`, data: await generateClauseTableDocx({ titleZh: record.titleZh, older: body, newer: revised, olderName: '征求意见稿', newerName: '送审稿' }) });
  const print = (p: string, data: Buffer): void => console.log(`${createHash('sha256').update(data).digest('hex')}  ${data.length.toString().padStart(8)}  ${p}`);
  let pdfs = true;
  for (const f of files) {
    const p = path.join(out, f.name);
    await writeFile(p, f.data);
    print(p, f.data);
    if (!pdfs) continue;
    try {
      const pdf = await renderPdf(f.data);
      const q = path.join(out, pdfFileName(f.name));
      await writeFile(q, pdf);
      print(q, pdf);
    } catch (e) {
      const messages = (e as { messages?: { zh: string; en: string } }).messages;
      console.error(`PDF 未生成 PDF not written: ${messages ? `${messages.zh} / ${messages.en}` : String(e)}`);
      if ((e as { reason?: string }).reason === 'PDF_TOOL_MISSING') pdfs = false;
    }
  }
  // The disposition table is the comments module's (activities/comments); written here so the sample set is whole.
  const { writeSampleDispositionTable } = await import('../activities/comments/sample');
  for (const p of await writeSampleDispositionTable(out)) {
    const data = await readFile(p);
    print(p, data);
    if (pdfs && p.endsWith('.docx')) {
      const pdf = await renderPdf(data).catch((e: unknown) => console.error(`PDF 未生成 PDF not written: ${String(e)}`));
      if (pdf) {
        await writeFile(pdfFileName(p), pdf);
        print(pdfFileName(p), pdf);
      }
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
