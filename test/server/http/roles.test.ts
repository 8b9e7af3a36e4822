// Role, province and stage checks at the HTTP boundary: the server refuses (403 role, 409 stage) with a
// bilingual reason before anything reaches the workflow, shows each role exactly the actions it may take
// now, and applies drafter grants given per standard at once.
import { sampleProposalBody, startAppHarness, type AppHarness, type SignedIn } from './app-harness';

let h: AppHarness;
let s: Record<string, SignedIn>;

beforeAll(async () => {
  h = await startAppHarness('roles');
  s = {};
  for (const u of ['sh-eco', 'js-eco', 'sh-msa', 'js-msa', 'zj-msa', 'exec', 'qingpu', 'drafter-sh', 'drafter-js', 'expert', 'admin']) s[u] = await h.signIn(u);
}, 60_000);

afterAll(async () => {
  await h?.close();
});

async function propose(by = 'sh-eco', drafterUsernames: string[] = []): Promise<string> {
  const res = await s[by].post('/api/standards', { ...sampleProposalBody, drafterUsernames }).expect(201);
  return res.body._id as string;
}

async function auditCount(id: string): Promise<number> {
  return h.db.collection('audit_log').countDocuments({ standardId: id });
}

describe('who may propose', () => {
  it('lets an eco-environment department propose and makes its province the lead', async () => {
    const res = await s['js-eco'].post('/api/standards', sampleProposalBody).expect(201);
    expect(res.body).toMatchObject({ leadProvince: 'JS', stage: 'initiation', titleZh: sampleProposalBody.titleZh });
  });

  it.each(['sh-msa', 'exec', 'qingpu', 'drafter-sh', 'expert', 'admin'])('refuses a proposal by %s with 403', async (u) => {
    const before = await h.db.collection('standards').countDocuments();
    const res = await s[u].post('/api/standards', sampleProposalBody).expect(403);
    expect(res.body).toMatchObject({ code: 'FORBIDDEN', message_zh: '只有生态环境部门可以提出立项' });
    expect(await h.db.collection('standards').countDocuments()).toBe(before);
  });

  it('refuses a drafting group naming an account that does not exist, storing nothing', async () => {
    const before = await h.db.collection('standards').countDocuments();
    const res = await s['sh-eco'].post('/api/standards', { ...sampleProposalBody, drafterUsernames: ['drafter-sh', 'ghost'] }).expect(400);
    expect(res.body.message_en).toContain('ghost');
    expect(await h.db.collection('standards').countDocuments()).toBe(before);
  });
});

describe('per-province decisions', () => {
  it('refuses a bureau deciding for another province (403) and deciding twice (409)', async () => {
    const id = await propose();
    const n = await auditCount(id);
    const other = await s['js-msa'].post(`/api/standards/${id}/actions/decideInitiation`, { province: 'SH', decision: 'approve' }).expect(403);
    expect(other.body).toMatchObject({ code: 'FORBIDDEN', message_zh: '只有该省（市）市场监督管理局可以执行此操作' });
    await s['sh-msa'].post(`/api/standards/${id}/actions/decideInitiation`, { province: 'SH', decision: 'approve' }).expect(200);
    const twice = await s['sh-msa'].post(`/api/standards/${id}/actions/decideInitiation`, { province: 'SH', decision: 'approve' }).expect(409);
    expect(twice.body).toMatchObject({ code: 'STAGE_CONFLICT', message_en: 'This province has already decided' });
    expect(await auditCount(id)).toBe(n + 1);
  });

  it('refuses an action out of its stage with 409 and the stage named', async () => {
    const id = await propose();
    const res = await s['sh-msa'].post(`/api/standards/${id}/actions/decideApproval`, { province: 'SH', decision: 'approve', number: 'DB31/T 310001—2026' }).expect(409);
    expect(res.body.code).toBe('STAGE_CONFLICT');
    expect(res.body.message_en).toContain('initiation');
  });

  it('requires a reason to return a proposal', async () => {
    const id = await propose();
    const res = await s['zj-msa'].post(`/api/standards/${id}/actions/decideInitiation`, { province: 'ZJ', decision: 'return' }).expect(400);
    expect(res.body.details).toEqual([expect.objectContaining({ path: 'reason' })]);
  });

  it("refuses a number that is not the province's own code", async () => {
    const id = await propose();
    const res = await s['sh-msa'].post(`/api/standards/${id}/actions/decideApproval`, { province: 'SH', decision: 'approve', number: 'DB32/T 320001—2026' }).expect(400);
    expect(res.body.details).toEqual([expect.objectContaining({ path: 'number' })]);
  });
});

describe('the actions each role is shown', () => {
  it('shows each bureau only its own decision, the lead and the committee withdrawal, and others nothing', async () => {
    const id = await propose();
    const actionsOf = async (u: string) => (await s[u].agent.get(`/api/standards/${id}`).expect(200)).body.actions;
    expect(await actionsOf('sh-msa')).toEqual([{ action: 'decideInitiation', province: 'SH' }]);
    expect(await actionsOf('zj-msa')).toEqual([{ action: 'decideInitiation', province: 'ZJ' }]);
    expect(await actionsOf('sh-eco')).toEqual([{ action: 'withdraw' }]);
    expect(await actionsOf('exec')).toEqual([{ action: 'withdraw' }]);
    for (const u of ['js-eco', 'qingpu', 'drafter-sh', 'expert', 'admin']) expect(await actionsOf(u)).toEqual([]);
  });
});

describe('drafters of a standard', () => {
  async function approveAll(id: string): Promise<void> {
    for (const [u, p] of [['sh-msa', 'SH'], ['js-msa', 'JS'], ['zj-msa', 'ZJ']] as const) {
      await s[u].post(`/api/standards/${id}/actions/decideInitiation`, { province: p, decision: 'approve' }).expect(200);
    }
  }

  it('lets only the drafting group of this standard submit the draft, with grants applied without signing in again', async () => {
    const id = await propose('sh-eco', ['drafter-sh']);
    await approveAll(id);
    const refused = await s['drafter-js'].post(`/api/standards/${id}/actions/submitForComment`, {}).expect(403);
    expect(refused.body.message_zh).toContain('起草组');
    // Not the lead department: refused.
    await s['js-eco'].post(`/api/standards/${id}/drafters`, { usernames: ['drafter-js'] }).expect(403);
    const added = await s['sh-eco'].post(`/api/standards/${id}/drafters`, { usernames: ['drafter-js'] }).expect(200);
    expect(added.body.drafters.map((d: { username: string }) => d.username)).toEqual(['drafter-js', 'drafter-sh']);
    // Same session as before: the grant is read fresh on each request.
    const state = await s['drafter-js'].post(`/api/standards/${id}/actions/submitForComment`, { reason: '征求意见稿' }).expect(200);
    expect(state.body).toMatchObject({ stage: 'publicComment', step: 'open' });
  });

  it('lets the executive committee add drafters, and refuses unknown accounts by name', async () => {
    const id = await propose();
    await s.exec.post(`/api/standards/${id}/drafters`, { usernames: ['drafter-sh'] }).expect(200);
    const res = await s.exec.post(`/api/standards/${id}/drafters`, { usernames: ['nobody-here'] }).expect(400);
    expect(res.body.message_zh).toContain('nobody-here');
  });
});

describe('withdrawal', () => {
  it('is refused to a local bureau, taken by the lead with a reason, and then nothing else is possible', async () => {
    const id = await propose();
    await s.qingpu.post(`/api/standards/${id}/actions/withdraw`, { reason: '不需要' }).expect(403);
    await s['sh-eco'].post(`/api/standards/${id}/actions/withdraw`, {}).expect(400);
    const st = await s['sh-eco'].post(`/api/standards/${id}/actions/withdraw`, { reason: '国家标准已覆盖' }).expect(200);
    expect(st.body.stage).toBe('withdrawn');
    const after = await s['sh-msa'].post(`/api/standards/${id}/actions/decideInitiation`, { province: 'SH', decision: 'approve' }).expect(409);
    expect(after.body.code).toBe('STAGE_CONFLICT');
    await s['sh-eco'].post(`/api/standards/${id}/drafters`, { usernames: ['drafter-sh'] }).expect(409);
    const timeline = (await s.exec.agent.get(`/api/standards/${id}/timeline`).expect(200)).body.items;
    expect(timeline.at(-1)).toMatchObject({ toStage: 'withdrawn', action: 'withdraw', reason: '国家标准已覆盖', actor: { displayName: '上海市生态环境局', role: 'ecoEnvDepartment' } });
  });
});
