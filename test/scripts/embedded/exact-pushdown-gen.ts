// Random documents and queries for the differential test of FerretDB's exact pushdown
// (ferretdb-exact-pushdown.test.ts). Seeded, so a failing seed replays. Every field holds one scalar type, or
// null, or is missing — the promise the comment makes — except `tags`, an array the queries that must fall back
// use. Values are drawn from pools shared by documents and filters so that conditions match some documents.
import { Double, Long, type Document } from 'mongodb';

import type { Rng } from '../../support/prng';

export type { Rng } from '../../support/prng';
export { prng as rng } from '../../support/prng';

const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: Rng, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

const STRINGS = ['', 'a', 'A', 'b', 'ab', 'abc', 'Z', '0', '10', '9', '上海', '江苏', '浙江', '长三角', '标准"引号', 'back\\slash', "it's", '<&>', 'é', '😀', ' lead', 'trail ', '\u2028sep'];
const TYPES = ['pending', 'accepted', 'rejected', 'partly'];
const BASE_MS = Date.UTC(2026, 0, 1);

/** The scalar fields, each with the generator of its one type. */
export const FIELDS: Record<string, (r: Rng) => unknown> = {
  s: (r) => pick(r, STRINGS) + (r() < 0.3 ? pick(r, STRINGS) : ''),
  t: (r) => pick(r, TYPES),
  i: (r) => int(r, -5, 20),
  l: (r) => Long.fromNumber(int(r, -3, 3) * 4_000_000_000 + int(r, 0, 5)),
  d: (r) => new Double(int(r, -8, 8) / 2),
  b: (r) => r() < 0.5,
  at: (r) => new Date(BASE_MS + int(r, 0, 40) * 3_600_000 * (r() < 0.5 ? 1 : 24)),
  'n.x': (r) => pick(r, STRINGS),
  'n.y': (r) => int(r, 0, 6),
};

/** 3 in 4 present, 1 in 10 null, the rest missing. */
function maybe(r: Rng, gen: (r: Rng) => unknown): unknown {
  const x = r();
  if (x < 0.75) return gen(r);
  if (x < 0.85) return null;
  return undefined;
}

export function makeDocs(r: Rng, count: number): Record<string, unknown>[] {
  const docs: Record<string, unknown>[] = [];
  for (let k = 0; k < count; k++) {
    const doc: Record<string, unknown> = { _id: `${pick(r, STRINGS)}#${String(k).padStart(5, '0')}` };
    for (const [f, gen] of Object.entries(FIELDS)) {
      if (f.includes('.')) continue;
      const v = maybe(r, gen);
      if (v !== undefined) doc[f] = v;
    }
    const nested: Record<string, unknown> = {};
    for (const f of ['x', 'y']) {
      const v = maybe(r, FIELDS[`n.${f}`]);
      if (v !== undefined) nested[f] = v;
    }
    if (r() < 0.9) doc.n = r() < 0.05 ? null : nested;
    doc.tags = Array.from({ length: int(r, 0, 3) }, () => pick(r, TYPES));
    docs.push(doc);
  }
  return docs;
}

type Filter = Record<string, unknown>;

function fieldCondition(r: Rng, field: string): Filter {
  const gen = FIELDS[field];
  const v = (): unknown => (r() < 0.1 ? null : gen(r));
  const values = (): unknown[] => Array.from({ length: int(r, 0, 4) }, v);
  const value = gen(r);
  switch (int(r, 0, 11)) {
    case 0:
      return { [field]: value };
    case 1:
      return { [field]: { $eq: value } };
    case 2:
      return { [field]: { $ne: v() } };
    case 3:
      return { [field]: { [pick(r, ['$gt', '$gte', '$lt', '$lte'])]: value } };
    case 4:
      return { [field]: { $gte: value, $lt: gen(r) } };
    case 5:
      return { [field]: { $in: values() } };
    case 6:
      return { [field]: { $nin: values() } };
    case 7:
      return { [field]: { $exists: r() < 0.5 } };
    case 8:
      return { [field]: null };
    case 9:
      return { [field]: { $ne: null } };
    case 10:
      return { [field]: { $in: [value, null] } };
    default:
      return { [field]: { $gt: value, $ne: gen(r) } };
  }
}

function idCondition(r: Rng, ids: string[]): Filter {
  const id = pick(r, ids);
  switch (int(r, 0, 4)) {
    case 0:
      return { _id: id };
    case 1:
      return { _id: { $in: [id, pick(r, ids), 'missing'] } };
    case 2:
      return { _id: { $gte: id } };
    case 3:
      return { _id: { $nin: [id] } };
    default:
      return { _id: { $lt: id, $gt: pick(r, ids) } };
  }
}

/** A random filter of the supported grammar: a conjunction, maybe holding an $or or $and of conjunctions. */
export function makeFilter(r: Rng, ids: string[], depth = 0): Filter {
  const filter: Filter = {};
  const n = int(r, depth ? 1 : 0, 3);
  for (let k = 0; k < n; k++) {
    const x = r();
    if (x < 0.1) Object.assign(filter, idCondition(r, ids));
    else if (x < 0.25 && depth < 2) filter[pick(r, ['$or', '$and'])] = Array.from({ length: int(r, 1, 3) }, () => makeFilter(r, ids, depth + 1));
    else Object.assign(filter, fieldCondition(r, pick(r, Object.keys(FIELDS))));
  }
  return filter;
}

/** A sort of up to two fields that always ends with _id, so the order is total. */
export function makeSort(r: Rng): Record<string, 1 | -1> {
  const sort: Record<string, 1 | -1> = {};
  for (let k = int(r, 0, 2); k > 0; k--) sort[pick(r, Object.keys(FIELDS))] = r() < 0.5 ? 1 : -1;
  sort._id = r() < 0.5 ? 1 : -1;
  return sort;
}

/** Filters the pushdown does not translate: the stock query must answer them, with the same results. */
export const UNSUPPORTED_FILTERS: Filter[] = [
  { tags: { $size: 2 } },
  { tags: { $all: ['pending', 'accepted'] } },
  { tags: { $elemMatch: { $eq: 'rejected' } } },
  { tags: ['pending'] },
  { 'tags.0': 'accepted' },
  { s: { $regex: '^a' } },
  { s: /上/ },
  { i: { $not: { $gt: 5 } } },
  { $nor: [{ i: 3 }, { t: 'pending' }] },
  { i: { $type: 'int' } },
  { n: { x: 'a', y: 1 } },
  { i: { $mod: [3, 1] } },
  { t: 'pending', $or: [{ tags: { $size: 1 } }, { i: { $lt: 0 } }] },
  { _id: { $exists: true }, i: 4 },
  { d: { $gt: Number.POSITIVE_INFINITY } },
];

/** A random inclusion projection: one to three fields (nested paths too), sometimes without _id. */
export function makeProjection(r: Rng): Record<string, 0 | 1 | boolean> {
  const projection: Record<string, 0 | 1 | boolean> = {};
  for (let k = int(r, 1, 3); k > 0; k--) projection[pick(r, [...Object.keys(FIELDS), 'n', 'tags', 'n.z'])] = r() < 0.8 ? 1 : true;
  if (r() < 0.3) projection._id = 0;
  return projection;
}

/** Projections the store must not narrow: it decodes every field and FerretDB projects as before. */
export const PROJECTIONS_NOT_PUSHED: Document[] = [
  { s: 0 },
  { s: 0, i: 0 },
  { _id: 0 },
  { 'n.x': 0 },
  { tags: { $slice: 1 } },
  { tags: { $elemMatch: { $eq: 'pending' } } },
  { 'tags.$': 1 },
  { s: 'literal' },
  { i: 1, s: { $literal: 1 } },
  {},
];
