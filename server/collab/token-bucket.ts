// A token bucket: `rate` tokens per second up to `burst`. Used for messages per socket and for new
// connections per remote address.

export interface TokenBucket {
  /** Takes one token; false when the bucket is empty. */
  take(now?: number): boolean;
}

export function createTokenBucket(rate: number, burst: number, now: number = Date.now()): TokenBucket {
  let tokens = burst;
  let last = now;
  return {
    take(t = Date.now()) {
      tokens = Math.min(burst, tokens + ((t - last) / 1000) * rate);
      last = t;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}

/** Buckets by key (remote address), forgetting keys idle long enough to be full again. */
export function createKeyedBuckets(rate: number, burst: number): { take(key: string): boolean; size(): number } {
  const buckets = new Map<string, { bucket: TokenBucket; lastUse: number }>();
  const refillMs = (burst / rate) * 1000;
  let lastSweep = Date.now();
  return {
    take(key) {
      const now = Date.now();
      if (now - lastSweep > refillMs && buckets.size > 0) {
        for (const [k, v] of buckets) if (now - v.lastUse > refillMs) buckets.delete(k);
        lastSweep = now;
      }
      let entry = buckets.get(key);
      if (!entry) {
        entry = { bucket: createTokenBucket(rate, burst, now), lastUse: now };
        buckets.set(key, entry);
      }
      entry.lastUse = now;
      return entry.bucket.take(now);
    },
    size: () => buckets.size,
  };
}
