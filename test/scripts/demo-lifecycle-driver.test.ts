// The API client of the demo driver (and of many tests' set-up) waits out a brief 503 "temporarily
// unavailable" as the app's Retry-After asks, for reads and the sign-in — and never repeats an action.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiSession } from '../../scripts/demo-lifecycle-driver';

let server: http.Server;
let base = '';
const seen: string[] = [];
let unavailableFor = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => {
      if (unavailableFor > 0) {
        unavailableFor -= 1;
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' }).end(JSON.stringify({ code: 'SERVICE_UNAVAILABLE' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'sid=abc; Path=/' }).end(JSON.stringify({ csrfToken: 't', ok: true }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  seen.length = 0;
});

test('the sign-in and a read are sent again after a 503, one Retry-After later', async () => {
  unavailableFor = 2;
  const started = Date.now();
  const s = await new ApiSession(base, 'sh-eco').signIn();
  expect(seen).toEqual(['POST /api/session', 'POST /api/session', 'POST /api/session']);
  expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
  expect(s.csrfToken()).toBe('t');
  unavailableFor = 1;
  await expect(s.request('GET', '/api/standards')).resolves.toMatchObject({ ok: true });
  expect(seen.slice(-2)).toEqual(['GET /api/standards', 'GET /api/standards']);
});

test('an action answered 503 is not repeated: the caller gets the error', async () => {
  const s = await new ApiSession(base, 'sh-eco').signIn();
  seen.length = 0;
  unavailableFor = 1;
  await expect(s.request('POST', '/api/standards/x/actions/withdraw', { reason: 'r' })).rejects.toThrow(/HTTP 503/);
  expect(seen).toEqual(['POST /api/standards/x/actions/withdraw']);
});
