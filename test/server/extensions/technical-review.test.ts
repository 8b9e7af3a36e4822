// The expert pool and the technical review's pages against the whole runtime (server/runtime.ts) on the real
// Temporal dev server and FerretDB: who may manage the pool (403 otherwise, 400 naming the bad field), and
// the review round over HTTP — role × action refusals (403 vs 409, nothing changed), the organiser's forms
// (panel, 函审, send) with CSRF, the expert's opinion form, and the organiser's page showing who submitted.
import { randomBytes } from 'node:crypto';
import { createExpertStore } from '../../../activities/data/experts';
import { createUser } from '../../../activities/data/users';
import { storeGeneratedFile } from '../../../activities/files/store';
import { DEMO_PASSWORD } from '../../../server/auth/demo-accounts';
import { hashPassword } from '../../../server/auth/passwords';
import { createTechnicalReviewService, type TechnicalReviewService } from '../../../server/extensions/technical-review-service';
import { technicalReviewLinks } from '../../../server/extensions/technical-review';
import type { Runtime } from '../../../server/runtime';
import type { TechnicalReviewState } from '../../../workflows/technical-review-messages';
import { DEFAULT_REVIEW_RULE } from '../../../workflows/technical-review-rules';
import { DAY_MS } from '../../../workflows/messages';
import { startDraftingStandard } from '../../support/drafting-standard';
import { startTestRuntime } from '../../support/test-runtime';
import { signInBrowser, type BrowserSession as Browser } from '../../support/browser-session';

jest.setTimeout(180_000);

let rt: Runtime;
let reviews: TechnicalReviewService;
let standardId: string;
const expertIds: string[] = [];
const expertUsers: string[] = [];

function signIn(username: string): Promise<Browser> {
  return signInBrowser(rt.url, username);
}

function postJson(b: Browser, path: string, body: unknown): Promise<Response> {
  return fetch(`${rt.url}${path}`, { method: 'POST', headers: { cookie: b.cookie, 'x-csrf-token': b.csrf, 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
}

function postForm(b: Browser, path: string, fields: Array<[string, string]>): Promise<Response> {
  const body = new URLSearchParams([['_csrf', b.csrf], ...fields]);
  return fetch(`${rt.url}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie: b.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body });
}

async function page(b: Browser, path: string): Promise<{ status: number; html: string }> {
  const res = await fetch(`${rt.url}${path}`, { headers: { cookie: b.cookie, accept: 'text/html' } });
  return { status: res.status, html: await res.text() };
}

beforeAll(async () => {
  rt = await startTestRuntime('techreview');
  standardId = await startDraftingStandard(rt.url, { titleZh: '技术审查页面测试标准', titleEn: 'Technical review page test' });
  const hash = await hashPassword(DEMO_PASSWORD);
  const store = createExpertStore(rt.mongo.db);
  const people: Array<[string, string, 'SH' | 'JS' | 'ZJ']> = [['张一', '同济大学', 'SH'], ['李二', '南京大学', 'JS'], ['王三', '浙江大学', 'ZJ'], ['赵四', '华东师范大学', 'SH'], ['钱五', '河海大学', 'JS']];
  for (const [name, organisation, province] of people) {
    const username = `exp-${randomBytes(3).toString('hex')}`;
    const u = await createUser(rt.mongo.db, { username, displayName: name, passwordHash: hash, grants: [{ role: 'expert' }] });
    expertUsers.push(username);
    expertIds.push((await store.create({ name, organisation, province, fields: ['水环境'], title: '教授', contact: 'c', userId: u._id }, 'test'))._id);
  }
  reviews = createTechnicalReviewService({ client: rt.temporal.client, db: rt.mongo.db });
  // The lifecycle starts rounds itself once it reaches 技术审查; this suite starts one directly.
  await reviews.start({ standardId, leadProvince: 'SH', round: 1, rule: DEFAULT_REVIEW_RULE, reminderIntervalMs: 2 * DAY_MS }, rt.worker!.options.taskQueue);
  for (let i = 0; i < 100 && (await reviews.state(standardId, 1).catch(() => ({ revision: 0 }))).revision === 0; i += 1) await new Promise((r) => setTimeout(r, 100));
});

afterAll(async () => {
  await rt?.mongo.db.dropDatabase().catch(() => undefined);
  await rt?.stop();
});

test('the expert pool: managers add, others are refused, bad input names the field, the account must be an expert', async () => {
  const input = { name: '孙六', organisation: '复旦大学', fields: '水环境、大气', province: 'SH', title: '教授', contact: '021-1', username: 'expert' };
  for (const who of ['drafter-sh', 'sh-msa', 'expert']) {
    const res = await postJson(await signIn(who), '/experts', input);
    expect([who, res.status]).toEqual([who, 403]);
  }
  const exec = await signIn('exec');
  const bad = await postJson(exec, '/experts', { ...input, province: 'XX', name: '' });
  expect(bad.status).toBe(400);
  const badBody = (await bad.json()) as { message_zh: string };
  expect(badBody.message_zh).toContain('姓名');
  expect(badBody.message_zh).toContain('所在省（市）');
  expect((await postJson(exec, '/experts', { ...input, username: 'sh-eco' })).status).toBe(400);
  const ok = await postJson(await signIn('js-eco'), '/experts', input);
  expect(ok.status).toBe(201);
  const { id } = (await ok.json()) as { id: string };
  const change = await postJson(await signIn('drafter-sh'), `/experts/${id}`, { ...input, name: '改名' });
  expect(change.status).toBe(403);
  expect((await createExpertStore(rt.mongo.db).get(id))?.name).toBe('孙六');
  expect((await postJson(exec, `/experts/${id}`, { ...input, title: '研究员' })).status).toBe(200);
  expect((await createExpertStore(rt.mongo.db).get(id))?.title).toBe('研究员');
  const list = (await (await fetch(`${rt.url}/experts?province=SH`, { headers: { cookie: exec.cookie, accept: 'application/json' } })).json()) as { items: Array<{ name: string; fields: string[] }> };
  expect(list.items.find((e) => e.name === '孙六')?.fields).toEqual(['水环境', '大气']);
  const html = await page(exec, '/experts');
  expect(html.html).toContain('复旦大学');
  expect(html.html).toContain('name="_csrf"');
});

test('role × action over HTTP: 403 for the wrong role, 409 for the wrong phase, the round unchanged', async () => {
  const base = `/standards/${standardId}/technical-review/1`;
  const before: TechnicalReviewState = await reviews.state(standardId, 1);
  const cases: Array<[string, string, unknown, number]> = [
    ['drafter-sh', 'formPanel', { expertIds }, 403],
    ['expert', 'formPanel', { expertIds }, 403],
    ['js-eco', 'formPanel', { expertIds }, 403],
    ['sh-msa', 'chooseForm', { kind: 'correspondence', deadline: '2099-01-01' }, 403],
    ['drafter-sh', 'send', {}, 403],
    ['sh-eco', 'send', {}, 409],
    ['sh-eco', 'submitOpinion', { text: '意见', vote: 'pass' }, 403],
    ['expert', 'submitOpinion', { text: '意见', vote: 'pass' }, 403],
    ['drafter-sh', 'recordConclusion', { summary: 'x' }, 403],
    ['exec', 'recordConclusion', { summary: 'x' }, 409],
    ['sh-eco', 'formPanel', { expertIds: expertIds.slice(0, 4) }, 400],
  ];
  const got: string[] = [];
  for (const [who, action, body] of cases) got.push(`${who} ${action} ${(await postJson(await signIn(who), `${base}/${action}`, body)).status}`);
  expect(got).toEqual(cases.map(([who, action, , status]) => `${who} ${action} ${status}`));
  const after = await reviews.state(standardId, 1);
  expect([after.revision, after.panel.length, after.phase]).toEqual([before.revision, 0, 'preparing']);
  // A drafter of other standards may not even look; the pool is not theirs to read either.
  expect((await page(await signIn('drafter-js'), `/standards/${standardId}/technical-review`)).status).toBe(403);
  expect((await page(await signIn('drafter-js'), '/experts')).status).toBe(403);
});

test('the organiser forms the panel, chooses 函审 and sends with forms; an expert submits; the organiser sees who submitted', async () => {
  const base = `/standards/${standardId}/technical-review/1`;
  const org = await signIn('sh-eco');
  const prep = await page(org, `/standards/${standardId}/technical-review`);
  expect(prep.status).toBe(200);
  for (const id of expertIds) expect(prep.html).toContain(`value="${id}"`);
  const noCsrf = await fetch(`${rt.url}${base}/formPanel`, { method: 'POST', redirect: 'manual', headers: { cookie: org.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(expertIds.map((id) => ['expertIds', id])) });
  expect(noCsrf.status).toBe(403);
  expect((await postForm(org, `${base}/formPanel`, expertIds.map((id) => ['expertIds', id]))).status).toBe(303);
  expect((await postForm(org, `${base}/chooseForm`, [['kind', 'correspondence'], ['deadline', '2099-12-31']])).status).toBe(303);
  expect((await postForm(org, `${base}/send`, [])).status).toBe(303);
  const sent = await reviews.state(standardId, 1);
  expect([sent.phase, sent.panel.length, sent.packageLink, sent.deadline]).toEqual(['collecting', 5, `/standards/${standardId}/documents/package/review`, '2099-12-31T15:59:59.000Z']);

  const expert = await signIn(expertUsers[0]);
  const form = await page(expert, `/standards/${standardId}/technical-review`);
  expect(form.html).toContain(`${base}/submitOpinion`);
  expect(form.html).toContain('修改后通过');
  expect((await postForm(expert, `${base}/submitOpinion`, [['text', '建议补充<b>监测</b>方法'], ['vote', 'passWithChanges']])).status).toBe(303);
  expect((await postForm(expert, `${base}/submitOpinion`, [['text', '再来一次'], ['vote', 'pass']])).status).toBe(409);

  const view = await page(org, `/standards/${standardId}/technical-review`);
  const me = (await reviews.state(standardId, 1)).panel[0].userId;
  expect(view.html).toContain(`data-member="${me}" data-state="submitted"`);
  expect(view.html).toContain('建议补充&lt;b&gt;监测&lt;/b&gt;方法');
  expect((view.html.match(/data-state="waiting"/g) ?? []).length).toBe(4);
  expect(view.html).toContain('recordConclusion');
});

test('the standard page links the review from 技术审查 on, not while drafting', async () => {
  expect(technicalReviewLinks({ _id: 's', stage: 'technicalReview' }).map((l) => l.href)).toEqual(['/standards/s/technical-review']);
  expect(technicalReviewLinks({ _id: 's', stage: 'approval' })).toHaveLength(1);
  expect(technicalReviewLinks({ _id: 's', stage: 'drafting' })).toEqual([]);
  const drafting = await page(await signIn('sh-eco'), `/standards/${standardId}`);
  expect(drafting.status).toBe(200);
  expect(drafting.html).not.toContain('/technical-review');
  expect(drafting.html).toContain(`/standards/${standardId}/versions`);
});

test('stored minutes are listed on the documents page under their own kind, with a button to make the PDF', async () => {
  const f = await storeGeneratedFile(rt.mongo.db, { filename: '纪要.docx', data: Buffer.from('PK minutes'), metadata: { standardId, kind: 'reviewMinutes', stage: 'technicalReview', province: 'joint', format: 'docx' } });
  const docs = await page(await signIn('sh-eco'), `/standards/${standardId}/documents`);
  expect(docs.status).toBe(200);
  const row = docs.html.slice(docs.html.indexOf(`/files/${f.id}`));
  expect(row.slice(0, 2000)).toContain('审查会议纪要');
  expect(row.slice(0, 2000)).toContain(`/documents/${f.id}/pdf`);
});
