// Every bad input of issue 14 sent through the real uploads (the draft page's import and the proposal form),
// as `npm start` wires them: each refused with its 4xx, the zh message on the Chinese page and the en message
// with ?lang=en, and nothing stored — no pending upload, no picture, no GridFS chunk.
import { startTestRuntime } from '../../support/test-runtime';
import { startDraftingStandard } from '../../support/drafting-standard';
import { signInBrowser, type BrowserSession as Browser } from '../../support/browser-session';
import type { Runtime } from '../../../server/runtime';
import { BAD_FILES } from '../../fixtures/import/bad-files';

jest.setTimeout(300_000);

let rt: Runtime;
let standardId: string;
/** Made before the servers start: compressing the 30 MB bomb blocks this process (which hosts the app) for
 *  seconds, long enough for the availability check to answer 503. */
let files: { name: string; status: number; data: Buffer }[];

/**
 * Waits until the app says it is ready: this process hosts the app, and building or parsing a 50 MB body
 * here can stall it long enough that the driver's own heartbeat gives up on the store and the 503 gate
 * answers for a moment (its own tests are in test/server/availability*.test.ts). What is checked here is the
 * answer of a ready app to each bad file.
 */
async function ready(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await fetch(`${rt.url}/readyz`)).status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the app did not become ready within 10 s');
}

async function upload(b: Browser, url: string, data: Buffer): Promise<Response> {
  await ready();
  const form = new FormData();
  form.append('_csrf', b.csrf);
  form.append('file', new Blob([new Uint8Array(data)], { type: 'application/octet-stream' }), 'draft.docx');
  return fetch(`${rt.url}${url}`, { method: 'POST', headers: { cookie: b.cookie, accept: 'text/html' }, body: form, redirect: 'manual' });
}

/** Documents in the stores an upload could write to. */
async function stored(): Promise<Record<string, number>> {
  const db = rt.mongo.db;
  const out: Record<string, number> = {};
  for (const c of ['importUploads.files', 'importUploads.chunks', 'images.files', 'images.chunks']) out[c] = await db.collection(c).countDocuments({});
  return out;
}

const message = (html: string): string => /id="import-error">([^<]*)</.exec(html)?.[1] ?? '';

beforeAll(async () => {
  files = [];
  for (const bad of BAD_FILES) files.push({ name: bad.name, status: bad.status, data: await bad.make() });
  rt = await startTestRuntime('import-bad-input');
  standardId = await startDraftingStandard(rt.url, { titleZh: '导入异常输入测试标准', titleEn: 'Import bad input test standard' });
});

afterAll(async () => {
  await rt?.mongo.db.dropDatabase().catch(() => undefined);
  await rt?.stop();
});

test('each bad file is refused on the draft page with its 4xx and a zh/en message, nothing stored', async () => {
  const drafter = await signInBrowser(rt.url, 'drafter-sh');
  const before = await stored();
  for (const bad of files) {
    const data = bad.data;
    const zh = await upload(drafter, `/standards/${standardId}/import`, data);
    expect([bad.name, zh.status]).toEqual([bad.name, bad.status]);
    expect([bad.name, message(await zh.text())]).toEqual([bad.name, expect.stringMatching(/[\u4e00-\u9fff]/)]);
    const en = await upload(drafter, `/standards/${standardId}/import?lang=en`, data);
    expect([bad.name, en.status]).toEqual([bad.name, bad.status]);
    expect([bad.name, message(await en.text())]).toEqual([bad.name, expect.stringMatching(/^[^\u4e00-\u9fff]*[A-Za-z]{4}/)]);
  }
  expect(await stored()).toEqual(before);
});

test('each bad file is refused on the proposal form too, nothing stored', async () => {
  await ready();
  const eco = await signInBrowser(rt.url, 'sh-eco');
  const before = await stored();
  for (const bad of files) {
    const res = await upload(eco, '/standards/new/import', bad.data);
    expect([bad.name, res.status]).toEqual([bad.name, bad.status]);
    expect([bad.name, message(await res.text())]).toEqual([bad.name, expect.stringMatching(/[\u4e00-\u9fff]/)]);
  }
  expect(await stored()).toEqual(before);
});
