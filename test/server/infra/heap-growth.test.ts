// HEAP_GROWTH_PERCENT (server/infra/heap-growth.ts): set at run time, V8's growing factor changes how much garbage
// the old generation holds before a full collection. Each case runs in its own process with a 4 GiB heap limit
// (where V8's own factor is the largest), so the comparison does not depend on the machine's memory.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { applyHeapGrowth } from '../../../server/infra/heap-growth';
import { loadConfig } from '../../../server/infra/config';
import { AppError } from '../../../activities/infra/errors';

const run = promisify(execFile);
const CHILD = path.join(__dirname, 'heap-growth-child.ts');

async function peakOld(percent: number): Promise<{ live: number; peak: number }> {
  const { stdout } = await run(process.execPath, ['--max-old-space-size=4096', '--import', 'tsx', CHILD, String(percent)], { cwd: path.resolve(__dirname, '..', '..', '..') });
  return JSON.parse(stdout) as { live: number; peak: number };
}

describe('heap growth', () => {
  it('holds the old generation near its live size where V8 alone lets garbage pile up', async () => {
    const [own, capped] = await Promise.all([peakOld(0), peakOld(25)]);
    // Measured: V8's own factor 250 MB of old generation over a 45 MB live base; 25 % about 95 MB.
    expect(own.peak).toBeGreaterThan(2.5 * own.live);
    expect(capped.peak).toBeLessThan(own.peak / 2);
    expect(capped.peak).toBeLessThan(capped.live * 2.5 + 32 * 1048576);
  }, 120_000);

  it('refuses a negative or fractional percent', () => {
    expect(() => applyHeapGrowth(-1)).toThrow(RangeError);
    expect(() => applyHeapGrowth(12.5)).toThrow(RangeError);
  });

  it('is a validated setting with a default, refused in Chinese and English when bad', () => {
    expect(loadConfig({}).HEAP_GROWTH_PERCENT).toBe(50);
    expect(loadConfig({ HEAP_GROWTH_PERCENT: '0' }).HEAP_GROWTH_PERCENT).toBe(0);
    for (const bad of ['-5', '1000', 'lots', '7.5']) {
      let err: unknown;
      try {
        loadConfig({ HEAP_GROWTH_PERCENT: bad });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).messages.zh).toMatch(/^配置无效：HEAP_GROWTH_PERCENT/);
      expect((err as AppError).messages.en).toMatch(/^Invalid configuration: HEAP_GROWTH_PERCENT/);
    }
  });
});
