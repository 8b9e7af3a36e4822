import { spawn } from 'node:child_process';
import { mkdtempSync, existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import { FERRETDB_GOGC, ferretdbEnv, freePort, launchEmbeddedServers, type EmbeddedServers } from '../../../scripts/embedded/launcher';
import type { RestartEvent } from '../../../scripts/embedded/supervisor';
import { requireEnv } from '../../support/mongo';

const toolsDir = path.resolve(__dirname, '..', '..', '..', '.tools');

function portOpen(address: string): Promise<boolean> {
  const [host, port] = address.replace('mongodb://', '').replace(/\/$/, '').split(':');
  return new Promise((resolve) => {
    const s = net.connect({ host, port: Number(port) });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

describe('launchEmbeddedServers', () => {
  it('starts nothing when both addresses are configured', async () => {
    const servers = await launchEmbeddedServers({
      dataDir: mkdtempSync(path.join(os.tmpdir(), 'tb-launch-')),
      toolsDir,
      temporalAddress: requireEnv('TEMPORAL_ADDRESS'),
      mongoUri: requireEnv('MONGODB_URI'),
    });
    expect(servers.started).toEqual([]);
    expect(servers.temporalAddress).toBe(process.env.TEMPORAL_ADDRESS);
    await servers.stop();
  });

  it('starts Temporal and FerretDB that answer, keeps data in the data dir, and stops them', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tb-launch-'));
    const servers = await launchEmbeddedServers({ dataDir, toolsDir });
    try {
      expect(servers.started.sort()).toEqual(['ferretdb', 'temporal']);
      const connection = await Connection.connect({ address: servers.temporalAddress });
      const ns = await connection.workflowService.describeNamespace({ namespace: 'default' });
      expect(ns.namespaceInfo?.name).toBe('default');
      await connection.close();

      const client = await MongoClient.connect(servers.mongoUri);
      await client.db('launcher_probe').collection('x').insertOne({ ok: 1 });
      expect(await client.db('launcher_probe').collection('x').countDocuments()).toBe(1);
      await client.close();
      expect(existsSync(path.join(dataDir, 'temporal.sqlite'))).toBe(true);
      expect(existsSync(path.join(dataDir, 'ferretdb'))).toBe(true);
      // FerretDB runs with the launcher's GC setting unless the environment names one (scripts/embedded/launcher.ts).
      const pid = servers.status().find((s) => s.name === 'ferretdb')?.pid ?? 0;
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      expect(environ).toContain(`GOGC=${process.env.GOGC ?? FERRETDB_GOGC}`);
      expect(ferretdbEnv({})).toEqual({ GOGC: FERRETDB_GOGC });
      expect(ferretdbEnv({ GOGC: 'off' })).toEqual({});
    } finally {
      await servers.stop();
    }
    expect(await portOpen(servers.temporalAddress)).toBe(false);
    expect(await portOpen(servers.mongoUri)).toBe(false);
  }, 120_000);

  it('starts Temporal with its web UI on another port when port + 1000 is taken', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tb-launch-ui-'));
    let temporalPort = await freePort();
    while (temporalPort + 1000 > 65535) temporalPort = await freePort();
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(temporalPort + 1000, '127.0.0.1', () => resolve()));
    const servers = await launchEmbeddedServers({ dataDir, toolsDir, temporalPort, mongoUri: requireEnv('MONGODB_URI'), temporalUi: true });
    try {
      expect(servers.started).toEqual(['temporal']);
      expect(servers.temporalUiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(servers.temporalUiUrl).not.toBe(`http://127.0.0.1:${temporalPort + 1000}`);
      const connection = await Connection.connect({ address: servers.temporalAddress });
      expect((await connection.workflowService.describeNamespace({ namespace: 'default' })).namespaceInfo?.name).toBe('default');
      await connection.close();
    } finally {
      await servers.stop();
      squatter.close();
    }
  }, 120_000);
});

/** Polls `probe` until it is true; returns the milliseconds it took. */
async function within(what: string, ms: number, probe: () => Promise<boolean>): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (await probe().catch(() => false)) return Date.now() - t0;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not within ${ms} ms`);
}

async function mongoPing(uri: string): Promise<boolean> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 1000, connectTimeoutMS: 1000 });
  try {
    await client.db('admin').command({ ping: 1 });
    return true;
  } finally {
    await client.close().catch(() => undefined);
  }
}

async function temporalAnswers(address: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 1000 });
  try {
    await connection.withDeadline(Date.now() + 1000, () => connection.workflowService.describeNamespace({ namespace: 'default' }));
    return true;
  } finally {
    await connection.close();
  }
}

function pidOf(servers: EmbeddedServers, name: string): number {
  const pid = servers.status().find((s) => s.name === name)?.pid;
  if (!pid) throw new Error(`no pid for ${name}`);
  return pid;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').length > 0;
  } catch {
    return false;
  }
}

describe('supervision', () => {
  it('restarts FerretDB and the Temporal dev server killed with -9, on the same port and data, and stop() does not heal', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tb-heal-'));
    const servers = await launchEmbeddedServers({ dataDir, toolsDir, temporalPort: await freePort(), mongoPort: await freePort() });
    const events: RestartEvent[] = [];
    servers.on('restarted', (e) => events.push(e));
    let stopped = false;
    try {
      const client = await MongoClient.connect(servers.mongoUri);
      await client.db('heal_probe').collection('x').insertOne({ before: true });
      await client.close();

      const fdb = pidOf(servers, 'ferretdb');
      process.kill(fdb, 'SIGKILL');
      const mongoMs = await within('FerretDB answers again', 15_000, async () => !isAlive(fdb) && (await mongoPing(servers.mongoUri)));
      const again = await MongoClient.connect(servers.mongoUri);
      expect(await again.db('heal_probe').collection('x').countDocuments({ before: true })).toBe(1);
      await again.close();

      const tmp = pidOf(servers, 'temporal');
      process.kill(tmp, 'SIGKILL');
      const temporalMs = await within('Temporal answers again', 15_000, async () => !isAlive(tmp) && (await temporalAnswers(servers.temporalAddress)));
      console.log(`recovered after kill -9: FerretDB ${mongoMs} ms, Temporal ${temporalMs} ms`);

      await within('both restarts reported', 5000, async () => events.length === 2);
      expect(events.map((e) => e.name).sort()).toEqual(['ferretdb', 'temporal']);
      expect(servers.status().map((s) => [s.name, s.state, s.restarts])).toEqual([
        ['temporal', 'running', 1],
        ['ferretdb', 'running', 1],
      ]);
      const pids = servers.status().map((s) => s.pid!);
      await servers.stop();
      stopped = true;
      await new Promise((r) => setTimeout(r, 2500));
      expect(events).toHaveLength(2);
      expect(pids.filter(isAlive)).toEqual([]);
      expect(await portOpen(servers.temporalAddress)).toBe(false);
      expect(await portOpen(servers.mongoUri)).toBe(false);
      expect(existsSync(path.join(dataDir, 'ferretdb.pid'))).toBe(false);
    } finally {
      if (!stopped) await servers.stop();
    }
  }, 180_000);

  /** Runs launcher-child.ts, waits for its status line, returns it with the process. */
  async function launchInChild(dataDir: string, ports: [number, number], guard: boolean) {
    const child = spawn(path.resolve(__dirname, '..', '..', '..', 'node_modules', '.bin', 'tsx'), [path.join(__dirname, 'launcher-child.ts'), dataDir, toolsDir, String(ports[0]), String(ports[1]), guard ? '1' : '0'], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, LOG_LEVEL: 'warn' },
    });
    const line = await new Promise<string>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const i = buf.indexOf('\n');
        if (i >= 0) resolve(buf.slice(0, i));
      });
      child.once('exit', (code) => reject(new Error(`launcher child exited (${code})`)));
    });
    const info = JSON.parse(line) as { status: Array<{ name: string; pid: number }> };
    return { child, pids: info.status.map((s) => s.pid) };
  }

  it('a launcher killed with -9 takes its servers with it; leftovers of one whose guard failed are replaced and the data kept', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tb-leftover-'));
    const ports: [number, number] = [await freePort(), await freePort()];

    const guarded = await launchInChild(dataDir, ports, true);
    // The launcher child's node process is tsx's child: kill the whole tree's node processes by pid, -9.
    killTree(guarded.child.pid!);
    const goneMs = await within('servers of a killed launcher exit', 10_000, async () => guarded.pids.every((p) => !isAlive(p)));
    console.log(`servers of a kill -9'd launcher gone after ${goneMs} ms`);

    const unguarded = await launchInChild(dataDir, ports, false);
    killTree(unguarded.child.pid!);
    await new Promise((r) => setTimeout(r, 1000));
    expect(unguarded.pids.every(isAlive)).toBe(true);

    const servers = await launchEmbeddedServers({ dataDir, toolsDir, temporalPort: ports[0], mongoPort: ports[1] });
    try {
      expect(unguarded.pids.filter(isAlive)).toEqual([]);
      expect(servers.temporalAddress).toBe(`127.0.0.1:${ports[0]}`);
      const client = await MongoClient.connect(servers.mongoUri);
      expect(await client.db('leftover_probe').collection<{ _id: string }>('x').countDocuments({ _id: 'kept' })).toBe(1);
      await client.close();
      const connection = await Connection.connect({ address: servers.temporalAddress });
      const wf = await connection.workflowService.describeWorkflowExecution({ namespace: 'default', execution: { workflowId: 'leftover-kept' } });
      expect(wf.workflowExecutionInfo?.execution?.workflowId).toBe('leftover-kept');
      await connection.close();
    } finally {
      await servers.stop();
    }
  }, 240_000);
});

/** SIGKILL a process and its descendants (tsx runs the script in a child node process). */
function killTree(pid: number): void {
  const children = (p: number): number[] => {
    try {
      return readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  const all: number[] = [];
  const walk = (p: number): void => {
    all.push(p);
    for (const c of children(p)) walk(c);
  };
  walk(pid);
  // Only the node processes: the embedded servers run detached under the launcher, and must be left to
  // whatever the launcher arranged (the watchdog, or nothing).
  for (const p of all) {
    const argv0 = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0')[0] ?? '';
    if (/node|tsx/.test(argv0) || p === pid) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}
