// Issue 12 item 7 on the comment pages: 不采纳 without a reason comes back to the triage page at that
// comment with the field's message; the public form posted twice with the same body (Back + resubmit)
// stores one comment and answers with the same receipt; the pages load the script that disables a
// form's buttons while it is being sent (a static file: the CSP forbids inline scripts).
import { freshMongo } from '../../support/mongo';
import { postJson, sampleDraft, seedStandard, snapshotOf, startCommentsServer, submission, type TestServer } from './support';

describe('comment forms (issue 12 item 7)', () => {
  let mongo: Awaited<ReturnType<typeof freshMongo>>;
  let server: TestServer;
  let clock = new Date('2026-11-29T08:00:00.000Z');
  const deadline = '2026-12-29T16:00:00.000Z';
  const draft = snapshotOf(sampleDraft());

  beforeAll(async () => {
    mongo = await freshMongo('comments-issue12-forms');
    await seedStandard(mongo.db, { id: 'std-f', commentDeadline: deadline });
    server = await startCommentsServer({
      db: mongo.db,
      now: () => clock,
      getCommentDraft: async () => draft,
      rateLimits: { perAddress: { windowMs: 60_000, limit: 100_000 }, perContact: { windowMs: 60_000, limit: 100_000 } },
    });
  });
  afterAll(async () => {
    await server.close();
    await mongo.drop();
  });

  it('Back + resubmit of the public form (the same body twice) stores one comment and shows the same receipt', async () => {
    const visitor = await server.formSession('/consultation/std-f/comment');
    const page = await fetch(`${server.url}/consultation/std-f/comment`, { headers: { accept: 'text/html', cookie: visitor.cookie } });
    // Back shows the form from the browser's cache, with the key it was given: the page may be kept.
    expect(page.headers.get('cache-control') ?? '').not.toMatch(/no-store/);
    const form = await page.text();
    const key = /name="submissionKey" value="([^"]+)"/.exec(form)?.[1];
    expect(key).toBeTruthy();
    const fields = Object.fromEntries(Object.entries(submission({ submissionKey: key })).map(([k, v]) => [k, String(v)]));
    const post = () =>
      fetch(`${server.url}/consultation/std-f/comment`, {
        method: 'POST',
        headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie: visitor.cookie },
        body: new URLSearchParams({ ...fields, _csrf: visitor.csrf }),
        redirect: 'manual',
      });
    const first = await post();
    expect(first.status).toBe(303);
    const again = await post();
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(await mongo.db.collection('comments').countDocuments({ standardId: 'std-f', submissionKey: key })).toBe(1);
    expect(await mongo.db.collection('comments').countDocuments({ standardId: 'std-f' })).toBe(1);
  });

  it('不采纳 without a reason comes back to the triage page at that comment with the field error', async () => {
    const r = await postJson(`${server.url}/api/consultation/std-f/comments`, submission({ comment: '另一条意见：建议增加监测点位。' }));
    expect(r.status).toBe(201);
    const c = await mongo.db.collection('comments').findOne({ receipt: r.body.receipt });
    clock = new Date('2027-01-02T00:00:00.000Z');
    const drafter = await server.signIn('u-drafter-f', [{ role: 'drafter', province: 'SH', standardIds: ['std-f'] }], '起草人');
    const res = await fetch(`${server.url}/standards/std-f/comments/${String(c?._id)}/disposition`, {
      method: 'POST',
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie: drafter.cookie, 'x-csrf-token': drafter['x-csrf-token'] },
      body: new URLSearchParams({ decision: 'rejected', reason: '', remark: '备注保留' }),
      redirect: 'manual',
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).not.toContain('VALIDATION_FAILED');
    expect(html).toContain(`id="c-${String(c?._id)}"`);
    expect(html).toContain('部分采纳或不采纳时必须说明理由');
    expect(html).toMatch(new RegExp(`id="reason-${String(c?._id)}" name="reason" aria-invalid="true"[^>]*autofocus`));
    expect(html).toMatch(/value="rejected" required checked/);
    expect(html).toContain('value="备注保留"');
    const stored = await mongo.db.collection('comments').findOne({ _id: c?._id });
    expect(stored?.status).toBe('pending');
    clock = new Date('2026-11-29T08:00:00.000Z');
  });

  it('loads the static script that disables a form’s buttons while sending, on public and staff pages', async () => {
    const visitor = await server.formSession('/consultation/std-f/comment');
    const form = await fetch(`${server.url}/consultation/std-f/comment`, { headers: { cookie: visitor.cookie } }).then((r) => r.text());
    expect(form).toContain('src="/static/submit-once.js"');
    const drafter = await server.signIn('u-drafter-g', [{ role: 'drafter', province: 'SH', standardIds: ['std-f'] }], '起草人');
    const triage = await fetch(`${server.url}/standards/std-f/comments`, { headers: { accept: 'text/html', cookie: drafter.cookie } }).then((r) => r.text());
    expect(triage).toContain('src="/static/submit-once.js"');
    const js = await fetch(`${server.url}/static/submit-once.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('javascript');
    expect(await js.text()).toContain("addEventListener('submit'");
  });
});
