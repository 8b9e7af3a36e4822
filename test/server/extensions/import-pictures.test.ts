// Pictures stored for a Word import that is never applied do not stay in GridFS: the upload stores them
// marked with the pending upload; cancelling the preview, or its expiry (the sweep), deletes them unless a
// draft or another pending import uses them; a confirmed import keeps the pictures its draft shows. Runs on
// the whole product (server/runtime.ts) against the real servers. A file whose picture is not a picture
// stores nothing at all. The files are standards whose formulas are
// equation objects with WMF previews (rendered to PNG at upload), each with its own text so pictures differ.
import type { ObjectId } from 'mongodb';
import { startTestRuntime } from '../../support/test-runtime';
import { startDraftingStandard } from '../../support/drafting-standard';
import { signInBrowser, type BrowserSession as Browser } from '../../support/browser-session';
import { countUploads, sweepExpiredUploads } from '../../../activities/import/uploads';
import type { Runtime } from '../../../server/runtime';
import { yDocToJSON } from '../../../editor/ydoc';
import { draftDocName } from '../../../workflows/domain';
import { oleEquationsDocx, wmfFormula } from '../../fixtures/import/metafiles';
import { docx, p, picture } from '../../fixtures/import/ooxml';

jest.setTimeout(240_000);

let rt: Runtime;
let standardId: string;
let drafter: Browser;

interface ImageFile {
  _id: ObjectId;
  metadata?: { standardId?: string; pendingImports?: string[] };
}

const images = () => rt.mongo.db.collection<ImageFile>('images.files');
const ours = (): Promise<ImageFile[]> => images().find({ 'metadata.standardId': standardId }).toArray();

function upload(data: Buffer): Promise<Response> {
  const form = new FormData();
  form.append('_csrf', drafter.csrf);
  form.append('file', new Blob([new Uint8Array(data)], { type: 'application/octet-stream' }), 'draft.docx');
  return fetch(`${rt.url}/standards/${standardId}/import`, { method: 'POST', headers: { cookie: drafter.cookie, accept: 'text/html' }, body: form, redirect: 'manual' });
}

function post(url: string): Promise<Response> {
  return fetch(`${rt.url}${url}`, {
    method: 'POST',
    headers: { cookie: drafter.cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: drafter.csrf }).toString(),
    redirect: 'manual',
  });
}

/** Uploads a standard with one equation object showing `text`; returns the preview URL and the upload id. */
async function uploadEquation(text: string): Promise<{ preview: string; uploadId: string }> {
  const res = await upload(await oleEquationsDocx([{ ext: 'wmf', bytes: wmfFormula(text) }]));
  expect(res.status).toBe(303);
  const preview = res.headers.get('location')!;
  return { preview, uploadId: preview.slice(preview.lastIndexOf('/') + 1) };
}

const markedBy = async (uploadId: string): Promise<ImageFile[]> => (await ours()).filter((f) => f.metadata?.pendingImports?.includes(uploadId));

beforeAll(async () => {
  rt = await startTestRuntime('import-pictures');
  standardId = await startDraftingStandard(rt.url, { titleZh: '导入图片清理测试标准', titleEn: 'Import picture clean-up test standard' });
  drafter = await signInBrowser(rt.url, 'drafter-sh');
});

afterAll(async () => {
  await rt?.mongo.db.dropDatabase().catch(() => undefined);
  await rt?.stop();
});

test('a cancelled preview deletes the pictures its upload stored', async () => {
  const before = (await ours()).length;
  const { preview, uploadId } = await uploadEquation('p = 1');
  const stored = await markedBy(uploadId);
  expect(stored).toHaveLength(1);
  expect((await ours()).length).toBe(before + 1);
  // The preview finds the same picture again (by hash) and stores nothing more.
  expect((await fetch(`${rt.url}${preview}`, { headers: { cookie: drafter.cookie } })).status).toBe(200);
  expect((await ours()).length).toBe(before + 1);

  const cancelled = await post(`${preview}/cancel`);
  expect(cancelled.status).toBe(303);
  expect((await ours()).length).toBe(before);
  expect(await images().countDocuments({ _id: stored[0]._id })).toBe(0);
  expect(await rt.mongo.db.collection('images.chunks').countDocuments({ files_id: stored[0]._id })).toBe(0);
});

test('a file whose picture is not a picture is refused with 415 and nothing is stored', async () => {
  const before = (await ours()).length;
  const uploads = await countUploads(rt.mongo.db, { standardId });
  const fake = await docx({ body: p('1 范围', { bold: true }) + picture('示意图'), picture: true, extraParts: { 'word/media/image1.png': Buffer.from('<html><script>alert(1)</script></html>') } });
  const res = await upload(fake);
  expect(res.status).toBe(415);
  const html = await res.text();
  expect(html).toContain('id="import-error"');
  expect(html).toContain('不是图片');
  expect((await ours()).length).toBe(before);
  expect(await countUploads(rt.mongo.db, { standardId })).toBe(uploads);
});

test('a confirmed import keeps the pictures its draft shows; cancelling a later upload of the same file keeps them too', async () => {
  const { preview, uploadId } = await uploadEquation('q = 2');
  const [picture] = await markedBy(uploadId);
  expect(picture).toBeDefined();
  const confirmed = await post(`${preview}/confirm`);
  expect(confirmed.status).toBe(303);
  const live = JSON.stringify(yDocToJSON(await rt.collab.getDoc(draftDocName(standardId))));
  const src = `/images/${String(picture._id)}`;
  expect(live).toContain(`"src":"${src}"`);
  const settled = await images().findOne({ _id: picture._id });
  expect(settled?.metadata?.pendingImports).toBeUndefined();

  // The same file again: its picture is found by hash, already settled, and stays when this upload is cancelled.
  const again = await uploadEquation('q = 2');
  expect(await markedBy(again.uploadId)).toHaveLength(0);
  expect((await post(`${again.preview}/cancel`)).status).toBe(303);
  expect(await images().countDocuments({ _id: picture._id })).toBe(1);
  const img = await fetch(`${rt.url}${src}`, { headers: { cookie: drafter.cookie } });
  expect(img.status).toBe(200);
  expect(img.headers.get('content-type')).toBe('image/png');
});

test('a picture two pending imports share goes with the last of them; expired previews are swept with their pictures', async () => {
  const before = (await ours()).length;
  const first = await uploadEquation('r = 3');
  const second = await uploadEquation('r = 3');
  const [shared] = await markedBy(first.uploadId);
  expect(shared.metadata?.pendingImports?.sort()).toEqual([first.uploadId, second.uploadId].sort());
  expect((await ours()).length).toBe(before + 1);

  expect((await post(`${first.preview}/cancel`)).status).toBe(303);
  expect(await images().countDocuments({ _id: shared._id })).toBe(1);

  // An hour later the second preview has expired: the sweep drops it and the picture only it held.
  const swept = await sweepExpiredUploads(rt.mongo.db, new Date(Date.now() + 2 * 60 * 60 * 1000));
  expect(swept).toBeGreaterThanOrEqual(1);
  expect(await countUploads(rt.mongo.db, { standardId })).toBe(0);
  expect(await images().countDocuments({ _id: shared._id })).toBe(0);
  expect((await ours()).length).toBe(before);
});
