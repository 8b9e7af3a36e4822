// The cover page (spec §4.3, §5, §6; checklist 24–28, 36, 43): ICS/CCS and the 备案号 slot top left, the
// code mark and the number(s) top right, the banner over the upper rule, the title block, and at the
// bottom the dates over the lower rule and the issuing bodies. The cover is its own section with no
// header, footer or page number. Its blocks sit in a borderless table of exact-height rows so the rules
// and the dates stay at the same place whatever the length of the title (frames move in LibreOffice).
import { AlignmentType, BorderStyle, HeightRule, Paragraph, Tab, Table, TableCell, TableRow, TabStopType, TextRun, VerticalAlignTable, WidthType } from 'docx';
import type { StandardRecord } from '../../workflows/domain';
import { coverDate, STAGE_LABEL_ZH, type DraftStage, type EditionInfo } from './edition';
import { STYLE } from './styles';
import { FONT, mm } from './typography';

const rule = { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 4 } as const;
const NONE = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' } as const;
const BLOCK_WIDTH = mm(170);
/**
 * Heights of the cover rows from the 10 mm top margin (spec §4.3): the upper rule at 75 mm, the dates line
 * at 250 mm (bottom-aligned in its row) and the lower rule under it at 257 mm.
 */
const TOP_BLOCK_MM = 53;
const BANNER_MM = 12;
const TITLE_BLOCK_MM = 171;
const DATES_MM = 11;
/** 汉字 per line of the 一号 title across the 170 mm block. */
const TITLE_LINE_CHARS = 18;
/** Where a long title may break: after the place of application, before the kind of document. */
const BREAK_AFTER = ['示范区', '一体化', '区域', '流域', '地区', '的'];
const BREAK_BEFORE = ['技术规范', '技术规程', '技术要求', '技术导则', '技术指南', '规范', '规程', '导则', '指南', '标准', '方法'];

/**
 * The lines of the cover title: a title longer than a line breaks where the phrase allows (after 「…示范区」,
 * before 「技术规范」 …), never inside a term such as 地表水环境质量; the most balanced such break wins.
 */
export function titleLines(title: string, perLine = TITLE_LINE_CHARS): string[] {
  const chars = [...title];
  if (chars.length <= perLine) return [title];
  const candidates = new Set<number>();
  const text = chars.join('');
  for (const w of BREAK_AFTER) for (let i = text.indexOf(w); i >= 0; i = text.indexOf(w, i + 1)) candidates.add([...text.slice(0, i + w.length)].length);
  for (const w of BREAK_BEFORE) for (let i = text.indexOf(w); i >= 0; i = text.indexOf(w, i + 1)) candidates.add([...text.slice(0, i)].length);
  const fits = [...candidates].filter((k) => k > 0 && k < chars.length && k <= perLine && chars.length - k <= perLine * 2);
  if (fits.length === 0) return [title];
  const best = fits.sort((a, b) => Math.abs(chars.length - 2 * a) - Math.abs(chars.length - 2 * b) || b - a)[0];
  return [chars.slice(0, best).join(''), ...titleLines(chars.slice(best).join(''), perLine)];
}

/** The request printed on draft covers (checklist 43). */
export const PATENT_REQUEST = '在提交反馈意见时，请将您知道的相关专利连同支持性文件一并附上。';

/** Exact-height, borderless rows keep the rules and the bottom block at fixed places whatever the title's length. */
function fixedRow(heightMm: number, children: Paragraph[], bottomRule = false): TableRow {
  return new TableRow({
    height: { value: mm(heightMm), rule: HeightRule.EXACT },
    children: [
      new TableCell({
        width: { size: BLOCK_WIDTH, type: WidthType.DXA },
        verticalAlign: bottomRule ? VerticalAlignTable.BOTTOM : VerticalAlignTable.TOP,
        borders: { top: NONE, left: NONE, right: NONE, bottom: bottomRule ? rule : NONE },
        margins: { left: 0, right: 0, top: 0, bottom: 0 },
        children,
      }),
    ],
  });
}

/** The content of the cover section. */
export function coverChildren(record: StandardRecord, info: EditionInfo, stage?: DraftStage, completedOn?: string): (Paragraph | Table)[] {
  const top: Paragraph[] = [
    new Paragraph({ style: STYLE.coverCodes, children: [new TextRun(`ICS ${record.ics ?? ''}`.trimEnd())] }),
    new Paragraph({ style: STYLE.coverCodes, children: [new TextRun(`CCS ${record.ccs ?? ''}`.trimEnd())] }),
    // The 备案号 slot is kept and left blank: filing happens after publication (spec §5).
    new Paragraph({ style: STYLE.coverCodes, children: [] }),
    new Paragraph({
      alignment: AlignmentType.RIGHT,
      children: info.mark ? [new TextRun({ text: info.mark, bold: true, size: 96, font: { ascii: FONT.latin, hAnsi: FONT.latin, eastAsia: FONT.hei } })] : [],
    }),
  ];
  for (const [i, n] of info.numbers.entries()) {
    top.push(new Paragraph({ style: STYLE.documentNumber, children: [new TextRun(`${n}${i < info.numbers.length - 1 ? '、' : ''}`)] }));
  }
  if (record.replaces && record.replaces.length > 0) {
    top.push(new Paragraph({ style: STYLE.coverCodes, alignment: AlignmentType.RIGHT, children: [new TextRun(`代替 ${record.replaces.join('、')}`)] }));
  }
  const banner = [new Paragraph({ style: STYLE.coverBanner, children: [new TextRun(info.banner)] })];
  const title: Paragraph[] = [
    new Paragraph({
      style: STYLE.documentTitle,
      spacing: { before: mm(30) },
      children: titleLines(record.titleZh).map((line, i) => new TextRun({ text: line, break: i > 0 ? 1 : undefined })),
    }),
    new Paragraph({ style: STYLE.coverEnglishTitle, children: [new TextRun(record.titleEn)] }),
  ];
  if (stage) {
    title.push(
      new Paragraph({ style: STYLE.coverStage, children: [new TextRun(STAGE_LABEL_ZH[stage])] }),
      new Paragraph({ style: STYLE.coverStage, spacing: { before: 120 }, children: [new TextRun({ text: `本稿完成日期：${coverDate(completedOn)}`, size: 21 })] }),
      new Paragraph({
        spacing: { before: 480 },
        indent: { left: mm(25), right: mm(25) },
        border: { top: rule, bottom: rule, left: rule, right: rule },
        children: [new TextRun({ text: PATENT_REQUEST, size: 21, font: { ascii: FONT.latin, hAnsi: FONT.latin, eastAsia: FONT.song } })],
      }),
    );
  }
  // Drafts carry placeholder dates: release and implementation are fixed only at approval.
  const release = stage ? undefined : record.releaseDate;
  const implementation = stage ? undefined : record.implementationDate;
  const dates = new Paragraph({
    style: STYLE.coverDates,
    tabStops: [{ type: TabStopType.RIGHT, position: BLOCK_WIDTH }],
    children: [new TextRun(`${coverDate(release)}发布`), new TextRun({ children: [new Tab(), `${coverDate(implementation)}实施`] })],
  });
  const issuer: Paragraph[] =
    info.issuerLines.length === 1
      ? [
          // The bureau centered, 「发布」 at the right end of the block (no typed U+3000 gap).
          new Paragraph({
            style: STYLE.coverIssuer,
            alignment: AlignmentType.LEFT,
            spacing: { before: 200 },
            tabStops: [
              { type: TabStopType.CENTER, position: Math.round(BLOCK_WIDTH / 2) },
              { type: TabStopType.RIGHT, position: BLOCK_WIDTH },
            ],
            children: [new TextRun({ children: [new Tab(), info.issuerLines[0], new Tab(), info.issuerVerb] })],
          }),
        ]
      : info.issuerLines.map(
          (line, i) =>
            new Paragraph({
              style: STYLE.coverIssuer,
              alignment: AlignmentType.LEFT,
              spacing: { before: i === 0 ? 200 : 0 },
              tabStops: [{ type: TabStopType.RIGHT, position: BLOCK_WIDTH }],
              children: [new TextRun({ text: line, size: 28 }), ...(i === Math.floor(info.issuerLines.length / 2) ? [new TextRun({ children: [new Tab(), info.issuerVerb], size: 28 })] : [])],
            }),
        );
  const layout = new Table({
    width: { size: BLOCK_WIDTH, type: WidthType.DXA },
    columnWidths: [BLOCK_WIDTH],
    borders: { top: NONE, bottom: NONE, left: NONE, right: NONE, insideHorizontal: NONE, insideVertical: NONE },
    rows: [fixedRow(TOP_BLOCK_MM, top), fixedRow(BANNER_MM, banner, true), fixedRow(TITLE_BLOCK_MM, title), fixedRow(DATES_MM, [dates], true)],
  });
  return [layout, ...issuer];
}
