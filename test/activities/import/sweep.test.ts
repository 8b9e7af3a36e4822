// The periodic sweep of pending Word uploads (FerretDB): an upload left after its hour is dropped by the
// timer on its own — no new upload needed — with the picture its preview stored, while a settled picture
// and a fresh upload stay; after stop() the timer sweeps no more.
import { GridFSBucket } from 'mongodb';
import { freshMongo } from '../../support/mongo';
import { countUploads, keepUpload, newUploadId } from '../../../activities/import/uploads';
import { pendingMetadata } from '../../../activities/import/pending-pictures';
import { startImportSweep } from '../../../activities/import/sweep';
import { createLogger } from '../../../activities/infra/logger';

let mongo: Awaited<ReturnType<typeof freshMongo>>;
beforeAll(async () => {
  mongo = await freshMongo('importsweep');
});
afterAll(async () => {
  await mongo?.drop();
});

async function storePicture(name: string, pendingUpload?: string): Promise<unknown> {
  const stream = new GridFSBucket(mongo.db, { bucketName: 'images' }).openUploadStream(name, { metadata: { standardId: 'S1', sha256: name, ...pendingMetadata(pendingUpload) } });
  await new Promise<void>((resolve, reject) => {
    stream.once('finish', () => resolve());
    stream.once('error', reject);
    stream.end(Buffer.from(name));
  });
  return stream.id;
}

const until = async (ok: () => Promise<boolean>, ms = 20_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

test('the timer drops expired uploads with their pending pictures, keeps the rest, and stops', async () => {
  const db = mongo.db;
  const meta = { standardId: 'S1', userId: 'u1', filename: 'draft.docx', allowNonStandard: false };
  const freshId = await keepUpload(db, Buffer.from('fresh'), meta);
  const freshPicture = await storePicture('fresh-picture', freshId);
  // Kept two hours ago (after the fresh one, so keeping it sweeps nothing): expired an hour ago.
  const oldId = newUploadId();
  await keepUpload(db, Buffer.from('old'), meta, new Date(Date.now() - 2 * 60 * 60 * 1000), oldId);
  const oldPicture = await storePicture('old-picture', oldId);
  const settled = await storePicture('settled-picture');
  const files = db.collection('images.files');
  expect(await countUploads(db, { standardId: 'S1' })).toBe(2);

  const sweep = startImportSweep({ db, logger: createLogger('test'), everyMs: 100 });
  try {
    await until(async () => (await countUploads(db, { standardId: 'S1' })) === 1);
    await until(async () => (await files.countDocuments({ _id: oldPicture as never })) === 0);
    expect(await files.countDocuments({ _id: settled as never })).toBe(1);
    expect(await files.countDocuments({ _id: freshPicture as never })).toBe(1);
  } finally {
    sweep.stop();
  }
  // Stopped: a newly expired upload stays until something sweeps.
  const lateId = newUploadId();
  await keepUpload(db, Buffer.from('late'), meta, new Date(Date.now() - 2 * 60 * 60 * 1000), lateId);
  await new Promise((r) => setTimeout(r, 400));
  expect(await countUploads(db, { standardId: 'S1' })).toBe(2);
  expect(await sweep.sweepNow()).toBe(1);
});
