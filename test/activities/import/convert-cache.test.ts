// The .doc conversion cache: one conversion per content hash while it is fresh, shared by concurrent
// imports, a failure not kept, old entries dropped past the byte budget or the time limit.
import { createConversionCache } from '../../../activities/import';

const bytes = (s: string): Uint8Array => Buffer.from(s);

describe('conversion cache', () => {
  it('converts the same bytes once, shared by concurrent callers; other bytes convert again', async () => {
    const cache = createConversionCache();
    let runs = 0;
    const convert = async (): Promise<Buffer> => {
      runs++;
      await new Promise((r) => setTimeout(r, 20));
      return Buffer.from(`out${runs}`);
    };
    const [a, b] = await Promise.all([cache.get(bytes('doc1'), 'doc', convert), cache.get(bytes('doc1'), 'doc', convert)]);
    expect(a.toString()).toBe('out1');
    expect(b).toBe(a);
    expect((await cache.get(bytes('doc1'), 'doc', convert)).toString()).toBe('out1');
    expect((await cache.get(bytes('doc2'), 'doc', convert)).toString()).toBe('out2');
    expect(runs).toBe(2);
    expect(cache.conversions).toBe(2);
  });

  it('does not keep a failed conversion', async () => {
    const cache = createConversionCache();
    await expect(cache.get(bytes('bad'), 'doc', () => Promise.reject(new Error('soffice failed')))).rejects.toThrow('soffice failed');
    await new Promise((r) => setImmediate(r));
    expect((await cache.get(bytes('bad'), 'doc', async () => Buffer.from('ok'))).toString()).toBe('ok');
    expect(cache.conversions).toBe(2);
  });

  it('forgets conversions past the time limit and the oldest past the byte budget', async () => {
    let t = 0;
    const cache = createConversionCache({ maxBytes: 10, ttlMs: 1000, now: () => t });
    let runs = 0;
    const convert = async (): Promise<Buffer> => {
      runs++;
      return Buffer.alloc(6);
    };
    await cache.get(bytes('a'), 'doc', convert);
    t = 1001;
    await cache.get(bytes('a'), 'doc', convert);
    expect(runs).toBe(2);
    await cache.get(bytes('b'), 'doc', convert); // 12 bytes > 10: 'a' (the oldest) goes
    await new Promise((r) => setImmediate(r));
    await cache.get(bytes('b'), 'doc', convert);
    expect(runs).toBe(3);
    await cache.get(bytes('a'), 'doc', convert);
    expect(runs).toBe(4);
  });
});
