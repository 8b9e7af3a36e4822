// The large synthetic standard the editor benchmarks measure on: chapters of 15 clauses, each with
// paragraphs, a note, two subclauses, a list and a table.
import type { Node } from 'prosemirror-model';
import { chapter, clause, doc, foreword, h, li, list, normativeReferences, note, p, scope, table, termsAndDefinitions, type Built } from '../editor/builders';

export const PARA = '本文件规定了长三角生态绿色一体化发展示范区地表水环境质量监测的点位布设、样品采集、分析方法和质量控制要求。'.repeat(2);

export interface BigStandardOptions {
  /** The first paragraph of clause k of each chapter (default PARA). */
  leadParagraph?: (k: number) => string;
  /** The elements before chapter 4 (default: bare 前言, 范围, 规范性引用文件, 术语和定义). */
  front?: Built[];
}

export function bigStandard(chapters: number, opts: BigStandardOptions = {}): Node {
  const lead = opts.leadParagraph ?? (() => PARA);
  const body = [];
  for (let c = 0; c < chapters; c++) {
    const clauses = [];
    for (let k = 0; k < 15; k++)
      clauses.push(
        clause(h(`条${k}`), p(lead(k)), p(PARA), note(p('注')), clause(h('下级'), p(PARA)), clause(h('下级二'), p(PARA), list(li('甲'), li('乙')), table('表题', [['a', 'b'], ['1', '2']]))),
      );
    body.push(chapter(h(`章${c}`), ...clauses));
  }
  const front = opts.front ?? [foreword(p('前言')), scope(p('范围')), normativeReferences(), termsAndDefinitions()];
  return doc(...front, ...body);
}
