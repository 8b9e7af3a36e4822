// PDF editions: LibreOffice renders a generated edition to PDF/A-2b with every font embedded (pdffonts) and
// the title and clause headings of the DOCX in its text (pdftotext); every release edition and stage draft
// is stored as PDF beside its DOCX with a sha256 matching its bytes; a failing LibreOffice never blocks the
// DOCX or the release and a retry fills the PDFs in; the documents page and /published link the PDFs.
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { createReleaseActivities } from '../../../activities/docx/activities';
import { generateStandardDocx } from '../../../activities/docx/generate';
import { richStandardBody, richStandardRecord } from '../../../activities/docx/fixtures/rich-standard';
import type { VersionKind } from '../../../activities/versions/store';
import { listFiles, readFileBytes, sha256Of } from '../../../activities/files/store';
import { PdfRenderError, renderPdf } from '../../../activities/pdf/render';
import { createLogger } from '../../../activities/infra/logger';
import { createApp } from '../../../server/app';
import { documentsExtension } from '../../../server/extensions/documents';
import type { StandardRecord } from '../../../workflows/domain';
import { freshMongo } from '../../support/mongo';
import { seedRichStandard } from '../docx/seed-rich';
import { testConfig } from '../../server/http/app-harness';
import { paragraphs, unzipDocx } from '../docx/docx-xml';

const run = promisify(execFile);
jest.setTimeout(180_000);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tb-pdf-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const squash = (s: string) => s.replace(/\s+/g, '');

async function pdfFacts(pdf: Buffer, name: string): Promise<{ fonts: string[][]; pages: string[] }> {
  const file = path.join(dir, `${name}.pdf`);
  await writeFile(file, pdf);
  const { stdout: fonts } = await run('pdffonts', [file]);
  const rows = fonts.split('\n').slice(2).filter((l) => l.trim()).map((l) => l.trim().split(/\s+/));
  const { stdout: text } = await run('pdftotext', [file, '-'], { maxBuffer: 64 * 1024 * 1024 });
  return { fonts: rows, pages: text.split('\f') };
}

/** The columns of a pdffonts row from the right: emb sub uni object-number generation. */
const embOf = (row: string[]) => row[row.length - 5];

describe('renderPdf', () => {
  it('renders an edition as PDF/A-2b with every font embedded and the title and clause headings in its text', async () => {
    const record = richStandardRecord();
    const docx = await generateStandardDocx({ record, body: richStandardBody(), edition: 'SH' });
    const pdf = await renderPdf(docx);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1')).toMatch(/pdfaid:part(>|=")2/);
    const { fonts, pages } = await pdfFacts(pdf, 'sh');
    expect(fonts.length).toBeGreaterThan(0);
    for (const row of fonts) expect({ font: row[0], emb: embOf(row) }).toEqual({ font: row[0], emb: 'yes' });
    expect(fonts.some((r) => /CJK/i.test(r[0]))).toBe(true);

    const all = squash(pages.join(''));
    expect(all).toContain(squash(record.titleZh));
    expect(all).toContain('上海市地方标准');
    // The headings as the DOCX has them, in the body pages (after the cover and the 目次, which also list them).
    const heads = paragraphs((await unzipDocx(docx)).document).filter((p) => /^GB(Chapter|Clause\d)$/.test(p.style) && p.text.trim());
    expect(heads.length).toBeGreaterThan(20);
    const body = squash(pages.slice(3).join(''));
    for (const h of heads) expect({ heading: h.text, found: body.includes(squash(h.text)) }).toEqual({ heading: h.text, found: true });
  });

  it('runs concurrent conversions side by side (each with its own profile)', async () => {
    const record = richStandardRecord();
    const [a, b] = await Promise.all((['JS', 'ZJ'] as const).map(async (edition) => renderPdf(await generateStandardDocx({ record, body: richStandardBody(), edition }))));
    expect(squash((await pdfFacts(a, 'js')).pages[0])).toContain('江苏省地方标准');
    expect(squash((await pdfFacts(b, 'zj')).pages[0])).toContain('浙江省地方标准');
  });

  it('gives typed zh/en errors: soffice missing, failing, or too slow', async () => {
    const docx = Buffer.from('not really a docx');
    await expect(renderPdf(docx, { soffice: path.join(dir, 'no-such-soffice') })).rejects.toMatchObject({ reason: 'PDF_TOOL_MISSING', code: 'SERVICE_UNAVAILABLE', messages: { zh: expect.stringContaining('LibreOffice'), en: expect.stringContaining('LibreOffice') } });
    await expect(renderPdf(docx, { soffice: '/bin/false' })).rejects.toMatchObject({ reason: 'PDF_FAILED' });
    const slow = path.join(dir, 'slow-soffice');
    await writeFile(slow, '#!/bin/sh\nsleep 30\n');
    await chmod(slow, 0o755);
    const t = Date.now();
    const err = await renderPdf(docx, { soffice: slow, timeoutMs: 500 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PdfRenderError);
    expect(err).toMatchObject({ reason: 'PDF_TIMEOUT' });
    expect(Date.now() - t).toBeLessThan(10_000);
  });
});

describe('stored PDF editions', () => {
  let mongo: Awaited<ReturnType<typeof freshMongo>>;
  beforeAll(async () => {
    mongo = await freshMongo('pdfeditions');
  });
  afterAll(async () => {
    await mongo.drop();
  });

  const seed = (id: string, kinds: VersionKind[], overrides: Partial<StandardRecord> = {}): Promise<void> => seedRichStandard(mongo.db, id, kinds, overrides);

  it('stores a PDF beside each of the four release editions, with the metadata of its DOCX and a sha256 of its bytes', async () => {
    await seed('pdf-rel-1', ['published']);
    const { documentIds } = await createReleaseActivities({ db: mongo.db }).generateReleaseDocuments({ standardId: 'pdf-rel-1' });
    expect(documentIds).toHaveLength(4);
    const pdfs = await listFiles(mongo.db, { standardId: 'pdf-rel-1', format: 'pdf' });
    expect(pdfs).toHaveLength(4);
    for (const docxId of documentIds) {
      const pdf = pdfs.find((p) => p.metadata.sourceFileId === docxId)!;
      const { info: docx } = await readFileBytes(mongo.db, docxId);
      expect(pdf.metadata).toMatchObject({ standardId: 'pdf-rel-1', kind: 'edition', stage: 'release', province: docx.metadata.province, sourceVersionId: 'pdf-rel-1-published', format: 'pdf', contentType: 'application/pdf' });
      expect(pdf.filename).toBe(docx.filename.replace(/\.docx$/, '.pdf'));
      const { data } = await readFileBytes(mongo.db, pdf.id);
      expect(sha256Of(data)).toBe(pdf.metadata.sha256);
      expect(data.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    }
  });

  it('stores the PDF of a stage draft beside its DOCX, once', async () => {
    await seed('pdf-draft-1', ['draftForReview']);
    const acts = createReleaseActivities({ db: mongo.db });
    const a = await acts.generateStageDraft({ standardId: 'pdf-draft-1', kind: 'draftForReview' });
    expect(a.pdfFileId).toBeDefined();
    const { info, data } = await readFileBytes(mongo.db, a.pdfFileId!);
    expect(info.metadata).toMatchObject({ kind: 'draft', stage: 'technicalReview', draftKind: 'draftForReview', format: 'pdf', sourceFileId: a.fileId, sha256: a.pdfSha256 });
    const { pages } = await pdfFacts(data, 'draft');
    expect(squash(pages[0])).toContain('送审稿');
    const b = await acts.generateStageDraft({ standardId: 'pdf-draft-1', kind: 'draftForReview' });
    expect(b).toEqual(a);
    expect(await listFiles(mongo.db, { standardId: 'pdf-draft-1', format: 'any' })).toHaveLength(2);
  });

  it('never lets a failing LibreOffice block the release: the DOCX editions are stored and a retry adds the PDFs', async () => {
    await seed('pdf-rel-2', ['published']);
    const broken = createReleaseActivities({ db: mongo.db, renderPdf: (docx) => renderPdf(docx, { soffice: path.join(dir, 'no-such-soffice') }) });
    const first = await broken.generateReleaseDocuments({ standardId: 'pdf-rel-2' });
    expect(first.documentIds).toHaveLength(4);
    expect(await listFiles(mongo.db, { standardId: 'pdf-rel-2', format: 'pdf' })).toEqual([]);
    const again = await createReleaseActivities({ db: mongo.db }).generateReleaseDocuments({ standardId: 'pdf-rel-2' });
    expect(again.documentIds).toEqual(first.documentIds);
    const pdfs = await listFiles(mongo.db, { standardId: 'pdf-rel-2', format: 'pdf' });
    expect(pdfs.map((p) => p.metadata.sourceFileId).sort()).toEqual([...first.documentIds].sort());
  });

  it('links the PDF beside the DOCX on the documents page and on /published, and serves it as application/pdf', async () => {
    await mongo.db.collection<{ _id: string }>('standards').updateOne({ _id: 'pdf-rel-1' }, { $set: { publishedAt: new Date().toISOString() } });
    const t = await createApp({ config: testConfig(), db: mongo.db, lifecycle: {} as never, logger: createLogger('test-pdf-documents'), extensions: [documentsExtension({ db: mongo.db })] });
    try {
      const pdfs = await listFiles(mongo.db, { standardId: 'pdf-rel-1', format: 'pdf' });
      const page = await request(t.app).get('/standards/pdf-rel-1/documents').expect(200);
      for (const pdf of pdfs) {
        expect(page.text).toContain(`href="/files/${pdf.id}"`);
        expect(page.text).toContain(`href="/files/${pdf.metadata.sourceFileId}"`);
      }
      const published = await request(t.app).get('/published').expect(200);
      for (const pdf of pdfs) expect(published.text).toContain(`href="/files/${pdf.id}"`);
      const res = await request(t.app).get(`/files/${pdfs[0].id}`).buffer(true).parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      }).expect(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['x-content-sha256']).toBe(pdfs[0].metadata.sha256);
      expect(sha256Of(res.body as Buffer)).toBe(pdfs[0].metadata.sha256);
    } finally {
      await t.close();
    }
  });
});
