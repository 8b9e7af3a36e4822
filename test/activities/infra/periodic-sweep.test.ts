// The periodic clean-up: one run at a time, failures logged and retried on the next tick, and a failure
// that no run can get past (a closed client) ends the timer instead of failing every tick.
import pino from 'pino';
import { startPeriodicSweep } from '../../../activities/infra/periodic-sweep';

function capture() {
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = pino({ level: 'debug' }, { write: (l: string) => void lines.push(JSON.parse(l) as { level: number; msg: string }) });
  return { lines, logger };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('startPeriodicSweep', () => {
  it('never runs twice at once: ticks during a slow run join it', async () => {
    const { logger } = capture();
    let inFlight = 0;
    let most = 0;
    let runs = 0;
    const sweep = startPeriodicSweep({
      run: async () => {
        inFlight++;
        runs++;
        most = Math.max(most, inFlight);
        await wait(60);
        inFlight--;
        return 0;
      },
      everyMs: 5,
      logger,
      done: (n) => [{ n }, 'removed'],
      failed: 'failed',
    });
    await wait(300);
    sweep.stop();
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(most).toBe(1);
  });

  it('logs an ordinary failure and tries again on the next tick', async () => {
    const { lines, logger } = capture();
    let runs = 0;
    const sweep = startPeriodicSweep({
      run: async () => {
        runs++;
        if (runs === 1) throw new Error('store away');
        return 2;
      },
      everyMs: 10,
      logger,
      done: (n) => [{ n }, 'removed'],
      failed: 'sweep failed',
    });
    await wait(120);
    sweep.stop();
    expect(lines.filter((l) => l.msg === 'sweep failed')).toHaveLength(1);
    expect(lines.some((l) => l.msg === 'removed')).toBe(true);
  });

  it('ends its timer on a failure it cannot get past, logging that once', async () => {
    const { lines, logger } = capture();
    class Closed extends Error {}
    let runs = 0;
    startPeriodicSweep({
      run: async () => {
        runs++;
        await wait(20);
        throw new Closed('client closed');
      },
      everyMs: 5,
      logger,
      done: (n) => [{ n }, 'removed'],
      failed: 'sweep failed',
      endsOn: { test: (e) => e instanceof Closed, ended: 'sweep ended' },
    });
    await wait(200);
    expect(runs).toBe(1);
    expect(lines.filter((l) => l.msg === 'sweep ended')).toHaveLength(1);
    expect(lines.filter((l) => l.msg === 'sweep failed')).toHaveLength(0);
  });
});
