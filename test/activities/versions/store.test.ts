// The version store's numbering on the real FerretDB: `seq` comes from a per-standard counter, stays
// unique when versions are inserted at the same time, and continues after versions stored before the
// counter existed. The comment pages' reads (the latest version of a kind, the list) walk an index with no
// temporary sort.
import { Binary } from 'mongodb';
import { createVersionStore, VERSION_COUNTERS_COLLECTION, VERSIONS_COLLECTION, type VersionRow } from '../../../activities/versions/store';
import { freshMongo } from '../../support/mongo';

let mongo: Awaited<ReturnType<typeof freshMongo>>;
beforeAll(async () => {
  mongo = await freshMongo('versionstore');
  await createVersionStore(mongo.db).ensureIndexes();
});
afterAll(async () => {
  await mongo.drop();
});

function row(standardId: string, id: string): Omit<VersionRow, 'seq'> {
  return {
    _id: id,
    standardId,
    docName: `standard:${standardId}`,
    kind: 'workingDraft',
    name: id,
    createdBy: { userId: 'u', displayName: 'U' },
    createdAt: new Date(),
    state: new Binary(Buffer.from([0, 0])),
    stateBytes: 2,
    stateSha256: 'x',
    json: null,
    jsonError: null,
    numbering: null,
  };
}

test('numbers versions 1, 2, 3 … per standard, also when they are inserted at the same time', async () => {
  const store = createVersionStore(mongo.db);
  const made = await Promise.all(Array.from({ length: 6 }, (_, i) => store.insert(row('std-a', `a-${i}`))));
  expect(made.every((m) => m.created)).toBe(true);
  expect(made.map((m) => m.row.seq).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6]);
  expect((await store.insert(row('std-b', 'b-0'))).row.seq).toBe(1);
  // A retried insert of the same id returns the stored version and numbers nothing.
  const again = await store.insert(row('std-a', 'a-0'));
  expect(again.created).toBe(false);
  expect((await store.insert(row('std-a', 'a-6'))).row.seq).toBe(7);
});

test('continues after the highest number stored before the counter existed', async () => {
  const store = createVersionStore(mongo.db);
  await mongo.db.collection<VersionRow>(VERSIONS_COLLECTION).insertMany([
    { ...row('std-old', 'old-1'), seq: 1 },
    { ...row('std-old', 'old-4'), seq: 4 },
  ]);
  expect(await mongo.db.collection(VERSION_COUNTERS_COLLECTION).findOne({ _id: 'std-old' as never })).toBeNull();
  expect((await store.insert(row('std-old', 'old-next'))).row.seq).toBe(5);
  expect((await store.list('std-old')).map((v) => v.seq)).toEqual([1, 4, 5]);
});

test("the comment pages' reads (latest of a kind, latest, the list) walk an index with no temporary sort", async () => {
  const store = createVersionStore(mongo.db);
  for (let i = 0; i < 5; i++) await store.insert({ ...row('std-plan', `p-${i}`), kind: i % 2 ? 'draftForComment' : 'workingDraft' });
  expect((await store.latest('std-plan', 'draftForComment'))?._id).toBe('p-3');
  expect((await store.latest('std-plan'))?._id).toBe('p-4');
  expect((await store.list('std-plan')).map((v) => v._id)).toEqual(['p-0', 'p-1', 'p-2', 'p-3', 'p-4']);
  const plan = async (filter: object, sort: object, limit?: number): Promise<string> =>
    JSON.stringify((await mongo.db.command({ explain: { find: VERSIONS_COLLECTION, filter, sort, ...(limit ? { limit } : {}), comment: 'tongbiao:exact-pushdown' } })).queryPlanner);
  const walks = (p: string, index: string): void => {
    expect(p).toMatch(new RegExp(`USING (COVERING )?INDEX \\w+_${index}\\b|"indexName":"${index}"`));
    expect(p).not.toMatch(/TEMP B-TREE|"stage":"SORT"|COLLSCAN|"SCAN \w+"/);
  };
  walks(await plan({ standardId: 'std-plan', kind: 'draftForComment' }, { seq: -1 }, 1), 'standard_kind_newest_v2');
  walks(await plan({ standardId: 'std-plan' }, { seq: -1 }, 1), 'standard_newest_v2');
  walks(await plan({ standardId: 'std-plan' }, { seq: 1 }), 'standard_newest_v2');
});
