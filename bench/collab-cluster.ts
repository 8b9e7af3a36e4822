// npm run bench:collab:cluster — the two-process scenario of `npm run bench:collab` alone (see
// bench/collab/cluster.ts): our collaboration server as one process and as two processes relaying through
// Redis, alternating rounds, then kill -9 of one of two. Ends with the same RESULT lines.
// BENCH_ROUNDS (default 4) rounds of BENCH_SECONDS (default 4) per set-up, BENCH_KILL_TRIALS (default 3).
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectMongo } from '../activities/infra/mongo';
import { launchEmbeddedServers } from '../scripts/embedded/launcher';
import { clusterReport, clusterScenario } from './collab/cluster';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const TRIALS = Number(process.env.BENCH_KILL_TRIALS ?? 3);

async function main(): Promise<void> {
  let mongoUri = process.env.MONGODB_URI;
  let stopMongo = async (): Promise<void> => undefined;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tongbiao-bench-cluster-'));
  if (!mongoUri) {
    const servers = await launchEmbeddedServers({ dataDir, toolsDir: path.resolve(__dirname, '..', '.tools'), temporalAddress: 'not-used:0' });
    mongoUri = servers.mongoUri;
    stopMongo = servers.stop;
  }
  const dbName = `bench_cluster_${Date.now().toString(36)}`;
  const mongo = await connectMongo(mongoUri, dbName, { onUnacknowledgedWrite: 'throw' });
  try {
    const r = await clusterScenario({ mongoUri, dbName, db: mongo.db, dataDir, rounds: ROUNDS, roundSeconds: SECONDS, killTrials: TRIALS, limits: { idleUnloadMs: 120_000 } });
    for (const line of clusterReport(r, ROUNDS, SECONDS)) console.log(line);
  } finally {
    await mongo.db.dropDatabase().catch(() => undefined);
    await mongo.close();
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
