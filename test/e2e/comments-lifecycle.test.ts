// The public-comment stage end to end with the real lifecycle on the Temporal dev server: comments are
// accepted while the workflow's period is open and refused once it has closed; the lifecycle refuses to
// leave comment handling while a visible comment lacks a disposition, and moves on once each has one
// (a hidden spam comment needs none).
import { sampleDraft, snapshotOf, startCommentsServer, submission, postJson, type TestServer } from '../server/comments/support';
import { actors, regulatorOf, sampleProposal, shortDurations, startHarness, waitForState, type Harness } from '../workflows/support';

describe('public comments in the lifecycle', () => {
  let h: Harness;
  let server: TestServer;

  beforeAll(async () => {
    h = await startHarness('comments-e2e', { durations: { ...shortDurations, commentPeriodMs: 6000 } });
    const draft = snapshotOf(sampleDraft());
    server = await startCommentsServer({ db: h.db, standardCacheMs: 0, getCommentDraft: async () => draft });
  });
  afterAll(async () => {
    await server?.close();
    await h?.close();
  });

  it('accepts comments only while the workflow’s period is open and blocks completion until every visible comment has a disposition', async () => {
    const rec = await h.service.propose(sampleProposal, actors.shEco);
    const id = rec._id;
    for (const p of ['SH', 'JS', 'ZJ'] as const) await h.service.act(id, 'decideInitiation', { province: p, decision: 'approve' }, regulatorOf[p]);
    await h.service.act(id, 'submitForComment', {}, actors.drafter);

    const api = `${server.url}/api/consultation/${id}/comments`;
    const good = await postJson(api, submission({ clauseId: 'c52' }));
    expect(good.status).toBe(201);
    const spam = await postJson(api, submission({ comment: '广告' }));
    expect(spam.status).toBe(201);

    await waitForState(h, id, (s) => s.step === 'handlingComments');
    const late = await postJson(api, submission());
    expect(late.status).toBe(409);

    await expect(h.service.act(id, 'completeCommentHandling', {}, actors.drafter)).rejects.toMatchObject({ code: 'STAGE_CONFLICT', status: 409 });

    const staff = await server.signIn(actors.drafter.userId, [{ role: 'drafter', province: 'SH', standardIds: [id] }], actors.drafter.displayName);
    const list = (await (await fetch(`${server.url}/api/standards/${id}/comments`, { headers: staff })).json()) as { comments: Array<{ id: string; receipt: string }> };
    const idOf = (receipt: unknown) => list.comments.find((c) => c.receipt === receipt)?.id;
    expect((await postJson(`${server.url}/api/standards/${id}/comments/${idOf(spam.body.receipt)}/moderation`, { to: 'hidden', reason: '广告' }, staff)).status).toBe(200);
    await expect(h.service.act(id, 'completeCommentHandling', {}, actors.drafter)).rejects.toMatchObject({ code: 'STAGE_CONFLICT' });
    expect((await postJson(`${server.url}/api/standards/${id}/comments/${idOf(good.body.receipt)}/disposition`, { decision: 'rejected', reason: '现行要求已足够' }, staff)).status).toBe(200);

    const s = await h.service.act(id, 'completeCommentHandling', {}, actors.drafter);
    expect([s.stage, s.step]).toEqual(['technicalReview', 'underReview']);
  }, 90_000);
});
