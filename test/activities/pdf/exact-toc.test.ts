// The exact 目次 (issue 13 item 2): the rich sample's joint edition generated, laid out by LibreOffice, its
// headings found on their printed pages and the DOCX generated again with those numbers; the final PDF's
// 目次 then prints, for every entry, the page its heading is on in that same PDF.
import { generateStandardDocx } from '../../../activities/docx/generate';
import { richStandardBody, richStandardRecord } from '../../../activities/docx/fixtures/rich-standard';
import { tocEntries } from '../../../activities/docx/toc';
import { computeNumbering } from '../../../editor/numbering';
import { renderPdf } from '../../../activities/pdf/render';
import { generateWithExactToc, laidOutPages, pagesOfEntries, pdfText } from '../../../activities/pdf/toc-pages';
import { Binary } from 'mongodb';
import { createReleaseActivities } from '../../../activities/docx/activities';
import { createVersionStore } from '../../../activities/versions/store';
import { insertStandard } from '../../../activities/data/standards';
import { listFiles, readFileBytes } from '../../../activities/files/store';
import { freshMongo } from '../../support/mongo';

jest.setTimeout(400_000);

const record = richStandardRecord();
const body = richStandardBody();
const entries = tocEntries(body, computeNumbering(body));

/** Entries whose printed 目次 number differs from where the heading is in the same PDF. */
function mismatchesIn(text: string): { entry: string; printed?: string; actual?: string }[] {
  const actual = pagesOfEntries(entries, laidOutPages(text));
  const toc = printedToc(text);
  return entries
    .filter((e) => e.id)
    .map((e) => ({ entry: e.text, printed: toc.get(e.text.replace(/[\s\u3000]+/g, '')), actual: actual.get(e.id as string) }))
    .filter((x) => x.printed !== x.actual);
}

/** The 目次 as printed: entry text (no spaces) → page number after the dot leader. */
function printedToc(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*(.+?)\s*[.…]{4,}\s*([IVXLC]+|\d+)\s*$/.exec(line);
    if (m) out.set(m[1].replace(/[\s\u3000]+/g, ''), m[2]);
  }
  return out;
}

describe('exact 目次 from LibreOffice’s layout', () => {
  it('prints for every entry the page its heading is on', async () => {
    const result = await generateWithExactToc((tocPages) => generateStandardDocx({ record, body, edition: 'joint', tocPages }), entries, (d) => renderPdf(d, { timeoutMs: 300_000 }));
    const withIds = entries.filter((e) => e.id);
    // The estimate was off somewhere (so this test fails without the layout pass), and the layout fixed it.
    expect(result.changed).toBeGreaterThan(0);
    // Every heading was found in the first layout.
    expect([...result.pages.keys()].sort()).toEqual(withIds.map((e) => e.id as string).sort());
    const text = (await pdfText(result.pdf)) as string;
    const actual = pagesOfEntries(entries, laidOutPages(text));
    const toc = printedToc(text);
    const mismatches = withIds
      .map((e) => ({ entry: e.text, printed: toc.get(e.text.replace(/[\s\u3000]+/g, '')), actual: actual.get(e.id as string) }))
      .filter((x) => x.printed !== x.actual);
    expect(mismatches).toEqual([]);
    console.log(`exact 目次: ${result.changed} of ${withIds.length} estimated page numbers corrected by the layout`);
  });
});

describe('the release activity', () => {
  it('stores editions whose 目次 prints the real pages (one layout shared by the four editions)', async () => {
    const mongo = await freshMongo('exacttoc');
    try {
      await insertStandard(mongo.db, { ...record, _id: 'toc-1' });
      await createVersionStore(mongo.db).insert({
        _id: 'toc-1-published', standardId: 'toc-1', docName: 'standard:toc-1', kind: 'published', name: 'published',
        createdBy: { userId: 'u1', displayName: '起草人' }, createdAt: new Date(), state: new Binary(Buffer.alloc(0)), stateBytes: 0, stateSha256: '',
        json: JSON.stringify(body), jsonError: null, numbering: null,
      });
      await createReleaseActivities({ db: mongo.db }).generateReleaseDocuments({ standardId: 'toc-1' });
      const pdfs = await listFiles(mongo.db, { standardId: 'toc-1', kind: 'edition', format: 'pdf' });
      expect(pdfs.map((f) => f.metadata.province).sort()).toEqual(['JS', 'SH', 'ZJ', 'joint']);
      for (const f of pdfs.filter((x) => x.metadata.province === 'joint' || x.metadata.province === 'ZJ')) {
        const text = (await pdfText((await readFileBytes(mongo.db, f.id)).data)) as string;
        expect({ edition: f.metadata.province, mismatches: mismatchesIn(text) }).toEqual({ edition: f.metadata.province, mismatches: [] });
      }
    } finally {
      await mongo.drop();
    }
  });
});
