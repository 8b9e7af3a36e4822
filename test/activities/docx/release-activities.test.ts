// The release activities against the real FerretDB: four editions of the published version stored as
// immutable files with hashes; a retry returns the same ids; the release refuses to complete while an
// edition is missing; stage drafts and the 编制说明.
import { createReleaseActivities, EXPLANATORY_NOTES_COLLECTION } from '../../../activities/docx/activities';
import { sampleExplanatoryNote } from '../../../activities/docx/explanatory-note';
import { richStandardBody } from '../../../activities/docx/fixtures/rich-standard';
import type { VersionKind } from '../../../activities/versions/store';
import { listFiles, readFileBytes } from '../../../activities/files/store';
import type { StandardRecord } from '../../../workflows/domain';
import { freshMongo } from '../../support/mongo';
import { seedRichStandard } from './seed-rich';
import { paragraphs, unzipDocx } from './docx-xml';

let mongo: Awaited<ReturnType<typeof freshMongo>>;
jest.setTimeout(60_000);

beforeAll(async () => {
  mongo = await freshMongo('docxrelease');
});
afterAll(async () => {
  await mongo.drop();
});

const seed = (id: string, kinds: VersionKind[], overrides: Partial<StandardRecord> = {}): Promise<void> => seedRichStandard(mongo.db, id, kinds, overrides);

describe('generateReleaseDocuments', () => {
  it('stores the joint and the three province editions of the published version, with hash and metadata', async () => {
    await seed('rel-1', ['published']);
    const acts = createReleaseActivities({ db: mongo.db });
    const { documentIds } = await acts.generateReleaseDocuments({ standardId: 'rel-1' });
    expect(documentIds).toHaveLength(4);
    const files = await listFiles(mongo.db, { standardId: 'rel-1', kind: 'edition', format: 'docx' });
    expect(files.map((f) => f.metadata.province).sort()).toEqual(['JS', 'SH', 'ZJ', 'joint']);
    expect(files.every((f) => f.metadata.stage === 'release' && f.metadata.sourceVersionId === 'rel-1-published' && /^[0-9a-f]{64}$/.test(f.metadata.sha256))).toBe(true);
    const sh = files.find((f) => f.metadata.province === 'SH')!;
    expect(sh.filename).toBe('DB31T 310021—2025 长三角生态绿色一体化发展示范区地表水环境质量监测技术规范.docx');
    const { data } = await readFileBytes(mongo.db, sh.id);
    expect(paragraphs((await unzipDocx(data)).document).map((p) => p.text)).toContain('上海市地方标准');
  });

  it('is idempotent: a retry returns the same files and stores nothing new', async () => {
    const acts = createReleaseActivities({ db: mongo.db });
    const first = await acts.generateReleaseDocuments({ standardId: 'rel-1' });
    const again = await acts.generateReleaseDocuments({ standardId: 'rel-1' });
    expect(again.documentIds).toEqual(first.documentIds);
    expect(await listFiles(mongo.db, { standardId: 'rel-1', format: 'docx' })).toHaveLength(4);
    // …and one PDF beside each edition, none added by the retry.
    expect(await listFiles(mongo.db, { standardId: 'rel-1', format: 'pdf' })).toHaveLength(4);
  });

  it('fails while an edition cannot be generated, keeps what was stored, and completes on retry without duplicates', async () => {
    await seed('rel-2', ['published']);
    let calls = 0;
    const flaky = createReleaseActivities({
      db: mongo.db,
      // Image loading fails during the third edition (the fixture's images are data URLs, so a figure
      // with an uploaded image is added to make the generator ask for one).
      loadBody: (standardId, kind) => {
        const body = richStandardBody();
        const chapter = body.content.find((n) => n.type === 'chapter')!;
        chapter.content!.push({ type: 'figure', attrs: { id: 'fig-upload', src: '/uploads/map.png', alt: '上传的图' }, content: [{ type: 'caption', content: [{ type: 'text', text: '上传的图' }] }] });
        return Promise.resolve({ body, versionId: `${standardId}-${kind}` });
      },
      resolveImage: async () => {
        calls += 1;
        // Call 1 is the 目次 layout pass (activities/pdf/toc-pages.ts), then one per edition: the third edition is call 4.
        if (calls === 4) throw new Error('image store unavailable');
        return null;
      },
    });
    await expect(flaky.generateReleaseDocuments({ standardId: 'rel-2' })).rejects.toThrow('image store unavailable');
    expect((await listFiles(mongo.db, { standardId: 'rel-2', format: 'docx' })).map((f) => f.metadata.province).sort()).toEqual(['SH', 'joint']);
    const { documentIds } = await flaky.generateReleaseDocuments({ standardId: 'rel-2' });
    expect(documentIds).toHaveLength(4);
    expect(await listFiles(mongo.db, { standardId: 'rel-2', format: 'docx' })).toHaveLength(4);
  });

  it('refuses to release while a province number is missing or without a published version', async () => {
    await seed('rel-3', ['published'], { provinces: { SH: { number: 'DB31/T 310030—2025' }, JS: {}, ZJ: { number: 'DB33/T 310030—2025' } } });
    const acts = createReleaseActivities({ db: mongo.db });
    await expect(acts.generateReleaseDocuments({ standardId: 'rel-3' })).rejects.toMatchObject({ type: 'RELEASE_NUMBERS_MISSING', nonRetryable: true });
    await seed('rel-4', ['draftForApproval']);
    await expect(acts.generateReleaseDocuments({ standardId: 'rel-4' })).rejects.toMatchObject({ type: 'VERSION_NOT_FOUND' });
    await expect(acts.generateReleaseDocuments({ standardId: 'nope' })).rejects.toMatchObject({ type: 'STANDARD_NOT_FOUND' });
    const broken = createReleaseActivities({ db: mongo.db, loadBody: (id, kind) => Promise.resolve({ body: { type: 'doc', content: [{ type: 'chapter', content: [] }] }, versionId: `${id}-${kind}` }) });
    await expect(broken.generateReleaseDocuments({ standardId: 'rel-1' })).rejects.toMatchObject({ type: 'VERSION_INVALID' });
    expect(await listFiles(mongo.db, { standardId: 'rel-3' })).toEqual([]);
  });
});

describe('stage drafts and explanatory notes', () => {
  it('stores the 征求意见稿 with its stage label, once per frozen version', async () => {
    await seed('draft-1', ['draftForComment']);
    const acts = createReleaseActivities({ db: mongo.db });
    const a = await acts.generateStageDraft({ standardId: 'draft-1', kind: 'draftForComment' });
    const b = await acts.generateStageDraft({ standardId: 'draft-1', kind: 'draftForComment' });
    expect(b.fileId).toBe(a.fileId);
    const { info, data } = await readFileBytes(mongo.db, a.fileId);
    expect(info.metadata).toMatchObject({ kind: 'draft', stage: 'publicComment', province: 'joint', draftKind: 'draftForComment' });
    expect(paragraphs((await unzipDocx(data)).document).map((p) => p.text)).toContain('（征求意见稿）');
  });

  it('generates the 编制说明 from its stored form and refuses a missing or incomplete one', async () => {
    const acts = createReleaseActivities({ db: mongo.db });
    await expect(acts.generateExplanatoryNote({ standardId: 'draft-1', kind: 'draftForComment' })).rejects.toMatchObject({ type: 'EXPLANATORY_NOTE_MISSING' });
    const notes = mongo.db.collection(EXPLANATORY_NOTES_COLLECTION);
    await notes.insertOne({ standardId: 'draft-1', kind: 'draftForReview', note: { ...sampleExplanatoryNote(), verification: '' } });
    await expect(acts.generateExplanatoryNote({ standardId: 'draft-1', kind: 'draftForReview' })).rejects.toMatchObject({ type: 'EXPLANATORY_NOTE_INCOMPLETE' });
    await notes.insertOne({ standardId: 'draft-1', kind: 'draftForComment', note: sampleExplanatoryNote() });
    const { fileId } = await acts.generateExplanatoryNote({ standardId: 'draft-1', kind: 'draftForComment' });
    const { info, data } = await readFileBytes(mongo.db, fileId);
    expect(info.metadata).toMatchObject({ kind: 'explanatoryNote', stage: 'publicComment' });
    const text = paragraphs((await unzipDocx(data)).document).map((p) => p.text);
    for (const h of ['一、工作简况', '二、编制原则和依据', '三、主要技术内容及确定依据', '八、重大分歧意见的处理经过和依据', '九、实施标准的要求和措施建议']) expect(text).toContain(h);
    expect(text).toContain('（一）点位布设');
  });
});
