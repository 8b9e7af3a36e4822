// Intake of public comments against the real FerretDB: idempotency under retries and concurrency, the
// deadline (including its boundary second), duplicates, the honeypot and the rate limits.
import { freshMongo } from '../../support/mongo';
import { postJson, sampleDraft, seedStandard, snapshotOf, startCommentsServer, submission, type TestServer } from './support';

type M = Awaited<ReturnType<typeof freshMongo>>;

describe('public comment intake', () => {
  let mongo: M;
  let server: TestServer;
  /** An anonymous visitor's form session (cookie and `_csrf`), from the comment form while it is open. */
  let visitor: { cookie: string; csrf: string };
  let clock = new Date('2026-11-29T08:00:00.000Z');
  const deadline = '2026-12-29T16:00:00.000Z';
  const draft = snapshotOf(sampleDraft());

  beforeAll(async () => {
    mongo = await freshMongo('comments-intake');
    await seedStandard(mongo.db, { id: 'std-open', commentDeadline: deadline });
    await seedStandard(mongo.db, { id: 'std-handling', step: 'handlingComments', commentDeadline: '2027-01-01T00:00:00.000Z' });
    await seedStandard(mongo.db, { id: 'std-proposal', stage: 'initiation', step: 'awaitingDecisions', proposalCommentDeadline: deadline });
    server = await startCommentsServer({
      db: mongo.db,
      now: () => clock,
      getCommentDraft: async (id) => (id === 'std-open' ? draft : null),
      rateLimits: { perAddress: { windowMs: 60_000, limit: 100_000 }, perContact: { windowMs: 60_000, limit: 100_000 } },
    });
    visitor = await server.formSession('/consultation/std-open/comment');
  });
  afterAll(async () => {
    await server.close();
    await mongo.drop();
  });
  beforeEach(() => {
    clock = new Date('2026-11-29T08:00:00.000Z');
  });

  const api = (id: string): string => `${server.url}/api/consultation/${id}/comments`;

  it('accepts a comment on a clause while the period is open and returns a receipt whose status reads pending', async () => {
    const res = await postJson(api('std-open'), submission({ clauseId: 'c52' }));
    expect(res.status).toBe(201);
    expect(res.body.receipt).toMatch(/^[A-Z0-9]{5}-[A-Z0-9]{5}$/);
    const status = await fetch(`${server.url}/api/consultation/receipts/${String(res.body.receipt)}`).then((r) => r.json() as Promise<Record<string, unknown>>);
    expect(status).toMatchObject({ status: 'pending', moderation: 'visible', standardId: 'std-open', location: { state: 'present', currentLabel: '5.2' } });
    const stored = await mongo.db.collection('comments').findOne({ receipt: res.body.receipt });
    expect(stored).toMatchObject({ standardId: 'std-open', status: 'pending', moderation: 'visible', phase: 'publicComment', anchor: { scope: 'clause', clauseId: 'c52', clauseNumber: '5.2' } });
  });

  it('stores the same submission retried five times exactly once, with the same receipt each time', async () => {
    const body = submission();
    const sequential = [];
    for (let i = 0; i < 5; i++) sequential.push(await postJson(api('std-open'), body));
    expect(sequential.map((r) => r.status)).toEqual([201, 200, 200, 200, 200]);
    expect(new Set(sequential.map((r) => r.body.receipt)).size).toBe(1);
    const concurrent = submission();
    const results = await Promise.all(Array.from({ length: 5 }, () => postJson(api('std-open'), concurrent)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(new Set(results.map((r) => r.body.receipt)).size).toBe(1);
    expect(await mongo.db.collection('comments').countDocuments({ submissionKey: { $in: [body.submissionKey, concurrent.submissionKey] } })).toBe(2);
  });

  it('stores 1,000 concurrent submissions exactly once each, even when each is sent twice at the same time', async () => {
    await seedStandard(mongo.db, { id: 'std-load', commentDeadline: deadline });
    const bodies = Array.from({ length: 1000 }, (_, i) => submission({ comment: `并发意见 ${i}`, contact: '' }));
    const results = await Promise.all(bodies.flatMap((b) => [postJson(api('std-load'), b), postJson(api('std-load'), b)]));
    expect(results.filter((r) => r.status !== 200 && r.status !== 201)).toEqual([]);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1000);
    const col = mongo.db.collection('comments');
    expect(await col.countDocuments({ standardId: 'std-load' })).toBe(1000);
    expect((await col.distinct('submissionKey', { standardId: 'std-load' })).length).toBe(1000);
    expect((await col.distinct('receipt', { standardId: 'std-load' })).length).toBe(1000);
  }, 180_000);

  it('refuses a comment after the deadline with 409 and a message in Chinese and English, also at the boundary second', async () => {
    clock = new Date(Date.parse(deadline) - 1);
    expect((await postJson(api('std-open'), submission())).status).toBe(201);
    clock = new Date(deadline);
    const atBoundary = await postJson(api('std-open'), submission());
    expect(atBoundary.status).toBe(409);
    expect(atBoundary.body).toMatchObject({ code: 'STAGE_CONFLICT' });
    expect(String(atBoundary.body.message_zh)).toContain('意见征求期已结束');
    expect(String(atBoundary.body.message_en)).toContain('comment period');
    clock = new Date(Date.parse(deadline) + 1000);
    expect((await postJson(api('std-open'), submission())).status).toBe(409);
  });

  it('answers the form after the deadline with a 409 page that says the period has closed, in Chinese and English', async () => {
    clock = new Date(deadline);
    const form = await fetch(`${server.url}/consultation/std-open/comment?clause=c52`, { headers: { accept: 'text/html' } });
    expect(form.status).toBe(409);
    const body = new URLSearchParams({ ...Object.fromEntries(Object.entries(submission()).map(([k, v]) => [k, String(v)])), _csrf: visitor.csrf });
    const post = await fetch(`${server.url}/consultation/std-open/comment`, { method: 'POST', headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie: visitor.cookie }, body, redirect: 'manual' });
    expect(post.status).toBe(409);
    const html = await post.text();
    expect(html).toContain('意见征求期已结束');
    expect(html).toContain('comments are no longer accepted');
    const draft = await fetch(`${server.url}/consultation/std-open`).then((r) => r.text());
    expect(draft).toContain('征求意见期已结束，不再接受意见。');
    expect(draft).not.toContain('对5.2提意见');
  });

  it('still answers a retry of a submission accepted before the deadline with its receipt after the deadline', async () => {
    const body = submission();
    clock = new Date(Date.parse(deadline) - 500);
    const first = await postJson(api('std-open'), body);
    clock = new Date(Date.parse(deadline) + 500);
    const retry = await postJson(api('std-open'), body);
    expect(retry.status).toBe(200);
    expect(retry.body.receipt).toBe(first.body.receipt);
  });

  it('refuses comments once the lifecycle has moved on to handling comments, before the deadline too', async () => {
    const res = await postJson(api('std-handling'), submission());
    expect(res.status).toBe(409);
  });

  it('accepts comments on a proposal at initiation while its proposal comment deadline is ahead', async () => {
    const res = await postJson(api('std-proposal'), submission());
    expect(res.status).toBe(201);
    expect(await mongo.db.collection('comments').findOne({ receipt: res.body.receipt })).toMatchObject({ phase: 'initiation' });
  });

  it('lists the standards and proposals open for comment with their deadlines in China time, and not those closed', async () => {
    const html = await fetch(`${server.url}/consultation`).then((r) => r.text());
    expect(html).toContain('/consultation/std-open"');
    expect(html).toContain('/consultation/std-proposal"');
    expect(html).not.toContain('/consultation/std-handling"');
    // The app's chinaTime filter (minutes), as on every other page.
    expect(html).toContain('2026-12-30 00:00<');
    expect(html).toContain('立项征求意见（项目建议）');
    const proposal = await fetch(`${server.url}/consultation/std-proposal`).then((r) => r.text());
    expect(proposal).toContain('项目建议');
    expect(proposal).toContain('上海市生态环境局');
  });

  it('flags the same text on the same clause as a duplicate of the first, keeping both', async () => {
    const text = '采样方法应明确分层深度。';
    const a = await postJson(api('std-open'), submission({ clauseId: 'c52', comment: text }));
    const b = await postJson(api('std-open'), submission({ clauseId: 'c52', comment: `  ${text}\n` }));
    const other = await postJson(api('std-open'), submission({ clauseId: 'c51', comment: text }));
    expect(b.status).toBe(201);
    expect(b.body.duplicateOf).toBe(a.body.receipt);
    expect(a.body.duplicateOf).toBeNull();
    expect(other.body.duplicateOf).toBeNull();
    expect(await mongo.db.collection('comments').countDocuments({ receipt: { $in: [a.body.receipt, b.body.receipt] } })).toBe(2);
  });

  it('refuses a submission whose hidden honeypot field was filled in', async () => {
    const res = await postJson(api('std-open'), submission({ website: 'http://spam.example' }));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('answers 404 for an unknown standard and 400 for an unknown clause', async () => {
    expect((await postJson(api('nope'), submission())).status).toBe(404);
    const res = await postJson(api('std-open'), submission({ clauseId: 'no-such-clause' }));
    expect(res.status).toBe(400);
  });
});

describe('rate limits on public comments', () => {
  let mongo: M;
  let server: TestServer;

  beforeAll(async () => {
    mongo = await freshMongo('comments-rate');
    await seedStandard(mongo.db, { id: 'std-rate', commentDeadline: '2099-01-01T00:00:00.000Z' });
    server = await startCommentsServer({ db: mongo.db, rateLimits: { perAddress: { windowMs: 60_000, limit: 6 }, perContact: { windowMs: 60_000, limit: 2 } } });
  });
  afterAll(async () => {
    await server.close();
    await mongo.drop();
  });

  it('limits submissions per contact and then per address with 429 and a clear message', async () => {
    const api = `${server.url}/api/consultation/std-rate/comments`;
    const same = (i: number) => postJson(api, submission({ contact: 'same@example.org', comment: `意见${i}` }));
    expect((await same(1)).status).toBe(201);
    expect((await same(2)).status).toBe(201);
    const third = await same(3);
    expect(third.status).toBe(429);
    expect(String(third.body.message_zh)).toContain('同一联系方式');
    const others = [];
    for (let i = 0; i < 4; i++) others.push((await postJson(api, submission({ comment: `其他${i}` }))).status);
    expect(others).toEqual([201, 201, 201, 429]);
  });
});
