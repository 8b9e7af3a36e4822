// The list pages' held view of `standards` (activities/data/standards-listing.ts) and the timeline read by key
// (activities/data/audit.ts): a list read that follows no change sends no query to `standards` (one `_id` read of
// the generation, watched through the driver's command events); every write through the data module is seen by
// the next read, also from a second connection (another process); the consultation reader's lists match a direct
// query; a standard's timeline is read by `_id` lookups (explain: index search) and equals the log read by filter,
// entries above the projected revision included.
import { MongoClient, type CommandStartedEvent } from 'mongodb';
import type { Mongo } from '../../../activities/infra/mongo';
import { amendReturnedProposal, applyProjection, ensureStandardsIndexes, insertStandard, listStandards, type LifecycleProjection } from '../../../activities/data/standards';
import { createStandardsReader } from '../../../activities/data/consultation-standards';
import { appendAudit, AUDIT_LOG, auditId, listAudit } from '../../../activities/data/audit';
import type { StandardRecord } from '../../../workflows/domain';
import { freshMongo, requireEnv } from '../../support/mongo';

let m: Mongo & { drop(): Promise<void> };
beforeAll(async () => {
  m = await freshMongo('standards-listing');
  await ensureStandardsIndexes(m.db);
});
afterAll(async () => m?.drop());

function record(id: string, updatedAt: string, extra: Partial<StandardRecord> = {}): StandardRecord {
  return {
    _id: id, titleZh: '标准', titleEn: 'Standard', kind: 'qualityStandard', mandatory: false, field: 'air', scope: 's', leadProvince: 'SH',
    leadUnits: ['u'], participatingUnits: [], plannedYear: 2026, draftingUnits: [], drafters: [], stage: 'initiation', step: 'awaitingDecisions',
    provinces: { SH: { decision: 'pending' }, JS: { decision: 'pending' }, ZJ: { decision: 'pending' } }, pendingProvinces: ['SH', 'JS', 'ZJ'],
    revision: 0, createdAt: updatedAt, createdBy: 'u', updatedAt, workflowId: `standard-${id}`, ...extra,
  };
}

const projection = (revision: number, extra: Partial<LifecycleProjection>): LifecycleProjection => ({
  stage: 'drafting', step: 'editing', provinces: { SH: { decision: 'approved' }, JS: { decision: 'approved' }, ZJ: { decision: 'approved' } },
  pendingProvinces: [], revision, updatedAt: `2026-05-0${revision}T00:00:00.000Z`, ...extra,
});

test('a list read after no change queries only the generation by _id; every write is seen by the next read, from any connection', async () => {
  for (let i = 0; i < 30; i++) await insertStandard(m.db, record(`s${String(i).padStart(2, '0')}`, `2026-04-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00.000Z`));
  expect((await listStandards(m.db, { limit: 500 })).length).toBe(30);

  // A second client, as another process (the worker) would have: it writes, this one's next read sees it.
  const other = await MongoClient.connect(requireEnv('MONGODB_URI'));
  const watched = await MongoClient.connect(requireEnv('MONGODB_URI'), { monitorCommands: true });
  try {
    const db2 = other.db(m.db.databaseName);
    const dbw = watched.db(m.db.databaseName);
    expect((await listStandards(dbw, { stage: 'drafting' })).length).toBe(0);
    const finds: Array<{ collection: string; filter: unknown }> = [];
    watched.on('commandStarted', (e: CommandStartedEvent) => {
      if (e.commandName === 'find') finds.push({ collection: String(e.command.find), filter: e.command.filter });
    });
    expect((await listStandards(dbw, { stage: 'initiation' })).length).toBe(30);
    expect(finds).toEqual([{ collection: 'standards_meta', filter: { _id: 'generation' } }]);

    expect(await applyProjection(db2, 's05', projection(1, { stage: 'drafting' }))).toBe(true);
    expect((await listStandards(dbw, { stage: 'drafting' })).map((r) => r._id)).toEqual(['s05']);
    await insertStandard(db2, record('s99', '2026-06-01T00:00:00.000Z', { stage: 'initiation', step: 'returned' }));
    expect((await listStandards(dbw, { limit: 1 })).map((r) => r._id)).toEqual(['s99']);
    await amendReturnedProposal(db2, 's99', { titleZh: '修改后的标准', titleEn: 'Amended', field: 'air', scope: 's', leadUnits: ['u'], participatingUnits: [], plannedYear: 2027, draftingUnits: [], drafters: [] } as never);
    expect((await listStandards(dbw, { limit: 1 }))[0]).toMatchObject({ _id: 's99', titleZh: '修改后的标准', plannedYear: 2027 });
  } finally {
    await other.close();
    await watched.close();
  }
});

test("the consultation reader's lists equal a direct query", async () => {
  await insertStandard(m.db, record('open2', '2026-06-02T00:00:00.000Z', { stage: 'publicComment', step: 'open', commentDeadline: '2099-02-01T00:00:00.000Z' }));
  await insertStandard(m.db, record('open1', '2026-06-02T00:00:00.000Z', { stage: 'publicComment', step: 'open', commentDeadline: '2099-01-01T00:00:00.000Z' }));
  for (let i = 0; i < 7; i++) await insertStandard(m.db, record(`rev${i}`, '2026-06-03T00:00:00.000Z', { stage: 'technicalReview', step: 'underReview' }));
  const held = createStandardsReader(m.db);
  expect((await held.candidates()).map((s) => s._id)).toEqual(['open1', 'open2']);
  const direct = await m.db
    .collection<StandardRecord>('standards')
    .find({ stage: { $in: ['publicComment', 'technicalReview', 'approval', 'release', 'publicity', 'inForce', 'review'] } })
    .sort({ _id: 1 })
    .toArray();
  const seen: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await held.consulted(after, 3);
    seen.push(...page.items.map((s) => s._id));
    if (!page.next) break;
    after = page.next;
  }
  expect(seen).toEqual(direct.map((s) => s._id));
  expect((await held.candidates())[0]).not.toHaveProperty('provinces');
});

test("a standard's timeline is read by _id and equals the log read by filter", async () => {
  await insertStandard(m.db, record('tl', '2026-07-01T00:00:00.000Z', { revision: 5 }));
  const entry = (standardId: string, revision: number) => ({
    standardId, revision, at: `2026-07-01T00:00:${String(10 + revision).padStart(2, '0')}.000Z`, actor: null,
    fromStage: 'drafting' as const, toStage: 'publicComment' as const, step: 'open' as const, action: `a${revision}`,
  });
  // Revision 3 is missing (moved out by the reconciler); 6 and 7 are above the projected revision.
  for (const r of [0, 1, 2, 4, 5, 6, 7]) await appendAudit(m.db, entry('tl', r));
  for (let r = 0; r < 40; r++) await appendAudit(m.db, entry('tl-other', r));
  const timeline = await listAudit(m.db, 'tl');
  expect(timeline.map((e) => e.revision)).toEqual([0, 1, 2, 4, 5, 6, 7]);
  const byFilter = await m.db.collection(AUDIT_LOG).find({ standardId: 'tl' }).sort({ at: 1, revision: 1 }).toArray();
  expect(timeline).toEqual(byFilter);
  const explain = await m.db.command({ explain: { find: AUDIT_LOG, filter: { _id: auditId('tl', 4) } } });
  const plan = JSON.stringify(explain.queryPlanner);
  expect(plan).toMatch(/SEARCH .* USING INDEX|IDHACK|EXPRESS_IXSCAN|IXSCAN/);
  expect(plan).not.toMatch(/"SCAN /);
});

test('concurrent bumps each change the generation readers compare (no lost increment hides a write)', async () => {
  const { bumpStandardsGeneration, STANDARDS_META } = await import('../../../activities/data/standards-listing');
  const { freshMongo } = await import('../../support/mongo');
  const m = await freshMongo('listing-bumps');
  try {
    const seen = new Set<string>();
    const read = async (): Promise<string> => {
      const d = await m.db.collection<{ _id: string; t?: string }>(STANDARDS_META).findOne({ _id: 'generation' });
      return d?.t ?? '';
    };
    // Each bump, done alone after a read, must produce a value no reader has seen before; 30 of them at once
    // end on a value that none of the reads taken before they started saw.
    for (let i = 0; i < 5; i++) {
      await bumpStandardsGeneration(m.db);
      const g = await read();
      expect(seen.has(g)).toBe(false);
      seen.add(g);
    }
    await Promise.all(Array.from({ length: 30 }, () => bumpStandardsGeneration(m.db)));
    expect(seen.has(await read())).toBe(false);
  } finally {
    await m.drop();
  }
});

test('a view five minutes old answers from what it holds and reloads in the background; the reload shows a write no bump announced', async () => {
  const mm = await freshMongo('listing-age');
  try {
    await insertStandard(mm.db, record('age-1', '2026-04-01T00:00:00.000Z'));
    expect((await listStandards(mm.db)).map((r) => r._id)).toEqual(['age-1']);
    // A write past the data module, with no bump (a writer that died before its bump).
    await mm.db.collection<StandardRecord>('standards').insertOne(record('age-2', '2026-04-02T00:00:00.000Z'));
    expect((await listStandards(mm.db)).map((r) => r._id)).toEqual(['age-1']);
    const realNow = Date.now;
    // Four minutes on, nothing reloads: a full reload costs the store about a second at 5,000 standards.
    const soon = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 4 * 60_000);
    try {
      expect((await listStandards(mm.db)).map((r) => r._id)).toEqual(['age-1']);
      await new Promise((r) => setTimeout(r, 300));
      expect((await listStandards(mm.db)).map((r) => r._id)).toEqual(['age-1']);
    } finally {
      soon.mockRestore();
    }
    const later = realNow() + 5 * 60_000 + 1000;
    const spy = jest.spyOn(Date, 'now').mockImplementation(() => later);
    try {
      // Five minutes on: this read is answered from the held rows, and starts the reload…
      expect((await listStandards(mm.db)).map((r) => r._id)).toEqual(['age-1']);
      // …which the following reads see once it is done.
      let ids: string[] = [];
      for (let i = 0; i < 50 && ids.length < 2; i++) {
        await new Promise((r) => setTimeout(r, 20));
        ids = (await listStandards(mm.db)).map((r) => r._id);
      }
      expect(ids).toEqual(['age-2', 'age-1']);
    } finally {
      spy.mockRestore();
    }
  } finally {
    await mm.drop();
  }
});

test('after a write through the data module a reader re-reads only the standards it names; a bump naming none reloads all in the background', async () => {
  const mm = await freshMongo('listing-catch-up');
  const watched = await MongoClient.connect(requireEnv('MONGODB_URI'), { monitorCommands: true });
  try {
    await ensureStandardsIndexes(mm.db);
    for (let i = 0; i < 12; i++) await insertStandard(mm.db, record(`cu-${String(i).padStart(2, '0')}`, `2026-04-${String(1 + i).padStart(2, '0')}T00:00:00.000Z`));
    const dbw = watched.db(mm.db.databaseName);
    expect(await listStandards(dbw, { limit: 500 })).toHaveLength(12);
    const reads: unknown[] = [];
    watched.on('commandStarted', (e: CommandStartedEvent) => {
      if (e.commandName === 'find' && e.command.find === 'standards') reads.push(e.command.filter);
    });
    // Another process moves one standard and deletes another.
    expect(await applyProjection(mm.db, 'cu-03', projection(1, { stage: 'drafting', updatedAt: '2026-06-01T00:00:00.000Z' }))).toBe(true);
    const { deleteStandard } = await import('../../../activities/data/standards');
    await deleteStandard(mm.db, 'cu-07');
    const rows = await listStandards(dbw, { limit: 500 });
    expect(rows.map((r) => r._id)).toEqual(['cu-03', 'cu-11', 'cu-10', 'cu-09', 'cu-08', 'cu-06', 'cu-05', 'cu-04', 'cu-02', 'cu-01', 'cu-00']);
    expect(rows[0]).toMatchObject({ stage: 'drafting', revision: 1 });
    expect(reads).toEqual([{ _id: { $in: expect.arrayContaining(['cu-03', 'cu-07']) as unknown } }]);

    // A write past the module, announced by a bump that names nothing: the next read answers from the held view
    // (no read of `standards` waited on) and everything is read again in the background, which later reads see.
    await mm.db.collection<StandardRecord>('standards').insertOne(record('cu-99', '2026-07-01T00:00:00.000Z'));
    const { bumpStandardsGeneration } = await import('../../../activities/data/standards-listing');
    await bumpStandardsGeneration(mm.db);
    expect((await listStandards(dbw, { limit: 1 }))[0]?._id).toBe('cu-03');
    let first: string | undefined;
    for (let i = 0; i < 100 && first !== 'cu-99'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      first = (await listStandards(dbw, { limit: 1 }))[0]?._id;
    }
    expect(first).toBe('cu-99');
    expect(reads[reads.length - 1]).toEqual({});
    // That load holds the unnamed change: the next write through the module is caught up by `_id` again.
    await applyProjection(mm.db, 'cu-05', projection(1, { stage: 'drafting', updatedAt: '2026-08-01T00:00:00.000Z' }));
    expect((await listStandards(dbw, { limit: 1 }))[0]).toMatchObject({ _id: 'cu-05', stage: 'drafting' });
    expect(reads[reads.length - 1]).toEqual({ _id: { $in: expect.arrayContaining(['cu-05']) as unknown } });
    // And the one after (the unnamed change, older than the view's catch-ups, is still known to be held).
    await applyProjection(mm.db, 'cu-06', projection(1, { stage: 'drafting', updatedAt: '2026-08-02T00:00:00.000Z' }));
    expect((await listStandards(dbw, { limit: 1 }))[0]).toMatchObject({ _id: 'cu-06', stage: 'drafting' });
    expect(reads[reads.length - 1]).toEqual({ _id: { $in: expect.arrayContaining(['cu-06']) as unknown } });
  } finally {
    await watched.close();
    await mm.drop();
  }
});
