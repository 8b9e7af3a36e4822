// Rate limits shared by several app processes: two app instances with the Redis store (a real Redis)
// count the same failed sign-ins, so the limit is not multiplied by the number of processes; the store
// counts concurrent hits exactly.
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../../server/app';
import { createLogger } from '../../../activities/infra/logger';
import { connectRedis, type RedisServices } from '../../../server/infra/redis';
import type { EmbeddedRedis } from '../../../scripts/embedded/redis';
import { startTestRedis } from '../../support/redis';
import { startAppHarness, testConfig, type AppHarness } from './app-harness';

jest.setTimeout(120_000);

let h: AppHarness;
let apps: Express[];
let redis: EmbeddedRedis;
const services: RedisServices[] = [];

beforeAll(async () => {
  h = await startAppHarness('rate-limit-shared');
  redis = await startTestRedis('limits');
  const config = testConfig();
  apps = await Promise.all(
    ['a', 'b'].map(async (n) => {
      // Each instance its own connections, as each process has.
      const r = connectRedis(redis.url, createLogger(`redis-${n}`));
      services.push(r);
      return (await createApp({ config, db: h.db, lifecycle: h.service, logger: createLogger(`limit-${n}`), signInRateLimit: { windowMs: 60_000, limit: 4 }, rateLimitStores: r.rateLimitStores })).app;
    }),
  );
  await until(async () => (await Promise.all(services.map((s) => s.ping()))).every(Boolean));
});
afterAll(async () => {
  for (const s of services) await s.close();
  await redis?.stop();
  await h?.close();
});

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100 && !(await check()); i++) await new Promise((r) => setTimeout(r, 50));
}

test('failed sign-ins spread over two instances count against one limit', async () => {
  const attempt = (app: Express) => request(app).post('/api/session').send({ username: 'sh-eco', password: 'wrong' });
  // Alternating between the instances (a round-robin proxy): 4 failures in all, then both refuse.
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) statuses.push((await attempt(apps[i % 2])).status);
  expect(statuses).toEqual([401, 401, 401, 401]);
  expect((await attempt(apps[0])).status).toBe(429);
  expect((await attempt(apps[1])).status).toBe(429);
});

test('concurrent hits on two processes are all counted', async () => {
  const stores = services.map((s) => s.rateLimitStores('t:'));
  for (const st of stores) void st.init?.({ windowMs: 60_000 } as Parameters<NonNullable<typeof st.init>>[0]);
  const hits = await Promise.all(Array.from({ length: 40 }, (_, i) => stores[i % 2].increment('k')));
  expect(hits.map((x) => x.totalHits).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  await stores[0].decrement('k');
  expect((await stores[1].increment('k')).totalHits).toBe(40);
  await stores[1].resetKey('k');
  expect((await stores[0].increment('k')).totalHits).toBe(1);
});
