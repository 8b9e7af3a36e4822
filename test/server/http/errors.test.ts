// Errors never leak, on the real app with the comments router mounted as in production: bodies that fail
// to parse (over 100 kB, invalid UTF-8, unsupported charset) before any page local exists, unknown routes,
// undecodable path parameters, CSRF failures, rate limits, the store or Temporal unreachable, and a
// failing error handler. Each answer, HTML and JSON, is bilingual and carries no stack, no server path and
// no library message. And `Cache-Control: no-store` on everything that may show staff data, so Back after
// signing out cannot bring a staff page back from the browser's cache.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ServiceError } from '@temporalio/client';
import express, { type Express } from 'express';
import { MongoNetworkError, MongoNetworkTimeoutError, MongoServerSelectionError, MongoTopologyClosedError } from 'mongodb';
import request from 'supertest';
import { createApp } from '../../../server/app';
import { DEMO_PASSWORD } from '../../../server/auth/demo-accounts';
import { createCommentsRouter } from '../../../server/comments/router';
import { createErrorMiddleware, FALLBACK_ERROR_HTML, lastResortHandler } from '../../../server/http/error-middleware';
import { AppError } from '../../../activities/infra/errors';
import { createLogger } from '../../../activities/infra/logger';
import { startAppHarness, testConfig, type AppHarness } from './app-harness';

let h: AppHarness;
let app: Express;

/** A gRPC UNAVAILABLE as @grpc/grpc-js reports it, under Temporal's ServiceError. */
function grpcUnavailable(): ServiceError {
  const grpc = Object.assign(new Error('14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED 127.0.0.1:7233 at /work/main/node_modules/x.js:1:1'), {
    code: 14,
    details: 'No connection established',
    metadata: {},
  });
  return new ServiceError('Failed to query workflow', { cause: grpc });
}

const UNREACHABLE: Record<string, () => unknown> = {
  MongoServerSelectionError: () => new MongoServerSelectionError('Server selection timed out after 30000 ms at /work/main/node_modules/mongodb/lib/sdam/topology.js:1', { type: 'Unknown', servers: new Map(), stale: false, compatible: true, heartbeatFrequencyMS: 10000, localThresholdMS: 15, setName: null, maxElectionId: null, maxSetVersion: null, commonWireVersion: 0, logicalSessionTimeoutMinutes: null } as never),
  MongoNetworkError: () => new MongoNetworkError('connection 3 to 127.0.0.1:27018 closed'),
  MongoNetworkTimeoutError: () => new MongoNetworkTimeoutError('connection timed out'),
  MongoTopologyClosedError: () => new MongoTopologyClosedError(),
  'Temporal ServiceError (gRPC 14)': grpcUnavailable,
  'the lifecycle service wrapping Temporal unreachable': () => new AppError('INTERNAL', { zh: '流程服务出错', en: 'The lifecycle service failed' }, { cause: grpcUnavailable() }),
  // What the driver let through unwrapped in the soak when FerretDB was killed mid-request (a write to a
  // socket the server had closed): a plain Error with a socket code, raised inside the driver.
  'the MongoDB driver writing to a closed socket (EPIPE, unwrapped)': () =>
    Object.assign(new Error('This socket has been ended by the other party'), {
      code: 'EPIPE',
      stack: 'Error: This socket has been ended by the other party\n    at Socket.writeAfterFIN [as write] (node:net:566:14)\n    at Connection.writeCommand (/srv/tongbiao/node_modules/mongodb/src/cmap/connection.ts:720:21)',
    }),
  'Temporal ServiceError on a refused connection': () => new ServiceError('Failed to connect', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:7233'), { code: 'ECONNREFUSED' }) }),
};

async function buildApp(signInLimit = 1000): Promise<Express> {
  const built = await createApp({
    config: testConfig(),
    db: h.db,
    lifecycle: h.service,
    logger: createLogger('errors-test'),
    signInRateLimit: { windowMs: 60_000, limit: signInLimit },
    extensions: [
      ({ app: a }) => {
        a.use(createCommentsRouter({ db: h.db, getCommentDraft: async () => null, rateLimits: { perAddress: { windowMs: 60_000, limit: 100_000 }, perContact: { windowMs: 60_000, limit: 100_000 } } }));
        a.get('/ext/unreachable/:kind', (req) => {
          throw UNREACHABLE[String(req.params.kind)]();
        });
        a.get('/api/ext/unreachable/:kind', (req) => {
          throw UNREACHABLE[String(req.params.kind)]();
        });
        a.get('/ext/crash', () => {
          throw new Error('secret at /work/main/server/x.ts:12:3');
        });
      },
    ],
  });
  return built.app;
}

beforeAll(async () => {
  h = await startAppHarness('errors');
  app = await buildApp();
}, 60_000);

afterAll(async () => {
  await h?.close();
});

/** Nothing of an error: no stack frame, no server path, no library wording. */
function expectNoLeak(text: string): void {
  expect(text).not.toMatch(/\n\s*at\s/);
  expect(text).not.toMatch(/\bat \S+ \(|:\d+:\d+\)?/);
  for (const s of ['/work/', 'node_modules', '.ts:', '.js:', 'Unable to call', 'Template render error', 'Error:', 'ECONNREFUSED', 'Server selection', 'UNAVAILABLE:', 'secret']) expect(text).not.toContain(s);
}

const CJK = /[\u4e00-\u9fff]/;

function expectBilingualPage(res: request.Response, status: number, zh: string, en: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^text\/html/);
  expect(res.text).toContain('<!doctype html>');
  expect(res.text).toContain(zh);
  expect(res.text).toContain(en);
  expect(res.headers['cache-control']).toBe('no-store');
  expectNoLeak(res.text);
}

function expectBilingualJson(res: request.Response, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body.code).toBe(code);
  expect(res.body.message_zh).toMatch(CJK);
  expect(res.body.message_en).toMatch(/^[\x20-\x7e]+$/);
  expect(res.headers['cache-control']).toBe('no-store');
  expectNoLeak(res.text);
}

const BIG_FORM = `username=x&password=${'a'.repeat(150_000)}`;
const BAD_UTF8_FORM = 'comment=%FF%FE&name=x';
const FORM_TARGETS = ['/sign-in', '/consultation/std-x/comment'];

describe('bodies that fail to parse, before any page local exists', () => {
  it.each(FORM_TARGETS)('POST %s with invalid UTF-8: 400 page, and JSON for a JSON client', async (url) => {
    const page = await request(app).post(url).type('form').set('Accept', 'text/html').send(BAD_UTF8_FORM);
    expectBilingualPage(page, 400, '请求内容含无效的 UTF-8 字符', 'The request body contains invalid UTF-8');
    const json = await request(app).post(url).type('form').set('Accept', 'application/json').send(BAD_UTF8_FORM);
    expectBilingualJson(json, 400, 'BAD_REQUEST');
  });

  it.each(FORM_TARGETS)('POST %s over 100 kB: 413 page and JSON', async (url) => {
    const page = await request(app).post(url).type('form').set('Accept', 'text/html').send(BIG_FORM);
    expectBilingualPage(page, 413, '请求内容过大', 'Request body too large');
    const json = await request(app).post(url).type('form').set('Accept', 'application/json').send(BIG_FORM);
    expectBilingualJson(json, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('invalid UTF-8 JSON to the comment API and the lifecycle API: 400 JSON', async () => {
    // Raw bytes: supertest would serialise a Buffer as JSON.
    const server = http.createServer(app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      for (const url of ['/api/consultation/std-x/comments', '/api/session']) {
        const body = Buffer.concat([Buffer.from('{"comment":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
        const res = await fetch(`http://127.0.0.1:${port}${url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        const text = await res.text();
        expect([url, res.status, res.headers.get('cache-control')]).toEqual([url, 400, 'no-store']);
        expect(JSON.parse(text)).toMatchObject({ code: 'BAD_REQUEST', message_zh: '请求内容含无效的 UTF-8 字符', message_en: 'The request body contains invalid UTF-8' });
        expectNoLeak(text);
      }
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('an unsupported charset or content type: 415 page and JSON', async () => {
    const page = await request(app).post('/sign-in').set('Content-Type', 'application/x-www-form-urlencoded; charset=koi8-r').set('Accept', 'text/html').send('username=x');
    expectBilingualPage(page, 415, '不支持的请求编码', 'Unsupported request encoding');
    const json = await request(app).post('/api/session').set('Content-Type', 'text/plain').send('x');
    expectBilingualJson(json, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('speaks English first with ?lang=en or the language cookie, and still shows the Chinese', async () => {
    for (const req of [request(app).post('/sign-in?lang=en'), request(app).post('/sign-in').set('Cookie', 'tongbiao.lang=en')]) {
      const res = await req.type('form').set('Accept', 'text/html').send(BAD_UTF8_FORM);
      expectBilingualPage(res, 400, '请求内容含无效的 UTF-8 字符', 'The request body contains invalid UTF-8');
      expect(res.text).toContain('<html lang="en">');
      expect(res.text.indexOf('The request body contains invalid UTF-8')).toBeLessThan(res.text.indexOf('请求内容含无效的 UTF-8 字符'));
    }
  });
});

describe('routes and requests the app refuses', () => {
  it('an unknown route: 404 page and JSON, without echoing the path', async () => {
    const page = await request(app).get('/nothing-here/%3Cscript%3E').set('Accept', 'text/html');
    expectBilingualPage(page, 404, '找不到', 'No such page or endpoint');
    expect(page.text).not.toContain('script');
    expectBilingualJson(await request(app).get('/api/nothing-here'), 404, 'NOT_FOUND');
    expectBilingualJson(await request(app).get('/nothing-here').set('Accept', 'application/json'), 404, 'NOT_FOUND');
  });

  it('a path parameter that is not valid percent-encoding: 400, not the library message', async () => {
    const page = await request(app).get('/consultation/%E0%A4%A').set('Accept', 'text/html');
    expectBilingualPage(page, 400, '请求无效', 'Bad request');
    expectBilingualJson(await request(app).get('/api/consultation/%E0%A4%A/comments').set('Accept', 'application/json'), 400, 'BAD_REQUEST');
  });

  it('a form without its CSRF token: 403 page', async () => {
    const page = await request(app).post('/sign-out').type('form').set('Accept', 'text/html').send('x=1');
    expectBilingualPage(page, 403, '安全令牌无效或已过期', 'Invalid or expired security token');
  });

  it('too many sign-in attempts: 429 page and JSON', async () => {
    const limited = await buildApp(1);
    const agent = request.agent(limited);
    const token = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/sign-in').expect(200)).text)?.[1] ?? '';
    await agent.post('/sign-in').type('form').send({ _csrf: token, username: 'sh-eco', password: 'wrong' }).expect(401);
    const page = await agent.post('/sign-in').type('form').set('Accept', 'text/html').send({ _csrf: token, username: 'sh-eco', password: 'wrong' });
    expectBilingualPage(page, 429, '登录尝试过多', 'Too many sign-in attempts');
    expectBilingualJson(await request(limited).post('/api/session').send({ username: 'sh-eco', password: 'wrong' }), 429, 'RATE_LIMITED');
  });

  it('an unexpected error: 500 with an id, nothing of the error', async () => {
    const page = await request(app).get('/ext/crash').set('Accept', 'text/html');
    expectBilingualPage(page, 500, '服务器内部错误', 'Internal server error');
    expectBilingualJson(await request(app).get('/ext/crash').set('Accept', 'application/json'), 500, 'INTERNAL');
  });
});

describe('the store or Temporal unreachable', () => {
  it.each(Object.keys(UNREACHABLE))('%s: 503 with Retry-After 5, bilingual page and JSON', async (kind) => {
    const page = await request(app).get(`/ext/unreachable/${encodeURIComponent(kind)}`).set('Accept', 'text/html');
    expectBilingualPage(page, 503, '暂时无法服务，请稍后再试', 'Temporarily unavailable, please try again shortly');
    expect(page.headers['retry-after']).toBe('5');
    const json = await request(app).get(`/api/ext/unreachable/${encodeURIComponent(kind)}`);
    expectBilingualJson(json, 503, 'SERVICE_UNAVAILABLE');
    expect(json.body.message_en).toBe('Temporarily unavailable, please try again shortly');
    expect(json.headers['retry-after']).toBe('5');
  });
});

describe('no error reaches Express’s own handler', () => {
  it('answers the static bilingual page when the error handling itself fails', async () => {
    const broken = express();
    broken.get('/', () => {
      throw new Error('first at /work/main/a.ts:1:1');
    });
    broken.use((_err: unknown, _req: express.Request, _res: express.Response, _next: express.NextFunction) => {
      throw new Error('second at /work/main/b.ts:2:2');
    });
    broken.use(lastResortHandler);
    const res = await request(broken).get('/');
    expect(res.status).toBe(500);
    expect(res.text).toBe(FALLBACK_ERROR_HTML);
    expect(res.text).toMatch(CJK);
    expect(res.text).toContain('Something went wrong');
    expectNoLeak(res.text);
  });

  it('an error reported after the whole response was written (a failed session touch) does not cut the response short', async () => {
    const bare = express();
    const body = 'x'.repeat(8 * 1024 * 1024);
    bare.get('/', (_req, res, next) => {
      // As express-session does when the store fails to touch the session: end the response, then report.
      res.end(body);
      setImmediate(() => next(new Error('Unable to find the session to touch')));
    });
    bare.use(createErrorMiddleware(createLogger('bare')));
    const server = http.createServer(bare).listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      expect(res.status).toBe(200);
      expect((await res.text()).length).toBe(body.length);
    } finally {
      server.close();
    }
  });

  it('the error middleware answers on a bare app, with no other middleware before it', async () => {
    const bare = express();
    bare.use(express.urlencoded({ extended: false, limit: '1kb' }));
    bare.post('/', (_req, res) => {
      res.send('ok');
    });
    bare.use(createErrorMiddleware(createLogger('bare')));
    const res = await request(bare).post('/').type('form').set('Accept', 'text/html').send(`a=${'x'.repeat(5000)}`);
    expectBilingualPage(res, 413, '请求内容过大（上限 1 kB）', 'Request body too large (limit 1 kB)');
  });
});

describe('Cache-Control: no-store on everything that may show staff data', () => {
  it('staff pages, the API and the sign-in page are no-store; after sign-out Back cannot show them', async () => {
    const agent = request.agent(app);
    const signIn = await agent.get('/sign-in').expect(200);
    expect(signIn.headers['cache-control']).toBe('no-store');
    const token = /name="_csrf" value="([^"]+)"/.exec(signIn.text)?.[1] ?? '';
    await agent.post('/sign-in').type('form').send({ _csrf: token, username: 'sh-eco', password: DEMO_PASSWORD, next: '/standards' }).expect(303);

    const list = await agent.get('/standards').expect(200);
    expect(list.text).toContain('sign-out');
    expect(list.headers['cache-control']).toBe('no-store');
    for (const url of ['/notifications', '/standards/new', '/api/standards', '/api/me', '/consultation']) {
      const res = await agent.get(url);
      expect([url, res.headers['cache-control']]).toEqual([url, 'no-store']);
    }

    const out = /action="\/sign-out"[\s\S]*?name="_csrf" value="([^"]+)"/.exec(list.text)?.[1] ?? '';
    const signOut = await agent.post('/sign-out').type('form').send({ _csrf: out }).expect(303);
    expect(signOut.headers['cache-control']).toBe('no-store');
    // What Back would ask for again: nothing staff is served, and nothing was cacheable before.
    const back = await agent.get('/standards').expect(303);
    expect(back.headers.location).toBe('/sign-in?next=%2Fstandards');
    expect(back.headers['cache-control']).toBe('no-store');
    expect((await agent.get('/api/standards').expect(401)).headers['cache-control']).toBe('no-store');
  });

  it('public pages seen without a session and static files may be cached', async () => {
    for (const url of ['/consultation', '/static/style.css']) {
      const res = await request(app).get(url).expect(200);
      expect([url, res.headers['cache-control']]).not.toEqual([url, 'no-store']);
    }
    expect((await request(app).get('/api/consultation/std-x/comments')).headers['cache-control']).toBe('no-store');
  });
});
