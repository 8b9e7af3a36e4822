// `npx tsx bench/scale-intake.ts [N]`: issue 11's comment intake while the disposition table is exported, alone
// (a minute or two, where `npm run bench:scale` takes several). Starts `npm start` on a fresh data directory,
// seeds one open standard with N comments (default 50,000, S2), then posts public comments at COMMENTS_PER_S
// (default 10) for BASE_S seconds with nothing else running, and again while the staff download the complete
// CSV and DOCX EXPORTS times each (default 1), one after the other. Prints the POST p50/p95/max of each phase,
// the exports' times and the app's peak RSS of each phase (APP_NODE_OPTIONS reaches the app process only).
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startApp, rssMb, stopAppAndClean } from './soak/app';
import { freePort } from '../scripts/embedded/launcher';
import { benchComment } from './comment-doc';
import { startCommentLoad, type CommentLoadReport } from './scale-comment-load';
import { COLLECTIONS, type CommentRecord, type ReceiptRecord } from '../activities/comments/model';
import { bumpStandardsGeneration } from '../activities/data/standards-listing';

const N = Number(process.argv[2] ?? 50_000);
const COMMENTS_PER_S = Number(process.env.COMMENTS_PER_S ?? 10);
const BASE_S = Number(process.env.BASE_S ?? 10);
const EXPORTS = Number(process.env.EXPORTS ?? 1);
const OPEN = 'std-intake-open';

function openStandard(): Record<string, unknown> {
  const now = new Date().toISOString();
  return {
    _id: OPEN,
    titleZh: '示范区地表水环境质量监测技术规范（意见收集测试）',
    titleEn: 'Technical specification for surface water monitoring (intake test)',
    kind: 'monitoringMethod',
    mandatory: false,
    field: '水',
    scope: '本文件规定了示范区地表水环境质量监测要求。',
    leadProvince: 'SH',
    leadUnits: ['上海市生态环境局'],
    participatingUnits: [],
    plannedYear: 2026,
    draftingUnits: ['上海市环境科学研究院', '江苏省环境科学研究院'],
    drafters: [],
    stage: 'publicComment',
    step: 'open',
    commentDeadline: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    provinces: { SH: {}, JS: {}, ZJ: {} },
    createdAt: now,
    createdBy: 'bench',
    updatedAt: now,
    workflowId: `standard-${OPEN}`,
    revision: 0,
  };
}

async function seed(uri: string): Promise<void> {
  const client = await MongoClient.connect(uri);
  const db = client.db('tongbiao');
  await db.collection<{ _id: string }>('standards').insertOne(openStandard() as { _id: string });
  const t0 = Date.now() - N * 1000 - 86_400_000;
  for (let i = 0; i < N; i += 1000) {
    const docs = Array.from({ length: Math.min(1000, N - i) }, (_, k) => benchComment(i + k, { standardId: OPEN, keyPrefix: 'bench-intake', t0 }));
    await db.collection<ReceiptRecord>(COLLECTIONS.receipts).insertMany(docs.map((c) => ({ _id: c.receipt, commentId: c._id, standardId: c.standardId })), { ordered: false });
    await db.collection<CommentRecord>(COLLECTIONS.comments).insertMany(docs, { ordered: false });
  }
  await bumpStandardsGeneration(db);
  await client.close();
}

async function signIn(base: string): Promise<string> {
  for (const username of ['sh-eco', 'exec', 'admin']) {
    const res = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ username, password: 'tongbiao-demo' }) });
    const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    await res.arrayBuffer();
    const probe = await fetch(`${base}/api/standards/${OPEN}/comments`, { headers: { cookie, accept: 'application/json' } });
    await probe.arrayBuffer();
    if (res.status === 200 && probe.status === 200) return cookie;
  }
  throw new Error('nobody may triage the seeded standard');
}

const line = (name: string, r: CommentLoadReport, rss: number): string =>
  `| ${name} | ${r.posted} | ${r.acknowledged} | ${r.failed ? JSON.stringify(r.failures) : 0} | ${r.p50Ms.toFixed(0)} | ${r.p95Ms.toFixed(0)} | ${r.maxMs.toFixed(0)} | ${rss.toFixed(0)} |`;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tb-intake-'));
  const [port, temporalPort, mongoPort] = [await freePort(), await freePort(), await freePort()];
  const extra: Record<string, string> = process.env.APP_NODE_OPTIONS ? { NODE_OPTIONS: process.env.APP_NODE_OPTIONS } : {};
  const app = startApp({ dataDir, port, temporalPort, mongoPort, extra, logFile: path.join(dataDir, 'app.log') }, (l) => console.error(l));
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, app.child.pid ? rssMb(app.child.pid) : 0)), 200);
  try {
    await app.ready;
    const base = `http://127.0.0.1:${port}`;
    const started = Date.now();
    await seed(`mongodb://127.0.0.1:${mongoPort}/`);
    // COUNTS_COLD=1: the load starts before anything has read the seeded standard's counts, as in bench:scale (its
    // comments were written past the store, so the first intake recounts them); by default a triage read first.
    const cold = process.env.COUNTS_COLD === '1';
    const cookie = cold ? '' : await signIn(base);
    console.log(`seeded ${N} comments in ${((Date.now() - started) / 1000).toFixed(1)} s; app RSS ${peak.toFixed(0)} MB at start and seeding`);
    peak = 0;
    const quiet = startCommentLoad(base, OPEN, COMMENTS_PER_S);
    await new Promise((r) => setTimeout(r, BASE_S * 1000));
    const staff = cold ? await signIn(base) : cookie;
    const alone = await quiet.stop();
    const rssAlone = peak;
    peak = 0;
    const busy = startCommentLoad(base, OPEN, COMMENTS_PER_S, 1_000_000);
    const times: string[] = [];
    for (let i = 0; i < EXPORTS; i++) {
      for (const ext of ['csv', 'docx']) {
        const t = performance.now();
        const res = await fetch(`${base}/standards/${OPEN}/comments/disposition-table.${ext}`, { headers: { cookie: staff } });
        const bytes = (await res.arrayBuffer()).byteLength;
        times.push(`${ext.toUpperCase()} ${res.status} ${((performance.now() - t) / 1000).toFixed(1)} s ${(bytes / 1048576).toFixed(1)} MB`);
      }
    }
    const during = await busy.stop();
    console.log(`\nscale-intake: ${N} comments, ${COMMENTS_PER_S} public comments/s; exports: ${times.join('; ')}`);
    console.log('| phase | posted | acknowledged | failed | POST p50 ms | p95 ms | max ms | app peak RSS MB |\n|---|---|---|---|---|---|---|---|');
    console.log(line(`alone, ${BASE_S} s`, alone, rssAlone));
    console.log(line('while exporting', during, peak));
    console.log(`slowest POSTs (s after their phase began: ms): alone ${alone.slowest.map((x) => `${x.atS}: ${x.ms}`).join(', ')}; while exporting ${during.slowest.map((x) => `${x.atS}: ${x.ms}`).join(', ')}`);
    console.log(`RESULT intake_post_p95_ms_during_exports ${during.p95Ms.toFixed(0)}`);
    console.log(`RESULT intake_app_rss_mb_max ${Math.max(rssAlone, peak).toFixed(0)}`);
  } finally {
    clearInterval(sampler);
    await stopAppAndClean(app, dataDir);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
