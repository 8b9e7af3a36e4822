// settlesWithin: says whether a promise ended in time, never rejects itself, and leaves no timer behind.
import { settlesWithin } from '../../../activities/infra/settles-within';

describe('settlesWithin', () => {
  it('is true for a promise that resolves in time, and for one that rejects in time', async () => {
    await expect(settlesWithin(new Promise((r) => setTimeout(r, 10)), 1000)).resolves.toBe(true);
    const failing = Promise.reject(new Error('gone'));
    await expect(settlesWithin(failing, 1000)).resolves.toBe(true);
    await expect(failing).rejects.toThrow('gone');
  });

  it('is false, after about the given time, for one that never settles', async () => {
    const started = Date.now();
    await expect(settlesWithin(new Promise(() => undefined), 80)).resolves.toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(70);
  });

  it('clears its timer once the promise settled, so nothing keeps the process alive', async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    await settlesWithin(Promise.resolve(), 60_000);
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBe(before);
  });
});
