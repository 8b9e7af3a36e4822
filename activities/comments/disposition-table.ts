// The 征求意见汇总处理表 (disposition table) as DOCX and CSV, following gbt-1.1-format.md §8.1: a header
// block (title; 标准项目名称, 共 页 第 页; 负责起草单位, 承办人, 电话, date), the columns 序号 / 标准章条编号 /
// 意见内容 / 修改建议 / 提出单位 / 处理意见 / 备注, and counts at the foot. Every text is data: the docx
// library escapes it as XML text, so HTML or script typed by a commenter shows as characters.
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx';
import type { ClauseInfo } from '../../editor/clauses';
import type { DraftSnapshot } from '../../editor/anchors';
import { clausesOf } from '../../editor/clauses';
import { COMMENTER_PROVINCE_LABELS, COMMENTER_PROVINCES, type CommentRecord } from './model';
import { fontOf, SIZE } from '../docx/typography';
import { tableRow, type TableComment, type TableRow as DispositionRow } from './rows';

export interface DispositionTableInput {
  standard: { titleZh: string; draftingUnits: string[] };
  /** 承办人 and 电话 of the drafting group; blank lines when unknown. */
  handler?: { name?: string; phone?: string };
  /** 填写 date. */
  date: Date;
  /** All comments of the standard; hidden ones are left out of the rows and counted at the foot. */
  comments: CommentRecord[];
  /** The current text, so renumbered and deleted clauses are named as they are now. */
  current: DraftSnapshot | null;
  /** How many units the 征求意见稿 was sent to, as recorded for the consultation; null/absent when not recorded. */
  sentTo?: number | null;
  /** Version names by id (./version-names.ts), so 备注 names the version a change is in rather than its id. */
  versionNames?: ReadonlyMap<string, string>;
}

export const COLUMNS = ['序号', '标准章条编号', '意见内容', '修改建议', '提出单位', '处理意见', '备注'] as const;
/** Column widths in per cent of the text width (landscape A4). */
const WIDTHS = [5, 10, 29, 19, 12, 15, 10];
type Face = 'song' | 'hei';

// Characters XML 1.0 cannot carry; intake refuses them, this keeps older data from breaking the file.
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
export const clean = (s: string): string => s.replace(XML_INVALID, '\uFFFD');

export interface TableSummary {
  rows: DispositionRow[];
  /** Visible comments, i.e. rows of the table (also when the rows were streamed and not kept). */
  count: number;
  hidden: number;
  submitters: number;
  /** Units (non-empty organisations) among the submitters: the units that replied with comments. */
  units: number;
  /** Units the draft was sent to, when recorded. */
  sentTo: number | null;
  byDecision: { accepted: number; partiallyAccepted: number; rejected: number; pending: number };
  byProvince: Record<string, number>;
}

/**
 * Counts for the foot and the numbered rows, a comment at a time: the whole-table functions below and the
 * streamed exports (./disposition-stream.ts) share it, so both number and count alike.
 */
export class TableTally {
  private n = 0;
  private hidden = 0;
  private readonly who = new Set<string>();
  private readonly units = new Set<string>();
  private readonly byDecision = { accepted: 0, partiallyAccepted: 0, rejected: 0, pending: 0 };
  private readonly byProvince: Record<string, number> = {};
  private readonly clauses: ReadonlyMap<string, ClauseInfo> | undefined;

  constructor(
    private readonly current: DraftSnapshot | null,
    private readonly versionNames?: ReadonlyMap<string, string>,
  ) {
    this.clauses = current ? clausesOf(current.json) : undefined;
  }

  /** The comment's row, numbered in order; null for a hidden comment (counted at the foot only). */
  add(c: TableComment): DispositionRow | null {
    if (c.moderation !== 'visible') {
      this.hidden += 1;
      return null;
    }
    this.n += 1;
    if (c.submitter.organisation.trim()) this.units.add(c.submitter.organisation.trim());
    this.byDecision[c.disposition?.decision ?? 'pending'] += 1;
    this.byProvince[c.submitter.province] = (this.byProvince[c.submitter.province] ?? 0) + 1;
    this.who.add(`${c.submitter.organisation}\u0000${c.submitter.organisation ? '' : c.submitter.name}`);
    return tableRow(c, this.n, this.current, this.clauses, false, this.versionNames);
  }

  summary(sentToIn: number | null | undefined, rows: DispositionRow[] = []): TableSummary {
    const sentTo = typeof sentToIn === 'number' && Number.isInteger(sentToIn) && sentToIn >= 0 ? sentToIn : null;
    return { rows, count: this.n, hidden: this.hidden, submitters: this.who.size, units: this.units.size, sentTo, byDecision: { ...this.byDecision }, byProvince: { ...this.byProvince } };
  }
}

export function summarise(input: Pick<DispositionTableInput, 'comments' | 'current' | 'sentTo' | 'versionNames'>): TableSummary {
  const tally = new TableTally(input.current, input.versionNames);
  const rows: DispositionRow[] = [];
  for (const c of input.comments) {
    const r = tally.add(c);
    if (r) rows.push(r);
  }
  return tally.summary(input.sentTo, rows);
}

/**
 * The 说明 line at the foot of the table, in the usual form: ① units the draft was sent to, ② units that
 * replied, ③ units that replied with comments, ④ units that did not reply; then the comment counts. A
 * reply is only recorded here as a comment, so ② equals ③; ① and ④ say 「未记录」 when the count of units
 * the draft was sent to has not been recorded (never a guessed number).
 */
export function footText(s: TableSummary): string {
  const prov = COMMENTER_PROVINCES.filter((p) => s.byProvince[p]).map((p) => `${COMMENTER_PROVINCE_LABELS[p].zh}${s.byProvince[p]}条`).join('、');
  const persons = s.submitters - s.units;
  const sent = s.sentTo === null ? '未记录' : `${s.sentTo}个`;
  const silent = s.sentTo === null ? '未记录' : `${Math.max(0, s.sentTo - s.units)}个`;
  return (
    `说明：①发送《征求意见稿》的单位数：${sent}；` +
    `②收到《征求意见稿》后，回函的单位数：${s.units}个；` +
    `③收到《征求意见稿》后，回函并有建议或意见的单位数：${s.units}个；` +
    `④没有回函的单位数：${silent}。` +
    `共收到意见${s.count}条${prov ? `（${prov}）` : ''}，来自${s.units}个单位${persons > 0 ? `和${persons}名个人` : ''}；` +
    `采纳${s.byDecision.accepted}条，部分采纳${s.byDecision.partiallyAccepted}条，不采纳${s.byDecision.rejected}条` +
    `${s.byDecision.pending ? `，尚未处理${s.byDecision.pending}条` : ''}` +
    `${s.hidden ? `。另有${s.hidden}条经审核为无关或不当内容，未列入本表` : ''}。`
  );
}

function run(text: string, opts: { size?: number; bold?: boolean; font?: Face } = {}): TextRun {
  return new TextRun({ text: clean(text), size: opts.size ?? SIZE.小五, bold: opts.bold, font: fontOf(opts.font ?? 'song') });
}

function cellParagraphs(text: string, opts: { bold?: boolean; center?: boolean; font?: Face } = {}): Paragraph[] {
  const lines = text === '' ? [''] : text.split('\n');
  return lines.map((l) => new Paragraph({ alignment: opts.center ? AlignmentType.CENTER : AlignmentType.LEFT, children: [run(l, { bold: opts.bold, font: opts.font })] }));
}

function cell(text: string, widthPct: number, opts: { bold?: boolean; center?: boolean; font?: Face } = {}): TableCell {
  return new TableCell({
    width: { size: widthPct * 50, type: WidthType.PERCENTAGE },
    verticalAlign: VerticalAlign.CENTER,
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    children: cellParagraphs(text, opts),
  });
}

const line = (children: TextRun[], alignment: (typeof AlignmentType)[keyof typeof AlignmentType] = AlignmentType.LEFT): Paragraph => new Paragraph({ alignment, spacing: { after: 60 }, children });

function fillDate(d: Date): string {
  const parts = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(d);
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  return `${p.year}年${p.month}月${p.day}日填写`;
}

/** A table row of the DOCX (the streamed DOCX takes its XML from one such row). */
export function docxDataRow(r: Pick<DispositionRow, 'clause' | 'comment' | 'proposedChange' | 'from' | 'dispositionText' | 'remark'> & { no: number | string }): TableRow {
  return new TableRow({
    cantSplit: false,
    children: [
      cell(String(r.no), WIDTHS[0], { center: true }),
      cell(r.clause, WIDTHS[1], { center: true }),
      cell(r.comment, WIDTHS[2]),
      cell(r.proposedChange, WIDTHS[3]),
      cell(r.from, WIDTHS[4]),
      cell(r.dispositionText, WIDTHS[5]),
      cell(r.remark, WIDTHS[6]),
    ],
  });
}

/** The document around the rows: header block, the table with its heading row and `rows`, the 说明 line. */
export function dispositionDocument(input: Omit<DispositionTableInput, 'comments'>, rows: TableRow[], foot: string): Document {
  const blank = '＿＿＿＿＿＿';
  const header = new TableRow({ tableHeader: true, cantSplit: true, children: COLUMNS.map((c, i) => cell(c, WIDTHS[i], { bold: true, center: true, font: 'hei' })) });
  const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
  return new Document({
    creator: 'Tongbiao 统标',
    title: `征求意见汇总处理表 — ${clean(input.standard.titleZh)}`,
    styles: { default: { document: { run: { font: fontOf('song'), size: SIZE.五号 } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: 11906, height: 16838, orientation: PageOrientation.LANDSCAPE },
            margin: { top: 1134, bottom: 1134, left: 1134, right: 1134, header: 567, footer: 567 },
          },
        },
        headers: { default: new Header({ children: [] }) },
        footers: { default: new Footer({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: ['第 ', PageNumber.CURRENT, ' 页 共 ', PageNumber.TOTAL_PAGES, ' 页'], size: SIZE.小五 })] })] }) },
        children: [
          line([run('征求意见汇总处理表', { size: SIZE.三号, font: 'hei' })], AlignmentType.CENTER),
          line([
            run(`标准项目名称：${input.standard.titleZh}`, { size: SIZE.五号 }),
            run('　　　　共　', { size: SIZE.五号 }),
            new TextRun({ children: [PageNumber.TOTAL_PAGES], size: SIZE.五号 }),
            run('　页　第　', { size: SIZE.五号 }),
            new TextRun({ children: [PageNumber.CURRENT], size: SIZE.五号 }),
            run('　页', { size: SIZE.五号 }),
          ]),
          line([
            run(`负责起草单位：${input.standard.draftingUnits.join('、') || blank}`, { size: SIZE.五号 }),
            run(`　　承办人：${input.handler?.name || blank}`, { size: SIZE.五号 }),
            run(`　　电话：${input.handler?.phone || blank}`, { size: SIZE.五号 }),
            run(`　　${fillDate(input.date)}`, { size: SIZE.五号 }),
          ]),
          new Table({
            width: { size: 5000, type: WidthType.PERCENTAGE },
            borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
            rows: [header, ...rows],
          }),
          new Paragraph({ spacing: { before: 120 }, children: [run(foot, { size: SIZE.五号 })] }),
        ],
      },
    ],
  });
}

/** The DOCX file, built whole (the staff download streams it instead: ./disposition-stream.ts). */
export async function dispositionTableDocx(input: DispositionTableInput): Promise<Buffer> {
  const s = summarise(input);
  return Packer.toBuffer(dispositionDocument(input, s.rows.map(docxDataRow), footText(s)));
}

// Spreadsheet programs execute cells that start with these; a leading apostrophe keeps them as text.
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(v: string): string {
  const t = FORMULA_START.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

/** The CSV's first line (with its BOM) and one line per row, each ending in CRLF. */
export const CSV_HEAD = `\uFEFF${[...COLUMNS, '回执编号', '处理结果'].map(csvCell).join(',')}\r\n`;
export function csvLine(r: DispositionRow): string {
  return `${[String(r.no), r.clause, r.comment, r.proposedChange, r.from, r.dispositionText, r.remark, r.receipt, r.decision.zh].map((x) => csvCell(clean(x))).join(',')}\r\n`;
}

/** The CSV file (UTF-8 with BOM so spreadsheet programs read Chinese correctly; RFC 4180 quoting). */
export function dispositionTableCsv(input: Pick<DispositionTableInput, 'comments' | 'current' | 'sentTo'>): string {
  const s = summarise(input);
  return `${CSV_HEAD}${s.rows.map(csvLine).join('')}${csvCell(footText(s))}\r\n`;
}
