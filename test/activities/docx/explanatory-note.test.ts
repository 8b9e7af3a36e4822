// Issue 13 item 9: the 编制说明 as standards offices expect it — body in 小四, the sections 与国际、国外同类
// 标准水平的对比 and 涉及专利的有关说明, a subtitle naming the standard's numbers rather than the prefixes.
import { EXPLANATORY_NOTE_SECTIONS, generateExplanatoryNoteDocx, sampleExplanatoryNote } from '../../../activities/docx/explanatory-note';
import { richStandardRecord } from '../../../activities/docx/fixtures/rich-standard';
import { paragraphs, unzipDocx } from './docx-xml';

async function noteParagraphs(record = richStandardRecord(), note: unknown = sampleExplanatoryNote()) {
  const { document } = await unzipDocx(await generateExplanatoryNoteDocx({ record, note, stage: 'draftForReview' }));
  return paragraphs(document);
}

describe('编制说明 content (issue 13 item 9)', () => {
  it('sets every body paragraph and subheading in 小四 (12 pt, w:sz 24)', async () => {
    const paras = await noteParagraphs();
    const body = paras.filter((p) => p.text === sampleExplanatoryNote().verification);
    expect(body).toHaveLength(1);
    const sizes = [...body[0].xml.matchAll(/<w:sz w:val="(\d+)"\/>/g)].map((m) => m[1]);
    expect(sizes).toEqual(['24']);
    const sub = paras.find((p) => p.text === '（一）任务来源');
    expect(sub?.xml).toContain('<w:sz w:val="24"/>');
  });

  it('has the sections on international comparison and patents, in the usual order, numbered 一 to 十', async () => {
    const texts = (await noteParagraphs()).map((p) => p.text);
    const headings = EXPLANATORY_NOTE_SECTIONS.map((h) => texts.indexOf(h));
    expect(headings.every((i) => i >= 0)).toBe(true);
    expect([...headings].sort((a, b) => a - b)).toEqual(headings);
    expect(EXPLANATORY_NOTE_SECTIONS[4]).toContain('与国际、国外同类标准水平的对比');
    expect(EXPLANATORY_NOTE_SECTIONS[5]).toBe('六、涉及专利的有关说明');
    expect(EXPLANATORY_NOTE_SECTIONS[9]).toMatch(/^十、/);
    expect(texts[headings[5] + 1]).toBe('本文件不涉及专利。');
  });

  it('prints 「无。」 under the two new sections when a stored note predates them', async () => {
    const older = { ...sampleExplanatoryNote(), internationalComparison: undefined, patents: undefined };
    const texts = (await noteParagraphs(richStandardRecord(), JSON.parse(JSON.stringify(older)))).map((p) => p.text);
    expect(texts[texts.indexOf(EXPLANATORY_NOTE_SECTIONS[4]) + 1]).toBe('无。');
    expect(texts[texts.indexOf(EXPLANATORY_NOTE_SECTIONS[5]) + 1]).toBe('无。');
  });

  it('names the three numbers in the subtitle, or placeholders shaped like them before numbering', async () => {
    const released = (await noteParagraphs()).map((p) => p.text);
    expect(released).toContain('长江三角洲区域统一标准　DB31/T 310021—2025、DB32/T 310021—2025、DB33/T 310021—2025');
    expect(released.some((t) => t.includes('DB31、DB32'))).toBe(false);
    const draft = richStandardRecord({ provinces: { SH: {}, JS: {}, ZJ: {} }, releaseDate: undefined });
    const drafted = (await noteParagraphs(draft)).map((p) => p.text);
    expect(drafted).toContain('长江三角洲区域统一标准　DB31/T ××××××—××××、DB32/T ××××××—××××、DB33/T ××××××—××××');
  });
});
