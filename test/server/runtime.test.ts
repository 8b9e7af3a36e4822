// The whole product wired as `npm start` wires it (server/runtime.ts), on the real Temporal dev server and
// FerretDB: a drafter types into the co-edited draft over the y-websocket protocol, the lifecycle freezes
// real versions, a member of the public comments, the drafting group disposes of it (and cannot move on
// before), the release generates and stores the four real DOCX editions, and the public downloads one.
import { SAMPLE_PROPOSAL } from '../support/drafting-standard';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomInt } from 'node:crypto';
import JSZip from 'jszip';
import { DefaultLogger, Runtime as TemporalRuntime } from '@temporalio/worker';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { trackSaveState } from '../../editor/collab/save-tracker';
import { seedDemoAccounts } from '../../server/auth/demo-accounts';
import { ensureUserIndexes } from '../../activities/data/users';
import { listFiles, readFileBytes } from '../../activities/files/store';
import { loadConfig } from '../../server/infra/config';
import { startRuntime, type Runtime } from '../../server/runtime';
import { yDocToJSON } from '../../editor/ydoc';
import { ApiSession } from '../../scripts/demo-lifecycle-driver';
import { chinaToday } from '../../workflows/dates';
import type { LifecycleState } from '../../workflows/messages';
import { requireEnv } from '../support/mongo';

jest.setTimeout(240_000);

const SCOPE_TEXT = '本文件规定了示范区水污染物排放限值。';

let rt: Runtime;
let dbName: string;

beforeAll(async () => {
  try {
    TemporalRuntime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed by another suite in this worker process
  }
  dbName = `t_runtime_${randomBytes(4).toString('hex')}`;
  const config = loadConfig({
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    MONGODB_DB: dbName,
    TEMPORAL_TASK_QUEUE: `runtime-${randomBytes(4).toString('hex')}`,
    TONGBIAO_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'tb-runtime-')),
    MONGODB_URI: requireEnv('MONGODB_URI'),
    TEMPORAL_ADDRESS: requireEnv('TEMPORAL_ADDRESS'),
    LOG_LEVEL: 'warn',
  });
  rt = await startRuntime({
    config,
    durations: { commentPeriodMs: 4000, reminderIntervalMs: 24 * 3600_000, filingReminderMs: 2000, reviewIntervalMs: 3000 },
    signInRateLimit: { windowMs: 60_000, limit: 1000 },
    onUnacknowledgedWrite: 'throw',
  });
  await ensureUserIndexes(rt.mongo.db);
  await seedDemoAccounts(rt.mongo.db);
});

afterAll(async () => {
  await rt?.mongo.db.dropDatabase().catch(() => undefined);
  await rt?.stop();
});

/** A WebSocket class that sends the signed-in session's cookie, as a browser would. */
function socketWithCookie(cookie: string): typeof WebSocket {
  return class extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers: { cookie } });
    }
  } as unknown as typeof WebSocket;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('a standard goes from proposal to review with real drafts, comments, versions and documents', async () => {
  const as = (u: string) => new ApiSession(rt.url, u).signIn();
  const [shEco, exec, drafter, expert] = await Promise.all(['sh-eco', 'exec', 'drafter-sh', 'expert'].map(as));
  const msa = { SH: await as('sh-msa'), JS: await as('js-msa'), ZJ: await as('zj-msa') };
  const act = (s: ApiSession, id: string, action: string, payload: Record<string, unknown>) =>
    s.request<LifecycleState>('POST', `/api/standards/${id}/actions/${action}`, payload);

  const record = await shEco.request<{ _id: string }>('POST', '/api/standards', {
    titleZh: '示范区水污染物排放标准',
    titleEn: 'Discharge standard of water pollutants for the demonstration zone',
    ...SAMPLE_PROPOSAL,
  });
  const id = record._id;
  for (const p of ['SH', 'JS', 'ZJ'] as const) await act(msa[p], id, 'decideInitiation', { province: p, decision: 'approve' });

  // The drafter types into 范围 over the collaboration socket, as the browser editor does.
  const cookie = drafter.cookieHeader();
  const ydoc = new Y.Doc();
  const provider = new WebsocketProvider(rt.url.replace('http', 'ws') + '/collab', `standard:${id}`, ydoc, { WebSocketPolyfill: socketWithCookie(cookie) as unknown as typeof globalThis.WebSocket, disableBc: true });
  const tracker = trackSaveState(provider);
  try {
    await waitFor('sync', async () => (provider.synced && tracker.state.access ? true : undefined));
    expect(tracker.state.access).toBe('edit');
    const fragment = ydoc.getXmlFragment('prosemirror');
    const scope = fragment.toArray().find((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === 'scope');
    expect(scope).toBeDefined();
    const paragraph = scope!.toArray().find((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === 'paragraph')!;
    let text = paragraph.toArray().find((n): n is Y.XmlText => n instanceof Y.XmlText);
    if (!text) {
      text = new Y.XmlText();
      paragraph.insert(0, [text]);
    }
    text.insert(0, SCOPE_TEXT);
    await waitFor('the server acknowledges the edit as stored', async () => (tracker.state.saved ? true : undefined));
    await waitFor('the edit visible on the server', async () => {
      const json = JSON.stringify(yDocToJSON(await rt.collab.getDoc(`standard:${id}`)));
      return json.includes(SCOPE_TEXT) ? true : undefined;
    });
    await rt.collab.flush(`standard:${id}`);
  } finally {
    tracker.destroy();
    provider.destroy();
    ydoc.destroy();
  }

  let s = await act(drafter, id, 'submitForComment', { reason: '征求意见稿' });
  expect(s.stage).toBe('publicComment');
  // The public comments without an account, within the test's 4-second period (before waiting for the DOCX,
  // whose 目次 layout pass may take longer than that); the frozen 征求意见稿 carries the drafter's text.
  const comment = await fetch(`${rt.url}/api/consultation/${id}/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ submissionKey: `k${randomBytes(8).toString('hex')}`, type: 'technical', comment: '建议收严总磷限值', name: '王五', province: 'ZJ', contact: 'wangwu@example.com', showName: true }),
  });
  expect(comment.status).toBe(201);
  // The freeze runs right after the permission refresh that makes the draft read-only (so the 征求意见稿 holds
  // every edit made before the switch): the public page shows the text once it is frozen.
  const draftPage = await waitFor('the frozen 征求意见稿 on the public page', async () => {
    const html = await (await fetch(`${rt.url}/consultation/${id}`)).text();
    return html.includes(SCOPE_TEXT) ? html : undefined;
  }, 20_000);
  expect(draftPage).toContain(SCOPE_TEXT);

  // The 征求意见稿 DOCX is generated from the version frozen at submission.
  const stageDraft = await waitFor('the 征求意见稿 DOCX', async () =>
    (await listFiles(rt.mongo.db, { standardId: id, kind: 'draft' })).find((f) => f.metadata.draftKind === 'draftForComment'),
  );
  expect(stageDraft.filename).toContain('征求意见稿');

  await waitFor('the comment period closes by its timer', async () => {
    const st = await shEco.request<LifecycleState>('GET', `/api/standards/${id}/state`);
    return st.step === 'handlingComments' ? st : undefined;
  });
  await expect(act(drafter, id, 'completeCommentHandling', {})).rejects.toMatchObject({ status: 409 });
  const triage = await drafter.request<{ comments: Array<{ id: string }> }>('GET', `/api/standards/${id}/comments`);
  expect(triage.comments).toHaveLength(1);
  await drafter.request('POST', `/api/standards/${id}/comments/${triage.comments[0].id}/disposition`, { decision: 'partiallyAccepted', reason: '总磷限值收严至 0.3 mg/L' });
  s = await act(drafter, id, 'completeCommentHandling', {});
  expect(s.stage).toBe('technicalReview');

  await act(expert, id, 'recordReviewResult', { outcome: 'pass', reason: '通过' });
  await act(drafter, id, 'submitForApproval', {});
  const year = chinaToday(Date.now()).slice(0, 4);
  const code = { SH: '31', JS: '32', ZJ: '33' } as const;
  for (const p of ['SH', 'JS', 'ZJ'] as const) {
    await act(msa[p], id, 'decideApproval', { province: p, decision: 'approve', number: `DB${code[p]}/T ${code[p]}${String(randomInt(0, 10000)).padStart(4, '0')}—${year}` });
  }
  await act(exec, id, 'setReleaseDates', { releaseDate: chinaToday(Date.now()), implementationDate: chinaToday(Date.now()) });

  await waitFor('release, publicity and entry into force', async () => {
    const st = await exec.request<LifecycleState>('GET', `/api/standards/${id}/state`);
    return st.stage === 'inForce' || st.stage === 'review' ? st : undefined;
  }, 150_000);

  // Four real editions, stored with hashes; the joint one downloads without signing in.
  const editions = await listFiles(rt.mongo.db, { standardId: id, kind: 'edition' });
  expect(editions.map((f) => f.metadata.province).sort()).toEqual(['JS', 'SH', 'ZJ', 'joint']);
  const joint = editions.find((f) => f.metadata.province === 'joint')!;
  const download = await fetch(`${rt.url}/files/${joint.id}`);
  expect(download.status).toBe(200);
  expect(download.headers.get('content-type')).toContain('wordprocessingml');
  const zip = await JSZip.loadAsync(Buffer.from(await download.arrayBuffer()));
  const xml = await zip.file('word/document.xml')!.async('string');
  expect(xml).toContain(SCOPE_TEXT);

  // Versions frozen at every stage change, viewable by staff.
  const versionKinds = (await rt.mongo.db.collection('versions').find({ standardId: id }).toArray()).map((v) => v.kind as string);
  expect(versionKinds).toEqual(expect.arrayContaining(['draftForComment', 'draftForReview', 'draftForApproval', 'published']));

  await waitFor('the review opens by its timer', async () => {
    const st = await shEco.request<LifecycleState>('GET', `/api/standards/${id}/state`);
    return st.stage === 'review' ? st : undefined;
  });
  s = await act(shEco, id, 'decideReview', { outcome: 'continue', reason: '继续有效' });
  expect(s.stage).toBe('inForce');
});

describe('draft pages of a standard in drafting', () => {
  let id: string;
  let drafter: ApiSession;

  beforeAll(async () => {
    const shEco = await new ApiSession(rt.url, 'sh-eco').signIn();
    drafter = await new ApiSession(rt.url, 'drafter-sh').signIn();
    const record = await shEco.request<{ _id: string }>('POST', '/api/standards', {
      titleZh: '示范区大气污染物排放标准',
      titleEn: 'Emission standard of air pollutants',
      kind: 'emissionStandard',
      mandatory: true,
      field: '大气环境',
      scope: '大气污染物排放',
      leadUnits: ['上海市生态环境局'],
      participatingUnits: [],
      plannedYear: 2027,
      draftingUnits: ['上海市环境科学研究院'],
      drafters: ['赵六'],
      drafterUsernames: ['drafter-sh'],
    });
    id = record._id;
    for (const [u, p] of [['sh-msa', 'SH'], ['js-msa', 'JS'], ['zj-msa', 'ZJ']] as const) {
      const s = await new ApiSession(rt.url, u).signIn();
      await s.request('POST', `/api/standards/${id}/actions/decideInitiation`, { province: p, decision: 'approve' });
    }
  });

  async function page(session: ApiSession | null, url: string): Promise<{ status: number; body: string }> {
    const res = await fetch(rt.url + url, { headers: session ? { cookie: session.cookieHeader() } : {}, redirect: 'manual' });
    return { status: res.status, body: await res.text() };
  }

  test('the editor page lets the drafting group edit, shows others read-only, and refuses strangers', async () => {
    const own = await page(drafter, `/standards/${id}/draft`);
    expect(own.status).toBe(200);
    expect(own.body).toContain(`data-doc="standard:${id}"`);
    expect(own.body).toContain('data-readonly="false"');
    const regulator = await page(await new ApiSession(rt.url, 'js-msa').signIn(), `/standards/${id}/draft`);
    expect(regulator.body).toContain('data-readonly="true"');
    const stranger = await page(await new ApiSession(rt.url, 'drafter-zj').signIn(), `/standards/${id}/draft`);
    expect(stranger.status).toBe(403);
    expect((await page(null, `/standards/${id}/draft`)).status).toBe(303);
  });

  test('a named version is saved, compared with the live draft, and restored as new edits', async () => {
    const saved = await drafter.request<{ _id: string; kind: string }>('POST', `/standards/${id}/versions`, { name: '工作组讨论稿一' });
    expect(saved.kind).toBe('workingDraft');
    const doc = await rt.collab.getDoc(`standard:${id}`);
    const scope = doc.getXmlFragment('prosemirror').toArray().find((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === 'scope')!;
    const paragraph = scope.toArray().find((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === 'paragraph')!;
    const text = new Y.XmlText();
    text.insert(0, '新增的范围表述');
    paragraph.insert(paragraph.length, [text]);
    await rt.collab.flush(`standard:${id}`);

    const comparison = await drafter.request<{ summary: Record<string, number>; changes: Array<{ status: string; parts: Array<{ type: string; text: string }> }> }>(
      'GET',
      `/standards/${id}/versions/compare?from=${saved._id}&to=live`,
    );
    const changed = comparison.changes.filter((c) => c.status === 'changed');
    expect(changed).toHaveLength(1);
    expect(changed[0].parts).toContainEqual({ type: 'insert', text: '新增的范围表述' });

    const html = await page(drafter, `/standards/${id}/versions/compare?from=${saved._id}&to=live`);
    expect(html.body).toContain('<ins>新增的范围表述</ins>');

    await drafter.request('POST', `/standards/${id}/versions/${saved._id}/restore`, {});
    const after = JSON.stringify(yDocToJSON(await rt.collab.getDoc(`standard:${id}`)));
    expect(after).not.toContain('新增的范围表述');
    const list = await page(drafter, `/standards/${id}/versions`);
    expect(list.body).toContain('工作组讨论稿一');
    expect(list.body).toContain('恢复第 ');
  });

  test('a DOCX of the live draft is generated with progress, and only staff may download it', async () => {
    const job = await drafter.request<{ statusUrl: string }>('POST', `/standards/${id}/documents/draft`, {});
    const status = await waitFor('generation done', async () => {
      const st = await drafter.request<{ fraction: number; fileId: string | null; error: unknown }>('GET', job.statusUrl);
      if (st.error) throw new Error(JSON.stringify(st.error));
      return st.fileId ? st : undefined;
    });
    expect(status.fraction).toBe(1);
    expect((await page(null, `/files/${status.fileId}`)).status).toBe(401);
    const staff = await fetch(`${rt.url}/files/${status.fileId}`, { headers: { cookie: drafter.cookieHeader() } });
    expect(staff.status).toBe(200);
    expect(decodeURIComponent(staff.headers.get('content-disposition') ?? '')).toContain('示范区大气污染物排放标准');
    const progressPage = await page(drafter, job.statusUrl);
    expect(progressPage.body).toContain(`/files/${status.fileId}`);
  });
});

describe('the collaboration socket', () => {
  test('refuses an upgrade from a page of another site even with a valid session (4401)', async () => {
    const drafter = await new ApiSession(rt.url, 'drafter-sh').signIn();
    const code = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`${rt.url.replace('http', 'ws')}/collab/standard:any`, { headers: { cookie: drafter.cookieHeader(), origin: 'https://evil.example' } });
      ws.on('close', (c) => resolve(c));
      ws.on('error', reject);
    });
    expect(code).toBe(4401);
  });
});

describe('request bodies', () => {
  test('invalid UTF-8 in a form or JSON body is refused with 400 instead of being stored altered', async () => {
    const form = await fetch(`${rt.url}/sign-in`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=%FF%FE&password=x', redirect: 'manual' });
    expect(form.status).toBe(400);
    const json = await fetch(`${rt.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: Buffer.from([0x7b, 0x22, 0x75, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]) });
    expect(json.status).toBe(400);
    expect(((await json.json()) as { message_en: string }).message_en).toContain('UTF-8');
  });

  test('every page links to the public consultation and the published standards', async () => {
    const body = await (await fetch(`${rt.url}/sign-in`)).text();
    expect(body).toContain('href="/consultation"');
    expect(body).toContain('href="/published"');
  });
});

describe('submission of a draft', () => {
  test('is refused while the draft breaks a blocking GB/T 1.1 rule, and accepted once it is fixed', async () => {
    const shEco = await new ApiSession(rt.url, 'sh-eco').signIn();
    const drafter = await new ApiSession(rt.url, 'drafter-sh').signIn();
    const record = await shEco.request<{ _id: string }>('POST', '/api/standards', {
      titleZh: '示范区土壤污染风险管控标准',
      titleEn: 'Soil pollution risk control standard',
      kind: 'qualityStandard',
      mandatory: false,
      field: '土壤',
      scope: '土壤',
      leadUnits: ['上海市生态环境局'],
      participatingUnits: [],
      plannedYear: 2027,
      draftingUnits: ['上海市环境科学研究院'],
      drafters: ['钱七'],
      drafterUsernames: ['drafter-sh'],
    });
    const id = record._id;
    for (const [u, p] of [['sh-msa', 'SH'], ['js-msa', 'JS'], ['zj-msa', 'ZJ']] as const) {
      await (await new ApiSession(rt.url, u).signIn()).request('POST', `/api/standards/${id}/actions/decideInitiation`, { province: p, decision: 'approve' });
    }
    const docName = `standard:${id}`;
    const doc = await rt.collab.getDoc(docName);
    const scope = doc.getXmlFragment('prosemirror').toArray().find((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === 'scope')!;
    const text = (scope.toArray()[0] as Y.XmlElement).toArray().find((n): n is Y.XmlText => n instanceof Y.XmlText)!;
    const bad = '土壤风险管控要求，企业必须遵守。';
    text.insert(text.length, bad);
    await rt.collab.flush(docName);

    const refused = await drafter.request('POST', `/api/standards/${id}/actions/submitForComment`, {}).catch((e: { status: number; body: { code: string; message_zh: string; details: { findings: Array<{ ruleId: string }> } } }) => e);
    expect(refused).toMatchObject({ status: 409, body: { code: 'STAGE_CONFLICT' } });
    const body = (refused as { body: { message_zh: string; details: { findings: Array<{ ruleId: string }> } } }).body;
    expect(body.message_zh).toContain('GB/T 1.1');
    expect(body.details.findings.map((f) => f.ruleId)).toContain('scope-wording');

    // The drafting group writes the 编制说明 of the 征求意见稿; an incomplete form is refused with the parts named.
    const incomplete = await fetch(`${rt.url}/standards/${id}/explanatory-note?kind=draftForComment`, {
      method: 'POST',
      headers: { cookie: drafter.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: drafter.csrfToken(), taskSource: '2026年示范区标准计划' }).toString(),
      redirect: 'manual',
    });
    expect(incomplete.status).toBe(400);
    expect(await incomplete.text()).toContain('principlesAndBasis');
    await drafter.request('POST', `/standards/${id}/explanatory-note?kind=draftForComment`, {
      note: {
        workOverview: { taskSource: '2026年示范区标准计划', process: '2026年3月成立起草组，开展调研。' },
        principlesAndBasis: '科学性、协调性。',
        mainTechnicalContent: [{ topic: '第4章 风险管控值', rationale: '依据三地监测数据确定。' }],
        verification: '开展了试点验证。',
        relationToLawsAndStandards: '与GB 36600—2018协调。',
        majorDivergences: '无。',
        implementationSuggestions: '发布后6个月实施。',
      },
    });

    text.delete(text.length - bad.length, bad.length);
    text.insert(text.length, '土壤污染风险管控值。');
    await rt.collab.flush(docName);
    const accepted = await drafter.request<LifecycleState>('POST', `/api/standards/${id}/actions/submitForComment`, {});
    expect(accepted.stage).toBe('publicComment');
    const note = await waitFor('the 编制说明 DOCX generated at submission', async () => (await listFiles(rt.mongo.db, { standardId: id, kind: 'explanatoryNote' }))[0]);
    const zip = await JSZip.loadAsync((await readFileBytes(rt.mongo.db, note.id)).data);
    expect(await zip.file('word/document.xml')!.async('string')).toContain('依据三地监测数据确定');
  });
});

describe('public comment on a proposal (立项)', () => {
  const proposal = {
    titleZh: '示范区土壤污染风险管控标准',
    titleEn: 'Soil pollution risk control standard for the demonstration zone',
    kind: 'qualityStandard',
    mandatory: false,
    field: '土壤',
    scope: '土壤污染风险管控',
    leadUnits: ['上海市生态环境局'],
    plannedYear: 2027,
  };

  test('is open to the public until the chosen deadline, on the consultation site and on the standard’s page', async () => {
    const shEco = await new ApiSession(rt.url, 'sh-eco').signIn();
    const form = await (await fetch(`${rt.url}/standards/new`, { headers: { cookie: shEco.cookieHeader() } })).text();
    expect(form).toContain('name="proposalCommentDays"');
    expect(form).toContain('立项公开征求意见');
    const before = Date.now();
    const record = await shEco.request<{ _id: string; proposalCommentDeadline?: string }>('POST', '/api/standards', { ...proposal, proposalCommentDays: 10 });
    const deadline = Date.parse(record.proposalCommentDeadline ?? '');
    expect(deadline).toBeGreaterThanOrEqual(before + 10 * 86_400_000);
    expect(deadline).toBeLessThanOrEqual(Date.now() + 10 * 86_400_000);

    expect(await (await fetch(`${rt.url}/consultation`)).text()).toContain(proposal.titleZh);
    const comment = await fetch(`${rt.url}/api/consultation/${record._id}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ submissionKey: `k${randomBytes(8).toString('hex')}`, type: 'general', comment: '建议纳入农用地', name: '赵七', province: 'JS', contact: 'zhaoqi@example.com', showName: false }),
    });
    expect(comment.status).toBe(201);
    const staffPage = await (await fetch(`${rt.url}/standards/${record._id}`, { headers: { cookie: shEco.cookieHeader() } })).text();
    expect(staffPage).toContain(`href="/consultation/${record._id}"`);

    // Without the option the proposal is not published for comment.
    const quiet = await shEco.request<{ _id: string; proposalCommentDeadline?: string }>('POST', '/api/standards', { ...proposal, titleZh: '示范区噪声监测规范' });
    expect(quiet.proposalCommentDeadline).toBeUndefined();
    const closed = await fetch(`${rt.url}/api/consultation/${quiet._id}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ submissionKey: `k${randomBytes(8).toString('hex')}`, type: 'general', comment: '意见', name: '赵七', province: 'JS', contact: 'zhaoqi@example.com', showName: false }),
    });
    expect(closed.status).toBe(409);
  });

  test('refuses a period outside 1–60 days, naming the field, and stores nothing', async () => {
    const shEco = await new ApiSession(rt.url, 'sh-eco').signIn();
    for (const days of [0, 61, 2.5, '10']) {
      const res = await fetch(`${rt.url}/api/standards`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: shEco.cookieHeader(), 'x-csrf-token': shEco.csrfToken() },
        body: JSON.stringify({ ...proposal, titleZh: `无效期限 ${String(days)}`, proposalCommentDays: days }),
      });
      expect(res.status).toBe(400);
      expect(JSON.stringify(await res.json())).toContain('proposalCommentDays');
      expect(await rt.mongo.db.collection('standards').countDocuments({ titleZh: `无效期限 ${String(days)}` })).toBe(0);
    }
  });
});
