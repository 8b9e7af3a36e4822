// `npx tsx bench/scale-export.ts [N]`: the 征求意见汇总处理表 of N comments (default 50,000, issue 11's S2) made by
// the streamed exports (activities/comments/disposition-stream.ts) in this process, with no store: comments shaped
// like bench/scale.ts's come a batch of 1,000 at a time, the output goes to a counting sink. Prints time, bytes,
// the rows found and the peak RSS of each, then (WHOLE=1) the whole-table builders for comparison.
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { commentIdFor, commentTextHash, newReceipt } from '../activities/comments/store';
import type { CommentRecord } from '../activities/comments/model';
import { dispositionCsvChunks, dispositionDocxStream } from '../activities/comments/disposition-stream';
import { dispositionTableCsv, dispositionTableDocx } from '../activities/comments/disposition-table';

const N = Number(process.argv[2] ?? 50_000);
const BATCH = 1000;
const STD = 'std-scale-open';

function comment(n: number): CommentRecord {
  const submissionKey = `bench-export-${n}`;
  const text = `第${n}条意见：建议将采样频次由每月一次改为每月两次，以反映汛期水质变化。`;
  const clauseId = n % 3 === 0 ? undefined : n % 3 === 1 ? 'c51' : 'c52';
  const textHash = commentTextHash(STD, clauseId, text);
  return {
    _id: commentIdFor(submissionKey), standardId: STD, phase: 'publicComment', submissionKey, receipt: newReceipt(),
    type: (['editorial', 'technical', 'general'] as const)[n % 3],
    anchor: clauseId ? { scope: 'clause', clauseId, clauseNumber: clauseId === 'c51' ? '5.1' : '5.2' } : { scope: 'document' },
    comment: text, proposedChange: n % 2 ? '每月两次。' : '',
    submitter: { name: `评论人${n}`, organisation: '某环境监测站', province: (['SH', 'JS', 'ZJ', 'other'] as const)[n % 4], contact: '', showName: false },
    createdAt: new Date(Date.UTC(2026, 0, 1) + n * 1000), textHash, textKey: textHash,
    status: n % 2 ? 'disposed' : 'pending', moderation: n % 97 === 0 ? 'hidden' : 'visible', moderationLog: [], addressHash: 'h',
    ...(n % 2 ? { disposition: { decision: 'rejected' as const, reason: '现有频次已能反映变化。', by: { userId: 'u', displayName: '起草组', role: 'drafter' as const }, at: new Date() } } : {}),
  };
}

async function* batches(): AsyncGenerator<CommentRecord[]> {
  for (let i = 0; i < N; i += BATCH) yield Array.from({ length: Math.min(BATCH, N - i) }, (_, k) => comment(i + k));
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
