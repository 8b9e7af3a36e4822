// The version store's numbering on the real FerretDB: `seq` comes from a per-standard counter, stays
// unique when versions are inserted at the same time, and continues after versions stored before the
// counter existed.
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
