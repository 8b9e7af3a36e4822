// The list view's change log (activities/data/standards-changes.ts) and how the held view
// (activities/data/standards-listing.ts) uses it at volume: a write past the data module does not make the next
// read wait for a full reload while a write through the module is still in it; more than 200 named changes are
// caught up by `_id`, not by a reload; the log is pruned, and a reader behind a pruned range reloads everything
// and misses nothing, while a reader within the bound keeps catching up by `_id`. Reads of `standards` are
// watched through the driver's command events of a second client (as another process would read).
import { MongoClient, type CommandStartedEvent, type Db } from 'mongodb';
import { applyProjection, ensureStandardsIndexes, listStandards, type LifecycleProjection } from '../../../activities/data/standards';
import { bumpStandardsGeneration } from '../../../activities/data/standards-listing';
import { CATCH_UP_MAX_AGE_MS, changesPrunedBefore, pruneStandardsChanges, RETAIN_MS, STANDARDS_CHANGES } from '../../../activities/data/standards-changes';
import { startStandardsChangesSweep } from '../../../activities/data/standards-changes-sweep';
import { createRootLogger } from '../../../activities/infra/logger';
import type { StandardRecord } from '../../../workflows/domain';
import { freshMongo, requireEnv } from '../../support/mongo';

function record(id: string, updatedAt: string): StandardRecord {
  return {
    _id: id, titleZh: '标准', titleEn: 'Standard', kind: 'qualityStandard', mandatory: false, field: 'air', scope: 's', leadProvince: 'SH',
    leadUnits: ['u'], participatingUnits: [], plannedYear: 2026, draftingUnits: [], drafters: [], stage: 'initiation', step: 'awaitingDecisions',
    provinces: { SH: { decision: 'pending' }, JS: { decision: 'pending' }, ZJ: { decision: 'pending' } }, pendingProvinces: ['SH', 'JS', 'ZJ'],
    revision: 0, createdAt: updatedAt, createdBy: 'u', updatedAt, workflowId: `standard-${id}`,
  };
}

const moved = (revision: number, updatedAt: string): LifecycleProjection => ({
  stage: 'drafting', step: 'editing', provinces: { SH: { decision: 'approved' }, JS: { decision: 'approved' }, ZJ: { decision: 'approved' } },
  pendingProvinces: [], revision, updatedAt,
});

const ids = (n: number, prefix: string): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);

/**
 * A fresh database with `n` standards (written at once past the module, announced by one bump naming none), the
 * view loaded by a second client whose `standards` finds are recorded from then on.
 */
async function setUp(name: string, n: number) {
  const mm = await freshMongo(name);
  await ensureStandardsIndexes(mm.db);
  const at = (i: number) => `2026-01-01T${String(Math.floor(i / 3600)).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000Z`;
  await mm.db.collection<StandardRecord>('standards').insertMany(ids(n, 'st').map((id, i) => record(id, at(i))));
  await bumpStandardsGeneration(mm.db);
  const watched = await MongoClient.connect(requireEnv('MONGODB_URI'), { monitorCommands: true });
  const dbw = watched.db(mm.db.databaseName) as Db;
  expect(await listStandards(dbw, { limit: 500 })).toHaveLength(Math.min(n, 500));
  const reads: unknown[] = [];
  watched.on('commandStarted', (e: CommandStartedEvent) => {
    if (e.commandName === 'find' && e.command.find === 'standards') reads.push(e.command.filter);
  });
  return { mm, dbw, reads, close: async () => (await watched.close(), await mm.drop()) };
}

async function until(what: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    if (await what()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

test("a write past the module is read in the background; the writer's own write through the module is in the very next read", async () => {
  const { mm, dbw, reads, close } = await setUp('changes-oob', 20);
  try {
    // A bulk job writes past the module and bumps naming nothing; then a user moves a standard through the app.
    await mm.db.collection<StandardRecord>('standards').insertMany(ids(30, 'bulk').map((id) => record(id, '2025-12-01T00:00:00.000Z')));
    await bumpStandardsGeneration(mm.db);
    expect(await applyProjection(mm.db, 'st-0004', moved(1, '2026-02-01T00:00:00.000Z'))).toBe(true);
    const next = await listStandards(dbw, { limit: 500 });
    // Answered from the held view plus the named change: no full read was waited on.
    expect(next.map((r) => r._id)).toEqual(['st-0004', ...ids(20, 'st').filter((id) => id !== 'st-0004').reverse()]);
    expect(next[0]).toMatchObject({ stage: 'drafting', revision: 1 });
    expect(reads[0]).toEqual({ _id: { $in: ['st-0004'] } });
    // The reload it started (a find with no filter) brings the bulk write in.
    expect(await until(async () => (await listStandards(dbw, { limit: 500 })).length === 50)).toBe(true);
    expect(reads).toContainEqual({});
    expect((await listStandards(dbw, { limit: 500 }))[0]?._id).toBe('st-0004');
  } finally {
    await close();
  }
});

test('more than 200 changes through the module are caught up by _id, every one of them, without a reload', async () => {
  // 520 standards, each moved through the module: more changes than a page of the log (500) and more standards
  // than one `$in` (500), above the 200 changes that used to force a full reload.
  const { mm, dbw, reads, close } = await setUp('changes-many', 520);
  try {
    for (const [i, id] of ids(520, 'st').entries()) expect(await applyProjection(mm.db, id, moved(1, `2026-02-01T00:00:00.${String(i).padStart(3, '0')}Z`))).toBe(true);
    const seen = (await listStandards(dbw, { stage: 'drafting', limit: 500 })).map((r) => r._id);
    // The reads that answer: two `$in`s naming all 520 (a view a minute old may reload in the background after them).
    const answering = reads.slice(0, 2) as Array<{ _id?: { $in?: string[] } }>;
    expect(answering.flatMap((f) => f._id?.$in ?? []).sort()).toEqual(ids(520, 'st'));
    seen.push(...(await listStandards(dbw, { stage: 'drafting', limit: 500, skip: 500 })).map((r) => r._id));
    expect(seen).toEqual(ids(520, 'st').reverse());
  } finally {
    await close();
  }
});

test('a prune within the bound removes nothing a live view needs: it keeps catching up by _id', async () => {
  const { mm, dbw, reads, close } = await setUp('changes-bound', 10);
  // 29 minutes after the load (the view may catch up until 30), a prune by any process with our clock.
  const soon = Date.now() + CATCH_UP_MAX_AGE_MS - 60_000;
  try {
    await pruneStandardsChanges(mm.db, new Date(soon));
    expect(await applyProjection(mm.db, 'st-0001', moved(1, '2026-02-01T00:00:00.000Z'))).toBe(true);
    const spy = jest.spyOn(Date, 'now').mockImplementation(() => soon);
    try {
      expect((await listStandards(dbw, { limit: 1 }))[0]).toMatchObject({ _id: 'st-0001', stage: 'drafting' });
    } finally {
      spy.mockRestore();
    }
    // Caught up by `_id` (the view, now old, then reloads in the background as any view a minute old does).
    expect(reads[0]).toEqual({ _id: { $in: ['st-0001'] } });
    await until(async () => reads.length > 1);
  } finally {
    await close();
  }
});

test('a reader behind a pruned range reloads everything and sees every change', async () => {
  const { mm, dbw, reads, close } = await setUp('changes-pruned', 10);
  try {
    // A change the reader has not caught up yet, then a prune that removes it (a process whose clock runs two
    // hours ahead), then another change: the reader cannot know what the pruned range held, so it reads all.
    expect(await applyProjection(mm.db, 'st-0002', moved(1, '2026-02-02T00:00:00.000Z'))).toBe(true);
    const ahead = new Date(Date.now() + 2 * RETAIN_MS);
    expect(await pruneStandardsChanges(mm.db, ahead)).toBe(2);
    expect(await mm.db.collection(STANDARDS_CHANGES).countDocuments({})).toBe(0);
    expect((await changesPrunedBefore(mm.db))?.getTime()).toBe(ahead.getTime() - RETAIN_MS);
    expect(await applyProjection(mm.db, 'st-0003', moved(1, '2026-02-03T00:00:00.000Z'))).toBe(true);
    const rows = await listStandards(dbw, { stage: 'drafting', limit: 500 });
    expect(rows.map((r) => r._id)).toEqual(['st-0003', 'st-0002']);
    expect(reads).toEqual([{}]);
  } finally {
    await close();
  }
});

test('a view older than the catch-up bound reloads everything instead of trusting a log that may be pruned', async () => {
  const { mm, dbw, reads, close } = await setUp('changes-old', 5);
  const later = Date.now() + CATCH_UP_MAX_AGE_MS + 60_000;
  try {
    expect(await applyProjection(mm.db, 'st-0000', moved(1, '2026-02-01T00:00:00.000Z'))).toBe(true);
    reads.length = 0;
    const spy = jest.spyOn(Date, 'now').mockImplementation(() => later);
    try {
      expect((await listStandards(dbw, { limit: 1 }))[0]).toMatchObject({ _id: 'st-0000', stage: 'drafting' });
    } finally {
      spy.mockRestore();
    }
    expect(reads).toEqual([{}]);
  } finally {
    await close();
  }
});

test('pruning deletes only entries older than the retention, is idempotent, and runs from several processes at once', async () => {
  const mm = await freshMongo('changes-sweep');
  const other = await MongoClient.connect(requireEnv('MONGODB_URI'));
  try {
    const col = mm.db.collection<{ _id: string; ids: string[] | null; at: Date }>(STANDARDS_CHANGES);
    const now = Date.now();
    await col.insertMany([
      { _id: 'old-1', ids: ['a'], at: new Date(now - RETAIN_MS - 120_000) },
      { _id: 'old-2', ids: null, at: new Date(now - RETAIN_MS - 1_000) },
      { _id: 'kept-1', ids: ['b'], at: new Date(now - RETAIN_MS + 60_000) },
      { _id: 'kept-2', ids: ['c'], at: new Date(now) },
    ]);
    const db2 = other.db(mm.db.databaseName);
    await Promise.all([pruneStandardsChanges(mm.db, new Date(now)), pruneStandardsChanges(db2, new Date(now))]);
    expect((await col.find({}).sort({ _id: 1 }).toArray()).map((c) => c._id)).toEqual(['kept-1', 'kept-2']);
    // Again, and with an older clock: nothing more goes, and the watermark never moves back.
    expect(await pruneStandardsChanges(mm.db, new Date(now))).toBe(0);
    expect(await pruneStandardsChanges(db2, new Date(now - 600_000))).toBe(0);
    expect((await changesPrunedBefore(mm.db))?.getTime()).toBe(now - RETAIN_MS);
    // The runtime's sweep prunes at start (and warms the list view).
    await col.insertOne({ _id: 'old-3', ids: ['d'], at: new Date(Date.now() - RETAIN_MS - 60_000) });
    const sweep = startStandardsChangesSweep({ db: mm.db, logger: createRootLogger('silent') });
    try {
      expect(await until(async () => (await col.countDocuments({ _id: 'old-3' })) === 0)).toBe(true);
      // The start run may still be settling after its delete shows: this call joins it (or finds nothing);
      // only the one after it is a run of its own, which must find nothing left to prune.
      await sweep.sweepNow();
      expect(await sweep.sweepNow()).toBe(0);
    } finally {
      sweep.stop();
    }
  } finally {
    await other.close();
    await mm.drop();
  }
});
