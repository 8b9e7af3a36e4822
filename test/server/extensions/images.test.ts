// Figure images against the whole product as `npm start` wires it (server/runtime.ts) on the real Temporal
// dev server and FerretDB: a drafter uploads a figure, readers may see but not upload it, non-images and
// oversized files are refused, the public sees it only after publication, and the DOCX resolver reads it.
import { startTestRuntime } from '../../support/test-runtime';
import { startDraftingStandard } from '../../support/drafting-standard';
import { standardsCollection } from '../../../activities/data/standards';
import { createImageResolver } from '../../../server/extensions/images';
import type { Runtime } from '../../../server/runtime';
import { signInBrowser, type BrowserSession as Browser } from '../../support/browser-session';

jest.setTimeout(120_000);

/** A real 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

let rt: Runtime;
let standardId: string;

function signIn(username: string): Promise<Browser> {
  return signInBrowser(rt.url, username);
}

function uploadAs(b: Browser, data: Buffer, name = 'figure.png', type = 'image/png'): Promise<Response> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(data)], { type }), name);
  return fetch(`${rt.url}/api/standards/${standardId}/images`, { method: 'POST', headers: { cookie: b.cookie, 'x-csrf-token': b.csrf }, body: form });
}

beforeAll(async () => {
  rt = await startTestRuntime('images');
  standardId = await startDraftingStandard(rt.url, { titleZh: '示范区图片上传测试标准', titleEn: 'Figure upload test standard' });
});

afterAll(async () => {
  await rt?.mongo.db.dropDatabase().catch(() => undefined);
  await rt?.stop();
});

test('a drafter uploads a figure and gets back the same bytes with the sniffed type', async () => {
  const drafter = await signIn('drafter-sh');
  const res = await uploadAs(drafter, PNG, 'photo.gif', 'image/gif');
  expect(res.status).toBe(201);
  const { url } = (await res.json()) as { url: string };
  expect(url).toMatch(/^\/images\/[0-9a-f]{24}$/);

  const got = await fetch(`${rt.url}${url}`, { headers: { cookie: drafter.cookie } });
  expect(got.status).toBe(200);
  expect(got.headers.get('content-type')).toBe('image/png');
  expect(got.headers.get('x-content-type-options')).toBe('nosniff');
  expect(got.headers.get('cache-control')).toContain('immutable');
  expect(Buffer.from(await got.arrayBuffer())).toEqual(PNG);

  const stored = await rt.mongo.db.collection('images.files').findOne({});
  expect(stored?.metadata).toMatchObject({ standardId, contentType: 'image/png', uploadedBy: 'drafter-sh' });
  expect(stored?.metadata.sha256).toMatch(/^[0-9a-f]{64}$/);

  // The DOCX generator's resolver reads the same figure with its pixel size.
  const resolve = createImageResolver(rt.mongo.db);
  const img = await resolve(url);
  expect(img).toMatchObject({ type: 'png', width: 1, height: 1 });
  expect(Buffer.from(img!.data)).toEqual(PNG);
  expect(await resolve(`http://example.org${url}`)).not.toBeNull();
  expect(await resolve('/images/000000000000000000000000')).toBeNull();
  expect(await resolve('https://example.org/logo.png')).toBeNull();
});

test('a reader of the draft may see a figure but not upload one', async () => {
  const drafter = await signIn('drafter-sh');
  const { url } = (await (await uploadAs(drafter, PNG)).json()) as { url: string };
  const reader = await signIn('sh-msa');
  const refused = await uploadAs(reader, PNG);
  expect(refused.status).toBe(403);
  expect(await refused.json()).toMatchObject({ code: 'FORBIDDEN' });
  expect((await fetch(`${rt.url}${url}`, { headers: { cookie: reader.cookie } })).status).toBe(200);
  // A drafter of other standards has no business with this draft's figures.
  const outsider = await signIn('drafter-js');
  expect((await fetch(`${rt.url}${url}`, { headers: { cookie: outsider.cookie } })).status).toBe(403);
});

test('a file that is not a PNG, JPEG or GIF is refused whatever its declared type', async () => {
  const drafter = await signIn('drafter-sh');
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>');
  for (const [data, name, type] of [
    [svg, 'figure.png', 'image/png'],
    [svg, 'figure.svg', 'image/svg+xml'],
    [Buffer.from('GIF89a'), 'short.gif', 'image/gif'],
  ] as const) {
    const res = await uploadAs(drafter, data, name, type);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { message_zh: string; message_en: string };
    expect(body.message_zh).toContain('PNG');
    expect(body.message_en).toContain('PNG');
  }
});

test('an image over 5 MB is refused with 413', async () => {
  const drafter = await signIn('drafter-sh');
  const big = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024 + 1)]);
  const res = await uploadAs(drafter, big);
  expect(res.status).toBe(413);
  expect(await res.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
});

test('an upload without a signed-in user or without the CSRF token is refused', async () => {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'f.png');
  const anon = await fetch(`${rt.url}/api/standards/${standardId}/images`, { method: 'POST', body: form });
  expect([401, 403]).toContain(anon.status);
  const drafter = await signIn('drafter-sh');
  const noToken = await uploadAs({ ...drafter, csrf: 'forged' }, PNG);
  expect(noToken.status).toBe(403);
});

test('the public sees a figure only once the standard is published', async () => {
  const drafter = await signIn('drafter-sh');
  const { url } = (await (await uploadAs(drafter, PNG)).json()) as { url: string };
  const before = await fetch(`${rt.url}${url}`);
  expect(before.status).toBe(401);
  await standardsCollection(rt.mongo.db).updateOne({ _id: standardId }, { $set: { publishedAt: new Date().toISOString() } });
  try {
    const after = await fetch(`${rt.url}${url}`);
    expect(after.status).toBe(200);
    expect(after.headers.get('cache-control')).toContain('public');
    expect(Buffer.from(await after.arrayBuffer())).toEqual(PNG);
  } finally {
    await standardsCollection(rt.mongo.db).updateOne({ _id: standardId }, { $unset: { publishedAt: '' } });
  }
});

test('an unknown or malformed image id is 404', async () => {
  const drafter = await signIn('drafter-sh');
  expect((await fetch(`${rt.url}/images/000000000000000000000000`, { headers: { cookie: drafter.cookie } })).status).toBe(404);
  expect((await fetch(`${rt.url}/images/..%2Fetc`, { headers: { cookie: drafter.cookie } })).status).toBe(404);
});

test('the draft page names the upload address to editors only', async () => {
  const drafter = await signIn('drafter-sh');
  const reader = await signIn('sh-msa');
  const page = (b: Browser) => fetch(`${rt.url}/standards/${standardId}/draft`, { headers: { cookie: b.cookie } }).then((r) => r.text());
  expect(await page(drafter)).toContain(`data-upload-url="/api/standards/${standardId}/images"`);
  const readerPage = await page(reader);
  expect(readerPage).toContain('id="editor"');
  expect(readerPage).not.toContain('data-upload-url');
});
