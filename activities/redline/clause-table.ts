// The 条文对照表 (issue 13): the same comparison as the redline copy, as a two-column table — the older
// version's clause (征求意见稿) on the left, the newer's (送审稿) on the right — one row per chapter, clause,
// term entry or annex that was changed, added, deleted or renumbered. Units are matched by id (ids stay with
// a clause across versions). Unchanged units are counted at the foot, or listed too with `includeUnchanged`:
// nothing is left out without saying so. Each cell holds the unit's number and title, then its own text:
// paragraphs, list items, notes, table rows, figure titles, formulas and 式中 lines, with cross-references
// as their computed numbers.
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { COMMENTABLE_TYPES } from '../../editor/clauses';
import { computeNumbering, referenceDesignation, xrefText, type Numbering } from '../../editor/numbering';
import type { DocJSON, NodeJSON } from '../../editor/types';
import { fontOf, SIZE } from '../docx/typography';
import { agreedText } from '../docx/agreed-text';

export interface ClauseTableOptions {
  titleZh: string;
  older: DocJSON;
  newer: DocJSON;
  /** Column headings: 「征求意见稿」, 「送审稿」 or 「第3版 工作组讨论稿」. */
  olderName: string;
  newerName: string;
  includeUnchanged?: boolean;
}

export interface ClauseUnit {
  id: string;
  /** 「5.2　布设数量」, 「附录A（规范性）质量控制要求」, 「3.1　监测点位」. */
  heading: string;
  number: string;
  lines: string[];
}

export type RowStatus = 'changed' | 'added' | 'deleted' | 'renumbered' | 'unchanged';
export interface ClauseRow {
  status: RowStatus;
  older?: ClauseUnit;
  newer?: ClauseUnit;
}

// Characters XML 1.0 cannot carry.
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const clean = (s: string): string => s.replace(XML_INVALID, '\uFFFD');

function inlineText(n: NodeJSON, numbering: Numbering): string {
  if (n.type === 'text') return n.text ?? '';
  if (n.type === 'xref') return xrefText(numbering, String(n.attrs?.target ?? ''));
  return (n.content ?? []).map((c) => inlineText(c, numbering)).join('');
}

const TEXTBLOCKS = new Set(['paragraph', 'termEnglish', 'termAbbreviation', 'definition', 'termSource']);

/** The own lines of a unit: every text block that is not inside a nested unit or the heading. */
function ownLines(node: NodeJSON, numbering: Numbering): string[] {
  const out: string[] = [];
  const walk = (n: NodeJSON): void => {
    if (COMMENTABLE_TYPES.has(n.type) || n.type === 'heading' || n.type === 'term') return;
    const id = typeof n.attrs?.id === 'string' ? n.attrs.id : '';
    const label = id ? numbering.byId[id]?.label ?? '' : '';
    if (n.type === 'tableRow') {
      out.push((n.content ?? []).map((cell) => (cell.content ?? []).map((c) => inlineText(c, numbering)).join(' ')).join(' | '));
      return;
    }
    if (n.type === 'formulaSymbol') {
      out.push(`${String(n.attrs?.symbol ?? '')}——${inlineText(n, numbering)}`);
      return;
    }
    if (n.type === 'referenceEntry') {
      out.push(`${referenceDesignation(n.attrs ?? {})}　${inlineText(n, numbering)}`);
      return;
    }
    if (TEXTBLOCKS.has(n.type) || (n.content ?? []).some((c) => c.type === 'text' || c.type === 'xref')) {
      const t = inlineText(n, numbering);
      if (n.type === 'bibliographyEntry') out.push(`${label}　${t}`);
      else if (t) out.push(t);
      return;
    }
    if (n.type === 'table' || n.type === 'figure' || n.type === 'formula') {
      // The number is the block's own (表1, 图A.1, (2)); its caption or formula line carries it.
      const lead = (n.content ?? []).find((c) => c.type === 'caption' || c.type === 'formulaText');
      const t = lead ? inlineText(lead, numbering) : '';
      out.push(n.type === 'formula' ? `${t}　${label}` : [label, t].filter(Boolean).join('　'));
      for (const c of n.content ?? []) if (c !== lead) walk(c);
      return;
    }
    for (const c of n.content ?? []) walk(c);
  };
  for (const c of node.content ?? []) walk(c);
  return out;
}

const FIXED: Record<string, string> = { foreword: '前言', introduction: '引言', scope: '范围', normativeReferences: '规范性引用文件', termsAndDefinitions: '术语和定义', bibliography: '参考文献' };

/** Every unit of a document with an id, in document order. */
export function clauseUnits(doc: DocJSON): ClauseUnit[] {
  const numbering = computeNumbering(doc);
  const out: ClauseUnit[] = [];
  const walk = (n: NodeJSON): void => {
    for (const c of n.content ?? []) {
      const id = typeof c.attrs?.id === 'string' ? c.attrs.id : '';
      if (COMMENTABLE_TYPES.has(c.type) && id) {
        const label = numbering.byId[id]?.label ?? FIXED[c.type] ?? '';
        const headingNode = (c.content ?? []).find((x) => x.type === 'heading' || x.type === 'term');
        const title = FIXED[c.type] && !label.includes(FIXED[c.type]) ? FIXED[c.type] : headingNode ? inlineText(headingNode, numbering) : '';
        const heading = [label, title].filter(Boolean).join('　');
        out.push({ id, heading, number: label, lines: ownLines(c, numbering) });
      }
      walk(c);
    }
  };
  walk(doc as NodeJSON);
  return out;
}

/** The rows: newer order, a deleted unit placed after the unit that preceded it in the older version. */
export function clauseRows(older: DocJSON, newer: DocJSON): ClauseRow[] {
  // Suggested changes are proposals: both versions compare as their agreed text.
  const a = clauseUnits(agreedText(older));
  const b = clauseUnits(agreedText(newer));
  const inNewer = new Set(b.map((u) => u.id));
  const olderById = new Map(a.map((u) => [u.id, u]));
  const deletedAfter = new Map<string | null, ClauseUnit[]>();
  let previous: string | null = null;
  for (const u of a) {
    if (!inNewer.has(u.id)) deletedAfter.set(previous, [...(deletedAfter.get(previous) ?? []), u]);
    else previous = u.id;
  }
  const rows: ClauseRow[] = (deletedAfter.get(null) ?? []).map((u) => ({ status: 'deleted' as const, older: u }));
  for (const u of b) {
    const o = olderById.get(u.id);
    if (!o) rows.push({ status: 'added', newer: u });
    else {
      const sameText = JSON.stringify(o.lines) === JSON.stringify(u.lines) && o.heading.replace(o.number, '') === u.heading.replace(u.number, '');
      rows.push({ status: sameText ? (o.number === u.number ? 'unchanged' : 'renumbered') : 'changed', older: o, newer: u });
    }
    for (const d of deletedAfter.get(u.id) ?? []) rows.push({ status: 'deleted', older: d });
  }
  return rows;
}

const STATUS_ZH: Record<RowStatus, string> = { changed: '修改', added: '新增', deleted: '删除', renumbered: '仅编号变化', unchanged: '未修改' };

function cellOf(unit: ClauseUnit | undefined, placeholder: string): TableCell {
  const paras = unit
    ? [
        new Paragraph({ children: [new TextRun({ text: clean(unit.heading), font: fontOf('hei'), size: SIZE.五号 })] }),
        ...unit.lines.map((l) => new Paragraph({ children: [new TextRun({ text: clean(l), font: fontOf('song'), size: SIZE.五号 })] })),
      ]
    : [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: placeholder, font: fontOf('song'), size: SIZE.五号 })] })];
  return new TableCell({ width: { size: 2500, type: WidthType.PERCENTAGE }, margins: { top: 40, bottom: 40, left: 80, right: 80 }, children: paras });
}

/** The foot line: how many units of each kind, and that unchanged ones are not listed (when so). */
export function countsLine(rows: readonly ClauseRow[], includeUnchanged: boolean): string {
  const n = (s: RowStatus) => rows.filter((r) => r.status === s).length;
  const unchanged = n('unchanged');
  return (
    `说明：共对照${rows.length}个章、条、术语和附录；修改${n('changed')}个，新增${n('added')}个，删除${n('deleted')}个，仅编号变化${n('renumbered')}个，` +
    `未修改${unchanged}个${includeUnchanged || unchanged === 0 ? '' : '（未列入本表）'}。`
  );
}

/** The 条文对照表 DOCX. */
export async function generateClauseTableDocx(opts: ClauseTableOptions): Promise<Buffer> {
  const all = clauseRows(opts.older, opts.newer);
  const rows = opts.includeUnchanged ? all : all.filter((r) => r.status !== 'unchanged');
  const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
  const header = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: [opts.olderName, opts.newerName].map(
      (t) => new TableCell({ width: { size: 2500, type: WidthType.PERCENTAGE }, children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: clean(t), font: fontOf('hei'), size: SIZE.五号 })] })] }),
    ),
  });
  const body = rows.map((r) => new TableRow({ children: [cellOf(r.older, `（${STATUS_ZH[r.status]}）`), cellOf(r.newer, `（${STATUS_ZH[r.status]}）`)] }));
  const doc = new Document({
    creator: 'Tongbiao 统标',
    title: `条文对照表 — ${clean(opts.titleZh)}`,
    styles: { default: { document: { run: { font: fontOf('song'), size: SIZE.五号 } } } },
    sections: [
      {
        properties: { page: { size: { width: 11906, height: 16838, orientation: PageOrientation.LANDSCAPE }, margin: { top: 1134, bottom: 1134, left: 1134, right: 1134, header: 567, footer: 567 } } },
        footers: { default: new Footer({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: ['第 ', PageNumber.CURRENT, ' 页 共 ', PageNumber.TOTAL_PAGES, ' 页'], size: SIZE.小五 })] })] }) },
        children: [
          new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 120 }, children: [new TextRun({ text: `《${clean(opts.titleZh)}》条文对照表`, font: fontOf('hei'), size: SIZE.三号 })] }),
          new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 120 }, children: [new TextRun({ text: clean(`${opts.olderName}与${opts.newerName}对照`), size: SIZE.五号 })] }),
          new Table({ width: { size: 5000, type: WidthType.PERCENTAGE }, borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border }, rows: [header, ...body] }),
          new Paragraph({ spacing: { before: 120 }, children: [new TextRun({ text: countsLine(all, Boolean(opts.includeUnchanged)), size: SIZE.五号 })] }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
