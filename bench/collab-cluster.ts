// npm run bench:collab:cluster — Tongbiao's collaboration server as one process and as two processes
// relaying through Redis (as `npm run start:cluster` runs it), same clients, same FerretDB, one run:
// propagation of 20 writers × 5 ops/s spread over both processes with observers on both, against the
// single process; then kill -9 of one of the two processes while writers on both edit, counting the
// acknowledged updates missing from MongoDB afterwards. Ends with RESULT lines.
// BENCH_SECONDS (default 8) per propagation run, BENCH_KILL_TRIALS (default 3).
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectMongo } from '../activities/infra/mongo';
import { freePort, launchEmbeddedServers } from '../scripts/embedded/launcher';
import { launchEmbeddedRedis } from '../scripts/embedded/redis';
import { BenchClient } from './collab/client';
import { readStoredDocument, startServer, type ServerProcess } from './collab/harness';
import { percentile, pushEvery20ms } from './collab/scenarios';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const TRIALS = Number(process.env.BENCH_KILL_TRIALS ?? 3);
const LIMITS = { idleUnloadMs: 120_000 };
const fmt = (x: number, digits = 1): string => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

/** 20 writers × 5 ops/s and 4 observers, spread round-robin over `ports`; latency writer → observer. */
async function propagation(ports: number[], docName: string, seconds: number): Promise<{ p50: number; p99: number; delivered: number }> {
  const at = (i: number): number => ports[i % ports.length];
  const writers = Array.from({ length: 20 }, (_, i) => new BenchClient('ours', at(i), docName, 'write', `w${i}`));
  const observers = Array.from({ length: 4 }, (_, i) => new BenchClient('ours', at(i), docName, 'full', `o${i}`));
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  for (const o of observers) {
    o.doc!.getArray<string>('ops').observe((e) => {
      const now = performance.now();
      for (const d of e.changes.delta) for (const id of (d.insert as string[] | undefined) ?? []) {
        const t = sentAt.get(id);
        if (t !== undefined) latencies.push(now - t);
      }
    });
  }
  await Promise.all([...writers, ...observers].map((c) => c.synced));
  await sleep(500);
  let sent = 0;
  const timers = writers.map((w, i) => {
    let n = 0;
    return setInterval(() => {
      const id = `p:${i}:${n++}`;
      sentAt.set(id, performance.now());
      w.doc!.getArray<string>('ops').push([id]);
      sent += 1;
    }, 200);
  });
  await sleep(seconds * 1000);
  timers.forEach(clearInterval);
  await sleep(1500);
  for (const c of [...writers, ...observers]) c.close();
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), delivered: latencies.length / Math.max(1, sent * observers.length) };
}

/** Writers on both processes, save barriers every 30 ms; kill -9 of the first process mid-edit. */
async function killTrial(servers: ServerProcess[], docName: string, db: Parameters<typeof readStoredDocument>[1]): Promise<{ acknowledged: number; lost: number; relayedLost: number }> {
  const writers = Array.from({ length: 6 }, (_, i) => new BenchClient('ours', servers[i % 2].port, docName, 'write', `kw${i}`));
  const observer = new BenchClient('ours', servers[1].port, docName, 'full', 'ko');
  await Promise.all([...writers, observer].map((c) => c.synced));
  const acked = new Set<string>();
  const pushed = writers.map(() => [] as string[]);
  const barrierTimers = writers.map((w, i) => {
    const coveredBy = new Map<number, number>();
    let token = 0;
    w.onAck((k) => {
      for (let j = 0; j < (coveredBy.get(k) ?? 0); j++) acked.add(pushed[i][j]);
    });
    return setInterval(() => {
      token += 1;
      coveredBy.set(token, pushed[i].length);
      w.barrier(token);
    }, 30);
  });
  const timers = pushEvery20ms(writers, pushed);
  await sleep(1200 + Math.floor(Math.random() * 600));
  await servers[0].kill9();
  await sleep(300);
  timers.forEach(clearInterval);
  barrierTimers.forEach(clearInterval);
  // The surviving process stores what it relayed (every process stores what it applies).
  await sleep(1500);
  const relayed = new Set(observer.doc!.getArray<string>('ops').toArray());
  for (const c of [...writers, observer]) c.close();
  const stored = await readStoredDocument('ours', db, docName);
  const have = new Set(stored.getArray<string>('ops').toArray());
  stored.destroy();
  let lost = 0;
  let relayedLost = 0;
  for (const id of acked) if (!have.has(id)) lost += 1;
  for (const id of relayed) if (!have.has(id)) relayedLost += 1;
  return { acknowledged: acked.size, lost, relayedLost };
}

async function main(): Promise<void> {
  let mongoUri = process.env.MONGODB_URI;
  let stopMongo = async (): Promise<void> => undefined;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tongbiao-bench-cluster-'));
  if (!mongoUri) {
    const servers = await launchEmbeddedServers({ dataDir, toolsDir: path.resolve(__dirname, '..', '.tools'), temporalAddress: 'not-used:0' });
    mongoUri = servers.mongoUri;
    stopMongo = servers.stop;
  }
  const redis = await launchEmbeddedRedis({ dataDir, redisUrl: process.env.REDIS_URL });
  const dbName = `bench_cluster_${Date.now().toString(36)}`;
  const mongo = await connectMongo(mongoUri, dbName, { onUnacknowledgedWrite: 'throw' });
  try {
    const single = await startServer('ours', await freePort(), mongoUri, dbName, LIMITS);
    process.stdout.write('one process: propagation… ');
    const one = await propagation([single.port], 'prop-one', SECONDS);
    await single.stop();
    process.env.REDIS_URL = redis.url;
    const two = [await startServer('ours', await freePort(), mongoUri, dbName, LIMITS), await startServer('ours', await freePort(), mongoUri, dbName, LIMITS)];
    await sleep(500);
    process.stdout.write('two processes: propagation… ');
    const spread = await propagation(two.map((s) => s.port), 'prop-two', SECONDS);
    await Promise.all(two.map((s) => s.stop()));
    process.stdout.write('kill -9…\n');
    const kill = { acknowledged: 0, lost: 0, relayedLost: 0 };
    for (let t = 0; t < TRIALS; t++) {
      const pair = [await startServer('ours', await freePort(), mongoUri, dbName, LIMITS), await startServer('ours', await freePort(), mongoUri, dbName, LIMITS)];
      await sleep(500);
      const r = await killTrial(pair, `kill-two-${t}`, mongo.db);
      await pair[1].stop();
      kill.acknowledged += r.acknowledged;
      kill.lost += r.lost;
      kill.relayedLost += r.relayedLost;
    }
    console.log(`one process:   p50 ${fmt(one.p50)} ms  p99 ${fmt(one.p99)} ms  delivered ${(one.delivered * 100).toFixed(1)}%`);
    console.log(`two processes: p50 ${fmt(spread.p50)} ms  p99 ${fmt(spread.p99)} ms  delivered ${(spread.delivered * 100).toFixed(1)}%`);
    console.log(`kill -9 of one of two processes, ${TRIALS} trials: ${kill.acknowledged} acknowledged, ${kill.lost} lost; ${kill.relayedLost} relayed-but-not-stored`);
    console.log(`RESULT collab_two_process_p99_ms_20x5 ${fmt(spread.p99)} goal <=${fmt(2 * one.p99)} ${spread.p99 <= 2 * one.p99 && spread.delivered >= 0.999 ? 'met' : 'missed'}`);
    console.log(`RESULT collab_two_process_acked_lost ${kill.lost} goal 0 ${kill.lost === 0 && kill.acknowledged > 0 ? 'met' : 'missed'}`);
  } finally {
    await mongo.db.dropDatabase().catch(() => undefined);
    await mongo.close();
    await redis.stop();
    await stopMongo();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
