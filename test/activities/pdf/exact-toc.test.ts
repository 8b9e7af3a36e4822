// The exact 目次 (issue 13 item 2): the rich sample's joint edition generated, laid out by LibreOffice, its
// headings found on their printed pages and the DOCX generated again with those numbers; the final PDF's
// 目次 then prints, for every entry, the page its heading is on in that same PDF. The release activity lays
// out one edition for all four (the headings land on the same pages in each, checked) and converts the four
// editions in one LibreOffice start.
import { generateStandardDocx } from '../../../activities/docx/generate';
import { richStandardBody, richStandardRecord } from '../../../activities/docx/fixtures/rich-standard';
import { tocEntries } from '../../../activities/docx/toc';
import { computeNumbering } from '../../../editor/numbering';
import { renderPdf, renderPdfs } from '../../../activities/pdf/render';
import { generateWithExactToc, laidOutPages, pagesOfEntries, pdfText } from '../../../activities/pdf/toc-pages';
import { Binary } from 'mongodb';
import { createReleaseActivities } from '../../../activities/docx/activities';
import { createVersionStore } from '../../../activities/versions/store';
import { insertStandard } from '../../../activities/data/standards';
import { listFiles, readFileBytes } from '../../../activities/files/store';
import { freshMongo } from '../../support/mongo';
import { tocMismatches } from './printed-toc';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

jest.setTimeout(400_000);

const record = richStandardRecord();
const body = richStandardBody();
const entries = tocEntries(body, computeNumbering(body));

const mismatchesIn = (text: string) => tocMismatches(text, entries);

describe('exact 目次 from LibreOffice’s layout', () => {
  it('prints for every entry the page its heading is on', async () => {
    const result = await generateWithExactToc((tocPages) => generateStandardDocx({ record, body, edition: 'joint', tocPages }), entries, (d) => renderPdf(d, { timeoutMs: 300_000 }));
    const withIds = entries.filter((e) => e.id);
    // The estimate was off somewhere (so this test fails without the layout pass), and the layout fixed it.
    expect(result.changed).toBeGreaterThan(0);
    // Every heading was found in the first layout.
    expect([...result.pages.keys()].sort()).toEqual(withIds.map((e) => e.id as string).sort());
    expect(mismatchesIn((await pdfText(result.pdf)) as string)).toEqual([]);
    console.log(`exact 目次: ${result.changed} of ${withIds.length} estimated page numbers corrected by the layout`);
  });
});

describe('the release activity', () => {
  it('stores editions whose 目次 prints the real pages: one layout shared by the four, whose headings land on the same pages, and the four PDFs from one LibreOffice process', async () => {
    const mongo = await freshMongo('exacttoc');
    // soffice behind a wrapper that logs each start with the documents it was given.
    const dir = await mkdtemp(path.join(tmpdir(), 'tb-toc-soffice-'));
    const soffice = path.join(dir, 'soffice');
    const starts = path.join(dir, 'starts.log');
    await writeFile(soffice, `#!/bin/sh\necho "$(printf '%s\\n' "$@" | grep -c '\\.docx$')" >> ${starts}\nexec soffice "$@"\n`);
    await chmod(soffice, 0o755);
    try {
      await insertStandard(mongo.db, { ...record, _id: 'toc-1' });
      await createVersionStore(mongo.db).insert({
        _id: 'toc-1-published', standardId: 'toc-1', docName: 'standard:toc-1', kind: 'published', name: 'published',
        createdBy: { userId: 'u1', displayName: '起草人' }, createdAt: new Date(), state: new Binary(Buffer.alloc(0)), stateBytes: 0, stateSha256: '',
        json: JSON.stringify(body), jsonError: null, numbering: null,
      });
      await createReleaseActivities({ db: mongo.db, renderPdf: (d, o) => renderPdf(d, { ...o, soffice }), renderPdfs: (d, o) => renderPdfs(d, { ...o, soffice }) }).generateReleaseDocuments({ standardId: 'toc-1' });
      // Two starts: the 目次 layout of one document, then the four editions' PDFs together.
      expect((await readFile(starts, 'utf8')).trim().split('\n')).toEqual(['1', '4']);
      const pdfs = await listFiles(mongo.db, { standardId: 'toc-1', kind: 'edition', format: 'pdf' });
      expect(pdfs.map((f) => f.metadata.province).sort()).toEqual(['JS', 'SH', 'ZJ', 'joint']);
      const landed = new Map<string, Map<string, string>>();
      for (const f of pdfs) {
        const text = (await pdfText((await readFileBytes(mongo.db, f.id)).data)) as string;
        expect({ edition: f.metadata.province, mismatches: mismatchesIn(text) }).toEqual({ edition: f.metadata.province, mismatches: [] });
        landed.set(f.metadata.province, pagesOfEntries(entries, laidOutPages(text)));
      }
      // The body paginates alike in every edition: each heading is on the same printed page in all four.
      const joint = [...(landed.get('joint') as Map<string, string>)];
      expect(joint).toHaveLength(entries.filter((e) => e.id).length);
      for (const edition of ['SH', 'JS', 'ZJ']) expect({ edition, pages: [...(landed.get(edition) as Map<string, string>)] }).toEqual({ edition, pages: joint });
    } finally {
      await mongo.drop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
