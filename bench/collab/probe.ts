// A tiny HTTP probe every benchmarked server process mounts: CPU time and heap (after a forced GC, when
// the process runs with --expose-gc), "load this document" for the heap-per-document measurement, and the
// stalls since the last ask (event-loop delay, GC pauses) to tell a latency tail's cause.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createStallMeter } from './stalls';

export interface ProbeDeps {
  /** Loads (and keeps loaded) a document by name. */
  loadDoc(name: string): Promise<unknown>;
}

const collect = (globalThis as { gc?: () => void }).gc;
let stalls: ReturnType<typeof createStallMeter> | undefined;

/** Answers `/__probe/*` requests; returns false for other paths. */
export function startProbe(req: IncomingMessage, res: ServerResponse, deps: ProbeDeps): boolean {
  const url = new URL(req.url ?? '/', 'http://x');
  if (!url.pathname.startsWith('/__probe/')) return false;
  const reply = (body: unknown): void => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const fail = (e: unknown): void => {
    res.writeHead(500).end(String(e));
  };
  switch (url.pathname) {
    case '/__probe/cpu': {
      const u = process.cpuUsage();
      reply({ userMicros: u.user, systemMicros: u.system });
      return true;
    }
    case '/__probe/heap': {
      if (collect) {
        collect();
        collect();
      }
      reply({ heapUsed: process.memoryUsage().heapUsed, gc: Boolean(collect) });
      return true;
    }
    case '/__probe/load': {
      const names = (url.searchParams.get('docs') ?? '').split(',').filter(Boolean);
      const started = performance.now();
      Promise.all(names.map((n) => deps.loadDoc(n))).then(() => reply({ ms: performance.now() - started }), fail);
      return true;
    }
    case '/__probe/stalls': {
      // The first ask starts the meter; each ask answers what happened since the one before and resets.
      stalls ??= createStallMeter();
      reply(stalls.take());
      return true;
    }
    default:
      res.writeHead(404).end();
      return true;
  }
}
