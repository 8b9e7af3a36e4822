// Uploads an image for a figure to the URL the page names (data-upload-url) and returns its address.
import * as z from 'zod/mini';

const uploadAnswer = z.object({ url: z.string().check(z.minLength(1)) });
const errorAnswer = z.object({ message_zh: z.string(), message_en: z.string() });

/** A refused upload, with the server's reason (not an image, too large, no right to edit …) in both languages. */
export class UploadError extends Error {
  constructor(
    readonly status: number,
    readonly reason: { zh: string; en: string } | null,
  ) {
    super(`upload failed: HTTP ${status}${reason ? ` (${reason.en})` : ''}`);
    this.name = 'UploadError';
  }
}

/** POSTs `file` as multipart field `file`; the server answers JSON `{ url }`. */
export async function uploadImage(uploadUrl: string, file: File, csrfToken?: string): Promise<string> {
  const body = new FormData();
  body.append('file', file);
  const res = await fetch(uploadUrl, {
    method: 'POST',
    body,
    credentials: 'same-origin',
    headers: csrfToken ? { 'X-CSRF-Token': csrfToken } : {},
  });
  if (!res.ok) {
    const body = errorAnswer.safeParse(await res.json().catch(() => null));
    throw new UploadError(res.status, body.success ? { zh: body.data.message_zh, en: body.data.message_en } : null);
  }
  return uploadAnswer.parse(await res.json()).url;
}

/** Lets the user pick an image file; resolves null when the picker is closed without a choice. */
export function pickImageFile(doc: Document): Promise<File | null> {
  return new Promise((resolve) => {
    const input = doc.createElement('input');
    input.type = 'file';
    // What the server accepts (server/extensions/images.ts): no SVG, which can carry script.
    input.accept = 'image/png,image/jpeg,image/gif';
    input.style.display = 'none';
    input.addEventListener('change', () => {
      resolve(input.files?.[0] ?? null);
      input.remove();
    });
    input.addEventListener('cancel', () => {
      resolve(null);
      input.remove();
    });
    doc.body.appendChild(input);
    input.click();
  });
}
