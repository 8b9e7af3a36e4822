// Local-standard numbers (`standard_numbers`): a number is unique per province and year, enforced by a
// unique index on {province, year, sequence} so two bureaus racing for the same number cannot both win,
// on FerretDB as on MongoDB. A reservation becomes permanent when the standard is published; returning
// or withdrawing the 报批稿 releases the reservations of that standard. A reservation made by an approval
// the workflow never durably took (the process died before the workflow task completed) is released by
// the reconciler (releaseStaleReservations); the same standard re-approving with that number meanwhile
// is never refused either, since reserving a number the standard already holds succeeds.
import type { Db } from 'mongodb';
import type { Province } from '../../workflows/domain';

export const STANDARD_NUMBERS = 'standard_numbers';

export interface NumberRecord {
  province: Province;
  year: number;
  sequence: string;
  /** The full number as printed, e.g. `DB31/T 310003—2021`. */
  number: string;
  standardId: string;
  status: 'reserved' | 'published';
  reservedAt: string;
}

export async function ensureNumbersIndexes(db: Db): Promise<void> {
  await db
    .collection<NumberRecord>(STANDARD_NUMBERS)
    .createIndex({ province: 1, year: 1, sequence: 1 }, { name: 'province_year_sequence', unique: true });
  await db.collection<NumberRecord>(STANDARD_NUMBERS).createIndex({ standardId: 1 }, { name: 'standardId' });
}

export type ReserveResult = { ok: true } | { ok: false; heldBy: string };

/**
 * Reserves the number for the standard. Reserving a number the same standard already holds succeeds
 * (activity retries); a number held by another standard is refused with the holder's id.
 */
export async function reserveNumber(db: Db, r: Omit<NumberRecord, 'status'>): Promise<ReserveResult> {
  const c = db.collection<NumberRecord>(STANDARD_NUMBERS);
  try {
    await c.insertOne({ ...r, status: 'reserved' });
    return { ok: true };
  } catch (e) {
    if ((e as { code?: number }).code !== 11000) throw e;
    const holder = await c.findOne({ province: r.province, year: r.year, sequence: r.sequence });
    if (holder && holder.standardId === r.standardId) return { ok: true };
    return { ok: false, heldBy: holder?.standardId ?? 'unknown' };
  }
}

/** Releases every reservation (not published numbers) of a standard; returns how many. */
export async function releaseReservations(db: Db, standardId: string): Promise<number> {
  const res = await db.collection<NumberRecord>(STANDARD_NUMBERS).deleteMany({ standardId, status: 'reserved' });
  return res.deletedCount;
}

/** Makes the standard's reservations permanent (at publication). */
export async function markNumbersPublished(db: Db, standardId: string): Promise<void> {
  await db.collection<NumberRecord>(STANDARD_NUMBERS).updateMany({ standardId, status: 'reserved' }, { $set: { status: 'published' } });
}

export async function numbersOfStandard(db: Db, standardId: string): Promise<NumberRecord[]> {
  return db.collection<NumberRecord>(STANDARD_NUMBERS).find({ standardId }).toArray();
}

/**
 * Releases the standard's reservations that its lifecycle does not hold: not among `held` (the numbers the
 * workflow's state shows as approved) and reserved before `reservedBeforeIso` (an approval still being
 * recorded reserves its number before the workflow's state shows it). Returns the numbers released.
 */
/** The newest reservedAt of this standard's reservations not in `held` made at or after `sinceIso` (undefined when none). */
export async function unheldReservationsSince(db: Db, standardId: string, held: readonly string[], sinceIso: string): Promise<string | undefined> {
  const young = await db
    .collection<NumberRecord>(STANDARD_NUMBERS)
    .find({ standardId, status: 'reserved', number: { $nin: [...held] }, reservedAt: { $gte: sinceIso } }, { projection: { reservedAt: 1 } })
    .toArray();
  return young.map((r) => r.reservedAt).sort().pop();
}

export async function releaseStaleReservations(db: Db, standardId: string, held: readonly string[], reservedBeforeIso: string): Promise<string[]> {
  const c = db.collection<NumberRecord>(STANDARD_NUMBERS);
  const stale = await c.find({ standardId, status: 'reserved', number: { $nin: [...held] }, reservedAt: { $lt: reservedBeforeIso } }).toArray();
  const released: string[] = [];
  for (const r of stale) {
    const res = await c.deleteOne({ province: r.province, year: r.year, sequence: r.sequence, standardId, status: 'reserved', reservedAt: r.reservedAt });
    if (res.deletedCount === 1) released.push(r.number);
  }
  return released;
}
