// Issue 12 item 8 on the public site: a withdrawn proposal's page says so, and neither calls itself
// 征求意见稿, nor says the comment period ended, nor invites comments.
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../../server/app';
import { createCommentsRouter } from '../../../server/comments';
import { createLogger } from '../../../activities/infra/logger';
import { testConfig } from './app-harness';
import { actors, sampleProposal, startHarness, type Harness } from '../../workflows/support';

let h: Harness;
let app: Express;

beforeAll(async () => {
  h = await startHarness('issue12public');
  const t = await createApp({
    config: testConfig(),
    db: h.db,
    lifecycle: h.service,
    logger: createLogger('test-issue12-public'),
    extensions: [({ app: a }) => a.use(createCommentsRouter({ db: h.db, getCommentDraft: async () => null, standardCacheMs: 0 }))],
  });
  app = t.app;
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe('a withdrawn proposal on the public site (item 8)', () => {
  it('says it was withdrawn and neither calls itself 征求意见稿 nor says the period ended nor invites comments', async () => {
    const rec = await h.service.propose({ ...sampleProposal, proposalCommentDays: 20 }, actors.shEco);
    const id = rec._id;
    const open = await request(app).get(`/consultation/${id}`).expect(200);
    expect(open.text).toContain(`/consultation/${id}/comment`);
    await h.service.act(id, 'withdraw', { reason: '不再需要' }, actors.shEco);
    const page = await request(app).get(`/consultation/${id}`).expect(200);
    expect(page.text).toContain('本项目已撤销');
    expect(page.text).not.toContain('征求意见稿');
    expect(page.text).not.toContain('征求意见期已结束');
    expect(page.text).not.toContain(`/consultation/${id}/comment"`);
    expect(page.text).not.toContain('可以对项目建议整体提意见');
  });
});
