// The streamed exports hand the event loop back while they build rows (activities/comments/time-slice.ts): a timer
// fires again and again during one long batch of the CSV and of the DOCX's document.xml, where before the whole
// batch was built in one go (≈ 50 ms per 1,000 rows) and requests waited behind it. Output unchanged: every row.
import { dispositionCsvChunks, documentXmlChunks } from '../../../activities/comments/disposition-stream';
import { dispositionTableCsv, TableTally } from '../../../activities/comments/disposition-table';
import { sampleDispositionInput } from '../../../activities/comments/sample';
import type { CommentRecord } from '../../../activities/comments/model';

/** The sample's comments repeated to `n`, each with its own id and receipt, as one batch. */
function manyComments(n: number): CommentRecord[] {
  const sample = sampleDispositionInput().comments;
  return Array.from({ length: n }, (_, i) => {
    const c = sample[i % sample.length];
    return { ...c, _id: `${c._id}-${i}`, receipt: `R${String(i).padStart(9, '0')}`, createdAt: new Date(Date.UTC(2026, 0, 1) + i * 1000) };
  });
}

async function* oneBatch<T>(rows: T[]): AsyncGenerator<T[]> {
  yield rows;
}

/** Counts how often a 0 ms timer fires while `work` runs. */
async function ticksDuring(work: () => Promise<void>): Promise<number> {
  let ticks = 0;
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    timer = setTimeout(() => {
      ticks++;
      arm();
    }, 0);
  };
  arm();
  try {
    await work();
  } finally {
    clearTimeout(timer);
  }
  return ticks;
}

const mark = (i: number): string => `@@TB${i}@@`;
/** A document.xml as the DOCX writer marks it: one row of seven marked cells, the foot after the table. */
const TEMPLATE = `<w:document><w:body><w:tbl><w:tr>${Array.from({ length: 7 }, (_, i) => `<w:tc><w:p><w:r><w:t>${mark(i)}</w:t></w:r></w:p></w:tc>`).join('')}</w:tr></w:tbl><w:p><w:r><w:t>@@TBFOOT@@</w:t></w:r></w:p></w:body></w:document>`;

describe('exports yield to the event loop', () => {
  const N = 20_000;

  it('a timer fires during one batch of 20,000 CSV rows, and the CSV is the whole table', async () => {
    const input = sampleDispositionInput();
    const comments = manyComments(N);
    let csv = '';
    const ticks = await ticksDuring(async () => {
      for await (const chunk of dispositionCsvChunks({ batches: oneBatch(comments), current: input.current, sentTo: 3 })) csv += chunk;
    });
    expect(ticks).toBeGreaterThanOrEqual(3);
    expect(csv).toBe(dispositionTableCsv({ ...input, comments, sentTo: 3 }));
  }, 60_000);

  it('a timer fires during one batch of 20,000 DOCX rows, and every row is written', async () => {
    const input = sampleDispositionInput();
    const comments = manyComments(N);
    const parts: Buffer[] = [];
    const ticks = await ticksDuring(async () => {
      for await (const chunk of documentXmlChunks({ ...input, batches: oneBatch(comments) }, TEMPLATE)) parts.push(chunk);
    });
    expect(ticks).toBeGreaterThanOrEqual(3);
    const xml = Buffer.concat(parts).toString('utf8');
    const rows = xml.split('<w:tr>').length - 1;
    const tally = new TableTally(input.current, input.versionNames);
    expect(rows).toBe(comments.filter((c) => tally.add(c) !== null).length);
    expect(rows).toBeGreaterThan(N / 2);
    expect(xml).toMatch(/<\/w:tbl><w:p>.*<\/w:p><\/w:body><\/w:document>$/);
  }, 60_000);
});
