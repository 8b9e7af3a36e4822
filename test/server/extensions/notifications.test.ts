// Notifications people can act on (issue 12 item 2), against the real Temporal dev server and FerretDB:
// each transition tells who must act next and whom it concerns, in words (title, what happened, what to do,
// a link), never an id or an action code, only to recipients the permission table lets act; the header's
// unread count; the watch list; ids the reconciler's cleanup applies to.
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createApp, type TongbiaoApp } from '../../../server/app';
import { DEMO_PASSWORD, seedDemoAccounts } from '../../../server/auth/demo-accounts';
import { watchExtension } from '../../../server/extensions/watch';
import { createLogger } from '../../../activities/infra/logger';
import { NOTIFICATIONS, removeNotificationsAbove, type NotificationRecord } from '../../../activities/data/notifications';
import { ACTIONS, type Action } from '../../../workflows/messages';
import { checkAction, PROVINCE_ACTIONS } from '../../../workflows/permissions';
import { grantOfRecipient } from '../../../activities/lifecycle/transition-notices';
import { startHarness, waitForState, type Harness } from '../../workflows/support';
import { sampleProposalBody, testConfig } from '../http/app-harness';

jest.setTimeout(120_000);

let h: Harness;
let tb: TongbiaoApp;

interface Agent {
  agent: TestAgent;
  csrf: string;
  userId: string;
}

async function signIn(username: string): Promise<Agent> {
  const agent = request.agent(tb.app);
  const res = await agent.post('/api/session').send({ username, password: DEMO_PASSWORD }).expect(200);
  const body = res.body as { csrfToken: string; user: { userId: string } };
  return { agent, csrf: body.csrfToken, userId: body.user.userId };
}

const post = (a: Agent, url: string, body: unknown = {}) => a.agent.post(url).set('X-CSRF-Token', a.csrf).set('Accept', 'application/json').send(body as object);

async function notificationsPage(a: Agent, lang: 'zh' | 'en' = 'zh'): Promise<string> {
  return (await a.agent.get(`/notifications?lang=${lang}`).expect(200)).text;
}

/** The visible text of the list (tags stripped), without the page frame. */
function listText(html: string): string {
  const m = /<ul class="notices">([\s\S]*?)<\/ul>/.exec(html);
  return (m ? m[1] : '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

function unreadBadge(html: string): number {
  const m = /site-nav__notifications">[^<]*<span class="badge"[^>]*>(\d+)/.exec(html);
  return m ? Number(m[1]) : 0;
}

async function allNotifications(standardId: string): Promise<NotificationRecord[]> {
  return h.db.collection<NotificationRecord>(NOTIFICATIONS).find({ standardId }).toArray();
}

/** Every derived notification naming an action is addressed only to recipients who may take it there. */
async function expectOnlyActionableRecipients(standardId: string): Promise<void> {
  for (const n of await allNotifications(standardId)) {
    if (n.kind !== 'actionDue') continue;
    const provinces = { SH: { decision: 'pending' as const }, JS: { decision: 'pending' as const }, ZJ: { decision: 'pending' as const } };
    for (const r of n.recipients) {
      const province = PROVINCE_ACTIONS.includes(n.action as Action) ? r.province : undefined;
      const ok = checkAction(n.action as Action, [grantOfRecipient(r)], { standardId, leadProvince: 'SH', stage: n.stage!, step: n.step!, provinces }, province);
      expect({ id: n._id, recipient: r, ok: ok.ok }).toEqual({ id: n._id, recipient: r, ok: true });
    }
  }
}

function expectNoCodes(text: string, standardId: string): void {
  expect(text).not.toContain(standardId);
  // Action codes in camelCase (plain words such as "resubmit" may appear in an English sentence).
  for (const a of ACTIONS.filter((x) => /[A-Z]/.test(x))) expect(text).not.toContain(a);
}

beforeAll(async () => {
  h = await startHarness('notifications');
  await seedDemoAccounts(h.db);
  tb = await createApp({
    config: testConfig(),
    db: h.db,
    lifecycle: h.service,
    logger: createLogger('test-app-notifications'),
    signInRateLimit: { windowMs: 60_000, limit: 1000 },
    extensions: [watchExtension({ db: h.db })],
  });
});

afterAll(async () => {
  await tb?.close();
  await h?.close();
});

test('a lifecycle tells each party its turn and its news, in words, only to those who can act', async () => {
  const shEco = await signIn('sh-eco');
  const regs = { SH: await signIn('sh-msa'), JS: await signIn('js-msa'), ZJ: await signIn('zj-msa') };
  const exec = await signIn('exec');
  const drafter = await signIn('drafter-sh');

  const created = await post(shEco, '/api/standards', sampleProposalBody).expect(201);
  const id = (created.body as { _id: string })._id;
  await waitForState(h, id, (s) => s.revision >= 0);
  // A new proposal: each bureau is told its decision is due.
  for (const reg of Object.values(regs)) {
    const t = listText(await notificationsPage(reg));
    expect(t).toContain(`《${sampleProposalBody.titleZh}》：新的立项申请已提交`);
    expect(t).toContain('请代表贵局作出立项决定');
  }

  // The executive committee follows the standard from its page.
  const page = await exec.agent.get(`/standards/${id}`).expect(200);
  expect(page.text).toContain(`action="/standards/${id}/watch"`);
  expect((await post(exec, `/standards/${id}/watch`).expect(200)).body).toEqual({ standardId: id, watching: true });
  expect((await exec.agent.get(`/standards/${id}`).expect(200)).text).toContain(`action="/standards/${id}/unwatch"`);

  // SH returns the proposal with a reason → the proposer is told, with the reason and a link.
  const before = unreadBadge((await shEco.agent.get('/standards?lang=zh').expect(200)).text);
  await post(regs.SH, `/api/standards/${id}/actions/decideInitiation`, { province: 'SH', decision: 'return', reason: '范围需要缩小到示范区' }).expect(200);
  const afterReturn = unreadBadge((await shEco.agent.get('/standards?lang=zh').expect(200)).text);
  expect(afterReturn).toBeGreaterThan(before);
  const proposerView = await notificationsPage(shEco);
  const text = listText(proposerView);
  expect(text).toContain(`《${sampleProposalBody.titleZh}》：上海市市场监督管理局退回了立项申请`);
  expect(text).toContain('理由：范围需要缩小到示范区');
  expect(text).toContain('请按退回理由修改后重新提交');
  expect(proposerView).toContain(`href="/standards/${id}"`);
  expectNoCodes(text, id);
  // Reading the list moves the read marker: the count goes down.
  expect(unreadBadge((await shEco.agent.get('/standards?lang=zh').expect(200)).text)).toBeLessThan(afterReturn);
  // In English too.
  const en = listText(await notificationsPage(shEco, 'en'));
  expect(en).toContain(`“${sampleProposalBody.titleEn}”: Shanghai Administration for Market Regulation returned the proposal`);
  expectNoCodes(en, id);

  // The watcher hears of it too.
  expect(listText(await notificationsPage(exec))).toContain('退回了立项申请');

  // Resubmitted → each bureau: your decision is due.
  await post(shEco, `/api/standards/${id}/actions/resubmit`, { reason: '已缩小范围' }).expect(200);
  for (const p of ['SH', 'JS', 'ZJ'] as const) {
    const t = listText(await notificationsPage(regs[p]));
    expect(t).toContain('请代表贵局作出立项决定');
    expectNoCodes(t, id);
  }
  const due = (await allNotifications(id)).filter((n) => n.kind === 'actionDue' && n.action === 'decideInitiation').sort((a, b) => (a.at < b.at ? 1 : -1))[0];
  expect(due.recipients.map((r) => r.province).sort()).toEqual(['JS', 'SH', 'ZJ']);

  // All three approve → drafters are told the draft is open; the proposer that it was approved.
  for (const p of ['SH', 'JS', 'ZJ'] as const) await post(regs[p], `/api/standards/${id}/actions/decideInitiation`, { province: p, decision: 'approve' }).expect(200);
  const drafterText = listText(await notificationsPage(drafter));
  expect(drafterText).toContain('起草阶段开始，草案已开放编辑');
  expect(drafterText).toContain('请编辑草案');
  expect(listText(await notificationsPage(shEco))).toContain('均已批准立项');

  // Submitted for comment → drafters told the draft locked; the period closes → who may handle comments is told.
  await post(drafter, `/api/standards/${id}/actions/submitForComment`, {}).expect(200);
  expect(listText(await notificationsPage(drafter))).toContain('草案已锁定');
  await waitForState(h, id, (s) => s.step === 'handlingComments');
  for (let i = 0; i < 50 && !(await allNotifications(id)).some((n) => n.event === 'commentPeriodClosed' && n.kind === 'actionDue'); i += 1) await new Promise((r) => setTimeout(r, 100));
  const closed = (await allNotifications(id)).find((n) => n.event === 'commentPeriodClosed' && n.kind === 'actionDue');
  expect(closed?.action).toBe('completeCommentHandling');
  expect(closed?.recipients).toContainEqual({ role: 'ecoEnvDepartment', province: 'SH' });
  expect(listText(await notificationsPage(shEco))).toContain('征求意见期已结束');
  // The drafters are told the draft is open again to work accepted comments in (item 6).
  expect(listText(await notificationsPage(drafter))).toContain('草案已重新开放编辑');

  // Nobody is told to do what they cannot; every id carries the revision, so the reconciler's cleanup applies.
  await expectOnlyActionableRecipients(id);
  const all = await allNotifications(id);
  for (const n of all) expect(n._id).toMatch(new RegExp(`^${id}:\\d+:`));
  const removed = await removeNotificationsAbove(h.db, id, 1);
  expect(removed.length).toBeGreaterThan(0);
  expect((await allNotifications(id)).every((n) => Number(n._id.split(':')[1]) <= 1)).toBe(true);

  // Unwatching stops it.
  expect((await post(exec, `/standards/${id}/unwatch`).expect(200)).body).toEqual({ standardId: id, watching: false });
});

test('the list pages newest first by keyset', async () => {
  const admin = await signIn('admin');
  const col = h.db.collection<NotificationRecord>(NOTIFICATIONS);
  const docs: NotificationRecord[] = Array.from({ length: 45 }, (_, i) => ({
    _id: `paging:${i}:news`,
    standardId: 'paging',
    kind: 'news',
    event: 'published',
    recipients: [{ role: 'admin' }],
    at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
  }));
  await col.insertMany(docs);
  const first = await notificationsPage(admin);
  expect((first.match(/data-notification="paging:/g) ?? []).length).toBe(20);
  expect(first).toContain('data-notification="paging:44:news"');
  const next = /href="(\/notifications\?before=[^"]+)"/.exec(first)?.[1];
  expect(next).toBeDefined();
  const second = (await admin.agent.get(next!.replace(/&amp;/g, '&')).expect(200)).text;
  expect(second).toContain('data-notification="paging:24:news"');
  expect(second).not.toContain('data-notification="paging:44:news"');
});
