// The messy mixture of issue 14 in one file (test/fixtures/import/mixed.ts): template styles with numbering
// bound to them and Heading 1–5 with typed numbers, tracked changes by three authors (one in a merged
// cell), a comment, merged cells, a picture, an OMML formula, section breaks with a header and footer.
// Every element is recognised with the right number, the choice on tracked changes is applied, the header
// is not taken for body text, nothing is lost; saved by LibreOffice as a legacy .doc it imports the same.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { importWordFile } from '../../../activities/import';
import { computeNumbering } from '../../../editor/numbering';
import type { NodeJSON } from '../../../editor/types';
import { MIXED_HEADER_TEXT, mixedDraft } from '../../fixtures/import/mixed';
import { expectNothingLost } from '../../editor/import/shape';

jest.setTimeout(180_000);

const ELEMENTS = [
  'foreword::前言',
  'chapter:1:范围',
  'chapter:2:规范性引用文件',
  'chapter:3:术语和定义',
  'chapter:4:监测要求',
  'clause:4.1:点位',
  'clause:4.1.1:河流点位',
  'clause:4.1.1.1:干流',
  'clause:4.1.1.1.1:上游断面',
  'clause:4.1.1.1.2:下游断面',
  'clause:4.2:数量',
  'table:1:断面数量',
  'formula:(1):ρ=m/V0',
  'figure:1:断面位置示意图',
  'annex:A:断面记录表',
  'clause:A.1:记录内容',
];

const find = (n: NodeJSON, type: string, out: NodeJSON[] = []): NodeJSON[] => {
  if (n.type === type) out.push(n);
  for (const c of n.content ?? []) find(c, type, out);
  return out;
};

describe('Word import: a mixture of template styles, Heading 1–5, tracked changes, comments, merged cells, sections and headers', () => {
  it('recognises every element with its number and applies the chosen tracked changes', async () => {
    const file = await mixedDraft();
    await expect(importWordFile(file)).rejects.toMatchObject({ code: 'TRACKED_CHANGES' });
    const accepted = await importWordFile(file, { changes: 'accept' });
    const rejected = await importWordFile(file, { changes: 'reject' });
    for (const r of [accepted, rejected]) {
      expect(r.report.elements.map((e) => `${e.kind}:${e.number}:${e.title}`)).toEqual(ELEMENTS);
      expect(r.report.numbering.mismatches).toEqual([]);
      expect(r.report.unplaced).toEqual([]);
      expect(r.report.trackedChanges).toMatchObject({ total: 3, byAuthor: { 张三: 1, 李四: 1, 王五: 1 } });
      expect(r.report.comments).toEqual([expect.objectContaining({ author: '赵六', text: '入境处需给出坐标。', anchor: '上游断面设在入境处。' })]);
      // Header and footer text is not body text; the section breaks leave nothing behind.
      expect(JSON.stringify(r.doc)).not.toContain(MIXED_HEADER_TEXT);
      expect(r.report.skipped.map((s) => s.reason)).toEqual(['fixedText', 'fixedText']);
      // The merged cells keep their spans; the picture and the annex's kind are there.
      const cells = find(r.doc as NodeJSON, 'tableHeader').concat(find(r.doc as NodeJSON, 'tableCell'));
      expect(cells.some((c) => c.attrs?.colspan === 2)).toBe(true);
      expect(cells.some((c) => c.attrs?.rowspan === 2)).toBe(true);
      expect(String(find(r.doc as NodeJSON, 'figure')[0]?.attrs?.src)).toMatch(/^data:image\/png;base64,/);
      expect(find(r.doc as NodeJSON, 'annex')[0]?.attrs?.kind).toBe('informative');
      const numbering = computeNumbering(r.doc);
      expect(find(r.doc as NodeJSON, 'clause4').map((c) => numbering.byId[String(c.attrs?.id)]?.number)).toEqual(['4.1.1.1.1', '4.1.1.1.2']);
      expectNothingLost(r);
    }
    const a = JSON.stringify(accepted.doc);
    const b = JSON.stringify(rejected.doc);
    expect([a.includes('跨界'), a.includes('省内'), a.includes('（含对照）')]).toEqual([true, false, true]);
    expect([b.includes('跨界'), b.includes('省内'), b.includes('（含对照）')]).toEqual([false, true, false]);
    expect(accepted.report.trackedChanges.applied).toBe('accepted');
    expect(rejected.report.trackedChanges.applied).toBe('rejected');
  });

  it('imports the same mixture saved as a legacy .doc by LibreOffice', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tb-mixed-doc-'));
    try {
      writeFileSync(path.join(dir, 'mixed.docx'), await mixedDraft());
      execFileSync('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'doc:MS Word 97', '--outdir', dir, path.join(dir, 'mixed.docx')], { timeout: 120_000 });
      const r = await importWordFile(readFileSync(path.join(dir, 'mixed.doc')), { changes: 'accept' });
      expect(r.format).toBe('doc');
      const got = r.report.elements.map((e) => `${e.kind}:${e.number}:${e.title}`);
      for (const e of ELEMENTS.filter((x) => !x.startsWith('formula'))) expect(got).toContain(e);
      expect(Object.keys(r.report.trackedChanges.byAuthor).sort()).toEqual(['张三', '李四', '王五'].sort());
      expect(JSON.stringify(r.doc)).not.toContain(MIXED_HEADER_TEXT);
      expectNothingLost(r);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
