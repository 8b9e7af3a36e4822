// One soak run: `npm start` on a data directory of its own with the session sweep at 30 s and short
// lifecycle timers, mixed traffic from every role (bench/soak/traffic.ts), and kill -9 of FerretDB, the
// Temporal dev server and the app itself — each at least three times, at random moments. The embedded
// servers must be revived by the launcher; the app is restarted at once, as a process manager would, and
// must adopt or replace the servers its killed predecessor left running. Recovery is measured from each
// kill to the first good answer (/readyz and a list read both 200). At the end every acknowledged write is
// looked for and every projection compared with its workflow.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../scripts/embedded/launcher';
import { settlesWithin } from '../../activities/infra/settles-within';
import { ferretdbPids, kill9, rssMb, startApp, temporalPids, type AppProcess } from './app';
import { newTally, SoakClient, type Tally } from './http';
import { Traffic } from './traffic';
import { replayFailures } from './replay';
import { lostComments, lostEdits, lostTransitions, projectionMismatches, type Mismatch } from './verify';

export type KillTarget = 'ferretdb' | 'temporal' | 'app';

export interface SoakOptions {
  minutes: number;
  lifecycles: number;
  killsPerTarget: number;
  log: (line: string) => void;
}

export interface KillRecord {
  target: KillTarget;
  atS: number;
  recoveryS: number;
}

export interface SoakResult {
  tally: Tally;
  kills: KillRecord[];
  lost: string[];
  mismatches: Mismatch[];
  /** Lifecycles whose history does not replay on the workflow code (./replay.ts). */
  replays: string[];
  transitionsAcked: number;
  commentsAcked: number;
  editsAcked: number;
  appRssMaxMb: number;
  durationS: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** A kill whose recovery takes longer than this counts as never recovered. */
const RECOVERY_GIVE_UP_MS = 120_000;

function shuffle<T>(xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

export async function runSoak(opts: SoakOptions): Promise<SoakResult> {
  const t0 = Date.now();
  const elapsedS = (): number => (Date.now() - t0) / 1000;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tongbiao-soak-'));
  // Three distinct ports (the kernel may hand the same just-released port out twice).
  const ports = new Set<number>();
  while (ports.size < 3) ports.add(await freePort());
  const [port, temporalPort, mongoPort] = [...ports] as [number, number, number];
  const env = {
    dataDir,
    port,
    temporalPort,
    mongoPort,
    logFile: path.join(os.tmpdir(), `${path.basename(dataDir)}-app.log`),
    extra: {
      SESSION_SWEEP_INTERVAL_SECONDS: '30',
      // Seconds instead of days, so comment periods close, reminders and reviews fire during the run.
      COMMENT_PERIOD_DAYS: String(20 / 86_400),
      REMINDER_INTERVAL_DAYS: String(15 / 86_400),
      FILING_REMINDER_DAYS: String(30 / 86_400),
      REVIEW_INTERVAL_DAYS: String(40 / 86_400),
    },
  };
  const base = `http://127.0.0.1:${env.port}`;
  const tally = newTally();
  const log = (line: string): void => opts.log(`[${elapsedS().toFixed(1).padStart(6)} s] ${line}`);
  let app: AppProcess = startApp(env, log);
  let appRssMaxMb = 0;
  const rssTimer = setInterval(() => {
    if (app.child.pid) appRssMaxMb = Math.max(appRssMaxMb, rssMb(app.child.pid));
  }, 1000);
  const restartAppWhenDead = (): void => {
    const current = app;
    void current.exited.then(() => {
      if (stopping || app !== current) return;
      log('app exited: restarting it');
      app = startApp(env, log);
      restartAppWhenDead();
    });
  };
  let stopping = false;
  restartAppWhenDead();

  const probe = new SoakClient(() => base, 'exec', '10.79.0.1', newTally());
  /** A good answer: the store and Temporal answer, and a signed-in read of the store works. */
  const goodAnswer = async (): Promise<boolean> => {
    try {
      const r = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(3000) });
      if (r.status !== 200) return false;
      const a = await probe.request('GET', '/api/standards?pageSize=1');
      if (a.status === 401) await probe.signIn();
      return a.status === 200;
    } catch {
      return false;
    }
  };

  const traffic = new Traffic({ base: () => base, tally, lifecycles: opts.lifecycles, log });
  const kills: KillRecord[] = [];
  try {
    await app.ready;
    log(`app ready at ${base}; data in ${dataDir}; app log ${env.logFile}`);
    await probe.signIn();
    await traffic.setUp();
    log(`${traffic.standards.length} standards proposed; traffic starts`);
    traffic.start();

    const totalMs = opts.minutes * 60_000;
    const targets = shuffle<KillTarget>((['ferretdb', 'temporal', 'app'] as const).flatMap((t) => Array<KillTarget>(opts.killsPerTarget).fill(t)));
    const windowStart = Date.now() - t0 + 5_000;
    const windowEnd = totalMs * 0.9;
    const slot = Math.max(1, (windowEnd - windowStart) / targets.length);
    for (const [i, target] of targets.entries()) {
      const at = windowStart + slot * i + Math.random() * slot * 0.5;
      const wait = at - (Date.now() - t0);
      if (wait > 0) await sleep(wait);
      const pids = target === 'ferretdb' ? ferretdbPids(dataDir) : target === 'temporal' ? temporalPids(dataDir) : app.child.pid ? [app.child.pid] : [];
      const killedAt = Date.now();
      log(`kill -9 ${target} (pids ${pids.join(',') || 'none found'})`);
      kill9(pids);
      await sleep(200);
      let recovered = false;
      while (Date.now() - killedAt < RECOVERY_GIVE_UP_MS) {
        if (await goodAnswer()) {
          recovered = true;
          break;
        }
        await sleep(200);
      }
      const recoveryS = recovered ? (Date.now() - killedAt) / 1000 : Infinity;
      kills.push({ target, atS: (killedAt - t0) / 1000, recoveryS });
      log(`  ${target} recovered after ${recoveryS.toFixed(1)} s`);
    }
    const rest = totalMs - (Date.now() - t0);
    if (rest > 0) await sleep(rest);
    log('traffic stops; waiting for the system to settle');
    await traffic.stop();

    // Settle: the last app is up; give in-flight transitions and the reconciler time to finish.
    const temporalAddress = `127.0.0.1:${env.temporalPort}`;
    const mongoUri = `mongodb://127.0.0.1:${env.mongoPort}/`;
    let mismatches: Mismatch[] = [];
    const settleUntil = Date.now() + 90_000;
    for (;;) {
      while (!(await goodAnswer()) && Date.now() < settleUntil) await sleep(500);
      mismatches = await projectionMismatches(temporalAddress, mongoUri, 'tongbiao', traffic.standards).catch((e: unknown) => [{ standardId: '*', workflow: String(e), projection: '' }]);
      if (mismatches.length === 0 || Date.now() > settleUntil) break;
      await sleep(3000);
    }
    // A mismatch left at the deadline is a defect to chase: the app's warnings about those standards say why
    // (a workflow task failing, a query timing out) where the verdict alone cannot.
    for (const m of mismatches.slice(0, 3)) {
      const lines = existsSync(env.logFile) ? readFileSync(env.logFile, 'utf8').split('\n') : [];
      const related = lines.filter((l) => l.includes(m.standardId) && /"level":(4|5)0/.test(l)).slice(-8);
      for (const l of related) log(`  app log for ${m.standardId}: ${l.slice(0, 600)}`);
    }
    const checker = new SoakClient(() => base, 'exec', '10.79.0.2', newTally());
    await checker.signIn();
    const drafter = new SoakClient(() => base, 'drafter-sh', '10.79.0.3', newTally());
    await drafter.signIn();
    const lost = [...(await lostTransitions(checker, traffic.acked)), ...(await lostComments(checker, traffic.acked)), ...(await lostEdits(base, drafter, traffic.acked))];
    const replays = await replayFailures(temporalAddress, traffic.standards, path.join(dataDir, 'cache')).catch((e: unknown) => [`replay check failed: ${(e as Error).message}`]);
    let editsAcked = 0;
    for (const keys of traffic.acked.edits.values()) editsAcked += keys.size;
    return {
      tally,
      kills,
      lost,
      mismatches,
      replays,
      transitionsAcked: traffic.acked.transitions.length,
      commentsAcked: traffic.acked.comments.length,
      editsAcked,
      appRssMaxMb,
      durationS: elapsedS(),
    };
  } finally {
    stopping = true;
    clearInterval(rssTimer);
    await traffic.stop().catch(() => undefined);
    app.child.kill('SIGINT');
    await settlesWithin(app.exited, 20_000);
    kill9([...(app.child.pid ? [app.child.pid] : []), ...ferretdbPids(dataDir), ...temporalPids(dataDir)]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
