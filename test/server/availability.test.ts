// Self-healing end to end: a runtime on servers of its own (this file kills them with -9, so not the suite's
// shared ones). While FerretDB or the Temporal dev server is gone, pages and the API answer 503 within 2 s
// (not 500, not a 10 s hang), /readyz says which is down and /healthz stays 200; once the launcher has
// restarted it, everything answers 200 again by itself, and the worker takes new actions.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { DefaultLogger, Runtime as TemporalRuntime } from '@temporalio/worker';
import { seedDemoAccounts } from '../../server/auth/demo-accounts';
import { ensureUserIndexes } from '../../activities/data/users';
import { loadConfig } from '../../server/infra/config';
import { startRuntime, type Runtime } from '../../server/runtime';
import { freePort, launchEmbeddedServers, type EmbeddedServers } from '../../scripts/embedded/launcher';
import { ApiSession } from '../../scripts/demo-lifecycle-driver';
import type { LifecycleState } from '../../workflows/messages';
import { testBundleCacheDir } from '../support/bundle-cache';

jest.setTimeout(240_000);

let servers: EmbeddedServers;
let rt: Runtime;
let shEco: ApiSession;
let standardId: string;

beforeAll(async () => {
  try {
    TemporalRuntime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // already installed by another suite in this worker process
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tb-availability-'));
  servers = await launchEmbeddedServers({ dataDir, toolsDir: path.resolve(__dirname, '..', '..', '.tools'), temporalPort: await freePort(), mongoPort: await freePort() });
  const config = loadConfig({
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    MONGODB_DB: 'availability',
    TEMPORAL_TASK_QUEUE: `availability-${randomBytes(4).toString('hex')}`,
    TONGBIAO_DATA_DIR: dataDir,
    MONGODB_URI: servers.mongoUri,
    TEMPORAL_ADDRESS: servers.temporalAddress,
    LOG_LEVEL: 'warn',
  });
  rt = await startRuntime({ config, signInRateLimit: { windowMs: 60_000, limit: 1000 }, onUnacknowledgedWrite: 'throw', workflowBundleCacheDir: testBundleCacheDir() });
  await ensureUserIndexes(rt.mongo.db);
  await seedDemoAccounts(rt.mongo.db);
  shEco = await new ApiSession(rt.url, 'sh-eco').signIn();
  const record = await shEco.request<{ _id: string }>('POST', '/api/standards', {
    titleZh: '示范区大气污染物排放标准',
    titleEn: 'Emission standard of air pollutants for the demonstration zone',
    kind: 'emissionStandard',
    mandatory: false,
    field: '大气环境',
    scope: '大气污染物排放',
    leadUnits: ['上海市生态环境局'],
    participatingUnits: ['江苏省生态环境厅', '浙江省生态环境厅'],
    plannedYear: 2027,
    draftingUnits: ['上海市环境科学研究院'],
    drafters: ['张三'],
    drafterUsernames: [],
  });
  standardId = record._id;
});

afterAll(async () => {
  await rt?.stop();
  await servers?.stop();
});

interface Answer {
  status: number;
  ms: number;
  body: string;
  retryAfter: string | null;
}

async function get(urlPath: string, session?: ApiSession, accept = 'application/json'): Promise<Answer> {
  const t0 = Date.now();
  const res = await fetch(rt.url + urlPath, { headers: { accept, ...(session ? { cookie: session.cookieHeader() } : {}) }, redirect: 'manual' });
  const body = await res.text();
  return { status: res.status, ms: Date.now() - t0, body, retryAfter: res.headers.get('retry-after') };
}

async function post(urlPath: string, session: ApiSession, payload: unknown): Promise<Answer> {
  const t0 = Date.now();
  const res = await fetch(rt.url + urlPath, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json', cookie: session.cookieHeader(), 'x-csrf-token': session.csrfToken() },
    body: JSON.stringify(payload),
  });
  const body = await res.text();
  return { status: res.status, ms: Date.now() - t0, body, retryAfter: res.headers.get('retry-after') };
}

async function until(what: string, ms: number, probe: () => Promise<boolean>): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (await probe().catch(() => false)) return Date.now() - t0;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what}: not within ${ms} ms`);
}

function pidOf(name: string): number {
  const pid = servers.status().find((s) => s.name === name)?.pid;
  if (!pid) throw new Error(`no pid for ${name}`);
  return pid;
}

function expectUnavailable(a: Answer, json: boolean): void {
  expect(a.status).toBe(503);
  expect(a.ms).toBeLessThan(2000);
  expect(a.retryAfter).toBeTruthy();
  if (json) {
    expect(JSON.parse(a.body)).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message_zh: expect.stringContaining('暂时无法服务'), message_en: expect.stringContaining('unavailable') });
  } else {
    expect(a.body).toContain('暂时无法服务');
    expect(a.body).toContain('Temporarily unavailable');
  }
}

test('FerretDB killed: 503 within 2 s for pages and the API, /readyz 503, /healthz 200; 200 again by itself', async () => {
  expect((await get('/readyz')).status).toBe(200);
  const killedAt = Date.now();
  process.kill(pidOf('ferretdb'), 'SIGKILL');
  // Requests sent at once: in flight while the monitor notices, still answered within 2 s.
  const [page, api] = await Promise.all([get('/standards', shEco, 'text/html'), get(`/api/standards/${standardId}`, shEco)]);
  expectUnavailable(page, false);
  expectUnavailable(api, true);
  const ready = await get('/readyz');
  expect(ready.status).toBe(503);
  expect(JSON.parse(ready.body)).toMatchObject({ status: 'unavailable', down: ['store'] });
  expect((await get('/healthz')).status).toBe(200);
  // Every request meanwhile is a prompt 503 or, once FerretDB is back, a 200.
  const odd: Answer[] = [];
  const recoveredMs = await until('the API answers 200 again', 30_000, async () => {
    const a = await get(`/api/standards/${standardId}`, shEco);
    if (a.status !== 200 && (a.status !== 503 || a.ms >= 2000)) odd.push(a);
    return a.status === 200;
  });
  expect(odd).toEqual([]);
  expect((await get('/standards', shEco, 'text/html')).status).toBe(200);
  expect((await get('/readyz')).status).toBe(200);
  console.log(`FerretDB kill -9: first 503s in ${page.ms} / ${api.ms} ms; 200 again ${Date.now() - killedAt} ms after the kill (${recoveredMs} ms of polling)`);
});

test('Temporal killed: state and actions answer 503 within 2 s; then 200 again, and the worker takes a new action', async () => {
  await until('ready before the kill', 30_000, async () => (await get('/readyz')).status === 200);
  const msa = await new ApiSession(rt.url, 'sh-msa').signIn();
  const killedAt = Date.now();
  process.kill(pidOf('temporal'), 'SIGKILL');
  const [state, action] = await Promise.all([
    get(`/api/standards/${standardId}/state`, shEco),
    post(`/api/standards/${standardId}/actions/decideInitiation`, msa, { province: 'SH', decision: 'approve' }),
  ]);
  expectUnavailable(state, true);
  expectUnavailable(action, true);
  const ready = await get('/readyz');
  expect(ready.status).toBe(503);
  expect(JSON.parse(ready.body)).toMatchObject({ down: ['temporal'] });
  expect((await get('/healthz')).status).toBe(200);
  const odd: Answer[] = [];
  const recoveredMs = await until('the state answers 200 again', 30_000, async () => {
    const a = await get(`/api/standards/${standardId}/state`, shEco);
    if (a.status !== 200 && (a.status !== 503 || a.ms >= 2000)) odd.push(a);
    return a.status === 200;
  });
  expect(odd).toEqual([]);
  const upAt = Date.now();
  // The worker polls again (recovered by itself or re-created by the supervisor): a new action goes through.
  // (Not SH's again: the request answered 503 above may still have reached the workflow once Temporal was
  // back, as a request cut off by any timeout may.)
  const jsMsa = await new ApiSession(rt.url, 'js-msa').signIn();
  let last: Answer | undefined;
  const after = await until('an action is taken after recovery', 60_000, async () => {
    last = await post(`/api/standards/${standardId}/actions/decideInitiation`, jsMsa, { province: 'JS', decision: 'approve' });
    return last.status === 200;
  }).catch((e: unknown) => {
    throw new Error(`${String(e)}; last answer ${last?.status} ${last?.body}`);
  });
  const s = await shEco.request<LifecycleState>('GET', `/api/standards/${standardId}/state`);
  expect(JSON.stringify(s)).toContain('JS');
  console.log(`Temporal kill -9: first 503s in ${state.ms} / ${action.ms} ms; state 200 again ${upAt - killedAt} ms after the kill (${recoveredMs} ms of polling); action taken ${after} ms later; worker restarts ${rt.workerSupervisor?.restarts()}`);
});
