// Redis for several app processes (REDIS_URL): the co-editing relay (server/collab/redis-relay.ts) and the
// shared rate-limit counters (server/http/rate-limit-store.ts), built once by the runtime. Without
// REDIS_URL nothing here is used and one process works on its own.
import { Redis } from 'ioredis';
import type { Logger } from '../../activities/infra/logger';
import { createRedisRelay, type CollabRelay } from '../collab/redis-relay';
import { redisRateLimitStores, type RateLimitStoreFactory } from '../http/rate-limit-store';

export interface RedisServices {
  relay: CollabRelay;
  rateLimitStores: RateLimitStoreFactory;
  /** One PING on the counters' connection (for /readyz and the cluster proxy). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export function connectRedis(url: string, logger: Logger): RedisServices {
  const relay = createRedisRelay({ url, logger: logger.child({ module: 'redis-relay' }) });
  const counters = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: (n: number) => Math.min(2000, 50 * n) });
  counters.on('error', (err: Error) => logger.debug({ err }, 'redis (rate limits) connection error'));
  return {
    relay,
    rateLimitStores: redisRateLimitStores(counters),
    async ping() {
      try {
        return counters.status === 'ready' && (await counters.ping()) === 'PONG' && relay.connected();
      } catch {
        return false;
      }
    },
    async close() {
      await Promise.all([relay.close(), counters.quit().catch(() => counters.disconnect())]);
    },
  };
}
