// The whole lifecycle through the HTTP API with every role, on the real Temporal dev server, worker and
// FerretDB: the same driver `npm run demo:lifecycle` uses, then the list, the timeline and the
// notifications as each role sees them.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { driveLifecycle, type DriveResult } from '../../../scripts/demo-lifecycle-driver';
import { startAppHarness, type AppHarness } from './app-harness';

let h: AppHarness;
let server: http.Server;
let result: DriveResult;

beforeAll(async () => {
  h = await startAppHarness('lifecycleapi', {
    durations: { commentPeriodMs: 1500, reminderIntervalMs: 3_600_000, filingReminderMs: 800, reviewIntervalMs: 2500 },
  });
  server = http.createServer(h.app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  result = await driveLifecycle({ baseUrl: `http://127.0.0.1:${port}`, waitMs: 30_000 });
}, 120_000);

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await h?.close();
});

describe('a standard driven through its whole lifecycle over HTTP', () => {
  it('ends in force after the review decides to continue', () => {
    expect(result.finalState.stage).toBe('inForce');
    expect(result.finalState.step).toBe('active');
  });

  it('passes through every stage, in order, and the timeline names who did what with which role', () => {
    const stages = result.timeline.map((r) => r.toStage);
    const order = ['initiation', 'drafting', 'publicComment', 'technicalReview', 'approval', 'release', 'publicity', 'inForce', 'review'];
    let last = -1;
    for (const st of order) {
      const i = stages.indexOf(st as (typeof stages)[number], last + 1);
      expect(i).toBeGreaterThan(last);
      last = i;
    }
    const roles = new Set(result.timeline.map((r) => r.actor?.role).filter(Boolean));
    for (const role of ['ecoEnvDepartment', 'marketRegulator', 'drafter', 'executiveCommittee', 'expert', 'localBureau']) expect(roles).toContain(role);
    const returned = result.timeline.find((r) => r.action === 'decideInitiation' && r.step === 'returned');
    expect(returned?.reason).toBe('请补充三地现行排放限值对比');
    expect(returned?.actor).toMatchObject({ displayName: '江苏省市场监督管理局', role: 'marketRegulator', province: 'JS' });
    expect(result.timeline.some((r) => r.action === 'commentPeriodClosed' && r.actor === null)).toBe(true);
    expect(result.timeline.some((r) => r.action === 'reviewDue' && r.toStage === 'review')).toBe(true);
  });

  it('lists the standard with the three provinces’ numbers side by side', async () => {
    const s = await h.signIn('exec');
    const list = await s.agent.get('/api/standards').query({ stage: 'inForce' }).expect(200);
    const row = list.body.items.find((i: { _id: string }) => i._id === result.standardId);
    expect(row).toBeDefined();
    for (const p of ['SH', 'JS', 'ZJ'] as const) expect(row.provinces[p].number).toBe(result.numbers[p]);
    expect(result.numbers.SH).toMatch(/^DB31\/T 31\d{4}—\d{4}$/);
    const one = await s.agent.get(`/api/standards/${result.standardId}`).expect(200);
    expect(one.body.standard).toMatchObject({ ics: '13.060.30', ccs: 'Z 60', technicalCommittee: '长三角生态绿色一体化发展示范区执行委员会' });
  });

  it('stored the publicity event and shows it on the standard', async () => {
    const s = await h.signIn('qingpu');
    const events = await s.agent.get(`/api/standards/${result.standardId}/publicity-events`).expect(200);
    expect(events.body.items).toHaveLength(1);
    expect(events.body.items[0]).toMatchObject({ title: '示范区水污染物排放标准宣贯培训', kind: 'training', createdBy: { displayName: '青浦区生态环境局' } });
  });

  it('gives the drafting group named at proposal its drafter grant for this standard only', async () => {
    const s = await h.signIn('drafter-sh');
    const me = await s.agent.get('/api/me').expect(200);
    expect(me.body.user.grants).toEqual([{ role: 'drafter', province: 'SH', standardIds: [result.standardId] }]);
  });

  it('shows the filing (备案) reminder to each market regulation bureau, and not to other roles', async () => {
    const s = await h.signIn('js-msa');
    const deadline = Date.now() + 10_000;
    let items: Array<{ kind: string; standardId: string }> = [];
    while (Date.now() < deadline) {
      items = (await s.agent.get('/api/notifications').expect(200)).body.items;
      if (items.some((n) => n.kind === 'filingReminder')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(items.some((n) => n.kind === 'filingReminder' && n.standardId === result.standardId)).toBe(true);
    const page = await s.agent.get('/notifications').expect(200);
    // In words: the standard's title, never its id or an action code.
    expect(page.text).toContain('已发布，请办理备案');
    expect(page.text).not.toContain(`标准 ${result.standardId}`);
    expect(page.text).toContain(`href="/standards/${result.standardId}"`);
    const eco = await h.signIn('sh-eco');
    const ecoItems: Array<{ kind: string }> = (await eco.agent.get('/api/notifications').expect(200)).body.items;
    expect(ecoItems.some((n) => n.kind === 'filingReminder')).toBe(false);
  });
});
