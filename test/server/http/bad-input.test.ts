// Bad input on every endpoint: malformed JSON, oversized bodies, wrong content types, missing and unknown
// fields, unknown and malformed ids, and MongoDB operators ({"$gt": ""} and friends) in every string field.
// Each must be a 4xx with a clear bilingual message, and nothing may be stored.
import { z } from 'zod';
import { draftersBodySchema, proposeSchema, publicityEventBodySchema, signInSchema } from '../../../server/http/schemas';
import { actionSchemas } from '../../../workflows/payloads';
import { ACTIONS } from '../../../workflows/messages';
import { sampleProposalBody, startAppHarness, type AppHarness, type SignedIn } from './app-harness';

let h: AppHarness;
let eco: SignedIn;
let standardId: string;
let before: Snapshot;

interface Snapshot {
  counts: Record<string, number>;
  revision: number;
  users: string;
}

const COLLECTIONS = ['standards', 'audit_log', 'publicity_events', 'users', 'standard_drafters', 'standard_numbers', 'notifications', 'sessions'];

async function snapshot(): Promise<Snapshot> {
  const counts: Record<string, number> = {};
  for (const c of COLLECTIONS) counts[c] = await h.db.collection(c).countDocuments();
  const revision = (await h.service.state(standardId)).revision;
  const users = JSON.stringify(await h.db.collection('users').find({}, { projection: { grants: 1, username: 1 } }).sort({ username: 1 }).toArray());
  return { counts, revision, users };
}

const in2Days = new Date(Date.now() + 2 * 86400_000).toISOString();
const validAction: Record<(typeof ACTIONS)[number], Record<string, unknown>> = {
  decideInitiation: { province: 'SH', decision: 'return', reason: '理由' },
  resubmit: { reason: '理由' },
  submitForComment: { reason: '理由' },
  extendCommentPeriod: { newDeadline: in2Days, reason: '理由' },
  completeCommentHandling: { reason: '理由' },
  recordReviewResult: { outcome: 'pass', reason: '理由' },
  submitForApproval: { reason: '理由' },
  decideApproval: { province: 'SH', decision: 'approve', number: 'DB31/T 310001—2026', reason: '理由' },
  setReleaseDates: { releaseDate: '2027-01-01', implementationDate: '2027-02-01' },
  recordPublicityEvent: { eventId: 'e1' },
  completePublicity: { reason: '理由' },
  startReview: { reason: '理由' },
  decideReview: { outcome: 'continue', reason: '理由' },
  withdraw: { reason: '理由' },
};

interface Endpoint {
  name: string;
  url: () => string;
  schema: z.ZodType;
  valid: () => Record<string, unknown>;
  signedIn: boolean;
}

const endpoints: Endpoint[] = [
  { name: 'POST /api/session', url: () => '/api/session', schema: signInSchema, valid: () => ({ username: 'sh-eco', password: 'x' }), signedIn: false },
  { name: 'POST /api/standards', url: () => '/api/standards', schema: proposeSchema, valid: () => ({ ...sampleProposalBody }), signedIn: true },
  { name: 'POST drafters', url: () => `/api/standards/${standardId}/drafters`, schema: draftersBodySchema, valid: () => ({ usernames: ['drafter-js'] }), signedIn: true },
  {
    name: 'POST publicity-events',
    url: () => `/api/standards/${standardId}/publicity-events`,
    schema: publicityEventBodySchema,
    valid: () => ({ title: '培训', kind: 'training', date: '2027-01-01', location: '青浦', description: '说明' }),
    signedIn: true,
  },
  ...ACTIONS.map((a) => ({
    name: `POST actions/${a}`,
    url: () => `/api/standards/${standardId}/actions/${a}`,
    schema: actionSchemas[a] as z.ZodType,
    valid: () => ({ ...validAction[a] }),
    signedIn: true,
  })),
];

/** Top-level string fields (plain, enum, format) and string-array fields of a schema, from its JSON Schema. */
function stringFields(schema: z.ZodType): Array<{ name: string; array: boolean }> {
  const js = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, { type?: string; items?: { type?: string } }> };
  return Object.entries(js.properties ?? {}).flatMap(([name, p]): Array<{ name: string; array: boolean }> => {
    if (p.type === 'string') return [{ name, array: false }];
    if (p.type === 'array' && p.items?.type === 'string') return [{ name, array: true }];
    return [];
  });
}

const OPERATORS: unknown[] = [{ $gt: '' }, { $ne: null }, { $regex: '.*' }, { $where: 'sleep(1000)' }, { $exists: true }];

function send(ep: Endpoint, body: string | object, contentType = 'application/json') {
  const req = eco.agent.post(ep.url()).set('Content-Type', contentType);
  if (ep.signedIn) req.set('X-CSRF-Token', eco.csrf);
  return req.send(typeof body === 'string' ? body : JSON.stringify(body));
}

function expectClearError(res: { status: number; body: Record<string, unknown> }, status: number, code: string): void {
  expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
  expect(typeof res.body.message_zh).toBe('string');
  expect(typeof res.body.message_en).toBe('string');
  expect((res.body.message_zh as string).length).toBeGreaterThan(2);
}

beforeAll(async () => {
  h = await startAppHarness('badinput');
  eco = await h.signIn('sh-eco');
  const res = await eco.post('/api/standards', sampleProposalBody).expect(201);
  standardId = res.body._id;
  before = await snapshot();
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe('every JSON endpoint refuses bad bodies with a clear 4xx', () => {
  it.each(endpoints.map((e) => [e.name, e]))('%s: malformed JSON is a 400 saying so', async (_n, ep) => {
    const res = await send(ep, '{"reason": "x", ');
    expectClearError(res, 400, 'BAD_REQUEST');
    expect(res.body.message_en).toBe('The request body is not valid JSON');
    expect(res.body.message_zh).toBe('请求内容不是有效的 JSON');
  });

  it.each(endpoints.map((e) => [e.name, e]))('%s: a body over 100 kB is a 413', async (_n, ep) => {
    const res = await send(ep, { ...ep.valid(), reason: 'x'.repeat(150_000) });
    expectClearError(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  it.each(endpoints.map((e) => [e.name, e]))('%s: a body that is not application/json is a 415', async (_n, ep) => {
    const res = await send(ep, 'reason=x', 'text/plain');
    expectClearError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it.each(endpoints.map((e) => [e.name, e]))('%s: an array or a bare string instead of an object is a 400', async (_n, ep) => {
    expectClearError(await send(ep, [ep.valid()]), 400, 'VALIDATION_FAILED');
    expectClearError(await send(ep, '"text"'), 400, 'BAD_REQUEST');
  });

  it.each(endpoints.map((e) => [e.name, e]))('%s: an unknown field is refused by name', async (_n, ep) => {
    const res = await send(ep, { ...ep.valid(), role: 'admin' });
    expectClearError(res, 400, 'VALIDATION_FAILED');
    expect(res.body.message_en).toContain('role');
  });

  it.each(endpoints.filter((e) => !e.schema.safeParse({}).success).map((e) => [e.name, e]))('%s: missing required fields are named', async (_n, ep) => {
    const res = await send(ep, {});
    expectClearError(res, 400, 'VALIDATION_FAILED');
    const paths = (res.body.details as Array<{ path: string }>).map((d) => d.path);
    expect(paths.length).toBeGreaterThan(0);
    for (const p of paths) expect(res.body.message_en).toContain(p);
  });

  it.each(endpoints.map((e) => [e.name, e]))('%s: MongoDB operators in every string field are refused', async (_n, ep) => {
    const fields = stringFields(ep.schema);
    expect(fields.length).toBeGreaterThan(0);
    for (const f of fields) {
      for (const op of OPERATORS) {
        for (const value of f.array ? [op, [op]] : [op]) {
          const res = await send(ep, { ...ep.valid(), [f.name]: value });
          expectClearError(res, 400, 'VALIDATION_FAILED');
          expect((res.body.details as Array<{ path: string }>).some((d) => d.path.startsWith(f.name))).toBe(true);
        }
      }
    }
    // Operator keys at the top level are unknown fields too.
    expectClearError(await send(ep, { ...ep.valid(), $where: '1' }), 400, 'VALIDATION_FAILED');
  });
});

describe('ids and queries', () => {
  it('answers 404 for an unknown standard on every standard endpoint', async () => {
    const unknown = 's000000000000';
    for (const path of ['', '/timeline', '/state', '/publicity-events']) {
      const res = await eco.agent.get(`/api/standards/${unknown}${path}`);
      expectClearError(res, 404, 'NOT_FOUND');
      expect(res.body.message_en).toContain(unknown);
    }
    expectClearError(await eco.post(`/api/standards/${unknown}/actions/withdraw`, { reason: '理由' }), 404, 'NOT_FOUND');
    expectClearError(await eco.post(`/api/standards/${unknown}/drafters`, { usernames: ['drafter-js'] }), 404, 'NOT_FOUND');
    expectClearError(await eco.post(`/api/standards/${unknown}/publicity-events`, endpoints[3].valid()), 404, 'NOT_FOUND');
  });

  it('answers 400 for a malformed id or an unknown action name', async () => {
    for (const bad of ['$gt', '%7B%22%24gt%22%3A%22%22%7D', 'a.b', 'x'.repeat(65)]) {
      expectClearError(await eco.agent.get(`/api/standards/${bad}`), 400, 'VALIDATION_FAILED');
    }
    expectClearError(await eco.post(`/api/standards/${standardId}/actions/deleteEverything`, {}), 400, 'VALIDATION_FAILED');
    expectClearError(await eco.post(`/api/standards/${standardId}/actions/__proto__`, {}), 400, 'VALIDATION_FAILED');
  });

  it('answers 404 with a message for an unknown route', async () => {
    expectClearError(await eco.agent.get('/api/nothing-here'), 404, 'NOT_FOUND');
  });

  it('refuses operator-shaped, repeated and unknown query parameters on the list', async () => {
    for (const q of ['stage[$ne]=x', 'stage=initiation&stage=drafting', 'q[$regex]=.', 'province=XX', 'page=0', 'pageSize=1000', 'sort=-1']) {
      expectClearError(await eco.agent.get(`/api/standards?${q}`), 400, 'VALIDATION_FAILED');
    }
  });

  it('treats the title search as words, not as a regular expression', async () => {
    expect((await eco.agent.get('/api/standards').query({ q: '.*' }).expect(200)).body.total).toBe(0);
    expect((await eco.agent.get('/api/standards').query({ q: '水污染物' }).expect(200)).body.total).toBe(1);
    expect((await eco.agent.get('/api/standards').query({ q: 'DISCHARGE standard' }).expect(200)).body.total).toBe(1);
  });

  it('does not sign in with operators in the credentials', async () => {
    const res = await eco.agent.post('/api/session').send({ username: { $gt: '' }, password: { $gt: '' } });
    expectClearError(res, 400, 'VALIDATION_FAILED');
  });

  it('refuses a repeated form field on the pages instead of guessing', async () => {
    const page = await eco.agent.get(`/standards/${standardId}`).expect(200);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const res = await eco.agent.post(`/standards/${standardId}/actions/withdraw`).type('form').send(`_csrf=${token}&reason=a&reason=b`);
    expect(res.status).toBe(400);
    expect(res.text).toContain('表单字段重复或无效');
  });
});

describe('after all of the above', () => {
  it('nothing was stored and the lifecycle did not move', async () => {
    expect(await snapshot()).toEqual(before);
  });
});
