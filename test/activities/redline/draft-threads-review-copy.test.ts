// The review copy of the live draft with its comment threads as Word comments: each thread's range in
// document.xml (w:commentRangeStart … w:commentRangeEnd + w:commentReference) covers exactly its words, its
// text and replies are in comments.xml, a thread on deleted text or in the 前言 is attached to the first line
// saying so, and the file is schema-valid and opens in LibreOffice.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import * as Y from 'yjs';
import { initProseMirrorDoc, updateYFragment } from 'y-prosemirror';
import type { Node as PMNode } from 'prosemirror-model';
import { richStandardRecord } from '../../../activities/docx/fixtures/rich-standard';
import { generateStandardDocx } from '../../../activities/docx/generate';
import { reviewCopyWithComments, type ReviewThread } from '../../../activities/redline/review-comments';
import { chapter, clause, docJSON, foreword, h, normativeReferences, p, scope, termsAndDefinitions } from '../../../editor/builders';
import { schema } from '../../../editor/schema';
import { YJS_FRAGMENT, jsonToYDoc, yDocToJSON } from '../../../editor/ydoc';
import { encodeThreadAnchor, type EncodedThreadAnchor, type YMapping } from '../../../editor/thread-anchors';
import { itIsSchemaValidAndOpensInLibreOffice } from './docx-checks';

jest.setTimeout(300_000);

const body = docJSON(
  foreword(p('本文件按照GB/T 1.1—2020的规定起草。')),
  scope(p('本文件规定了示范区地表水环境质量监测要求。')),
  normativeReferences(),
  termsAndDefinitions(p('本文件没有需要界定的术语和定义。')),
  chapter(h('采样'), clause(h('采样方法'), p('采样应在河流中泓线处进行，水深大于5 m时分层采样。')), clause(h('样品保存'), p('样品应在4 ℃下冷藏保存。'))),
);

function anchorOn(ydoc: Y.Doc, words: string): EncodedThreadAnchor {
  const type = ydoc.getXmlFragment(YJS_FRAGMENT);
  const { doc, mapping } = initProseMirrorDoc(type, schema) as { doc: PMNode; mapping: YMapping };
  let from = -1;
  doc.descendants((n, pos) => {
    if (from < 0 && n.isText && n.text?.includes(words)) from = pos + n.text.indexOf(words);
    return from < 0;
  });
  if (from < 0) throw new Error(`no ${words}`);
  return encodeThreadAnchor(type, mapping, from, from + words.length);
}

const at = new Date('2026-12-01T08:00:00.000Z');
let docx: Buffer;
let documentXml: string;
let commentsXml: string;
let placed: number;
let elsewhere: number;
let dir: string;

beforeAll(async () => {
  const ydoc = jsonToYDoc(body);
  const threads: ReviewThread[] = [
    { anchor: anchorOn(ydoc, '中泓线处'), quote: '中泓线处', text: '中泓线如何确定？', author: '江苏省市场监督管理局', createdAt: at, status: 'open', replies: [{ author: '上海市起草组成员', text: '按水文资料确定。', createdAt: at }] },
    // Spans the end of one clause and the start of the next (two paragraphs).
    { anchor: anchorOn(ydoc, '分层采样。'), quote: '分层采样。', text: '分层的深度？', author: '技术审查专家', createdAt: at, status: 'resolved', replies: [] },
    { anchor: anchorOn(ydoc, '冷藏保存'), quote: '冷藏保存', text: '此处将被删除', author: '浙江省生态环境厅', createdAt: at, status: 'open', replies: [] },
    { anchor: anchorOn(ydoc, '按照GB/T 1.1'), quote: '按照GB/T 1.1', text: '前言里的批注', author: '示范区执委会', createdAt: at, status: 'open', replies: [] },
  ];
  // After the threads were opened, another client deletes the words of the third.
  const type = ydoc.getXmlFragment(YJS_FRAGMENT);
  const { meta } = initProseMirrorDoc(type, schema);
  const next = JSON.parse(JSON.stringify(yDocToJSON(ydoc)).replace('应在4 ℃下冷藏保存。', '应在4 ℃下。'));
  ydoc.transact(() => updateYFragment(ydoc, type, schema.nodeFromJSON(next), meta));

  const copy = reviewCopyWithComments(Y.encodeStateAsUpdate(ydoc), threads);
  ({ placed, elsewhere } = copy);
  docx = await generateStandardDocx({ record: richStandardRecord(), body: copy.body, edition: 'joint', comments: copy.comments });
  const zip = await JSZip.loadAsync(docx);
  documentXml = await zip.file('word/document.xml')!.async('string');
  commentsXml = (await zip.file('word/comments.xml')?.async('string')) ?? '';
  dir = await mkdtemp(path.join(tmpdir(), 'review-copy-'));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The visible text between a comment's range start and end in document.xml. */
function rangeText(id: number): string {
  const m = new RegExp(`<w:commentRangeStart w:id="${id}"/>([\\s\\S]*?)<w:commentRangeEnd w:id="${id}"/>`).exec(documentXml);
  if (!m) return '(no range)';
  return [...m[1].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((x) => x[1]).join('');
}

describe('review copy with the threads as Word comments', () => {
  it('places each thread on its own words, and reports the others', () => {
    expect({ placed, elsewhere }).toEqual({ placed: 2, elsewhere: 2 });
    expect(rangeText(0)).toBe('中泓线处');
    expect(rangeText(1)).toBe('分层采样。');
    for (const id of [0, 1, 2, 3]) {
      expect(documentXml).toContain(`<w:commentRangeStart w:id="${id}"/>`);
      expect(documentXml).toContain(`<w:commentRangeEnd w:id="${id}"/>`);
      expect(documentXml).toMatch(new RegExp(`<w:commentReference w:id="${id}"/>`));
    }
  });

  it('writes the text, the replies, the state and where a thread belonged in comments.xml', () => {
    for (const s of ['中泓线如何确定？', '上海市起草组成员：按水文资料确定。', '〔已解决 Resolved〕「分层采样。」', '此处将被删除', '原文已删除', '前言里的批注', '原文在前言']) expect(commentsXml).toContain(s);
    expect(commentsXml).toMatch(/<w:comment [^>]*w:author="江苏省市场监督管理局"/);
  });

  itIsSchemaValidAndOpensInLibreOffice('review-copy.docx', () => ({ docx, dir }));
});
