// Round trip: every DOCX the project generates (the rich fixture's four editions and its stage drafts,
// the large benchmark standard) imported gives back the same document model — the same numbers, titles,
// terms, tables and text. The 前言 is compared apart: the generator rewrites it from the record.
import { generateStandardDocx } from '../../../activities/docx/generate';
import { EDITIONS, DRAFT_STAGES } from '../../../activities/docx/edition';
import { richStandardBody, richStandardRecord } from '../../../activities/docx/fixtures/rich-standard';
import { importWordFile } from '../../../activities/import';
import { bigStandard } from '../../../bench/big-standard';
import { DRAFTING_BASIS, FIRST_EDITION, PATENT_NOTICE } from '../../../activities/docx/foreword';
import type { DocJSON } from '../../../editor/types';
import { expectNothingLost, shape } from './shape';

jest.setTimeout(120_000);

const fixed = (t: string): boolean => [DRAFTING_BASIS, PATENT_NOTICE, FIRST_EDITION].includes(t) || /^本文件(由|起草单位|主要起草人)/.test(t);

function forewordOwn(doc: DocJSON): string[] {
  return shape({ type: 'doc', content: doc.content.filter((n) => n.type === 'foreword') }).filter((l) => !fixed(l.split(' | ')[2] ?? ''));
}

function countXrefs(n: { type: string; content?: unknown[] }): number {
  return (n.type === 'xref' ? 1 : 0) + ((n.content ?? []) as { type: string }[]).reduce((s, c) => s + countXrefs(c), 0);
}

describe('Word import round trip of generated DOCX', () => {
  const body = richStandardBody();
  const record = richStandardRecord();

  it.each(EDITIONS.map((e) => [e]))('the rich fixture, %s edition', async (edition) => {
    const r = await importWordFile(await generateStandardDocx({ record, body, edition }));
    expect(shape(r.doc, { skipTop: ['foreword'] })).toEqual(shape(body, { skipTop: ['foreword'] }));
    expect(forewordOwn(r.doc)).toEqual(forewordOwn(body));
    expect(r.report.numbering.mismatches).toEqual([]);
    expect(r.report.numbering.checked).toBeGreaterThan(50);
    expect(r.report.unplaced).toEqual([]);
    // The fixture's typed references come back as xref nodes to the same targets (shape reads them as their text).
    expect(r.report.crossReferences.linked).toBe(countXrefs(body));
    expect(r.report.crossReferences.unresolved).toEqual([]);
    expect(r.report.metadata).toMatchObject({ titleZh: record.titleZh, titleEn: record.titleEn, ics: record.ics, ccs: record.ccs, drafters: record.drafters });
    expectNothingLost(r);
  });

  it.each(DRAFT_STAGES.map((s) => [s]))('the rich fixture as %s', async (stage) => {
    const r = await importWordFile(await generateStandardDocx({ record, body, edition: 'joint', stageLabel: stage, completedOn: '2025-03-01' }));
    expect(shape(r.doc, { skipTop: ['foreword'] })).toEqual(shape(body, { skipTop: ['foreword'] }));
  });

  it('the large benchmark standard', async () => {
    const big = bigStandard(20).toJSON() as DocJSON;
    const r = await importWordFile(await generateStandardDocx({ record, body: big, edition: 'joint' }));
    expect(shape(r.doc, { skipTop: ['foreword'] })).toEqual(shape(big, { skipTop: ['foreword'] }));
    expect(r.report.numbering.mismatches).toEqual([]);
  });
});
