// Generated files (released editions, stage drafts, 编制说明, 意见汇总处理表) in GridFS, bucket `files`.
// Files are immutable: every generation is a new file with its own id; nothing is overwritten or
// deleted here. Each carries its SHA-256 and what it is (standard, kind, stage, province or joint).
// Works on FerretDB 1.x and MongoDB: GridFS needs only two collections and ordinary indexes.
import { createHash } from 'node:crypto';
import { GridFSBucket, ObjectId, type Db, type GridFSFile } from 'mongodb';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { AppError } from '../infra/errors';
import { EXACT_PUSHDOWN } from '../infra/exact-pushdown';
import { ensureNamedIndexes } from '../data/named-indexes';
import { PROVINCES, STAGES } from '../../workflows/domain';

export const FILES_BUCKET = 'files';
export const FILE_KINDS = ['edition', 'draft', 'explanatoryNote', 'dispositionTable', 'reviewMinutes'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

export const FILE_FORMATS = ['docx', 'pdf'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

export const DOCX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export const fileMetadataSchema = z.object({
  standardId: z.string().min(1).max(200),
  kind: z.enum(FILE_KINDS),
  /** The lifecycle stage the file belongs to (release for editions). */
  stage: z.enum(STAGES),
  /** The province edition, or `joint` for the joint edition and for documents common to all three. */
  province: z.enum([...PROVINCES, 'joint']),
  /** Id of the named version the file was generated from, when there is one. */
  sourceVersionId: z.string().max(200).optional(),
  /** Draft kind for `draft` files: draftForComment, draftForReview, draftForApproval. */
  draftKind: z.enum(['draftForComment', 'draftForReview', 'draftForApproval']).optional(),
  /** `pdf` for the PDF rendered from a DOCX; absent or `docx` for the DOCX itself (files stored before PDFs existed have none). */
  format: z.enum(FILE_FORMATS).optional(),
  /** For a PDF: the id of the DOCX file it was rendered from. */
  sourceFileId: z.string().max(200).optional(),
});
export type FileMetadataInput = z.infer<typeof fileMetadataSchema>;

export interface StoredFileMetadata extends FileMetadataInput {
  sha256: string;
  createdAt: Date;
  contentType: string;
}

export interface StoredFile {
  id: string;
  filename: string;
  length: number;
  uploadDate: Date;
  metadata: StoredFileMetadata;
}

export interface StoreFileInput {
  filename: string;
  data: Buffer;
  contentType?: string;
  metadata: FileMetadataInput;
}

function bucketOf(db: Db): GridFSBucket {
  return new GridFSBucket(db, { bucketName: FILES_BUCKET });
}

function toStored(f: GridFSFile): StoredFile {
  return { id: f._id.toString(), filename: f.filename, length: f.length, uploadDate: f.uploadDate, metadata: f.metadata as StoredFileMetadata };
}

function parseId(id: string): ObjectId {
  if (!ObjectId.isValid(id) || !/^[0-9a-f]{24}$/i.test(id)) {
    throw new AppError('NOT_FOUND', { zh: `文件不存在：${id}`, en: `No such file: ${id}` });
  }
  return new ObjectId(id);
}

export function sha256Of(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Stores a generated file as a new GridFS file and returns what was stored (always a new id). */
export async function storeGeneratedFile(db: Db, input: StoreFileInput): Promise<StoredFile> {
  const metadata = fileMetadataSchema.parse(input.metadata);
  const full: StoredFileMetadata = { ...metadata, sha256: sha256Of(input.data), createdAt: new Date(), contentType: input.contentType ?? DOCX_CONTENT_TYPE };
  const bucket = bucketOf(db);
  const upload = bucket.openUploadStream(input.filename, { metadata: full });
  await new Promise<void>((resolve, reject) => {
    upload.once('finish', () => resolve());
    upload.once('error', reject);
    upload.end(input.data);
  });
  const stored = await bucket.find({ _id: upload.id }).next();
  if (!stored) throw new AppError('INTERNAL', { zh: '文件写入后未找到', en: 'The file was not found after writing it' });
  return toStored(stored);
}

/** The description of a stored file; NOT_FOUND when there is none. */
export async function getFileInfo(db: Db, id: string): Promise<StoredFile> {
  const f = await bucketOf(db).find({ _id: parseId(id) }).next();
  if (!f) throw new AppError('NOT_FOUND', { zh: `文件不存在：${id}`, en: `No such file: ${id}` });
  return toStored(f);
}

/** A stored file's description and a stream of its bytes. */
export async function getFile(db: Db, id: string): Promise<{ info: StoredFile; stream: Readable }> {
  const info = await getFileInfo(db, id);
  return { info, stream: bucketOf(db).openDownloadStream(new ObjectId(info.id)) };
}

/** A stored file's bytes, checked against its recorded SHA-256. */
export async function readFileBytes(db: Db, id: string): Promise<{ info: StoredFile; data: Buffer }> {
  const { info, stream } = await getFile(db, id);
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  const data = Buffer.concat(chunks);
  if (sha256Of(data) !== info.metadata.sha256) {
    throw new AppError('INTERNAL', { zh: `文件内容与其校验值不符：${id}`, en: `File content does not match its hash: ${id}` });
  }
  return { info, data };
}

export interface FileQuery {
  standardId: string;
  kind?: FileKind;
  stage?: FileMetadataInput['stage'];
  province?: FileMetadataInput['province'];
  sourceVersionId?: string;
  /**
   * Default `docx`, which matches files without a format too (stored before PDFs existed), so callers from
   * before the PDFs keep seeing one file per document; `any` for DOCX and PDF alike.
   */
  format?: FileFormat | 'any';
  sourceFileId?: string;
}

/** A stored file's format: `pdf`, or `docx` for every other file. */
export function formatOf(file: Pick<StoredFile, 'metadata'>): FileFormat {
  return file.metadata.format === 'pdf' ? 'pdf' : 'docx';
}

/** Files of a standard, newest first (DOCX only unless `format` says otherwise). */
export async function listFiles(db: Db, q: FileQuery): Promise<StoredFile[]> {
  const filter: Record<string, unknown> = { 'metadata.standardId': q.standardId };
  if (q.kind) filter['metadata.kind'] = q.kind;
  if (q.stage) filter['metadata.stage'] = q.stage;
  if (q.province) filter['metadata.province'] = q.province;
  if (q.sourceVersionId) filter['metadata.sourceVersionId'] = q.sourceVersionId;
  const format = q.format ?? 'docx';
  if (format !== 'any') filter['metadata.format'] = format === 'pdf' ? 'pdf' : { $ne: 'pdf' };
  if (q.sourceFileId) filter['metadata.sourceFileId'] = q.sourceFileId;
  // Scalar metadata fields: on the embedded store an index walk (ensureFileIndexes), not a read of every file's record.
  const files = await bucketOf(db).find(filter, EXACT_PUSHDOWN).sort({ uploadDate: -1, _id: -1 }).toArray();
  return files.map(toStored);
}

/**
 * The index of a standard's files newest first, for listFiles and listReleaseFiles (the public draft page, the
 * documents page, /published, the stage packages); `_v2`: see ../data/named-indexes.ts.
 */
export async function ensureFileIndexes(db: Db): Promise<void> {
  await ensureNamedIndexes(db.collection(`${FILES_BUCKET}.files`), [{ key: { 'metadata.standardId': 1, uploadDate: -1, _id: -1 }, name: 'by_standard_newest_v2' }]);
}

/** The released editions (DOCX and PDF) of several standards in one query, newest first. */
export async function listReleaseFiles(db: Db, standardIds: string[]): Promise<StoredFile[]> {
  if (standardIds.length === 0) return [];
  const files = await bucketOf(db)
    .find({ 'metadata.standardId': { $in: standardIds }, 'metadata.kind': 'edition', 'metadata.stage': 'release' }, EXACT_PUSHDOWN)
    .sort({ uploadDate: -1, _id: -1 })
    .toArray();
  return files.map(toStored);
}
