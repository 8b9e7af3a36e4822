// Shared by the benchmarks that run FerretDB on its own (no app): the percentile, a connect that waits for
// the server to come up, a process's CPU time from /proc, and the stop that removes the server's data.
import type { ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { MongoClient, type MongoClientOptions } from 'mongodb';

export const FERRETDB = path.resolve('.tools/bin/ferretdb');

export function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}

/** Connects, trying again for up to a minute while the server starts. */
export async function connectWhenUp(uri: string, options: MongoClientOptions = {}): Promise<MongoClient> {
  const end = Date.now() + 60_000;
  for (;;) {
    try {
      return await MongoClient.connect(uri, { serverSelectionTimeoutMS: 1000, ...options });
    } catch (e) {
      if (Date.now() > end) throw e;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

/** CPU time (user + system, ms) a process has used so far, from /proc/PID/stat. */
export function procCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** Closes the client, stops the server and removes its data directory. */
export async function stopStandalone(client: MongoClient, child: ChildProcess, dir: string): Promise<void> {
  await client.close();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
