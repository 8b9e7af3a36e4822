// The list pages' view of `standards` (/standards with its filters, GET /api/standards, /consultation), held in
// memory and checked against a generation counter on every read. FerretDB on SQLite serves only `_id` equality
// from an index, so any filtered or sorted list is a scan of every standard; a full load of 5,000 costs the store
// 1.2–1.9 s of CPU decoding every document, projection or not, and the app 0.2 s (bench/listing-reload.ts). Here a
// list read is one `_id` lookup (`standards_meta` {_id: 'generation'}) plus in-memory filtering. Every writer of
// `standards` bumps the generation after its write (activities/data/standards.ts), naming the standards it wrote
// (./standards-changes.ts): a reader that sees a new generation re-reads only those by `_id` before it answers, so
// a write through the app is in the writer's next read — from any process sharing the database (read-your-writes).
// A full reload makes a read wait only when the view cannot be caught up: no view yet (a process's first read;
// the runtime warms it at start), more than 1,000 standards named since the load, a load older than 30 minutes
// (its changes may be pruned), or changes missing. What a list read never waits for:
// - a bump that names none (a write past the data module: a bulk seed or import). The view answers with what it
//   holds plus every named change, and reloads everything in the background; the unnamed write shows in every
//   read that starts after that reload, about one full load (1–2 s at 5,000 standards) after the first read
//   that follows its bump. Acceptable because such writes are bulk jobs no reader is waiting on, and every
//   write made through the app (each names its standards) is still caught up before the answer.
// - a view five minutes old: answered from it (nothing is known to be newer) while it reloads in the background. A
//   write past the module with no bump at all (a writer that died before its bump) shows within those minutes.
//   Not every minute: at 5,000 standards each reload costs the store about a second of CPU per app process, and
//   the reads that arrive meanwhile wait on a busy store (issue 11: /standards p95 609 ms during one).
import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import type { StandardRecord } from '../../workflows/domain';
import { EXACT_PUSHDOWN } from '../infra/exact-pushdown';
import { CATCH_UP_MAX_AGE_MS, CHANGE_WINDOW_MS, changesPrunedBefore, recordStandardsChange, STANDARDS_META, standardsChangesSince } from './standards-changes';

export { STANDARDS_META };
const GENERATION = 'generation';

/** The fields the list pages and the public consultation read. */
export const LISTING_PROJECTION = {
  _id: 1, titleZh: 1, titleEn: 1, kind: 1, leadProvince: 1, plannedYear: 1, stage: 1, step: 1, provinces: 1,
  pendingProvinces: 1, releaseDate: 1, implementationDate: 1, publishedAt: 1, commentDeadline: 1, reviewDueAt: 1,
  updatedAt: 1, revision: 1, revisionOf: 1, proposalCommentDeadline: 1, draftingUnits: 1, leadUnits: 1, scope: 1,
} as const;

const LISTING_KEYS = Object.keys(LISTING_PROJECTION);

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
  /** A change since the load named no standards (a write past the module): a background reload is due. */
  stale: boolean;
}

/** A held view is reloaded after this long even without a bump (a writer that died between its write and its bump). */
const MAX_AGE_MS = 5 * 60_000;
/** More standards named than this since a load: reload everything rather than re-read them by `_id`. */
const MAX_CATCH_UP_IDS = 1000;
/** Changes read per page, and standards re-read per `$in`. */
const PAGE = 500;
/** Rows per reply of a full load. */
const LOAD_BATCH = 500;

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

/** The list's fields of a standard (LISTING_PROJECTION). */
function listingRowOf(doc: StandardRecord): ListingRow {
  const row: Record<string, unknown> = {};
  const from = doc as unknown as Record<string, unknown>;
  for (const k of LISTING_KEYS) if (from[k] !== undefined) row[k] = from[k];
  return row as unknown as ListingRow;
}

/** A full load of the view's rows (what a reload reads; also timed by bench/listing-reload.ts). */
export async function loadListingRows(db: Db): Promise<ListingRow[]> {
  // No filter and no sort: one pass over the collection, the cheapest read the embedded store has. Whole
  // documents, the list's fields picked here: FerretDB decodes every document either way, and its projection
  // saved the store no CPU (as much or more in four runs of bench/listing-reload.ts). Replies of LOAD_BATCH
  // rows: the driver decodes a reply in one go, which holds this process's event loop (every other request).
  const rows: ListingRow[] = [];
  for await (const doc of db.collection<StandardRecord>('standards').find({}, { batchSize: LOAD_BATCH })) rows.push(listingRowOf(doc));
  return rows.sort(byUpdatedDesc);
}

/**
 * Every standard's list fields, newest change first (shared: callers must not change the rows). One `_id`
 * read when nothing changed since the last load; the named changes re-read by `_id` otherwise.
 */
export async function listingRows(db: Db): Promise<readonly ListingRow[]> {
  const generation = await currentGeneration(db);
  let h = held.get(db);
  if (!h) {
    // A process's first load (or the warm-up at start) in flight: join it, then catch up from what it holds.
    const inFlight = loading.get(db);
    if (inFlight) {
      const rows = await inFlight.rows.catch(() => null);
      if (rows && inFlight.generation === generation) return rows;
      h = held.get(db);
    }
    if (!h) return reload(db, generation);
  }
  if (h.generation !== generation) {
    const caught = await catchUp(db, h, generation);
    if (!caught) {
      const inFlight = loading.get(db);
      return inFlight && inFlight.generation === generation ? inFlight.rows : reload(db, generation);
    }
    h = caught;
  }
  if ((h.stale || Date.now() - h.at >= MAX_AGE_MS) && !loading.get(db)) {
    // Unwaited: a failure leaves the held rows (still marked) and the next read tries again.
    reload(db, h.generation).catch(() => undefined);
  }
  return h.rows;
}

/**
 * The held view with the standards named since its load re-read by `_id`, when the changes since then are all
 * there (the newest is `generation`, none pruned, the load younger than CATCH_UP_MAX_AGE_MS) and name at most
 * MAX_CATCH_UP_IDS standards; otherwise null (reload, waited). A change naming none marks the view stale.
 */
async function catchUp(db: Db, h: Held, generation: string): Promise<Held | null> {
  if (Date.now() - h.at > CATCH_UP_MAX_AGE_MS) return null;
  const since = new Date(h.at - CHANGE_WINDOW_MS);
  const ids = new Set<string>();
  const seen: string[] = [];
  let unnamed = false;
  for await (const page of standardsChangesSince(db, since, PAGE)) {
    for (const c of page) {
      seen.push(c._id);
      // What the rows already reflect (recorded before their load, or caught up since) is not read again.
      if (h.covered.has(c._id)) continue;
      if (c.ids === null) unnamed = true;
      else for (const id of c.ids) ids.add(id);
    }
    if (ids.size > MAX_CATCH_UP_IDS) return null;
  }
  // Read after the changes: a prune that began before they were read has raised it already.
  const pruned = await changesPrunedBefore(db);
  if (!seen.includes(generation) || (pruned && pruned > since)) return null;
  const named = [...ids];
  const fresh: ListingRow[] = [];
  for (let i = 0; i < named.length; i += PAGE) {
    fresh.push(
      ...((await db
        .collection<StandardRecord>('standards')
        .find({ _id: { $in: named.slice(i, i + PAGE) } }, { projection: LISTING_PROJECTION, ...EXACT_PUSHDOWN })
        .toArray()) as ListingRow[]),
    );
  }
  // A standard named but not found was deleted.
  const rows = h.rows.filter((r) => !ids.has(r._id)).concat(fresh).sort(byUpdatedDesc);
  // Kept with the load's time: the window and the age still count from the last full load.
  const next: Held = { generation, rows, at: h.at, covered: new Set([...h.covered, ...seen]), stale: h.stale || unnamed };
  if (held.get(db) === h) held.set(db, next);
  return next;
}

/** Loads the view for `generation` (shared by the readers that arrive meanwhile) and holds it. */
async function reload(db: Db, generation: string): Promise<ListingRow[]> {
  const at = Date.now();
  // Every change recorded before the load starts is in what it reads (each is recorded after its write).
  const before = (async () => {
    const ids: string[] = [];
    for await (const page of standardsChangesSince(db, new Date(at - CHANGE_WINDOW_MS), PAGE)) ids.push(...page.map((c) => c._id));
    return ids;
  })();
  const rows = before.then(() => loadListingRows(db));
  loading.set(db, { generation, rows });
  try {
    const loaded = await rows;
    const covered = new Set([generation, ...(await before)]);
    const now = held.get(db);
    // Tokens carry no order: the load that started later is the newer view.
    if (!now || now.at <= at) held.set(db, { generation, rows: loaded, at, covered, stale: false });
    return loaded;
  } finally {
    if (loading.get(db)?.rows === rows) loading.delete(db);
  }
}
