// `npx tsx bench/scale-export.ts [N]`: the 征求意见汇总处理表 of N comments (default 50,000, issue 11's S2) made by
// the streamed exports (activities/comments/disposition-stream.ts) in this process, with no store: comments shaped
// like bench/scale.ts's come a batch of 1,000 at a time, the output goes to a counting sink. Prints time, bytes,
// the rows found and the peak RSS of each, then (WHOLE=1) the whole-table builders for comparison.
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { CommentRecord } from '../activities/comments/model';
import { benchComment } from './comment-doc';
import { dispositionCsvChunks, dispositionDocxStream } from '../activities/comments/disposition-stream';
import { dispositionTableCsv, dispositionTableDocx } from '../activities/comments/disposition-table';

const N = Number(process.argv[2] ?? 50_000);
const BATCH = 1000;
const STD = 'std-scale-open';


async function* batches(): AsyncGenerator<CommentRecord[]> {
  for (let i = 0; i < N; i += BATCH) yield Array.from({ length: Math.min(BATCH, N - i) }, (_, k) => benchComment(i + k, { standardId: STD, keyPrefix: 'bench-export', t0: Date.UTC(2026, 0, 1), handled: true }));
}

function sampler(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const t = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return {
    stop: () => {
      clearInterval(t);
      return Math.max(peak, process.memoryUsage().rss) / 1048576;
    },
  };
}

async function measure(name: string, make: () => Promise<NodeJS.ReadableStream>): Promise<void> {
  global.gc?.();
  const s = sampler();
  const t0 = performance.now();
  let bytes = 0;
  await pipeline(await make(), new Writable({ write: (chunk: Buffer | string, _enc, done) => ((bytes += Buffer.byteLength(chunk)), done()) }));
  const ms = performance.now() - t0;
  console.log(`${name}: ${N} comments, ${(ms / 1000).toFixed(1)} s, ${(bytes / 1048576).toFixed(1)} MB out, peak RSS ${s.stop().toFixed(0)} MB`);
}

async function main(): Promise<void> {
  const input = { standard: { titleZh: '示范区地表水环境质量监测技术规范', draftingUnits: ['上海市环境科学研究院'] }, date: new Date(), current: null, sentTo: null };
  console.log(`start RSS ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB`);
  await measure('streamed CSV', async () => Readable.from(dispositionCsvChunks({ ...input, batches: batches() })));
  await measure('streamed DOCX', () => dispositionDocxStream({ ...input, batches: batches() }));
  if (process.env.WHOLE) {
    const all: CommentRecord[] = [];
    for await (const b of batches()) all.push(...b);
    await measure('whole CSV (before)', async () => Readable.from([dispositionTableCsv({ ...input, comments: all })]));
    await measure('whole DOCX (before)', async () => Readable.from([await dispositionTableDocx({ ...input, comments: all })]));
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
