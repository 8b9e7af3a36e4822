// Redis for several app processes (REDIS_URL): the co-editing relay (server/collab/redis-relay.ts) and the
// shared rate-limit counters (server/http/rate-limit-store.ts), built once by the runtime. Without
// REDIS_URL nothing here is used and one process works on its own.
import { Redis } from 'ioredis';
import type { Logger } from '../../activities/infra/logger';
import { createRedisRelay, type CollabRelay } from '../collab/redis-relay';
import { redisRateLimitStores, type RateLimitStoreFactory } from '../http/rate-limit-store';
import type { AvailabilityMonitor, DependencyState } from './availability';

export interface RedisServices {
  relay: CollabRelay;
  rateLimitStores: RateLimitStoreFactory;
  /** One PING on the counters' connection, and the relay's connections up. */
  ping(): Promise<boolean>;
  /** The monitor with Redis in its /readyz `dependencies`. Redis being away does not make the process
   * unready nor answer 503: each process keeps serving (co-editing within itself; the limits let requests
   * through) and resynchronises when Redis is back, so a load balancer must not take every process out. */
  reportIn(monitor: AvailabilityMonitor): AvailabilityMonitor;
  close(): Promise<void>;
}

export function connectRedis(url: string, logger: Logger): RedisServices {
  const relay = createRedisRelay({ url, logger: logger.child({ module: 'redis-relay' }) });
  const counters = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: (n: number) => Math.min(2000, 50 * n) });
  counters.on('error', (err: Error) => logger.debug({ err }, 'redis (rate limits) connection error'));
  const ping = async (): Promise<boolean> => {
    try {
      return counters.status === 'ready' && (await counters.ping()) === 'PONG' && relay.connected();
    } catch {
      return false;
    }
  };
  const state: DependencyState = { up: false, since: new Date().toISOString(), outages: 0 };
  const probe = setInterval(() => {
    void ping().then((up) => {
      if (up === state.up) return;
      state.up = up;
      state.since = new Date().toISOString();
      if (!up) state.outages += 1;
    });
  }, 500);
  probe.unref();
  return {
    relay,
    rateLimitStores: redisRateLimitStores(counters),
    ping,
    reportIn(monitor) {
      return { ...monitor, snapshot: () => ({ ...monitor.snapshot(), redis: { ...state } }) };
    },
    async close() {
      clearInterval(probe);
      await Promise.all([relay.close(), counters.quit().catch(() => counters.disconnect())]);
    },
  };
}
