// The comments router mounted in the real app (createApp with its sessions, CSRF protection, layout and
// body parsers) over the real lifecycle: an anonymous visitor's form submission passes the CSRF check,
// the lead department's triage page uses the app's layout, and its forms carry the session's token.
import request from 'supertest';
import { createApp } from '../../server/app';
import { DEMO_PASSWORD, seedDemoAccounts } from '../../server/auth/demo-accounts';
import { createCommentsRouter } from '../../server/comments';
import { createLogger } from '../../activities/infra/logger';
import { testConfig } from '../server/http/app-harness';
import { sampleDraft, snapshotOf } from '../server/comments/support';
import { actors, regulatorOf, sampleProposal, shortDurations, startHarness, waitForState, type Harness } from '../workflows/support';
import type { Express } from 'express';

function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF field on the page');
  return m[1];
}

describe('comments inside the app', () => {
  let h: Harness;
  let app: Express;

  beforeAll(async () => {
    h = await startHarness('comments-app', { durations: { ...shortDurations, commentPeriodMs: 8000 } });
    await seedDemoAccounts(h.db);
    const draft = snapshotOf(sampleDraft());
    const t = await createApp({
      config: testConfig(),
      db: h.db,
      lifecycle: h.service,
      logger: createLogger('test-comments-app'),
      extensions: [({ app: a }) => a.use(createCommentsRouter({ db: h.db, getCommentDraft: async () => draft, standardCacheMs: 0 }))],
    });
    app = t.app;
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it('takes an anonymous form comment through the CSRF check, and lets the lead department dispose of it on a page in the app layout', async () => {
    const rec = await h.service.propose(sampleProposal, actors.shEco);
    const id = rec._id;
    for (const p of ['SH', 'JS', 'ZJ'] as const) await h.service.act(id, 'decideInitiation', { province: p, decision: 'approve' }, regulatorOf[p]);
    await h.service.act(id, 'submitForComment', {}, actors.drafter);

    const visitor = request.agent(app);
    const form = await visitor.get(`/consultation/${id}/comment?clause=c52`).expect(200);
    const submissionKey = /name="submissionKey" value="([^"]+)"/.exec(form.text)?.[1];
    await visitor.post(`/consultation/${id}/comment`).type('form').send({ _csrf: 'forged', submissionKey, type: 'technical', clauseId: 'c52', comment: '伪造', name: '某', province: 'SH' }).expect(403);
    const sent = await visitor
      .post(`/consultation/${id}/comment`)
      .type('form')
      .send({ _csrf: csrfOf(form.text), submissionKey, type: 'technical', clauseId: 'c52', comment: '分层采样深度应明确。', name: '孙八', province: 'SH', showName: 'yes' })
      .expect(303);
    expect(sent.headers.location).toMatch(/^\/consultation\/receipt\/[A-Z0-9-]+\?new=1$/);
    await request(app).post(`/api/consultation/${id}/comments`).send({ submissionKey: 'api-key-12345', type: 'general', comment: '全文意见', name: '周九', province: 'JS' }).expect(201);

    await waitForState(h, id, (s) => s.step === 'handlingComments');
    const lead = request.agent(app);
    const session = await lead.post('/api/session').send({ username: 'sh-eco', password: DEMO_PASSWORD }).expect(200);
    const page = await lead.get(`/standards/${id}/comments`).expect(200);
    expect(page.text).toContain('class="site-header"');
    expect(page.text).toContain('分层采样深度应明确。');
    const commentId = /action="\/standards\/[^/]+\/comments\/(c[0-9a-f]{24})\/disposition"/.exec(page.text)?.[1];
    await lead.post(`/standards/${id}/comments/${commentId}/disposition`).type('form').send({ _csrf: csrfOf(page.text), decision: 'accepted' }).expect(303);
    const list = await lead.get(`/api/standards/${id}/comments`).expect(200);
    expect(list.body.counts).toMatchObject({ total: 2, pending: 1, disposed: 1 });
    const other = (list.body.comments as Array<{ id: string; status: string }>).find((c) => c.status === 'pending');
    await lead.post(`/api/standards/${id}/comments/${other?.id}/disposition`).set('X-CSRF-Token', (session.body as { csrfToken: string }).csrfToken).send({ decision: 'rejected', reason: '不涉及本文件' }).expect(200);
    const s = await h.service.act(id, 'completeCommentHandling', {}, actors.drafter);
    expect(s.stage).toBe('technicalReview');
  }, 90_000);
});
