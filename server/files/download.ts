// Sending a stored file over HTTP: content type, length, a Chinese file name that every browser shows
// (RFC 6266 with an RFC 5987 `filename*` and an ASCII fallback), and the SHA-256 as a strong ETag.
import type { Request, Response } from 'express';
import type { Db } from 'mongodb';
import { getFile } from '../../activities/files/store';

/** `attachment; filename="…"; filename*=UTF-8''…` for any file name, Chinese included. */
export function contentDisposition(filename: string, disposition: 'attachment' | 'inline' = 'attachment'): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** The content type for a file name's extension. */
export function contentTypeOf(filename: string): string {
  const ext = filename.toLowerCase().split('.').pop();
  switch (ext) {
    case 'docx':
      return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    case 'pdf':
      return 'application/pdf';
    case 'xlsx':
      return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    default:
      return 'application/octet-stream';
  }
}

/**
 * Streams stored file `id` as the response. Access control is the caller's: public routes must check
 * that the file is a published edition, staff routes that the user may see the standard's drafts.
 */
export async function sendStoredFile(db: Db, id: string, req: Request, res: Response): Promise<void> {
  const { info, stream } = await getFile(db, id);
  const etag = `"${info.metadata.sha256}"`;
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', 'private, max-age=0, must-revalidate');
  if (req.headers['if-none-match'] === etag) {
    stream.destroy();
    res.status(304).end();
    return;
  }
  res.setHeader('Content-Type', info.metadata.contentType ?? contentTypeOf(info.filename));
  res.setHeader('Content-Length', String(info.length));
  res.setHeader('Content-Disposition', contentDisposition(info.filename));
  res.setHeader('X-Content-SHA256', info.metadata.sha256);
  await new Promise<void>((resolve, reject) => {
    stream.once('error', reject);
    res.once('finish', () => resolve());
    res.once('close', () => resolve());
    stream.pipe(res);
  });
}
