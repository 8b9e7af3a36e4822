// npm run bench:collab — Tongbiao's collaboration server against the y-websocket reference server and
// Hocuspocus v4, one run, same clients, same FerretDB (MONGODB_URI, or one started here), each server in
// its own child process (so its CPU can be read) and measured one after the other on loopback.
// Ends with one RESULT line per goal.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectMongo } from '../activities/infra/mongo';
import { freePort, launchEmbeddedServers } from '../scripts/embedded/launcher';
import type { ServerKind } from './collab/client';
import { largeDocument } from './collab/fixture';
import { startServer } from './collab/harness';
import { coldLoads, fanout, heapPerDocument, killTrials, knee, propagation, type FanoutResult, type KillResult, type KneeEnd, type KneeStep, type PropagationResult } from './collab/scenarios';
import { clusterReport, clusterScenario } from './collab/cluster';
import { runSuggestScenario, suggestReport } from './collab-suggest';

const KINDS: ServerKind[] = ['ours', 'ywebsocket', 'hocuspocus'];
const LABEL: Record<ServerKind, string> = { ours: 'Tongbiao', ywebsocket: 'y-websocket', hocuspocus: 'Hocuspocus' };
const QUICK = process.env.BENCH_QUICK === '1';
// Up to 32,000 ops/s, stopping at the first step that fails (issue 11: at 4,000 no server had reached its knee).
const KNEE_RATES = [250, 500, 1000, 2000, 3000, 4000, 6000, 8000, 12000, 16000, 24000, 32000];
// The two-process scenario (bench/collab/cluster.ts); BENCH_CLUSTER=0 leaves it out.
const CLUSTER = process.env.BENCH_CLUSTER !== '0';
const CLUSTER_ROUNDS = QUICK ? 2 : 4;
const CLUSTER_SECONDS = QUICK ? 2 : 4;
const KNEE_MAX_P99_MS = 250;

interface Row {
  prop: PropagationResult;
  fan: FanoutResult;
  knee: { knee: number; steps: KneeStep[]; end: KneeEnd };
  cold: { p50: number; p95: number };
  heapBytes: number;
  kill: KillResult;
}

const fmt = (x: number, digits = 1): string => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

async function main(): Promise<void> {
  const started = Date.now();
  let mongoUri = process.env.MONGODB_URI;
  let stopMongo = async (): Promise<void> => undefined;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tongbiao-bench-collab-'));
  if (!mongoUri) {
    const servers = await launchEmbeddedServers({
      dataDir,
      toolsDir: path.resolve(__dirname, '..', '.tools'),
      temporalAddress: 'not-used:0',
    });
    mongoUri = servers.mongoUri;
    stopMongo = servers.stop;
  }
  const state = largeDocument();
  console.log(`document for cold load and heap: ${(state.byteLength / 1024 / 1024).toFixed(2)} MB encoded`);
  const rows = {} as Record<ServerKind, Row>;
  const runTag = Date.now().toString(36);
  for (const kind of KINDS) {
    const dbName = `bench_collab_${kind}_${runTag}`;
    const mongo = await connectMongo(mongoUri, dbName, { onUnacknowledgedWrite: 'throw' });
    const port = await freePort();
    // Ours keeps documents loaded for the whole scenario, as the others do while clients are connected.
    const limits: Record<string, number> = kind === 'ours' ? { idleUnloadMs: 120_000 } : {};
    const server = await startServer(kind, port, mongoUri, dbName, limits);
    try {
      process.stdout.write(`${LABEL[kind]}: propagation… `);
      const prop = await propagation(kind, port, QUICK ? 3 : 8);
      process.stdout.write('fan-out… ');
      const fan = await fanout(kind, port, QUICK ? 3 : 6);
      process.stdout.write('knee… ');
      const kn = await knee(kind, port, QUICK ? KNEE_RATES.slice(0, 2) : KNEE_RATES, QUICK ? 1000 : 2500, KNEE_MAX_P99_MS);
      process.stdout.write('cold load… ');
      const cold = await coldLoads(kind, port, mongo.db, state, QUICK ? 4 : 20);
      process.stdout.write('heap… ');
      const heapBytes = await heapPerDocument(kind, port, mongo.db, state, 3);
      await server.stop();
      process.stdout.write('kill -9…\n');
      const kill = await killTrials(kind, port, mongoUri, mongo.db, dbName, QUICK ? 1 : 3, limits);
      rows[kind] = { prop, fan, knee: kn, cold, heapBytes, kill };
    } finally {
      await server.stop().catch(() => undefined);
      await mongo.db.dropDatabase().catch(() => undefined);
      await mongo.close();
    }
  }
  let clusterLines: string[] = [];
  if (CLUSTER) {
    process.stdout.write('Tongbiao, two processes through Redis: alternating propagation rounds… kill -9…\n');
    const dbName = `bench_collab_cluster_${runTag}`;
    const mongo = await connectMongo(mongoUri, dbName, { onUnacknowledgedWrite: 'throw' });
    try {
      const r = await clusterScenario({ mongoUri, dbName, db: mongo.db, dataDir, rounds: CLUSTER_ROUNDS, roundSeconds: CLUSTER_SECONDS, killTrials: QUICK ? 1 : 3, limits: { idleUnloadMs: 120_000 } });
      clusterLines = clusterReport(r, CLUSTER_ROUNDS, CLUSTER_SECONDS);
    } finally {
      await mongo.db.dropDatabase().catch(() => undefined);
      await mongo.close();
    }
  }
  // 10 writers of whom 5 in suggestion mode against 10 plain writers (bench/collab-suggest.ts); BENCH_SUGGEST=0 leaves it out.
  const suggestLines = process.env.BENCH_SUGGEST === '0' ? [] : suggestReport(await runSuggestScenario(mongoUri, `bench_collab_suggest_${runTag}`, QUICK ? 2 : 4, QUICK ? 3 : 8));
  await stopMongo();

  const others = KINDS.filter((k) => k !== 'ours');
  const best = (f: (r: Row) => number, lowerIsBetter: boolean): number => {
    const xs = others.map((k) => f(rows[k])).filter(Number.isFinite);
    return lowerIsBetter ? Math.min(...xs) : Math.max(...xs);
  };
  type Metric = { name: string; f: (r: Row) => number; lower: boolean; digits?: number };
  const metrics: Metric[] = [
    { name: '20 users × 5 ops/s: p50 ms', f: (r) => r.prop.p50, lower: true },
    { name: '20 users × 5 ops/s: p99 ms', f: (r) => r.prop.p99, lower: true },
    { name: '1 writer + 50 observers: p99 ms', f: (r) => r.fan.p99, lower: true },
    { name: 'server CPU µs per delivered update', f: (r) => r.fan.cpuMicrosPerDelivered, lower: true, digits: 2 },
    { name: `throughput knee ops/s (p99 ≤ ${KNEE_MAX_P99_MS} ms)`, f: (r) => r.knee.knee, lower: false, digits: 0 },
    { name: 'cold load 1.6 MB p50 ms', f: (r) => r.cold.p50, lower: true },
    { name: 'cold load 1.6 MB p95 ms', f: (r) => r.cold.p95, lower: true },
    { name: 'heap per loaded doc / encoded size', f: (r) => r.heapBytes / state.byteLength, lower: true, digits: 2 },
    { name: 'kill -9: acknowledged updates', f: (r) => (r.kill.acknowledged > 0 ? r.kill.acknowledged : NaN), lower: false, digits: 0 },
    { name: 'kill -9: acknowledged updates lost', f: (r) => (r.kill.acknowledged > 0 ? r.kill.acknowledgedLost : NaN), lower: true, digits: 0 },
    { name: 'kill -9: relayed updates lost', f: (r) => r.kill.relayedLost, lower: true, digits: 0 },
  ];
  const header = ['metric', ...KINDS.map((k) => LABEL[k]), 'ours / best other'];
  const table = metrics.map((m) => {
    const b = best(m.f, m.lower);
    const ours = m.f(rows.ours);
    const ratio = b === 0 ? (ours === 0 ? '=' : '∞') : fmt(ours / b, 2);
    return [m.name, ...KINDS.map((k) => fmt(m.f(rows[k]), m.digits ?? 1)), ratio];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log();
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of table) console.log(line(r));
  console.log();
  const END: Record<KneeEnd, string> = { server: 'the next step failed', client: 'the bench process could not offer the next rate', ceiling: 'top of the ramp reached' };
  for (const k of KINDS) console.log(`knee steps ${LABEL[k]}: ${rows[k].knee.steps.map((s) => `${s.rate}/s (offered ${fmt(s.offered, 0)}) p99 ${fmt(s.p99)} ms ${(s.delivered * 100).toFixed(1)}%${s.ok ? '' : ' ✗'}`).join(', ')}`);
  for (const k of KINDS) console.log(`knee ${LABEL[k]}: ${rows[k].knee.knee} ops/s (${END[rows[k].knee.end]})`);
  console.log(`kill -9 trials per server: ${rows.ours.kill.trials}; y-websocket acknowledges nothing; Hocuspocus's acknowledgement is its SyncStatus (applied in memory, stored after a 2 s debounce).`);
  for (const l of clusterLines.filter((x) => !x.startsWith('RESULT'))) console.log(l);
  for (const l of suggestLines.filter((x) => !x.startsWith('RESULT'))) console.log(l);
  console.log(`run time ${((Date.now() - started) / 1000).toFixed(0)} s${QUICK ? ' (BENCH_QUICK)' : ''}`);
  console.log();

  const result = (name: string, measured: number, goal: string, met: boolean, digits = 1): void =>
    console.log(`RESULT ${name} ${fmt(measured, digits)} goal ${goal} ${met ? 'met' : 'missed'}`);
  const bestP99 = best((r) => r.prop.p99, true);
  result('collab_p99_ms_20x5', rows.ours.prop.p99, `<=${fmt(bestP99)}`, rows.ours.prop.p99 <= bestP99);
  const bestFanP99 = best((r) => r.fan.p99, true);
  result('collab_p99_ms_fanout50', rows.ours.fan.p99, `<=${fmt(bestFanP99)}`, rows.ours.fan.p99 <= bestFanP99);
  const bestKnee = best((r) => r.knee.knee, false);
  const topRate = KNEE_RATES[KNEE_RATES.length - 1];
  // When the best reference already reaches the top of the ramp, 1.5× cannot be shown within it.
  result('collab_throughput_knee_ops', rows.ours.knee.knee, `>=${fmt(1.5 * bestKnee, 0)}${bestKnee >= topRate ? ' (ramp ceiling)' : ''}${KINDS.some((k) => rows[k].knee.end === 'client') ? ' (a ramp ended client-limited)' : ''}`, rows.ours.knee.knee >= 1.5 * bestKnee, 0);
  const heapRatio = rows.ours.heapBytes / state.byteLength;
  result('collab_heap_ratio', heapRatio, '<=12', heapRatio <= 12, 2);
  result('collab_cold_load_p95_ms', rows.ours.cold.p95, '<=300', rows.ours.cold.p95 <= 300);
  result('collab_acked_lost', rows.ours.kill.acknowledgedLost, '0', rows.ours.kill.acknowledgedLost === 0 && rows.ours.kill.acknowledged > 0, 0);
  for (const l of clusterLines.filter((x) => x.startsWith('RESULT'))) console.log(l);
  for (const l of suggestLines.filter((x) => x.startsWith('RESULT'))) console.log(l);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
