// The cover page (spec §4.3, §5, §6; checklist 24–28, 36, 43): ICS/CCS and the 备案号 slot top left, the
// code mark and the number(s) top right, the banner over the upper rule, the title block, and at the
// bottom the dates over the lower rule and the issuing bodies. The cover is its own section with no
// header, footer or page number. Its bottom block is an absolutely positioned frame so it sits at the
// same place whatever the length of the title.
import { AlignmentType, BorderStyle, FrameAnchorType, Paragraph, TabStopType, TextRun, type IFrameOptions } from 'docx';
import type { StandardRecord } from '../../workflows/domain';
import { coverDate, STAGE_LABEL_ZH, type DraftStage, type EditionInfo } from './edition';
import { STYLE } from './styles';
import { FONT, mm } from './typography';

const rule = { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 4 } as const;
const BLOCK_WIDTH = mm(170);

function bottomFrame(y: number): IFrameOptions {
  return {
    type: 'absolute',
    position: { x: mm(25), y },
    width: BLOCK_WIDTH,
    anchor: { horizontal: FrameAnchorType.PAGE, vertical: FrameAnchorType.PAGE },
  };
}

/** The paragraphs of the cover. */
export function coverParagraphs(record: StandardRecord, info: EditionInfo, stage?: DraftStage, completedOn?: string): Paragraph[] {
  const out: Paragraph[] = [
    new Paragraph({ style: STYLE.coverCodes, children: [new TextRun(`ICS ${record.ics ?? ''}`.trimEnd())] }),
    new Paragraph({ style: STYLE.coverCodes, children: [new TextRun(`CCS ${record.ccs ?? ''}`.trimEnd())] }),
    // The 备案号 slot is kept and left blank: filing happens after publication (spec §5).
    new Paragraph({ style: STYLE.coverCodes, children: [] }),
  ];
  out.push(
    new Paragraph({
      alignment: AlignmentType.RIGHT,
      spacing: { before: 120 },
      children: info.mark ? [new TextRun({ text: info.mark, bold: true, size: 96, font: { ascii: FONT.latin, hAnsi: FONT.latin, eastAsia: FONT.hei } })] : [],
    }),
  );
  for (const [i, n] of info.numbers.entries()) {
    out.push(new Paragraph({ style: STYLE.documentNumber, children: [new TextRun(`${n}${i < info.numbers.length - 1 ? '、' : ''}`)] }));
  }
  if (record.replaces && record.replaces.length > 0) {
    out.push(new Paragraph({ alignment: AlignmentType.RIGHT, style: STYLE.coverCodes, children: [new TextRun(`代替 ${record.replaces.join('、')}`)] }));
  }
  out.push(
    new Paragraph({
      style: STYLE.coverBanner,
      spacing: { before: 360, after: 0 },
      border: { bottom: rule },
      children: [new TextRun(info.banner)],
    }),
    new Paragraph({ style: STYLE.documentTitle, spacing: { before: mm(30) }, children: [new TextRun(record.titleZh)] }),
    new Paragraph({ style: STYLE.coverEnglishTitle, children: [new TextRun(record.titleEn)] }),
  );
  if (stage) {
    out.push(new Paragraph({ style: STYLE.coverStage, children: [new TextRun(STAGE_LABEL_ZH[stage])] }));
    out.push(new Paragraph({ style: STYLE.coverStage, spacing: { before: 120 }, children: [new TextRun({ text: `本稿完成日期：${coverDate(completedOn)}`, size: 21 })] }));
    out.push(
      new Paragraph({
        alignment: AlignmentType.LEFT,
        spacing: { before: 480 },
        indent: { left: mm(20), right: mm(20) },
        border: { top: rule, bottom: rule, left: rule, right: rule },
        children: [new TextRun({ text: '在提交反馈意见时，请将您知道的相关专利连同支持性文件一并附上。', size: 21, font: { ascii: FONT.latin, hAnsi: FONT.latin, eastAsia: FONT.song } })],
      }),
    );
  }
  const frame = bottomFrame(mm(info.issuerLines.length > 1 ? 240 : 248));
  out.push(
    new Paragraph({
      style: STYLE.coverDates,
      frame,
      tabStops: [{ type: TabStopType.RIGHT, position: BLOCK_WIDTH }],
      border: { bottom: rule },
      children: [new TextRun(`${coverDate(record.releaseDate)}发布`), new TextRun({ text: `\t${coverDate(record.implementationDate)}实施` })],
    }),
  );
  if (info.issuerLines.length === 1) {
    out.push(new Paragraph({ style: STYLE.coverIssuer, frame, spacing: { before: 160 }, children: [new TextRun(`${info.issuerLines[0]}\u3000\u3000${info.issuerVerb}`)] }));
  } else {
    const middle = Math.floor(info.issuerLines.length / 2);
    for (const [i, line] of info.issuerLines.entries()) {
      out.push(
        new Paragraph({
          style: STYLE.coverIssuer,
          frame,
          alignment: AlignmentType.LEFT,
          spacing: { before: i === 0 ? 160 : 0 },
          tabStops: [{ type: TabStopType.RIGHT, position: BLOCK_WIDTH }],
          children: [new TextRun({ text: line, size: 28 }), ...(i === middle ? [new TextRun({ text: `\t${info.issuerVerb}`, size: 28 })] : [])],
        }),
      );
    }
  }
  return out;
}
