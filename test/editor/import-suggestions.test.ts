// Word tracked changes kept as suggested changes (import mode 'keep', 保留为修订建议): inserted and deleted
// text becomes suggestInsert / suggestDelete marks with the Word author as the name and the importing user as
// `by`; a paragraph inserted whole (its mark tracked) and a table row inserted whole become block
// suggestions; one author's changes at one time are one suggestion; accepting all gives the accept-all
// import, rejecting all the reject-all import; formatting changes and paragraph joins, which cannot be kept,
// are reported.
import { importWordFile } from '../../activities/import';
import { schema } from '../../editor/schema';
import { listSuggestions, withSuggestionsAccepted, withSuggestionsRejected } from '../../editor/suggestions';
import { docx, esc, p } from '../fixtures/import/ooxml';

let counter = 0;
const makeId = (): string => `k${(++counter).toString(36).padStart(11, '0')}`;

const T1 = '2026-11-30T09:00:00Z';
const T2 = '2026-11-30T10:00:00Z';
const r = (t: string): string => `<w:r><w:t xml:space="preserve">${esc(t)}</w:t></w:r>`;
const ins = (id: number, author: string, date: string, t: string): string => `<w:ins w:id="${id}" w:author="${author}" w:date="${date}">${r(t)}</w:ins>`;
const del = (id: number, author: string, date: string, t: string): string =>
  `<w:del w:id="${id}" w:author="${author}" w:date="${date}"><w:r><w:delText xml:space="preserve">${esc(t)}</w:delText></w:r></w:del>`;
const styles = [1, 2].map((n) => ({ id: `Heading${n}`, name: `heading ${n}` }));

function trackedDraft(): Promise<Buffer> {
  const cell = (t: string, tracked: boolean): string => `<w:tc><w:p>${tracked ? ins(41, '王五', T2, t) : r(t)}</w:p></w:tc>`;
  // A table row inserted whole: w:trPr/w:ins, its text inserted too (as Word writes it).
  const table = `<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid><w:gridCol w:w="2000"/><w:gridCol w:w="2000"/></w:tblGrid><w:tr><w:trPr><w:tblHeader/></w:trPr>${cell('项目', false)}${cell('限值', false)}</w:tr><w:tr>${cell('总磷', false)}${cell('0.2', false)}</w:tr><w:tr><w:trPr><w:ins w:id="40" w:author="王五" w:date="${T2}"/></w:trPr>${cell('氨氮', true)}${cell('1.0', true)}</w:tr></w:tbl>`;
  const body = [
    p('前言', { style: 'Heading1' }),
    p('本文件按照GB/T 1.1—2020的规定起草。'),
    p('1　范围', { style: 'Heading1' }),
    `<w:p>${r('本文件规定了')}${ins(1, '张三', T1, '跨界')}${r('河流的监测要求')}${del(2, '李四', T2, '和评价方法')}${r('。')}</w:p>`,
    p('2　规范性引用文件', { style: 'Heading1' }),
    p('本文件没有规范性引用文件。'),
    p('3　术语和定义', { style: 'Heading1' }),
    p('本文件没有需要界定的术语和定义。'),
    p('4　监测要求', { style: 'Heading1' }),
    p('4.1　布设', { style: 'Heading2' }),
    p('河流断面应具有代表性。'),
    // A paragraph inserted whole: its mark is tracked too.
    `<w:p><w:pPr><w:rPr><w:ins w:id="30" w:author="王五" w:date="${T2}"/></w:rPr></w:pPr>${ins(31, '王五', T2, '湖泊点位应避开排污口。')}</w:p>`,
    // Two pieces of one suggestion (same author and time).
    `<w:p>${r('采样应在')}${ins(5, '张三', T1, '河流')}${r('中泓线处进行')}${ins(6, '张三', T1, '，并记录水深')}${r('。')}</w:p>`,
    p('表1　限值'),
    table,
  ].join('');
  return docx({ body, styles });
}

const texts = (json: unknown): string => JSON.stringify(json);

describe('Word import keeping tracked changes as suggestions', () => {
  let kept: Awaited<ReturnType<typeof importWordFile>>;
  let accepted: Awaited<ReturnType<typeof importWordFile>>;
  let rejected: Awaited<ReturnType<typeof importWordFile>>;

  beforeAll(async () => {
    const data = await trackedDraft();
    kept = await importWordFile(data, { changes: 'keep', suggestionsBy: 'user-drafter', makeId, allowNonStandard: true });
    accepted = await importWordFile(data, { changes: 'accept', makeId, allowNonStandard: true });
    rejected = await importWordFile(data, { changes: 'reject', makeId, allowNonStandard: true });
  });

  it('lists each change as a suggestion by its Word author, proposed by the importing user', () => {
    const doc = schema.nodeFromJSON(kept.doc);
    doc.check();
    const list = listSuggestions(doc).map((s) => ({ kind: s.kind, name: s.name, by: s.by, province: s.province, at: s.at, text: s.text }));
    expect(list).toEqual([
      { kind: 'insert', name: '张三', by: 'user-drafter', province: '', at: T1, text: '跨界河流，并记录水深' },
      { kind: 'delete', name: '李四', by: 'user-drafter', province: '', at: T2, text: '和评价方法' },
      { kind: 'insert', name: '王五', by: 'user-drafter', province: '', at: T2, text: expect.stringContaining('湖泊点位应避开排污口。') },
    ]);
    expect(kept.report.trackedChanges.applied).toBe('kept');
    expect(kept.report.trackedChanges.suggestions).toMatchObject({ kept: 3, notKept: 0 });
  });

  it('makes a paragraph and a table row inserted whole block suggestions (no marks on their text)', () => {
    const doc = schema.nodeFromJSON(kept.doc);
    const blocks: Array<{ type: string; kind: string; name: string; text: string }> = [];
    doc.descendants((n) => {
      const s = n.attrs.suggestion as { kind: string; name: string } | null | undefined;
      if (s) blocks.push({ type: n.type.name, kind: s.kind, name: s.name, text: n.textContent });
      return true;
    });
    expect(blocks).toEqual([
      { type: 'paragraph', kind: 'insert', name: '王五', text: '湖泊点位应避开排污口。' },
      { type: 'tableRow', kind: 'insert', name: '王五', text: '氨氮1.0' },
    ]);
    expect(texts(kept.doc)).not.toContain('wordBlock');
    // One author at one time is one suggestion: the paragraph and the row share their id.
    const sids = new Set<string>();
    doc.descendants((n) => {
      const s = n.attrs.suggestion as { sid: string } | null | undefined;
      if (s) sids.add(s.sid);
      return true;
    });
    expect(sids.size).toBe(1);
  });

  it('accepting all gives the accept-all import; rejecting all the reject-all import (same text)', () => {
    const plain = (d: ReturnType<typeof schema.nodeFromJSON>): string => {
      const out: string[] = [];
      d.descendants((n) => {
        if (n.isTextblock) out.push(n.textContent);
        return true;
      });
      return out.join('\n');
    };
    const doc = schema.nodeFromJSON(kept.doc);
    expect(plain(withSuggestionsAccepted(doc))).toBe(plain(schema.nodeFromJSON(accepted.doc)));
    expect(plain(withSuggestionsRejected(doc))).toBe(plain(schema.nodeFromJSON(rejected.doc)));
  });

  it('says which changes could not be kept: formatting changes and paragraph joins are taken as accepted', async () => {
    const bold = `<w:r><w:rPr><w:b/><w:rPrChange w:id="51" w:author="张三" w:date="${T1}"><w:rPr/></w:rPrChange></w:rPr><w:t>应</w:t></w:r>`;
    const body = [
      p('1　范围', { style: 'Heading1' }),
      // The paragraph mark deleted without the text: Word joins this paragraph with the next.
      `<w:p><w:pPr><w:rPr><w:del w:id="50" w:author="李四" w:date="${T2}"/></w:rPr></w:pPr>${r('本文件规定了监测要求')}</w:p>`,
      `<w:p>${r('采样')}${bold}${r('在中泓线处进行。')}</w:p>`,
    ].join('');
    const r2 = await importWordFile(await docx({ body, styles }), { changes: 'keep', suggestionsBy: 'u', makeId, allowNonStandard: true });
    expect(r2.report.warnings.map((w) => w.zh)).toContain('1 处格式修订和 1 处段落拆分或合并无法保留为修订建议，已按接受处理。');
    expect(listSuggestions(schema.nodeFromJSON(r2.doc))).toEqual([]);
  });
});
