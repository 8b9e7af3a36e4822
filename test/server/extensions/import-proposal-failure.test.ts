// A proposal's Word file that cannot be applied when drafting starts is not only logged: the file is kept
// with the reason, the standard's page shows it to the proposer in zh/en with 重试 / 放弃, a failed retry
// changes nothing, a successful retry saves the draft as a version first and then replaces it in one step,
// and discarding drops the file. The failure is real: a legacy .doc whose LibreOffice conversion fails at
// drafting start (LibreOffice unavailable then), through the whole product on the real servers.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestRuntime } from '../../support/test-runtime';
import { SAMPLE_PROPOSAL } from '../../support/drafting-standard';
import { ApiSession } from '../../../scripts/demo-lifecycle-driver';
import { signInBrowser, type BrowserSession as Browser } from '../../support/browser-session';
import { proposalUploadOf } from '../../../activities/import/uploads';
import { proposalImportFailureOf } from '../../../activities/import/proposal-failures';
import { createVersionActivities } from '../../../activities/versions';
import type { Runtime } from '../../../server/runtime';
import { yDocToJSON } from '../../../editor/ydoc';
import { draftDocName } from '../../../workflows/domain';
import { templateStyled } from '../../fixtures/import/ooxml';

jest.setTimeout(300_000);

let rt: Runtime;
let eco: Browser;
let legacyDoc: Buffer;

function uploadOnProposalForm(data: Buffer): Promise<Response> {
  const form = new FormData();
  form.append('_csrf', eco.csrf);
  form.append('file', new Blob([new Uint8Array(data)], { type: 'application/octet-stream' }), '点位布设.doc');
  return fetch(`${rt.url}/standards/new/import`, { method: 'POST', headers: { cookie: eco.cookie, accept: 'text/html' }, body: form, redirect: 'manual' });
}

function post(b: Browser, url: string, accept = 'text/html'): Promise<Response> {
  return fetch(`${rt.url}${url}`, {
    method: 'POST',
    headers: { cookie: b.cookie, accept, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: b.csrf }).toString(),
    redirect: 'manual',
  });
}

const page = async (b: Browser, url: string): Promise<string> => (await fetch(`${rt.url}${url}`, { headers: { cookie: b.cookie, accept: 'text/html' } })).text();
const live = async (id: string): Promise<string> => JSON.stringify(yDocToJSON(await rt.collab.getDoc(draftDocName(id))));

/** Proposes a standard with the .doc attached and has the three bureaus approve it while LibreOffice is
 *  unavailable, so the file's import fails as drafting starts. */
async function proposeAndStartDraftingWithoutLibreOffice(titleZh: string): Promise<string> {
  const res = await uploadOnProposalForm(legacyDoc);
  expect(res.status).toBe(200);
  const uploadId = /name="importUploadId"[^>]*value="([0-9a-f]{32})"/.exec(await res.text())?.[1] ?? '';
  expect(uploadId).not.toBe('');
  const fields: Record<string, string> = {
    _csrf: eco.csrf,
    titleZh,
    titleEn: `Import failure test standard ${titleZh.length}`,
    scope: '本文件规定了点位布设要求。',
    kind: SAMPLE_PROPOSAL.kind,
    field: SAMPLE_PROPOSAL.field,
    leadUnits: SAMPLE_PROPOSAL.leadUnits.join('\n'),
    participatingUnits: SAMPLE_PROPOSAL.participatingUnits.join('\n'),
    draftingUnits: '上海市环境科学研究院',
    drafters: '张三',
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
  const saved = process.env.SOFFICE_PATH;
  process.env.SOFFICE_PATH = '/nonexistent/soffice';
  try {
    for (const [province, u] of [['SH', 'sh-msa'], ['JS', 'js-msa'], ['ZJ', 'zj-msa']] as const) {
      // The approvals go through whatever the import does afterwards.
      await (await new ApiSession(rt.url, u).signIn()).request('POST', `/api/standards/${standardId}/actions/decideInitiation`, { province, decision: 'approve' });
    }
  } finally {
    if (saved === undefined) delete process.env.SOFFICE_PATH;
    else process.env.SOFFICE_PATH = saved;
  }
  return standardId;
}

beforeAll(async () => {
  // The .doc is made first: LibreOffice can take longer than the server's keep-alive under load, and a POST on
  // a kept-alive socket the server just closed fails with ECONNRESET.
  const dir = mkdtempSync(path.join(tmpdir(), 'tb-proposal-doc-'));
  try {
    writeFileSync(path.join(dir, 'draft.docx'), await templateStyled());
    execFileSync('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'doc:MS Word 97', '--outdir', dir, path.join(dir, 'draft.docx')], { timeout: 120_000 });
    legacyDoc = readFileSync(path.join(dir, 'draft.doc'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  rt = await startTestRuntime('import-proposal-failure');
  eco = await signInBrowser(rt.url, 'sh-eco');
});

afterAll(async () => {
  await rt?.mongo.db.dropDatabase().catch(() => undefined);
  await rt?.stop();
});

test('the failure is kept and shown to the proposer; a failed retry changes nothing; a retry that works saves the draft first', async () => {
  const standardId = await proposeAndStartDraftingWithoutLibreOffice('导入失败重试测试标准');
  const failure = await proposalImportFailureOf(rt.mongo.db, standardId);
  expect(failure).toMatchObject({ code: 'CONVERSION_FAILED', filename: '点位布设.doc' });
  expect(await proposalUploadOf(rt.mongo.db, standardId)).not.toBeNull();
  expect(await live(standardId)).not.toContain('点位布设');

  const zh = await page(eco, `/standards/${standardId}`);
  expect(zh).toContain('id="proposal-import-failure"');
  expect(zh).toContain('立项时上传的 Word 文件未能导入草案');
  expect(zh).toContain('无法用 LibreOffice 转换 .doc 文件');
  expect(zh).toContain(`action="/standards/${standardId}/proposal-import/retry"`);
  expect(zh).not.toContain('/nonexistent');
  const en = await page(eco, `/standards/${standardId}?lang=en`);
  expect(en).toContain('could not be imported into the draft');
  expect(en).toContain('could not be converted with LibreOffice');

  // Someone who neither uploaded it nor drafts the standard may not act on it.
  const bureau = await signInBrowser(rt.url, 'js-msa');
  expect((await post(bureau, `/standards/${standardId}/proposal-import/retry`, 'application/json')).status).toBe(403);

  // Retried while LibreOffice is still unavailable: 422 with the reason, no version saved, the draft unchanged.
  const versions = createVersionActivities({ db: rt.mongo.db });
  const versionsBefore = (await versions.listVersions({ standardId })).length;
  process.env.SOFFICE_PATH = '/nonexistent/soffice';
  let again: Response;
  try {
    again = await post(eco, `/standards/${standardId}/proposal-import/retry`, 'application/json');
  } finally {
    delete process.env.SOFFICE_PATH;
  }
  expect(again.status).toBe(422);
  const body = (await again.json()) as { applied: boolean; error: { zh: string; en: string } };
  expect(body.applied).toBe(false);
  expect(body.error.zh).toContain('无法用 LibreOffice 转换');
  expect((await versions.listVersions({ standardId })).length).toBe(versionsBefore);
  expect(await live(standardId)).not.toContain('点位布设');

  // Retried with LibreOffice back: the draft before is saved as a version, then the file becomes the draft.
  const retried = await post(eco, `/standards/${standardId}/proposal-import/retry`);
  expect(retried.status).toBe(303);
  expect(retried.headers.get('location')).toBe(`/standards/${standardId}`);
  const draft = await live(standardId);
  expect(draft).toContain('点位布设');
  expect(draft).toContain('跨界河流点位数量');
  const saved = await versions.listVersions({ standardId });
  expect(saved).toHaveLength(versionsBefore + 1);
  expect(saved.map((v) => v.name)).toContain('导入立项 Word 文件「点位布设.doc」前的自动保存');
  expect(await proposalUploadOf(rt.mongo.db, standardId)).toBeNull();
  const after = await page(eco, `/standards/${standardId}`);
  expect(after).not.toContain('id="proposal-import-failure"');
  expect(after).toContain('立项 Word 文件已导入草案');
  expect((await post(eco, `/standards/${standardId}/proposal-import/retry`, 'application/json')).status).toBe(404);
});

test('the proposer may discard the file instead: the draft stays as it is', async () => {
  const standardId = await proposeAndStartDraftingWithoutLibreOffice('导入失败放弃测试标准');
  expect(await proposalImportFailureOf(rt.mongo.db, standardId)).not.toBeNull();
  const skeleton = await live(standardId);
  const discarded = await post(eco, `/standards/${standardId}/proposal-import/discard`);
  expect(discarded.status).toBe(303);
  expect(await proposalUploadOf(rt.mongo.db, standardId)).toBeNull();
  expect(await live(standardId)).toBe(skeleton);
  const html = await page(eco, `/standards/${standardId}`);
  expect(html).not.toContain('id="proposal-import-failure"');
  expect(html).toContain('已放弃立项 Word 文件');
});
