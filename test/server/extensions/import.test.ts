// Word import through the whole product as `npm start` wires it (server/runtime.ts), on the real Temporal dev
// server and FerretDB: a drafter uploads a Word file with the draft page's form (multipart, CSRF token in the
// body), sees the preview, confirms; the old draft is saved as a version and the live collaboration document
// becomes the imported model. Refusals come back on the draft page with their 4xx and nothing is stored.
import { startTestRuntime } from '../../support/test-runtime';
import { startDraftingStandard } from '../../support/drafting-standard';
import { signInBrowser, type BrowserSession as Browser } from '../../support/browser-session';
import { standardsCollection } from '../../../activities/data/standards';
import { importWordFile } from '../../../activities/import';
import { countUploads } from '../../../activities/import/uploads';
import { createVersionActivities } from '../../../activities/versions';
import type { Runtime } from '../../../server/runtime';
import { schema } from '../../../editor/schema';
import { yDocToJSON } from '../../../editor/ydoc';
import type { DocJSON } from '../../../editor/types';
import { draftDocName } from '../../../workflows/domain';
import { docx, headingStyledMessy, p, picture, templateStyled } from '../../fixtures/import/ooxml';
import { shape } from '../../editor/import/shape';

jest.setTimeout(180_000);

let rt: Runtime;
let standardId: string;

function signIn(username: string): Promise<Browser> {
  return signInBrowser(rt.url, username);
}

/** The draft page's form: multipart, the CSRF token as the `_csrf` field, as a browser sends it. */
function upload(b: Browser, data: Buffer, fields: Record<string, string> = {}, name = 'draft.docx'): Promise<Response> {
  const form = new FormData();
  form.append('_csrf', b.csrf);
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([new Uint8Array(data)], { type: 'application/octet-stream' }), name);
  return fetch(`${rt.url}/standards/${standardId}/import`, { method: 'POST', headers: { cookie: b.cookie, accept: 'text/html' }, body: form, redirect: 'manual' });
}

/** A urlencoded page form. */
function postForm(b: Browser, url: string, fields: Record<string, string> = {}): Promise<Response> {
  return fetch(`${rt.url}${url}`, {
    method: 'POST',
    headers: { cookie: b.cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: b.csrf, ...fields }).toString(),
    redirect: 'manual',
  });
}

const page = (b: Browser, url: string): Promise<Response> => fetch(`${rt.url}${url}`, { headers: { cookie: b.cookie, accept: 'text/html' }, redirect: 'manual' });

/** The document as the editor stores it, without the random ids (the import and the check make their own;
 *  cross-reference targets are such ids: `shape` compares what they read as). */
function withoutIds(doc: DocJSON): unknown {
  return JSON.parse(JSON.stringify(schema.nodeFromJSON(doc).toJSON()), (k, v: unknown) => (k === 'id' || k === 'target' ? undefined : v));
}

async function liveDraft(): Promise<DocJSON> {
  return yDocToJSON(await rt.collab.getDoc(draftDocName(standardId)));
}

const pending = (): Promise<number> => countUploads(rt.mongo.db, { standardId });

beforeAll(async () => {
  rt = await startTestRuntime('import');
  standardId = await startDraftingStandard(rt.url, { titleZh: '示范区 Word 导入测试标准', titleEn: 'Word import test standard' });
});

afterAll(async () => {
  await rt?.mongo.db.dropDatabase().catch(() => undefined);
  await rt?.stop();
});

test('the draft page offers the import form to editors only', async () => {
  const drafter = await signIn('drafter-sh');
  const html = await (await page(drafter, `/standards/${standardId}/draft`)).text();
  expect(html).toContain(`action="/standards/${standardId}/import"`);
  expect(html).toContain('enctype="multipart/form-data"');
  expect(html).toContain('从 Word 导入');
  const reader = await page(await signIn('sh-msa'), `/standards/${standardId}/draft`);
  expect(await reader.text()).not.toContain('/import"');
});

test('upload → preview of the recognised structure → confirm: the old draft is saved as a version and the live draft becomes the imported model', async () => {
  const drafter = await signIn('drafter-sh');
  const file = await templateStyled();
  const before = await liveDraft();
  const kept = await pending();

  const res = await upload(drafter, file, {}, '点位布设.docx');
  expect(res.status).toBe(303);
  const preview = res.headers.get('location')!;
  expect(preview).toMatch(new RegExp(`^/standards/${standardId}/import/[0-9a-f]{32}$`));
  expect(await pending()).toBe(kept + 1);

  const html = await (await page(drafter, preview)).text();
  for (const text of ['点位布设', '布设原则', '布设数量', '监测点位', '跨界河流点位数量', '点位编码规则', '参考文献']) expect(html).toContain(text);
  expect(html).toMatch(/data-kind="chapter">\s*\d+/);
  expect(html).toContain('4.1 布设原则');
  expect(html).toContain('4.2.1 河流');
  expect(html).toContain('data-kind="table">1<');
  expect(html).toContain('data-kind="annex">1<');
  expect(html).toContain('id="import-confirm"');
  expect(html).not.toContain('name="changes"');
  // The draft has not changed yet.
  expect(withoutIds(await liveDraft())).toEqual(withoutIds(before));

  const confirmed = await postForm(drafter, `${preview}/confirm`);
  expect(confirmed.status).toBe(303);
  const compare = new URL(confirmed.headers.get('location')!, rt.url);
  expect(compare.pathname).toBe(`/standards/${standardId}/versions/compare`);
  expect(compare.searchParams.get('to')).toBe('live');
  const backupId = compare.searchParams.get('from')!;

  // The saved version holds the draft as it was; the live draft is the imported model.
  const versions = createVersionActivities({ db: rt.mongo.db });
  const backup = await versions.getVersion({ versionId: backupId });
  expect(backup.meta.standardId).toBe(standardId);
  expect(backup.meta.name).toContain('点位布设.docx');
  expect(withoutIds(backup.json!)).toEqual(withoutIds(before));
  const imported = await importWordFile(file);
  expect(withoutIds(await liveDraft())).toEqual(withoutIds(imported.doc));
  expect(shape(await liveDraft())).toEqual(shape(imported.doc));
  expect(await pending()).toBe(kept);

  // The compare page shows the difference.
  const cmp = await page(drafter, `${compare.pathname}${compare.search}`);
  expect(cmp.status).toBe(200);
  expect(await cmp.text()).toContain('布设原则');

  // A confirmed upload is gone.
  expect((await postForm(drafter, `${preview}/confirm`)).status).toBe(404);
});

test('tracked changes: the preview names their authors and the import needs a choice; comments are listed; pictures are stored as figures', async () => {
  const drafter = await signIn('drafter-sh');
  const kept = await pending();
  const images = rt.mongo.db.collection('images.files');
  const imagesBefore = await images.countDocuments({ 'metadata.standardId': standardId });
  const res = await upload(drafter, await headingStyledMessy());
  expect(res.status).toBe(303);
  // The picture is stored at upload, keyed by its hash; the preview and the confirmation find it again.
  const stored = await images.find({ 'metadata.standardId': standardId }).toArray();
  expect(stored).toHaveLength(imagesBefore + 1);
  expect(stored.every((f) => /^[0-9a-f]{64}$/.test(String((f.metadata as { sha256?: unknown } | undefined)?.sha256)))).toBe(true);
  const preview = res.headers.get('location')!;
  const html = await (await page(drafter, preview)).text();
  expect(html).toContain('张三');
  expect(html).toContain('李四');
  expect(html).toContain('name="changes" value="accept"');
  expect(html).toContain('name="changes" value="reject"');
  expect(html).toContain('请补充依据。');
  expect(html).toContain('王五');

  // No choice: refused (422) on the preview, nothing changed, the upload kept for the choice.
  const versions = createVersionActivities({ db: rt.mongo.db });
  const count = (await versions.listVersions({ standardId })).length;
  const refused = await postForm(drafter, `${preview}/confirm`);
  expect(refused.status).toBe(422);
  const refusedHtml = await refused.text();
  expect(refusedHtml).toContain('id="import-error"');
  expect(refusedHtml).toContain('修订');
  expect((await versions.listVersions({ standardId })).length).toBe(count);
  expect(await pending()).toBe(kept + 1);

  const rejected = await postForm(drafter, `${preview}/confirm`, { changes: 'reject' });
  expect(rejected.status).toBe(303);
  const text = JSON.stringify(await liveDraft());
  expect(text).toContain('湖泊');
  expect(text).not.toContain('跨界河流');
  // The picture is stored like an uploaded figure and linked by URL, not kept as a data: URL.
  expect(text).not.toContain('data:image');
  const src = /"src":"(\/images\/[0-9a-f]{24})"/.exec(text)?.[1];
  expect(src).toBeDefined();
  expect(await images.countDocuments({ 'metadata.standardId': standardId })).toBe(imagesBefore + 1);
  expect(stored.map((f) => `/images/${String(f._id)}`)).toContain(src);
  const img = await fetch(`${rt.url}${src}`, { headers: { cookie: drafter.cookie } });
  expect(img.status).toBe(200);
  expect(img.headers.get('content-type')).toBe('image/png');
});

test('a file that is not Word is refused with 415 on the draft page and nothing is stored', async () => {
  const drafter = await signIn('drafter-sh');
  const before = await pending();
  const res = await upload(drafter, Buffer.from('%PDF-1.7 not a word file'), {}, 'draft.docx');
  expect(res.status).toBe(415);
  const html = await res.text();
  expect(html).toContain('id="editor"');
  expect(html).toContain('id="import-error"');
  expect(await pending()).toBe(before);
  // A refused Word file with a picture (not a standard) stores no picture either.
  const images = rt.mongo.db.collection('images.files');
  const imagesBefore = await images.countDocuments({ 'metadata.standardId': standardId });
  const notStandard = await upload(drafter, await docx({ body: p('一段不像标准的文字。') + picture('示意图'), picture: true }));
  expect(notStandard.status).toBe(422);
  expect(await images.countDocuments({ 'metadata.standardId': standardId })).toBe(imagesBefore);
  // An empty form is a 400 on the page too.
  const empty = await upload(drafter, Buffer.alloc(0));
  expect(empty.status).toBe(400);
  expect(await empty.text()).toContain('id="import-error"');
});

test('a document that is not a standard (422) is imported only with explicit confirmation', async () => {
  const drafter = await signIn('drafter-sh');
  const note = await docx({ body: [p('关于《示范区水污染物排放标准》的编制说明'), p('一、工作简况'), p('本标准由上海市生态环境局提出。'), p('二、编制原则')].join('') });
  const before = await pending();
  const res = await upload(drafter, note);
  expect(res.status).toBe(422);
  const html = await res.text();
  expect(html).toContain('id="import-error"');
  expect(html).toContain('name="allowNonStandard"');
  expect(await pending()).toBe(before);
  const anyway = await upload(drafter, note, { allowNonStandard: '1' });
  expect(anyway.status).toBe(303);
  const preview = anyway.headers.get('location')!;
  expect((await page(drafter, preview)).status).toBe(200);
  expect((await postForm(drafter, `${preview}/cancel`)).status).toBe(303);
  expect(await pending()).toBe(before);
});

test('who may import: not a drafter of the standard → 403; draft not editable → 409; no CSRF token → 403; another user’s upload → 404', async () => {
  const file = await templateStyled();
  for (const u of ['sh-msa', 'drafter-js']) {
    const res = await upload(await signIn(u), file);
    expect(res.status).toBe(403);
  }
  const drafter = await signIn('drafter-sh');
  const kept = await pending();
  expect((await upload({ ...drafter, csrf: 'forged' }, file)).status).toBe(403);
  expect(await pending()).toBe(kept);

  // Someone else's pending upload is not found.
  const mine = await upload(drafter, file);
  const preview = mine.headers.get('location')!;
  const eco = await signIn('sh-eco');
  expect((await page(eco, preview)).status).toBe(404);
  expect((await postForm(eco, `${preview}/confirm`)).status).toBe(404);
  expect((await postForm(drafter, `${preview}/cancel`)).status).toBe(303);

  await standardsCollection(rt.mongo.db).updateOne({ _id: standardId }, { $set: { stage: 'publicComment' } });
  try {
    const res = await upload(drafter, file);
    expect(res.status).toBe(409);
    expect(await pending()).toBe(kept);
  } finally {
    await standardsCollection(rt.mongo.db).updateOne({ _id: standardId }, { $set: { stage: 'drafting' } });
  }
});
