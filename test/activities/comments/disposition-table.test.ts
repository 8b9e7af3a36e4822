// The 征求意见汇总处理表 as a reader sees it: the sample DOCX opened by LibreOffice and read back as text
// (header block, the seven columns of gbt-1.1-format.md §8.1, counts at the foot, every 不采纳 with its
// reason — checklist rule 45 — renumbered and deleted clauses named, markup shown as text), and the CSV.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { COLUMNS, dispositionTableDocx } from '../../../activities/comments/disposition-table';
import { sampleDispositionInput, writeSampleDispositionTable } from '../../../activities/comments/sample';

describe('征求意见汇总处理表', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'disposition-table-'));
  let files: string[] = [];
  let pdfText = '';

  beforeAll(async () => {
    files = await writeSampleDispositionTable(dir);
    // A private LibreOffice profile, so parallel conversions by other tests do not collide.
    execFileSync('soffice', [`-env:UserInstallation=file://${dir}/lo-profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, files[0]], { stdio: 'ignore', timeout: 120_000 });
    const pdf = readdirSync(dir).find((f) => f.endsWith('.pdf'));
    pdfText = execFileSync('pdftotext', ['-layout', path.join(dir, String(pdf)), '-'], { encoding: 'utf8' });
  }, 150_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('opens in LibreOffice with the header block, the seven columns and the counts at the foot', () => {
    expect(pdfText).toContain('征求意见汇总处理表');
    expect(pdfText).toMatch(/标准项目名称：长三角生态绿色一体化发展示范区地表水环境质量监测技术规范/);
    expect(pdfText).toMatch(/共\s+1\s+页\s+第\s+1\s+页/);
    expect(pdfText).toContain('负责起草单位：上海市环境监测中心');
    expect(pdfText).toContain('承办人：王明');
    const header = pdfText.split('\n').find((l) => l.includes('序号')) ?? '';
    let at = -1;
    for (const col of COLUMNS) {
      const i = header.indexOf(col);
      expect(i).toBeGreaterThan(at);
      at = i;
    }
    // The usual 说明 line (issue 13 item 5): units sent to (recorded: 12), replied, replied with comments, not replied.
    expect(pdfText.replace(/\s+/g, '')).toContain(
      '说明：①发送《征求意见稿》的单位数：12个；②收到《征求意见稿》后，回函的单位数：4个；③收到《征求意见稿》后，回函并有建议或意见的单位数：4个；④没有回函的单位数：8个。',
    );
    expect(pdfText.replace(/\s+/g, '')).toContain('共收到意见5条（上海市2条、江苏省1条、浙江省1条、其他地区1条），来自4个单位和1名个人');
    expect(pdfText.replace(/\s+/g, '')).toContain('另有1条经审核为无关或不当内容，未列入本表');
    expect(pdfText).not.toContain('点击领取优惠');
  });

  it('gives every 不采纳 its reason, names renumbered and deleted clauses, and prints markup as text', async () => {
    const zip = await JSZip.loadAsync(readFileSync(files[0]));
    const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
    const unescape = (t: string): string => t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    const rows = xml.split('<w:tr>').slice(2).map((tr) => tr.split('<w:tc>').slice(1).map((tc) => unescape(tc.replace(/<[^>]+>/g, ''))));
    expect(rows).toHaveLength(5);
    for (const r of rows) expect(r).toHaveLength(COLUMNS.length);
    const decisions = rows.map((r) => r[5]);
    expect(decisions.filter((d) => d.startsWith('不采纳'))).toHaveLength(2);
    for (const d of decisions.filter((x) => x.startsWith('不采纳'))) expect(d).toMatch(/^不采纳：.{5,}/);
    // Numbers of the 征求意见稿 (5.2 and 5.4.1 exist there); the revised text's changes said in words (issue 13 item 5).
    expect(rows.map((r) => r[1])).toEqual(expect.arrayContaining(['5.4.1（修改后为5.3.2）', '5.2（修改后已删除）', '全文']));
    // The quoted 原文 is the whole sentence holding the words the comment is about, never cut mid-phrase.
    expect(rows[1][2]).toMatch(/^原文：「点位编码由省份代码和顺序号组成。」/);
    const quoted = /^原文：「([^」]*)」(.*)$/.exec(rows[1][2]);
    for (const word of [...(quoted?.[2] ?? '').matchAll(/“([^”]+)”/g)].map((m) => m[1]).filter((w) => w !== '顺序码')) expect(quoted?.[1]).toContain(word);
    expect(rows[3][2]).toBe('<script>alert("x")</script> 质控样比例10%偏低。');
    expect(pdfText).toContain('<script>alert("x")</script>');
  });

  it('lays the table out on landscape A4 in 宋体 with 黑体 column heads', async () => {
    const zip = await JSZip.loadAsync(await dispositionTableDocx(sampleDispositionInput()));
    const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
    expect(xml).toMatch(/<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"\/>/);
    expect(xml).toContain('w:eastAsia="SimHei"');
    expect(xml).toContain('w:eastAsia="SimSun"');
    expect(xml).toContain('<w:tblHeader/>');
  });

  it('writes the CSV with a BOM, the same columns and one line per visible comment', () => {
    const csv = readFileSync(files[1], 'utf8');
    expect(csv.startsWith('\uFEFF序号,标准章条编号,意见内容,修改建议,提出单位,处理意见,备注')).toBe(true);
    const lines = csv.trim().split('\r\n');
    expect(lines).toHaveLength(1 + 5 + 1);
  });
});
