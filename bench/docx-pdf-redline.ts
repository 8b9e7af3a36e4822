// The PDF and redline part of `npm run bench:docx` (issue 13): the 300-page standard rendered to PDF by
// LibreOffice (activities/pdf/render.ts, PDF/A-2b, own profile per conversion) beside LibreOffice's own
// conversion of pandoc's DOCX of the same content; the whole release — four DOCX editions and their four
// PDFs, one after another as the release activity makes them — against LibreOffice's time for four PDFs of
// pandoc's DOCX alone (four separate soffice runs, as each release PDF is) — the release includes its 目次
// layout pass (one more render: activities/pdf/toc-pages.ts), and the joint PDF's 目次 is checked against
// where each heading landed; and the redline copy between two
// 300-page versions. Prints table rows and RESULT lines; goals: redline ≤ 3 s, release ≤ 1.5 × LibreOffice.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { DocJSON, NodeJSON } from '../editor/types';

const run = promisify(execFile);

/** A later version of a body: every 7th paragraph reworded, a table cell changed in every 5th table, one clause deleted, one inserted. */
export function reviseBody(body: DocJSON): DocJSON {
  const doc = JSON.parse(JSON.stringify(body)) as NodeJSON;
  let paragraphs = 0;
  let tables = 0;
  let deleted = false;
  const walk = (n: NodeJSON): void => {
    if (n.type === 'paragraph' && ++paragraphs % 7 === 0 && n.content?.[0]?.type === 'text') n.content[0] = { ...n.content[0], text: `${n.content[0].text ?? ''}（修订：补充说明。）` };
    if (n.type === 'table' && ++tables % 5 === 0) {
      const grid = n.content?.find((c) => c.type === 'tableGrid');
      const cell = grid?.content?.[1]?.content?.[1]?.content?.[0]?.content?.[0];
      if (cell?.type === 'text') cell.text = `${cell.text ?? ''}（修订）`;
    }
    if (n.type === 'chapter' && n.content) {
      const clauses = n.content.filter((c) => c.type === 'clause1');
      if (!deleted && clauses.length > 2) {
        n.content = n.content.filter((c) => c !== clauses[1]);
        n.content.push({ type: 'clause1', attrs: { id: 'bench-new-clause' }, content: [{ type: 'heading', content: [{ type: 'text', text: '新增要求' }] }, { type: 'paragraph', content: [{ type: 'text', text: '新增条款的要求文字，监测结果应在5个工作日内报送。' }] }] });
        deleted = true;
      }
    }
    for (const c of n.content ?? []) walk(c);
  };
  walk(doc);
  return doc as DocJSON;
}

/**
 * CPU seconds of this process plus every child it has reaped (soffice, pdftotext: /proc/self/stat cutime and
 * cstime, which include their own reaped descendants). On a shared machine wall times follow the load of the
 * moment; CPU time does not, so the release and LibreOffice are compared by both.
 */
function cpuSeconds(): number {
  const own = process.cpuUsage();
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (own.user + own.system) / 1e6 + (Number(fields[13]) + Number(fields[14])) / 100;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; cpu: number }> {
  const t = performance.now();
  const c = cpuSeconds();
  const value = await fn();
  return { value, seconds: (performance.now() - t) / 1000, cpu: cpuSeconds() - c };
}

/** LibreOffice converting DOCX files to PDF in one process with its own profile (the plain `pdf` export). */
async function sofficeToPdf(files: string[], dir: string, profile: string): Promise<number> {
  const t = performance.now();
  await run('soffice', [`-env:UserInstallation=file://${dir}/${profile}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', dir, ...files], { timeout: 600_000, maxBuffer: 1 << 20 });
  return (performance.now() - t) / 1000;
}

export async function pdfAndRedlineBench(opts: { body: DocJSON; outDir: string; pandocDocx: string }): Promise<string[]> {
  const { generateStandardDocx } = await import('../activities/docx/generate');
  const { richStandardRecord } = await import('../activities/docx/fixtures/rich-standard');
  const { EDITIONS } = await import('../activities/docx/edition');
  const { renderPdf, renderPdfs } = await import('../activities/pdf/render');
  const { generateRedlineDocx } = await import('../activities/redline/redline');
  const { laidOutPages, pagesOfEntries, pdfText } = await import('../activities/pdf/toc-pages');
  const { tocEntries } = await import('../activities/docx/toc');
  const { computeNumbering } = await import('../editor/numbering');
  const entries = tocEntries(opts.body, computeNumbering(opts.body));
  const record = richStandardRecord();
  const dir = path.join(opts.outDir, 'pdf');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });

  // LibreOffice alone: four conversions of pandoc's DOCX, each its own process; then the four in one process
  // (one start, as the release now converts its four editions), for the stricter comparison.
  const lo: number[] = [];
  const copies: string[] = [];
  const loCpu0 = cpuSeconds();
  for (let i = 0; i < 4; i++) {
    const copy = path.join(dir, `pandoc-${i}.docx`);
    await copyFile(opts.pandocDocx, copy);
    copies.push(copy);
    lo.push(await sofficeToPdf([copy], dir, `profile-${i}`));
  }
  const loFourCpu = cpuSeconds() - loCpu0;
  const loFour = lo.reduce((a, b) => a + b, 0);
  const loOne = [...lo].sort((a, b) => a - b)[1];
  const batchCpu0 = cpuSeconds();
  const loBatch = await sofficeToPdf(copies, dir, 'profile-batch');
  const loBatchCpu = cpuSeconds() - batchCpu0;

  // The release as the activity makes it (activities/docx/activities.ts): the 目次 layout pass (joint edition,
  // plain PDF export, pdftotext), the four DOCX editions with its pages, their four PDFs in one LibreOffice
  // process. Each step's time is kept for the profile.
  let corrected = 0;
  let jointPdf: Buffer | null = null;
  const steps = { layoutDocx: 0, layoutRender: 0, layoutText: 0, docx: 0, pdfs: 0 };
  const release = await timed(async () => {
    const first = await timed(() => generateStandardDocx({ record, body: opts.body, edition: 'joint' }));
    const laidOut = await timed(() => renderPdf(first.value, { timeoutMs: 300_000, layoutOnly: true }));
    const layout = await timed(() => pdfText(laidOut.value));
    Object.assign(steps, { layoutDocx: first.seconds, layoutRender: laidOut.seconds, layoutText: layout.seconds });
    const tocPages = layout.value ? pagesOfEntries(entries, laidOutPages(layout.value)) : undefined;
    corrected = entries.filter((e) => e.id && tocPages?.has(e.id) && tocPages.get(e.id) !== e.page).length;
    const docxs: Buffer[] = [];
    for (const edition of EDITIONS) {
      const docx = await timed(() => generateStandardDocx({ record, body: opts.body, edition, tocPages }));
      steps.docx += docx.seconds;
      docxs.push(docx.value);
    }
    const pdfs = await timed(() => renderPdfs(docxs, { timeoutMs: 600_000 }));
    steps.pdfs = pdfs.seconds;
    for (const p of pdfs.value) if (!(p instanceof Buffer)) throw p;
    jointPdf = pdfs.value[0] as Buffer;
    return pdfs.seconds / 4;
  });
  const ourPdf = release.value;
  // The printed 目次 against where the headings are in the same PDF.
  const finalText = jointPdf ? ((await pdfText(jointPdf)) ?? '') : '';
  const landed = pagesOfEntries(entries, laidOutPages(finalText));
  const printed = new Map<string, string>();
  for (const line of finalText.split('\n')) {
    const m = /^\s*(.+?)\s*[.…]{4,}\s*([IVXLC]+|\d+)\s*$/.exec(line);
    if (m) printed.set(m[1].replace(/[\s\u3000]+/g, ''), m[2]);
  }
  const withIds = entries.filter((e) => e.id);
  const tocWrong = withIds.filter((e) => printed.get(e.text.replace(/[\s\u3000]+/g, '')) !== landed.get(e.id as string)).length;

  // The redline between two 300-page versions (in a process that has generated documents already).
  const newer = reviseBody(opts.body);
  const cpu0 = process.cpuUsage();
  const redline = await timed(() => generateRedlineDocx({ older: opts.body, newer, author: '起草组', date: '2026-03-02T08:00:00Z', record, edition: 'joint', stageLabel: 'draftForReview' }));

  const cpu = process.cpuUsage(cpu0);
  // Wall time on a shared machine depends on the load; the CPU the redline used does not.
  const redlineCpu = (cpu.user + cpu.system) / 1e6;
  const ratio = release.seconds / loFour;
  const ratioBatch = release.seconds / loBatch;
  const ratioCpu = release.cpu / loFourCpu;
  const load = (await import('node:os')).loadavg()[0];
  return [
    '',
    '| step | what is timed | time (s) |',
    '| --- | --- | ---: |',
    `| LibreOffice, pandoc's DOCX → PDF | one conversion (median of 4 processes) | ${loOne.toFixed(2)} |`,
    `| LibreOffice, pandoc's DOCX → PDF ×4 | four conversions, one process each (CPU ${loFourCpu.toFixed(2)} s) | ${loFour.toFixed(2)} |`,
    `| LibreOffice, pandoc's DOCX → PDF ×4 | four conversions in one process (CPU ${loBatchCpu.toFixed(2)} s) | ${loBatch.toFixed(2)} |`,
    `| tongbiao release | 目次 layout pass, four DOCX editions, their four PDFs (PDF/A-2b) in one process (CPU ${release.cpu.toFixed(2)} s) | ${release.seconds.toFixed(2)} |`,
    `|   of which | layout DOCX / layout render (plain PDF) / pdftotext | ${steps.layoutDocx.toFixed(2)} / ${steps.layoutRender.toFixed(2)} / ${steps.layoutText.toFixed(2)} |`,
    `|   of which | four DOCX editions / four PDFs in one LibreOffice process | ${steps.docx.toFixed(2)} / ${steps.pdfs.toFixed(2)} |`,
    `| tongbiao generateRedlineDocx | redline of two 300-page versions (${(redline.value.length / 1024).toFixed(0)} KB) | ${redline.seconds.toFixed(2)} |`,
    '',
    `RESULT docx_pdf_300_pages ${ourPdf.toFixed(2)}s libreoffice_on_pandoc_docx ${loOne.toFixed(2)}s ratio ${(ourPdf / loOne).toFixed(2)}x`,
    `RESULT docx_release_4_docx_4_pdf ${release.seconds.toFixed(2)}s vs libreoffice_4_pdf ${loFour.toFixed(2)}s ratio ${ratio.toFixed(2)}x goal <=1.5x ${ratio <= 1.5 ? 'met' : 'missed'}`,
    `RESULT docx_release_cpu ${release.cpu.toFixed(2)}s vs libreoffice_4_pdf_cpu ${loFourCpu.toFixed(2)}s ratio ${ratioCpu.toFixed(2)}x goal <=1.5x ${ratioCpu <= 1.5 ? 'met' : 'missed'} (load average at the end ${load.toFixed(1)})`,
    `RESULT docx_release_vs_libreoffice_4_pdf_one_process ${release.seconds.toFixed(2)}s vs ${loBatch.toFixed(2)}s ratio ${ratioBatch.toFixed(2)}x goal <=1.5x ${ratioBatch <= 1.5 ? 'met' : 'missed'}`,
    `RESULT docx_toc_300_pages_wrong_entries ${tocWrong} of ${withIds.length} (layout corrected ${corrected} estimates) goal 0 ${tocWrong === 0 ? 'met' : 'missed'}`,
    `RESULT docx_redline_300_pages ${redline.seconds.toFixed(2)}s goal <=3s ${redline.seconds <= 3 ? 'met' : 'missed'}`,
    `RESULT docx_redline_300_pages_cpu ${redlineCpu.toFixed(2)}s goal <=3s ${redlineCpu <= 3 ? 'met' : 'missed'}`,
  ];
}
