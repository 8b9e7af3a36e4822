// The minutes of a technical review (审查会议纪要, gbt-1.1-format.md §11 rule 46: part of the 报批 package) as
// DOCX: the standard, the form (会审 with date and place, 函审 with its deadline), the panel as a table to sign
// (专家签名表: name, organisation, title, an empty signature column), the conclusion with the votes, and the
// 专家意见汇总处理表 (each opinion, its vote and its handling). Fonts and sizes from activities/docx/typography
// (宋体/黑体, Times New Roman for Latin; title 黑体 三号, text 五号, tables 小五). Every text is data.
import { AlignmentType, BorderStyle, Document, Footer, Packer, PageNumber, Paragraph, Table, TableCell, TableRow, TextRun, VerticalAlign, WidthType } from 'docx';
import { fontOf, SIZE, type Face } from '../docx/typography';
import { CONCLUSION_LABELS, FORM_LABELS, VOTE_LABELS } from '../../workflows/technical-review-rules';
import type { TechnicalReviewState } from '../../workflows/technical-review-messages';

export interface MinutesInput {
  standard: { _id: string; titleZh: string };
  review: TechnicalReviewState;
}

// Control characters the XML of the document may not carry.
const clean = (s: string): string => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');

function run(text: string, opts: { size?: number; bold?: boolean; font?: Face } = {}): TextRun {
  return new TextRun({ text: clean(text), size: opts.size ?? SIZE.五号, bold: opts.bold, font: fontOf(opts.font ?? 'song') });
}

function para(text: string, opts: { size?: number; font?: Face; center?: boolean; before?: number } = {}): Paragraph {
  return new Paragraph({
    alignment: opts.center ? AlignmentType.CENTER : AlignmentType.LEFT,
    spacing: { before: opts.before ?? 0, after: 80 },
    children: [run(text, opts)],
  });
}

function cell(text: string, widthPct: number, opts: { bold?: boolean; center?: boolean; font?: Face } = {}): TableCell {
  const lines = text === '' ? [''] : text.split('\n');
  return new TableCell({
    width: { size: widthPct * 50, type: WidthType.PERCENTAGE },
    verticalAlign: VerticalAlign.CENTER,
    margins: { top: 60, bottom: 60, left: 80, right: 80 },
    children: lines.map((l) => new Paragraph({ alignment: opts.center ? AlignmentType.CENTER : AlignmentType.LEFT, children: [run(l, { size: SIZE.小五, bold: opts.bold, font: opts.font })] })),
  });
}

const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
function table(headers: string[], widths: number[], rows: string[][]): Table {
  return new Table({
    width: { size: 5000, type: WidthType.PERCENTAGE },
    borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
    rows: [
      new TableRow({ tableHeader: true, cantSplit: true, children: headers.map((h, i) => cell(h, widths[i], { bold: true, center: true, font: 'hei' })) }),
      ...rows.map((r) => new TableRow({ cantSplit: true, children: r.map((t, i) => cell(t, widths[i], { center: i === 0 })) })),
    ],
  });
}

function chinaDate(iso: string | undefined): string {
  if (!iso) return '—';
  const d = new Date(Date.parse(iso) + 8 * 3600_000);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

const dateWords = (ymd: string): string => {
  const [y, m, d] = ymd.split('-').map(Number);
  return `${y}年${m}月${d}日`;
};

/** The lines describing how the review was held. */
export function formLines(r: TechnicalReviewState): string[] {
  if (!r.form) return ['审查方式：未选择'];
  if (r.form.kind === 'meeting') return [`审查方式：${FORM_LABELS.meeting.zh}`, `会议日期：${dateWords(r.form.date)}`, `会议地点：${r.form.place}`];
  return [`审查方式：${FORM_LABELS.correspondence.zh}`, `意见截止时间：${chinaDate(r.form.deadline)}`];
}

/** The DOCX bytes of the minutes. */
export async function reviewMinutesDocx(input: MinutesInput): Promise<Buffer> {
  const r = input.review;
  const byUser = new Map(r.panel.map((m) => [m.userId, m]));
  const panelRows = r.panel.map((m, i) => [String(i + 1), m.name, m.organisation, m.title, '']);
  const opinionRows = r.opinions.map((o, i) => [String(i + 1), byUser.get(o.userId)?.name ?? o.userId, VOTE_LABELS[o.vote].zh, o.text, r.handling?.[o.userId] ?? '']);
  const late = r.panel.filter((m) => !r.opinions.some((o) => o.userId === m.userId));
  const conclusion = r.conclusion ? CONCLUSION_LABELS[r.conclusion].zh : '尚未形成';
  const doc = new Document({
    creator: 'Tongbiao 统标',
    title: `审查会议纪要 — ${clean(input.standard.titleZh)}`,
    styles: { default: { document: { run: { font: fontOf('song'), size: SIZE.五号 } } } },
    sections: [
      {
        properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 1440, bottom: 1440, left: 1134, right: 1134, header: 851, footer: 851 } } },
        footers: { default: new Footer({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: ['第 ', PageNumber.CURRENT, ' 页 共 ', PageNumber.TOTAL_PAGES, ' 页'], size: SIZE.小五 })] })] }) },
        children: [
          para('审查会议纪要', { size: SIZE.三号, font: 'hei', center: true }),
          para(`《${input.standard.titleZh}》技术审查（第 ${r.round} 轮）`, { size: SIZE.四号, center: true }),
          para(`标准项目：${input.standard.titleZh}（${input.standard._id}）`, { before: 200 }),
          ...formLines(r).map((l) => para(l)),
          para(`结论记录日期：${chinaDate(r.concludedAt)}`),
          para('一、专家组（专家签名表）', { font: 'hei', before: 200 }),
          table(['序号', '姓名', '工作单位', '职称/职务', '签名'], [8, 16, 40, 18, 18], panelRows),
          para('二、审查结论', { font: 'hei', before: 200 }),
          para(`专家组 ${r.panel.length} 人，提交意见 ${r.opinions.length} 份；表决“通过”或“修改后通过”${r.yesVotes ?? 0} 票，按规则须至少 ${r.votesNeeded ?? '—'} 票。`),
          para(`审查结论：${conclusion}`, { font: 'hei' }),
          ...(r.summary ? r.summary.split('\n').map((l) => para(l)) : []),
          ...(late.length ? [para(`未按期提交意见的专家：${late.map((m) => m.name).join('、')}`)] : []),
          para('三、专家意见汇总处理表', { font: 'hei', before: 200 }),
          table(['序号', '专家', '表决意见', '审查意见', '处理意见'], [6, 12, 12, 38, 32], opinionRows),
          para(`组织单位：${r.organiser?.displayName ?? '—'}`, { before: 300 }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
