// Notification e-mail (issue 12 item 2): each user chooses immediate / daily digest / none on
// /notifications/settings (daily by default); the Temporal schedules run the mail workflow on the real
// Temporal dev server and worker; mails reach a real SMTP server (smtp-server, in process), in the user's
// language with absolute links; a digest lists only unread notices, once per user per day — a second run,
// a retried activity or a run that died after recording the digest sends nothing twice and skips nothing.
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { simpleParser } from './mail-parse';
import { createLogger } from '../../../activities/infra/logger';
import { createMailActivities } from '../../../activities/mail/activities';
import { MAIL_OUTBOX, type MailRow } from '../../../activities/mail/outbox';
import { NOTIFICATIONS, type NotificationRecord } from '../../../activities/data/notifications';
import { notificationSettingsExtension } from '../../../server/extensions/notification-settings';
import { ensureMailSchedules, mailScheduleId } from '../../../server/temporal/mail-schedules';
import { ACTIONS } from '../../../workflows/messages';
import { testReleaseDocuments } from '../../workflows/support';
import { sampleProposalBody, startAppHarness, type AppHarness, type SignedIn } from '../http/app-harness';

jest.setTimeout(180_000);

interface Received {
  to: string[];
  subject: string;
  text: string;
}

const inbox: Received[] = [];
let smtp: SMTPServer;
let h: AppHarness;
const BASE = 'https://tongbiao.example';
const log = createLogger('test-notification-mail');
let mailActivities: ReturnType<typeof createMailActivities>;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const parsed = simpleParser(Buffer.concat(chunks).toString('utf8'));
        inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), ...parsed });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  h = await startAppHarness('notification-mail', {
    seams: (db) => {
      mailActivities = createMailActivities({ db, logger: log, mail: { smtpUrl, baseUrl: () => BASE } });
      // The worker's mail activity sends to the sink (the seams are spread over the worker's activities).
      const stand = { ...testReleaseDocuments(db), ...mailActivities };
      return stand;
    },
    extensions: (db) => [notificationSettingsExtension({ db })],
  });
});

afterAll(async () => {
  for (const kind of ['daily', 'immediate'] as const) await h?.client.schedule.getHandle(mailScheduleId(h.taskQueue, kind)).delete().catch(() => undefined);
  await h?.close();
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
});

async function settings(a: SignedIn, form: Record<string, string>): Promise<void> {
  await a.agent.post('/notifications/settings').type('form').send({ ...form, _csrf: a.csrf }).expect(303);
}

/** Runs the schedule now and waits for that run's workflow to finish. */
async function runSchedule(kind: 'daily' | 'immediate'): Promise<void> {
  const handle = h.client.schedule.getHandle(mailScheduleId(h.taskQueue, kind));
  const before = (await handle.describe()).info.recentActions.length;
  await handle.trigger();
  for (let i = 0; i < 200; i += 1) {
    const actions = (await handle.describe()).info.recentActions;
    if (actions.length > before) {
      const last = actions[actions.length - 1].action;
      await h.client.workflow.getHandle(last.workflow.workflowId, last.workflow.firstExecutionRunId).result();
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`schedule ${kind} did not run`);
}

const to = (addr: string): Received[] => inbox.filter((m) => m.to.includes(addr));

function notice(id: string, standardId: string, userIds: string[], at: string, over: Partial<NotificationRecord> = {}): NotificationRecord {
  return { _id: `${standardId}:${id}`, standardId, kind: 'news', event: 'proposalReturned', province: 'JS', reason: '范围需要缩小', recipients: [], userIds, at, ...over };
}

test('settings page: daily digest by default, a wrong address re-shown with its message, saved choices', async () => {
  const a = await h.signIn('sh-eco');
  const page = (await a.agent.get('/notifications/settings').expect(200)).text;
  expect(page).toMatch(/id="mode-daily"[^>]*checked/);
  const bad = await a.agent.post('/notifications/settings').type('form').send({ mode: 'daily', email: 'not-an-address', lang: 'zh', _csrf: a.csrf }).expect(400);
  expect(bad.text).toContain('电子邮箱地址格式不正确');
  const badMode = await a.agent.post('/notifications/settings').type('form').send({ mode: 'hourly', email: '', lang: 'zh', _csrf: a.csrf }).expect(400);
  expect(badMode.text).toContain('请选择一种邮件提醒方式');
  await settings(a, { mode: 'immediate', email: 'eco@example.cn', lang: 'en' });
  const saved = (await a.agent.get('/notifications/settings?lang=en').expect(200)).text;
  expect(saved).toMatch(/id="mode-immediate"[^>]*checked/);
  expect(saved).toContain('value="eco@example.cn"');
  expect(saved).toMatch(/<option value="en" selected>/);
  expect((await a.agent.get('/notifications?lang=zh').expect(200)).text).toContain('href="/notifications/settings"');
});

test('the daily digest: one mail per user per day, unread only, in the user language, never twice', async () => {
  const eco = await h.signIn('sh-eco');
  const js = await h.signIn('js-eco');
  const zj = await h.signIn('zj-eco');
  const exec = await h.signIn('exec');
  const created = await eco.post('/api/standards', sampleProposalBody).expect(201);
  const sid = (created.body as { _id: string })._id;
  // Everything the proposal itself told them is read: the digest lists what follows.
  for (const a of [eco, js, zj, exec]) await a.agent.get('/notifications').expect(200);
  await settings(eco, { mode: 'daily', email: 'eco@example.cn', lang: 'zh' });
  await settings(js, { mode: 'daily', email: 'js@example.cn', lang: 'zh' });
  await settings(zj, { mode: 'none', email: 'zj@example.cn', lang: 'zh' });
  await settings(exec, { mode: 'immediate', email: 'exec@example.cn', lang: 'en' });
  const col = h.db.collection<NotificationRecord>(NOTIFICATIONS);
  const now = Date.now();
  const iso = (ms: number) => new Date(now + ms).toISOString();
  await col.insertMany([
    notice('90:news:0', sid, [eco.userId, js.userId, zj.userId], iso(1000)),
    notice('91:news:0', sid, [eco.userId, exec.userId], iso(2000), { event: 'published', reason: undefined }),
  ]);
  // js-eco reads the list first: nothing unread, so no digest.
  await js.agent.get('/notifications').expect(200);

  await ensureMailSchedules(h.client, h.taskQueue, log);
  await ensureMailSchedules(h.client, h.taskQueue, log); // a second start-up keeps the schedules
  await runSchedule('daily');
  const digests = to('eco@example.cn');
  expect(digests).toHaveLength(1);
  expect(digests[0].subject).toMatch(/^统标：\d{4}-\d{2}-\d{2} 您有 2 条未读提醒$/);
  expect(digests[0].text).toContain(`《${sampleProposalBody.titleZh}》：江苏省市场监督管理局退回了立项申请`);
  expect(digests[0].text).toContain('理由：范围需要缩小');
  expect(digests[0].text).toContain(`《${sampleProposalBody.titleZh}》：已发布`);
  expect(digests[0].text).toContain(`查看：${BASE}/standards/${sid}`);
  expect(digests[0].text).toContain(`${BASE}/standards/${sid}`);
  expect(digests[0].text).toContain(`${BASE}/notifications/settings`);
  for (const code of ACTIONS.filter((x) => /[A-Z]/.test(x))) expect(digests[0].text).not.toContain(code);
  expect(to('js@example.cn')).toHaveLength(0);
  expect(to('zj@example.cn')).toHaveLength(0);

  // The schedule runs again the same day, and the activity is retried: still one digest.
  await runSchedule('daily');
  const day = (digests[0].subject.match(/\d{4}-\d{2}-\d{2}/) ?? [''])[0];
  await mailActivities.runNotificationMail({ kind: 'daily', day });
  expect(to('eco@example.cn')).toHaveLength(1);

  // The next day's digest; then a run that died after recording it, before queueing its mail (the outbox
  // row missing): the next run queues and sends it, and a further run sends nothing.
  await col.insertOne(notice('92:news:0', sid, [eco.userId], iso(3000), { event: 'withdrawn', reason: undefined }));
  const next = '2099-01-01';
  await mailActivities.runNotificationMail({ kind: 'daily', day: next });
  expect(to('eco@example.cn')).toHaveLength(2);
  expect(to('eco@example.cn')[1].subject).toContain('您有 1 条未读提醒');
  await h.db.collection<MailRow>(MAIL_OUTBOX).deleteOne({ _id: `digest:${eco.userId}:${next}` });
  await mailActivities.runNotificationMail({ kind: 'daily', day: next });
  expect(to('eco@example.cn')).toHaveLength(3);
  expect(to('eco@example.cn')[2].subject).toBe(to('eco@example.cn')[1].subject);
  await mailActivities.runNotificationMail({ kind: 'daily', day: next });
  expect(to('eco@example.cn')).toHaveLength(3);

  // Immediate mail: one per notice, in English, once.
  await runSchedule('immediate');
  await runSchedule('immediate');
  const execMail = to('exec@example.cn');
  expect(execMail).toHaveLength(1);
  expect(execMail[0].subject).toBe(`Tongbiao: “${sampleProposalBody.titleEn}” has been published`);
  expect(execMail[0].text).toContain(`${BASE}/standards/${sid}?lang=en`);
});
