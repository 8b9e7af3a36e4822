// Redline gaps (issue 13): edits inside tables (written by fast-table.ts) are tracked as w:ins / w:del with
// w:delText, a table row inserted or deleted whole is marked in its w:trPr, and what the renderer adds to a
// formula deleted whole (「式中：」, the brackets of its number, the 式中 symbols and 「——」) is tracked with
// it; the result validates against ECMA-376 and LibreOffice lists the changes.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { formatSchemaErrors, validateOoxml } from '../../../scripts/ooxml-validate';
import { richStandardBody, richStandardRecord } from '../../../activities/docx/fixtures/rich-standard';
import { richStandardRevised } from '../../../activities/docx/fixtures/revised';
import { generateRedlineDocx } from '../../../activities/redline/redline';
import type { DocJSON, NodeJSON } from '../../../editor/types';

jest.setTimeout(300_000);
const toolsDir = process.env.TONGBIAO_TOOLS_DIR ?? path.resolve(__dirname, '..', '..', '..', '.tools');

function find(n: NodeJSON, id: string): NodeJSON | undefined {
  if (n.attrs?.id === id) return n;
  for (const c of n.content ?? []) {
    const f = find(c, id);
    if (f) return f;
  }
  return undefined;
}

/** The revised sample plus a row added to 表1 and formula (B.2) deleted. */
function newer(): DocJSON {
  const doc = richStandardRevised();
  const grid = find(doc as NodeJSON, 'table-1')!.content!.find((c) => c.type === 'tableGrid')!;
  const last = grid.content![grid.content!.length - 1];
  const added = JSON.parse(JSON.stringify(last)) as NodeJSON;
  const texts = ['≥500', '5'];
  added.content!.forEach((cell, i) => (cell.content = [{ type: 'paragraph', content: [{ type: 'text', text: texts[i] }] }]));
  grid.content!.push(added);
  const annexB = find(doc as NodeJSON, 'annex-b')!;
  annexB.content = annexB.content!.filter((c) => c.attrs?.id !== 'formula-b-2');
  return doc;
}

let xml = '';
let file = '';
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tb-redline-gaps-'));
  const data = await generateRedlineDocx({ older: richStandardBody(), newer: newer(), author: '上海起草组', date: '2026-03-02T08:00:00Z', record: richStandardRecord(), edition: 'joint', stageLabel: 'draftForReview' });
  file = path.join(dir, 'redline.docx');
  await writeFile(file, data);
  xml = await (await JSZip.loadAsync(data)).file('word/document.xml')!.async('string');
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const tables = (): string[] => [...xml.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/g)].map((m) => m[0]);

describe('redline gaps', () => {
  it('tracks an edit inside a table cell: the old character deleted (w:delText), the new inserted', () => {
    const t1 = tables().find((t) => t.includes('点位数/个'))!;
    expect(t1).toMatch(/<w:del w:id="\d+" w:author="上海起草组" w:date="2026-03-02T08:00:00Z"><w:r><w:delText xml:space="preserve">＞<\/w:delText><\/w:r><\/w:del>/);
    expect(t1).toMatch(/<w:ins w:id="\d+" w:author="上海起草组" w:date="2026-03-02T08:00:00Z"><w:r><w:t xml:space="preserve">≥<\/w:t><\/w:r><\/w:ins>/);
    expect(t1).not.toMatch(/<w:t[^>]*>＞<\/w:t>/);
  });

  it('marks a row inserted whole in its w:trPr', () => {
    const t1 = tables().find((t) => t.includes('点位数/个'))!;
    const row = [...t1.matchAll(/<w:tr>[\s\S]*?<\/w:tr>/g)].map((m) => m[0]).find((r) => r.includes('≥500'))!;
    expect(row).toMatch(/<w:trPr><w:cantSplit\/><w:ins w:id="\d+" w:author="上海起草组" w:date="[^"]+"\/><\/w:trPr>/);
  });

  it('tracks the 「式中：」, brackets, symbols and 「——」 of a formula deleted whole', () => {
    const paras = [...xml.matchAll(/<w:p>[\s\S]*?<\/w:p>|<w:p [^>]*>[\s\S]*?<\/w:p>/g)].map((m) => m[0]);
    const line = paras.find((p) => p.includes('GBFormula') && /<w:delText[^>]*>Q<\/w:delText>/.test(p))!;
    expect(line).toBeDefined();
    expect(line).not.toMatch(/<w:t[^>]*>\)<\/w:t>/);
    expect(line).toMatch(/<w:delText[^>]*>\)<\/w:delText>/);
    const at = paras.indexOf(line);
    expect(paras[at + 1]).toMatch(/<w:del [^>]*><w:r><w:delText[^>]*>式中：<\/w:delText>/);
    // The paragraph mark of 「式中：」 is deleted too, so accepting removes the line.
    expect(paras[at + 1]).toMatch(/<w:pPr>[\s\S]*<w:rPr><w:del [^>]*\/><\/w:rPr>[\s\S]*<\/w:pPr>/);
    const symbol = paras[at + 2];
    expect(symbol).toMatch(/<w:delText[^>]*>Q<\/w:delText>[\s\S]*<w:delText[^>]*>——<\/w:delText>/);
    expect(symbol).not.toMatch(/<w:t[^>]*>(Q|——)<\/w:t>/);
  });

  it('validates against the ECMA-376 schemas, and LibreOffice prints the table changes with changes shown', async () => {
    const result = await validateOoxml(toolsDir, [file]);
    expect(formatSchemaErrors(result.errors)).toBe('');
    // LibreOffice's own PDF export shows tracked changes: the deleted 「＞」 beside the inserted 「≥」, the added row.
    execFileSync('soffice', [`-env:UserInstallation=file://${dir}/lo-profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, file], { stdio: 'ignore', timeout: 120_000 });
    const text = execFileSync('pdftotext', ['-layout', path.join(dir, 'redline.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toMatch(/＞≥100\s+3/);
    expect(text).toMatch(/≥500\s+5/);
  });
});
