// The exact pushdown of the embedded FerretDB (scripts/embedded/ferretdb-exact-pushdown.ts), against the suite's
// real server: a differential test — random filters, sorts and limits of the supported grammar over 1,500 random
// documents answer the same documents in the same order with the comment (SQL WHERE/ORDER BY/LIMIT) as without
// it (FerretDB filters and sorts in Go) — and queries outside the grammar still answer the stock results;
// `explain` of the triage-shaped query shows an index walk with the limit pushed; cursors stream in batches;
// unique indexes on the new key expressions still reject duplicates; an inclusion projection with the comment (the
// store decodes only the fields the find reads) answers the stock documents, whatever the filter and sort read.
import { BSON, Binary, BSONRegExp, Double, Long, ObjectId, Timestamp, type Collection, type Document, type FindOptions, type Sort } from 'mongodb';
import { EXACT_PUSHDOWN, EXACT_PUSHDOWN_COMMENT } from '../../../activities/infra/exact-pushdown';
import { freshMongo } from '../../support/mongo';
import { makeDocs, makeFilter, makeProjection, makeSort, PROJECTIONS_NOT_PUSHED, rng, UNSUPPORTED_FILTERS } from './exact-pushdown-gen';

const BASE = Date.UTC(2026, 0, 1);

const SEED = Number(process.env.EXACT_PUSHDOWN_SEED ?? 20261203);
// Sized for the suite's time on 2 cores (each stock query decodes every document in Go); a deeper run:
// EXACT_PUSHDOWN_DOCS=3000 EXACT_PUSHDOWN_QUERIES=300 (the sizes two deliberately broken builds were caught at).
const DOCS = Number(process.env.EXACT_PUSHDOWN_DOCS ?? 1_000);
const QUERIES = Number(process.env.EXACT_PUSHDOWN_QUERIES ?? 90);

let mongo: Awaited<ReturnType<typeof freshMongo>>;
let docs: Collection<Document>;
let ids: string[];
/** The suite may run against MongoDB (MONGODB_URI): the comment then only labels the query. */
let onFerretSqlite = false;

beforeAll(async () => {
  mongo = await freshMongo('exactpushdown');
  docs = mongo.db.collection('docs');
  const all = makeDocs(rng(SEED), DOCS);
  ids = all.map((d) => d._id as string);
  for (let k = 0; k < all.length; k += 500) await docs.insertMany(all.slice(k, k + 500));
  await docs.createIndex({ t: 1, at: 1, _id: 1 }, { name: 't_at' });
  await docs.createIndex({ i: -1, _id: 1 }, { name: 'i_desc' });
  const plan = await mongo.db.command({ explain: { find: 'docs', filter: {} } });
  onFerretSqlite = Array.isArray((plan.queryPlanner as { Plan?: unknown }).Plan);
}, 120_000);

afterAll(async () => {
  await mongo?.drop();
});

async function both(filter: Document, sort: Sort, limit: number, skip: number, batchSize?: number): Promise<[string[], string[]]> {
  const opts = { sort, limit, skip, ...(batchSize ? { batchSize } : {}) };
  const stock = await docs.find(filter, opts).toArray();
  const exact = await docs.find(filter, { ...opts, ...EXACT_PUSHDOWN }).toArray();
  return [exact.map((d) => String(d._id)), stock.map((d) => String(d._id))];
}

describe('the exact pushdown answers exactly what FerretDB answers without it', () => {
  it(`${QUERIES} random filters, sorts and limits of the supported grammar (seed ${SEED})`, async () => {
    const r = rng(SEED + 1);
    let nonEmpty = 0;
    let limited = 0;
    for (let q = 0; q < QUERIES; q++) {
      const filter = makeFilter(r, ids);
      const sort = makeSort(r);
      const limit = [0, 0, 1, 7, 50, 400][Math.floor(r() * 6)];
      const skip = r() < 0.15 ? 3 : 0;
      const [exact, stock] = await both(filter, sort, limit, skip);
      // The failing query, printed with its results, replays with EXACT_PUSHDOWN_SEED.
      if (JSON.stringify(exact) !== JSON.stringify(stock)) {
        throw new Error(`query ${q} differs: ${JSON.stringify({ filter, sort, limit, skip })}\nexact ${exact.length}: ${exact.slice(0, 10).join(' ')}\nstock ${stock.length}: ${stock.slice(0, 10).join(' ')}`);
      }
      if (stock.length > 0) nonEmpty++;
      if (limit > 0 && stock.length === limit) limited++;
    }
    // The random queries are not trivially empty, and many of them are cut by their limit.
    expect(nonEmpty).toBeGreaterThan(QUERIES / 3);
    expect(limited).toBeGreaterThan(QUERIES / 10);
  }, 600_000);

  it('every document reads back exactly as inserted, whole and with the comment (strings decoded by the patched fast path)', async () => {
    const want = makeDocs(rng(SEED), DOCS);
    const options: FindOptions[] = [{}, EXACT_PUSHDOWN, { ...EXACT_PUSHDOWN, projection: { s: 1, n: 1, d: 1, l: 1, tags: 1, at: 1 } }];
    for (const opts of options) {
      const got = new Map((await docs.find({}, { ...opts, promoteValues: false }).toArray()).map((d) => [String(d._id), d]));
      const keep = opts.projection ? ['_id', ...Object.keys(opts.projection)] : null;
      for (const w of want) {
        const expected = keep ? Object.fromEntries(Object.entries(w).filter(([k]) => keep.includes(k))) : w;
        expect(BSON.EJSON.stringify(got.get(String(w._id)), { relaxed: false })).toBe(BSON.EJSON.stringify(expected, { relaxed: false }));
      }
    }
  }, 120_000);

  it('the operators one by one, on every field, with null and missing values', async () => {
    const fields = ['s', 't', 'i', 'l', 'd', 'b', 'at', 'n.x', 'n.y'];
    const sample = (await docs.find({}, { limit: 40, sort: { _id: 1 } }).toArray()) as Document[];
    const valueOf = (d: Document, f: string): unknown => f.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Document)[k] : undefined), d);
    for (const f of fields) {
      const values = sample.map((d) => valueOf(d, f)).filter((v) => v !== undefined && v !== null);
      const v = values[0];
      const conds: Document[] = [
        { [f]: v },
        { [f]: null },
        { [f]: { $ne: v } },
        { [f]: { $ne: null } },
        { [f]: { $gt: v } },
        { [f]: { $gte: v } },
        { [f]: { $lt: v } },
        { [f]: { $lte: v } },
        { [f]: { $in: values.slice(0, 3) } },
        { [f]: { $in: [...values.slice(0, 2), null] } },
        { [f]: { $in: [] } },
        { [f]: { $nin: values.slice(0, 3) } },
        { [f]: { $nin: [values[1], null] } },
        { [f]: { $nin: [] } },
        { [f]: { $exists: true } },
        { [f]: { $exists: false } },
      ];
      for (const filter of conds) {
        for (const sort of [{ [f]: 1, _id: 1 }, { [f]: -1, _id: -1 }] as Sort[]) {
          const [exact, stock] = await both(filter, sort, 25, 0);
          expect({ filter, sort, ids: exact }).toEqual({ filter, sort, ids: stock });
        }
      }
    }
  }, 300_000);

  it('queries outside the grammar (array operators, $regex, $not, $nor, $type, $mod, embedded documents) answer the stock results', async () => {
    for (const filter of UNSUPPORTED_FILTERS) {
      const [exact, stock] = await both(filter, { i: 1, _id: 1 }, 30, 0);
      expect({ filter, ids: exact }).toEqual({ filter, ids: stock });
    }
    // A sort the pushdown does not translate ($natural needs a capped collection; a key starting with a digit).
    const [exact, stock] = await both({ t: 'pending' }, { 'n.0': 1, _id: 1 }, 10, 0);
    expect(exact).toEqual(stock);
  }, 120_000);

  it('streams the cursor in batches (getMore) and honours skip, with and without a pushed limit', async () => {
    const filter = { t: { $in: ['pending', 'partly'] }, i: { $gte: 0 } };
    const sort: Sort = { at: -1, _id: 1 };
    for (const [limit, skip] of [
      [0, 0],
      [250, 0],
      [250, 5],
    ]) {
      const [exact, stock] = await both(filter, sort, limit, skip, 7);
      expect(exact).toEqual(stock);
      expect(exact.length).toBeGreaterThan(20);
    }
  });
});

describe('the projection pushed down with the comment (only the fields a find reads are decoded)', () => {
  /** The documents as the driver reads them, canonical EJSON: types, values and key order all compared. */
  async function bothDocs(filter: Document, opts: FindOptions, coll: Collection<Document> = docs): Promise<[string, string]> {
    // A refused find (an unsupported projection) must be refused alike.
    const read = (o: FindOptions): Promise<string> =>
      coll.find(filter, o).toArray().then(
        (d) => BSON.EJSON.stringify(d, { relaxed: false }),
        (e: Error) => `refused: ${e.message}`,
      );
    const stock = await read(opts);
    return [await read({ ...opts, ...EXACT_PUSHDOWN }), stock];
  }

  it(`${QUERIES} random inclusion projections with random filters and sorts on fields they leave out answer the stock documents (seed ${SEED})`, async () => {
    const r = rng(SEED + 3);
    let cut = 0;
    for (let q = 0; q < QUERIES; q++) {
      const filter = makeFilter(r, ids);
      const sort = makeSort(r);
      const projection = makeProjection(r);
      const limit = [0, 1, 7, 50, 400][Math.floor(r() * 5)];
      const [exact, stock] = await bothDocs(filter, { sort, limit, projection });
      if (exact !== stock) throw new Error(`query ${q} differs: ${JSON.stringify({ filter, sort, limit, projection })}\nexact ${exact.slice(0, 600)}\nstock ${stock.slice(0, 600)}`);
      // Most random queries filter or sort on a field the projection leaves out (the store must still decode it).
      if ([...Object.keys(filter), ...Object.keys(sort)].some((k) => !(k.split('.')[0] in projection))) cut++;
    }
    expect(cut).toBeGreaterThan(QUERIES / 2);
  }, 600_000);

  it(`${QUERIES / 3} random filters and sorts under a top-level projection holding every field they read (the store's documents are the answer, not projected again)`, async () => {
    const r = rng(SEED + 4);
    const projection: Document = { s: 1, t: 1, i: 1, l: 1, d: 1, b: 1, at: 1, n: 1 };
    for (let q = 0; q < QUERIES / 3; q++) {
      const filter = makeFilter(r, ids);
      const sort = makeSort(r);
      const [exact, stock] = await bothDocs(filter, { sort, limit: [0, 5, 60][q % 3], projection: q % 2 ? projection : { ...projection, _id: 1 } });
      if (exact !== stock) throw new Error(`query ${q} differs: ${JSON.stringify({ filter, sort, projection })}\nexact ${exact.slice(0, 600)}\nstock ${stock.slice(0, 600)}`);
    }
    // Documents without some of the projected fields, and a projection naming a field no document has.
    const [exact, stock] = await bothDocs({ i: { $gte: 3 } }, { sort: { i: 1, _id: 1 }, projection: { i: 1, n: 1, none: 1 } });
    expect(exact).toBe(stock);
  }, 600_000);

  it('projections it does not push down (exclusion, _id only excluded, operators, positional, literals) answer the stock documents', async () => {
    const filter = { t: { $in: ['pending', 'partly'] }, i: { $gte: 2 } };
    let answered = 0;
    for (const projection of PROJECTIONS_NOT_PUSHED) {
      const [exact, stock] = await bothDocs(filter, { sort: { i: 1, _id: 1 }, limit: 40, projection });
      expect({ projection, docs: exact }).toEqual({ projection, docs: stock });
      if (!stock.startsWith('refused')) answered++;
    }
    expect(answered).toBeGreaterThan(5);
    // Filters that may read any field ($expr) or that name fields only inside operators keep every field decoded.
    for (const f of [{ $expr: { $gt: ['$i', '$n.y'] } }, { $nor: [{ s: 'a' }], $or: [{ 'n.x': 'b' }, { b: true }] }, { $and: [{ l: { $ne: null } }] }]) {
      const [exact, stock] = await bothDocs(f, { sort: { _id: 1 }, limit: 40, projection: { t: 1 } });
      expect({ f, docs: exact }).toEqual({ f, docs: stock });
    }
  });

  it('reads keys that need escaping and every value type, whole and by nested path, in getMore batches', async () => {
    const odd = mongo.db.collection<Document>('odd_keys');
    const rows = Array.from({ length: 30 }, (_, k) => ({
      _id: `k${k}`,
      num: k,
      '<tag>&': `v${k}\n"x"`,
      'é键': { '\\back': [k, { deep: new Date(BASE + k) }], 'u\u2028': null },
      bin: new Binary(Buffer.from([k, 0, 255])),
      oid: new ObjectId(),
      dbl: new Double(k + 0.5),
      big: Long.fromString('9007199254740993'),
      re: new BSONRegExp('^a"b', 'i'),
      ts: new Timestamp({ t: k, i: 1 }),
      empty: {},
      arr: [],
      at: new Date(BASE + k),
    }));
    await odd.insertMany(rows as Document[]);
    const keys = Object.keys(rows[0]);
    for (const projection of [...keys.map((k) => ({ [k]: 1 })), { 'é键.\\back': 1, at: 1 }, Object.fromEntries(keys.map((k) => [k, true])), { num: 1, _id: 0 }]) {
      for (const filter of [{}, { at: { $gte: new Date(BASE + 5) } }, { num: { $lt: 20 } }]) {
        const [exact, stock] = await bothDocs(filter, { projection, sort: { at: -1, _id: 1 }, batchSize: 4 }, odd);
        expect(stock).not.toMatch(/^refused/);
        expect({ projection, filter, docs: exact }).toEqual({ projection, filter, docs: stock });
      }
    }
  });
});

describe('the projection pushed down decodes nothing else', () => {
  it('a row whose other field FerretDB cannot decode is still read when the projection leaves that field out', async () => {
    if (!onFerretSqlite) return;
    // FerretDB 1.24 stores a raw tab in a key and then fails to decode the row: a witness that, with the comment and
    // a projection without that field, the field is skipped, not decoded and dropped. (The only rows the two paths
    // answer differently: ones the stock path cannot read at all.)
    const c = mongo.db.collection<Document>('undecodable');
    await c.insertOne({ _id: 'w1', at: new Date(BASE), keep: 'kept', 'tab\tkey': 1 } as Document);
    await expect(c.find({ at: { $gte: new Date(BASE) } }, { projection: { keep: 1 } }).toArray()).rejects.toThrow(/invalid character/);
    expect(await c.find({ at: { $gte: new Date(BASE) } }, { projection: { keep: 1 }, ...EXACT_PUSHDOWN }).toArray()).toEqual([{ _id: 'w1', keep: 'kept' }]);
    // Without a projection the row is decoded whole and refused as before; with one naming the field, refused too.
    await expect(c.find({}, EXACT_PUSHDOWN).toArray()).rejects.toThrow(/invalid character/);
    await expect(c.find({}, { projection: { 'tab\tkey': 1 }, ...EXACT_PUSHDOWN }).toArray()).rejects.toThrow(/missing key/);
  });
});

describe('count with the comment (SELECT COUNT(*) when the whole filter translates)', () => {
  async function counts(query: Document, extra: Document = {}): Promise<[number, number]> {
    const stock = await mongo.db.command({ count: 'docs', query, ...extra });
    const exact = await mongo.db.command({ count: 'docs', query, ...extra, comment: EXACT_PUSHDOWN_COMMENT });
    return [exact.n as number, stock.n as number];
  }

  it('counts what the stock count counts: random filters, skip and limit, unsupported filters, a missing collection', async () => {
    const r = rng(SEED + 2);
    for (let q = 0; q < 100; q++) {
      const query = makeFilter(r, ids);
      const extra = r() < 0.3 ? { skip: Long.fromNumber(Math.floor(r() * 50)), limit: Long.fromNumber(Math.floor(r() * 200)) } : {};
      const [exact, stock] = await counts(query, extra);
      expect({ query, extra, n: exact }).toEqual({ query, extra, n: stock });
    }
    for (const query of UNSUPPORTED_FILTERS.slice(0, 6)) {
      const [exact, stock] = await counts(query);
      expect({ query, n: exact }).toEqual({ query, n: stock });
    }
    expect(await counts({})).toEqual([DOCS, DOCS]);
    const none = await mongo.db.command({ count: 'no_such_collection', query: { t: 'pending' }, comment: EXACT_PUSHDOWN_COMMENT });
    expect(none.n).toBe(0);
  }, 300_000);
});

describe('explain and indexes of the exact pushdown', () => {
  const TRIAGE = { find: 'docs', filter: { t: 'pending', b: true }, sort: { at: 1, _id: 1 }, limit: 201 };

  it('walks the (t, at, _id) index for the triage-shaped query, with no sort step, and pushes filter, sort and limit', async () => {
    if (!onFerretSqlite) return;
    const exact = await mongo.db.command({ explain: { ...TRIAGE, comment: EXACT_PUSHDOWN_COMMENT } });
    const plan = JSON.stringify(exact.queryPlanner);
    expect(plan).toMatch(/SEARCH docs_\w+ USING INDEX docs_\w+_t_at/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
    expect(exact).toMatchObject({ filterPushdown: true, sortPushdown: true, limitPushdown: true });
    // Without the comment: the stock plan scans the collection and sorts and limits in Go.
    const stock = await mongo.db.command({ explain: TRIAGE });
    expect(JSON.stringify(stock.queryPlanner)).toMatch(/SCAN docs_/);
    expect(stock).toMatchObject({ filterPushdown: false, sortPushdown: false, limitPushdown: false });
  });

  it('walks a descending index for a range on it, and pushes no limit after a skip or an untranslated filter', async () => {
    if (!onFerretSqlite) return;
    const range = await mongo.db.command({ explain: { find: 'docs', filter: { i: { $gt: 3, $lte: 9 } }, sort: { i: -1, _id: 1 }, limit: 5, comment: EXACT_PUSHDOWN_COMMENT } });
    expect(JSON.stringify(range.queryPlanner)).toMatch(/USING INDEX docs_\w+_i_desc/);
    expect(range).toMatchObject({ filterPushdown: true, limitPushdown: true });
    const skipped = await mongo.db.command({ explain: { ...TRIAGE, skip: Long.fromNumber(2), comment: EXACT_PUSHDOWN_COMMENT } });
    expect(skipped).toMatchObject({ filterPushdown: true, limitPushdown: false });
    const regex = await mongo.db.command({ explain: { ...TRIAGE, filter: { t: 'pending', s: { $regex: 'a' } }, comment: EXACT_PUSHDOWN_COMMENT } });
    expect(regex).toMatchObject({ filterPushdown: false, sortPushdown: false, limitPushdown: false });
  });

  it('a unique index on the new key expression still rejects a duplicate and still admits documents without the field', async () => {
    const u = mongo.db.collection<{ _id: string; code?: string; k?: number }>('uniq');
    await u.createIndex({ code: 1 }, { unique: true, name: 'code_unique' });
    await u.createIndex({ k: 1, code: 1 }, { unique: true, name: 'k_code_unique' });
    await u.insertMany([{ _id: 'a', code: 'X-1', k: 1 }, { _id: 'b' }, { _id: 'c' }, { _id: 'd', code: 'X-2', k: 1 }]);
    await expect(u.insertOne({ _id: 'e', code: 'X-1' })).rejects.toMatchObject({ code: 11000 });
    // FerretDB reports a duplicate made by an update with a generic code; it is refused all the same.
    await expect(u.updateOne({ _id: 'd' }, { $set: { code: 'X-1' } })).rejects.toThrow(/UNIQUE constraint failed/);
    expect(await u.findOne({ _id: 'd' })).toEqual({ _id: 'd', code: 'X-2', k: 1 });
    expect(await u.find({ code: 'X-1' }, EXACT_PUSHDOWN).toArray()).toEqual([{ _id: 'a', code: 'X-1', k: 1 }]);
    expect(await u.countDocuments()).toBe(4);
  });
});
