// Opens an uploaded Word file safely: decides what it is by its bytes (never its name), refuses encrypted
// and macro-enabled documents, checks the ZIP central directory against limits on part count and
// uncompressed size before inflating anything, and counts bytes again while inflating (the directory can
// lie). Parts are then read with jszip. Returns the XML parts the pure importer needs and a media reader.
import JSZip from 'jszip';
import { ImportError } from '../../editor/import/errors';
import type { DocxParts } from '../../editor/import/reader';
import { checkPictureParts } from './media-check';
import { legacyDocEncrypted } from './legacy-encryption';

export const LIMITS = {
  /** Largest file accepted (the issue: over 50 MB is refused). */
  maxFileBytes: 50 * 1024 * 1024,
  maxParts: 2000,
  /** Sum of the declared uncompressed sizes of all parts. */
  maxTotalUncompressed: 400 * 1024 * 1024,
  /** One part (document.xml of a 300-page standard is ~15 MB). */
  maxPartUncompressed: 200 * 1024 * 1024,
  /** Compression ratio above which a large part is taken for a bomb. */
  maxRatio: 200,
} as const;
export type Limits = { [K in keyof typeof LIMITS]: number };

export type FileKind = 'docx' | 'docm' | 'doc' | 'encrypted' | 'wps' | 'zip' | 'unknown';

const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** What a file is, by content. OLE compound files are told apart by their directory's stream names. */
export function sniff(data: Uint8Array): FileKind {
  if (data.length >= 4 && data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04) return 'zip';
  if (data.length >= 8 && OLE.every((b, i) => data[i] === b)) {
    // Directory entry names are UTF-16LE; looking for them in the bytes is enough to tell the kinds apart.
    const has = (name: string): boolean => Buffer.from(data.buffer, data.byteOffset, data.byteLength).includes(Buffer.from(name, 'utf16le'));
    if (has('EncryptedPackage') || has('EncryptionInfo')) return 'encrypted';
    // A password-protected Word 97–2003 file: the FIB of its WordDocument stream says so.
    if (has('WordDocument')) return legacyDocEncrypted(data) ? 'encrypted' : 'doc';
    if (has('WpsContent') || has('WPS')) return 'wps';
    return 'unknown';
  }
  return 'unknown';
}

interface DirectoryEntry {
  name: string;
  compressed: number;
  uncompressed: number;
}

const tooLarge = (zh: string, en: string): ImportError => new ImportError('TOO_LARGE', { zh, en });

/** Reads the ZIP central directory (without inflating) and applies the limits. */
export function checkCentralDirectory(data: Uint8Array, limits: Limits = LIMITS): DirectoryEntry[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let eocd = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  const broken = new ImportError('MALFORMED', { zh: '文件不是完整的 ZIP（Word）文件。', en: 'The file is not a complete ZIP (Word) file.' });
  if (eocd < 0) throw broken;
  const count = view.getUint16(eocd + 10, true);
  const size = view.getUint32(eocd + 12, true);
  const offset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || offset === 0xffffffff) throw tooLarge('文件使用 ZIP64，超出导入限制。', 'The file uses ZIP64, beyond the import limits.');
  if (count > limits.maxParts) throw tooLarge(`文件包含 ${count} 个部件，超过上限 ${limits.maxParts}。`, `The file has ${count} parts, more than the limit of ${limits.maxParts}.`);
  if (offset + size > data.length) throw broken;
  const entries: DirectoryEntry[] = [];
  let p = offset;
  let total = 0;
  for (let k = 0; k < count; k++) {
    if (p + 46 > data.length || view.getUint32(p, true) !== 0x02014b50) throw broken;
    const compressed = view.getUint32(p + 20, true);
    const uncompressed = view.getUint32(p + 24, true);
    const nameLength = view.getUint16(p + 28, true);
    const extra = view.getUint16(p + 30, true);
    const comment = view.getUint16(p + 32, true);
    const name = Buffer.from(data.buffer, data.byteOffset + p + 46, nameLength).toString('utf8');
    p += 46 + nameLength + extra + comment;
    if (uncompressed === 0xffffffff || compressed === 0xffffffff) throw tooLarge('文件使用 ZIP64，超出导入限制。', 'The file uses ZIP64, beyond the import limits.');
    total += uncompressed;
    if (uncompressed > limits.maxPartUncompressed) throw tooLarge(`部件 ${name} 解压后过大。`, `Part ${name} is too large uncompressed.`);
    if (uncompressed > 1024 * 1024 && uncompressed / Math.max(1, compressed) > limits.maxRatio) throw tooLarge(`部件 ${name} 压缩比异常（疑似 ZIP 炸弹）。`, `Part ${name} has an abnormal compression ratio (ZIP bomb?).`);
    entries.push({ name, compressed, uncompressed });
  }
  if (total > limits.maxTotalUncompressed) throw tooLarge('文件解压后总大小超过上限（疑似 ZIP 炸弹）。', 'The file is too large uncompressed (ZIP bomb?).');
  return entries;
}

/** Inflates one part, counting bytes as they come and stopping past `limit`. */
function inflate(file: JSZip.JSZipObject, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    const stream = file.nodeStream('nodebuffer');
    stream.on('data', (chunk: Buffer) => {
      if (settled) return;
      total += chunk.length;
      if (total > limit) {
        settled = true;
        reject(tooLarge(`部件 ${file.name} 解压后超过声明的大小或上限（疑似 ZIP 炸弹）。`, `Part ${file.name} inflates beyond its declared size or the limit (ZIP bomb?).`));
        const destroy = (stream as { destroy?: () => void }).destroy;
        if (destroy) destroy.call(stream);
        return;
      }
      chunks.push(chunk);
    });
    stream.on('error', (e: unknown) => {
      if (settled) return;
      settled = true;
      reject(new ImportError('MALFORMED', { zh: `部件 ${file.name} 损坏。`, en: `Part ${file.name} is corrupt.` }, { cause: e }));
    });
    stream.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks, total));
    });
  });
}

export interface OpenedPackage {
  parts: DocxParts;
  media: Map<string, Uint8Array>;
}

const notWord = (): ImportError =>
  new ImportError('NOT_WORD', { zh: '文件不是 Word 文档（.docx / .doc）。', en: 'The file is not a Word document (.docx / .doc).' });

/** Opens a .docx (ZIP) after the checks above. */
export async function openDocx(data: Uint8Array, limits: Limits = LIMITS): Promise<OpenedPackage> {
  if (data.length > limits.maxFileBytes) throw tooLarge(`文件超过 ${Math.round(limits.maxFileBytes / 1048576)} MB。`, `The file is larger than ${Math.round(limits.maxFileBytes / 1048576)} MB.`);
  const kind = sniff(data);
  if (kind === 'encrypted') throw new ImportError('ENCRYPTED', { zh: '文件已加密或设有打开密码，请先取消密码再导入。', en: 'The file is encrypted or password-protected; remove the password first.' });
  if (kind !== 'zip') throw notWord();
  const entries = checkCentralDirectory(data, limits);
  const names = new Map(entries.map((e) => [e.name, e]));
  if (!names.has('[Content_Types].xml') || !names.has('word/document.xml')) throw notWord();
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(data, { checkCRC32: false });
  } catch (e) {
    throw new ImportError('MALFORMED', { zh: '文件不是完整的 ZIP（Word）文件。', en: 'The file is not a complete ZIP (Word) file.' }, { cause: e });
  }
  const read = async (name: string): Promise<Buffer | undefined> => {
    const f = zip.file(name);
    if (!f) return undefined;
    const declared = names.get(name)?.uncompressed ?? 0;
    return inflate(f, Math.min(limits.maxPartUncompressed, declared));
  };
  const contentTypes = (await read('[Content_Types].xml'))?.toString('utf8') ?? '';
  if (names.has('word/vbaProject.bin') || /macroEnabled/i.test(contentTypes)) {
    throw new ImportError('MACROS', { zh: '文件是含宏的文档（.docm），出于安全原因拒绝导入；请另存为 .docx。', en: 'The file is a macro-enabled document (.docm) and is refused for safety; save it as .docx.' });
  }
  if (!/wordprocessingml\.document\.main\+xml|wordprocessingml\.template\.main\+xml/.test(contentTypes)) throw notWord();
  const text = async (name: string): Promise<string | undefined> => (await read(name))?.toString('utf8');
  const parts: DocxParts = {
    document: (await text('word/document.xml')) ?? '',
    styles: await text('word/styles.xml'),
    numbering: await text('word/numbering.xml'),
    comments: await text('word/comments.xml'),
    documentRels: await text('word/_rels/document.xml.rels'),
  };
  const media = new Map<string, Uint8Array>();
  for (const e of entries) if (e.name.startsWith('word/media/')) {
    const b = await read(e.name);
    if (b) media.set(e.name, b);
  }
  checkPictureParts(media);
  return { parts, media };
}
