// Pictures that are not pictures: a package part under word/media/ named or typed as an image whose bytes
// are no image format (an HTML page or an executable renamed .png) refuses the whole file, like the other
// bad input (issue 14), before anything is stored. Formats Word embeds are recognised by their signature:
// PNG, JPEG, GIF, BMP, TIFF, WebP, WMF/EMF, SVG; other parts (video, OLE payloads) are left alone.
import { ImportError } from '../../editor/import/errors';
import { metafileKind } from './metafile';

const IMAGE_EXT = /\.(png|jpe?g|jfif|gif|bmp|dib|tiff?|webp|wmf|emf|wdp|svg)$/i;

const starts = (b: Uint8Array, sig: readonly number[], at = 0): boolean => b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);

/** Whether the bytes are an image in a format Word embeds. */
export function looksLikeImage(b: Uint8Array): boolean {
  if (starts(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return true; // PNG
  if (starts(b, [0xff, 0xd8, 0xff])) return true; // JPEG
  if (starts(b, [0x47, 0x49, 0x46, 0x38])) return true; // GIF8
  if (starts(b, [0x42, 0x4d]) && b.length > 26) return true; // BMP
  if (starts(b, [0x49, 0x49, 0x2a, 0x00]) || starts(b, [0x4d, 0x4d, 0x00, 0x2a])) return true; // TIFF
  if (starts(b, [0x49, 0x49, 0xbc])) return true; // JPEG XR (.wdp)
  if (starts(b, [0x52, 0x49, 0x46, 0x46]) && starts(b, [0x57, 0x45, 0x42, 0x50], 8)) return true; // WebP
  if (metafileKind(b)) return true;
  const head = Buffer.from(b.buffer, b.byteOffset, Math.min(b.byteLength, 1024)).toString('utf8');
  return /^(\uFEFF)?\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/.test(head);
}

/** Refuses the package when a part that claims to be a picture is none. */
export function checkPictureParts(media: ReadonlyMap<string, Uint8Array>): void {
  for (const [name, bytes] of media) {
    if (!IMAGE_EXT.test(name) || looksLikeImage(bytes)) continue;
    const part = name.slice(name.lastIndexOf('/') + 1).slice(0, 80);
    throw new ImportError(
      'NOT_AN_IMAGE',
      { zh: `文件中的图片 ${part} 不是图片（内容与图片格式不符），出于安全原因拒绝导入。`, en: `The picture ${part} in the file is not a picture (its content is no image format); refused for safety.` },
      { details: { part: name } },
    );
  }
}
