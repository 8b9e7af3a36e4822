// The plans of the comment store's hot queries (activities/comments/indexes.ts): each query, sent as the store
// sends it (with the exact-pushdown comment), is answered by walking the index made for it — the embedded
// store's SQLite plan names `…USING INDEX <collection>_<name>` and sorts nothing in a temporary B-tree; MongoDB's
// winning plan names the index and has no SORT stage. A keyset page after a cursor seeks on the sort field.
import type { Document } from 'mongodb';
import { freshMongo } from '../../support/mongo';
import { createCommentsStore } from '../../../activities/comments/store';
import { afterFilter } from '../../../activities/data/paging';
import { EXACT_PUSHDOWN_COMMENT } from '../../../activities/infra/exact-pushdown';
import { COLLECTIONS, type CommentRecord } from '../../../activities/comments/model';
import { benchComment } from '../../../bench/comment-doc';

type M = Awaited<ReturnType<typeof freshMongo>>;
const STD = 'std-plans';
const t0 = Date.UTC(2026, 9, 1);

async function plan(m: M, collection: string, filter: Document, sort?: Document, limit?: number): Promise<string> {
  const explain = await m.db.command({ explain: { find: collection, filter, ...(sort ? { sort } : {}), ...(limit ? { limit } : {}), comment: EXACT_PUSHDOWN_COMMENT } });
  return JSON.stringify(explain.queryPlanner);
}

function expectIndexWalk(p: string, index: string): void {
  // SQLite (embedded FerretDB): "SEARCH <table> USING INDEX <table>_<index> (…)"; MongoDB: "indexName":"<index>".
  expect(p).toMatch(new RegExp(`USING (COVERING )?INDEX \\w+_${index}\\b|"indexName":"${index}"`));
  expect(p).not.toMatch(/TEMP B-TREE|"stage":"SORT"|COLLSCAN|"SCAN \w+"/);
}

describe('the hot comment queries walk their indexes', () => {
  let m: M;

  beforeAll(async () => {
    m = await freshMongo('comments-plans');
    await createCommentsStore(m.db).ensureIndexes();
    const docs: CommentRecord[] = Array.from({ length: 400 }, (_, i) => benchComment(i, { standardId: STD, keyPrefix: 'plans', t0, handled: true }));
    await m.db.collection<CommentRecord>(COLLECTIONS.comments).insertMany(docs);
  });
  afterAll(async () => {
    await m.drop();
  });

  const keyset = { createdAt: 1, _id: 1 };

  it('triage pages, each filter, and a page after a cursor', async () => {
    expectIndexWalk(await plan(m, COLLECTIONS.comments, { standardId: STD }, keyset, 201), 'by_standard_keyset_v2');
    expectIndexWalk(await plan(m, COLLECTIONS.comments, { standardId: STD, status: 'pending', moderation: 'visible' }, keyset, 201), 'triage_status_v2');
    expectIndexWalk(await plan(m, COLLECTIONS.comments, { standardId: STD, moderation: 'hidden' }, keyset, 201), 'triage_moderation_v2');
    expectIndexWalk(await plan(m, COLLECTIONS.comments, { standardId: STD, type: 'technical' }, keyset, 201), 'triage_type_v2');
    expectIndexWalk(await plan(m, COLLECTIONS.comments, { standardId: STD, 'submitter.province': 'JS' }, keyset, 201), 'triage_province_v2');
    expectIndexWalk(await plan(m, COLLECTIONS.comments, { standardId: STD, 'anchor.clauseId': 'c51' }, keyset, 201), 'triage_clause_v2');
    const after = afterFilter<CommentRecord>('createdAt', { at: new Date(t0 + 300_000), id: 'c0' });
    const deep = await plan(m, COLLECTIONS.comments, { standardId: STD, ...after }, keyset, 201);
    expectIndexWalk(deep, 'by_standard_keyset_v2');
    // SQLite seeks to the cursor (a range on the indexed createdAt), MongoDB bounds its scan.
    expect(deep).toMatch(/<expr>=\? AND <expr>>|"indexBounds"/);
  });

  it('the export cursor, the gate probe and the repair', async () => {
    expectIndexWalk(await plan(m, COLLECTIONS.comments, { standardId: STD }, keyset), 'by_standard_keyset_v2');
    expectIndexWalk(await plan(m, COLLECTIONS.comments, { standardId: STD, moderation: 'visible', status: 'pending' }, undefined, 1), 'triage_status_v2');
    expectIndexWalk(await plan(m, COLLECTIONS.comments, { tallyPending: true }), 'tally_pending_v2');
    expectIndexWalk(await plan(m, COLLECTIONS.comments, { tallyPending: true, standardId: STD }), 'tally_pending_v2');
  });

  it('the outbox and the audit, newest first', async () => {
    await m.db.collection(COLLECTIONS.outbox).insertOne({ _id: 'n1', createdAt: new Date(t0) } as never);
    await m.db.collection(COLLECTIONS.audit).insertOne({ standardId: STD, at: new Date(t0) });
    expectIndexWalk(await plan(m, COLLECTIONS.outbox, {}, { createdAt: -1, _id: -1 }, 201), 'newest_first_v2');
    expectIndexWalk(await plan(m, COLLECTIONS.audit, { standardId: STD }, { at: -1, _id: -1 }, 1000), 'by_standard_newest_v2');
  });
});
