// `npx tsx bench/scale-export-store.ts [N]`: where the time of the 50,000-comment 征求意见汇总处理表 goes when the
// comments come from the embedded store (issue 11, S2). Starts the FerretDB build in .tools on a temporary SQLite
// directory, seeds N comments of one standard (bench/comment-doc.ts, default 50,000) with the comment indexes,
// then times, sequentially: the store's read alone (`store.all`, no rows written), and the streamed CSV and DOCX
// fed by it into a counting sink; with this process's CPU and FerretDB's (from /proc) for each, and the peak RSS.
// MODES=seq,proj,read,table,csv,docx picks a subset (seq: plain keyset batches on one connection, one at a time;
// proj: the same with the table's projection; read: store.all; table: store.tableComments, the exports' read);
// REPEAT=n runs each n times.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { freePort } from '../scripts/embedded/launcher';
import { benchComment } from './comment-doc';
import type { Document } from 'mongodb';
import { COLLECTIONS, type CommentRecord } from '../activities/comments/model';
import { TABLE_PROJECTION } from '../activities/comments/rows';
import { ensureCommentIndexes } from '../activities/comments/indexes';
import { createCommentsStore } from '../activities/comments/store';
import { afterFilter, BATCH_SIZE, type Cursor } from '../activities/data/paging';
import { EXACT_PUSHDOWN } from '../activities/infra/exact-pushdown';
import { dispositionCsvChunks, dispositionDocxStream } from '../activities/comments/disposition-stream';
import { connectWhenUp as connect, FERRETDB, stopStandalone } from './standalone-store';

const N = Number(process.argv[2] ?? 50_000);
const MODES = (process.env.MODES ?? 'table,csv,docx').split(',');
const REPEAT = Number(process.env.REPEAT ?? 1);
const STD = 'std-scale-open';

/** CPU seconds (user + system) a process has used, from /proc/PID/stat. */
function procCpuS(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

/** A process's peak resident memory since it started (VmHWM), MB. */
function storePeakMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

const counted = { docs: 0, finds: 0 };
const profile = { port: 0, taken: false };

async function measure(name: string, store: number, run: () => Promise<string>): Promise<void> {
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const t = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const cpu0 = process.cpuUsage();
  const s0 = procCpuS(store);
  // FerretDB's profile of the first measured step only.
  const prof = profile.port && !profile.taken ? fetch(`http://127.0.0.1:${profile.port}/debug/pprof/profile?seconds=8`).then(async (res) => writeFileSync(String(process.env.FERRET_PROF), Buffer.from(await res.arrayBuffer()))) : null;
  profile.taken = true;
  const t0 = performance.now();
  Object.assign(counted, { docs: 0, finds: 0 });
  const what = await run();
  await prof;
  const ms = performance.now() - t0;
  clearInterval(t);
  const cpu = process.cpuUsage(cpu0);
  console.log(`${name}: ${(ms / 1000).toFixed(2)} s wall, this process CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s, FerretDB CPU ${(procCpuS(store) - s0).toFixed(2)} s (its peak RSS so far ${storePeakMb(store)} MB), peak RSS ${(peak / 1048576).toFixed(0)} MB (${(rss0 / 1048576).toFixed(0)} MB at the start; NODE_OPTIONS=--expose-gc collects first); ${what}; ${counted.finds} finds sent ${counted.docs} documents`);
}

const sink = (count: { bytes: number }): Writable => new Writable({ write: (chunk: Buffer | string, _e, done) => ((count.bytes += Buffer.byteLength(chunk)), done()) });

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tb-export-'));
  const port = await freePort();
  // FERRET_PROF=FILE: FerretDB's Go CPU profile of the first timed step (its debug server's pprof), for `go tool pprof`.
  const debugPort = process.env.FERRET_PROF ? await freePort() : 0;
  profile.port = debugPort;
  const args = ['--handler=sqlite', `--sqlite-url=file:${dir}/`, `--listen-addr=127.0.0.1:${port}`, `--state-dir=${dir}`, `--debug-addr=${debugPort ? `127.0.0.1:${debugPort}` : '-'}`, '--telemetry=disable', '--log-level=warn'];
  // FERRETDB_BIN: another FerretDB build (default the one in .tools); GOGC etc. pass to it from this environment.
  const child = spawn(process.env.FERRETDB_BIN ?? FERRETDB, args, { stdio: 'ignore' });
  const client = await connect(`mongodb://127.0.0.1:${port}/`, { monitorCommands: true });
  // Documents the store sent, per measured step (find and getMore replies).
  const sent = counted;
  client.on('commandSucceeded', (e) => {
    const cur = (e.reply as { cursor?: { firstBatch?: unknown[]; nextBatch?: unknown[] } }).cursor;
    if (e.commandName === 'find') sent.finds += 1;
    sent.docs += (cur?.firstBatch ?? cur?.nextBatch ?? []).length;
  });
  try {
    const db = client.db('tongbiao');
    const t0 = Date.now();
    await ensureCommentIndexes(db);
    for (let k = 0; k < N; k += 1000) {
      const batch = Array.from({ length: Math.min(1000, N - k) }, (_, i) => benchComment(k + i, { standardId: STD, keyPrefix: 'bench-scale', t0: Date.UTC(2026, 0, 1), handled: true }));
      await db.collection<CommentRecord>(COLLECTIONS.comments).insertMany(batch);
    }
    console.log(`seeded ${N} comments in ${((Date.now() - t0) / 1000).toFixed(1)} s; load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
    const store = createCommentsStore(db);
    const coll = db.collection<CommentRecord>(COLLECTIONS.comments);
    const pid = child.pid ?? 0;
    const input = { standard: { titleZh: '示范区地表水环境质量监测技术规范', draftingUnits: ['上海市环境科学研究院'] }, date: new Date(), current: null, sentTo: null };
    const keysetRead = async (c: typeof coll, projection?: Document): Promise<string> => {
      let n = 0;
      for (let after: Cursor | undefined; ; ) {
        const b = await c.find({ standardId: STD, ...afterFilter<CommentRecord>('createdAt', after) }, { ...EXACT_PUSHDOWN, ...(projection ? { projection } : {}) }).sort({ createdAt: 1, _id: 1 }).limit(BATCH_SIZE).toArray();
        n += b.length;
        const last = b[b.length - 1];
        if (b.length < BATCH_SIZE || !last) return `${n} comments`;
        after = { at: last.createdAt, id: last._id };
      }
    };
    const seq = (): Promise<void> => measure('keyset batches on one connection, one at a time', pid, () => keysetRead(coll));
    // MODES=…,slim: the same read of the same comments stored without the fields the table never prints — what a
    // projection done by the store before decoding (not built) could save. `slim` leaves out the top-level ones,
    // `slimmer` also submitter.contact/showName and disposition.by/at.
    for (const variant of ['slim', 'slimmer'].filter((m) => MODES.includes(m))) {
      const c = db.collection<CommentRecord>(`comments_${variant}`);
      await c.createIndex({ standardId: 1, createdAt: 1, _id: 1 });
      for (let k = 0; k < N; k += 1000) {
        const docs = Array.from({ length: Math.min(1000, N - k) }, (_, i) => {
          const d: Record<string, unknown> = { ...benchComment(k + i, { standardId: STD, keyPrefix: 'bench-scale', t0: Date.UTC(2026, 0, 1), handled: true }) };
          for (const f of ['submissionKey', 'textHash', 'textKey', 'addressHash', 'moderationLog', 'status']) delete d[f];
          if (variant === 'slim') return d;
          const { name, organisation, province } = d.submitter as CommentRecord['submitter'];
          const disposition = d.disposition as CommentRecord['disposition'];
          return { ...d, submitter: { name, organisation, province }, ...(disposition ? { disposition: { decision: disposition.decision, reason: disposition.reason } } : {}) };
        });
        await c.insertMany(docs as unknown as CommentRecord[]);
      }
      await measure(`keyset batches, comments stored ${variant}`, pid, () => keysetRead(c));
      if (variant === 'slimmer') await seq();
    }
    // MODES=…,proj: the same keyset batches asking for the table's fields only (TABLE_PROJECTION), which the
    // patched store decodes alone (scripts/embedded/ferretdb-exact-fields.ts).
    const proj = (): Promise<void> => measure('keyset batches on one connection, table fields only (projection)', pid, () => keysetRead(coll, TABLE_PROJECTION));
    // MODES=…,projx: the same without standardId in the projection, so FerretDB projects each document again
    // (the patched store skips that step only when the projection holds every field the filter reads).
    const uncovered = Object.fromEntries(Object.entries(TABLE_PROJECTION).filter(([k]) => k !== 'standardId'));
    const projx = (): Promise<void> => measure('keyset batches on one connection, table fields without standardId (projected again)', pid, () => keysetRead(coll, uncovered));
    for (let r = 0; r < REPEAT; r++) {
      if (MODES.includes('proj') && process.env.PROJ_FIRST) await proj();
      if (MODES.includes('seq') && !process.env.SEQ_LAST) await seq();
      if (MODES.includes('proj') && !process.env.PROJ_FIRST && !process.env.PROJ_LAST) await proj();
      if (MODES.includes('projx')) await projx();
      if (MODES.includes('read'))
        await measure('store.all() alone (whole comments, one batch read ahead)', pid, async () => {
          let n = 0;
          for await (const b of store.all(STD, {})) n += b.length;
          return `${n} comments`;
        });
      if (MODES.includes('table'))
        await measure("store.tableComments() alone (the exports' read: table fields, one batch read ahead)", pid, async () => {
          let n = 0;
          for await (const b of store.tableComments(STD)) n += b.length;
          return `${n} comments`;
        });
      if (MODES.includes('seq') && process.env.SEQ_LAST) await seq();
      if (MODES.includes('proj') && process.env.PROJ_LAST) await proj();
      if (MODES.includes('csv'))
        await measure('streamed CSV from the store', pid, async () => {
          const c = { bytes: 0 };
          await pipeline(Readable.from(dispositionCsvChunks({ ...input, batches: store.tableComments(STD) })), sink(c));
          return `${(c.bytes / 1048576).toFixed(1)} MB`;
        });
      if (MODES.includes('docx'))
        await measure('streamed DOCX from the store', pid, async () => {
          const c = { bytes: 0 };
          await pipeline(await dispositionDocxStream({ ...input, batches: store.tableComments(STD) }), sink(c));
          return `${(c.bytes / 1048576).toFixed(1)} MB`;
        });
    }
  } finally {
    await stopStandalone(client, child, dir);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
