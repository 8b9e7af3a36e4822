// Word comments come back as draft threads (issue 15), through the whole product as `npm start` wires it:
// a drafter imports a Word file with comments and confirms; each comment is a thread whose Yjs anchor
// resolves to its own words in the new live draft (the second of two equal passages when the comment was on
// the second), created by the importing user with the Word author kept (「Word 批注：王五」); a comment on
// words the import drops (a heading's typed number) is attached to the first line and says where it was.
// Then the review copy of the draft (threads as Word comments) imported again gives the same threads: texts,
// quotes, replies and their Word authors.
import * as Y from 'yjs';
import { initProseMirrorDoc } from 'y-prosemirror';
import type { Node as PMNode } from 'prosemirror-model';
import { startTestRuntime } from '../../support/test-runtime';
import { startDraftingStandard } from '../../support/drafting-standard';
import { signInBrowser, type BrowserSession as Session } from '../../support/browser-session';
import type { Runtime } from '../../../server/runtime';
import { schema } from '../../../editor/schema';
import { YJS_FRAGMENT } from '../../../editor/ydoc';
import { resolveThreadAnchor, type EncodedThreadAnchor, type YMapping } from '../../../editor/thread-anchors';
import { DRAFT_THREADS, type DraftThreadRecord } from '../../../activities/data/draft-threads';
import { draftDocName } from '../../../workflows/domain';
import { docx, esc, p } from '../../fixtures/import/ooxml';

jest.setTimeout(240_000);

let rt: Runtime;
let standardId: string;

function signIn(username: string): Promise<Session> {
  return signInBrowser(rt.url, username);
}

/** Upload (multipart, as the draft page's form) and confirm as JSON: what the confirmation answered. */
async function importFile(s: Session, data: Buffer): Promise<{ threads: { created: number; placed: number; elsewhere: number } }> {
  const form = new FormData();
  form.append('_csrf', s.csrf);
  form.append('file', new Blob([new Uint8Array(data)], { type: 'application/octet-stream' }), 'draft.docx');
  const up = await fetch(`${rt.url}/standards/${standardId}/import`, { method: 'POST', headers: { cookie: s.cookie, accept: 'application/json' }, body: form });
  expect(up.status).toBe(201);
  const { preview } = (await up.json()) as { preview: string };
  // The preview says what will become of the comments.
  const html = await (await fetch(`${rt.url}${preview}`, { headers: { cookie: s.cookie, accept: 'text/html' } })).text();
  expect(html).toContain('每条批注成为草案中的一条批注');
  const res = await fetch(`${rt.url}${preview}/confirm`, {
    method: 'POST',
    headers: { cookie: s.cookie, accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': s.csrf },
    body: JSON.stringify({}),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { threads: { created: number; placed: number; elsewhere: number } };
}

const W_COMMENT = (id: number, words: string): string =>
  `<w:commentRangeStart w:id="${id}"/><w:r><w:t xml:space="preserve">${esc(words)}</w:t></w:r><w:commentRangeEnd w:id="${id}"/><w:r><w:commentReference w:id="${id}"/></w:r>`;
const run = (t: string): string => `<w:r><w:t xml:space="preserve">${esc(t)}</w:t></w:r>`;

/** A draft with Word's headings; 「具有代表性」 twice, the comment on the second; one comment on a typed number. */
function commentedDraft(): Promise<Buffer> {
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
    p('4.1　布设原则', { style: 'Heading1'.replace('1', '2') }),
    p('河流断面应具有代表性。'),
    `<w:p>${run('湖泊点位也应')}${W_COMMENT(1, '具有代表性')}${run('，并便于采样。')}</w:p>`,
    `<w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr>${W_COMMENT(3, '4.2')}${run('　采样')}</w:p>`,
    `<w:p>${run('采样应在')}${W_COMMENT(2, '河流中泓线处')}${run('进行。')}</w:p>`,
  ].join('');
  return docx({
    body,
    styles,
    comments: [
      { id: 1, author: '王五', text: '请补充湖泊点位的依据。' },
      { id: 2, author: '张三', text: '建议写明采样水深。' },
      { id: 3, author: '李四', text: '条号请核对。' },
    ],
  });
}

async function liveDoc(): Promise<{ ydoc: Y.Doc; type: Y.XmlFragment; doc: PMNode; mapping: YMapping }> {
  const ydoc = await rt.collab.getDoc(draftDocName(standardId));
  const type = ydoc.getXmlFragment(YJS_FRAGMENT);
  const { doc, mapping } = initProseMirrorDoc(type, schema) as { doc: PMNode; mapping: YMapping };
  return { ydoc, type, doc, mapping };
}

function resolve(live: Awaited<ReturnType<typeof liveDoc>>, anchor: EncodedThreadAnchor) {
  return resolveThreadAnchor(live.ydoc, live.type, live.mapping, live.doc, anchor);
}

/** Every position where `words` start in the document's text nodes. */
function positionsOf(doc: PMNode, words: string): number[] {
  const out: number[] = [];
  doc.descendants((n, pos) => {
    if (n.isText) for (let i = (n.text ?? '').indexOf(words); i >= 0; i = (n.text ?? '').indexOf(words, i + 1)) out.push(pos + i);
    return true;
  });
  return out;
}

const threads = () => rt.mongo.db.collection<DraftThreadRecord>(DRAFT_THREADS);

beforeAll(async () => {
  rt = await startTestRuntime('import-word-threads');
  standardId = await startDraftingStandard(rt.url, { titleZh: '示范区 Word 批注导入测试标准', titleEn: 'Word comments import test standard' });
});

afterAll(async () => {
  await rt?.mongo.db.dropDatabase().catch(() => undefined);
  await rt?.stop();
});

test('an imported Word file’s comments become threads on their words; the review copy imported again gives the same threads', async () => {
  const drafter = await signIn('drafter-sh');
  const first = await importFile(drafter, await commentedDraft());
  expect(first.threads).toEqual({ created: 3, placed: 2, elsewhere: 1 });

  const made = await threads().find({ standardId }).sort({ createdAt: 1, _id: 1 }).toArray();
  expect(made).toHaveLength(3);
  const byWord = new Map(made.map((t) => [t.word?.author, t]));
  const drafterId = made[0].author.userId;
  for (const t of made) {
    // The importing user is the creator; the Word author is kept beside.
    expect(t.author.userId).toBe(drafterId);
    expect(t.author.displayName).not.toMatch(/王五|张三|李四/);
  }
  const live = await liveDoc();
  const wang = byWord.get('王五')!;
  expect(wang).toMatchObject({ text: '请补充湖泊点位的依据。', quote: '具有代表性', status: 'open', word: { author: '王五', date: '2025-03-01T00:00:00Z' } });
  const wangAt = resolve(live, wang.anchor);
  // On the second 「具有代表性」 (the lake's), not the river's.
  const occurrences = positionsOf(live.doc, '具有代表性');
  expect(occurrences).toHaveLength(2);
  expect(wangAt).toEqual({ state: 'present', from: occurrences[1], to: occurrences[1] + 5, text: '具有代表性' });

  const zhang = byWord.get('张三')!;
  expect(zhang).toMatchObject({ text: '建议写明采样水深。', quote: '河流中泓线处' });
  expect(resolve(live, zhang.anchor)).toMatchObject({ state: 'present', text: '河流中泓线处' });

  // 「4.2」 is the heading's number, which the import turns into numbering: attached to the first line, saying so.
  const li = byWord.get('李四')!;
  expect(li.quote).toBe('4.2');
  expect(li.text).toMatch(/^〔Word 批注原附于「4\.2」（源文件第 \d+ 段/);
  expect(li.text).toMatch(/附于首行.*\n条号请核对。$/s);
  const liAt = resolve(live, li.anchor);
  expect(liAt.state).toBe('present');
  expect(liAt.state === 'present' && liAt.from).toBe(positionsOf(live.doc, liAt.state === 'present' ? liAt.text : '?')[0]);

  // The API shows whose comment it was.
  const listed = await fetch(`${rt.url}/api/standards/${standardId}/threads`, { headers: { cookie: drafter.cookie, accept: 'application/json' } });
  const items = ((await listed.json()) as { items: Array<{ id: string; author: { displayName: string }; word?: { label: string } }> }).items;
  expect(items.find((t) => t.id === wang._id)).toMatchObject({ author: { displayName: expect.stringContaining('（Word 批注：王五）') }, word: { label: 'Word 批注：王五' } });

  // A reply and a resolved thread, then the review copy round trip.
  const reply = await fetch(`${rt.url}/api/standards/${standardId}/threads/${zhang._id}/replies`, {
    method: 'POST',
    headers: { cookie: drafter.cookie, 'content-type': 'application/json', 'x-csrf-token': drafter.csrf },
    body: JSON.stringify({ text: '已补充：水深大于5 m时分层采样。' }),
  });
  expect(reply.status).toBe(201);
  const resolved = await fetch(`${rt.url}/api/standards/${standardId}/threads/${wang._id}/resolve`, { method: 'POST', headers: { cookie: drafter.cookie, 'x-csrf-token': drafter.csrf } });
  expect(resolved.status).toBe(200);

  const copy = await fetch(`${rt.url}/standards/${standardId}/threads/review-copy`, { headers: { cookie: drafter.cookie } });
  expect(copy.status).toBe(200);
  const data = Buffer.from(await copy.arrayBuffer());
  const before = new Set(made.map((t) => t._id));
  const second = await importFile(drafter, data);
  expect(second.threads).toMatchObject({ created: 3, elsewhere: 0 });

  const again = (await threads().find({ standardId }).sort({ createdAt: 1, _id: 1 }).toArray()).filter((t) => !before.has(t._id));
  const shape = (t: DraftThreadRecord) => ({ text: t.text, quote: t.quote, word: t.word?.author, status: t.status });
  expect(again.map(shape).sort((a, b) => a.text.localeCompare(b.text))).toEqual(
    [
      { ...shape(wang), status: 'resolved' },
      shape(zhang),
      shape(li),
    ].sort((a, b) => a.text.localeCompare(b.text)),
  );
  const live2 = await liveDoc();
  for (const t of again) {
    const at = resolve(live2, t.anchor);
    expect(at.state).toBe('present');
    if (t.word?.author !== '李四') expect(at.state === 'present' && at.text).toBe(t.quote);
  }
  // The reply came back with its author kept as text.
  const zhang2 = again.find((t) => t.word?.author === '张三')!;
  const replies = await fetch(`${rt.url}/api/standards/${standardId}/threads/${zhang2._id}/replies`, { headers: { cookie: drafter.cookie, accept: 'application/json' } });
  const replyItems = ((await replies.json()) as { items: Array<{ text: string; word?: { author: string } }> }).items;
  expect(replyItems).toHaveLength(1);
  expect(replyItems[0].text).toBe('已补充：水深大于5 m时分层采样。');
  expect(replyItems[0].word?.author).toBeTruthy();
});
