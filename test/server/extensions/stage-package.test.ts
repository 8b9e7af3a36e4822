// GET /standards/:id/documents/package/:stage over HTTP: staff who can read the standard get a ZIP with a
// UTF-8 file name, the stored files byte for byte (sha256) and README.txt; others are refused; the
// documents page links the three packages.
import JSZip from 'jszip';
import type { Response } from 'superagent';
import { startAppHarness, type AppHarness } from '../http/app-harness';
import { seedStandard } from '../comments/support';
import { documentsExtension } from '../../../server/extensions/documents';
import { sha256Of, storeGeneratedFile } from '../../../activities/files/store';
import { BATCH_SIZE } from '../../../activities/data/paging';
import { commentIdFor, commentTextHash, newReceipt } from '../../../activities/comments/store';
import type { CommentRecord } from '../../../activities/comments/model';

jest.setTimeout(120_000);

let h: AppHarness;
const ID = 'pkg-http-1';

beforeAll(async () => {
  h = await startAppHarness('stage-package', { extensions: (db) => [documentsExtension({ db })] });
  await seedStandard(h.db, { id: ID, stage: 'technicalReview', step: 'underReview' });
});
afterAll(async () => {
  await h?.close();
});

const binary = (res: Response, cb: (err: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('stage package download', () => {
  it('streams the 征求意见 package with the stored bytes and a UTF-8 file name', async () => {
    const data = Buffer.alloc(400_000, 3);
    const docx = await storeGeneratedFile(h.db, { filename: 'x.docx', data, metadata: { standardId: ID, kind: 'draft', stage: 'publicComment', province: 'joint', draftKind: 'draftForComment' } });
    const exec = await h.signIn('exec');
    const res = await exec.agent.get(`/standards/${ID}/documents/package/publicComment`).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toMatch(/application\/zip/);
    const title = `示范区地表水环境质量监测技术规范（${ID}）`;
    expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(`${title}-征求意见材料.zip`)}`);
    const zip = await JSZip.loadAsync(res.body as Buffer);
    expect(Object.keys(zip.files).sort()).toEqual(['README.txt', `${title}-征求意见稿.docx`].sort());
    expect(sha256Of(await zip.file(`${title}-征求意见稿.docx`)!.async('nodebuffer'))).toBe(docx.metadata.sha256);
    const readme = await zip.file('README.txt')!.async('string');
    expect(readme).toContain('征求意见稿（PDF）');
    expect(readme).toContain('编制说明（DOCX、PDF）');
  });

  it('generates the disposition table on demand for 送审 from every comment', async () => {
    const exec = await h.signIn('exec');
    const res = await exec.agent.get(`/standards/${ID}/documents/package/review`).buffer(true).parse(binary).expect(200);
    const zip = await JSZip.loadAsync(res.body as Buffer);
    const table = Object.keys(zip.files).find((n) => n.endsWith('意见汇总处理表.docx'));
    expect(table).toBeDefined();
    const inner = await JSZip.loadAsync(await zip.file(table!)!.async('nodebuffer'));
    expect(await inner.file('word/document.xml')!.async('string')).toContain('征求意见汇总处理表');
  });

  it(`puts every comment in the generated disposition table, above the batch size (${BATCH_SIZE})`, async () => {
    const id = 'pkg-http-many';
    await seedStandard(h.db, { id, stage: 'technicalReview', step: 'underReview' });
    const receipts: string[] = [];
    const docs: CommentRecord[] = Array.from({ length: BATCH_SIZE + 137 }, (_, i) => {
      const comment = `第 ${i} 条意见：建议调整采样频次。`;
      const textHash = commentTextHash(id, 'c51', comment);
      const receipt = newReceipt();
      receipts.push(receipt);
      return {
        _id: commentIdFor(`pkg-many-${i}`),
        standardId: id,
        phase: 'publicComment',
        submissionKey: `pkg-many-${i}`,
        receipt,
        type: 'technical',
        anchor: { scope: 'clause', clauseId: 'c51', clauseNumber: '5.1' },
        comment,
        proposedChange: '',
        submitter: { name: `提意见者${i}`, organisation: '', province: 'SH', contact: '', showName: false },
        createdAt: new Date(Date.UTC(2026, 9, 1) + i * 1000),
        textHash,
        textKey: textHash,
        status: 'disposed',
        moderation: 'visible',
        moderationLog: [],
        addressHash: 'h',
        disposition: { decision: 'accepted', reason: '', by: { userId: 'u', displayName: '起草组', role: 'drafter' }, at: new Date(Date.UTC(2026, 10, 1)) },
      };
    });
    for (let i = 0; i < docs.length; i += 500) await h.db.collection<CommentRecord>('comments').insertMany(docs.slice(i, i + 500));
    const exec = await h.signIn('exec');
    const res = await exec.agent.get(`/standards/${id}/documents/package/review`).buffer(true).parse(binary).expect(200);
    const zip = await JSZip.loadAsync(res.body as Buffer);
    const table = Object.keys(zip.files).find((n) => n.endsWith('意见汇总处理表.docx'));
    const xml = await (await JSZip.loadAsync(await zip.file(table!)!.async('nodebuffer'))).file('word/document.xml')!.async('string');
    // Every comment's receipt, in order of arrival; the 说明 line counts them all.
    const order = receipts.map((r) => xml.indexOf(`回执 ${r}`));
    expect(order.filter((pos) => pos < 0)).toHaveLength(0);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(xml).toContain(`共收到意见${docs.length}条`);
  });

  it('refuses the anonymous, a drafter of other standards and an unknown stage; links the packages', async () => {
    const staff = await h.signIn('exec');
    await staff.agent.get(`/standards/${ID}/documents/package/nope`).expect(404);
    const drafter = await h.signIn('drafter-sh');
    await drafter.agent.get(`/standards/${ID}/documents/package/publicComment`).expect(403);
    const page = await staff.agent.get(`/standards/${ID}/documents`).expect(200);
    for (const s of ['publicComment', 'review', 'approval']) expect(page.text).toContain(`/standards/${ID}/documents/package/${s}`);
    const { default: request } = await import('supertest');
    const res = await request(h.app).get(`/standards/${ID}/documents/package/publicComment`);
    expect([401, 302, 303]).toContain(res.status);
  });
});
