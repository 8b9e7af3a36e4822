// A proposal's Word file is applied to the draft when drafting starts, long after it was uploaded and
// checked. If that import fails then (LibreOffice cannot convert it now, the store refused a picture …),
// the file is kept, marked with the reason in zh/en, so the standard's page tells the proposer and offers
// to retry or discard it, instead of the failure only reaching the log. The mark lives on the kept upload
// (GridFS `importUploads`, activities/import/uploads.ts) and goes with it.
import type { Db } from 'mongodb';
import { z } from 'zod';
import { IMPORT_UPLOADS_BUCKET } from './uploads';

export const proposalFailureSchema = z.object({
  /** ImportError / AppError code, or INTERNAL. */
  code: z.string(),
  zh: z.string(),
  en: z.string(),
  at: z.coerce.date(),
});
export type ProposalImportFailure = z.infer<typeof proposalFailureSchema>;

export interface ProposalImportFailureView extends ProposalImportFailure {
  uploadId: string;
  filename: string;
  /** The proposer who uploaded the file (who may retry or discard it). */
  userId: string;
}

const files = (db: Db) => db.collection<{ _id: string; metadata?: Record<string, unknown> }>(`${IMPORT_UPLOADS_BUCKET}.files`);

/** Marks the proposal's kept file as failed to apply, with the reason shown to the proposer. */
export async function markProposalImportFailed(db: Db, uploadId: string, failure: Omit<ProposalImportFailure, 'at'>, now = new Date()): Promise<void> {
  await files(db).updateOne({ _id: uploadId }, { $set: { 'metadata.failure': { ...failure, at: now } } });
}

/** The failed proposal import of the standard, if its file is kept with a failure. */
export async function proposalImportFailureOf(db: Db, standardId: string): Promise<ProposalImportFailureView | null> {
  const f = await files(db).findOne({ 'metadata.purpose': 'proposal', 'metadata.standardId': standardId, 'metadata.failure': { $exists: true } });
  if (!f) return null;
  const failure = proposalFailureSchema.safeParse(f.metadata?.failure);
  if (!failure.success) return null;
  return { ...failure.data, uploadId: String(f._id), filename: String(f.metadata?.filename ?? ''), userId: String(f.metadata?.userId ?? '') };
}
