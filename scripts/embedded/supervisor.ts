// Keeps one embedded server (the Temporal dev server or FerretDB) alive: starts it, probes it about once a
// second, and restarts it with exponential back-off when it exits or stops answering, always on the same
// port and the same data files so clients simply reconnect. It also replaces what a killed launcher left
// running (pid file + /proc check), and guards against such leftovers in the first place (a watchdog that
// kills the server when this process dies, even by kill -9). A deliberate stop() ends supervision first.
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../activities/infra/errors';
import { createLogger } from '../../activities/infra/logger';
import { settlesWithin } from '../../activities/infra/settles-within';

const log = createLogger('supervisor');

export interface ServerSpec {
  /** Short name used in logs, events and the pid file name. */
  name: string;
  /** Absolute path of the binary (compared with /proc/<pid>/cmdline to recognise a leftover). */
  bin: string;
  args: string[];
  port: number;
  /** An argument unique to this data dir: a leftover is ours only if its command line contains it. */
  dataArg: string;
  logFile: string;
  pidFile: string;
  /** Variables added to this process's environment for the server (e.g. FerretDB's GOGC). */
  env?: Record<string, string>;
  /** One health check: resolves true when the server answers. The supervisor bounds it by probeTimeoutMs. */
  probe(): Promise<boolean>;
  /** Called once the supervisor is done with the server (closes probe clients). */
  dispose?(): Promise<void>;
}

export interface SupervisionTuning {
  probeIntervalMs: number;
  probeTimeoutMs: number;
  /** Consecutive failed probes of a running process before it is killed and restarted. */
  failuresBeforeRestart: number;
  backoffInitialMs: number;
  backoffMaxMs: number;
  /** After this long healthy, the next restart waits backoffInitialMs again. */
  healthyResetMs: number;
  /** How long a (re)started server may take to answer. */
  startTimeoutMs: number;
  /** Kill the server when this process dies (watchdog). Off only to simulate a launcher whose guard failed. */
  orphanGuard: boolean;
}

export const DEFAULT_TUNING: SupervisionTuning = {
  probeIntervalMs: 1000,
  probeTimeoutMs: 2000,
  failuresBeforeRestart: 3,
  backoffInitialMs: 250,
  backoffMaxMs: 4000,
  healthyResetMs: 30_000,
  startTimeoutMs: 60_000,
  orphanGuard: true,
};

export type ServerState = 'starting' | 'running' | 'restarting' | 'stopped';

export interface ServerStatus {
  name: string;
  state: ServerState;
  pid?: number;
  port: number;
  restarts: number;
  lastRestartAt?: string;
  lastDownReason?: string;
}

export interface RestartEvent {
  name: string;
  reason: string;
  restarts: number;
  pid?: number;
  /** From noticing the failure to the new process answering. */
  downMs: number;
}

export interface SupervisorEvents {
  down: [{ name: string; reason: string }];
  restarted: [RestartEvent];
}

interface PidFile {
  pid: number;
  port: number;
  bin: string;
  /** The launcher process that started it; a live one elsewhere means the data dir is in use. */
  ownerPid: number;
  startedAt: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** argv of a live process, or [] when it is gone, a zombie, or /proc is unavailable. */
function cmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((s) => s !== '');
  } catch {
    return [];
  }
}

/** Processes running `bin` with `dataArg` among their arguments: servers of this data dir. */
function findOurs(bin: string, dataArg: string, hint?: number): number[] {
  const found = new Set<number>();
  const matches = (pid: number): boolean => {
    const argv = cmdline(pid);
    return argv[0] === bin && argv.includes(dataArg);
  };
  if (hint && matches(hint)) found.add(hint);
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    // no /proc (not Linux): only the pid file can name a leftover, and without /proc it cannot be verified
  }
  for (const e of entries) {
    const pid = Number(e);
    if (pid !== process.pid && matches(pid)) found.add(pid);
  }
  return [...found];
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!alive(pid) || cmdline(pid).length === 0) return true;
    await sleep(100);
  }
  return false;
}

/** A probe's answer, or false when it failed or did not answer within `ms`. */
async function withTimeout(p: Promise<boolean>, ms: number): Promise<boolean> {
  const answer = p.catch(() => false);
  return (await settlesWithin(answer, ms)) && (await answer);
}

export class SupervisedServer extends EventEmitter<SupervisorEvents> {
  private child: ChildProcess | undefined;
  private watchdog: ChildProcess | undefined;
  private state: ServerState = 'stopped';
  private stopping = false;
  private restarts = 0;
  private lastRestartAt: number | undefined;
  private lastDownReason: string | undefined;
  private nextDelayMs: number;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private readonly tuning: SupervisionTuning;

  constructor(
    private readonly spec: ServerSpec,
    tuning: Partial<SupervisionTuning> = {},
  ) {
    super();
    this.tuning = { ...DEFAULT_TUNING, ...tuning };
    this.nextDelayMs = this.tuning.backoffInitialMs;
  }

  status(): ServerStatus {
    return {
      name: this.spec.name,
      state: this.state,
      ...(this.child?.pid ? { pid: this.child.pid } : {}),
      port: this.spec.port,
      restarts: this.restarts,
      ...(this.lastRestartAt ? { lastRestartAt: new Date(this.lastRestartAt).toISOString() } : {}),
      ...(this.lastDownReason ? { lastDownReason: this.lastDownReason } : {}),
    };
  }

  /** Replaces leftovers of this data dir, starts the server, waits until it answers, then supervises it. */
  async start(): Promise<void> {
    this.state = 'starting';
    await this.replaceLeftovers();
    const ok = await this.spawnAndWait();
    if (!ok.ready) {
      this.killChild();
      this.state = 'stopped';
      throw new AppError('SERVER_START_FAILED', {
        zh: `${this.spec.name} ${ok.exited ? `启动后立即退出（${ok.exited}）` : `在 ${this.tuning.startTimeoutMs / 1000} 秒内未就绪`}，见日志 ${this.spec.logFile}`,
        en: `${this.spec.name} ${ok.exited ? `exited right after start (${ok.exited})` : `did not answer within ${this.tuning.startTimeoutMs / 1000} s`}; see ${this.spec.logFile}`,
      });
    }
    this.state = 'running';
    this.loop = this.supervise();
  }

  /** Ends supervision, then stops the server (SIGTERM, SIGKILL after 10 s) and removes its pid file. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    await this.stopChild();
    this.state = 'stopped';
    await this.spec.dispose?.().catch(() => undefined);
  }

  /** Synchronous last resort for process 'exit': the watchdog would do it too, a moment later. */
  killNow(): void {
    this.stopping = true;
    this.child?.kill('SIGKILL');
  }

  private async replaceLeftovers(): Promise<void> {
    let recorded: PidFile | undefined;
    if (existsSync(this.spec.pidFile)) {
      try {
        recorded = JSON.parse(readFileSync(this.spec.pidFile, 'utf8')) as PidFile;
      } catch {
        recorded = undefined;
      }
    }
    if (recorded && recorded.ownerPid !== process.pid && alive(recorded.ownerPid) && cmdline(recorded.ownerPid).some((a) => /node|tsx/.test(a)) && alive(recorded.pid) && cmdline(recorded.pid)[0] === this.spec.bin) {
      throw new AppError('SERVER_START_FAILED', {
        zh: `${this.spec.name} 的数据目录正被另一个运行中的统标进程（pid ${recorded.ownerPid}）使用`,
        en: `The data of ${this.spec.name} is in use by another running Tongbiao process (pid ${recorded.ownerPid})`,
      });
    }
    // Replace rather than adopt: a process we did not spawn cannot be waited on, and both servers recover
    // from their files after a kill, so a fresh child on the same data is the simpler, equally safe choice.
    for (const pid of findOurs(this.spec.bin, this.spec.dataArg, recorded?.pid)) {
      log.warn({ name: this.spec.name, pid }, 'replacing a leftover embedded server of this data dir');
      process.kill(pid, 'SIGTERM');
      if (!(await waitGone(pid, 10_000))) {
        process.kill(pid, 'SIGKILL');
        await waitGone(pid, 5000);
      }
    }
    rmSync(this.spec.pidFile, { force: true });
  }

  private spawnChild(): ChildProcess {
    // The server writes its log file itself, so it does not depend on this process's pipes; its own
    // process group keeps a terminal's Ctrl-C away from it (this process stops it, supervision first).
    const fd = openSync(this.spec.logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn(this.spec.bin, this.spec.args, { stdio: ['ignore', fd, fd], detached: true, env: { ...process.env, ...this.spec.env } });
    } finally {
      closeSync(fd);
    }
    child.on('error', (err) => log.error({ err, name: this.spec.name }, 'embedded server process error'));
    child.once('exit', (code, signal) => {
      if (!this.stopping) log.warn({ name: this.spec.name, pid: child.pid, code, signal }, 'embedded server exited');
      this.stopWatchdog(child);
      this.wake?.();
    });
    // Node has no prctl(PR_SET_PDEATHSIG): a small shell reads a pipe from this process and, at EOF (this
    // process died, however), kills the server. It ignores terminal signals so only that EOF triggers it.
    if (this.tuning.orphanGuard && child.pid) {
      const dog = spawn('sh', ['-c', `trap '' INT HUP TERM; read _ignored; kill -9 ${child.pid} 2>/dev/null`], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
      dog.on('error', () => undefined);
      dog.unref();
      (dog.stdin as unknown as net.Socket | null)?.unref();
      this.watchdog = dog;
    }
    this.child = child;
    const record: PidFile = { pid: child.pid ?? 0, port: this.spec.port, bin: this.spec.bin, ownerPid: process.pid, startedAt: new Date().toISOString() };
    writeFileSync(this.spec.pidFile, JSON.stringify(record) + '\n');
    log.info({ name: this.spec.name, pid: child.pid, port: this.spec.port, logFile: this.spec.logFile }, 'started embedded server');
    return child;
  }

  private stopWatchdog(child: ChildProcess): void {
    // Only the watchdog of this child: a restarted server has its own.
    const dog = this.watchdog;
    if (dog && this.child === child) {
      dog.kill('SIGKILL');
      this.watchdog = undefined;
    }
  }

  private async spawnAndWait(): Promise<{ ready: boolean; exited?: string }> {
    const child = this.spawnChild();
    const deadline = Date.now() + this.tuning.startTimeoutMs;
    while (Date.now() < deadline && !this.stopping) {
      if (child.exitCode !== null || child.signalCode !== null) return { ready: false, exited: `code ${child.exitCode ?? child.signalCode}` };
      if (await withTimeout(this.spec.probe(), this.tuning.probeTimeoutMs)) return { ready: true };
      await sleep(150);
    }
    return { ready: false };
  }

  private killChild(): void {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  private async stopChild(): Promise<void> {
    const child = this.child;
    if (!child) return;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      log.info({ name: this.spec.name }, 'stopped embedded server');
    }
    this.stopWatchdog(child);
    rmSync(this.spec.pidFile, { force: true });
  }

  /** Sleeps, waking early when the child exits or stop() is called. */
  private async pause(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }

  private childGone(): boolean {
    const c = this.child;
    return !c || c.exitCode !== null || c.signalCode !== null;
  }

  private async supervise(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      if (!this.childGone()) await this.pause(this.tuning.probeIntervalMs);
      if (this.stopping) return;
      let reason: string | undefined;
      if (this.childGone()) {
        reason = `exited (${this.child?.exitCode ?? this.child?.signalCode ?? 'unknown'})`;
      } else {
        const ok = await withTimeout(this.spec.probe(), this.tuning.probeTimeoutMs);
        if (this.stopping) return;
        if (ok) {
          failures = 0;
          if (this.lastRestartAt && Date.now() - this.lastRestartAt > this.tuning.healthyResetMs) this.nextDelayMs = this.tuning.backoffInitialMs;
          continue;
        }
        if (this.childGone()) continue;
        failures += 1;
        log.warn({ name: this.spec.name, failures }, 'embedded server did not answer a health probe');
        if (failures < this.tuning.failuresBeforeRestart) continue;
        reason = `not answering (${failures} probes)`;
      }
      failures = 0;
      await this.restart(reason);
    }
  }

  private async restart(reason: string): Promise<void> {
    const since = Date.now();
    this.state = 'restarting';
    this.lastDownReason = reason;
    log.error({ name: this.spec.name, reason, pid: this.child?.pid }, 'embedded server down; restarting it');
    this.emit('down', { name: this.spec.name, reason });
    for (;;) {
      if (!this.childGone()) {
        const child = this.child!;
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGKILL');
        await exited;
      }
      const delay = this.nextDelayMs;
      this.nextDelayMs = Math.min(this.tuning.backoffMaxMs, this.nextDelayMs * 2);
      await this.pause(delay);
      if (this.stopping) return;
      const { ready, exited } = await this.spawnAndWait();
      if (this.stopping) return;
      if (ready) {
        this.restarts += 1;
        this.lastRestartAt = Date.now();
        this.state = 'running';
        const event: RestartEvent = { name: this.spec.name, reason, restarts: this.restarts, ...(this.child?.pid ? { pid: this.child.pid } : {}), downMs: Date.now() - since };
        log.warn({ ...event, delayMs: delay }, 'embedded server restarted');
        this.emit('restarted', event);
        return;
      }
      log.error({ name: this.spec.name, exited, nextDelayMs: this.nextDelayMs }, 'embedded server restart failed; trying again');
    }
  }
}
