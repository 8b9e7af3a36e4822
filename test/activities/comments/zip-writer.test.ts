// The streamed ZIP of the disposition table's DOCX (activities/comments/zip-writer.ts): a reader gets back every
// entry byte for byte with its CRC-32 checked — buffers and a streamed entry of several MB that arrives in
// chunks — with UTF-8 names, in the order given, and a failing stream fails the archive instead of ending it short.
import { randomBytes } from 'node:crypto';
import JSZip from 'jszip';
import { zipStream } from '../../../activities/comments/zip-writer';

async function collect(s: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of s) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

describe('zipStream', () => {
  it('writes entries a reader gets back intact, CRC-checked, in order', async () => {
    const small = Buffer.from('<?xml version="1.0"?><Types/>', 'utf8');
    const binary = randomBytes(70_000);
    const chunks = Array.from({ length: 40 }, (_, i) => Buffer.from(`<w:p>第${i}行：${'意见内容'.repeat(20_000)}</w:p>`, 'utf8'));
    async function* streamed(): AsyncGenerator<Buffer> {
      for (const c of chunks) yield c;
    }
    const zipped = await collect(
      zipStream(
        [
          { name: '[Content_Types].xml', data: small },
          { name: 'word/document.xml', data: streamed() },
          { name: 'word/media/图片.bin', data: binary },
        ],
        new Date(Date.UTC(2026, 11, 3, 8, 30, 0)),
      ),
    );
    const zip = await JSZip.loadAsync(zipped, { checkCRC32: true });
    expect(Object.keys(zip.files)).toEqual(['[Content_Types].xml', 'word/document.xml', 'word/media/图片.bin']);
    expect(await zip.file('[Content_Types].xml')!.async('nodebuffer')).toEqual(small);
    expect((await zip.file('word/document.xml')!.async('nodebuffer')).equals(Buffer.concat(chunks))).toBe(true);
    expect((await zip.file('word/media/图片.bin')!.async('nodebuffer')).equals(binary)).toBe(true);
    // Deflated: the repetitive XML is far smaller than it was.
    expect(zipped.length).toBeLessThan(Buffer.concat(chunks).length / 20);
  });

  it('fails the archive when a streamed entry fails', async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield Buffer.from('first rows');
      throw new Error('store went away');
    }
    await expect(collect(zipStream([{ name: 'word/document.xml', data: failing() }], new Date()))).rejects.toThrow('store went away');
  });
});
