// `npm run bench:scale`: issue 11's table at volume. Starts `npm start` (scripts/start.ts, embedded FerretDB and
// Temporal) on a fresh data directory, seeds S1 (1,000 standards, 10,000 comments on one open standard, 20,000
// audit entries) — or S2 (5,000 / 50,000 / 100,000) with SCALE=S2 — by insertMany of documents shaped like the
// real ones (comments with their receipt rows, as intake writes them), then times each page and API call as the
// right role (REQS requests each, default 20, sequential), the receipt lookups of the oldest and newest comment
// and of an unknown code, and the two complete exports with the receipts they hold; samples the app's RSS.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { MongoClient } from 'mongodb';
import { startApp, rssMb, ferretdbPids, stopAppAndClean, temporalPids } from './soak/app';
import { freePort } from '../scripts/embedded/launcher';
import { benchComment } from './comment-doc';
import { startCommentLoad } from './scale-comment-load';
import { COLLECTIONS, type CommentRecord, type ReceiptRecord } from '../activities/comments/model';
import { createCommentsStore } from '../activities/comments/store';
import { AUDIT_LOG, auditId } from '../activities/data/audit';
import { bumpStandardsGeneration } from '../activities/data/standards-listing';

const SCALE = process.env.SCALE === 'S2' ? 'S2' : 'S1';
const SIZES = SCALE === 'S2' ? { standards: 5000, comments: 50_000, audit: 100_000 } : { standards: 1000, comments: 10_000, audit: 20_000 };
const REQS = Number(process.env.REQS ?? 20);
/** Calls to leave out, by a word of their name (`SKIP=triage`): to see the others without a slow call's backlog. */
const SKIP = (process.env.SKIP ?? '').split(',').filter(Boolean);
/** Public comments per second posted to the open standard while the calls are timed (issue 11's condition); 0: none. */
const COMMENTS_PER_S = Number(process.env.COMMENTS_PER_S ?? 10);
const PASSWORD = 'tongbiao-demo';
const OPEN = 'std-scale-open';
/** Audit entries per standard: revisions 0 … PER_STANDARD − 1, keyed as the lifecycle keys them. */
const PER_STANDARD = Math.max(1, Math.floor(SIZES.audit / SIZES.standards));

interface Timing {
  name: string;
  ms: number[];
  statuses: Set<number>;
  page: boolean;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}

/**
 * When standard i was created and last changed: spread over the ten years before the run, the newest two days
 * old. (Seeded at the run's own time, every standard looked freshly changed to the reconciler, which then
 * queried Temporal for up to 2,000 workflows the seed never started, every 30 s — the top of the app's CPU
 * profile, and not what the zone's ten-year volume looks like.)
 */
function seededAt(i: number): string {
  const days = 2 + ((SIZES.standards - 1 - i) * 3650) / SIZES.standards;
  return new Date(Date.now() - days * 86_400_000).toISOString();
}

function standardDoc(i: number): Record<string, unknown> {
  const now = seededAt(i);
  const id = i === 0 ? OPEN : `std-scale-${String(i).padStart(5, '0')}`;
  const stages = ['initiation', 'drafting', 'publicComment', 'review', 'approval', 'released'];
  const stage = i === 0 ? 'publicComment' : stages[i % stages.length];
  const p = (['SH', 'JS', 'ZJ'] as const)[i % 3];
  return {
    _id: id,
    titleZh: `示范区地表水环境质量监测技术规范（第${i}号）`,
    titleEn: `Technical specification for surface water monitoring (no. ${i})`,
    kind: 'monitoringMethod',
    mandatory: false,
    field: '水',
    scope: '本文件规定了示范区地表水环境质量监测要求。',
    leadProvince: i === 0 ? 'SH' : p,
    leadUnits: ['上海市生态环境局'],
    participatingUnits: [],
    plannedYear: 2020 + (i % 10),
    draftingUnits: ['上海市环境科学研究院', '江苏省环境科学研究院'],
    drafters: [],
    stage,
    step: stage === 'publicComment' ? 'open' : 'working',
    ...(stage === 'publicComment' ? { commentDeadline: new Date(Date.now() + (i === 0 ? 30 : -30) * 86_400_000).toISOString() } : {}),
    provinces: { SH: {}, JS: {}, ZJ: {} },
    createdAt: now,
    createdBy: 'bench',
    updatedAt: now,
    workflowId: `standard-${id}`,
    revision: PER_STANDARD - 1,
  };
}


async function seed(uri: string): Promise<{ oldest: string; newest: string; receipts: Set<string> }> {
  const client = await MongoClient.connect(uri);
  const db = client.db('tongbiao');
  const t0 = Date.now() - SIZES.comments * 1000 - 86_400_000;
  const started = Date.now();
  for (let i = 0; i < SIZES.standards; i += 1000) {
    const docs = Array.from({ length: Math.min(1000, SIZES.standards - i) }, (_, k) => standardDoc(i + k));
    await db.collection<{ _id: string }>('standards').insertMany(docs as Array<{ _id: string }>, { ordered: false });
  }
  const receipts = new Set<string>();
  let oldest = '';
  let newest = '';
  for (let i = 0; i < SIZES.comments; i += 1000) {
    const docs = Array.from({ length: Math.min(1000, SIZES.comments - i) }, (_, k) => benchComment(i + k, { standardId: OPEN, keyPrefix: 'bench-scale', t0 }));
    await db.collection<ReceiptRecord>(COLLECTIONS.receipts).insertMany(docs.map((c) => ({ _id: c.receipt, commentId: c._id, standardId: c.standardId })), { ordered: false });
    await db.collection<CommentRecord>(COLLECTIONS.comments).insertMany(docs, { ordered: false });
    for (const c of docs) receipts.add(c.receipt);
    if (!oldest) oldest = docs[0].receipt;
    newest = docs[docs.length - 1].receipt;
  }
  // Each standard's timeline: `<standardId>:<revision>` for every revision up to the projected one.
  const ids = Array.from({ length: SIZES.standards }, (_, i) => standardDoc(i)._id as string);
  for (let i = 0; i < SIZES.standards * PER_STANDARD; i += 1000) {
    const docs = Array.from({ length: Math.min(1000, SIZES.standards * PER_STANDARD - i) }, (_, k) => {
      const n = i + k;
      const standardId = ids[Math.floor(n / PER_STANDARD)];
      const revision = n % PER_STANDARD;
      return {
        _id: auditId(standardId, revision),
        standardId,
        revision,
        at: new Date(t0 + n * 500).toISOString(),
        actor: { userId: 'u-exec', displayName: '示范区执委会', role: 'executiveCommittee' },
        role: 'executiveCommittee',
        fromStage: 'drafting',
        toStage: 'publicComment',
        step: 'open',
        action: 'openPublicComment',
      };
    });
    await db.collection<{ _id: string }>(AUDIT_LOG).insertMany(docs, { ordered: false });
  }
  // Written past the data module: tell the app's held list view.
  await bumpStandardsGeneration(db);
  // The open standard's triage counts, as intake keeps them at write time (activities/comments/counters.ts). Without
  // them the first public comment of the timed part recounted the 50,000 seeded comments and every POST of the
  // first half-second waited 4–5 s for it (bench/scale-intake.ts with COUNTS_COLD=1): the POST p95 of earlier runs.
  await createCommentsStore(db).counts(OPEN);
  console.log(`seeded ${SCALE}: ${SIZES.standards} standards, ${SIZES.comments} comments, ${SIZES.audit} audit entries in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await client.close();
  return { oldest, newest, receipts };
}

class Client {
  cookie = '';
  constructor(readonly base: string) {}
  async signIn(username: string): Promise<boolean> {
    const res = await fetch(`${this.base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
    this.cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    await res.arrayBuffer();
    return res.status === 200;
  }
  async get(p: string, json = false): Promise<{ status: number; body: Buffer; ms: number }> {
    const t = performance.now();
    const res = await fetch(`${this.base}${p}`, { headers: { cookie: this.cookie, accept: json ? 'application/json' : 'text/html' }, redirect: 'manual' });
    const body = Buffer.from(await res.arrayBuffer());
    return { status: res.status, body, ms: performance.now() - t };
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tb-scale-'));
  const [port, temporalPort, mongoPort] = [await freePort(), await freePort(), await freePort()];
  // APP_NODE_OPTIONS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) profiles the app process only.
  const extra: Record<string, string> = process.env.APP_NODE_OPTIONS ? { NODE_OPTIONS: process.env.APP_NODE_OPTIONS } : {};
  const app = startApp({ dataDir, port, temporalPort, mongoPort, extra, logFile: path.join(dataDir, 'app.log') }, (l) => console.error(l));
  let rssMax = 0;
  // The peak while the timed calls run (the start, with its workflow bundle, is before them).
  let rssTimed = 0;
  let timing = false;
  const sampler = setInterval(() => {
    if (app.child.pid) {
      const now = rssMb(app.child.pid);
      rssMax = Math.max(rssMax, now);
      if (timing) rssTimed = Math.max(rssTimed, now);
    }
  }, 200);
  try {
    await app.ready;
    const base = `http://127.0.0.1:${port}`;
    const { oldest, newest, receipts } = await seed(`mongodb://127.0.0.1:${mongoPort}/`);
    const seedBumpedAt = Date.now();
    const rssStart = rssMax;
    timing = true;
    // The goal's condition: public comments keep arriving while every call below is timed.
    const commentLoad = startCommentLoad(`http://127.0.0.1:${port}`, OPEN, COMMENTS_PER_S);
    const staff = new Client(base);
    const lead = new Client(base);
    const anon = new Client(base);
    if (!(await staff.signIn('exec'))) throw new Error('exec could not sign in');
    let triageUser = '';
    for (const u of ['sh-eco', 'exec', 'admin', 'sh-msa']) {
      if ((await lead.signIn(u)) && (await lead.get(`/api/standards/${OPEN}/comments`, true)).status === 200) {
        triageUser = u;
        break;
      }
    }
    console.log(`staff pages as exec; triage and exports as ${triageUser || '(nobody allowed)'}`);
    const timings: Timing[] = [];
    const time = async (name: string, c: Client, p: string, json = false, page = true): Promise<void> => {
      if (SKIP.some((w) => name.includes(w))) return;
      const t: Timing = { name, ms: [], statuses: new Set(), page };
      for (let i = 0; i < REQS; i++) {
        const r = await c.get(p, json);
        t.ms.push(r.ms);
        t.statuses.add(r.status);
      }
      timings.push(t);
      console.log(`  ${name}: status ${[...t.statuses].join(',')} p50 ${pct(t.ms, 50).toFixed(0)} p95 ${pct(t.ms, 95).toFixed(0)} max ${Math.max(...t.ms).toFixed(0)} ms`);
    };
    const firstListRead = Date.now();
    await time('/standards', staff, '/standards');
    // The seed wrote past the data module (its bump names no standard): the list view answered from what it held
    // and reloads in the background (activities/data/standards-listing.ts). Each read's time, and when every
    // seeded standard is listed:
    if (timings[0]?.name === '/standards') console.log(`    each: ${timings[0].ms.map((x) => x.toFixed(0)).join(', ')} ms`);
    for (let listed = 0; ; await new Promise((r) => setTimeout(r, 100))) {
      const r = await staff.get('/api/standards?pageSize=1', true);
      listed = r.status === 200 ? (JSON.parse(r.body.toString('utf8')) as { total: number }).total : 0;
      if (listed >= SIZES.standards || Date.now() - seedBumpedAt > 120_000) {
        console.log(`  every seeded standard listed: ${listed >= SIZES.standards ? 'yes' : 'NO'} (${listed}), ${Date.now() - firstListRead} ms after the first list read that followed the seed's bump (${Date.now() - seedBumpedAt} ms after the bump; sign-ins and the triage check between)`);
        break;
      }
    }
    // The list read right after a standard changed, the change written and announced as the data module does
    // (activities/data/standards.ts: the write, then a bump naming the standard): the view catches up by `_id`.
    if (!SKIP.some((w) => '/standards after a change'.includes(w))) {
      const writer = await MongoClient.connect(`mongodb://127.0.0.1:${mongoPort}/`);
      const wdb = writer.db('tongbiao');
      const t: Timing = { name: '/standards after a change', ms: [], statuses: new Set(), page: true };
      for (let i = 0; i < REQS; i++) {
        const id = `std-scale-${String(1 + i).padStart(5, '0')}`;
        await wdb.collection<{ _id: string }>('standards').updateOne({ _id: id }, { $set: { titleZh: `示范区地表水环境质量监测技术规范（第${1 + i}号，修改${i}）`, updatedAt: new Date().toISOString() } });
        await bumpStandardsGeneration(wdb, [id]);
        const r = await staff.get('/standards');
        t.ms.push(r.ms);
        t.statuses.add(r.status);
      }
      await writer.close();
      timings.push(t);
      console.log(`  ${t.name}: status ${[...t.statuses].join(',')} p50 ${pct(t.ms, 50).toFixed(0)} p95 ${pct(t.ms, 95).toFixed(0)} max ${Math.max(...t.ms).toFixed(0)} ms`);
    }
    await time('/standards?stage=publicComment', staff, '/standards?stage=publicComment');
    await time("a standard's page", staff, `/standards/${OPEN}`);
    await time('comment triage', lead, `/standards/${OPEN}/comments`);
    await time('comment triage, pending', lead, `/standards/${OPEN}/comments?status=pending`);
    // A deep page: the cursor of the 11th page (2,000 comments in), reached through the API's `next`.
    let deep = '';
    for (let i = 0; i < 10 && !SKIP.some((w) => 'comment triage, 11th page'.includes(w)); i++) {
      const r = await lead.get(`/api/standards/${OPEN}/comments${deep ? `?after=${encodeURIComponent(deep)}` : ''}`, true);
      const next = r.status === 200 ? (JSON.parse(r.body.toString('utf8')) as { next?: string | null }).next : null;
      if (!next) break;
      deep = next;
    }
    if (deep) await time('comment triage, 11th page', lead, `/standards/${OPEN}/comments?after=${encodeURIComponent(deep)}`);
    await time('/consultation', anon, '/consultation');
    await time('/published', anon, '/published');
    await time('GET /api/standards', staff, '/api/standards', true);
    await time('receipt, oldest comment', anon, `/api/consultation/receipts/${oldest}`, true, false);
    await time('receipt, newest comment', anon, `/api/consultation/receipts/${newest}`, true, false);
    await time('receipt page, newest', anon, `/consultation/receipt/${newest}`, false, false);
    await time('status ?code=, newest', anon, `/consultation/status?code=${newest}`, false, false);
    await time('receipt, unknown code', anon, '/api/consultation/receipts/ZZZZZ-ZZZZZ', true, false);

    // Where the peak comes from: the pages and lookups, or the two exports.
    const rssBeforeExports = rssTimed;
    const exports: Array<{ name: string; s: number; status: number; rows: number; missing: number }> = [];
    for (const ext of ['csv', 'docx'] as const) {
      const r = await lead.get(`/standards/${OPEN}/comments/disposition-table.${ext}`);
      const text = ext === 'csv' ? r.body.toString('utf8') : r.status === 200 ? await (await JSZip.loadAsync(r.body)).file('word/document.xml')!.async('string') : '';
      const found = new Set(text.match(/[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}/g) ?? []);
      let present = 0;
      for (const x of receipts) if (found.has(x)) present++;
      exports.push({ name: `disposition table ${ext.toUpperCase()}`, s: r.ms / 1000, status: r.status, rows: present, missing: receipts.size - present });
    }

    const load = await commentLoad.stop();
    console.log(`\nbench:scale ${SCALE} — ${REQS} sequential requests each, ms, while ${COMMENTS_PER_S} public comments/s were posted (${load.posted} in ${load.seconds.toFixed(0)} s: ${load.acknowledged} acknowledged, ${load.failed} failed ${JSON.stringify(load.failures)}, POST p95 ${load.p95Ms.toFixed(0)} ms)`);
    console.log(`  slowest POSTs (s after the load began: ms): ${load.slowest.map((x) => `${x.atS}: ${x.ms}`).join(', ')}`);
    console.log('| call | status | p50 | p95 | max |\n|---|---|---|---|---|');
    for (const t of timings) console.log(`| ${t.name} | ${[...t.statuses].join(',')} | ${pct(t.ms, 50).toFixed(0)} | ${pct(t.ms, 95).toFixed(0)} | ${Math.max(...t.ms).toFixed(0)} |`);
    console.log('\n| export | status | s | comments present | missing |\n|---|---|---|---|---|');
    for (const e of exports) console.log(`| ${e.name} | ${e.status} | ${e.s.toFixed(1)} | ${e.rows} | ${e.missing} |`);
    const storeRss = Math.max(0, ...ferretdbPids(dataDir).map(rssMb), 0);
    const temporalRss = Math.max(0, ...temporalPids(dataDir).map(rssMb), 0);
    console.log(`\napp peak RSS ${rssMax.toFixed(0)} MB: ${rssStart.toFixed(0)} MB at start and seeding, ${rssBeforeExports.toFixed(0)} MB during the pages, ${rssTimed.toFixed(0)} MB with the exports; FerretDB RSS now ${storeRss.toFixed(0)} MB; Temporal ${temporalRss.toFixed(0)} MB`);

    const pages = timings.filter((t) => t.page);
    const worst = pages.reduce((a, b) => (pct(b.ms, 95) > pct(a.ms, 95) ? b : a));
    const receiptP95 = Math.max(...timings.filter((t) => !t.page).map((t) => pct(t.ms, 95)));
    const exportS = Math.max(...exports.map((e) => e.s));
    const missing = exports.reduce((a, e) => a + e.missing, 0);
    const line = (name: string, v: number, goal: number, unit = ''): void => console.log(`RESULT ${name} ${v.toFixed(unit === 's' ? 1 : 0)} goal <=${goal} ${v <= goal ? 'met' : 'missed'}`);
    console.log(`(worst page: ${worst.name})`);
    line('scale_page_p95_ms_max', pct(worst.ms, 95), 300);
    line('scale_receipt_p95_ms', receiptP95, 50);
    line(`scale_export_${SCALE === 'S2' ? '50k' : '10k'}_s`, exportS, 10, 's');
    line('scale_app_rss_mb_max', rssMax, 600);
    line('scale_rows_missing_from_exports', missing, 0);
  } finally {
    clearInterval(sampler);
    await stopAppAndClean(app, dataDir);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
