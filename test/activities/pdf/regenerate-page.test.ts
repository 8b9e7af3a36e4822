// The documents page offers staff to (re)generate the PDF of a DOCX that has none (LibreOffice was missing
// or failed): the button is there, the POST stores the PDF with its sha256 once (a second POST returns the
// same file), the page then links it, and a draft's PDF is no more public than its DOCX.
import request from 'supertest';
import { generateStandardDocx } from '../../../activities/docx/generate';
import { richStandardBody, richStandardRecord } from '../../../activities/docx/fixtures/rich-standard';
import { insertStandard } from '../../../activities/data/standards';
import { listFiles, readFileBytes, sha256Of, storeGeneratedFile } from '../../../activities/files/store';
import { documentsExtension } from '../../../server/extensions/documents';
import { startAppHarness, type AppHarness } from '../../server/http/app-harness';

jest.setTimeout(180_000);

let h: AppHarness;
beforeAll(async () => {
  h = await startAppHarness('pdf-regenerate', { extensions: (db) => [documentsExtension({ db })] });
});
afterAll(async () => {
  await h?.close();
});

it('regenerates a missing PDF from the documents page', async () => {
  const record = richStandardRecord({ _id: 'pdf-regen-1' });
  await insertStandard(h.db, record);
  const docx = await storeGeneratedFile(h.db, {
    filename: `${record.titleZh}（送审稿）.docx`,
    data: await generateStandardDocx({ record, body: richStandardBody(), edition: 'joint', stageLabel: 'draftForReview', completedOn: '2025-05-01' }),
    metadata: { standardId: record._id, kind: 'draft', stage: 'technicalReview', province: 'joint', draftKind: 'draftForReview' },
  });
  const staff = await h.signIn('exec');
  const before = await staff.agent.get(`/standards/${record._id}/documents`).expect(200);
  expect(before.text).toContain(`action="/standards/${record._id}/documents/${docx.id}/pdf"`);

  const res = await staff.post(`/standards/${record._id}/documents/${docx.id}/pdf`, {}).set('Accept', 'application/json').expect(201);
  const { fileId, sha256 } = res.body as { fileId: string; sha256: string };
  const { info, data } = await readFileBytes(h.db, fileId);
  expect(sha256Of(data)).toBe(sha256);
  expect(info.metadata).toMatchObject({ kind: 'draft', draftKind: 'draftForReview', format: 'pdf', sourceFileId: docx.id, contentType: 'application/pdf' });
  const again = await staff.post(`/standards/${record._id}/documents/${docx.id}/pdf`, {}).set('Accept', 'application/json').expect(201);
  expect((again.body as { fileId: string }).fileId).toBe(fileId);
  expect(await listFiles(h.db, { standardId: record._id, format: 'pdf' })).toHaveLength(1);

  const after = await staff.agent.get(`/standards/${record._id}/documents`).expect(200);
  expect(after.text).toContain(`href="/files/${fileId}"`);
  expect(after.text).not.toContain(`documents/${docx.id}/pdf"`);
  // A draft is not public: neither is its PDF.
  await request(h.app).get(`/files/${fileId}`).expect(401);
  // Only a DOCX of this standard can be converted.
  await staff.post(`/standards/${record._id}/documents/${fileId}/pdf`, {}).set('Accept', 'application/json').expect(404);
});
