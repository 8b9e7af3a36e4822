// Keyset pagination over comments and notices: a page is the rows after a cursor in a fixed order
// (createdAt, then _id as the tie-breaker), so a page costs the same however deep it is and a row added
// meanwhile is never shown twice or skipped. The cursor is opaque to clients (base64url of the last row's
// sort key); a malformed one is a 400, never a silent first page.
import type { Filter } from 'mongodb';
import { z } from 'zod';
import { AppError } from '../infra/errors';

/** Rows per triage or disposition page; every row stays reachable through `next`. */
export const PAGE_SIZE = 200;
/** Rows read per round trip when a whole set is needed (exports, notices). Tests go above it. */
export const BATCH_SIZE = 1000;

export interface Cursor {
  at: Date;
  id: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.at.toISOString()}|${c.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(s: string): Cursor {
  const bad = (): AppError => new AppError('VALIDATION_FAILED', { zh: '分页参数无效，请从第一页重新打开', en: 'Invalid page cursor; open the first page again' }, { details: [{ field: 'after' }] });
  if (!/^[A-Za-z0-9_-]{1,300}$/.test(s)) throw bad();
  const [iso, id, ...rest] = Buffer.from(s, 'base64url').toString('utf8').split('|');
  const at = new Date(iso ?? '');
  if (rest.length || !id || !/^[A-Za-z0-9_:.-]{1,100}$/.test(id) || Number.isNaN(at.getTime())) throw bad();
  return { at, id };
}

/** `?after=` of a page request: absent or empty means the first page. */
export const pageQuerySchema = z.object({ after: z.string().max(300).optional() }).passthrough();

export function afterFromQuery(query: unknown): Cursor | undefined {
  const r = pageQuerySchema.safeParse(query ?? {});
  const after = r.success ? r.data.after : undefined;
  return after ? decodeCursor(after) : undefined;
}

/**
 * The filter for rows after `c` in (sortField, _id) order, both ascending (or both descending). Written as a
 * range on the sort field plus the tie-break — `field ≥ at and (field > at or _id > id)`, the same rows as
 * `field > at or (field = at and _id > id)` — so an index on (…, field, _id) seeks to the cursor instead of
 * walking from the first row (a deep page costs what the first does).
 */
export function afterFilter<T extends { _id: string }>(field: keyof T & string, c: Cursor | undefined, direction: 1 | -1 = 1): Filter<T> {
  if (!c) return {};
  const op = direction === 1 ? '$gt' : '$lt';
  const opOrEqual = direction === 1 ? '$gte' : '$lte';
  return { [field]: { [opOrEqual]: c.at }, $or: [{ [field]: { [op]: c.at } }, { _id: { [op]: c.id } }] } as Filter<T>;
}

export interface Page<T> {
  items: T[];
  /** Cursor of the next page; absent on the last page. */
  next?: string;
}
