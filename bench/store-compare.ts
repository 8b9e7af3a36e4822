// `npm run bench:store`: the embedded store compared on issue 11's hot queries — FerretDB 1.24 (the build in .tools,
// with its patches) on SQLite, as today, and on PostgreSQL (Debian's server binaries, `initdb` into a temporary
// directory, run as the `postgres` user since PostgreSQL refuses root). Each gets the same documents, shaped as
// the data modules write them (N comments on one standard, STANDARDS standards, AUDIT_PER timeline entries each),
// through the same indexes (ensureIndexes of the data modules); then each query is timed REQS times, sequentially,
// through the real data modules where there is one. Prints a table of p50/p95 ms per backend and the seeding time.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { freePort } from '../scripts/embedded/launcher';
import { benchComment } from './comment-doc';
import { createCommentsStore } from '../activities/comments/store';
import { createCommentCounters } from '../activities/comments/counters';
import { COLLECTIONS, type CommentRecord, type ReceiptRecord } from '../activities/comments/model';
import { AUDIT_LOG, auditId, ensureAuditIndexes, listAudit } from '../activities/data/audit';
import { ensureStandardsIndexes, LIST_PROJECTION } from '../activities/data/standards';
import { LISTING_PROJECTION } from '../activities/data/standards-listing';

const N = Number(process.env.N ?? 50_000);
const STANDARDS = Number(process.env.STANDARDS ?? 5000);
const AUDIT_PER = Number(process.env.AUDIT_PER ?? 10);
const REQS = Number(process.env.REQS ?? 10);
const OPEN = 'std-open';
/** A standard in the middle of the collection, with its AUDIT_PER timeline entries. */
const MIDDLE = `std-${String(Math.floor(STANDARDS / 2)).padStart(5, '0')}`;
const FERRETDB = path.resolve('.tools/bin/ferretdb');

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}

async function waitFor(uri: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const c = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 1000 });
      await c.db('admin').command({ ping: 1 });
      await c.close();
      return;
    } catch (e) {
      if (Date.now() > end) throw e;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}


function standard(i: number, now: string): Record<string, unknown> {
  const stages = ['initiation', 'drafting', 'publicComment', 'technicalReview', 'approval', 'inForce'];
  const stage = i === 0 ? 'publicComment' : stages[i % stages.length];
  return {
    _id: i === 0 ? OPEN : `std-${String(i).padStart(5, '0')}`, titleZh: `示范区地表水环境质量监测技术规范（第${i}号）`, titleEn: `Surface water monitoring (no. ${i})`,
    kind: 'monitoringMethod', mandatory: false, field: '水', scope: '本文件规定了示范区地表水环境质量监测要求。', leadProvince: (['SH', 'JS', 'ZJ'] as const)[i % 3],
    leadUnits: ['上海市生态环境局'], participatingUnits: [], plannedYear: 2020 + (i % 10), draftingUnits: ['上海市环境科学研究院'], drafters: [], stage,
    step: stage === 'publicComment' ? 'open' : 'working', provinces: { SH: {}, JS: {}, ZJ: {} }, createdAt: now, createdBy: 'bench',
    updatedAt: new Date(Date.parse(now) - i * 60_000).toISOString(), workflowId: `standard-${i}`, revision: AUDIT_PER - 1,
  };
}

async function seed(db: Db): Promise<{ newest: string; seconds: number }> {
  const t = performance.now();
  await createCommentsStore(db).ensureIndexes();
  await ensureStandardsIndexes(db);
  await ensureAuditIndexes(db);
  const now = new Date().toISOString();
  const ids: string[] = [];
  for (let i = 0; i < STANDARDS; i += 1000) {
    const docs = Array.from({ length: Math.min(1000, STANDARDS - i) }, (_, k) => standard(i + k, now));
    ids.push(...docs.map((d) => d._id as string));
    await db.collection<{ _id: string }>('standards').insertMany(docs as Array<{ _id: string }>);
  }
  const t0 = Date.now() - N * 1000;
  let newest = '';
  for (let i = 0; i < N; i += 1000) {
    const docs = Array.from({ length: Math.min(1000, N - i) }, (_, k) => benchComment(i + k, { standardId: OPEN, keyPrefix: 'store-compare', t0 }));
    await db.collection<ReceiptRecord>(COLLECTIONS.receipts).insertMany(docs.map((c) => ({ _id: c.receipt, commentId: c._id, standardId: c.standardId })));
    await db.collection<CommentRecord>(COLLECTIONS.comments).insertMany(docs);
    newest = docs[docs.length - 1].receipt;
  }
  for (let i = 0; i < STANDARDS * AUDIT_PER; i += 1000) {
    const docs = Array.from({ length: Math.min(1000, STANDARDS * AUDIT_PER - i) }, (_, k) => {
      const n = i + k;
      const standardId = ids[Math.floor(n / AUDIT_PER)];
      const revision = n % AUDIT_PER;
      return { _id: auditId(standardId, revision), standardId, revision, at: new Date(t0 + n * 500).toISOString(), actor: null, role: null, fromStage: 'drafting', toStage: 'publicComment', step: 'open', action: 'openPublicComment' };
    });
    await db.collection<{ _id: string }>(AUDIT_LOG).insertMany(docs);
  }
  return { newest, seconds: (performance.now() - t) / 1000 };
}

type Query = [name: string, run: (db: Db) => Promise<unknown>];
function queries(newest: string): Query[] {
  return [
    ['triage page (store.page, first 200)', (db) => createCommentsStore(db).page(OPEN, {})],
    ['triage page, status pending', (db) => createCommentsStore(db).page(OPEN, { status: 'pending' })],
    ['counts kept (one _id read)', (db) => createCommentsStore(db).counts(OPEN)],
    ['counts by recount (the old way)', (db) => createCommentCounters(db).recount(OPEN)],
    ['pending gate (countDocuments)', (db) => createCommentsStore(db).pendingCount(OPEN)],
    ['receipt, newest (_id)', (db) => createCommentsStore(db).byReceipt(newest)],
    ['standards by stage, sorted, 20', (db) => db.collection('standards').find({ stage: 'publicComment' }, { projection: LIST_PROJECTION }).sort({ updatedAt: -1, _id: 1 }).limit(20).toArray()],
    ['standards count by stage', (db) => db.collection('standards').countDocuments({ stage: 'publicComment' })],
    ['listing load (every standard)', (db) => db.collection('standards').find({}, { projection: LISTING_PROJECTION }).toArray()],
    ['timeline by filter (standardId)', (db) => db.collection(AUDIT_LOG).find({ standardId: MIDDLE }).sort({ at: 1, revision: 1 }).toArray()],
    ['timeline by _id (listAudit)', (db) => listAudit(db, MIDDLE)],
  ];
}

function startPostgres(dir: string, port: number): ChildProcess {
  const data = path.join(dir, 'pg');
  mkdirSync(data, { recursive: true });
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  chownSync(dir, uid, gid);
  chownSync(data, uid, gid);
  execFileSync('runuser', ['-u', 'postgres', '--', 'initdb', '-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync'], { stdio: 'ignore' });
  return spawn('runuser', ['-u', 'postgres', '--', 'postgres', '-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1'], { stdio: 'ignore' });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tb-store-'));
  const children: ChildProcess[] = [];
  const results: Record<string, Record<string, number[]>> = {};
  try {
    const pgPort = await freePort();
    children.push(startPostgres(dir, pgPort));
    const backends: Array<{ name: string; args: string[] }> = [
      { name: 'sqlite', args: ['--handler=sqlite', `--sqlite-url=file:${path.join(dir, 'sqlite')}/`] },
      { name: 'postgresql', args: ['--handler=postgresql', `--postgresql-url=postgres://postgres@127.0.0.1:${pgPort}/postgres`] },
    ];
    mkdirSync(path.join(dir, 'sqlite'));
    for (const b of backends) {
      const port = await freePort();
      const state = path.join(dir, `state-${b.name}`);
      mkdirSync(state);
      const child = spawn(FERRETDB, [...b.args, `--listen-addr=127.0.0.1:${port}`, `--state-dir=${state}`, '--debug-addr=-', '--telemetry=disable', '--log-level=warn'], { stdio: 'ignore' });
      children.push(child);
      const uri = `mongodb://127.0.0.1:${port}/`;
      await waitFor(uri);
      const client = await MongoClient.connect(uri);
      const db = client.db('tongbiao');
      const { newest, seconds } = await seed(db);
      console.log(`${b.name}: seeded ${STANDARDS} standards, ${N} comments, ${STANDARDS * AUDIT_PER} audit entries in ${seconds.toFixed(1)} s`);
      results[b.name] = {};
      for (const [name, run] of queries(newest)) {
        const ms: number[] = [];
        for (let i = 0; i < REQS; i++) {
          const t = performance.now();
          await run(db);
          ms.push(performance.now() - t);
        }
        results[b.name][name] = ms;
        console.log(`  ${b.name} ${name}: p50 ${pct(ms, 50).toFixed(0)} p95 ${pct(ms, 95).toFixed(0)} ms`);
      }
      await client.close();
      child.kill('SIGTERM');
    }
    console.log(`\nbench:store — ${N} comments on one standard, ${STANDARDS} standards, ${REQS} sequential runs each, ms (p50 / p95)`);
    console.log('| query | FerretDB on SQLite | FerretDB on PostgreSQL |\n|---|---|---|');
    for (const [name] of queries('')) {
      const cell = (b: string): string => `${pct(results[b][name], 50).toFixed(0)} / ${pct(results[b][name], 95).toFixed(0)}`;
      console.log(`| ${name} | ${cell('sqlite')} | ${cell('postgresql')} |`);
    }
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 2000));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
