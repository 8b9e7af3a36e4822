// Whether the store (MongoDB/FerretDB) and Temporal answer right now. A monitor probes each about twice a
// second and keeps up/down with timestamps, so the web server can answer 503 at once while one is away
// (instead of every request waiting out a driver's server-selection or retry timeout and failing with 500)
// and serve again by itself as soon as it answers. It lives in the app, not in the launcher: it also covers
// a configured MONGODB_URI / TEMPORAL_ADDRESS that nothing here restarts. Also: the 503 gate middleware and
// the /healthz and /readyz routes built on it.
import type { ErrorRequestHandler, Request, RequestHandler, Response, Router } from 'express';
import express from 'express';
import { MongoClient, MongoNetworkError, MongoServerSelectionError } from 'mongodb';
import { AppError } from '../../activities/infra/errors';
import type { Logger } from '../../activities/infra/logger';

export type Dependency = 'store' | 'temporal';

/** One dependency's probe. `run` resolves when it answers and rejects when it refuses or fails. */
export interface AvailabilityCheck {
  name: Dependency;
  run(): Promise<void>;
  /** Drops the probe's connection after a probe that never settled, so the next one starts afresh. */
  reset?(): void;
  /** Optional push of failures noticed between probes (the driver's own heartbeat). */
  subscribe?(onFailure: (reason: string) => void): void;
  dispose?(): Promise<void>;
}

export interface DependencyState {
  up: boolean;
  /** When it last changed state (or the monitor started). */
  since: string;
  lastError?: string;
  /** How many times it went down since start. */
  outages: number;
}

export interface AvailabilityMonitor {
  /** The dependencies known down right now (empty when all answer). */
  down(): Dependency[];
  snapshot(): Record<string, DependencyState>;
  /** Called with the dependency each time one goes down; returns the unsubscribe function. */
  onDown(listener: (dep: Dependency) => void): () => void;
  stop(): Promise<void>;
}

export interface MonitorOptions {
  checks: AvailabilityCheck[];
  logger: Logger;
  /** Between probes (default 500 ms). */
  intervalMs?: number;
  /** A probe still unanswered after this long counts as down (default 2000 ms): a hung server. */
  hungAfterMs?: number;
}

interface Tracked {
  check: AvailabilityCheck;
  state: DependencyState;
  changedAt: number;
  inflightSince?: number;
  /** Bumped when a probe is abandoned, so its late outcome is ignored. */
  generation: number;
}

/** Timer lateness up to this is ordinary jitter, not a stall of the event loop. */
const STALL_SLACK_MS = 100;

export function createAvailabilityMonitor(opts: MonitorOptions): AvailabilityMonitor {
  const intervalMs = opts.intervalMs ?? 500;
  const hungAfterMs = opts.hungAfterMs ?? 2000;
  const listeners = new Set<(dep: Dependency) => void>();
  const started = Date.now();
  const tracked: Tracked[] = opts.checks.map((check) => ({ check, changedAt: started, generation: 0, state: { up: true, since: new Date(started).toISOString(), outages: 0 } }));
  let stopped = false;

  const setState = (t: Tracked, up: boolean, error?: string): void => {
    if (error) t.state.lastError = error;
    if (t.state.up === up) return;
    const now = Date.now();
    const lastedMs = now - t.changedAt;
    t.changedAt = now;
    t.state = { ...t.state, up, since: new Date(now).toISOString(), outages: t.state.outages + (up ? 0 : 1) };
    if (up) {
      opts.logger.warn({ dependency: t.check.name, downMs: lastedMs }, 'dependency answers again');
    } else {
      opts.logger.error({ dependency: t.check.name, error, upMs: lastedMs }, 'dependency unreachable: answering 503');
      for (const l of [...listeners]) l(t.check.name);
    }
  };

  const probe = (t: Tracked): void => {
    if (t.inflightSince !== undefined) {
      if (Date.now() - t.inflightSince <= hungAfterMs) return;
      // A server that accepts but never answers is down too. The probe is abandoned (a driver can leave
      // an operation pending for good) and its connection dropped; the next tick probes afresh.
      setState(t, false, `no answer within ${hungAfterMs} ms`);
      t.generation += 1;
      t.inflightSince = undefined;
      t.check.reset?.();
      return;
    }
    const generation = t.generation;
    t.inflightSince = Date.now();
    t.check.run().then(
      () => {
        if (stopped || generation !== t.generation) return;
        t.inflightSince = undefined;
        setState(t, true);
      },
      (err: unknown) => {
        if (stopped || generation !== t.generation) return;
        t.inflightSince = undefined;
        setState(t, false, err instanceof Error ? err.message : String(err));
      },
    );
  };

  // A pushed failure marks the dependency down at once and probes it right away: a false alarm (a pool
  // cleared for another reason) then lasts one ping.
  for (const t of tracked) {
    t.check.subscribe?.((reason) => {
      if (stopped) return;
      setState(t, false, reason);
      // Out of the driver's event dispatch: the probe must not run inside the client's error handling.
      setImmediate(() => !stopped && probe(t));
    });
  }
  // A probe is judged by the time this process was free to read its answer: when the event loop itself was
  // stalled (a large upload parsed, a long GC), a timer fires late and the answer waits behind it, so the
  // stall is not counted against the dependency (without this, one blocked second marked a healthy store down
  // and answered 503 to the next requests).
  let lastTick = Date.now();
  const timer = setInterval(() => {
    const now = Date.now();
    const stalledMs = now - lastTick - intervalMs;
    lastTick = now;
    if (stalledMs > STALL_SLACK_MS) for (const t of tracked) if (t.inflightSince !== undefined) t.inflightSince += stalledMs;
    tracked.forEach(probe);
  }, intervalMs);
  // The monitor alone must not keep a process alive (scripts that forget to stop the runtime still exit).
  timer.unref();

  return {
    down: () => tracked.filter((t) => !t.state.up).map((t) => t.check.name),
    snapshot: () => Object.fromEntries(tracked.map((t) => [t.check.name, { ...t.state }])),
    onDown: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      listeners.clear();
      await Promise.all(tracked.map((t) => t.check.dispose?.().catch(() => undefined)));
    },
  };
}

/**
 * The store's probe: a ping on a client of its own (a small pool that the app's saturated pool cannot
 * starve, short server selection) and the driver's heartbeat every 500 ms, whose failure marks the store
 * down at once (a killed server refuses the next heartbeat). With the app's own client, a network error
 * of an app request (the driver then marks the server unknown, before the request's handler sees the
 * error) marks it down too, so that request is answered 503 rather than 500.
 */
export function mongoCheck(uri: string, appClient?: MongoClient): AvailabilityCheck {
  let onFailure: ((reason: string) => void) | undefined;
  const open = (): MongoClient => {
    const c = new MongoClient(uri, { serverSelectionTimeoutMS: 800, connectTimeoutMS: 800, socketTimeoutMS: 2000, heartbeatFrequencyMS: 500, maxPoolSize: 2 });
    c.on('serverHeartbeatFailed', (ev) => onFailure?.(`heartbeat failed: ${ev.failure.message}`));
    return c;
  };
  let client = open();
  return {
    name: 'store',
    run: async () => {
      await client.db('admin').command({ ping: 1 });
    },
    reset: () => {
      const old = client;
      client = open();
      void old.close(true).catch(() => undefined);
    },
    subscribe: (listener) => {
      onFailure = listener;
      appClient?.on('serverDescriptionChanged', (ev) => {
        if (ev.newDescription.type === 'Unknown' && ev.previousDescription.type !== 'Unknown' && ev.newDescription.error) {
          listener(`app connection lost: ${ev.newDescription.error.message}`);
        }
      });
    },
    dispose: () => client.close(),
  };
}

const RETRY_AFTER_SECONDS = 5;

export function unavailableError(down: Dependency[]): AppError {
  const zh = down.map((d) => (d === 'store' ? '数据库' : '流程服务（Temporal）')).join('、');
  const en = down.map((d) => (d === 'store' ? 'the database' : 'the lifecycle service (Temporal)')).join(' and ');
  return new AppError(
    'SERVICE_UNAVAILABLE',
    { zh: `暂时无法服务：${zh}暂不可用，请稍后重试`, en: `Temporarily unavailable: ${en} cannot be reached; please try again shortly` },
    { details: { unavailable: down, retryAfterSeconds: RETRY_AFTER_SECONDS } },
  );
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A page of its own: the layout needs page locals (sessions, language) that a 503 must not wait for. */
function unavailablePage(e: AppError): string {
  return `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="refresh" content="${RETRY_AFTER_SECONDS}">
<title>暂时无法服务 · Temporarily unavailable · 统标</title><link rel="stylesheet" href="/static/style.css"></head>
<body><main id="main" class="site-main"><section class="card">
<h1>暂时无法服务 <span lang="en">Temporarily unavailable</span>（503）</h1>
<p role="alert">${escapeHtml(e.messages.zh)}</p>
<p lang="en" class="muted">${escapeHtml(e.messages.en)}</p>
<p class="muted">错误代码 Error code：<code>${e.code}</code> · ${RETRY_AFTER_SECONDS} 秒后自动重试 Retrying in ${RETRY_AFTER_SECONDS} s</p>
<p><a href="">重试 Retry</a></p>
</section></main>
</body></html>`;
}

function sendUnavailable(req: Request, res: Response, down: Dependency[]): void {
  const e = unavailableError(down);
  res.status(503).setHeader('Retry-After', String(RETRY_AFTER_SECONDS)).setHeader('Cache-Control', 'no-store');
  if (req.originalUrl.startsWith('/api/') || !req.accepts('html')) res.json(e.toJSON());
  else res.type('html').send(unavailablePage(e));
}

/**
 * Answers 503 at once while a dependency is known down. A request already being handled when one goes down
 * is answered 503 right then (its handler may otherwise wait out a driver timeout); its connection is
 * closed after that answer, so the late outcome of the abandoned handler cannot touch a later request.
 */
export function availabilityGate(monitor: AvailabilityMonitor): RequestHandler {
  return (req, res, next) => {
    const down = monitor.down();
    if (down.length > 0) {
      sendUnavailable(req, res, down);
      return;
    }
    const off = monitor.onDown(() => {
      if (res.headersSent || res.writableEnded) return;
      res.setHeader('Connection', 'close');
      sendUnavailable(req, res, monitor.down());
      retire(res);
    });
    res.once('finish', off);
    res.once('close', off);
    next();
  };
}

/**
 * The abandoned handler of a request already answered 503 may still finish later and answer again. A late
 * `res.render` would call `res.send` from a template callback, outside any promise Express watches, and
 * the "headers already sent" error would end the process; so every answering method becomes a no-op.
 */
function retire(res: Response): void {
  const noop = function (this: Response): Response {
    return res;
  };
  for (const m of ['render', 'send', 'json', 'jsonp', 'redirect', 'sendFile', 'download', 'sendStatus', 'end', 'set', 'header', 'status', 'type', 'setHeader', 'attachment', 'cookie', 'clearCookie', 'location', 'vary', 'append', 'write', 'writeHead'] as const) {
    Object.defineProperty(res, m, { value: noop, configurable: true, writable: true });
  }
}

const SOCKET_ERRORS = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ERR_SOCKET_CLOSED', 'ETIMEDOUT']);
const GRPC_UNAVAILABLE = 14;

/** Which dependency an error (or one of its causes) says is unreachable, if any. */
export function unreachableDependency(err: unknown): Dependency | null {
  let e: unknown = err;
  // Not `instanceof Error`: Node's own socket errors come from another realm under Jest's sandbox.
  for (let depth = 0; depth < 6 && typeof e === 'object' && e !== null; depth += 1) {
    if (e instanceof MongoNetworkError || e instanceof MongoServerSelectionError) return 'store';
    const { code, stack, cause } = e as { code?: unknown; stack?: unknown; cause?: unknown };
    if (code === GRPC_UNAVAILABLE) return 'temporal';
    // The driver lets some socket errors through unwrapped (a write to a socket the server closed).
    if (typeof code === 'string' && SOCKET_ERRORS.has(code)) return /mongodb/.test(String(stack)) ? 'store' : 'temporal';
    e = cause;
  }
  return null;
}

/**
 * After the routes: a request whose own call found the store or Temporal gone before the monitor did (the
 * server died during the request) is answered 503 like the gate's, not 500. Other errors pass on.
 */
export function unavailableOnUnreachable(): ErrorRequestHandler {
  return (err, req, res, next) => {
    const dep = res.headersSent ? null : unreachableDependency(err);
    if (!dep) {
      next(err);
      return;
    }
    sendUnavailable(req, res, [dep]);
  };
}

/** /healthz: the process is alive (no dependency). /readyz: 200 when store and Temporal answer, else 503. */
export function healthRoutes(monitor: AvailabilityMonitor): Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
  });
  router.get('/readyz', (_req, res) => {
    const down = monitor.down();
    res.setHeader('Cache-Control', 'no-store');
    if (down.length > 0) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    res.status(down.length > 0 ? 503 : 200).json({ status: down.length > 0 ? 'unavailable' : 'ready', down, dependencies: monitor.snapshot() });
  });
  return router;
}
