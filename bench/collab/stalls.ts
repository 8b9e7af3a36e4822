// What stalled a process between two readings: the event loop's longest delay and 99th percentile
// (monitorEventLoopDelay) and its GC pauses (longest, total). Used by the benchmark's server probe and by
// the bench process itself, to tell whether a latency tail came from garbage collection or from the
// process waiting for a CPU.
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

export interface Stalls {
  loopDelayMaxMs: number;
  loopDelayP99Ms: number;
  gcMaxMs: number;
  gcTotalMs: number;
}

export function createStallMeter(): { take(): Stalls; stop(): void } {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  let gcMaxMs = 0;
  let gcTotalMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gcMaxMs = Math.max(gcMaxMs, e.duration);
      gcTotalMs += e.duration;
    }
  });
  gc.observe({ entryTypes: ['gc'] });
  return {
    take() {
      const out = { loopDelayMaxMs: loop.max / 1e6, loopDelayP99Ms: loop.percentile(99) / 1e6, gcMaxMs, gcTotalMs };
      loop.reset();
      gcMaxMs = 0;
      gcTotalMs = 0;
      return out;
    },
    stop() {
      loop.disable();
      gc.disconnect();
    },
  };
}
