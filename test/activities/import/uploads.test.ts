// Word files kept for import (FerretDB): a proposal's file is bound only by the user who uploaded it, once,
// and only while pending; the draft page's preview never sees it; it stays while the standard waits for
// drafting and is swept when the standard ended (withdrawn) or is gone, or when it was never proposed.
import { freshMongo } from '../../support/mongo';
import { standardsCollection } from '../../../activities/data/standards';
import { bindProposalUpload, countUploads, keepUpload, proposalUploadOf, readUpload, sweepExpiredUploads } from '../../../activities/import/uploads';
import type { StandardRecord } from '../../../workflows/domain';

let mongo: Awaited<ReturnType<typeof freshMongo>>;

beforeAll(async () => {
  mongo = await freshMongo('importuploads');
});

afterAll(async () => {
  await mongo?.drop();
});

const meta = (userId: string) => ({ standardId: '', userId, filename: 'draft.docx', allowNonStandard: false, purpose: 'proposal' as const });

test('a proposal file is bound once by its owner, kept while waiting, swept when the standard ended or is gone', async () => {
  const db = mongo.db;
  const standards = standardsCollection(db);
  await standards.insertMany([
    { _id: 'S-wait', stage: 'initiation' },
    { _id: 'S-ended', stage: 'withdrawn' },
  ] as unknown as StandardRecord[]);
  const waiting = await keepUpload(db, Buffer.from('waiting'), meta('u1'));
  const ended = await keepUpload(db, Buffer.from('ended'), meta('u1'));
  const gone = await keepUpload(db, Buffer.from('gone'), meta('u1'));
  const never = await keepUpload(db, Buffer.from('never proposed'), meta('u1'), new Date(Date.now() - 2 * 60 * 60 * 1000));

  expect(await bindProposalUpload(db, waiting, 'someone-else', 'S-wait')).toBe(false);
  expect(await bindProposalUpload(db, waiting, 'u1', 'S-wait')).toBe(true);
  expect(await bindProposalUpload(db, waiting, 'u1', 'S-ended')).toBe(false);
  expect(await bindProposalUpload(db, ended, 'u1', 'S-ended')).toBe(true);
  expect(await bindProposalUpload(db, gone, 'u1', 'S-missing')).toBe(true);
  expect(await bindProposalUpload(db, never, 'u1', 'S-wait')).toBe(false);

  // The draft page's flow never reads a proposal's file.
  expect(await readUpload(db, waiting, { standardId: 'S-wait', userId: 'u1' })).toBeNull();
  expect((await proposalUploadOf(db, 'S-wait'))?.data.toString()).toBe('waiting');

  // Kept past the pending hour while the standard waits for drafting.
  const later = new Date(Date.now() + 3 * 60 * 60 * 1000);
  expect(await sweepExpiredUploads(db, later)).toBe(3);
  expect(await countUploads(db)).toBe(1);
  expect((await proposalUploadOf(db, 'S-wait'))?.id).toBe(waiting);
  expect(await proposalUploadOf(db, 'S-ended')).toBeNull();
});
