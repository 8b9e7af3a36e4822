// npm run bench:import — the 300-page benchmark standard (the body of bench:docx: ≈150,000 characters,
// 300 clauses, 60 tables of 90 rows, 20 figures) generated as DOCX and imported back into the document
// model, beside mammoth converting the same file to HTML. Each side runs in its own process (a cold
// import, then warm runs as a server does them) under /usr/bin/time so peak memory is each one's own.
// Goals: ≤ 5 s and ≤ 2× mammoth's HTML conversion time.
import { standard300Body } from './standard-300';
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const OUT = path.resolve(__dirname, 'out', 'import');
const WARM_RUNS = 3;

interface ChildResult {
  cold: number;
  warm: number[];
  detail: string;
}

async function childImport(file: string): Promise<void> {
  const { importWordFile } = await import('../activities/import');
  const data = await readFile(file);
  const t0 = performance.now();
  const r = await importWordFile(data);
  const cold = performance.now() - t0;
  const warm: number[] = [];
  for (let i = 0; i < WARM_RUNS; i++) {
    const t = performance.now();
    await importWordFile(data);
    warm.push(performance.now() - t);
  }
  const detail = `${r.report.elements.filter((e) => e.kind === 'clause').length} clauses, ${r.report.elements.filter((e) => e.kind === 'table').length} tables, ${r.report.elements.filter((e) => e.kind === 'figure').length} figures, ${r.report.unplaced.length} not placed, ${r.report.numbering.mismatches.length} mismatches`;
  process.stdout.write(JSON.stringify({ cold, warm, detail } satisfies ChildResult));
}

async function childMammoth(file: string): Promise<void> {
  const mammoth = await import('mammoth');
  const data = await readFile(file);
  const t0 = performance.now();
  const r = await mammoth.convertToHtml({ buffer: data });
  const cold = performance.now() - t0;
  const warm: number[] = [];
  for (let i = 0; i < WARM_RUNS; i++) {
    const t = performance.now();
    await mammoth.convertToHtml({ buffer: data });
    warm.push(performance.now() - t);
  }
  process.stdout.write(JSON.stringify({ cold, warm, detail: `${r.value.length} characters of HTML` } satisfies ChildResult));
}

async function measure(kind: 'import' | 'mammoth', file: string): Promise<ChildResult & { maxRssKb: number; wall: number }> {
  const r = await run('/usr/bin/time', ['-f', '%e %M', process.execPath, '--import', 'tsx', __filename, `--${kind}`, file], { maxBuffer: 1 << 20 });
  const [wall, kb] = r.stderr.trim().split('\n').pop()?.split(' ').map(Number) ?? [0, 0];
  return { ...(JSON.parse(r.stdout) as ChildResult), maxRssKb: kb, wall };
}

async function main(): Promise<void> {
  if (process.argv[2] === '--import') return childImport(process.argv[3]);
  if (process.argv[2] === '--mammoth') return childMammoth(process.argv[3]);
  const { generateStandardDocx } = await import('../activities/docx/generate');
  const { richStandardRecord } = await import('../activities/docx/fixtures/rich-standard');
  await mkdir(OUT, { recursive: true });
  const body = await standard300Body();
  const file = path.join(OUT, 'standard-300-pages.docx');
  const data = await generateStandardDocx({ record: richStandardRecord(), body, edition: 'joint' });
  await writeFile(file, data);
  const mine = await measure('import', file);
  const ref0 = await measure('mammoth', file);
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const s = (ms: number): string => (ms / 1000).toFixed(2);
  console.log(`input: ${file} (${(data.length / 1048576).toFixed(1)} MB)`);
  console.log('| tool | cold (s) | warm median (s) | peak RSS (MB) | process wall (s) | result |');
  console.log('| --- | ---: | ---: | ---: | ---: | --- |');
  console.log(`| Tongbiao import (model + report) | ${s(mine.cold)} | ${s(median(mine.warm))} | ${(mine.maxRssKb / 1024).toFixed(0)} | ${mine.wall.toFixed(2)} | ${mine.detail} |`);
  console.log(`| mammoth convertToHtml | ${s(ref0.cold)} | ${s(median(ref0.warm))} | ${(ref0.maxRssKb / 1024).toFixed(0)} | ${ref0.wall.toFixed(2)} | ${ref0.detail} |`);
  const ratio = mine.cold / ref0.cold;
  const warmRatio = median(mine.warm) / median(ref0.warm);
  console.log(`RESULT import_s ${s(mine.cold)}s goal <=5s ${mine.cold <= 5000 ? 'met' : 'missed'}`);
  console.log(`RESULT import_warm_s ${s(median(mine.warm))}s`);
  console.log(`RESULT import_peak_rss_mb ${(mine.maxRssKb / 1024).toFixed(0)}`);
  console.log(`RESULT mammoth_html_s ${s(ref0.cold)}s`);
  console.log(`RESULT import_vs_mammoth_ratio ${ratio.toFixed(2)} goal <=2 ${ratio <= 2 ? 'met' : 'missed'}`);
  console.log(`RESULT import_vs_mammoth_warm_ratio ${warmRatio.toFixed(2)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
