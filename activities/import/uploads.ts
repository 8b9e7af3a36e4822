// Word files uploaded for import, kept between the preview and the confirmation: a GridFS bucket of their
// own (`importUploads`, files up to the importer's 50 MB exceed a document's 16 MB), keyed by a random id
// and bound to the user and the standard. A pending upload expires after an hour; expired ones are swept
// whenever a new one is kept. Nothing is kept for a file the importer refused.
import { randomBytes } from 'node:crypto';
import { GridFSBucket, type Db } from 'mongodb';
import { z } from 'zod';

export const IMPORT_UPLOADS_BUCKET = 'importUploads';
export const UPLOAD_TTL_MS = 60 * 60 * 1000;
export const UPLOAD_ID = /^[0-9a-f]{32}$/;

const metaSchema = z.object({
  standardId: z.string(),
  userId: z.string(),
  filename: z.string(),
  allowNonStandard: z.boolean(),
  expiresAt: z.coerce.date(),
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

/** Deletes pending uploads older than their expiry. */
export async function sweepExpiredUploads(db: Db, now = new Date()): Promise<number> {
  const bucket = bucketOf(db);
  const expired = await bucket.find({ 'metadata.expiresAt': { $lt: now } }).toArray();
  for (const f of expired) await bucket.delete(f._id).catch(() => undefined);
  return expired.length;
}

/** Keeps an upload for the confirmation; returns its id. */
export async function keepUpload(db: Db, data: Buffer, meta: Omit<PendingUploadMeta, 'expiresAt'>, now = new Date()): Promise<string> {
  await sweepExpiredUploads(db, now);
  const id = randomBytes(16).toString('hex');
  const metadata: PendingUploadMeta = { ...meta, expiresAt: new Date(now.getTime() + UPLOAD_TTL_MS) };
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
  if (!meta.success || meta.data.standardId !== owner.standardId || meta.data.userId !== owner.userId) return null;
  if (meta.data.expiresAt.getTime() < now.getTime()) {
    await bucket.delete(file._id).catch(() => undefined);
    return null;
  }
  const chunks: Buffer[] = [];
  for await (const c of bucket.openDownloadStream(file._id)) chunks.push(c as Buffer);
  return { id, meta: meta.data, data: Buffer.concat(chunks) };
}

export async function dropUpload(db: Db, id: string): Promise<void> {
  if (!UPLOAD_ID.test(id)) return;
  await bucketOf(db).delete(id as never).catch(() => undefined);
}

/** How many uploads are pending (tests: nothing stored on refusal). */
export async function countUploads(db: Db, filter: { standardId?: string } = {}): Promise<number> {
  return bucketOf(db)
    .find(filter.standardId ? { 'metadata.standardId': filter.standardId } : {})
    .toArray()
    .then((a) => a.length);
}
