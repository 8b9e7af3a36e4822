// An express-rate-limit Store in Redis (REDIS_URL), so the limits are the same whatever the number of app
// processes behind the address: one key per limiter and client, counted with one atomic script (INCR,
// and the window's expiry set by the first hit, as express-rate-limit's memory store counts). Without
// Redis each process keeps the memory store (one process works as before). The embedded FerretDB is no
// place for such counters: an $inc there is a read-modify-write (50 concurrent $inc of one document
// counted 8), and a row per hit made a burst of 2,000 submissions take minutes.
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type { Redis } from 'ioredis';

const INCREMENT = `
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { hits, ttl }`;

const DECREMENT = `
if redis.call('GET', KEYS[1]) and tonumber(redis.call('GET', KEYS[1])) > 0 then
  return redis.call('DECR', KEYS[1])
end
return 0`;

/** Makes one store per limiter (express-rate-limit refuses to share a store between limiters). While Redis
 * is away the limiters let requests through (`passOnStoreError`) rather than refuse every sign-in. */
export type RateLimitStoreFactory = (prefix: string) => Store;

export class RedisRateLimitStore implements Store {
  /** Counts are shared between processes. */
  readonly localKeys = false;
  private windowMs = 60_000;

  constructor(
    private readonly redis: Redis,
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  private key(key: string): string {
    return `tongbiao:rl:${this.prefix}${key}`;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const [hits, ttl] = (await this.redis.eval(INCREMENT, 1, this.key(key), String(this.windowMs))) as [number, number];
    return { totalHits: hits, resetTime: new Date(Date.now() + ttl) };
  }

  async decrement(key: string): Promise<void> {
    await this.redis.eval(DECREMENT, 1, this.key(key));
  }

  async resetKey(key: string): Promise<void> {
    await this.redis.del(this.key(key));
  }
}

export function redisRateLimitStores(redis: Redis): RateLimitStoreFactory {
  return (prefix) => new RedisRateLimitStore(redis, prefix);
}
