// Test harness for the web server: the real lifecycle harness (Temporal dev server, worker, FerretDB) of
// test/workflows/support.ts, the Express app from createApp on top, the demo accounts, and signed-in
// supertest agents with their CSRF tokens.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import type { Db } from 'mongodb';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createApp, type TongbiaoApp } from '../../../server/app';
import type { AppDeps } from '../../../server/app-deps';
import { DEMO_PASSWORD, seedDemoAccounts } from '../../../server/auth/demo-accounts';
import { loadConfig } from '../../../server/infra/config';
import { createLogger } from '../../../activities/infra/logger';
import { startHarness, type Harness, type HarnessOptions } from '../../workflows/support';

export interface AppHarness extends Harness {
  app: Express;
  tongbiao: TongbiaoApp;
  /** A fresh agent (own cookie jar) signed in as the demo account `username`, with its CSRF token. */
  signIn(username: string): Promise<SignedIn>;
  close(): Promise<void>;
}

export interface SignedIn {
  agent: TestAgent;
  csrf: string;
  userId: string;
  /** POST JSON with the CSRF header. */
  post(url: string, body: unknown): request.Test;
}

export function testConfig(): ReturnType<typeof loadConfig> {
  const dataDir = mkdtempSync(path.join(process.env.TONGBIAO_TEST_DATA_DIR ?? os.tmpdir(), 'app-'));
  return loadConfig({ ...process.env, TONGBIAO_DATA_DIR: dataDir, SESSION_SECRET: '', LOG_LEVEL: 'warn' });
}

/** Options: the lifecycle harness's, the sign-in rate limit, and extensions to mount (built on the harness's database). */
export type AppHarnessOptions = HarnessOptions & Partial<Pick<AppDeps, 'signInRateLimit'>> & { extensions?: (db: Db) => NonNullable<AppDeps['extensions']> };

export async function startAppHarness(name: string, opts: AppHarnessOptions = {}): Promise<AppHarness> {
  const h = await startHarness(name, opts);
  await seedDemoAccounts(h.db);
  const tongbiao = await createApp({
    config: testConfig(),
    db: h.db,
    lifecycle: h.service,
    logger: createLogger(`test-app-${name}`),
    signInRateLimit: opts.signInRateLimit ?? { windowMs: 60_000, limit: 1000 },
    ...(opts.extensions ? { extensions: opts.extensions(h.db) } : {}),
  });
  const app = tongbiao.app;
  return Object.assign(h, {
    app,
    tongbiao,
    async signIn(username: string): Promise<SignedIn> {
      const agent = request.agent(app);
      const res = await agent.post('/api/session').send({ username, password: DEMO_PASSWORD }).expect(200);
      const csrf = (res.body as { csrfToken: string }).csrfToken;
      return {
        agent,
        csrf,
        userId: (res.body as { user: { userId: string } }).user.userId,
        post: (url: string, body: unknown) => agent.post(url).set('X-CSRF-Token', csrf).send(body as object),
      };
    },
  });
}

export const sampleProposalBody = {
  titleZh: '示范区水污染物排放标准',
  titleEn: 'Discharge standard of water pollutants for the demonstration zone',
  kind: 'emissionStandard',
  mandatory: false,
  field: '水环境',
  scope: '本文件规定了示范区内水污染物排放限值。',
  leadUnits: ['上海市生态环境局'],
  participatingUnits: ['江苏省生态环境厅', '浙江省生态环境厅'],
  plannedYear: 2026,
  drafterUsernames: ['drafter-sh'],
};
