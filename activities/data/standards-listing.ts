// The list pages' view of `standards` (/standards with its filters, GET /api/standards, /consultation), held in
// memory and checked against a generation counter on every read. FerretDB on SQLite serves only `_id` equality
// from an index, so any filtered or sorted list is a scan of every standard (≈ 0.5–3 s at 1,000–5,000); here a
// list read is one `_id` lookup (`standards_meta` {_id: 'generation'}) plus in-memory filtering, and the scan
// happens once per change. Every writer of `standards` bumps the generation after its write
// (activities/data/standards.ts; the revision copy in activities/lifecycle): a reader that reads the generation
// before loading holds rows at least as new as it, so a change is never hidden past its bump — from any process
// sharing the database. A write that bypasses those functions (or a writer that died before its bump) is seen at
// the next bump or within a minute, when a held view is reloaded anyway. A bump through the data module names the
// standards it wrote (./standards-changes.ts), so a reader catches up by re-reading only those by `_id`; a bump that
// names none, or a view a minute old, reloads everything — the latter in the background: the reader that
// finds the view a minute old is answered from it (the generation unchanged, nothing is known to be newer)
// while the reload runs, so no list read waits on that minute's scan.
import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import type { StandardRecord } from '../../workflows/domain';
import { EXACT_PUSHDOWN } from '../infra/exact-pushdown';
import { recordStandardsChange, standardsChangesSince } from './standards-changes';

export const STANDARDS_META = 'standards_meta';
const GENERATION = 'generation';

/** The fields the list pages and the public consultation read. */
export const LISTING_PROJECTION = {
  _id: 1, titleZh: 1, titleEn: 1, kind: 1, leadProvince: 1, plannedYear: 1, stage: 1, step: 1, provinces: 1,
  pendingProvinces: 1, releaseDate: 1, implementationDate: 1, publishedAt: 1, commentDeadline: 1, reviewDueAt: 1,
  updatedAt: 1, revision: 1, revisionOf: 1, proposalCommentDeadline: 1, draftingUnits: 1, leadUnits: 1, scope: 1,
} as const;

export type ListingRow = Pick<StandardRecord, Extract<keyof typeof LISTING_PROJECTION, keyof StandardRecord>> & { proposalCommentDeadline?: string };

interface GenerationDoc {
  _id: string;
  /** A fresh random token per bump (see bumpStandardsGeneration). */
  t?: string;
  /** The counter of earlier releases. */
  n?: number;
}

interface Held {
  generation: string;
  rows: ListingRow[];
  at: number;
  /** The recorded changes (./standards-changes.ts) these rows already reflect. */
  covered: ReadonlySet<string>;
}

/** A held view is reloaded after this long even without a bump (a writer that died between its write and its bump). */
const MAX_AGE_MS = 60_000;
/** How far before its load a view looks for changes it may not hold (clocks of other processes, slow writers). */
const CHANGE_WINDOW_MS = 5 * 60_000;
/** More changes than this since a load: reload everything rather than re-read them one by one. */
const MAX_CHANGES = 200;

// One view per database handle; a load in flight is shared by the readers that arrive meanwhile.
const held = new WeakMap<Db, Held>();
const loading = new WeakMap<Db, { generation: string; rows: Promise<ListingRow[]> }>();

function isDuplicateKey(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: number }).code === 11000;
}

/**
 * Marks `standards` as changed; call after every write to it. A fresh random token rather than `$inc`:
 * FerretDB does not apply concurrent `$inc`s on one document atomically (50 at once counted 8), so two
 * writers bumping together could leave the counter where a reader had already loaded, hiding the second
 * write until the view aged out. Readers compare for equality, so any later bump changes what they see.
 */
export async function bumpStandardsGeneration(db: Db, changedIds?: readonly string[]): Promise<void> {
  const meta = db.collection<GenerationDoc>(STANDARDS_META);
  const token = randomUUID();
  // Which standards this bump is about, recorded before the token is published (./standards-changes.ts).
  await recordStandardsChange(db, token, changedIds ?? null);
  const update = { $set: { t: token } };
  try {
    await meta.updateOne({ _id: GENERATION }, update, { upsert: true });
  } catch (e) {
    // Two first bumps raced to insert the document: the other one exists now.
    if (!isDuplicateKey(e)) throw e;
    await meta.updateOne({ _id: GENERATION }, update);
  }
}

async function currentGeneration(db: Db): Promise<string> {
  const doc = await db.collection<GenerationDoc>(STANDARDS_META).findOne({ _id: GENERATION });
  return doc?.t ?? `n${doc?.n ?? 0}`;
}

/** Newest change first, then `_id`: the order of /standards. */
export function byUpdatedDesc(a: ListingRow, b: ListingRow): number {
  if (a.updatedAt !== b.updatedAt) return (a.updatedAt ?? '') < (b.updatedAt ?? '') ? 1 : -1;
  return a._id < b._id ? -1 : a._id > b._id ? 1 : 0;
}

async function load(db: Db): Promise<ListingRow[]> {
  // No filter and no sort: one pass over the collection, the cheapest read the embedded store has.
  const rows = (await db.collection<StandardRecord>('standards').find({}, { projection: LISTING_PROJECTION }).toArray()) as ListingRow[];
  return rows.sort(byUpdatedDesc);
}

/**
 * Every standard's list fields, newest change first (shared: callers must not change the rows). One `_id`
 * read when nothing changed since the last load.
 */
export async function listingRows(db: Db): Promise<readonly ListingRow[]> {
  const generation = await currentGeneration(db);
  const h = held.get(db);
  if (h && h.generation !== generation && !loading.get(db)) {
    const caught = await catchUp(db, h, generation);
    if (caught) {
      // Caught up on what the bumps named; the age-old reload (writes past the module) still runs, unwaited.
      if (Date.now() - h.at >= MAX_AGE_MS && !loading.get(db)) reload(db, generation).catch(() => undefined);
      return caught;
    }
  }
  if (h && h.generation === generation) {
    if (Date.now() - h.at >= MAX_AGE_MS && !loading.get(db)) {
      // Only the age says reload: a failure here leaves the held rows and the next read tries again.
      reload(db, generation).catch(() => undefined);
    }
    return h.rows;
  }
  const inFlight = loading.get(db);
  if (inFlight && inFlight.generation === generation) return inFlight.rows;
  return reload(db, generation);
}

/**
 * The held rows with the standards changed since their load re-read by `_id`, when every change since then names
 * its standards and the newest is `generation` (so none published before it is missing); otherwise null (reload).
 */
async function catchUp(db: Db, h: Held, generation: string): Promise<ListingRow[] | null> {
  const changes = await standardsChangesSince(db, new Date(h.at - CHANGE_WINDOW_MS), MAX_CHANGES);
  // What the rows already reflect (the changes recorded before their load, or caught up since) is not read again.
  const unheld = changes.filter((c) => !h.covered.has(c._id));
  if (changes.length > MAX_CHANGES || !changes.some((c) => c._id === generation) || unheld.some((c) => c.ids === null)) return null;
  const ids = new Set(unheld.flatMap((c) => c.ids ?? []));
  const fresh = (await db
    .collection<StandardRecord>('standards')
    .find({ _id: { $in: [...ids] } }, { projection: LISTING_PROJECTION, ...EXACT_PUSHDOWN })
    .toArray()) as ListingRow[];
  // A standard named but not found was deleted.
  const rows = h.rows.filter((r) => !ids.has(r._id)).concat(fresh).sort(byUpdatedDesc);
  // Kept with the load's time: the window and the age still count from the last full load.
  if (held.get(db) === h) held.set(db, { generation, rows, at: h.at, covered: new Set([...h.covered, ...changes.map((c) => c._id)]) });
  return rows;
}

/** Loads the view for `generation` (shared by the readers that arrive meanwhile) and holds it. */
async function reload(db: Db, generation: string): Promise<ListingRow[]> {
  const at = Date.now();
  // Every change recorded before the load starts is in what it reads (each is recorded after its write).
  const before = standardsChangesSince(db, new Date(at - CHANGE_WINDOW_MS), MAX_CHANGES);
  const rows = before.then(() => load(db));
  loading.set(db, { generation, rows });
  try {
    const loaded = await rows;
    const covered = new Set([generation, ...(await before).map((c) => c._id)]);
    const now = held.get(db);
    // Tokens carry no order: the load that started later is the newer view.
    if (!now || now.at <= at) held.set(db, { generation, rows: loaded, at, covered });
    return loaded;
  } finally {
    if (loading.get(db)?.rows === rows) loading.delete(db);
  }
}
