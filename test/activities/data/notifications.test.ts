// Notifications on the real FerretDB: recorded once per id, found by the grants they address.
import type { Mongo } from '../../../activities/infra/mongo';
import { ensureNotificationsIndexes, listNotificationsFor, listNotificationsOfStandard, recordNotification } from '../../../activities/data/notifications';
import { freshMongo } from '../../support/mongo';

let m: Mongo & { drop(): Promise<void> };
beforeAll(async () => {
  m = await freshMongo('notifications');
  await ensureNotificationsIndexes(m.db);
});
afterAll(async () => m?.drop());

test('a notification is recorded once and reaches only the roles, provinces and standards it names', async () => {
  const n = { _id: 's1:3:reminder:100', standardId: 's1', kind: 'reminder' as const, action: 'decideInitiation', recipients: [{ role: 'marketRegulator' as const, province: 'JS' as const }], messageZh: '请决定', messageEn: 'Please decide', at: '2026-01-01T00:00:00.000Z' };
  expect(await recordNotification(m.db, n)).toBe(true);
  expect(await recordNotification(m.db, { ...n, messageEn: 'again' })).toBe(false);
  await recordNotification(m.db, { ...n, _id: 's1:4:reminder:100', recipients: [{ role: 'drafter', standardId: 's1' }], at: '2026-01-02T00:00:00.000Z' });
  expect((await listNotificationsOfStandard(m.db, 's1')).map((x) => x.messageEn)).toEqual(['Please decide', 'Please decide']);
  expect(await listNotificationsFor(m.db, [{ role: 'marketRegulator', province: 'JS' }])).toHaveLength(1);
  expect(await listNotificationsFor(m.db, [{ role: 'marketRegulator', province: 'ZJ' }])).toHaveLength(0);
  expect(await listNotificationsFor(m.db, [{ role: 'drafter', standardIds: ['s1'] }])).toHaveLength(1);
  expect(await listNotificationsFor(m.db, [{ role: 'drafter', standardIds: ['s2'] }])).toHaveLength(0);
});
