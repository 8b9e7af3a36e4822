// `npx tsx bench/listing-reload.ts`: where a full reload of the list view (activities/data/standards-listing.ts)
// spends its time at N standards (default 5,000, shaped like bench/scale.ts's seed) on the embedded FerretDB in
// .tools. First, a view held before a bulk write past the module: how long the next read takes and when every
// standard is listed (ONLY_BULK=1: only that). Then REQS reads each (p50/p95) of the whole documents, the list
// projection, with a large batch size, `_id` only, the view's own load and keyset batches, with the CPU each costs
// the store and this process, and the slowest wait of another client's `_id` read meanwhile.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Collection, Document } from 'mongodb';
import { freePort } from '../scripts/embedded/launcher';
import { bumpStandardsGeneration, listingRows, LISTING_PROJECTION, loadListingRows } from '../activities/data/standards-listing';
import { EXACT_PUSHDOWN } from '../activities/infra/exact-pushdown';
import { pct, connectWhenUp as connect, procCpuMs as cpuMs, FERRETDB } from './standalone-store';

const N = Number(process.env.N ?? 5000);
const REQS = Number(process.env.REQS ?? 5);

function standardDoc(i: number): { _id: string } & Document {
  const stages = ['initiation', 'drafting', 'publicComment', 'review', 'approval', 'released'];
  const stage = stages[i % stages.length];
  const at = new Date(Date.now() - (2 + ((N - 1 - i) * 3650) / N) * 86_400_000).toISOString();
  return {
    _id: `std-scale-${String(i).padStart(5, '0')}`,
    titleZh: `示范区地表水环境质量监测技术规范（第${i}号）`,
    titleEn: `Technical specification for surface water monitoring (no. ${i})`,
    kind: 'monitoringMethod', mandatory: false, field: '水', scope: '本文件规定了示范区地表水环境质量监测要求。',
    leadProvince: (['SH', 'JS', 'ZJ'] as const)[i % 3], leadUnits: ['上海市生态环境局'], participatingUnits: [],
    plannedYear: 2020 + (i % 10), draftingUnits: ['上海市环境科学研究院', '江苏省环境科学研究院'], drafters: [],
    stage, step: 'working', provinces: { SH: {}, JS: {}, ZJ: {} }, createdAt: at, createdBy: 'bench', updatedAt: at,
    workflowId: `standard-${i}`, revision: 19,
  };
}

/** Meanwhile, what another request's `_id` read waits (a second client, one read every 10 ms): the slowest. */
async function time(label: string, storePid: number, probe: Collection<{ _id: string; t?: string }>, run: () => Promise<number>): Promise<void> {
  const ms: number[] = [];
  let rows = 0;
  let probing = true;
  let probeMax = 0;
  const probes = (async () => {
    while (probing) {
      const t = performance.now();
      await probe.findOne({ _id: 'probe' });
      probeMax = Math.max(probeMax, performance.now() - t);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const store0 = cpuMs(storePid);
  const app0 = process.cpuUsage();
  for (let k = 0; k < REQS; k++) {
    const t = performance.now();
    rows = await run();
    ms.push(performance.now() - t);
  }
  const app = process.cpuUsage(app0);
  const store = (cpuMs(storePid) - store0) / REQS;
  probing = false;
  await probes;
  console.log(`| ${label} | ${rows} | ${pct(ms, 50).toFixed(0)} | ${pct(ms, 95).toFixed(0)} | ${store.toFixed(0)} | ${((app.user + app.system) / 1000 / REQS).toFixed(0)} | ${probeMax.toFixed(0)} |`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tb-listing-'));
  const port = await freePort();
  const args = ['--handler=sqlite', `--sqlite-url=file:${dir}/`, `--listen-addr=127.0.0.1:${port}`, `--state-dir=${dir}`, '--debug-addr=-', '--telemetry=disable', '--log-level=warn'];
  const child = spawn(FERRETDB, args, { stdio: 'ignore' });
  const client = await connect(`mongodb://127.0.0.1:${port}/`);
  try {
    const db = client.db('bench');
    const col = db.collection<{ _id: string } & Document>('standards');
    // A view held before a bulk write past the module (as at the app's start, before bench:scale's seed), then
    // the bulk write and its bump naming none: how long the next read takes, and until every standard is listed.
    await listingRows(db);
    for (let i = 0; i < N; i += 1000) await col.insertMany(Array.from({ length: Math.min(1000, N - i) }, (_, k) => standardDoc(i + k)));
    await bumpStandardsGeneration(db);
    const bumped = performance.now();
    const first = (await listingRows(db)).length;
    const firstMs = performance.now() - bumped;
    while ((await listingRows(db)).length < N) await new Promise((r) => setTimeout(r, 20));
    console.log(`after a bulk write of ${N}: the next read ${firstMs.toFixed(0)} ms (${first} rows, the view held before), all ${N} listed after ${(performance.now() - bumped).toFixed(0)} ms`);
    if (process.env.ONLY_BULK) return;
    const pid = child.pid ?? 0;
    const other = await connect(`mongodb://127.0.0.1:${port}/`);
    const probe = other.db('bench').collection<{ _id: string; t?: string }>('standards_meta');
    await probe.insertOne({ _id: 'probe', t: 'x' });
    console.log(`N=${N} standards, ${REQS} reads each; wall ms, CPU ms per read of the store and of this process\n| read | rows | p50 | p95 | store CPU | app CPU | another _id read, max |\n|---|---|---|---|---|---|---|`);
    await time('whole documents', pid, probe, async () => (await col.find({}).toArray()).length);
    await time('list projection', pid, probe, async () => (await col.find({}, { projection: LISTING_PROJECTION }).toArray()).length);
    await time('list projection, batchSize 10,000', pid, probe, async () => (await col.find({}, { projection: LISTING_PROJECTION, batchSize: 10_000 }).toArray()).length);
    await time('whole documents, batchSize 10,000', pid, probe, async () => (await col.find({}, { batchSize: 10_000 }).toArray()).length);
    await time('_id only', pid, probe, async () => (await col.find({}, { projection: { _id: 1 }, batchSize: 10_000 }).toArray()).length);
    await time("the view's load (whole documents, replies of 500, fields picked, sort)", pid, probe, async () => (await loadListingRows(db)).length);
    await time('keyset batches of 500 by _id', pid, probe, async () => {
      let n = 0;
      let last = '';
      for (;;) {
        const page = await col.find({ _id: { $gt: last } }, { projection: LISTING_PROJECTION, ...EXACT_PUSHDOWN }).sort({ _id: 1 }).limit(500).toArray();
        n += page.length;
        if (page.length < 500) return n;
        last = String(page[page.length - 1]._id);
      }
    });
    await other.close();
  } finally {
    await client.close();
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
