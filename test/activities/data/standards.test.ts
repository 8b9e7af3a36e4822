// The standards projection on the real FerretDB: it only moves forward by revision, unsets cleared fields,
// and the list queries filter by stage and lead province, newest first; /published's keyset pages cover every
// released standard newest first, each page an index walk that seeks past the unpublished ones.
import type { Mongo } from '../../../activities/infra/mongo';
import { applyProjection, ensureStandardsIndexes, getStandard, insertStandard, listStandards, projectedRevision, publishedPageQuery, type LifecycleProjection } from '../../../activities/data/standards';
import type { StandardRecord } from '../../../workflows/domain';
import { freshMongo } from '../../support/mongo';

let m: Mongo & { drop(): Promise<void> };
beforeAll(async () => {
  m = await freshMongo('standards');
  await ensureStandardsIndexes(m.db);
});
afterAll(async () => m?.drop());

function record(id: string, leadProvince: StandardRecord['leadProvince'], updatedAt: string): StandardRecord {
  return {
    _id: id, titleZh: '标准', titleEn: 'Standard', kind: 'qualityStandard', mandatory: false, field: 'air', scope: 's', leadProvince,
    leadUnits: ['u'], participatingUnits: [], plannedYear: 2026, draftingUnits: [], drafters: [], stage: 'initiation', step: 'awaitingDecisions',
    provinces: { SH: { decision: 'pending' }, JS: { decision: 'pending' }, ZJ: { decision: 'pending' } }, pendingProvinces: ['SH', 'JS', 'ZJ'],
    revision: 0, createdAt: updatedAt, createdBy: 'u', updatedAt, workflowId: `standard-${id}`,
  };
}

function projection(revision: number, extra: Partial<LifecycleProjection> = {}): LifecycleProjection {
  return {
    stage: 'drafting', step: 'editing', provinces: { SH: { decision: 'approved' }, JS: { decision: 'approved' }, ZJ: { decision: 'approved' } },
    pendingProvinces: [], revision, updatedAt: `2026-01-0${Math.min(revision, 9)}T00:00:00.000Z`, ...extra,
  };
}

test('a projection applies only when its revision is newer, so late or retried writes never roll back', async () => {
  await insertStandard(m.db, record('p1', 'SH', '2026-01-01T00:00:00.000Z'));
  expect(await applyProjection(m.db, 'p1', projection(3, { commentDeadline: '2026-02-01T00:00:00.000Z' }))).toBe(true);
  expect(await applyProjection(m.db, 'p1', projection(2, { stage: 'initiation' }))).toBe(false);
  expect(await applyProjection(m.db, 'p1', projection(3))).toBe(false);
  expect(await projectedRevision(m.db, 'p1')).toBe(3);
  expect((await getStandard(m.db, 'p1'))?.stage).toBe('drafting');
  expect(await applyProjection(m.db, 'p1', projection(4, { stage: 'publicComment', commentDeadline: undefined }))).toBe(true);
  const rec = await getStandard(m.db, 'p1');
  expect(rec?.stage).toBe('publicComment');
  expect(rec).not.toHaveProperty('commentDeadline');
});

test('lists filter by stage and by lead province, newest first, with only the list fields', async () => {
  await insertStandard(m.db, record('l1', 'JS', '2026-03-01T00:00:00.000Z'));
  await insertStandard(m.db, record('l2', 'JS', '2026-03-02T00:00:00.000Z'));
  await insertStandard(m.db, record('l3', 'ZJ', '2026-03-03T00:00:00.000Z'));
  expect((await listStandards(m.db, { leadProvince: 'JS' })).map((r) => r._id)).toEqual(['l2', 'l1']);
  expect((await listStandards(m.db, { stage: 'initiation' })).map((r) => r._id)).toEqual(['l3', 'l2', 'l1']);
  expect((await listStandards(m.db, { stage: 'initiation', limit: 1 })).map((r) => r._id)).toEqual(['l3']);
  const [row] = await listStandards(m.db, { leadProvince: 'ZJ' });
  expect(row).not.toHaveProperty('scope');
  expect(row.provinces.SH.decision).toBe('pending');
  const indexes = (await m.db.collection('standards').indexes()).map((i) => i.name);
  expect(indexes).toEqual(expect.arrayContaining(['stage_updatedAt', 'leadProvince_updatedAt', 'updatedAt_v2', 'publishedAt_id_v2']));
  // Replaced by their `_v2` names (activities/data/named-indexes.ts).
  expect(indexes).not.toContain('updatedAt');
  expect(indexes).not.toContain('publishedAt_id');
});

test('for the same revision, the write of the later workflow-task attempt wins whatever the order', async () => {
  await insertStandard(m.db, record('p2', 'SH', '2026-01-01T00:00:00.000Z'));
  expect(await applyProjection(m.db, 'p2', projection(5, { stage: 'approval', attemptMark: 40 }))).toBe(true);
  expect(await applyProjection(m.db, 'p2', projection(5, { stage: 'release', attemptMark: 47 }))).toBe(true);
  expect(await applyProjection(m.db, 'p2', projection(5, { stage: 'approval', attemptMark: 40 }))).toBe(false);
  expect((await getStandard(m.db, 'p2'))?.stage).toBe('release');
  expect(await applyProjection(m.db, 'p2', projection(6, { stage: 'publicity', attemptMark: 12 }))).toBe(true);
});

test("/published's keyset pages reach every released standard newest first, each an index walk", async () => {
  const c = m.db.collection<StandardRecord>('standards');
  const at = (i: number): string => new Date(Date.UTC(2024, 0, 1) + Math.floor(i / 2) * 86_400_000).toISOString();
  // 30 released (pairs share a publishedAt: the _id tie-break is exercised) among 90 that are not.
  for (let i = 0; i < 120; i++) await c.insertOne({ ...record(`pub-${String(i).padStart(3, '0')}`, 'SH', at(i)), ...(i % 4 === 0 ? { publishedAt: at(i) } : {}) });
  const expected = (await c.find({ publishedAt: { $exists: true } }).toArray()).sort((a, b) => (a.publishedAt! < b.publishedAt! ? 1 : a.publishedAt! > b.publishedAt! ? -1 : a._id < b._id ? 1 : -1)).map((s) => s._id);
  const seen: string[] = [];
  let after: { at: string; id: string } | undefined;
  for (let guard = 0; guard < 10; guard++) {
    const q = publishedPageQuery(after);
    const plan = JSON.stringify((await m.db.command({ explain: { find: 'standards', filter: q.filter, sort: q.sort, limit: 8, comment: q.options.comment } })).queryPlanner);
    expect(plan).toMatch(/SEARCH \w+ USING INDEX \w+_publishedAt_id_v2|"indexName":"publishedAt_id_v2"/);
    const rows = await c.find(q.filter, q.options).sort(q.sort).limit(8).toArray();
    seen.push(...rows.map((r) => r._id));
    if (rows.length < 8) break;
    const last = rows[rows.length - 1];
    after = { at: last.publishedAt!, id: last._id };
  }
  expect(seen).toEqual(expected);
  expect(seen).toHaveLength(30);
});
