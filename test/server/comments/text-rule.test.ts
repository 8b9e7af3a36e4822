// The comment form follows the same text rule as the lifecycle API (workflows/text-rule.ts): every text
// field, in JSON (a lone surrogate sent as the escape "\ud800") and as a form, refuses U+0000, U+0007,
// U+0085, U+202E, U+2067 and a lone surrogate with a 400 naming the field, and stores nothing; tab,
// newline and CJK are stored unchanged, a textarea's CRLF as LF.
import { freshMongo } from '../../support/mongo';
import { postJson, sampleDraft, seedStandard, snapshotOf, startCommentsServer, submission, type TestServer } from './support';

const SID = 'std-textrule';
const TEXT_FIELDS: Array<[string, string]> = [
  ['comment', '意见内容'],
  ['proposedChange', '修改建议'],
  ['name', '姓名'],
  ['organisation', '单位'],
  ['contact', '联系方式'],
  ['quote', '引用的原文'],
];
const BAD: Array<[string, string]> = [
  ['U+0000', '\u0000'],
  ['U+0007', '\u0007'],
  ['U+0085', '\u0085'],
  ['U+202E', '\u202e'],
  ['U+2067', '\u2067'],
  ['a lone surrogate', '\ud800'],
];

describe('the comment form and API follow the one text rule', () => {
  let mongo: Awaited<ReturnType<typeof freshMongo>>;
  let server: TestServer;
  let api: string;
  /** An anonymous visitor's form session (cookie and `_csrf`), as the comment form page gives it. */
  let visitor: { cookie: string; csrf: string };
  const count = () => mongo.db.collection('comments').countDocuments();

  beforeAll(async () => {
    mongo = await freshMongo('comments-textrule');
    await seedStandard(mongo.db, { id: SID, commentDeadline: '2099-01-01T00:00:00.000Z' });
    const draft = snapshotOf(sampleDraft());
    server = await startCommentsServer({ db: mongo.db, getCommentDraft: async () => draft, rateLimits: { perAddress: { windowMs: 60_000, limit: 100_000 }, perContact: { windowMs: 60_000, limit: 100_000 } } });
    api = `${server.url}/api/consultation/${SID}/comments`;
    visitor = await server.formSession(`/consultation/${SID}/comment`);
  });
  afterAll(async () => {
    await server.close();
    await mongo.drop();
  });

  const base = (over: Record<string, unknown>) => submission({ clauseId: 'c52', quote: '中泓线', ...over });
  const valueFor = (field: string, bad: string) => (field === 'quote' ? `中泓线${bad}` : `正文${bad}正文`);

  it.each(TEXT_FIELDS.flatMap(([field, label]) => BAD.map(([name, bad]) => [field, name, label, bad] as const)))('JSON: %s with %s is a 400 naming the field, nothing stored', async (field, _name, label, bad) => {
    const before = await count();
    const body = base({ [field]: valueFor(field, bad) });
    const raw = JSON.stringify(body);
    if (bad === '\ud800') expect(raw).toContain('\\ud800');
    const res = await fetch(api, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: raw });
    const json = (await res.json()) as { code: string; details: Array<{ field: string; message: string }> };
    expect({ status: res.status, code: json.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    const issue = json.details.find((d) => d.field === field);
    expect(issue?.message).toContain(`${label}含`);
    expect(issue?.message).toMatch(/ contains /);
    expect(await count()).toBe(before);
  });

  it.each(TEXT_FIELDS.flatMap(([field, label]) => BAD.filter(([, b]) => b !== '\ud800').map(([name, bad]) => [field, name, label, bad] as const)))('form: %s with %s is a 400 page naming the field, nothing stored', async (field, _name, label, bad) => {
    const before = await count();
    const values = { ...Object.fromEntries(Object.entries(base({ [field]: valueFor(field, bad) })).map(([k, v]) => [k, String(v)])), _csrf: visitor.csrf };
    const res = await fetch(`${server.url}/consultation/${SID}/comment`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', cookie: visitor.cookie }, body: new URLSearchParams(values), redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(`${label}含`);
    expect(await count()).toBe(before);
  });

  it('a lone surrogate cannot be sent in a form at all: its UTF-8 bytes are invalid and refused', async () => {
    const before = await count();
    const form = [...Object.entries(base({})), ['_csrf', visitor.csrf]].map(([k, v]) => `${k}=${k === 'comment' ? '%ED%A0%80' : encodeURIComponent(String(v))}`).join('&');
    const res = await fetch(`${server.url}/consultation/${SID}/comment`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: visitor.cookie }, body: form, redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await count()).toBe(before);
  });

  it('stores tab, newline and CJK unchanged, and a textarea’s CRLF as LF', async () => {
    const res = await postJson(api, base({ comment: '建议：\t一、提高频次；\n二、增加断面。', proposedChange: '每月\r\n两次', name: '张三\u200e' }));
    expect(res.status).toBe(201);
    const doc = await mongo.db.collection('comments').findOne({ receipt: res.body.receipt });
    expect(doc).toMatchObject({ comment: '建议：\t一、提高频次；\n二、增加断面。', proposedChange: '每月\n两次' });
  });
});
