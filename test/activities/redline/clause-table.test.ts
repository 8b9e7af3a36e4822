// The 条文对照表 (issue 13): two columns, the 征求意见稿's clause beside the 送审稿's, one row per changed,
// added, deleted or renumbered unit (matched by id), unchanged ones counted at the foot or listed on request;
// LibreOffice reads it back with both columns.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { clauseRows, generateClauseTableDocx } from '../../../activities/redline/clause-table';
import { richStandardBody, richStandardRecord } from '../../../activities/docx/fixtures/rich-standard';
import { richStandardRevised } from '../../../activities/docx/fixtures/revised';

jest.setTimeout(180_000);

const older = richStandardBody();
const newer = richStandardRevised();
const opts = { titleZh: richStandardRecord().titleZh, older, newer, olderName: '征求意见稿', newerName: '送审稿' };

async function tableRows(data: Buffer): Promise<string[][]> {
  const xml = (await (await JSZip.loadAsync(data)).file('word/document.xml')!.async('string'));
  return [...xml.matchAll(/<w:tr>([\s\S]*?)<\/w:tr>/g)].map((tr) => [...tr[1].matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((tc) => [...tc[1].matchAll(/<w:p>([\s\S]*?)<\/w:p>|<w:p [^>]*>([\s\S]*?)<\/w:p>/g)].map((p) => [...(p[1] ?? p[2]).matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join('')).join('\n')));
}

describe('条文对照表', () => {
  it('pairs units by id: changed, added, deleted (placed where they stood) and renumbered', () => {
    const rows = clauseRows(older, newer).filter((r) => r.status !== 'unchanged');
    expect(rows.map((r) => [r.status, r.older?.number ?? null, r.newer?.number ?? null])).toEqual([
      ['changed', '3.2', '3.2'],
      ['changed', '5.1', '5.1'],
      ['added', null, '5.2'],
      ['changed', '5.2', '5.3'],
      ['renumbered', '5.3', '5.4'],
      ['deleted', '5.4', null],
      ['deleted', '5.4.1', null],
      ['deleted', '5.4.2', null],
      ['changed', '6.2', '6.2'],
    ]);
  });

  it('writes two columns headed 征求意见稿 and 送审稿 with each clause’s number, title and text', async () => {
    const rows = await tableRows(await generateClauseTableDocx(opts));
    expect(rows[0]).toEqual(['征求意见稿', '送审稿']);
    expect(rows.every((r) => r.length === 2)).toBe(true);
    expect(rows).toHaveLength(1 + 9);
    const moved = rows.find((r) => r[0].startsWith('5.2　布设数量'));
    expect(moved?.[1]).toMatch(/^5\.3　布设数量\n/);
    expect(moved?.[0]).toContain('河宽以平水期为准。');
    expect(moved?.[1]).toContain('河宽以多年平均平水期水面宽度为准。');
    expect(moved?.[1]).toContain('≥100');
    expect(moved?.[1]).toContain('n = W / w　(1)');
    expect(rows.find((r) => r[1].startsWith('5.2　布设时机'))?.[0]).toBe('（新增）');
    expect(rows.find((r) => r[0].startsWith('5.4.2'))?.[1]).toBe('（删除）');
    expect(rows.find((r) => r[1].startsWith('6.2　分析'))?.[1]).toContain('V——水样取样体积，单位为毫升（mL）。');
  });

  it('says at the foot how many units were compared and that unchanged ones are not listed; lists them on request', async () => {
    const all = clauseRows(older, newer);
    const unchanged = all.filter((r) => r.status === 'unchanged').length;
    const xml = await (await JSZip.loadAsync(await generateClauseTableDocx(opts))).file('word/document.xml')!.async('string');
    expect(xml).toContain(`说明：共对照${all.length}个章、条、术语和附录；修改4个，新增1个，删除3个，仅编号变化1个，未修改${unchanged}个（未列入本表）。`);
    const full = await tableRows(await generateClauseTableDocx({ ...opts, includeUnchanged: true }));
    expect(full).toHaveLength(1 + all.length);
    expect(full.some((r) => r[0].startsWith('1　范围') && r[0] === r[1])).toBe(true);
  });

  it('opens in LibreOffice with both columns side by side', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'clause-table-'));
    try {
      const file = path.join(dir, 'clause-table.docx');
      writeFileSync(file, await generateClauseTableDocx(opts));
      execFileSync('soffice', [`-env:UserInstallation=file://${dir}/lo-profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, file], { stdio: 'ignore', timeout: 120_000 });
      const text = execFileSync('pdftotext', ['-layout', path.join(dir, 'clause-table.pdf'), '-'], { encoding: 'utf8' });
      expect(text).toMatch(/征求意见稿\s+送审稿/);
      expect(text).toMatch(/5\.2　?\s*布设数量\s+5\.3　?\s*布设数量/);
      expect(text).toContain('条文对照表');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
