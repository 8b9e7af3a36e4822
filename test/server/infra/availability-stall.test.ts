// The availability monitor judges a probe by the time the process was free to read its answer: a stall of
// the event loop (a large upload parsed, a long GC) must not mark a healthy dependency down — that answered
// 503 to the requests after it — while a dependency that really never answers is still found down.
import { execFile } from 'node:child_process';
import { createAvailabilityMonitor, type AvailabilityCheck } from '../../../server/infra/availability';
import { createRootLogger } from '../../../activities/infra/logger';

const logger = createRootLogger('silent');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function blockEventLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy: nothing else runs, as in a synchronous parse of a large file
  }
}

test('a stalled event loop does not mark a dependency that answers as down', async () => {
  // A real round trip: the answer arrives as I/O (a child process exiting after 50 ms), read only when the
  // event loop is free again — after the overdue timers, as a store's reply on its socket would be.
  let probeStarted: () => void = () => undefined;
  const inFlight = new Promise<void>((r) => (probeStarted = r));
  const check: AvailabilityCheck = {
    name: 'store',
    run: () => {
      probeStarted();
      return new Promise<void>((resolve, reject) => execFile('sleep', ['0.05'], (e) => (e ? reject(e) : resolve())));
    },
  };
  const monitor = createAvailabilityMonitor({ checks: [check], logger, intervalMs: 100, hungAfterMs: 500 });
  try {
    await inFlight;
    blockEventLoop(1500);
    await sleep(400);
    expect(monitor.snapshot().store.outages).toBe(0);
    expect(monitor.down()).toEqual([]);
  } finally {
    await monitor.stop();
  }
});

test('a dependency that never answers is still marked down while the loop runs freely', async () => {
  const check: AvailabilityCheck = { name: 'store', run: () => new Promise<void>(() => undefined) };
  const monitor = createAvailabilityMonitor({ checks: [check], logger, intervalMs: 100, hungAfterMs: 500 });
  try {
    // Marked down after hungAfterMs (500); polled up to 5 s since a loaded machine runs timers late.
    const start = Date.now();
    while (monitor.down().length === 0 && Date.now() - start < 5000) await sleep(50);
    expect(monitor.down()).toEqual(['store']);
    expect(Date.now() - start).toBeGreaterThanOrEqual(450);
  } finally {
    await monitor.stop();
  }
});
