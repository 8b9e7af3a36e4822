// `npx tsx bench/exact-pushdown.ts`: what the exact pushdown of the embedded FerretDB (scripts/embedded/
// ferretdb-exact-pushdown.ts) buys on the comment triage page. Starts the FerretDB build in .tools on a temporary
// SQLite directory, seeds N comments of one standard (bench/comment-doc.ts, half of them disposed) and OTHER
// comments of another, indexes (standardId, createdAt, _id), then times the first triage page — 201 comments
// sorted by createdAt, _id, all, pending only, and a keyset page at 80 % — with and without the comment, sequentially; prints p50/p95.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Document } from 'mongodb';
import { freePort } from '../scripts/embedded/launcher';
import { EXACT_PUSHDOWN } from '../activities/infra/exact-pushdown';
import { benchComment } from './comment-doc';
import { pct, connectWhenUp as connect, FERRETDB, stopStandalone } from './standalone-store';

const N = Number(process.env.N ?? 50_000);
const OTHER = Number(process.env.OTHER ?? 5_000);
const REQS = Number(process.env.REQS ?? 20);
const STOCK_REQS = Number(process.env.STOCK_REQS ?? 5);

async function time(reqs: number, run: () => Promise<number>): Promise<{ p50: number; p95: number; rows: number }> {
  const ms: number[] = [];
  let rows = 0;
  for (let k = 0; k < reqs; k++) {
    const t = performance.now();
    rows = await run();
    ms.push(performance.now() - t);
  }
  return { p50: Math.round(pct(ms, 50) * 10) / 10, p95: Math.round(pct(ms, 95) * 10) / 10, rows };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tb-exact-'));
  const port = await freePort();
  const args = ['--handler=sqlite', `--sqlite-url=file:${dir}/`, `--listen-addr=127.0.0.1:${port}`, `--state-dir=${dir}`, '--debug-addr=-', '--telemetry=disable', '--log-level=warn'];
  const child = spawn(FERRETDB, args, { stdio: 'ignore' });
  const client = await connect(`mongodb://127.0.0.1:${port}/`);
  try {
    const comments = client.db('bench').collection<Document>('comments');
    const t0 = Date.now();
    for (const [standardId, count] of [
      ['std-open', N],
      ['std-other', OTHER],
    ] as const) {
      for (let k = 0; k < count; k += 1000) {
        const batch = Array.from({ length: Math.min(1000, count - k) }, (_, i) => benchComment(k + i, { standardId, keyPrefix: standardId, t0: Date.UTC(2026, 0, 1), handled: true }));
        await comments.insertMany(batch as unknown as Document[]);
      }
    }
    await comments.createIndex({ standardId: 1, createdAt: 1, _id: 1 }, { name: 'standard_created' });
    console.log(`seeded ${N} + ${OTHER} comments in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const mark = benchComment(Math.floor(N * 0.8), { standardId: 'std-open', keyPrefix: 'std-open', t0: Date.UTC(2026, 0, 1) });
    const [after, afterId] = [mark.createdAt, mark._id];
    const queries: Array<[string, Document]> = [
      ['triage, all', { standardId: 'std-open' }],
      ['triage, pending', { standardId: 'std-open', status: 'pending', moderation: 'visible' }],
      // A later page, keyset-paginated as activities/data/paging.ts afterFilter writes it.
      ['triage, page after 80 % (keyset)', { standardId: 'std-open', createdAt: { $gte: after }, $or: [{ createdAt: { $gt: after } }, { _id: { $gt: afterId } }] }],
    ];
    console.log('| query | with the comment p50 / p95 ms | without p50 / p95 ms | rows |');
    console.log('|---|---|---|---|');
    for (const [name, filter] of queries) {
      const page = (opts: object) => async () => (await comments.find(filter, { sort: { createdAt: 1, _id: 1 }, limit: 201, ...opts }).toArray()).length;
      const exact = await time(REQS, page(EXACT_PUSHDOWN));
      const stock = await time(STOCK_REQS, page({}));
      if (exact.rows !== stock.rows) throw new Error(`${name}: ${exact.rows} rows with the comment, ${stock.rows} without`);
      console.log(`| ${name} | ${exact.p50} / ${exact.p95} | ${stock.p50} / ${stock.p95} | ${exact.rows} |`);
    }
    const plan = await client.db('bench').command({ explain: { find: 'comments', filter: queries[1][1], sort: { createdAt: 1, _id: 1 }, limit: 201, ...EXACT_PUSHDOWN } });
    console.log('plan with the comment:', JSON.stringify(plan.queryPlanner), 'limitPushdown', plan.limitPushdown);
  } finally {
    await stopStandalone(client, child, dir);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
