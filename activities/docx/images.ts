// Figure images: data URLs (PNG, JPEG, GIF) decoded with their pixel size read from the file header,
// scaled to fit the text block. Other sources are resolved by the caller (see GenerateOptions.resolveImage).
import { TEXT_WIDTH } from './typography';

export interface ImageData {
  data: Uint8Array;
  type: 'png' | 'jpg' | 'gif';
  width: number;
  height: number;
}

/** Decodes `data:image/…;base64,…`; null for anything else. */
export function decodeDataUrl(src: string): ImageData | null {
  const m = /^data:image\/(png|jpe?g|gif);base64,(.+)$/s.exec(src);
  if (!m) return null;
  const data = Uint8Array.from(Buffer.from(m[2], 'base64'));
  const type = m[1] === 'png' ? 'png' : m[1] === 'gif' ? 'gif' : 'jpg';
  const size = pixelSize(data, type);
  return size ? { data, type, ...size } : null;
}

/** Width and height in pixels from the image header. */
export function pixelSize(d: Uint8Array, type: ImageData['type']): { width: number; height: number } | null {
  const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
  if (type === 'png') return d.length > 24 ? { width: v.getUint32(16), height: v.getUint32(20) } : null;
  if (type === 'gif') return d.length > 10 ? { width: v.getUint16(6, true), height: v.getUint16(8, true) } : null;
  let i = 2;
  while (i + 9 < d.length) {
    if (d[i] !== 0xff) return null;
    const marker = d[i + 1];
    const len = v.getUint16(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: v.getUint16(i + 5), width: v.getUint16(i + 7) };
    }
    i += 2 + len;
  }
  return null;
}

/** Display size in pixels (96 dpi): at most the text width and 2/3 of a page high, aspect kept. */
export function fitToPage(width: number, height: number): { width: number; height: number } {
  const maxW = Math.floor(TEXT_WIDTH / 15);
  const maxH = 620;
  const scale = Math.min(1, maxW / width, maxH / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
