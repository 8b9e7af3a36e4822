// npm run bench:comments — sustained public comment submissions over HTTP into the embedded FerretDB,
// next to the raw driver's insertOne of the same documents into the same store in the same run (the
// floor). Both sides get a fresh database with the comment indexes and the same number of requests in
// flight, and run in alternating one-second slices so both see the same load on the machine. Prints accepted comments per second with p50/p99 latency for both, their ratio, and a count
// proving that every accepted comment is stored. Set MONGODB_URI to use a running server instead.
import { fork } from 'node:child_process';
import http from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import express from 'express';
import * as Y from 'yjs';
import { sampleStandardJSON } from '../editor/fixtures/sample-standard';
import { jsonToYDoc } from '../editor/ydoc';
import { launchEmbeddedServers } from '../scripts/embedded/launcher';
import { connectMongo } from '../activities/infra/mongo';
import { listClauses } from '../editor/clauses';
import type { CommentRecord } from '../activities/comments/model';
import { createCommentsRouter } from '../server/comments/router';
import { commentTextHash, createCommentsStore } from '../activities/comments/store';
import { BODY_LIMIT } from '../server/app';

const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 15) * 1000;
const IN_FLIGHT = Number(process.env.BENCH_CONCURRENCY ?? 4);
const SLICE_MS = 1000;
const SID = 'bench-standard';

interface Phase {
  ok: number;
  failed: number;
  seconds: number;
  latencies: number[];
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Keeps IN_FLIGHT operations going for `ms`; `from` numbers the operations across slices. */
async function sustain(op: (i: number) => Promise<boolean>, ms: number, from: { next: number }): Promise<Phase> {
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  const started = performance.now();
  const end = started + ms;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (performance.now() < end) {
        const i = from.next++;
        const t = performance.now();
        const good = await op(i);
        latencies.push(performance.now() - t);
        if (good) ok += 1;
        else failed += 1;
      }
    }),
  );
  return { ok, failed, seconds: (performance.now() - started) / 1000, latencies };
}

/**
 * Runs the two sides in alternating slices of SLICE_MS, so both see the same load on the machine (other
 * processes come and go during a run); returns each side's totals.
 */
async function alternate(a: (i: number) => Promise<boolean>, b: (i: number) => Promise<boolean>): Promise<[Phase, Phase]> {
  const total: [Phase, Phase] = [{ ok: 0, failed: 0, seconds: 0, latencies: [] }, { ok: 0, failed: 0, seconds: 0, latencies: [] }];
  const counters = [{ next: 0 }, { next: 0 }];
  for (let t = 0; t < DURATION_MS; t += SLICE_MS) {
    for (const [k, op] of [a, b].entries()) {
      const p = await sustain(op, Math.min(SLICE_MS, DURATION_MS - t), counters[k]);
      total[k].ok += p.ok;
      total[k].failed += p.failed;
      total[k].seconds += p.seconds;
      total[k].latencies.push(...p.latencies);
    }
  }
  for (const p of total) p.latencies.sort((x, y) => x - y);
  return total;
}

async function main(): Promise<void> {
  // Printed after the servers have stopped, so the RESULT lines are the last lines of the output.
  const report: string[] = [];
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tongbiao-bench-comments-'));
  // Only FerretDB is needed: a placeholder Temporal address keeps the launcher from starting Temporal.
  const servers = await launchEmbeddedServers({
    dataDir,
    toolsDir: path.resolve(__dirname, '..', '.tools'),
    temporalAddress: 'unused:0',
    mongoUri: process.env.MONGODB_URI || undefined,
  });
  const run = randomBytes(3).toString('hex');
  const httpDb = await connectMongo(servers.mongoUri, `bench_comments_http_${run}`, { onUnacknowledgedWrite: 'throw' });
  const rawDb = await connectMongo(servers.mongoUri, `bench_comments_raw_${run}`, { onUnacknowledgedWrite: 'throw' });
  try {
    const json = sampleStandardJSON();
    const clauses = [...listClauses(json).values()].filter((c) => c.text.length > 20);
    await httpDb.db.collection('standards').insertOne({ _id: SID, titleZh: '基准测试标准', titleEn: 'Bench standard', stage: 'publicComment', step: 'open', commentDeadline: '2099-01-01T00:00:00.000Z', leadProvince: 'SH', kind: 'monitoringMethod' } as never);
    await createCommentsStore(rawDb.db).ensureIndexes();

    // The server runs in its own process, as in production, so the load generator does not share its event loop.
    const child = fork(__filename, ['--serve'], { execArgv: ['--import', 'tsx', ...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_PROF] : [])], env: { ...process.env, BENCH_MONGODB_URI: servers.mongoUri, BENCH_DB: `bench_comments_http_${run}`, LOG_LEVEL: 'warn' } });
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (m: { port: number }) => resolve(m.port));
      child.once('exit', (code) => reject(new Error(`bench server exited (${code})`)));
    });
    const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
    const post = (data: Buffer): Promise<{ status: number; body: string }> =>
      new Promise((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, path: `/api/consultation/${SID}/comments`, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': data.length } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(data);
      });

    // A realistic mix: 60 % on a clause, 20 % on a selected passage, 20 % on the whole document.
    const body = (i: number): Record<string, unknown> => {
      const c = clauses[i % clauses.length];
      const kind = i % 5;
      const anchor = kind < 3 ? { clauseId: c.id } : kind === 3 ? { clauseId: c.id, quote: c.text.slice(5, 15), quoteOffset: 5 } : {};
      return {
        submissionKey: randomUUID(), type: ['general', 'technical', 'editorial'][i % 3], comment: `第${i}条意见：建议明确${c.title || '本条'}的适用范围与监测频次，并补充质量控制要求。`,
        proposedChange: '建议修改为：……', name: `公众${i}`, organisation: i % 2 ? '某环保协会' : '', province: ['SH', 'JS', 'ZJ', 'other'][i % 4], contact: `user${i}@example.org`, showName: i % 2 === 0, ...anchor,
      };
    };

    // Warm both paths (connections, JIT) before measuring.
    for (let i = 0; i < 50; i++) await post(Buffer.from(JSON.stringify(body(i))));
    // Bodies are serialised before the clock starts, so the load generator spends its time sending.
    const bodies = Array.from({ length: 60_000 }, (_, i) => Buffer.from(JSON.stringify(body(i))));
    await httpDb.db.collection('comments').deleteMany({});

    const rawComments = rawDb.db.collection<CommentRecord>('comments');
    const rawInsert = async (i: number): Promise<boolean> => {
      const b = body(i);
      const key = String(b.submissionKey);
      const hash = commentTextHash(SID, b.clauseId as string | undefined, String(b.comment));
      await rawComments.insertOne({
        _id: `c${key.replace(/-/g, '').slice(0, 24)}`, standardId: SID, phase: 'publicComment', versionId: 'bench', submissionKey: key, receipt: key.slice(0, 11).toUpperCase(), type: 'technical',
        anchor: { scope: b.clauseId ? 'clause' : 'document', clauseId: b.clauseId as string | undefined }, comment: String(b.comment), proposedChange: String(b.proposedChange),
        submitter: { name: String(b.name), organisation: String(b.organisation), province: 'SH', contact: String(b.contact), showName: true }, createdAt: new Date(), textHash: hash, textKey: hash,
        status: 'pending', moderation: 'visible', moderationLog: [], addressHash: 'bench',
      });
      return true;
    };

    const serverCpu = (): Promise<number> =>
      new Promise((resolve) => {
        const on = (m: { cpuMs?: number }): void => {
          if (m.cpuMs === undefined) return;
          child.off('message', on);
          resolve(m.cpuMs);
        };
        child.on('message', on);
        child.send({ cpu: true });
      });
    const receipts: string[] = [];
    const cpuBefore = await serverCpu();
    const httpSubmit = async (i: number): Promise<boolean> => {
      const res = await post(bodies[i % bodies.length]);
      const out = JSON.parse(res.body) as { receipt?: string };
      if (res.status === 201 && out.receipt) {
        receipts.push(out.receipt);
        return true;
      }
      return false;
    };
    const [viaHttp, raw] = await alternate(httpSubmit, rawInsert);
    const cpuPerRequest = (await serverCpu() - cpuBefore) / Math.max(1, viaHttp.ok + viaHttp.failed);
    agent.destroy();
    child.kill('SIGTERM');

    const stored = new Set((await httpDb.db.collection('comments').find({ standardId: SID }, { projection: { receipt: 1 } }).toArray()).map((d) => String(d.receipt)));
    const lost = receipts.filter((r) => !stored.has(r)).length;
    const rawRate = raw.ok / raw.seconds;
    const httpRate = viaHttp.ok / viaHttp.seconds;
    const ratio = (100 * httpRate) / rawRate;
    const p99 = percentile(viaHttp.latencies, 99);
    const f = (n: number, d = 1): string => n.toFixed(d);

    report.push(`\nbench:comments — ${DURATION_MS / 1000} s per side in 1 s slices, ${IN_FLIGHT} requests in flight, store ${process.env.MONGODB_URI ? process.env.MONGODB_URI : 'embedded FerretDB (SQLite)'}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}`);
    report.push('| measure | public submissions over HTTP | raw driver insertOne (floor) |');
    report.push('| --- | ---: | ---: |');
    report.push(`| stored | ${viaHttp.ok} | ${raw.ok} |`);
    report.push(`| refused or failed | ${viaHttp.failed} | ${raw.failed} |`);
    report.push(`| per second | ${f(httpRate)} | ${f(rawRate)} |`);
    report.push(`| p50 latency (ms) | ${f(percentile(viaHttp.latencies, 50), 2)} | ${f(percentile(raw.latencies, 50), 2)} |`);
    report.push(`| p99 latency (ms) | ${f(p99, 2)} | ${f(percentile(raw.latencies, 99), 2)} |`);
    report.push(`| ratio HTTP / raw | ${f(ratio)} % | 100 % |`);
    report.push(`| server CPU per request (ms) | ${f(cpuPerRequest, 2)} | — |`);
    report.push(`| accepted but not stored | ${lost} of ${receipts.length} (stored ${stored.size}) | — |`);
    report.push('');
    report.push(`RESULT comments_rate_vs_raw ${f(ratio)}% goal >=50% ${ratio >= 50 ? 'met' : 'missed'}`);
    report.push(`RESULT comments_p99_ms ${f(p99, 2)} goal <=100 ${p99 <= 100 ? 'met' : 'missed'}`);
    report.push(`RESULT comments_lost ${lost} goal 0 ${lost === 0 && stored.size === receipts.length ? 'met' : 'missed'}`);
  } finally {
    await httpDb.db.dropDatabase().catch(() => undefined);
    await rawDb.db.dropDatabase().catch(() => undefined);
    await httpDb.close();
    await rawDb.close();
    await servers.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  for (const line of report) console.log(line);
}

/** The bench's server process: the comments router on a minimal Express app behind the app's JSON parser, as the app mounts it. */
async function serve(): Promise<void> {
  const m = await connectMongo(String(process.env.BENCH_MONGODB_URI), String(process.env.BENCH_DB), { onUnacknowledgedWrite: 'throw' });
  const json = sampleStandardJSON();
  const draft = { versionId: 'bench', json, yState: Y.encodeStateAsUpdate(jsonToYDoc(json)) };
  const app = express();
  app.use(express.json({ limit: BODY_LIMIT, strict: true }));
  app.use(createCommentsRouter({
    db: m.db,
    getCommentDraft: async () => draft,
    rateLimits: { perAddress: { windowMs: 60_000, limit: 10_000_000 }, perContact: { windowMs: 60_000, limit: 10_000_000 } },
  }));
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  process.send?.({ port: (server.address() as AddressInfo).port });
  // The parent asks for the CPU time this process used, to report it per request.
  process.on('message', (m: { cpu?: boolean }) => {
    if (m.cpu) {
      const u = process.cpuUsage();
      process.send?.({ cpuMs: (u.user + u.system) / 1000 });
    }
  });
  process.on('SIGTERM', () => {
    server.close();
    void m.close().then(() => process.exit(0));
  });
}

(process.argv.includes('--serve') ? serve() : main()).catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
