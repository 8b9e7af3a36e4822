// The body renderer: the document model (ProseMirror JSON of editor/schema.ts) as docx paragraphs and
// tables. Structural numbers (chapters, clauses, annexes, 表, 图, 注N, 示例N, list markers, [N]) come from
// the numbering definitions bound to the styles; only numbers that must stand in running text — cross
// references, 表N（续）, formula numbers' cached values — are taken from editor/numbering.ts.
import {
  BorderStyle, ImageRun, Paragraph, SimpleField, Tab, TableCell, TableRow, TextRun, WidthType, type FileChild,
} from 'docx';
import { FastTable } from './fast-table';
import { formulaPictureRun } from './formula-picture';
import type { NodeJSON } from '../../editor/types';
import { FIXED_TITLES, referenceDesignation, type Numbering } from '../../editor/numbering';
import { clauseLevel } from '../../editor/schema';
import { decodeDataUrl, fitToPage, type ImageData } from './images';
import { inlineRuns, labelRun, nextChange, paragraphMarkChange, plainText, whollyTracked } from './inline';
import { trackedPicture } from './tracked-drawing';
import { italiciseSymbols, splitSymbol } from '../../editor/formula-symbols';
import { listReference, type ListMarker } from './numbering';
import { FORMULA_TABS, NUM, STYLE } from './styles';
import { fontOf, SIZE, TEXT_WIDTH, IDEOGRAPHIC_SPACE as GAP } from './typography';

export const NORMATIVE_REFERENCES_LEAD_IN =
  '下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。其中，注日期的引用文件，仅该日期对应的版本适用于本文件；不注日期的引用文件，其最新版本（包括所有的修改单）适用于本文件。';
export const NO_NORMATIVE_REFERENCES = '本文件没有规范性引用文件。';
export const NO_TERMS = '本文件没有需要界定的术语和定义。';
export const TERMS_LEAD_IN = '下列术语和定义适用于本文件。';

/** Body rows of a table part before it continues as 表N（续） on the next page, when no plan sized the parts. */
export const ROWS_PER_TABLE_PART = 22;

/** Titles of unnumbered elements with the 汉字 spacing of printed standards. */
export const SPACED_TITLES = { toc: '目\u3000\u3000次', foreword: '前\u3000\u3000言', introduction: '引\u3000\u3000言', bibliography: '参\u3000考\u3000文\u3000献' } as const;

const hei = fontOf('hei');

/** Resolved images by `src`, prepared before rendering (rendering itself is synchronous). */
export type ImageMap = ReadonlyMap<string, ImageData>;

interface Ctx {
  numbering: Numbering;
  images: ImageMap;
  /** Next list / note-group / example-group instance, so each starts counting at 1. */
  instance: number;
  inAnnex: boolean;
  annexLetter: string;
  inIntroduction: boolean;
  /** Drawing ids counted per document, so the same input gives the same XML (docx's own counter is global). */
  drawing: number;
  /** Body rows of each part of each table by id, sized to the pages (pagination.ts `tableParts`). */
  tableParts: ReadonlyMap<string, readonly number[]>;
}

export interface RenderedBody {
  /** 前言 and 引言 (front-matter section, after the 目次). */
  forewordBlocks: NodeJSON[];
  introduction: FileChild[];
  /** From the body title to the 终结线. */
  body: FileChild[];
}

function para(style: string, children: (TextRun | ImageRun | SimpleField)[], extra: Partial<ConstructorParameters<typeof Paragraph>[0] & object> = {}): Paragraph {
  return new Paragraph({ style, children, ...paragraphMarkChange(children), ...extra });
}

function label(text: string, size?: number): TextRun {
  return new TextRun({ text, font: hei, ...(size ? { size } : {}) });
}

export function createContext(numbering: Numbering, images: ImageMap, tableParts: ReadonlyMap<string, readonly number[]> = new Map()): Ctx {
  return { numbering, images, instance: 0, inAnnex: false, annexLetter: '', inIntroduction: false, drawing: 0, tableParts };
}

/** Blocks (paragraphs, lists, notes, examples, tables, figures, formulas) of a container, in order. */
export function renderBlocks(nodes: readonly NodeJSON[], ctx: Ctx, segmentStyle: string = STYLE.segment): FileChild[] {
  const out: FileChild[] = [];
  const noteCount = nodes.filter((n) => n.type === 'note').length;
  const exampleCount = nodes.filter((n) => n.type === 'example').length;
  let noteInstance = 0;
  let exampleInstance = 0;
  for (const n of nodes) {
    switch (n.type) {
      case 'paragraph':
        out.push(para(segmentStyle, inlineRuns(n.content, ctx.numbering)));
        break;
      case 'list':
        out.push(...renderList(n, ctx));
        break;
      case 'note':
        if (noteCount > 1 && noteInstance === 0) noteInstance = ++ctx.instance;
        out.push(...renderAside(n, ctx, 'note', noteCount > 1 ? noteInstance : 0));
        break;
      case 'example':
        if (exampleCount > 1 && exampleInstance === 0) exampleInstance = ++ctx.instance;
        out.push(...renderAside(n, ctx, 'example', exampleCount > 1 ? exampleInstance : 0));
        break;
      case 'table':
        out.push(...renderTable(n, ctx));
        break;
      case 'figure':
        out.push(...renderFigure(n, ctx));
        break;
      case 'formula':
        out.push(...renderFormula(n, ctx));
        break;
      default:
        break;
    }
  }
  return out;
}

function listStyle(kind: ListMarker, level: 0 | 1): string {
  if (level === 1) return kind === 'dash' ? STYLE.listNumber : STYLE.listNumber;
  return kind === 'dash' ? STYLE.listDash : STYLE.listLetter;
}

function markerOf(n: NodeJSON, fallback: ListMarker): ListMarker {
  const k = n.attrs?.kind;
  return k === 'dash' || k === 'letter' || k === 'number' ? k : fallback;
}

/** A two-level list (列项): one numbering instance per list so letters and numbers restart at a) / 1). */
export function renderList(n: NodeJSON, ctx: Ctx, size?: number): Paragraph[] {
  const first = markerOf(n, 'dash');
  const sub = (n.content ?? []).flatMap((i) => i.content ?? []).find((c) => c.type === 'sublist');
  const second = sub ? markerOf(sub, 'number') : 'number';
  const reference = listReference(first, second);
  const instance = ++ctx.instance;
  const out: Paragraph[] = [];
  const run = size ? { size } : {};
  for (const item of n.content ?? []) {
    for (const c of item.content ?? []) {
      if (c.type === 'paragraph') {
        const runs = inlineRuns(c.content, ctx.numbering, run);
        out.push(new Paragraph({ style: listStyle(first, 0), numbering: { reference, level: 0, instance }, children: runs, ...paragraphMarkChange(runs) }));
      } else if (c.type === 'sublist') {
        for (const si of c.content ?? []) {
          for (const sp of si.content ?? []) {
            const subRuns = inlineRuns(sp.content, ctx.numbering, run);
            out.push(new Paragraph({ style: listStyle(second, 1), numbering: { reference, level: 1, instance }, children: subRuns, ...paragraphMarkChange(subRuns) }));
          }
        }
      }
    }
  }
  return out;
}

/** 注 / 示例: a single one is labelled 「注：」, several are numbered 注1： 注2： by Word. */
function renderAside(n: NodeJSON, ctx: Ctx, kind: 'note' | 'example', instance: number): Paragraph[] {
  const word = kind === 'note' ? '注' : '示例';
  const single = kind === 'note' ? STYLE.note : STYLE.example;
  const numbered = kind === 'note' ? STYLE.noteNumbered : STYLE.exampleNumbered;
  const out: Paragraph[] = [];
  let first = true;
  for (const c of n.content ?? []) {
    if (c.type === 'list') {
      out.push(...renderList(c, ctx, SIZE.小五));
      continue;
    }
    const runs = inlineRuns(c.content, ctx.numbering);
    if (first && instance > 0) {
      out.push(new Paragraph({ style: numbered, numbering: { reference: kind === 'note' ? NUM.note : NUM.example, level: 0, instance }, children: runs, ...paragraphMarkChange(runs) }));
    } else if (first) {
      out.push(para(single, [label(`${word}：`), ...runs]));
    } else {
      out.push(para(single, runs));
    }
    first = false;
  }
  return out;
}

const cellBorder = { style: BorderStyle.SINGLE, size: 4, color: '000000' } as const;
const outerBorder = { style: BorderStyle.SINGLE, size: 8, color: '000000' } as const;

function columnCount(rows: readonly NodeJSON[]): number {
  return Math.max(1, ...rows.map((r) => (r.content ?? []).reduce((s, c) => s + (Number(c.attrs?.colspan ?? 1) || 1), 0)));
}

/**
 * 表: the title above, the grid with its header rows repeated on every page, notes inside the frame in a
 * last full-width row. A long table is cut into parts; each further part starts a new page under the title
 * 表N（续） with the header rows again (spec §2.8).
 */
function renderTable(n: NodeJSON, ctx: Ctx): FileChild[] {
  const id = String(n.attrs?.id ?? '');
  const numberLabel = ctx.numbering.byId[id]?.label ?? '表';
  const caption = (n.content ?? []).find((c) => c.type === 'caption');
  const grid = (n.content ?? []).find((c) => c.type === 'tableGrid');
  const notes = (n.content ?? []).filter((c) => c.type === 'note');
  const rows = grid?.content ?? [];
  // Leading rows of header cells are the header (repeated on every page); a table of header cells only has none.
  const headerCount = Math.max(0, rows.findIndex((r) => !(r.content ?? []).every((c) => c.type === 'tableHeader')));
  const headers = rows.slice(0, headerCount);
  const bodyRows = rows.slice(headers.length);
  const columns = columnCount(rows);
  const parts: NodeJSON[][] = [];
  const plan = ctx.tableParts.get(id);
  if (plan && plan.reduce((a, b) => a + b, 0) === bodyRows.length) {
    // Sized to the pages (pagination.ts): the first part fills the rest of its page, each further one a page.
    let start = 0;
    for (const count of plan) {
      parts.push(bodyRows.slice(start, start + count));
      start += count;
    }
  } else {
    // Cut into parts, never inside a cell that spans rows.
    const lastRowOf = bodyRows.map((r, i) => i + Math.max(0, ...(r.content ?? []).map((c) => (Number(c.attrs?.rowspan ?? 1) || 1) - 1)));
    for (let start = 0; start < bodyRows.length || parts.length === 0; ) {
      let end = Math.min(bodyRows.length, start + ROWS_PER_TABLE_PART);
      while (end < bodyRows.length && lastRowOf.slice(start, end).some((last) => last >= end)) end++;
      parts.push(bodyRows.slice(start, end));
      start = end;
      if (bodyRows.length === 0) break;
    }
  }
  const out: FileChild[] = [];
  parts.forEach((part, k) => {
    if (k === 0) out.push(para(ctx.inAnnex ? STYLE.annexTableTitle : STYLE.tableTitle, inlineRuns(caption?.content, ctx.numbering)));
    else out.push(para(STYLE.tableContinued, [labelRun({ text: `${numberLabel}（续）` }, whollyTracked(n))], { pageBreakBefore: true }));
    let lastRow: TableRow | null = null;
    if (k === parts.length - 1 && notes.length > 0) {
      const noteParagraphs = renderBlocks(notes, ctx).filter((c): c is Paragraph => c instanceof Paragraph);
      lastRow = new TableRow({ children: [new TableCell({ columnSpan: columns, width: { size: TEXT_WIDTH, type: WidthType.DXA }, children: noteParagraphs })] });
    }
    out.push(
      new FastTable({
        rows: [...headers, ...part],
        headerRows: headers.length,
        columns,
        width: TEXT_WIDTH,
        cellStyle: STYLE.table,
        numbering: ctx.numbering,
        lastRow,
        outerBorderSize: outerBorder.size,
        innerBorderSize: cellBorder.size,
        // A part never breaks across pages (its rows kept with the next), so every page a table continues
        // on starts with 表N（续）; a part that does not fit where it is moves whole to the next page.
        keepTogether: true,
      }),
    );
  });
  return out;
}

/** 图: the image, its notes, then the title below (spec §2.9). */
function renderFigure(n: NodeJSON, ctx: Ctx): FileChild[] {
  const src = String(n.attrs?.src ?? '');
  const alt = String(n.attrs?.alt ?? '');
  const image = ctx.images.get(src) ?? decodeDataUrl(src);
  const out: FileChild[] = [];
  // In a redline copy, a figure inserted or deleted whole has its picture and paragraph mark tracked with it.
  const whole = whollyTracked(n);
  if (image) {
    const size = fitToPage(image.width, image.height);
    const run = new ImageRun({ type: image.type, data: image.data, transformation: size, altText: { id: String(++ctx.drawing), name: alt || 'figure', description: alt, title: alt } });
    const change = whole ? nextChange(n) : null;
    const mark = whole ? nextChange(n) : null;
    out.push(
      whole && change && mark
        ? para(STYLE.figure, [trackedPicture(whole, change, run)], { run: whole === 'del' ? { deletion: mark } : { insertion: mark } })
        : para(STYLE.figure, [run]),
    );
  } else {
    // No image data: a framed placeholder keeps the figure's place and says what belongs there.
    out.push(
      para(STYLE.figure, [labelRun({ text: alt || src || '（图）' }, whole)], {
        border: { top: cellBorder, bottom: cellBorder, left: cellBorder, right: cellBorder },
        spacing: { before: 600, after: 600 },
      }),
    );
  }
  const caption = (n.content ?? []).find((c) => c.type === 'caption');
  out.push(...renderBlocks((n.content ?? []).filter((c) => c.type === 'note'), ctx));
  out.push(para(ctx.inAnnex ? STYLE.annexFigureTitle : STYLE.figureTitle, inlineRuns(caption?.content, ctx.numbering)));
  return out;
}

/** 公式: centered formula, number flush right after a dot leader; then 「式中：」 and one line per symbol. */
function renderFormula(n: NodeJSON, ctx: Ctx): Paragraph[] {
  const id = String(n.attrs?.id ?? '');
  const number = ctx.numbering.byId[id]?.number ?? '';
  const text = (n.content ?? []).find((c) => c.type === 'formulaText');
  const pictureSrc = String(n.attrs?.src ?? '');
  const picture = pictureSrc ? (ctx.images.get(pictureSrc) ?? decodeDataUrl(pictureSrc)) : null;
  // The sequence number is a SEQ field Word counts itself; in an annex it follows the annex letter.
  const seqName = ctx.inAnnex ? `公式${ctx.annexLetter}` : '公式';
  const seqValue = number.includes('.') ? number.slice(number.lastIndexOf('.') + 1) : number;
  // In a redline copy, what the renderer adds (tabs, brackets, 「式中：」, symbols, 「——」) is tracked with a
  // formula inserted or deleted whole.
  // So is the line's number: as tracked text instead of the SEQ field, which cannot be tracked — it stayed
  // behind when the deletion was accepted, and programs that recount fields counted it before the kept ones.
  // The picture of such a formula and the line's paragraph mark are tracked too.
  const whole = whollyTracked(n);
  const pictureRun = picture ? formulaPictureRun(picture, ++ctx.drawing) : null;
  const pictureChange = whole && pictureRun ? nextChange(n) : null;
  const lineMark = whole ? nextChange(n) : null;
  const out: Paragraph[] = [
    new Paragraph({
      style: STYLE.formula,
      tabStops: FORMULA_TABS,
      children: [
        labelRun({ children: [new Tab()] }, whole),
        // Symbols in italic as in the 式中 lines; numbers, function names and descriptive subscripts upright.
        // A formula kept as a picture (an imported equation object) prints the picture instead.
        ...(pictureRun ? [whole && pictureChange ? trackedPicture(whole, pictureChange, pictureRun) : pictureRun] : inlineRuns(italiciseSymbols(text?.content), ctx.numbering)),
        labelRun({ children: [new Tab(), `(${ctx.inAnnex ? `${ctx.annexLetter}.` : ''}`] }, whole),
        whole ? labelRun({ text: seqValue }, whole) : new SimpleField(`SEQ ${seqName} \\* ARABIC`, seqValue),
        labelRun({ text: ')' }, whole),
      ],
      ...(whole && lineMark ? { run: whole === 'del' ? { deletion: lineMark } : { insertion: lineMark } } : {}),
    }),
  ];
  const symbols = (n.content ?? []).filter((c) => c.type === 'formulaSymbol');
  if (symbols.length > 0) {
    out.push(para(STYLE.segment, [labelRun({ text: '式中：' }, whole)], { indent: { firstLine: 0 } }));
    for (const s of symbols) {
      // 「V_0」/「V0」: italic V with the subscript 0, as on the formula line.
      const { base, sub } = splitSymbol(String(s.attrs?.symbol ?? ''));
      const line = whole ?? whollyTracked(s);
      const symbol = [labelRun({ text: base, italics: true }, line), ...(sub ? [labelRun({ text: sub, subScript: true }, line)] : [])];
      out.push(para(STYLE.formulaWhere, [...symbol, labelRun({ text: '——' }, line), ...inlineRuns(s.content, ctx.numbering)]));
    }
  }
  return out;
}

function headingOf(n: NodeJSON): NodeJSON | undefined {
  return (n.content ?? []).find((c) => c.type === 'heading');
}

/** A clause (titled or untitled) with its blocks and sub-clauses. */
function renderClause(n: NodeJSON, ctx: Ctx): FileChild[] {
  const level = clauseLevel(n.type);
  const heading = headingOf(n);
  const rest = (n.content ?? []).filter((c) => c.type !== 'heading');
  const blocks = rest.filter((c) => clauseLevel(c.type) === 0);
  const subs = rest.filter((c) => clauseLevel(c.type) > 0);
  const titledStyle = ctx.inAnnex ? STYLE.annexClause[level - 1] : STYLE.clause[level - 1];
  const untitledStyle = ctx.inAnnex ? STYLE.annexUntitled[level - 1] : STYLE.untitled[level - 1];
  // Untitled clauses share their list level with the titled clause style, so they carry the list
  // reference themselves (LibreOffice numbers a paragraph by its own style's link only).
  const numbering = ctx.inIntroduction
    ? { numbering: { reference: NUM.introduction, level: level - 1 } }
    : { numbering: { reference: ctx.inAnnex ? NUM.annex : NUM.body, level } };
  const out: FileChild[] = [];
  if (heading) {
    out.push(para(titledStyle, inlineRuns(heading.content, ctx.numbering), ctx.inIntroduction ? numbering : {}));
    out.push(...renderBlocks(blocks, ctx));
  } else if (blocks[0]?.type === 'paragraph') {
    out.push(para(untitledStyle, inlineRuns(blocks[0].content, ctx.numbering), numbering));
    out.push(...renderBlocks(blocks.slice(1), ctx));
  } else {
    out.push(para(untitledStyle, [], numbering));
    out.push(...renderBlocks(blocks, ctx));
  }
  for (const s of subs) out.push(...renderClause(s, ctx));
  return out;
}

function chapterHeading(title: TextRun[], extra: Record<string, unknown> = {}): Paragraph {
  return para(STYLE.chapter, title, extra);
}

function renderScope(n: NodeJSON, ctx: Ctx): FileChild[] {
  return [chapterHeading([new TextRun(FIXED_TITLES.scope)]), ...renderBlocks(n.content ?? [], ctx)];
}

function renderNormativeReferences(n: NodeJSON): FileChild[] {
  const entries = (n.content ?? []).filter((c) => c.type === 'referenceEntry');
  const out: FileChild[] = [chapterHeading([new TextRun(FIXED_TITLES.normativeReferences)])];
  if (entries.length === 0) {
    out.push(para(STYLE.segment, [new TextRun(NO_NORMATIVE_REFERENCES)]));
    return out;
  }
  out.push(para(STYLE.segment, [new TextRun(NORMATIVE_REFERENCES_LEAD_IN)]));
  for (const e of entries) out.push(para(STYLE.normativeReference, [new TextRun(`${referenceDesignation(e.attrs ?? {})}${GAP}${plainText(e)}`)]));
  return out;
}

function renderTerms(n: NodeJSON, ctx: Ctx): FileChild[] {
  const leadIns = (n.content ?? []).filter((c) => c.type === 'paragraph' && plainText(c).trim() !== '');
  const entries = (n.content ?? []).filter((c) => c.type === 'termEntry');
  const out: FileChild[] = [chapterHeading([new TextRun(FIXED_TITLES.termsAndDefinitions)])];
  // A chapter without entries says so, whatever lead-in a new draft's skeleton left in it.
  if (entries.length === 0) out.push(para(STYLE.segment, [new TextRun(NO_TERMS)]));
  else if (leadIns.length > 0) out.push(...renderBlocks(leadIns, ctx));
  else out.push(para(STYLE.segment, [new TextRun(TERMS_LEAD_IN)]));
  for (const e of entries) {
    const part = (t: string): NodeJSON | undefined => (e.content ?? []).find((c) => c.type === t);
    const abbreviation = plainText(part('termAbbreviation')).trim();
    const source = plainText(part('termSource'), ctx.numbering).trim();
    out.push(para(STYLE.termNumber, [], { numbering: { reference: NUM.body, level: 1 } }));
    out.push(
      para(STYLE.term, [
        ...inlineRuns(part('term')?.content, ctx.numbering),
        new TextRun(GAP),
        ...inlineRuns(part('termEnglish')?.content, ctx.numbering),
        ...(abbreviation ? [new TextRun(`; ${abbreviation}`)] : []),
      ]),
    );
    out.push(para(STYLE.termDefinition, inlineRuns(part('definition')?.content, ctx.numbering)));
    out.push(...renderBlocks((e.content ?? []).filter((c) => c.type === 'example' || c.type === 'note'), ctx));
    if (source) out.push(para(STYLE.segment, [new TextRun({ text: `[来源：${source}]`, style: STYLE.sourceChar })]));
  }
  return out;
}

function renderChapter(n: NodeJSON, ctx: Ctx): FileChild[] {
  const heading = headingOf(n);
  const rest = (n.content ?? []).filter((c) => c.type !== 'heading');
  const out: FileChild[] = [chapterHeading(inlineRuns(heading?.content, ctx.numbering))];
  out.push(...renderBlocks(rest.filter((c) => clauseLevel(c.type) === 0), ctx));
  for (const s of rest.filter((c) => clauseLevel(c.type) > 0)) out.push(...renderClause(s, ctx));
  return out;
}

/** 附录: a new page; 「附录A」 (Word's number), 「（规范性）」 and the title on three centered lines. */
function renderAnnex(n: NodeJSON, ctx: Ctx): FileChild[] {
  const id = String(n.attrs?.id ?? '');
  const numberLabel = ctx.numbering.byId[id];
  ctx.inAnnex = true;
  ctx.annexLetter = numberLabel?.number ?? '';
  const qualifier = n.attrs?.kind === 'normative' ? '（规范性）' : '（资料性）';
  const heading = headingOf(n);
  const out: FileChild[] = [
    para(STYLE.annexId, [new TextRun({ text: qualifier, break: 1 }), new TextRun({ text: '', break: 1 }), ...inlineRuns(heading?.content, ctx.numbering)], { pageBreakBefore: true }),
  ];
  const rest = (n.content ?? []).filter((c) => c.type !== 'heading');
  out.push(...renderBlocks(rest.filter((c) => clauseLevel(c.type) === 0), ctx));
  for (const s of rest.filter((c) => clauseLevel(c.type) > 0)) out.push(...renderClause(s, ctx));
  return out;
}

function renderBibliography(n: NodeJSON, ctx: Ctx): FileChild[] {
  ctx.inAnnex = false;
  return [
    para(STYLE.frontTitle, [new TextRun(SPACED_TITLES.bibliography)], { pageBreakBefore: true }),
    ...(n.content ?? []).map((e) => para(STYLE.bibliographyEntry, inlineRuns(e.content, ctx.numbering))),
  ];
}

/** 引言 on its own page: blocks, then clauses 0.1, 0.2 … */
export function renderIntroduction(n: NodeJSON, ctx: Ctx): FileChild[] {
  ctx.inIntroduction = true;
  const out: FileChild[] = [para(STYLE.frontTitle, [new TextRun(SPACED_TITLES.introduction)], { pageBreakBefore: true })];
  out.push(...renderBlocks((n.content ?? []).filter((c) => clauseLevel(c.type) === 0), ctx));
  for (const s of (n.content ?? []).filter((c) => clauseLevel(c.type) > 0)) out.push(...renderClause(s, ctx));
  ctx.inIntroduction = false;
  return out;
}

/** Renders one top-level element of the body (chapters 1 … n, annexes, 参考文献). */
export function renderTopLevel(n: NodeJSON, ctx: Ctx): FileChild[] {
  switch (n.type) {
    case 'scope':
      return renderScope(n, ctx);
    case 'normativeReferences':
      return renderNormativeReferences(n);
    case 'termsAndDefinitions':
      return renderTerms(n, ctx);
    case 'chapter':
      return renderChapter(n, ctx);
    case 'annex':
      return renderAnnex(n, ctx);
    case 'bibliography':
      return renderBibliography(n, ctx);
    default:
      return [];
  }
}

/** The 终结线: a short centered rule after the last element (checklist 40). */
export function endLine(): Paragraph {
  return para(STYLE.endLine, []);
}
