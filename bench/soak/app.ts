// The soak's process manager: starts `npm start` (scripts/start.ts, under node with tsx as a loader so a
// SIGKILL hits the app itself) on the soak's own data directory and ports, restarts it after a kill as a
// process manager would, and finds the embedded servers it launched (by their command line naming the data
// directory) so they can be killed too.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { settlesWithin } from '../../activities/infra/settles-within';

export interface AppEnv {
  dataDir: string;
  port: number;
  temporalPort: number;
  mongoPort: number;
  /** Extra environment (durations, sweep interval). */
  extra: Record<string, string>;
  /** Every line the app writes to stderr is appended here (kept after the run for a post-mortem). */
  logFile: string;
}

export interface AppProcess {
  child: ChildProcess;
  /** Resolves when the app printed that it is ready; rejects when it exits first. */
  ready: Promise<void>;
  exited: Promise<number | null>;
}

const ROOT = path.resolve(__dirname, '..', '..');

export function startApp(env: AppEnv, logLine: (line: string) => void): AppProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'start.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      TONGBIAO_DATA_DIR: env.dataDir,
      PORT: String(env.port),
      EMBEDDED_TEMPORAL_PORT: String(env.temporalPort),
      EMBEDDED_MONGO_PORT: String(env.mongoPort),
      TRUST_PROXY: 'loopback',
      LOG_LEVEL: 'warn',
      TEMPORAL_ADDRESS: '',
      MONGODB_URI: '',
      ...env.extra,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  // The last lines of both streams go into the error when the app dies before it is ready: a start that
  // fails on another machine must say why in the test report, not only in a log file left in /tmp.
  const tail: string[] = [];
  const keep = (d: Buffer): void => {
    for (const line of d.toString().split('\n')) if (line.trim()) tail.push(line.slice(0, 400));
    if (tail.length > 40) tail.splice(0, tail.length - 40);
  };
  const ready = new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      keep(d);
      // The app's own warnings and errors (pino, on stdout) go into the log file beside the SDK's stderr.
      const warnings = d.toString().split('\n').filter((line) => /"level":(40|50|60)/.test(line));
      if (warnings.length) appendFileSync(env.logFile, `${warnings.join('\n')}\n`);
      out += d.toString();
      if (out.includes('Tongbiao is ready')) resolve();
      if (out.length > 100_000) out = out.slice(-10_000);
    });
    child.stderr!.on('data', (d: Buffer) => {
      appendFileSync(env.logFile, d);
      keep(d);
      for (const line of d.toString().split('\n')) if (/"level":(50|60)|Error|错误|失败/.test(line)) logLine(`app stderr: ${line.slice(0, 400)}`);
    });
    void exited.then((code) => reject(new Error(`app exited with ${code} before it was ready; its last output:\n${tail.join('\n')}`)));
  });
  ready.catch(() => undefined);
  return { child, ready, exited };
}

/** Pids of live processes whose command line contains every one of `parts`. */
export function pidsOf(...parts: string[]): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (parts.every((p) => cmd.includes(p))) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** The embedded servers of a data directory: FerretDB's command line names its SQLite dir, Temporal's its db file. */
export const ferretdbPids = (dataDir: string): number[] => pidsOf('ferretdb', `${dataDir}/ferretdb`);
export const temporalPids = (dataDir: string): number[] => pidsOf('start-dev', `${dataDir}/temporal.sqlite`);

export function kill9(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Resident set size of a process in MB (0 when gone). */
export function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Stops the app with Ctrl-C as a user would (it stops its embedded servers), waiting at most `graceMs`; then
 * removes its data directory unless KEEP_DATA is set. The benchmarks' common ending. */
export async function stopAppAndClean(app: AppProcess, dataDir: string, graceMs = 15_000): Promise<void> {
  app.child.kill('SIGINT');
  await settlesWithin(app.exited, graceMs);
  if (!process.env.KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
}
