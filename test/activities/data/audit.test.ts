// The audit log on the real FerretDB: one entry per (standard, revision) however often it is written,
// read back in order.
import type { Mongo } from '../../../activities/infra/mongo';
import { appendAudit, ensureAuditIndexes, listAudit, recordAuditOfRevision } from '../../../activities/data/audit';
import { freshMongo } from '../../support/mongo';

let m: Mongo & { drop(): Promise<void> };
beforeAll(async () => {
  m = await freshMongo('audit');
  await ensureAuditIndexes(m.db);
});
afterAll(async () => m?.drop());

const actor = { userId: 'u1', displayName: '江苏省市场监督管理局', role: 'marketRegulator' as const, province: 'JS' as const };

test('writing the same revision twice keeps one entry (a retried activity), and the timeline is in order', async () => {
  const e1 = { standardId: 'a1', revision: 1, at: '2026-01-01T00:00:01.000Z', actor, fromStage: 'initiation' as const, toStage: 'initiation' as const, step: 'returned' as const, action: 'decideInitiation', reason: '请补充' };
  expect(await appendAudit(m.db, e1)).toBe(true);
  expect(await appendAudit(m.db, { ...e1, reason: 'changed on retry' })).toBe(false);
  await appendAudit(m.db, { standardId: 'a1', revision: 0, at: '2026-01-01T00:00:00.000Z', actor, fromStage: null, toStage: 'initiation', step: 'awaitingDecisions', action: 'propose' });
  await appendAudit(m.db, { standardId: 'a1', revision: 2, at: '2026-01-01T00:00:02.000Z', actor: null, fromStage: 'initiation', toStage: 'withdrawn', step: 'ended', action: 'withdraw' });
  const log = await listAudit(m.db, 'a1');
  expect(log.map((e) => [e.revision, e.role, e.reason])).toEqual([[0, 'marketRegulator', undefined], [1, 'marketRegulator', '请补充'], [2, null, undefined]]);
  expect(await listAudit(m.db, 'other')).toEqual([]);
});

test('a later attempt of the workflow task replaces what an abandoned attempt wrote for the same revision, never the reverse', async () => {
  const base = { standardId: 'a2', revision: 4, at: '2026-01-01T00:00:04.000Z', actor, fromStage: 'approval' as const, toStage: 'approval' as const, step: 'awaitingDecisions' as const };
  expect(await recordAuditOfRevision(m.db, { ...base, action: 'setReleaseDates', attemptMark: 20 })).toBe(true);
  expect(await recordAuditOfRevision(m.db, { ...base, action: 'decideApproval', attemptMark: 26 })).toBe(true);
  // The abandoned attempt's write landing late, and a plain retry of the committed one, change nothing.
  expect(await recordAuditOfRevision(m.db, { ...base, action: 'setReleaseDates', attemptMark: 20 })).toBe(false);
  expect(await recordAuditOfRevision(m.db, { ...base, action: 'decideApproval', attemptMark: 26 })).toBe(false);
  const log = await listAudit(m.db, 'a2');
  expect(log.map((e) => [e.revision, e.action])).toEqual([[4, 'decideApproval']]);
});
