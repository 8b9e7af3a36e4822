// A start-up step that failed is started again by the next caller, and callers during an attempt share it.
import { retryingReady } from '../../../server/infra/retrying-ready';

test('a failed attempt is reported and not kept; the next call runs the step again', async () => {
  let runs = 0;
  const failures: unknown[] = [];
  const ready = retryingReady(async () => {
    runs += 1;
    if (runs === 1) throw new Error('store away');
  }, (e) => failures.push(e));
  await expect(ready()).rejects.toThrow('store away');
  expect(failures).toHaveLength(1);
  await expect(ready()).resolves.toBeUndefined();
  await expect(ready()).resolves.toBeUndefined();
  expect(runs).toBe(2);
});

test('callers during an attempt share it', async () => {
  let runs = 0;
  let finish: () => void = () => undefined;
  const ready = retryingReady(() => {
    runs += 1;
    return new Promise<void>((r) => (finish = r));
  }, () => undefined);
  const a = ready();
  const b = ready();
  finish();
  await Promise.all([a, b]);
  expect(runs).toBe(1);
});
