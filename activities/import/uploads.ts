// Word files uploaded for import, kept between the preview and the confirmation: a GridFS bucket of their
// own (`importUploads`, files up to the importer's 50 MB exceed a document's 16 MB), keyed by a random id
// and bound to the user and the standard. A pending upload expires after an hour; expired ones are swept
// whenever a new one is kept. Nothing is kept for a file the importer refused.
import { randomBytes } from 'node:crypto';
import { GridFSBucket, type Db } from 'mongodb';
import { z } from 'zod';
import { standardsCollection } from '../data/standards';
import { TERMINAL_STAGES } from '../../workflows/domain';
import { releasePendingPictures } from './pending-pictures';

export const IMPORT_UPLOADS_BUCKET = 'importUploads';
export const UPLOAD_TTL_MS = 60 * 60 * 1000;
export const UPLOAD_ID = /^[0-9a-f]{32}$/;

const metaSchema = z.object({
  /** '' for a proposal's file until the proposal is made. */
  standardId: z.string(),
  userId: z.string(),
  filename: z.string(),
  allowNonStandard: z.boolean(),
  expiresAt: z.coerce.date(),
  /** 'draft': the draft page's preview → confirm; 'proposal': uploaded on the proposal form, applied when drafting starts. */
  purpose: z.enum(['draft', 'proposal']).default('draft'),
  /** The tracked-changes choice made on the proposal form. */
  changes: z.enum(['accept', 'reject']).optional(),
});

export type PendingUploadMeta = z.infer<typeof metaSchema>;

export interface PendingUpload {
  id: string;
  meta: PendingUploadMeta;
  data: Buffer;
}

function bucketOf(db: Db): GridFSBucket {
  return new GridFSBucket(db, { bucketName: IMPORT_UPLOADS_BUCKET });
}

/** Deletes pending uploads older than their expiry, and proposal files whose standard ended (withdrawn,
 *  abolished) or is gone before drafting started. */
export async function sweepExpiredUploads(db: Db, now = new Date()): Promise<number> {
  const bucket = bucketOf(db);
  const expired = await bucket.find({ 'metadata.expiresAt': { $lt: now } }).toArray();
  for (const f of expired) {
    await bucket.delete(f._id).catch(() => undefined);
    // The pictures the expired preview stored go with it, unless a draft or another pending import uses them.
    await releasePendingPictures(db, String(f._id));
  }
  let abandoned = 0;
  for (const f of await bucket.find({ 'metadata.purpose': 'proposal', 'metadata.standardId': { $ne: '' } }).toArray()) {
    const standardId = String((f.metadata as { standardId?: unknown } | undefined)?.standardId ?? '');
    const standard = await standardsCollection(db).findOne({ _id: standardId }, { projection: { stage: 1 } });
    if (standard && !TERMINAL_STAGES.includes(standard.stage)) continue;
    await bucket.delete(f._id).catch(() => undefined);
    abandoned++;
  }
  return expired.length + abandoned;
}

/** A new pending upload's id (given before the upload is kept, so the pictures stored with it carry it). */
export function newUploadId(): string {
  return randomBytes(16).toString('hex');
}

/** Keeps an upload for the confirmation; returns its id. */
export async function keepUpload(
  db: Db,
  data: Buffer,
  meta: Omit<PendingUploadMeta, 'expiresAt' | 'purpose'> & { purpose?: PendingUploadMeta['purpose'] },
  now = new Date(),
  id = newUploadId(),
): Promise<string> {
  await sweepExpiredUploads(db, now);
  const metadata: PendingUploadMeta = { ...meta, purpose: meta.purpose ?? 'draft', expiresAt: new Date(now.getTime() + UPLOAD_TTL_MS) };
  const stream = bucketOf(db).openUploadStreamWithId(id as never, 'upload', { metadata });
  await new Promise<void>((resolve, reject) => {
    stream.once('finish', () => resolve());
    stream.once('error', reject);
    stream.end(data);
  });
  return id;
}

/** The pending upload `id` of this user and standard; null when missing, expired or someone else's. */
export async function readUpload(db: Db, id: string, owner: { standardId: string; userId: string }, now = new Date()): Promise<PendingUpload | null> {
  if (!UPLOAD_ID.test(id)) return null;
  const bucket = bucketOf(db);
  const file = await bucket.find({ _id: id as never }).next();
  if (!file) return null;
  const meta = metaSchema.safeParse(file.metadata);
  if (!meta.success || meta.data.purpose !== 'draft' || meta.data.standardId !== owner.standardId || meta.data.userId !== owner.userId) return null;
  if (meta.data.expiresAt.getTime() < now.getTime()) {
    await bucket.delete(file._id).catch(() => undefined);
    await releasePendingPictures(db, id);
    return null;
  }
  const chunks: Buffer[] = [];
  for await (const c of bucket.openDownloadStream(file._id)) chunks.push(c as Buffer);
  return { id, meta: meta.data, data: Buffer.concat(chunks) };
}

/** Drops a pending upload (cancelled, confirmed or applied) and the pictures only it still holds. */
export async function dropUpload(db: Db, id: string): Promise<void> {
  if (!UPLOAD_ID.test(id)) return;
  await bucketOf(db).delete(id as never).catch(() => undefined);
  await releasePendingPictures(db, id);
}

/** How many uploads are pending (tests: nothing stored on refusal). */
export async function countUploads(db: Db, filter: { standardId?: string } = {}): Promise<number> {
  return bucketOf(db)
    .find(filter.standardId ? { 'metadata.standardId': filter.standardId } : {})
    .toArray()
    .then((a) => a.length);
}

/** A proposal's file is kept until drafting starts, however long the approvals take. */
const KEPT_UNTIL_DRAFTING = new Date('9999-12-31T00:00:00Z');

/** Binds this user's pending proposal file to the standard just proposed; false when missing, expired or someone else's. */
export async function bindProposalUpload(db: Db, id: string, userId: string, standardId: string, now = new Date()): Promise<boolean> {
  if (!UPLOAD_ID.test(id)) return false;
  const r = await db.collection(`${IMPORT_UPLOADS_BUCKET}.files`).updateOne(
    { _id: id as never, 'metadata.purpose': 'proposal', 'metadata.standardId': '', 'metadata.userId': userId, 'metadata.expiresAt': { $gte: now } },
    { $set: { 'metadata.standardId': standardId, 'metadata.expiresAt': KEPT_UNTIL_DRAFTING } },
  );
  return r.modifiedCount === 1;
}

/** The proposal file bound to the standard, if any (applied when drafting starts, then dropped). */
export async function proposalUploadOf(db: Db, standardId: string): Promise<PendingUpload | null> {
  const bucket = bucketOf(db);
  const file = await bucket.find({ 'metadata.purpose': 'proposal', 'metadata.standardId': standardId }).next();
  if (!file || typeof file._id !== 'string') return null;
  const meta = metaSchema.safeParse(file.metadata);
  if (!meta.success) return null;
  const chunks: Buffer[] = [];
  for await (const c of bucket.openDownloadStream(file._id as never)) chunks.push(c as Buffer);
  return { id: file._id, meta: meta.data, data: Buffer.concat(chunks) };
}
