// Adversarial input on every field of a public comment: markup and script, MongoDB operators, 1 MB of
// text, invalid UTF-8, control and bidirectional-override characters, emoji, empty and whitespace-only.
// Each is answered with a clear 4xx, or stored exactly as sent and shown as text everywhere (receipt page,
// triage page, DOCX); none takes the server down.
import JSZip from 'jszip';
import { freshMongo } from '../../support/mongo';
import { postJson, sampleDraft, seedStandard, snapshotOf, startCommentsServer, submission, type TestServer } from './support';

const SID = 'std-adv';
const SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>';
const TEXT_FIELDS = ['comment', 'proposedChange', 'name', 'organisation', 'contact', 'quote'] as const;
const ALL_FIELDS = ['submissionKey', 'type', 'clauseId', 'quoteOffset', 'province', 'showName', 'website', ...TEXT_FIELDS] as const;

describe('adversarial input to public comments', () => {
  let mongo: Awaited<ReturnType<typeof freshMongo>>;
  let server: TestServer;
  let api: string;
  let drafter: Record<string, string>;
  /** An anonymous visitor's form session (cookie and `_csrf`), as the comment form page gives it. */
  let visitor: { cookie: string; csrf: string };
  const stored: string[] = [];

  beforeAll(async () => {
    mongo = await freshMongo('comments-adv');
    await seedStandard(mongo.db, { id: SID, commentDeadline: '2099-01-01T00:00:00.000Z' });
    const draft = snapshotOf(sampleDraft());
    server = await startCommentsServer({ db: mongo.db, getCommentDraft: async () => draft, rateLimits: { perAddress: { windowMs: 60_000, limit: 100_000 }, perContact: { windowMs: 60_000, limit: 100_000 } } });
    api = `${server.url}/api/consultation/${SID}/comments`;
    drafter = await server.signIn('u-d', [{ role: 'drafter', standardIds: [SID] }]);
    visitor = await server.formSession(`/consultation/${SID}/comment`);
  });
  afterAll(async () => {
    await server.close();
    await mongo.drop();
  });

  const base = (over: Record<string, unknown>) => submission({ clauseId: 'c52', quote: '中泓线', ...over });

  it.each(TEXT_FIELDS)('stores HTML and script in %s exactly and shows it only as text on the receipt and triage pages', async (field) => {
    const value = field === 'quote' ? `中泓线${SCRIPT}` : `${SCRIPT} 正文`;
    const res = await postJson(api, base({ [field]: value }));
    expect(res.status).toBe(201);
    stored.push(String(res.body.receipt));
    const doc = await mongo.db.collection('comments').findOne({ receipt: res.body.receipt });
    const actual = field === 'quote' ? doc?.anchor.quote : field in (doc?.submitter ?? {}) ? doc?.submitter[field] : doc?.[field];
    expect(actual).toBe(value);
    for (const html of [
      await fetch(`${server.url}/consultation/receipt/${String(res.body.receipt)}`).then((r) => r.text()),
      await fetch(`${server.url}/standards/${SID}/comments`, { headers: drafter }).then((r) => r.text()),
    ]) {
      expect(html).not.toContain('<script>alert');
      expect(html).not.toContain('<img src=x');
    }
  });

  it.each(ALL_FIELDS)('refuses a MongoDB operator object in %s with 400', async (field) => {
    const res = await postJson(api, base({ [field]: { $gt: '' } }));
    if (field === 'website') expect(res.status).toBe(400);
    else expect(res).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
  });

  it('stores operator-looking strings as plain text and ignores unknown top-level keys', async () => {
    const res = await postJson(api, { ...base({ comment: '{"$where": "sleep(1000)"} $ne' }), $set: { status: 'disposed' }, status: 'disposed', moderation: 'hidden' });
    expect(res.status).toBe(201);
    const doc = await mongo.db.collection('comments').findOne({ receipt: res.body.receipt });
    expect(doc).toMatchObject({ comment: '{"$where": "sleep(1000)"} $ne', status: 'pending', moderation: 'visible' });
  });

  it('refuses form fields written as comment[$gt] because the form parser keeps them flat', async () => {
    const body = new URLSearchParams({ ...Object.fromEntries(Object.entries(base({})).map(([k, v]) => [k, String(v)])) });
    body.delete('comment');
    body.set('comment[$gt]', '');
    body.set('_csrf', visitor.csrf);
    const res = await fetch(`${server.url}/consultation/${SID}/comment`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: visitor.cookie }, body, redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('意见内容必须是文本');
  });

  it.each(ALL_FIELDS)('refuses 1 MB of text in %s with 413', async (field) => {
    const res = await postJson(api, base({ [field]: '意'.repeat(1024 * 1024) }));
    expect(res).toMatchObject({ status: 413, body: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it.each(TEXT_FIELDS)('refuses text over the field limit in %s with 400 naming the limit', async (field) => {
    const res = await postJson(api, base({ [field]: 'a'.repeat(field === 'comment' || field === 'proposedChange' ? 10_001 : 2_001) }));
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/不能超过|limited to/);
  });

  it.each(TEXT_FIELDS)('refuses invalid UTF-8 in %s with 400, in JSON and in a form', async (field) => {
    const [before, after] = JSON.stringify(base({ [field]: field === 'quote' ? '中泓线AAA' : 'AAA' })).split('AAA');
    const json = Buffer.concat([Buffer.from(before), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(after)]);
    const res = await fetch(api, { method: 'POST', headers: { 'content-type': 'application/json' }, body: json });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('UTF-8');
    const form = [...Object.entries(base({})), ['_csrf', visitor.csrf]].map(([k, v]) => `${k}=${k === field ? '%FF%FE%C3' : encodeURIComponent(String(v))}`).join('&');
    const f = await fetch(`${server.url}/consultation/${SID}/comment`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: visitor.cookie }, body: form, redirect: 'manual' });
    expect(f.status).toBe(400);
  });

  it.each(TEXT_FIELDS)('refuses control and bidirectional-override characters in %s with 400', async (field) => {
    for (const bad of ['\u0000', '\u0007', '\u001b[31m', '\u202e', '\u2066', '\u0085']) {
      const value = field === 'quote' ? `中泓线${bad}` : `abc${bad}def`;
      const res = await postJson(api, base({ [field]: value }));
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toMatch(/control|控制字符/);
    }
  });

  it.each(TEXT_FIELDS)('stores emoji in %s exactly', async (field) => {
    const value = field === 'quote' ? '中泓线' : '水质 👍🏽🌊 👨‍👩‍👧';
    const res = await postJson(api, base({ [field]: value }));
    expect(res.status).toBe(201);
    const doc = await mongo.db.collection('comments').findOne({ receipt: res.body.receipt });
    expect(JSON.stringify(doc)).toContain(value);
    if (field === 'comment') expect(await fetch(`${server.url}/consultation/receipt/${String(res.body.receipt)}`).then((r) => r.text())).toContain(value);
  });

  it.each(ALL_FIELDS)('answers an empty or whitespace-only %s with 400 when required and stores it as empty when optional', async (field) => {
    const required = ['submissionKey', 'type', 'comment', 'name', 'province'];
    for (const v of ['', '   \n\t ']) {
      const res = await postJson(api, base({ [field]: v }));
      if (required.includes(field) || (field === 'quoteOffset' && v !== '') || (field === 'showName' && v !== '') || (field === 'website' && v.trim() !== '') || (field === 'clauseId' && v !== '')) {
        expect(res.status).toBe(400);
      } else {
        expect(res.status).toBe(201);
      }
    }
  });

  it('still serves the DOCX with every adversarial comment in it, markup escaped, and accepts ordinary comments afterwards', async () => {
    const docx = await fetch(`${server.url}/standards/${SID}/comments/disposition-table.docx`, { headers: drafter });
    expect(docx.status).toBe(200);
    const zip = await JSZip.loadAsync(Buffer.from(await docx.arrayBuffer()));
    const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
    expect(xml).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(xml).not.toContain('<script>');
    expect((await postJson(api, submission())).status).toBe(201);
  });
});
