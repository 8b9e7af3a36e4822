// Pictures an import stores before it is confirmed (the upload and the preview store them so the model can
// refer to them by URL) must not outlive a cancelled or expired import. A picture first stored by a pending
// import carries the ids of the pending imports that use it (`metadata.pendingImports`); a confirmed import
// (or a proposal's file applied at drafting start) settles the pictures it uses by removing that list, so
// they are kept like any uploaded figure. Dropping a pending upload (cancel, confirm, expiry) takes its id
// off; a picture whose list is then empty was used by no draft and is deleted. A picture that was already
// stored (settled) when an import found it by hash is never marked, so an import never deletes one the
// draft uses.
import { GridFSBucket, type Db, type ObjectId } from 'mongodb';

/** The figure pictures' GridFS bucket (server/extensions/images.ts stores uploaded figures there too). */
export const PICTURES_BUCKET = 'images';

const files = (db: Db) => db.collection<{ _id: ObjectId; metadata?: { pendingImports?: unknown } }>(`${PICTURES_BUCKET}.files`);

/** Metadata for a picture stored now: marked with the pending import that stores it, if any. */
export function pendingMetadata(pendingUpload: string | undefined): { pendingImports?: string[] } {
  return pendingUpload ? { pendingImports: [pendingUpload] } : {};
}

/** An import found an already stored picture by hash: a pending import joins its marks (a settled picture
 *  stays settled); a confirmed import settles it. */
export async function holdPicture(db: Db, fileId: ObjectId, metadata: unknown, pendingUpload: string | undefined): Promise<void> {
  const marks = (metadata as { pendingImports?: unknown } | undefined)?.pendingImports;
  if (!Array.isArray(marks)) return;
  if (pendingUpload) await files(db).updateOne({ _id: fileId }, { $addToSet: { 'metadata.pendingImports': pendingUpload } });
  else await files(db).updateOne({ _id: fileId }, { $unset: { 'metadata.pendingImports': '' } });
}

/** Takes the pending upload off its pictures and deletes those no other pending import uses. Returns how many
 *  were deleted. */
export async function releasePendingPictures(db: Db, uploadId: string): Promise<number> {
  const marked = await files(db).find({ 'metadata.pendingImports': uploadId }, { projection: { _id: 1 } }).toArray();
  if (marked.length === 0) return 0;
  const bucket = new GridFSBucket(db, { bucketName: PICTURES_BUCKET });
  let deleted = 0;
  for (const f of marked) {
    await files(db).updateOne({ _id: f._id }, { $pull: { 'metadata.pendingImports': uploadId } });
    const now = await files(db).findOne({ _id: f._id }, { projection: { metadata: 1 } });
    const left = now?.metadata?.pendingImports;
    if (Array.isArray(left) && left.length === 0) {
      await bucket.delete(f._id).catch(() => undefined);
      deleted++;
    }
  }
  return deleted;
}
