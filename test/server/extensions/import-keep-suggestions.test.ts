// 保留为修订建议 through the whole product as `npm start` wires it (issue 15): a drafter imports a Word file
// with tracked changes; the preview offers the third choice; confirming with changes=keep puts each change in
// the live draft as a suggestion by its Word author, proposed by the drafter. Then the review copy of that
// draft (GET …/threads/review-copy) carries them as Word tracked changes, and importing it again the same
// way gives back the same suggestions (kind, author, text) and the Word comment as a thread.
import JSZip from 'jszip';
import { startTestRuntime } from '../../support/test-runtime';
import { startDraftingStandard } from '../../support/drafting-standard';
import { signInBrowser, type BrowserSession as Session } from '../../support/browser-session';
import type { Runtime } from '../../../server/runtime';
import { schema } from '../../../editor/schema';
import { listSuggestions } from '../../../editor/suggestions';
import { yDocToJSON } from '../../../editor/ydoc';
import { DRAFT_THREADS, type DraftThreadRecord } from '../../../activities/data/draft-threads';
import { usersCollection } from '../../../activities/data/users';
import { draftDocName } from '../../../workflows/domain';
import { docx, esc, p } from '../../fixtures/import/ooxml';

jest.setTimeout(240_000);

let rt: Runtime;
let standardId: string;

const T1 = '2026-11-30T09:00:00Z';
const T2 = '2026-11-30T10:00:00Z';
const r = (t: string): string => `<w:r><w:t xml:space="preserve">${esc(t)}</w:t></w:r>`;

function trackedDraft(): Promise<Buffer> {
  const styles = [1, 2].map((n) => ({ id: `Heading${n}`, name: `heading ${n}` }));
  const body = [
    p('前言', { style: 'Heading1' }),
    p('本文件按照GB/T 1.1—2020的规定起草。'),
    p('1　范围', { style: 'Heading1' }),
    p('本文件规定了示范区跨界河流水质监测的技术要求。'),
    p('2　规范性引用文件', { style: 'Heading1' }),
    p('本文件没有规范性引用文件。'),
    p('3　术语和定义', { style: 'Heading1' }),
    p('本文件没有需要界定的术语和定义。'),
    p('4　监测要求', { style: 'Heading1' }),
    p('4.1　采样', { style: 'Heading2' }),
    `<w:p>${r('采样应在')}<w:ins w:id="1" w:author="张三" w:date="${T1}">${r('河流')}</w:ins>${r('中泓线处进行')}<w:del w:id="2" w:author="李四" w:date="${T2}"><w:r><w:delText xml:space="preserve">，每月一次</w:delText></w:r></w:del>${r('。')}</w:p>`,
    `<w:p><w:commentRangeStart w:id="7"/>${r('样品应冷藏保存。')}<w:commentRangeEnd w:id="7"/><w:r><w:commentReference w:id="7"/></w:r></w:p>`,
  ].join('');
  return docx({ body, styles, comments: [{ id: 7, author: '王五', text: '温度请写明。' }] });
}

/** Upload, check the preview offers keeping the changes, confirm with changes=keep. */
async function importKeeping(s: Session, data: Buffer): Promise<void> {
  const form = new FormData();
  form.append('_csrf', s.csrf);
  form.append('file', new Blob([new Uint8Array(data)], { type: 'application/octet-stream' }), 'draft.docx');
  const up = await fetch(`${rt.url}/standards/${standardId}/import`, { method: 'POST', headers: { cookie: s.cookie, accept: 'application/json' }, body: form });
  expect(up.status).toBe(201);
  const { preview } = (await up.json()) as { preview: string };
  const html = await (await fetch(`${rt.url}${preview}`, { headers: { cookie: s.cookie, accept: 'text/html' } })).text();
  expect(html).toContain('value="keep"');
  expect(html).toContain('保留为修订建议');
  const res = await fetch(`${rt.url}${preview}/confirm`, {
    method: 'POST',
    headers: { cookie: s.cookie, accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': s.csrf },
    body: JSON.stringify({ changes: 'keep' }),
  });
  expect(res.status).toBe(200);
}

async function liveSuggestions() {
  const ydoc = await rt.collab.getDoc(draftDocName(standardId));
  const doc = schema.nodeFromJSON(yDocToJSON(ydoc));
  return listSuggestions(doc).map((s) => ({ kind: s.kind, name: s.name, by: s.by, province: s.province, at: s.at, text: s.text }));
}

beforeAll(async () => {
  rt = await startTestRuntime('import-keep-suggestions');
  standardId = await startDraftingStandard(rt.url, { titleZh: '示范区修订建议导入测试标准', titleEn: 'Suggestions import test standard' });
});

afterAll(async () => {
  await rt?.mongo.db.dropDatabase().catch(() => undefined);
  await rt?.stop();
});

test('Word changes kept as suggestions; the review copy carries them and imports back to the same suggestions and thread', async () => {
  const drafter = await signInBrowser(rt.url, 'drafter-sh');
  const drafterId = (await usersCollection(rt.mongo.db).findOne({ username: 'drafter-sh' }))!._id;
  await importKeeping(drafter, await trackedDraft());
  const expected = [
    { kind: 'insert', name: '张三', by: drafterId, province: '', at: T1, text: '河流' },
    { kind: 'delete', name: '李四', by: drafterId, province: '', at: T2, text: '，每月一次' },
  ];
  expect(await liveSuggestions()).toEqual(expected);

  const copy = await fetch(`${rt.url}/standards/${standardId}/threads/review-copy`, { headers: { cookie: drafter.cookie } });
  expect(copy.status).toBe(200);
  const data = Buffer.from(await copy.arrayBuffer());
  const xml = await (await JSZip.loadAsync(data)).file('word/document.xml')!.async('string');
  expect(xml).toMatch(/<w:ins w:id="\d+" w:author="张三" w:date="2026-11-30T09:00:00Z"><w:r>(?:(?!<\/w:ins>)[\s\S])*>河流<\/w:t>/);
  expect(xml).toMatch(/<w:del w:id="\d+" w:author="李四" w:date="2026-11-30T10:00:00Z"><w:r>(?:(?!<\/w:del>)[\s\S])*<w:delText[^>]*>，每月一次<\/w:delText>/);

  await importKeeping(drafter, data);
  expect(await liveSuggestions()).toEqual(expected);
  const threads = await rt.mongo.db.collection<DraftThreadRecord>(DRAFT_THREADS).find({ standardId }).toArray();
  // The thread from the first import, and the same one again from the review copy.
  expect(threads.map((t) => ({ quote: t.quote, word: t.word?.author }))).toEqual([
    { quote: '样品应冷藏保存。', word: '王五' },
    { quote: '样品应冷藏保存。', word: expect.any(String) },
  ]);
  expect(threads[1].text).toContain('温度请写明。');
});
