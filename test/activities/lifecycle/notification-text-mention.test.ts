// A mention in a draft's comment thread links to the draft page (the editor with the threads panel), on the
// notifications page and in the e-mail; other notifications keep linking to the standard's page.
import { notificationEmail, renderNotification } from '../../../activities/lifecycle/notification-text';
import type { NotificationRecord } from '../../../activities/data/notifications';

const titles = { zh: '示范区地表水监测规范', en: 'Surface water monitoring' };
const mention: NotificationRecord = {
  _id: 'std-1:thread:t1:mention',
  standardId: 'std-1',
  kind: 'news',
  event: 'mentionedInThread',
  recipients: [],
  userIds: ['u1'],
  at: '2026-12-03T02:00:00.000Z',
  actorName: '张三',
  reason: '张三：@lisi 请看这一条',
};

test('a thread mention links to the draft page', () => {
  expect(renderNotification(mention, titles, 'zh').href).toBe('/standards/std-1/draft');
  expect(renderNotification(mention, titles, 'en', 'https://tongbiao.example/').href).toBe('https://tongbiao.example/standards/std-1/draft');
  const mail = notificationEmail(mention, titles, 'https://tongbiao.example');
  expect(mail.text).toContain('详情：https://tongbiao.example/standards/std-1/draft');
  expect(mail.text).toContain('Details: https://tongbiao.example/standards/std-1/draft');
});

test('other notifications still link to the standard’s page', () => {
  const news: NotificationRecord = { ...mention, _id: 'std-1:1:news:0', event: 'proposalSubmitted' };
  expect(renderNotification(news, titles, 'zh').href).toBe('/standards/std-1');
});
