// The streamed 征求意见汇总处理表 (activities/comments/disposition-stream.ts) is the same file as the whole-table
// builder's: for the sample input (markup, multi-line quotes, hidden and renumbered comments) read in batches of
// two, the CSV is byte-identical and the DOCX's word/document.xml reads the same (every paragraph's text, row by
// row), its other parts identical; a table of 2,500 comments (above a batch) holds every receipt once, in order.
import JSZip from 'jszip';
import { dispositionTableCsv, dispositionTableDocx } from '../../../activities/comments/disposition-table';
import { dispositionCsvChunks, dispositionDocxStream, type StreamedTableInput } from '../../../activities/comments/disposition-stream';
import { sampleDispositionInput } from '../../../activities/comments/sample';
import type { CommentRecord } from '../../../activities/comments/model';

async function* inBatches(all: CommentRecord[], size: number): AsyncGenerator<CommentRecord[]> {
  for (let i = 0; i < all.length; i += size) yield all.slice(i, i + size);
}

async function collect(s: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of s) parts.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(parts);
}

async function csvOf(input: Omit<StreamedTableInput, 'standard' | 'date'>): Promise<string> {
  let out = '';
  for await (const chunk of dispositionCsvChunks(input)) out += chunk;
  return out;
}

/** Each table row's paragraphs as text, and every paragraph outside the table. */
function readable(xml: string): string[] {
  const unescape = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  return xml.split(/<w:p[ >]/).map((p) => unescape(p.replace(/<[^>]+>/g, '')));
}

describe('streamed disposition table', () => {
  it('the CSV is byte-identical to the whole-table CSV', async () => {
    const input = sampleDispositionInput();
    const whole = dispositionTableCsv({ ...input, sentTo: 12 });
    expect(await csvOf({ batches: inBatches(input.comments, 2), current: input.current, sentTo: 12 })).toBe(whole);
  });

  it('the DOCX reads the same as the whole-table DOCX, part by part', async () => {
    const input = sampleDispositionInput();
    const whole = await JSZip.loadAsync(await dispositionTableDocx(input));
    const streamed = await JSZip.loadAsync(await collect(await dispositionDocxStream({ ...input, batches: inBatches(input.comments, 2) })));
    expect(Object.keys(streamed.files).sort()).toEqual(Object.keys(whole.files).sort());
    for (const name of Object.keys(whole.files)) {
      const a = await whole.file(name)?.async('string');
      const b = await streamed.file(name)?.async('string');
      if (name === 'word/document.xml') {
        expect(readable(b ?? '')).toEqual(readable(a ?? ''));
        expect((b ?? '').split('<w:tr>').length).toBe((a ?? '').split('<w:tr>').length);
      } else if (name !== 'docProps/core.xml') {
        expect(b).toBe(a);
      }
    }
    // Markup typed by a commenter stays text.
    expect(await streamed.file('word/document.xml')?.async('string')).not.toMatch(/<script/i);
  });

  it('a table above one batch holds every comment once, in order', async () => {
    const input = sampleDispositionInput();
    const base = input.comments.find((c) => c.moderation === 'visible') as CommentRecord;
    const many: CommentRecord[] = Array.from({ length: 2500 }, (_, i) => ({ ...base, _id: `c${String(i).padStart(24, '0')}`, receipt: `R${String(i).padStart(4, '0')}X-ABCDE` }));
    const csv = await csvOf({ batches: inBatches(many, 1000), current: input.current, sentTo: null });
    const docx = await JSZip.loadAsync(await collect(await dispositionDocxStream({ ...input, batches: inBatches(many, 1000) })));
    const xml = (await docx.file('word/document.xml')?.async('string')) ?? '';
    for (const text of [csv, xml]) {
      const found = text.match(/R\d{4}X-ABCDE/g) ?? [];
      // The CSV names each receipt twice (its column and the 备注), the DOCX once (备注).
      expect([...new Set(found)]).toEqual(many.map((c) => c.receipt));
    }
    expect(csv).toContain('共收到意见2500条');
    expect(xml).toContain('共收到意见2500条');
  });
});
