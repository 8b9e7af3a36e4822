// Equation objects (Equation Editor 3, MathType) carry only a WMF/EMF preview, which neither browsers nor
// the DOCX generator's picture path can show. At import time the previews are turned into PNG: one
// LibreOffice run lays every metafile out on a page of its own size (a flat ODF text document with the
// pictures embedded) and prints them to one PDF, and poppler's pdftocairo renders each page at 192 dpi
// (the PNG says so in pHYs, so the DOCX shows it at its real size). The installed LibreOffice is Writer
// only (no Draw, no PNG export filter), which is why the PDF step is needed. Private profile, time limit.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type MetafileKind = 'wmf' | 'emf';

/** Resolution of the PNG pictures (twice the 96 dpi the DOCX generator takes a pixel for). */
export const METAFILE_DPI = 192;
export const METAFILE_TIMEOUT_MS = 120_000;
/** Most metafiles converted for one import (a document with more keeps the rest as placeholders). */
export const MAX_METAFILES = 300;

/** WMF (placeable or plain) or EMF, by content. */
export function metafileKind(b: Uint8Array): MetafileKind | null {
  if (b.length < 44) return null;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (v.getUint32(0, true) === 0x9ac6cdd7) return 'wmf';
  if (v.getUint32(0, true) === 1 && v.getUint32(40, true) === 0x464d4520) return 'emf';
  const type = v.getUint16(0, true);
  if ((type === 1 || type === 2) && v.getUint16(2, true) === 9 && (v.getUint16(4, true) === 0x0300 || v.getUint16(4, true) === 0x0100)) return 'wmf';
  return null;
}

/** The picture's size in points from its header; a formula-like default when the header has none. */
export function metafileSizePt(b: Uint8Array, kind: MetafileKind): { width: number; height: number } {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let width = 0;
  let height = 0;
  if (kind === 'emf') {
    // rclFrame, in 0.01 mm.
    width = ((v.getInt32(32, true) - v.getInt32(24, true)) / 2540) * 72;
    height = ((v.getInt32(36, true) - v.getInt32(28, true)) / 2540) * 72;
  } else if (v.getUint32(0, true) === 0x9ac6cdd7) {
    const inch = v.getUint16(14, true) || 1440;
    width = ((v.getInt16(10, true) - v.getInt16(6, true)) / inch) * 72;
    height = ((v.getInt16(12, true) - v.getInt16(8, true)) / inch) * 72;
  }
  const clamp = (x: number, fallback: number): number => (Number.isFinite(x) && x > 0 ? Math.min(1000, Math.max(4, x)) : fallback);
  return { width: clamp(Math.abs(width), 144), height: clamp(Math.abs(height), 36) };
}

export interface MetafileTools {
  soffice?: string;
  pdftocairo?: string;
  timeoutMs?: number;
}

const NS = [
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"',
  'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"',
  'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"',
  'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"',
  'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"',
  'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"',
].join(' ');

/** A flat ODF text document: page i is exactly the size of metafile i, which fills it. */
export function pagesDocument(items: readonly { bytes: Uint8Array; kind: MetafileKind }[]): string {
  const layouts: string[] = [];
  const paraStyles: string[] = [];
  const masters: string[] = [];
  const body: string[] = [];
  items.forEach((m, i) => {
    const { width, height } = metafileSizePt(m.bytes, m.kind);
    const w = `${width.toFixed(2)}pt`;
    const h = `${height.toFixed(2)}pt`;
    layouts.push(`<style:page-layout style:name="L${i}"><style:page-layout-properties fo:page-width="${w}" fo:page-height="${h}" fo:margin-top="0pt" fo:margin-bottom="0pt" fo:margin-left="0pt" fo:margin-right="0pt"/></style:page-layout>`);
    paraStyles.push(
      `<style:style style:name="P${i}" style:family="paragraph" style:master-page-name="M${i}"><style:paragraph-properties fo:margin-top="0pt" fo:margin-bottom="0pt" fo:line-height="100%"${i > 0 ? ' fo:break-before="page"' : ''}/><style:text-properties fo:font-size="1pt"/></style:style>`,
    );
    masters.push(`<style:master-page style:name="M${i}" style:page-layout-name="L${i}"/>`);
    const data = Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength).toString('base64');
    body.push(
      `<text:p text:style-name="P${i}"><draw:frame draw:name="m${i}" text:anchor-type="paragraph" svg:x="0pt" svg:y="0pt" svg:width="${w}" svg:height="${h}"><draw:image><office:binary-data>${data}</office:binary-data></draw:image></draw:frame></text:p>`,
    );
  });
  return [
    `<?xml version="1.0" encoding="UTF-8"?><office:document ${NS} office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">`,
    `<office:automatic-styles>${layouts.join('')}${paraStyles.join('')}</office:automatic-styles>`,
    `<office:master-styles>${masters.join('')}</office:master-styles>`,
    `<office:body><office:text>${body.join('')}</office:text></office:body></office:document>`,
  ].join('');
}

/** Renders the metafiles to PNG, in order, with one LibreOffice and one pdftocairo run. Throws when a tool
 *  is missing or fails, or when the page count does not match (nothing is guessed). */
export async function renderMetafilesToPng(items: readonly { bytes: Uint8Array; kind: MetafileKind }[], tools: MetafileTools = {}): Promise<Buffer[]> {
  if (items.length === 0) return [];
  const soffice = tools.soffice ?? process.env.SOFFICE_PATH ?? 'soffice';
  const pdftocairo = tools.pdftocairo ?? process.env.PDFTOCAIRO_PATH ?? 'pdftocairo';
  const timeout = tools.timeoutMs ?? METAFILE_TIMEOUT_MS;
  const dir = await mkdtemp(path.join(tmpdir(), 'tongbiao-metafile-'));
  try {
    const input = path.join(dir, 'pictures.fodt');
    await writeFile(input, pagesDocument(items));
    const profile = pathToFileURL(path.join(dir, 'profile')).href;
    await run(soffice, [`-env:UserInstallation=${profile}`, '--headless', '--norestore', '--convert-to', 'pdf:writer_pdf_Export', '--outdir', dir, input], { timeout, env: { ...process.env, HOME: dir } });
    const out = path.join(dir, 'png');
    await run(pdftocairo, ['-png', '-r', String(METAFILE_DPI), path.join(dir, 'pictures.pdf'), out], { timeout });
    // pdftocairo names pages png-1.png … or png-01.png … (padded to the page count's digits).
    const pages = (await readdir(dir))
      .map((f) => /^png-(\d+)\.png$/.exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .sort((a, b) => Number(a[1]) - Number(b[1]));
    if (pages.length !== items.length) throw new Error(`expected ${items.length} pages, LibreOffice laid out ${pages.length}`);
    return await Promise.all(pages.map((m) => readFile(path.join(dir, m[0]))));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
