// Every kind of document the project generates, from the rich fixture: the joint and three province
// editions, the three stage drafts, the 编制说明 of each stage, the 征求意见汇总处理表 and the 条文对照表.
import { dispositionTableDocx } from '../../../activities/comments/disposition-table';
import { sampleDispositionInput } from '../../../activities/comments/sample';
import { DRAFT_STAGES, EDITIONS } from '../../../activities/docx/edition';
import { generateExplanatoryNoteDocx, sampleExplanatoryNote } from '../../../activities/docx/explanatory-note';
import { generateStandardDocx } from '../../../activities/docx/generate';
import { richStandardBody, richStandardRecord } from '../../../activities/docx/fixtures/rich-standard';
import { richStandardRevised } from '../../../activities/docx/fixtures/revised';
import { generateClauseTableDocx } from '../../../activities/redline/clause-table';

export interface GeneratedDocument {
  /** A short ASCII name (file name without extension). */
  name: string;
  data: Buffer;
}

export async function generateAllDocuments(): Promise<GeneratedDocument[]> {
  const record = richStandardRecord();
  const body = richStandardBody();
  const out: GeneratedDocument[] = [];
  for (const edition of EDITIONS) out.push({ name: `edition-${edition}`, data: await generateStandardDocx({ record, body, edition }) });
  for (const stage of DRAFT_STAGES) {
    out.push({ name: `draft-${stage}`, data: await generateStandardDocx({ record, body, edition: 'joint', stageLabel: stage, completedOn: '2025-03-01' }) });
    out.push({ name: `note-${stage}`, data: await generateExplanatoryNoteDocx({ record, note: sampleExplanatoryNote(), stage }) });
  }
  out.push({ name: 'disposition-table', data: await dispositionTableDocx(sampleDispositionInput()) });
  out.push({ name: 'clause-table', data: await generateClauseTableDocx({ titleZh: record.titleZh, older: body, newer: richStandardRevised(), olderName: '征求意见稿', newerName: '送审稿' }) });
  return out;
}
