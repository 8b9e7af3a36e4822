// Figure images of a draft: upload (drafters who may edit the draft), download (whoever may read the draft,
// anyone once the standard is published) and the resolver with which the DOCX generator prints uploaded
// figures. Images are stored in the GridFS bucket `images`; the type is taken from the file's magic bytes,
// never from the name or the declared MIME type, and only PNG, JPEG and GIF are accepted (SVG can carry
// script). A stored image never changes, so it is served with a long, immutable cache lifetime.
import type { NextFunction, Request, Response } from 'express';
import { GridFSBucket, ObjectId, type Db } from 'mongodb';
import multer from 'multer';
import { z } from 'zod';
import { pixelSize, type ImageData } from '../../activities/docx/images';
import type { AppExtensionContext } from '../app-deps';
import { draftPermission } from '../../workflows/draft-access';
import { getStandard } from '../../activities/data/standards';
import { sha256Of } from '../../activities/files/store';
import { userOf } from '../http/principal';
import { AppError } from '../../activities/infra/errors';
import { createLogger, type Logger } from '../../activities/infra/logger';
import type { StandardRecord } from '../../workflows/domain';
import { loadStandardOr404 } from './editor-page';

export const IMAGES_BUCKET = 'images';
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

type ImageType = ImageData['type'];
const CONTENT_TYPES: Record<ImageType, string> = { png: 'image/png', jpg: 'image/jpeg', gif: 'image/gif' };

const metadataSchema = z.object({
  standardId: z.string(),
  sha256: z.string(),
  contentType: z.enum(['image/png', 'image/jpeg', 'image/gif']),
  uploadedBy: z.string(),
});

const IMAGE_ID = /^[0-9a-f]{24}$/;
/** `/images/<id>`, possibly with scheme and host (a figure pasted from another page of the site). */
const IMAGE_SRC = /^(?:https?:\/\/[^/]+)?\/images\/([0-9a-f]{24})$/;

/** The image type from the first bytes of the file; null for anything that is not PNG, JPEG or GIF. */
export function sniffImageType(data: Uint8Array): ImageType | null {
  const starts = (sig: number[]): boolean => sig.every((b, i) => data[i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (starts([0xff, 0xd8, 0xff])) return 'jpg';
  if (starts([0x47, 0x49, 0x46, 0x38]) && (data[4] === 0x37 || data[4] === 0x39) && data[5] === 0x61) return 'gif';
  return null;
}

const notAnImage = (): AppError =>
  new AppError('BAD_REQUEST', { zh: '只能上传 PNG、JPEG 或 GIF 图片', en: 'Only PNG, JPEG or GIF images can be uploaded' });

const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 5 } });

/** multer's single-file parser with its errors turned into bilingual AppErrors. */
function parseFile(req: Request, res: Response, next: NextFunction): void {
  upload.single('file')(req, res, (err: unknown) => {
    if (!err) return next();
    if (err instanceof multer.MulterError) {
      if (err.code === 'LIMIT_FILE_SIZE') {
        return next(new AppError('PAYLOAD_TOO_LARGE', { zh: `图片不能超过 ${MAX_IMAGE_BYTES / 1024 / 1024} MB`, en: `Images may be at most ${MAX_IMAGE_BYTES / 1024 / 1024} MB` }));
      }
      return next(new AppError('BAD_REQUEST', { zh: `上传请求无效（${err.code}）`, en: `Invalid upload request (${err.code})` }));
    }
    next(err);
  });
}

function bucketOf(db: Db): GridFSBucket {
  return new GridFSBucket(db, { bucketName: IMAGES_BUCKET });
}

async function readAll(bucket: GridFSBucket, id: ObjectId): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of bucket.openDownloadStream(id)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function findImage(db: Db, id: string) {
  if (!IMAGE_ID.test(id)) return null;
  const file = await bucketOf(db).find({ _id: new ObjectId(id) }).next();
  if (!file) return null;
  const meta = metadataSchema.safeParse(file.metadata);
  return meta.success ? { id: file._id, length: file.length, meta: meta.data } : null;
}

export function imagesExtension(deps: { db: Db; logger?: Logger }) {
  const log = deps.logger ?? createLogger('images');
  const { db } = deps;
  return ({ app, requireUser }: AppExtensionContext): void => {
    app.post('/api/standards/:id/images', requireUser, async (req, res, next) => {
      // Access is checked before the body is read: a refused user's upload is never buffered.
      const user = userOf(req);
      const standard = await loadStandardOr404(db, String(req.params.id));
      if (draftPermission(user.grants, standard) !== 'edit') {
        throw new AppError('FORBIDDEN', { zh: '您无权向此草案上传图片', en: 'You may not upload images to this draft' });
      }
      next();
    }, parseFile, async (req, res) => {
      const user = userOf(req);
      const file = req.file;
      if (!file) throw new AppError('BAD_REQUEST', { zh: '请求中没有名为 file 的图片', en: 'The request has no image in field "file"' });
      const type = sniffImageType(file.buffer);
      if (!type || !pixelSize(file.buffer, type)) throw notAnImage();
      const metadata = { standardId: String(req.params.id), sha256: sha256Of(file.buffer), contentType: CONTENT_TYPES[type], uploadedBy: user.username };
      const stream = bucketOf(db).openUploadStream(`figure.${type}`, { metadata });
      await new Promise<void>((resolve, reject) => {
        stream.once('finish', () => resolve());
        stream.once('error', reject);
        stream.end(file.buffer);
      });
      const id = stream.id.toString();
      log.info({ standardId: metadata.standardId, imageId: id, bytes: file.size, type }, 'figure image stored');
      res.status(201).json({ url: `/images/${id}` });
    });

    app.get('/images/:id', async (req, res) => {
      const image = await findImage(db, String(req.params.id));
      const missing = new AppError('NOT_FOUND', { zh: '图片不存在', en: 'No such image' });
      if (!image) throw missing;
      const standard = (await getStandard(db, image.meta.standardId)) as (StandardRecord & { step?: string }) | null;
      if (!standard) throw missing;
      const isPublic = Boolean(standard.publishedAt);
      if (!isPublic) {
        if (!req.user) throw new AppError('UNAUTHENTICATED', { zh: '请先登录', en: 'Please sign in first' });
        if (draftPermission(req.user.grants, standard) === 'none') throw new AppError('FORBIDDEN', { zh: '您无权查看此图片', en: 'You may not view this image' });
      }
      const etag = `"${image.meta.sha256}"`;
      res.setHeader('ETag', etag);
      res.setHeader('Cache-Control', `${isPublic ? 'public' : 'private'}, max-age=31536000, immutable`);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      if (req.headers['if-none-match'] === etag) {
        res.status(304).end();
        return;
      }
      const data = await readAll(bucketOf(db), image.id);
      res.setHeader('Content-Type', image.meta.contentType);
      res.setHeader('Content-Length', String(data.length));
      res.send(data);
    });
  };
}

/**
 * The DOCX generator's `resolveImage`: an uploaded figure (`/images/<id>`, with or without host) as image
 * data with its pixel size; null for any other source or an image that is missing or unreadable, which
 * the generator prints as a framed placeholder.
 */
export function createImageResolver(db: Db, log: Logger = createLogger('images')): (src: string) => Promise<ImageData | null> {
  return async (src) => {
    const m = IMAGE_SRC.exec(src.trim());
    if (!m) return null;
    const image = await findImage(db, m[1]);
    if (!image) return null;
    const data = await readAll(bucketOf(db), image.id);
    const type = sniffImageType(data);
    const size = type ? pixelSize(data, type) : null;
    if (!type || !size) {
      log.warn({ imageId: m[1] }, 'stored figure image is not a readable PNG, JPEG or GIF');
      return null;
    }
    return { data, type, ...size };
  };
}
