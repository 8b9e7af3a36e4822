// The 300-page benchmark standard's body (30 chapters of 10 clauses, 60 long tables, 20 figures), shared by
// bench:docx (generation) and bench:import (reading it back), so both measure the same document. Modules
// load on call, so a benchmark's child process that does not need them stays light.
import type { DocJSON } from '../editor/types';

export async function standard300Body(): Promise<DocJSON> {
  const { docJSON, foreword, scope, normativeReferences, termsAndDefinitions, p, ref, termEntry } = await import('../editor/builders');
  const { syntheticChapters } = await import('../activities/docx/fixtures/synthetic');
  return docJSON(
    foreword(p('本文件是示范区统一标准体系的组成部分。')),
    scope(p('本文件规定了示范区地表水环境质量监测的技术要求。'), p('本文件适用于示范区地表水环境质量监测。')),
    normativeReferences(ref('GB', '3838', '2002', '地表水环境质量标准')),
    termsAndDefinitions(p('下列术语和定义适用于本文件。'), termEntry({ term: '监测点位', english: 'monitoring site', definition: '用于采集水样的具体位置' })),
    ...syntheticChapters({ chapters: 30, clausesPerChapter: 10, charsPerClause: 150, tables: 60, figures: 20, tableRows: 90, figureSize: { width: 600, height: 560 } }, 'bench'),
  );
}
