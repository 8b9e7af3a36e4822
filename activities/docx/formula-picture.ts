// An imported equation object keeps its preview as the formula's picture (editor/schema.ts, formula `src`):
// the DOCX prints the picture in the formula line instead of the placeholder text. The picture's size comes
// from the PNG's pHYs density (the importer renders previews at 192 dpi), so it prints at its real size;
// without a density it is taken at 96 dpi. Never wider than the text block.
import { ImageRun } from 'docx';
import { fitToPage, type ImageData } from './images';

/** Pixels per inch of a PNG from its pHYs chunk (unit: metre), or null. */
export function pngDpi(d: Uint8Array): number | null {
  const at = Buffer.from(d.buffer, d.byteOffset, d.byteLength).indexOf('pHYs');
  if (at < 0 || at + 13 > d.length) return null;
  const v = new DataView(d.buffer, d.byteOffset + at + 4, 9);
  if (v.getUint8(8) !== 1) return null;
  const perMetre = v.getUint32(0);
  return perMetre > 0 ? perMetre * 0.0254 : null;
}

/** The formula's picture as a run of the formula line. */
export function formulaPictureRun(image: ImageData, id: number): ImageRun {
  const dpi = image.type === 'png' ? (pngDpi(image.data) ?? 96) : 96;
  const size = fitToPage((image.width * 96) / dpi, (image.height * 96) / dpi);
  const alt = '公式图片';
  return new ImageRun({ type: image.type, data: image.data, transformation: size, altText: { id: String(id), name: alt, description: alt, title: alt } });
}
