// GET /api/notifications returns exactly the signed-in user's notices (issue 12): the same rule as the
// /notifications page — addressed to them by user id, or by a role grant whose scope covers them — not every
// notice of their role; paginated newest first with a cursor that covers every record once.
import { upsertUser } from '../../../activities/data/users';
import { NOTIFICATIONS, type NotificationRecord } from '../../../activities/data/notifications';
import { DEMO_PASSWORD } from '../../../server/auth/demo-accounts';
import { hashPassword } from '../../../server/auth/passwords';
import { startAppHarness, type AppHarness } from './app-harness';

jest.setTimeout(120_000);

let h: AppHarness;

interface ApiItem {
  id: string;
  headline: string;
  href: string;
  unread: boolean;
}

beforeAll(async () => {
  h = await startAppHarness('notifications-api');
  // A second user of the same role and province as the demo account sh-eco.
  await upsertUser(h.db, { username: 'sh-eco-2', displayName: '上海市生态环境局（二）', passwordHash: await hashPassword(DEMO_PASSWORD), grants: [{ role: 'ecoEnvDepartment', province: 'SH' }] });
});

afterAll(async () => {
  await h?.close();
});

const at = (i: number): string => new Date(Date.UTC(2026, 1, 1, 0, i)).toISOString();

test('two users of the same role see their own notices, page by page', async () => {
  const a = await h.signIn('sh-eco');
  const b = await h.signIn('sh-eco-2');
  const col = h.db.collection<NotificationRecord>(NOTIFICATIONS);
  const docs: NotificationRecord[] = [
    // To the role in SH: both see it.
    { _id: 'napi:1:actionDue:0', standardId: 'napi', kind: 'actionDue', action: 'completeCommentHandling', event: 'commentPeriodClosed', stage: 'publicComment', step: 'handlingComments', recipients: [{ role: 'ecoEnvDepartment', province: 'SH' }], at: at(0) },
    // To the same role in JS: neither sees it.
    { _id: 'napi:2:actionDue:0', standardId: 'napi', kind: 'actionDue', action: 'completeCommentHandling', event: 'commentPeriodClosed', stage: 'publicComment', step: 'handlingComments', recipients: [{ role: 'ecoEnvDepartment', province: 'JS' }], at: at(1) },
    // To user a only (the proposer), 25 of them so the list needs two pages.
    ...Array.from({ length: 25 }, (_, i): NotificationRecord => ({ _id: `napi:${10 + i}:news:0`, standardId: 'napi', kind: 'news', event: 'proposalReturned', province: 'JS', reason: `理由${i}`, recipients: [], userIds: [a.userId], at: at(10 + i) })),
    // To user b only (a follower).
    { _id: 'napi:40:news:0', standardId: 'napi', kind: 'news', event: 'published', recipients: [], userIds: [b.userId], at: at(40) },
  ];
  await col.insertMany(docs);

  const first = (await a.agent.get('/api/notifications').expect(200)).body as { items: ApiItem[]; next?: string };
  expect(first.items).toHaveLength(20);
  expect(first.items[0].id).toBe('napi:34:news:0');
  expect(first.items[0].headline).toContain('江苏省市场监督管理局退回了立项申请');
  expect(first.items[0].href).toBe('/standards/napi');
  expect(first.items[0]).toMatchObject({ standardId: 'napi', kind: 'news', event: 'proposalReturned' });
  expect(first.next).toEqual(expect.any(String));
  const second = (await a.agent.get(`/api/notifications?before=${first.next}`).expect(200)).body as { items: ApiItem[]; next?: string };
  const aIds = [...first.items, ...second.items].map((n) => n.id);
  // Every record of a's once, none of b's or of another province.
  expect(new Set(aIds).size).toBe(aIds.length);
  expect(aIds.sort()).toEqual([...Array.from({ length: 25 }, (_, i) => `napi:${10 + i}:news:0`), 'napi:1:actionDue:0'].sort());
  expect(second.next).toBeUndefined();

  const bList = (await b.agent.get('/api/notifications?lang=en').expect(200)).body as { items: ApiItem[]; next?: string };
  expect(bList.items.map((n) => n.id)).toEqual(['napi:40:news:0', 'napi:1:actionDue:0']);
  expect(bList.items[0].headline).toContain('has been published');

  // The page shows the same notices as the API.
  const page = (await b.agent.get('/notifications').expect(200)).text;
  expect((page.match(/data-notification="napi:/g) ?? []).length).toBe(2);

  // A limit and a mangled cursor are checked.
  expect(((await a.agent.get('/api/notifications?limit=3').expect(200)).body as { items: ApiItem[] }).items).toHaveLength(3);
  const bad = await a.agent.get('/api/notifications?before=zzz').expect(400);
  expect((bad.body as { message_zh: string }).message_zh).toContain('游标无效');
  await a.agent.get('/api/notifications?limit=0').expect(400);
});

test('anonymous callers are refused', async () => {
  const { default: request } = await import('supertest');
  await request(h.app).get('/api/notifications').expect(401);
});
