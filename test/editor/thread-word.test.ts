// Placing Word comments in an imported draft and reading the review copy's comments back (editor/thread-word.ts):
// the occurrence the comment had in the file is kept when its words repeat, whitespace differences between
// the file and the model do not matter, words the model lacks are not found, and the review copy's comment
// form (「quote」 + note, text, reply lines) is read back into its parts; an ordinary comment is not.
import type { Node as PMNode } from 'prosemirror-model';
import { chapter, clause, docJSON, foreword, h, normativeReferences, p, scope, termsAndDefinitions } from '../../editor/builders';
import { schema } from '../../editor/schema';
import { findPassage, occurrenceInSource, originalWordAuthor, parseReviewCopyComment, textIndexOf } from '../../editor/thread-word';
import type { SourceBlock } from '../../editor/import/reader';

const doc: PMNode = schema.nodeFromJSON(
  docJSON(
    foreword(p('本文件按照GB/T 1.1—2020的规定起草。')),
    scope(p('本文件规定了示范区地表水环境质量监测要求。')),
    normativeReferences(),
    termsAndDefinitions(p('本文件没有需要界定的术语和定义。')),
    chapter(h('采样'), clause(h('河流'), p('河流点位应具有代表性。')), clause(h('湖泊'), p('湖泊点位也应具有代表性，并便于采样。'))),
  ),
);

const para = (index: number, text: string): SourceBlock => ({ kind: 'p', index, text }) as unknown as SourceBlock;
const source: SourceBlock[] = [para(0, '5.1 河流'), para(1, '河流点位应具有 代表性。'), para(2, '5.2 湖泊'), para(3, '湖泊点位也应具有代表性，并便于采样。')];

test('the same occurrence as in the file, whitespace ignored', () => {
  const index = textIndexOf(doc);
  const rank = occurrenceInSource(source, '具有代表性', { paragraph: 3, offset: 6 });
  expect(rank).toBe(1);
  const at = findPassage(index, '具有代表性', rank)!;
  expect(doc.textBetween(at.from, at.to)).toBe('具有代表性');
  expect(doc.textBetween(at.from - 3, at.from)).toBe('位也应');
  // Its first occurrence (with a space in the file's text) is the river's.
  const first = findPassage(index, '具有 代表性', occurrenceInSource(source, '具有 代表性', { paragraph: 1, offset: 5 }))!;
  expect(doc.textBetween(first.from - 3, first.to)).toBe('点位应具有代表性');
  expect(findPassage(index, '5.2', 0)).toBeNull();
  expect(findPassage(index, '   ', 0)).toBeNull();
});

test('the review copy’s comment form is read back; an ordinary comment is not', () => {
  expect(parseReviewCopyComment('〔已解决 Resolved〕「河流中泓线处」\n请写明水深。\n第二行\n李四（Word 批注：王五）：已补充：分层采样。\n张三：好')).toEqual({
    quote: '河流中泓线处',
    resolved: true,
    text: '请写明水深。\n第二行',
    replies: [
      { author: '李四（Word 批注：王五）', text: '已补充：分层采样。' },
      { author: '张三', text: '好' },
    ],
  });
  expect(parseReviewCopyComment('「点位」（原文已删除 / the text was deleted）\n请删除。')).toMatchObject({ quote: '点位', note: 'deleted', resolved: false, text: '请删除。' });
  expect(parseReviewCopyComment('请补充依据。')).toBeNull();
  expect(parseReviewCopyComment('「引号里的话」')).toBeNull();
  expect(originalWordAuthor('李四（Word 批注：王五）')).toBe('王五');
  expect(originalWordAuthor('张三')).toBe('张三');
});
