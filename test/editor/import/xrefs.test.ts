// Typed cross-references in a Word draft become xref nodes when their target is in the file, and are
// reported (kept as text) when it is not; numbers that are not references (0.5倍, GB/T 1.1, 代表1个) stay.
import { importWordFile } from '../../../activities/import';
import { computeNumbering, xrefText } from '../../../editor/numbering';
import type { DocJSON, NodeJSON } from '../../../editor/types';
import { docx, formulaParagraph, p, tbl } from '../../fixtures/import/ooxml';
import { expectNothingLost } from './shape';

function xrefsIn(doc: DocJSON): string[] {
  const numbering = computeNumbering(doc);
  const out: string[] = [];
  const walk = (n: NodeJSON): void => {
    if (n.type === 'xref') out.push(xrefText(numbering, String(n.attrs?.target ?? '')));
    for (const c of n.content ?? []) walk(c);
  };
  for (const c of doc.content) walk(c);
  return out;
}

function textOf(n: NodeJSON): string {
  return n.type === 'text' ? (n.text ?? '') : (n.content ?? []).map(textOf).join('');
}

describe('Word import: cross-references', () => {
  it('links 见5.2 / 按表1 / 见附录A / 公式(1) / 第4章 to their targets and reports the missing ones', async () => {
    const body = [
      p('1 范围', { bold: true }),
      p('本文件规定了采样的要求，技术要求见第4章。'),
      p('2 规范性引用文件', { bold: true }),
      p('3 术语和定义', { bold: true }),
      p('4 采样要求', { bold: true }),
      p('4.1 一般要求', { bold: true }),
      p('采样频次按表1确定，断面布设见4.2和附录A，浓度按公式(1)计算，采样量按0.5倍体积。'),
      p('本条不适用于GB/T 1.1的情形，也不代表1个断面。'),
      p('记录要求见5.9，数据格式见附录D。'),
      p('4.2 断面', { bold: true }),
      p('表1　采样频次'),
      tbl([['水体', '频次'], ['河流', '每月1次']]),
      formulaParagraph('(1)'),
      p('附录A'),
      p('（资料性）'),
      p('采样记录表'),
      p('A.1 记录内容', { bold: true }),
      p('记录应包括时间、地点和采样人。'),
    ].join('');
    const r = await importWordFile(await docx({ body }), { changes: 'accept' });
    const linked = xrefsIn(r.doc);
    expect(linked).toEqual(expect.arrayContaining(['第4章', '表1', '4.2', '附录A', '公式(1)']));
    expect(r.report.crossReferences.linked).toBe(linked.length);
    expect(r.report.crossReferences.unresolved.map((u) => u.reference)).toEqual(['5.9', '附录D']);
    expect(r.report.crossReferences.unresolved[0].context).toContain('记录要求见5.9');
    expect(r.report.warnings.some((w) => /2 处引用/.test(w.zh))).toBe(true);
    const all = JSON.stringify(r.doc);
    // Not references: a factor, another document's designation, an ordinary word.
    expect(all).toContain('0.5倍体积');
    expect(all).toContain('GB/T 1.1的情形');
    expect(all).toContain('不代表1个断面');
    // The linked sentence reads the same as typed.
    const sentence = r.doc.content
      .flatMap((n) => [n, ...(n.content ?? []), ...(n.content ?? []).flatMap((c) => c.content ?? [])])
      .find((n) => n.type === 'paragraph' && textOf(n).startsWith('采样频次按'));
    expect(sentence?.content?.filter((c) => c.type === 'xref').length).toBeGreaterThanOrEqual(3);
    expectNothingLost(r);
  });
});
