// Starting a new standard from a Word file, through the whole product as `npm start` wires it: the
// eco-environment department uploads its draft on the proposal form (multipart, CSRF in the body), the form
// comes back prefilled from the file's cover and 前言, the proposal is made with the file attached, and
// when the three bureaus approve (drafting starts) the file's body becomes the standard's draft, figures
// stored like uploaded ones. Tracked changes need a choice; refusals come back on the form, nothing kept.
import { startTestRuntime } from '../../support/test-runtime';
import { SAMPLE_PROPOSAL } from '../../support/drafting-standard';
import { ApiSession } from '../../../scripts/demo-lifecycle-driver';
import { signInBrowser, type BrowserSession as Browser } from '../../support/browser-session';
import { generateStandardDocx } from '../../../activities/docx/generate';
import { richStandardBody, richStandardRecord } from '../../../activities/docx/fixtures/rich-standard';
import { importWordFile } from '../../../activities/import';
import { countUploads, proposalUploadOf } from '../../../activities/import/uploads';
import type { Runtime } from '../../../server/runtime';
import { schema } from '../../../editor/schema';
import { yDocToJSON } from '../../../editor/ydoc';
import type { DocJSON } from '../../../editor/types';
import { draftDocName } from '../../../workflows/domain';
import { headingStyledMessy } from '../../fixtures/import/ooxml';
import { shape } from '../../editor/import/shape';

jest.setTimeout(240_000);

let rt: Runtime;

function signIn(username: string): Promise<Browser> {
  return signInBrowser(rt.url, username);
}

function upload(b: Browser, data: Buffer, fields: Record<string, string> = {}): Promise<Response> {
  const form = new FormData();
  form.append('_csrf', b.csrf);
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([new Uint8Array(data)], { type: 'application/octet-stream' }), 'draft.docx');
  return fetch(`${rt.url}/standards/new/import`, { method: 'POST', headers: { cookie: b.cookie, accept: 'text/html' }, body: form, redirect: 'manual' });
}

/** The document as numbered lines (ids aside, xrefs read as their text), after the schema accepted it. */
function comparable(doc: DocJSON): string[] {
  schema.nodeFromJSON(doc).check();
  return shape(doc);
}

const unescape = (s: string): string => s.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'");

beforeAll(async () => {
  rt = await startTestRuntime('import-proposal');
});

afterAll(async () => {
  await rt?.mongo.db.dropDatabase().catch(() => undefined);
  await rt?.stop();
});

test('the proposal form offers the Word upload; only proposers may use it; refusals come back on the form with nothing kept', async () => {
  const eco = await signIn('sh-eco');
  const form = await (await fetch(`${rt.url}/standards/new`, { headers: { cookie: eco.cookie, accept: 'text/html' } })).text();
  expect(form).toContain('action="/standards/new/import"');
  expect(form).toContain('从已有 Word 草稿开始');

  const before = await countUploads(rt.mongo.db);
  const drafter = await signIn('drafter-sh');
  expect((await upload(drafter, await generateStandardDocx({ record: richStandardRecord(), body: richStandardBody(), edition: 'joint' }))).status).toBe(403);

  const notWord = await upload(eco, Buffer.from('%PDF-1.7 not a word file'));
  expect(notWord.status).toBe(415);
  expect(await notWord.text()).toContain('文件不是 Word 文档');

  const tracked = await upload(eco, await headingStyledMessy());
  expect(tracked.status).toBe(422);
  const trackedHtml = await tracked.text();
  expect(trackedHtml).toMatch(/3 处修订/);
  expect(trackedHtml).toContain('name="changes" value="accept"');
  expect(await countUploads(rt.mongo.db)).toBe(before);

  const accepted = await upload(eco, await headingStyledMessy(), { changes: 'reject' });
  expect(accepted.status).toBe(200);
  expect(await accepted.text()).toContain('全部拒绝');
  expect(await countUploads(rt.mongo.db)).toBe(before + 1);
});

test('upload prefills the proposal; the proposal keeps the file; when drafting starts its body becomes the draft', async () => {
  const record = richStandardRecord();
  const body = richStandardBody();
  const file = await generateStandardDocx({ record, body, edition: 'joint' });
  const eco = await signIn('sh-eco');

  const res = await upload(eco, file);
  expect(res.status).toBe(200);
  const html = await res.text();
  const value = (name: string): string => unescape(new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1] ?? '');
  const textarea = (name: string): string => unescape(new RegExp(`name="${name}"[^>]*>([^<]*)</textarea>`).exec(html)?.[1] ?? '');
  expect(value('titleZh')).toBe(record.titleZh);
  expect(value('titleEn')).toBe(record.titleEn);
  expect(textarea('scope')).toContain('本文件适用于示范区内跨界河流、湖泊的地表水环境质量监测。');
  expect(textarea('drafters').split('\n')).toEqual(record.drafters);
  expect(textarea('draftingUnits')).toContain('上海市环境监测中心');
  const uploadId = value('importUploadId');
  expect(uploadId).toMatch(/^[0-9a-f]{32}$/);

  // The form as the browser posts it: the prefilled values, the rest typed, the file's id.
  const fields: Record<string, string> = {
    _csrf: eco.csrf,
    titleZh: value('titleZh'),
    titleEn: value('titleEn'),
    scope: textarea('scope'),
    draftingUnits: textarea('draftingUnits'),
    drafters: textarea('drafters'),
    kind: SAMPLE_PROPOSAL.kind,
    field: SAMPLE_PROPOSAL.field,
    leadUnits: SAMPLE_PROPOSAL.leadUnits.join('\n'),
    participatingUnits: SAMPLE_PROPOSAL.participatingUnits.join('\n'),
    drafterUsernames: 'drafter-sh',
    plannedYear: '2027',
    importUploadId: uploadId,
  };
  const proposed = await fetch(`${rt.url}/standards`, {
    method: 'POST',
    headers: { cookie: eco.cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
  expect(proposed.status).toBe(303);
  const standardId = /^\/standards\/([^/?]+)$/.exec(proposed.headers.get('location') ?? '')?.[1] ?? '';
  expect(standardId).not.toBe('');
  expect((await proposalUploadOf(rt.mongo.db, standardId))?.id).toBe(uploadId);

  // Still in initiation: the draft is the skeleton.
  const live = async (): Promise<DocJSON> => yDocToJSON(await rt.collab.getDoc(draftDocName(standardId)));
  expect(JSON.stringify(await live())).not.toContain('跨界断面');

  for (const [province, u] of [['SH', 'sh-msa'], ['JS', 'js-msa'], ['ZJ', 'zj-msa']] as const) {
    await (await new ApiSession(rt.url, u).signIn()).request('POST', `/api/standards/${standardId}/actions/decideInitiation`, { province, decision: 'approve' });
  }
  const expected = (await importWordFile(file)).doc;
  const draft = await live();
  expect(comparable(draft)).toEqual(comparable(expected));
  // Pictures (figures; formulas kept as pictures would be too): every one stored and linked by URL.
  const figures = JSON.stringify(draft).match(/"src":"([^"]+)"/g) ?? [];
  expect(figures.length).toBeGreaterThan(0);
  for (const f of figures) expect(f).toMatch(/"src":"\/images\/[0-9a-f]{24}"/);
  expect(await proposalUploadOf(rt.mongo.db, standardId)).toBeNull();
});
