// Table grids written straight to WordprocessingML. Tables are most of a large standard's XML (every
// cell is a w:tc with a w:p and its runs), and building them from the docx library's objects costs ten
// times the rest of the document; this component writes the same elements — grid, borders, repeated
// header rows, cells with gridSpan/vMerge, 标准文件_表格 paragraphs — as the plain objects the library
// serializes, so a 300-page standard stays within its time budget. In a redline copy (activities/redline)
// text marked inserted or deleted is written as w:ins / w:del (w:delText), and a row inserted or deleted
// whole is marked so in its w:trPr, as Word does.
import { FileChild, type IContext, type IXmlableObject, type XmlComponent } from 'docx';
import type { NodeJSON } from '../../editor/types';
import { xrefText, type Numbering } from '../../editor/numbering';
import { nextChange, REDLINE_DEL, REDLINE_INS, whollyTracked } from './inline';

type X = IXmlableObject;

const attr = (a: Record<string, string | number>): X => ({ _attr: a });
const el = (name: string, ...children: unknown[]): X => ({ [name]: children.length ? children : {} });
const val = (name: string, v: string | number): X => ({ [name]: attr({ 'w:val': v }) });
const border = (name: string, size: number): X => ({ [name]: attr({ 'w:val': 'single', 'w:color': '000000', 'w:sz': size }) });

function runsOf(nodes: readonly NodeJSON[] | undefined, numbering: Numbering): X[] {
  const out: X[] = [];
  for (const n of nodes ?? []) {
    let text = '';
    const props: X[] = [];
    if (n.type === 'text') {
      text = n.text ?? '';
      const marks = new Set((n.marks ?? []).map((m) => m.type));
      if (marks.has('strong')) props.push(el('w:b'));
      if (marks.has('em')) props.push(el('w:i'));
      if (marks.has('sub')) props.push(val('w:vertAlign', 'subscript'));
      if (marks.has('sup')) props.push(val('w:vertAlign', 'superscript'));
    } else if (n.type === 'xref') {
      text = xrefText(numbering, String(n.attrs?.target ?? ''));
    } else continue;
    const marks = new Set((n.marks ?? []).map((m) => m.type as string));
    const kind = marks.has(REDLINE_DEL) ? 'w:del' : marks.has(REDLINE_INS) ? 'w:ins' : null;
    const change = kind ? nextChange(n) : null;
    const run = el('w:r', ...(props.length ? [el('w:rPr', ...props)] : []), { [kind === 'w:del' && change ? 'w:delText' : 'w:t']: [attr({ 'xml:space': 'preserve' }), text] });
    out.push(kind && change ? { [kind]: [attr({ 'w:id': change.id, 'w:author': change.author, 'w:date': change.date }), run] } : run);
  }
  return out;
}

export interface FastTableOptions {
  /** Rows of the grid (tableRow nodes). */
  rows: readonly NodeJSON[];
  /** How many leading rows are header rows (repeated on every page). */
  headerRows: number;
  columns: number;
  width: number;
  cellStyle: string;
  numbering: Numbering;
  /** A last full-width row (table notes), already rendered by the library. */
  lastRow?: XmlComponent | null;
  outerBorderSize: number;
  innerBorderSize: number;
  /** Keep the rows together on one page: every row but the last is kept with the next (w:keepNext). */
  keepTogether?: boolean;
}

/** A table (w:tbl) of the document model's rows. */
export class FastTable extends FileChild {
  constructor(private readonly options: FastTableOptions) {
    super('w:tbl');
  }

  override prepForXml(context: IContext): X {
    const o = this.options;
    const colWidth = Math.floor(o.width / o.columns);
    const tblPr = el(
      'w:tblPr',
      { 'w:tblW': attr({ 'w:type': 'dxa', 'w:w': o.width }) },
      val('w:jc', 'center'),
      el('w:tblBorders', border('w:top', o.outerBorderSize), border('w:left', o.outerBorderSize), border('w:bottom', o.outerBorderSize), border('w:right', o.outerBorderSize), border('w:insideH', o.innerBorderSize), border('w:insideV', o.innerBorderSize)),
      { 'w:tblLayout': attr({ 'w:type': 'fixed' }) },
    );
    const grid = el('w:tblGrid', ...Array.from({ length: o.columns }, () => ({ 'w:gridCol': attr({ 'w:w': colWidth }) })));
    const out: X[] = [tblPr, grid];
    // Columns still covered by a cell from a row above (rowspan), with how many rows and columns remain.
    const covered = new Map<number, { rows: number; span: number }>();
    o.rows.forEach((row, r) => {
      const header = r < o.headerRows;
      const keep = header || (o.keepTogether === true && (r < o.rows.length - 1 || Boolean(o.lastRow)));
      const whole = whollyTracked(row);
      const rowChange = whole ? nextChange(row) : null;
      const trPr = el(
        'w:trPr',
        el('w:cantSplit'),
        ...(header ? [el('w:tblHeader')] : []),
        ...(whole && rowChange ? [{ [whole === 'del' ? 'w:del' : 'w:ins']: attr({ 'w:id': rowChange.id, 'w:author': rowChange.author, 'w:date': rowChange.date }) }] : []),
      );
      const cells: X[] = [];
      const source = [...(row.content ?? [])];
      let col = 0;
      while (col < o.columns && (source.length > 0 || covered.has(col))) {
        const cover = covered.get(col);
        if (cover) {
          cells.push(this.cell(colWidth * cover.span, cover.span, 'continue', [el('w:p', el('w:pPr', val('w:pStyle', o.cellStyle)))]));
          if (cover.rows <= 1) covered.delete(col);
          else covered.set(col, { rows: cover.rows - 1, span: cover.span });
          col += cover.span;
          continue;
        }
        const c = source.shift() as NodeJSON;
        const span = Math.max(1, Number(c.attrs?.colspan ?? 1) || 1);
        const rowspan = Math.max(1, Number(c.attrs?.rowspan ?? 1) || 1);
        if (rowspan > 1) covered.set(col, { rows: rowspan - 1, span });
        const paragraphs = (c.content ?? []).map((p) => el('w:p', el('w:pPr', val('w:pStyle', o.cellStyle), ...(keep ? [el('w:keepNext')] : [])), ...runsOf(p.content, o.numbering)));
        cells.push(this.cell(colWidth * span, span, rowspan > 1 ? 'restart' : undefined, paragraphs.length ? paragraphs : [el('w:p')]));
        col += span;
      }
      out.push(el('w:tr', trPr, ...cells));
    });
    if (o.lastRow) {
      const last = o.lastRow.prepForXml(context);
      if (last) out.push(last);
    }
    return { 'w:tbl': out };
  }

  private cell(width: number, span: number, merge: 'restart' | 'continue' | undefined, paragraphs: X[]): X {
    const tcPr = el(
      'w:tcPr',
      { 'w:tcW': attr({ 'w:type': 'dxa', 'w:w': width }) },
      ...(span > 1 ? [val('w:gridSpan', span)] : []),
      ...(merge === 'restart' ? [val('w:vMerge', 'restart')] : merge === 'continue' ? [el('w:vMerge')] : []),
    );
    return el('w:tc', tcPr, ...paragraphs);
  }
}
