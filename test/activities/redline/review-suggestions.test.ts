// The review copy with the draft's suggested changes as Word's own tracked changes (issue 15): inserted and
// deleted text are w:ins / w:del by the proposer's name at the suggestion's time; a clause inserted whole and
// a paragraph deleted whole have their paragraph marks tracked too, a table row inserted whole its w:trPr, a
// formula inserted whole has what the renderer adds (「式中：」, brackets, 「——」) by its proposer too; a
// suggestion in the 前言 (printed as plain text) is not shown as a change but listed in a comment, and the 前言
// prints the agreed text. The file is schema-valid, LibreOffice lists the changes with their authors, and
// importing it again keeping the changes gives back the same suggestions (kind, author, text) and the thread.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import * as Y from 'yjs';
import { initProseMirrorDoc } from 'y-prosemirror';
import type { Node as PMNode } from 'prosemirror-model';
import { richStandardRecord } from '../../../activities/docx/fixtures/rich-standard';
import { reviewCopyWithComments, type ReviewThread } from '../../../activities/redline/review-comments';
import { generateReviewCopyDocx } from '../../../activities/redline/review-suggestions';
import { importWordFile } from '../../../activities/import';
import { chapter, clause, docJSON, foreword, formula, h, normativeReferences, p, scope, table, termsAndDefinitions, type Built } from '../../../editor/builders';
import { schema, type SuggestionAuthor } from '../../../editor/schema';
import { listSuggestions } from '../../../editor/suggestions';
import { YJS_FRAGMENT, jsonToYDoc } from '../../../editor/ydoc';
import { encodeThreadAnchor, type EncodedThreadAnchor, type YMapping } from '../../../editor/thread-anchors';
import { itIsSchemaValidAndOpensInLibreOffice } from './docx-checks';

jest.setTimeout(300_000);
const run = promisify(execFile);

const who = (sid: string, name: string, province: string, at: string): SuggestionAuthor => ({ sid, by: `u-${sid}`, name, province, at });
const ZHANG = who('s1', '张三', 'JS', '2026-11-30T09:00:00Z');
const LI = who('s2', '李四', 'ZJ', '2026-11-30T10:00:00Z');
const WANG = who('s3', '王五', 'SH', '2026-11-30T11:00:00Z');
const ZHANG2 = who('s4', '张三', 'JS', '2026-11-30T12:00:00Z');
const ZHAO = who('s5', '赵六', 'SH', '2026-11-30T13:00:00Z');
const ZHAO2 = who('s6', '赵六', 'SH', '2026-11-30T14:00:00Z');
const SUN = who('s7', '孙七', 'ZJ', '2026-11-30T15:00:00Z');
const ins = (text: string, a: SuggestionAuthor): Built => ({ type: 'text', text, marks: [{ type: 'suggestInsert', attrs: { ...a } }] });
const del = (text: string, a: SuggestionAuthor): Built => ({ type: 'text', text, marks: [{ type: 'suggestDelete', attrs: { ...a } }] });

function body() {
  const limits = table('水质指标限值', [['项目', '限值'], ['总磷', '0.2'], ['氨氮', '1.0']]);
  const rows = limits.content?.[1].content ?? [];
  rows[2].attrs = { suggestion: { kind: 'insert', ...ZHAO2 } };
  const f = formula('ρ = m / V', ['ρ', '密度'], ['m', '质量']);
  f.attrs = { suggestion: { kind: 'insert', ...SUN } };
  return docJSON(
    foreword(p('本文件按照', ins('GB/T 1.1—2020', ZHAO), '的规定起草。')),
    scope(p('本文件规定了示范区地表水环境质量监测要求。')),
    normativeReferences(),
    termsAndDefinitions(p('本文件没有需要界定的术语和定义。')),
    chapter(
      h('采样'),
      clause(h('采样方法'), p('采样应在', ins('河流', ZHANG), '中泓线处进行', del('，水深大于5 m时分层采样', LI), '。')),
      clause({ suggestion: { kind: 'insert', ...WANG } }, h('样品运输'), p('样品应避光运输。')),
      clause(h('样品保存'), p('样品应在4 ℃下冷藏保存。'), p({ suggestion: { kind: 'delete', ...ZHANG2 } }, '保存时间不超过24 h。'), limits),
      clause(h('计算'), p('密度按公式计算：'), f),
    ),
  );
}

function anchorOn(ydoc: Y.Doc, words: string): EncodedThreadAnchor {
  const type = ydoc.getXmlFragment(YJS_FRAGMENT);
  const { doc, mapping } = initProseMirrorDoc(type, schema) as { doc: PMNode; mapping: YMapping };
  let from = -1;
  doc.descendants((n, pos) => {
    if (from < 0 && n.isText && n.text?.includes(words)) from = pos + n.text.indexOf(words);
    return from < 0;
  });
  return encodeThreadAnchor(type, mapping, from, from + words.length);
}

interface Change {
  kind: string;
  author: string;
  date: string;
  text: string;
}

let docx: Buffer;
let documentXml: string;
let commentsXml: string;
let dir: string;
let original: PMNode;
let suggestionsElsewhere: number;

beforeAll(async () => {
  const json = body();
  original = schema.nodeFromJSON(json);
  const ydoc = jsonToYDoc(json);
  const threads: ReviewThread[] = [{ anchor: anchorOn(ydoc, '冷藏保存'), quote: '冷藏保存', text: '温度是否合适？', author: '江苏省生态环境厅', createdAt: new Date('2026-12-01T08:00:00Z'), status: 'open', replies: [] }];
  const copy = reviewCopyWithComments(Y.encodeStateAsUpdate(ydoc), threads);
  suggestionsElsewhere = copy.suggestionsElsewhere;
  docx = await generateReviewCopyDocx({ record: richStandardRecord(), body: copy.body, edition: 'joint', comments: copy.comments });
  const zip = await JSZip.loadAsync(docx);
  documentXml = await zip.file('word/document.xml')!.async('string');
  commentsXml = (await zip.file('word/comments.xml')?.async('string')) ?? '';
  dir = await mkdtemp(path.join(tmpdir(), 'review-suggestions-'));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Every run-level w:ins / w:del with its author, date and text. */
function changes(xml: string): Change[] {
  const out: Change[] = [];
  for (const m of xml.matchAll(/<w:(ins|del) w:id="\d+" w:author="([^"]*)" w:date="([^"]*)">([\s\S]*?)<\/w:\1>/g)) {
    out.push({ kind: m[1], author: m[2], date: m[3], text: [...m[4].matchAll(/<w:(?:t|delText)(?: [^>]*)?>([^<]*)<\/w:(?:t|delText)>/g)].map((x) => x[1]).join('') });
  }
  return out;
}

/** Authors of tracked paragraph marks (w:pPr/w:rPr/w:ins|w:del) and rows (w:trPr/w:ins|w:del). */
function tracked(xml: string, holder: 'w:rPr' | 'w:trPr'): string[] {
  return [...xml.matchAll(new RegExp(`<${holder}>(?:(?!</${holder}>)[\\s\\S])*?<w:(ins|del) w:id="\\d+" w:author="([^"]*)"`, 'g'))].map((m) => `${m[1]} ${m[2]}`);
}

describe('review copy with suggestions as Word tracked changes', () => {
  it('writes inserted and deleted text as w:ins / w:del by the proposer at the suggestion’s time', () => {
    const all = changes(documentXml);
    expect(all).toEqual(
      expect.arrayContaining([
        { kind: 'ins', author: '张三', date: '2026-11-30T09:00:00Z', text: '河流' },
        { kind: 'del', author: '李四', date: '2026-11-30T10:00:00Z', text: '，水深大于5 m时分层采样' },
        { kind: 'ins', author: '王五', date: '2026-11-30T11:00:00Z', text: '样品运输' },
        { kind: 'ins', author: '王五', date: '2026-11-30T11:00:00Z', text: '样品应避光运输。' },
        { kind: 'del', author: '张三', date: '2026-11-30T12:00:00Z', text: '保存时间不超过24 h。' },
        { kind: 'ins', author: '赵六', date: '2026-11-30T14:00:00Z', text: '氨氮' },
      ]),
    );
    // Only whole blocks have their paragraph marks tracked: the clause's heading and paragraph, the deleted
    // paragraph, the formula's 「式中：」 and symbol lines (and its formula line where body.ts tracks it).
    const marks = tracked(documentXml, 'w:rPr');
    expect(marks.filter((m) => m !== 'ins 孙七').sort()).toEqual(['del 张三', 'ins 王五', 'ins 王五']);
    expect(marks.filter((m) => m === 'ins 孙七').length).toBeGreaterThanOrEqual(3);
    // What the renderer adds to a formula proposed whole (「式中：」, the number's brackets) is the proposer's too.
    const sun = all.filter((c) => c.author === '孙七').map((c) => c.text);
    expect(sun).toEqual(expect.arrayContaining(['式中：', ')', '——', '密度']));
    expect(tracked(documentXml, 'w:trPr')).toEqual(['ins 赵六']);
  });

  it('prints the 前言’s agreed text and lists its suggestion in a comment; the thread is there too', () => {
    expect(suggestionsElsewhere).toBe(1);
    expect(documentXml).not.toContain('按照GB/T 1.1—2020的规定');
    expect(commentsXml).toContain('修订建议未能显示为 Word 修订');
    expect(commentsXml).toContain('赵六：建议插入 / insert「GB/T 1.1—2020」（前言 / foreword）');
    expect(commentsXml).toContain('温度是否合适？');
  });

  itIsSchemaValidAndOpensInLibreOffice('review-suggestions.docx', () => ({ docx, dir }));

  it('LibreOffice lists the tracked changes with their authors', async () => {
    const file = path.join(dir, 'copy.docx');
    await writeFile(file, docx);
    await run('soffice', [`-env:UserInstallation=file://${path.join(dir, 'profile')}`, '--headless', '--convert-to', 'fodt', '--outdir', dir, file], { timeout: 120_000 });
    const fodt = await readFile(path.join(dir, 'copy.fodt'), 'utf8');
    const region = /<text:tracked-changes[^>]*>([\s\S]*?)<\/text:tracked-changes>/.exec(fodt)?.[1] ?? '';
    const listed = [...region.matchAll(/<text:changed-region[\s\S]*?<text:(insertion|deletion)>[\s\S]*?<dc:creator>([^<]*)<\/dc:creator>/g)].map((m) => `${m[1]} ${m[2]}`);
    for (const c of ['insertion 张三', 'deletion 李四', 'insertion 王五', 'deletion 张三', 'insertion 赵六']) expect(listed).toContain(c);
  });

  it('imported again keeping the changes, gives back the same suggestions and the thread', async () => {
    const again = await importWordFile(docx, { changes: 'keep', suggestionsBy: 'u-importer', allowNonStandard: true });
    const summary = (doc: PMNode) => listSuggestions(doc).map((s) => ({ kind: s.kind, name: s.name, at: s.at, text: s.text }));
    // The 前言's suggestion was listed in a comment, not as a change: all the others come back.
    const expected = summary(original).filter((s) => s.name !== '赵六' || s.text !== 'GB/T 1.1—2020');
    expect(summary(schema.nodeFromJSON(again.doc))).toEqual(expected);
    expect(again.report.comments).toEqual(expect.arrayContaining([expect.objectContaining({ author: '江苏省生态环境厅', anchor: '冷藏保存', text: expect.stringContaining('温度是否合适？') })]));
  });
});
