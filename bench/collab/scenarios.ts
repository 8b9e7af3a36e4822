// The benchmark scenarios, each run against one server process. Latency is measured where an update is
// applied by a 'full' observer: the time from the writer's edit to the observer seeing it (same process,
// same clock). Every op is one Y.Array push of a unique id.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from 'mongodb';
import { BenchClient, type ClientMode, type ServerKind } from './client';
import { readStoredDocument, seedDocument, serverCpuMicros, serverHeap, serverLoad, startServer, type ServerProcess } from './harness';

export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

interface Room {
  writers: BenchClient[];
  observers: BenchClient[];
  drains: BenchClient[];
  sentAt: Map<string, number>;
  latencies: Array<{ id: string; ms: number }>;
  close(): void;
  all(): BenchClient[];
}

async function openRoom(kind: ServerKind, port: number, docName: string, counts: { writers: number; observers: number; drains: number }): Promise<Room> {
  const make = (mode: ClientMode, n: number, prefix: string) => Array.from({ length: n }, (_, i) => new BenchClient(kind, port, docName, mode, `${prefix}${i}`));
  const writers = make('write', counts.writers, 'w');
  const observers = make('full', counts.observers, 'o');
  const drains = make('drain', counts.drains, 'd');
  const sentAt = new Map<string, number>();
  const latencies: Array<{ id: string; ms: number }> = [];
  for (const o of observers) {
    o.doc!.getArray<string>('ops').observe((e) => {
      const now = performance.now();
      for (const d of e.changes.delta) {
        if (!d.insert) continue;
        for (const id of d.insert as string[]) {
          const t = sentAt.get(id);
          if (t !== undefined) latencies.push({ id, ms: now - t });
        }
      }
    });
  }
  const all = () => [...writers, ...observers, ...drains];
  await Promise.all(all().map((c) => c.synced));
  return { writers, observers, drains, sentAt, latencies, all, close: () => all().forEach((c) => c.close()) };
}

/** Each writer pushes ops at `perWriterRate` per second for `ms`, phases spread. */
async function drive(room: Room, perWriterRate: number, ms: number, tag: string): Promise<number> {
  const interval = 1000 / perWriterRate;
  let sent = 0;
  const timers = room.writers.map((w, i) => {
    let n = 0;
    const start = performance.now() + (i / room.writers.length) * interval;
    return setInterval(() => {
      // Catch up when timers fire late so the offered rate is what was asked for.
      const due = Math.floor((performance.now() - start) / interval) + 1;
      while (n < due) {
        const id = `${tag}:${i}:${n++}`;
        room.sentAt.set(id, performance.now());
        w.doc!.getArray<string>('ops').push([id]);
        sent += 1;
      }
    }, Math.max(1, Math.floor(interval)));
  });
  await sleep(ms);
  timers.forEach(clearInterval);
  return sent;
}

export interface PropagationResult {
  p50: number;
  p99: number;
  samples: number;
  delivered: number;
}

function latencyOf(room: Room, prefix: string, expected: number): PropagationResult {
  const xs = room.latencies.filter((l) => l.id.startsWith(prefix)).map((l) => l.ms);
  return { p50: percentile(xs, 50), p99: percentile(xs, 99), samples: xs.length, delivered: xs.length / Math.max(1, expected) };
}

/** 20 users × 5 ops/s on one document. */
export async function propagation(kind: ServerKind, port: number, seconds: number): Promise<PropagationResult> {
  const room = await openRoom(kind, port, `prop-${kind}`, { writers: 20, observers: 3, drains: 0 });
  const sent = await drive(room, 5, seconds * 1000, 'p');
  await sleep(1000);
  room.close();
  return latencyOf(room, 'p:', sent * room.observers.length);
}

export interface FanoutResult extends PropagationResult {
  cpuMicrosPerDelivered: number;
  deliveredFrames: number;
}

/** One writer and 50 observers: latency and server CPU per delivered update. */
export async function fanout(kind: ServerKind, port: number, seconds: number): Promise<FanoutResult> {
  const room = await openRoom(kind, port, `fan-${kind}`, { writers: 1, observers: 3, drains: 47 });
  await sleep(300);
  const frames0 = room.all().reduce((n, c) => n + c.received, 0);
  const cpu0 = await serverCpuMicros(port);
  const sent = await drive(room, 20, seconds * 1000, 'f');
  await sleep(800);
  const cpu1 = await serverCpuMicros(port);
  const frames = room.all().reduce((n, c) => n + c.received, 0) - frames0;
  room.close();
  // Delivered updates = updates sent × receivers (a server may pack several into one frame).
  const receivers = room.observers.length + room.drains.length;
  return { ...latencyOf(room, 'f:', sent * room.observers.length), cpuMicrosPerDelivered: (cpu1 - cpu0) / Math.max(1, sent * receivers), deliveredFrames: frames };
}

export interface KneeStep {
  rate: number;
  /** The rate the bench process actually offered (ops sent ÷ step time). */
  offered: number;
  p99: number;
  delivered: number;
  ok: boolean;
}

/** How the ramp ended: the server's knee was passed, the bench process could not offer the rate, or the
 *  top of the ramp was reached. */
export type KneeEnd = 'server' | 'client' | 'ceiling';

/**
 * Ramps the total offered rate and stops at the first step that fails; the knee is the highest rate with
 * p99 ≤ `maxP99` and everything delivered (updates still missing a second after the step = acks behind).
 * A step where the bench process offered under 90 % of the rate ends the ramp as client-limited.
 */
export async function knee(kind: ServerKind, port: number, rates: number[], stepMs: number, maxP99: number): Promise<{ knee: number; steps: KneeStep[]; end: KneeEnd }> {
  const room = await openRoom(kind, port, `knee-${kind}`, { writers: 20, observers: 2, drains: 0 });
  const steps: KneeStep[] = [];
  let kneeRate = 0;
  let end: KneeEnd = 'ceiling';
  for (const [i, rate] of rates.entries()) {
    const sent = await drive(room, rate / room.writers.length, stepMs, `k${i}`);
    await sleep(1000);
    const r = latencyOf(room, `k${i}:`, sent * room.observers.length);
    const offered = sent / (stepMs / 1000);
    const ok = r.p99 <= maxP99 && r.delivered >= 0.999;
    steps.push({ rate, offered, p99: r.p99, delivered: r.delivered, ok });
    if (offered < 0.9 * rate) {
      end = 'client';
      break;
    }
    if (!ok) {
      end = 'server';
      break;
    }
    kneeRate = rate;
  }
  room.close();
  return { knee: kneeRate, steps, end };
}

/** Cold loads of distinct copies of the large document: time until its bytes arrived at a fresh client. */
export async function coldLoads(kind: ServerKind, port: number, db: Db, state: Uint8Array, copies: number): Promise<{ p50: number; p95: number; samples: number[] }> {
  const names = Array.from({ length: copies }, (_, i) => `cold-${kind}-${i}`);
  for (const n of names) await seedDocument(kind, db, n, state);
  const samples: number[] = [];
  for (const n of names) {
    const started = performance.now();
    const c = new BenchClient(kind, port, n, 'drain', 'cold');
    const deadline = started + 20_000;
    while (c.bytesReceived < state.byteLength * 0.95 && performance.now() < deadline) await sleep(2);
    samples.push(performance.now() - started);
    c.close();
    await sleep(50);
  }
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), samples };
}

/** Heap growth per loaded (editable) copy of the large document, after forced GCs. */
export async function heapPerDocument(kind: ServerKind, port: number, db: Db, state: Uint8Array, copies: number): Promise<number> {
  const names = Array.from({ length: copies }, (_, i) => `heap-${kind}-${i}`);
  for (const n of names) await seedDocument(kind, db, n, state);
  const before = await serverHeap(port);
  await serverLoad(port, names);
  const after = await serverHeap(port);
  return (after - before) / copies;
}

/** The kill trials' edits: every 20 ms each writer pushes a fresh id (`x:<writer>:<n>`) onto the shared
 *  `ops` array and records it in `pushed[writer]`, so what was acknowledged can be looked for afterwards.
 *  Returns the timers (clear them to stop). */
export function pushEvery20ms(writers: BenchClient[], pushed: string[][]): ReturnType<typeof setInterval>[] {
  return writers.map((w, i) =>
    setInterval(() => {
      const id = `x:${i}:${pushed[i].length}`;
      pushed[i].push(id);
      w.doc!.getArray<string>('ops').push([id]);
    }, 20),
  );
}

export interface KillResult {
  trials: number;
  acknowledged: number;
  acknowledgedLost: number;
  /** Ops an observer had received through the server (so the server had them) but storage lacked. */
  relayedLost: number;
  relayed: number;
}

/**
 * kill -9 trials: three writers type (50 ops/s each) while one observer watches; the server is killed;
 * storage is read directly. Ours acknowledges through save barriers; Hocuspocus through its SyncStatus
 * message (what its provider shows as "synced"); the y-websocket reference acknowledges nothing.
 */
export async function killTrials(kind: ServerKind, port: number, mongoUri: string, db: Db, dbName: string, trials: number, limits: Record<string, number>): Promise<KillResult> {
  const result: KillResult = { trials, acknowledged: 0, acknowledgedLost: 0, relayedLost: 0, relayed: 0 };
  for (let t = 0; t < trials; t++) {
    const server: ServerProcess = await startServer(kind, port, mongoUri, dbName, limits);
    const docName = `kill-${kind}-${t}`;
    const room = await openRoom(kind, port, docName, { writers: 3, observers: 1, drains: 0 });
    const acked = new Set<string>();
    const pushed = room.writers.map(() => [] as string[]);
    room.writers.forEach((w, i) => {
      const coveredBy = new Map<number, number>();
      let token = 0;
      if (kind === 'ours') {
        const timer = setInterval(() => {
          token += 1;
          coveredBy.set(token, pushed[i].length);
          w.barrier(token);
        }, 30);
        w.ws.once('close', () => clearInterval(timer));
      }
      w.onAck((k) => {
        // Ours: barrier k covers what was pushed before it; Hocuspocus: ack k covers message k, and its first
        // acknowledged message is the sync step 2 sent on connect.
        const n = kind === 'ours' ? (coveredBy.get(k) ?? 0) : Math.max(0, k - 1);
        for (let j = 0; j < n && j < pushed[i].length; j++) acked.add(pushed[i][j]);
      });
    });
    const timers = pushEvery20ms(room.writers, pushed);
    await sleep(1200 + Math.floor(Math.random() * 600));
    await server.kill9();
    timers.forEach(clearInterval);
    const relayed = new Set(room.observers[0].doc!.getArray<string>('ops').toArray());
    room.close();
    const stored = await readStoredDocument(kind, db, docName);
    const have = new Set(stored.getArray<string>('ops').toArray());
    stored.destroy();
    result.acknowledged += acked.size;
    result.relayed += relayed.size;
    for (const id of acked) if (!have.has(id)) result.acknowledgedLost += 1;
    for (const id of relayed) if (!have.has(id)) result.relayedLost += 1;
  }
  return result;
}

