// Issue 12 item 9 (polish) on the staff pages: the versions page newest first with styled buttons, the
// compare page numbering a clause once, English error pages with English punctuation, the 编制说明 form
// saved with a confirmation (its text kept) and its headings in English.
import { randomBytes } from 'node:crypto';
import { Binary } from 'mongodb';
import * as Y from 'yjs';
import type { AppHarness } from './app-harness';
import { sampleNoteForm as noteForm, startStaffPages, type StaffPages } from './staff-pages-harness';
import { actors } from '../../workflows/support';
import { createVersionStore } from '../../../activities/versions/store';
import { docNameForStandard } from '../../../activities/versions';
import { chapter, clause, docJSON, foreword, h as heading, normativeReferences, p, scope, termsAndDefinitions } from '../../../editor/builders';
import { jsonToYDoc } from '../../../editor/ydoc';
import { computeNumbering } from '../../../editor/numbering';
import type { DocJSON } from '../../../editor/types';

let h: AppHarness;
let s: StaffPages['s'];
let propose: StaffPages['propose'];
let toDrafting: StaffPages['toDrafting'];

beforeAll(async () => {
  ({ h, s, propose, toDrafting } = await startStaffPages('issue12polish'));
}, 60_000);

afterAll(async () => {
  await h?.close();
});

const front = () => [foreword(p('本文件按照GB/T 1.1—2020的规定起草。')), scope(p('本文件规定了排放限值。')), normativeReferences(), termsAndDefinitions(p('下列术语和定义适用于本文件。'))];
const v1Doc = docJSON(...front(), chapter({ id: 'ch4' }, heading('要求'), clause({ id: 'c41' }, heading('一般要求'), p('应当达标排放。'))));
const v2Doc = docJSON(...front(), chapter({ id: 'ch4' }, heading('要求'), clause({ id: 'c41' }, heading('一般要求'), p('应当稳定达标排放。'))));

async function storeVersion(standardId: string, name: string, doc: DocJSON): Promise<string> {
  const update = Y.encodeStateAsUpdate(jsonToYDoc(doc));
  const { row } = await createVersionStore(h.db).insert({
    _id: randomBytes(12).toString('hex'),
    standardId,
    docName: docNameForStandard(standardId),
    kind: 'workingDraft',
    name,
    createdBy: { userId: actors.drafter.userId, displayName: actors.drafter.displayName },
    createdAt: new Date(),
    state: new Binary(update),
    stateBytes: update.byteLength,
    stateSha256: 'test',
    json: JSON.stringify(doc),
    jsonError: null,
    numbering: JSON.stringify(computeNumbering(doc)),
  });
  return row._id;
}

describe('versions and compare pages (item 9)', () => {
  it('lists versions newest first, as the caption says, with styled buttons', async () => {
    const id = await propose();
    await toDrafting(id);
    for (const name of ['第一稿', '第二稿', '第三稿']) await storeVersion(id, name, v1Doc);
    const page = await s['sh-eco'].agent.get(`/standards/${id}/versions?lang=zh`).expect(200);
    expect(page.text).toContain('最新在前');
    const first = page.text.indexOf('第一稿');
    const third = page.text.indexOf('第三稿');
    expect(third).toBeGreaterThan(0);
    expect(third).toBeLessThan(first);
    const main = page.text.slice(page.text.indexOf('<main'));
    expect(main).toMatch(/class="button button--secondary button--small">恢复此版本/);
    expect(main).not.toMatch(/<button type="submit"(?![^>]*class="(link-)?button)/);
  });

  it('numbers a clause once on the compare page (its label, not a list number)', async () => {
    const id = await propose();
    await toDrafting(id);
    const a = await storeVersion(id, '甲稿', v1Doc);
    const b = await storeVersion(id, '乙稿', v2Doc);
    const page = await s['sh-eco'].agent.get(`/standards/${id}/versions/compare?from=${a}&to=${b}&lang=zh`).expect(200);
    expect(page.text).toContain('4.1 一般要求');
    expect(page.text).not.toMatch(/<ol class="compare-list">/);
    expect(page.text).toMatch(/<ul class="compare-list">/);
  });
});

describe('English error pages (item 9)', () => {
  it('uses English punctuation on an English error page', async () => {
    const res = await s['sh-eco'].agent.get('/no-such-page?lang=en').set('Accept', 'text/html').expect(404);
    expect(res.text).toContain('<h1>Not found (404)</h1>');
    expect(res.text).toMatch(/Error code <span lang="zh-CN">错误代码<\/span>: <code>/);
    expect(res.text).not.toMatch(/<h1>[^<]*（/);
  });
});

describe('the 编制说明 form (item 9)', () => {
  it('confirms a save and shows the text saved', async () => {
    const id = await propose();
    const res = await s['sh-eco'].agent
      .post(`/standards/${id}/explanatory-note?kind=draftForComment&lang=zh`)
      .type('form')
      .send({ ...noteForm, _csrf: s['sh-eco'].csrf });
    expect(res.status).toBe(303);
    const page = await s['sh-eco'].agent.get(`${res.headers.location as string}&lang=zh`).expect(200);
    expect(page.text).toContain('已保存编制说明（征求意见稿）');
    expect(page.text).toContain('组建起草组，开展调研，形成征求意见稿。');
    expect(page.text).toContain('依据现状监测数据确定。');
  });

  it('has English headings in English', async () => {
    const id = await propose();
    const page = await s['sh-eco'].agent.get(`/standards/${id}/explanatory-note?kind=draftForComment&lang=en`).expect(200);
    expect(page.text).toContain('<h2>1 Overview of the work</h2>');
    expect(page.text).not.toContain('<h2>一、工作简况</h2>');
    expect(page.text).toContain('Explanatory note (Draft for comment)');
    const zh = await s['sh-eco'].agent.get(`/standards/${id}/explanatory-note?kind=draftForComment&lang=zh`).expect(200);
    expect(zh.text).toContain('<h2>一、工作简况</h2>');
  });
});

describe('styles the pages rely on (items 2, 9)', () => {
  it('styles the unread badge, the unread notices, the small buttons and the warning', async () => {
    const css = (await s['sh-eco'].agent.get('/static/style.css').expect(200)).text;
    for (const rule of ['.badge {', '.notice--unread {', '.button--small {', '.compare-list {', '.flash--warning {']) expect(css).toContain(rule);
  });
});
