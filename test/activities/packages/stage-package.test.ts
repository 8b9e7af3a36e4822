// Stage packages against the real FerretDB of the test run: the ZIP's entries, each entry's bytes equal to
// the stored file's (sha256), README.txt naming what is missing, the disposition table made on demand.
import JSZip from 'jszip';
import { freshMongo } from '../../support/mongo';
import { sha256Of, storeGeneratedFile, type FileMetadataInput } from '../../../activities/files/store';
import { planStagePackage, stagePackageStream } from '../../../activities/packages/stage-package';

let mongo: Awaited<ReturnType<typeof freshMongo>>;
beforeAll(async () => {
  mongo = await freshMongo('packages');
});
afterAll(async () => {
  await mongo.drop();
});

async function zipOf(stream: NodeJS.ReadableStream): Promise<JSZip> {
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  return JSZip.loadAsync(Buffer.concat(chunks));
}

const standard = { _id: 'pkg-1', titleZh: '地表水环境质量监测技术规范' };

async function put(name: string, meta: Omit<FileMetadataInput, 'standardId' | 'province'>, size = 300_000): Promise<{ id: string; sha: string; pdfSha?: string }> {
  const data = Buffer.alloc(size, name.length);
  data.write(name, 0);
  const docx = await storeGeneratedFile(mongo.db, { filename: `${name}.docx`, data, metadata: { ...meta, standardId: standard._id, province: 'joint' } });
  const pdfData = Buffer.from(`%PDF-1.7 ${name}`);
  const pdf = await storeGeneratedFile(mongo.db, { filename: `${name}.pdf`, data: pdfData, contentType: 'application/pdf', metadata: { ...meta, standardId: standard._id, province: 'joint', format: 'pdf', sourceFileId: docx.id } });
  return { id: docx.id, sha: sha256Of(data), pdfSha: pdf.metadata.sha256 };
}

describe('stage packages', () => {
  it('征求意见: 征求意见稿 and 编制说明 in DOCX and PDF, bytes equal to the stored files', async () => {
    await put('old draft', { kind: 'draft', stage: 'publicComment', draftKind: 'draftForComment' });
    const draft = await put('draft', { kind: 'draft', stage: 'publicComment', draftKind: 'draftForComment' });
    const note = await put('note', { kind: 'explanatoryNote', stage: 'publicComment', draftKind: 'draftForComment' });
    const plan = await planStagePackage(mongo.db, standard, 'publicComment');
    expect(plan.zipName).toBe('地表水环境质量监测技术规范-征求意见材料.zip');
    const zip = await zipOf(await stagePackageStream(mongo.db, standard, 'publicComment', plan));
    const names = Object.keys(zip.files).sort();
    expect(names).toEqual(
      ['README.txt', '地表水环境质量监测技术规范-征求意见稿.docx', '地表水环境质量监测技术规范-征求意见稿.pdf', '地表水环境质量监测技术规范-编制说明.docx', '地表水环境质量监测技术规范-编制说明.pdf'].sort(),
    );
    const sha = async (n: string) => sha256Of(await zip.file(n)!.async('nodebuffer'));
    expect(await sha('地表水环境质量监测技术规范-征求意见稿.docx')).toBe(draft.sha);
    expect(await sha('地表水环境质量监测技术规范-征求意见稿.pdf')).toBe(draft.pdfSha);
    expect(await sha('地表水环境质量监测技术规范-编制说明.docx')).toBe(note.sha);
    expect(await sha('地表水环境质量监测技术规范-编制说明.pdf')).toBe(note.pdfSha);
    expect(await zip.file('README.txt')!.async('string')).toMatch(/缺少的文件[^]*无 \/ none/);
  });

  it('送审 without a stored 送审稿: listed as missing; the disposition table is made on demand', async () => {
    const table = Buffer.from('PK generated table');
    const plan = await planStagePackage(mongo.db, standard, 'review', { dispositionTable: async () => table });
    const zip = await zipOf(await stagePackageStream(mongo.db, standard, 'review', plan));
    expect(Object.keys(zip.files).sort()).toEqual(['README.txt', '地表水环境质量监测技术规范-意见汇总处理表.docx'].sort());
    expect((await zip.file('地表水环境质量监测技术规范-意见汇总处理表.docx')!.async('nodebuffer')).equals(table)).toBe(true);
    const readme = await zip.file('README.txt')!.async('string');
    expect(readme).toContain('送审稿（DOCX、PDF）：尚未生成');
    expect(readme).toContain('编制说明（DOCX、PDF）：尚未生成');
    expect(readme).toContain('意见汇总处理表（PDF）');
  });

  it('报批: a stored disposition table is used as stored, and the review minutes are named when not stored', async () => {
    const d = await put('approval draft', { kind: 'draft', stage: 'approval', draftKind: 'draftForApproval' });
    const t = await put('table', { kind: 'dispositionTable', stage: 'publicComment' });
    const plan = await planStagePackage(mongo.db, standard, 'approval', { dispositionTable: async () => { throw new Error('must not generate'); } });
    const zip = await zipOf(await stagePackageStream(mongo.db, standard, 'approval', plan));
    expect(sha256Of(await zip.file('地表水环境质量监测技术规范-报批稿.docx')!.async('nodebuffer'))).toBe(d.sha);
    expect(sha256Of(await zip.file('地表水环境质量监测技术规范-意见汇总处理表.docx')!.async('nodebuffer'))).toBe(t.sha);
    expect(sha256Of(await zip.file('地表水环境质量监测技术规范-意见汇总处理表.pdf')!.async('nodebuffer'))).toBe(t.pdfSha);
    expect(await zip.file('README.txt')!.async('string')).toContain('审查会议纪要');
    expect(plan.zipName).toBe('地表水环境质量监测技术规范-报批材料.zip');
  });
});
