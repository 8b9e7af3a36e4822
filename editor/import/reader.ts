/* eslint-disable max-lines -- one pass over document.xml: paragraphs, runs, tracked changes, comments, pictures, OMML and table merges share the walk and its counters */
// Reads the body of a Word document (document.xml with its styles, numbering, relationships and
// comments) into a flat stream of source blocks: paragraphs with their style name, numbering label,
// runs and marks, pictures and formulas, and tables with merged cells resolved. Tracked changes are
// counted by author and, as the caller chose, accepted or rejected here — or kept ('keep'): each run then says
// which change it belongs to, for editor/import/suggestions.ts to turn into suggestions; Word comments are collected with
// the text they are anchored to. Nothing about GB/T 1.1 is decided here (see structure.ts).
import type { MarkTypeName } from '../types';
import { child, childrenNamed, kids, onOff, textOf, val, type XEl } from './xml';
import { NumberingCounter, readNumbering, readStyles, styleChain, type NumberedLabel, type Styles } from './word-styles';
import { ommlToRuns } from './omml';

export type ChangeMode = 'refuse' | 'accept' | 'reject' | 'keep';

/** A tracked change kept as a suggestion (mode 'keep'): its kind, Word author and date; `block` when its whole
 *  paragraph (the paragraph mark too) or table row was inserted or deleted. */
export interface RunChange {
  kind: 'insert' | 'delete';
  author: string;
  date: string;
  block?: boolean;
}

export interface SourceRun {
  text: string;
  marks: MarkTypeName[];
  bold: boolean;
  /** Half-points, when set on the run. */
  size?: number;
  /** Mode 'keep': the tracked change this text belongs to. */
  change?: RunChange;
}

export interface SourceImage {
  /** data: URL of the picture, or '' when its bytes are missing or not a picture format the editor shows. */
  src: string;
  alt: string;
  /** Why src is empty. */
  problem?: string;
}

export interface SourceParagraph {
  kind: 'p';
  /** Position in the document's block order (paragraphs inside tables included). */
  index: number;
  styleId: string;
  /** Style name and its basedOn ancestors' names, nearest first. */
  styleNames: string[];
  outlineLevel?: number;
  numbering: NumberedLabel | null;
  runs: SourceRun[];
  /** The paragraph's text (runs joined); line breaks as '\n'. */
  text: string;
  images: SourceImage[];
  /** OMML formulas, as runs of the editor's formula text. */
  math: SourceRun[][];
  /** A centered paragraph (pPr/jc center), a hint for titles of typed documents. */
  centered: boolean;
  /** The picture of the paragraph's first equation object (its preview), when it has one that can be shown. */
  equationPicture?: string;
}

export interface SourceCell {
  colspan: number;
  rowspan: number;
  blocks: SourceBlock[];
}

export interface SourceRow {
  header: boolean;
  cells: SourceCell[];
}

export interface SourceTable {
  kind: 'table';
  index: number;
  rows: SourceRow[];
  columns: number;
}

export type SourceBlock = SourceParagraph | SourceTable;

export interface TrackedChanges {
  total: number;
  byAuthor: Record<string, number>;
}

export interface WordComment {
  id: string;
  author: string;
  date: string;
  text: string;
  /** The document text the comment is anchored to. */
  anchor: string;
  /** Where the anchor starts: the source paragraph (the report's paragraph index) and the character offset in
   *  its text — for turning comments into review threads later (issue 15). */
  start?: { paragraph: number; offset: number };
}

export interface DocxParts {
  document: string;
  styles?: string;
  numbering?: string;
  comments?: string;
  /** word/_rels/document.xml.rels */
  documentRels?: string;
}

export interface ReadOptions {
  changes: ChangeMode;
  /** Bytes of a part named by its path inside the package (word/media/image1.png). */
  media: (path: string) => Uint8Array | undefined;
  parse: (xml: string, part: string) => XEl;
  /** The URL of a picture part the caller has stored (by its path in the package), if it has. */
  pictureSrc?: (path: string) => string | undefined;
}

/** A formula the editor's linear formula text cannot hold faithfully: an OLE equation object (Equation 3.0,
 *  MathType — only its preview picture is in the file) or OMML using constructs the text loses. */
export interface FormulaIssue {
  /** Index of the paragraph holding it. */
  index: number;
  kind: 'oleEquation' | 'approximate';
  /** What the model holds for it (the linear text, or the placeholder of an OLE equation). */
  text: string;
  /** OLE ProgID (oleEquation). */
  progId?: string;
  /** Its preview picture (oleEquation; src '' when the preview is missing or not PNG/JPEG/GIF — a WMF/EMF the
   *  caller could not render to PNG). */
  picture?: SourceImage;
  /** OMML constructs the text cannot express (approximate). */
  constructs?: string[];
}

/** What an OLE equation object becomes in the formula text: its picture is in the report. */
export const EQUATION_PLACEHOLDER = '[公式图片]';

export interface ReadResult {
  /** Formulas kept only approximately or as a picture, for the report. */
  formulaIssues: FormulaIssue[];
  blocks: SourceBlock[];
  changes: TrackedChanges;
  comments: WordComment[];
  /** Number of source paragraphs (all levels). */
  paragraphs: number;
  /** Mode 'keep': tracked changes that cannot become suggestions and were taken as accepted — formatting
   *  changes (w:pPrChange, w:rPrChange, table and section properties, numbering, cell changes) and paragraph
   *  marks inserted or deleted without their whole text (a split or a join). */
  notKept: { formatting: number; paragraphMarks: number };
}

const CHANGE_ELEMENTS = new Set(['w:ins', 'w:del', 'w:moveFrom', 'w:moveTo', 'w:pPrChange', 'w:rPrChange', 'w:tblPrChange', 'w:trPrChange', 'w:tcPrChange', 'w:sectPrChange', 'w:numberingChange', 'w:cellIns', 'w:cellDel', 'w:cellMerge']);

/** Counts tracked changes by author (one per change element, wherever it is). */
export function countChanges(root: XEl): TrackedChanges {
  const byAuthor: Record<string, number> = {};
  let total = 0;
  const walk = (el: XEl): void => {
    for (const c of el.children) {
      if (typeof c === 'string') continue;
      if (CHANGE_ELEMENTS.has(c.name)) {
        const author = c.attrs['w:author'] ?? '';
        byAuthor[author] = (byAuthor[author] ?? 0) + 1;
        total++;
      }
      walk(c);
    }
  };
  walk(root);
  return { total, byAuthor };
}

function parseRels(xml: string | undefined, parse: ReadOptions['parse']): Map<string, string> {
  const out = new Map<string, string>();
  if (!xml) return out;
  for (const r of childrenNamed(parse(xml, 'word/_rels/document.xml.rels'), 'Relationship')) {
    if (r.attrs.TargetMode === 'External') continue;
    const target = r.attrs.Target ?? '';
    out.set(r.attrs.Id ?? '', target.startsWith('/') ? target.slice(1) : `word/${target}`.replace(/\/\.\//g, '/'));
  }
  return out;
}

function sniffImage(bytes: Uint8Array): string | null {
  if (bytes.length > 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length > 6 && bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46) return 'image/gif';
  return null;
}

function base64(bytes: Uint8Array): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += chars[(n >> 18) & 63] + chars[(n >> 12) & 63] + chars[(n >> 6) & 63] + chars[n & 63];
  }
  if (i < bytes.length) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8);
    out += chars[(n >> 18) & 63] + chars[(n >> 12) & 63] + (i + 1 < bytes.length ? chars[(n >> 6) & 63] : '=') + '=';
  }
  return out;
}

function runMarks(rPr: XEl | undefined): { marks: MarkTypeName[]; bold: boolean; size?: number } {
  const marks: MarkTypeName[] = [];
  const bold = onOff(rPr, 'w:b') || onOff(rPr, 'w:bCs');
  if (bold) marks.push('strong');
  if (onOff(rPr, 'w:i')) marks.push('em');
  const va = val(rPr, 'w:vertAlign');
  if (va === 'subscript') marks.push('sub');
  else if (va === 'superscript') marks.push('sup');
  const sz = val(rPr, 'w:sz');
  return { marks, bold, ...(sz ? { size: Number(sz) } : {}) };
}

/** Reads the body into source blocks. `changes` = 'refuse' reads as if accepting (the caller refuses on the count). */
export function readDocument(parts: DocxParts, opts: ReadOptions): ReadResult {
  const doc = opts.parse(parts.document, 'word/document.xml');
  const styles: Styles = readStyles(parts.styles ? opts.parse(parts.styles, 'word/styles.xml') : undefined);
  const counter = new NumberingCounter(readNumbering(parts.numbering ? opts.parse(parts.numbering, 'word/numbering.xml') : undefined));
  const rels = parseRels(parts.documentRels, opts.parse);
  const changes = countChanges(doc);
  const reject = opts.changes === 'reject';
  const keep = opts.changes === 'keep';
  const notKept = { formatting: 0, paragraphMarks: 0 };
  const body = child(doc, 'w:body');
  let index = 0;
  const openComments = new Map<string, string>();
  const formulaIssues: FormulaIssue[] = [];
  const anchors = new Map<string, string>();
  const starts = new Map<string, { paragraph: number; offset: number }>();

  const imageFrom = (rid: string | undefined, alt: string): SourceImage => {
    const target = rid ? rels.get(rid) : undefined;
    const bytes = target ? opts.media(target) : undefined;
    if (!bytes) return { src: '', alt, problem: 'missing' };
    const mime = sniffImage(bytes);
    if (!mime) return { src: '', alt, problem: `not a PNG/JPEG/GIF picture (${target ?? ''})` };
    // A picture already stored by the caller is referred to by its URL; otherwise it travels as a data: URL.
    const stored = target ? opts.pictureSrc?.(target) : undefined;
    return { src: stored ?? `data:${mime};base64,${base64(bytes)}`, alt };
  };

  const paragraph = (p: XEl, extra: SourceBlock[]): SourceParagraph | null => {
    const pPr = child(p, 'w:pPr');
    // A rejected formatting change restores the old paragraph properties (style, numbering).
    const props = reject && child(pPr, 'w:pPrChange') ? (child(child(pPr, 'w:pPrChange'), 'w:pPr') ?? pPr) : pPr;
    const styleId = val(props, 'w:pStyle') ?? styles.defaultParagraph ?? '';
    const chain = styleChain(styles, styleId);
    const numPr = child(props, 'w:numPr');
    let numId = val(numPr, 'w:numId');
    let ilvl = val(numPr, 'w:ilvl') !== undefined ? Number(val(numPr, 'w:ilvl')) : undefined;
    let outlineLevel = val(props, 'w:outlineLvl') !== undefined ? Number(val(props, 'w:outlineLvl')) : undefined;
    for (const s of chain) {
      if (numId === undefined && s.numId !== undefined) numId = s.numId;
      if (ilvl === undefined && s.ilvl !== undefined) ilvl = s.ilvl;
      if (outlineLevel === undefined && s.outlineLevel !== undefined) outlineLevel = s.outlineLevel;
    }
    const runs: SourceRun[] = [];
    const images: SourceImage[] = [];
    const math: SourceRun[][] = [];
    const issues: Omit<FormulaIssue, 'index'>[] = [];
    let fieldDepth = 0;
    let inFieldCode = false;
    const push = (text: string, rPr: XEl | undefined, change?: RunChange): void => {
      if (!text) return;
      for (const [id] of openComments) openComments.set(id, (openComments.get(id) ?? '') + text);
      const m = runMarks(rPr);
      const last = runs[runs.length - 1];
      if (last && last.marks.join() === m.marks.join() && last.size === m.size && sameChange(last.change, change)) last.text += text;
      else runs.push({ text, ...m, ...(change ? { change } : {}) });
    };
    const run = (r: XEl, deleted: boolean, change?: RunChange): void => {
      const rPr = child(r, 'w:rPr');
      for (const c of kids(r)) {
        switch (c.name) {
          case 'w:t':
            if (!inFieldCode && !deleted) push(textOf(c), rPr, change);
            break;
          case 'w:delText':
            if (!inFieldCode && deleted) push(textOf(c), rPr, change);
            break;
          case 'w:tab':
          case 'w:ptab':
            if (!inFieldCode) push('\t', rPr, change);
            break;
          case 'w:br':
          case 'w:cr':
            if (!inFieldCode) push('\n', rPr, change);
            break;
          case 'w:noBreakHyphen':
            push('\u2011', rPr, change);
            break;
          case 'w:sym':
            push(String.fromCodePoint(parseInt(c.attrs['w:char'] ?? '20', 16) % 0xf000 || 0x20), rPr, change);
            break;
          case 'w:fldChar': {
            const t = c.attrs['w:fldCharType'];
            if (t === 'begin') {
              fieldDepth++;
              inFieldCode = true;
            } else if (t === 'separate') inFieldCode = false;
            else if (t === 'end') {
              fieldDepth = Math.max(0, fieldDepth - 1);
              inFieldCode = false;
            }
            break;
          }
          case 'w:object': {
            const progId = descendant(c, 'o:OLEObject')?.attrs.ProgID ?? '';
            if (/equation|mathtype/i.test(progId)) {
              // An equation object: nothing to convert, only its preview. The formula keeps its place (and
              // number) with a placeholder; the picture goes to the report.
              const data = descendant(c, 'v:imagedata');
              const picture = imageFrom(data?.attrs['r:id'], progId);
              math.push([{ text: EQUATION_PLACEHOLDER, marks: [], bold: false }]);
              push(EQUATION_PLACEHOLDER, undefined);
              issues.push({ kind: 'oleEquation', text: EQUATION_PLACEHOLDER, progId, picture });
            } else drawing(c);
            break;
          }
          case 'w:drawing':
          case 'w:pict':
          case 'mc:AlternateContent':
            drawing(c);
            break;
          default:
            break;
        }
      }
    };
    const drawing = (d: XEl): void => {
      // Pictures: a:blip r:embed (DrawingML) or v:imagedata r:id (VML); text boxes become their own paragraphs.
      const walk = (el: XEl, alt: string): void => {
        if (el.name === 'mc:AlternateContent') {
          const choice = child(el, 'mc:Choice') ?? child(el, 'mc:Fallback');
          if (choice) walk(choice, alt);
          return;
        }
        if (el.name === 'wp:docPr') alt = el.attrs.descr || el.attrs.title || alt;
        if (el.name === 'a:blip') {
          images.push(imageFrom(el.attrs['r:embed'], alt));
          return;
        }
        if (el.name === 'v:imagedata') {
          images.push(imageFrom(el.attrs['r:id'], el.attrs['o:title'] ?? alt));
          return;
        }
        if (el.name === 'w:txbxContent') {
          container(el, extra);
          return;
        }
        for (const k of kids(el)) {
          if (k.name === 'wp:docPr') alt = k.attrs.descr || k.attrs.title || alt;
          walk(k, alt);
        }
      };
      walk(d, '');
    };
    const inline = (el: XEl, deleted: boolean, change?: RunChange): void => {
      for (const c of kids(el)) {
        switch (c.name) {
          case 'w:r':
            run(c, deleted, change);
            break;
          case 'w:ins':
          case 'w:moveTo':
            if (keep) inline(c, deleted, changeOf(c, 'insert'));
            else if (!reject) inline(c, deleted, change);
            break;
          case 'w:del':
          case 'w:moveFrom':
            if (keep) inline(c, true, changeOf(c, 'delete'));
            else if (reject) inline(c, true, change);
            break;
          case 'w:hyperlink':
          case 'w:smartTag':
          case 'w:customXml':
          case 'w:fldSimple':
          case 'w:dir':
          case 'w:bdo':
            inline(c, deleted, change);
            break;
          case 'w:sdt':
            inline(child(c, 'w:sdtContent') ?? c, deleted, change);
            break;
          case 'm:oMathPara':
          case 'm:oMath': {
            const lossy = new Set<string>();
            const r = ommlToRuns(c, lossy);
            math.push(r);
            for (const x of r) push(x.text, undefined);
            if (lossy.size > 0) issues.push({ kind: 'approximate', text: r.map((x) => x.text).join(''), constructs: [...lossy] });
            break;
          }
          case 'w:commentRangeStart':
            openComments.set(c.attrs['w:id'] ?? '', '');
            starts.set(c.attrs['w:id'] ?? '', { paragraph: index, offset: runs.reduce((n, r) => n + r.text.length, 0) });
            break;
          case 'w:commentRangeEnd': {
            const id = c.attrs['w:id'] ?? '';
            anchors.set(id, openComments.get(id) ?? '');
            openComments.delete(id);
            break;
          }
          default:
            break;
        }
      }
    };
    inline(p, false);
    if (keep && !markWholeParagraph(pPr, runs)) notKept.paragraphMarks++;
    const text = runs.map((r) => r.text).join('');
    const numbering = numId !== undefined ? counter.next(numId, ilvl ?? 0) : null;
    for (const issue of issues) formulaIssues.push({ index, ...issue });
    const equationPicture = issues.find((i) => i.kind === 'oleEquation' && i.picture?.src)?.picture?.src;
    return {
      kind: 'p',
      index: index++,
      styleId,
      styleNames: chain.map((s) => s.name),
      ...(outlineLevel !== undefined && outlineLevel < 9 ? { outlineLevel } : {}),
      numbering,
      runs,
      text,
      images,
      math,
      centered: val(props, 'w:jc') === 'center',
      ...(equationPicture ? { equationPicture } : {}),
    };
  };

  /** Paragraph mark deleted (accept) or inserted (reject): the paragraph joins the next one. */
  const markRemoved = (p: XEl): boolean => {
    const rPr = child(child(p, 'w:pPr'), 'w:rPr');
    if (keep) return false;
    return reject ? !!child(rPr, 'w:ins') : !!(child(rPr, 'w:del') || child(rPr, 'w:moveFrom'));
  };

  const table = (tbl: XEl): SourceTable => {
    const tableIndex = index++;
    const rows: SourceRow[] = [];
    // Open vertical merges by grid column: the cell that started them.
    const open = new Map<number, SourceCell>();
    let columns = 0;
    for (const tr of rowsOf(tbl)) {
      const trPr = child(tr, 'w:trPr');
      if (!keep && !reject && child(trPr, 'w:del')) continue;
      if (!keep && reject && child(trPr, 'w:ins')) continue;
      const rowChange = keep ? (child(trPr, 'w:ins') ? changeOf(child(trPr, 'w:ins') as XEl, 'insert') : child(trPr, 'w:del') ? changeOf(child(trPr, 'w:del') as XEl, 'delete') : undefined) : undefined;
      const row: SourceRow = { header: !!child(trPr, 'w:tblHeader') && onOff(trPr, 'w:tblHeader'), cells: [] };
      let col = 0;
      for (const tc of cellsOf(tr)) {
        const tcPr = child(tc, 'w:tcPr');
        const span = Math.max(1, Number(val(tcPr, 'w:gridSpan') ?? 1) || 1);
        const vMerge = child(tcPr, 'w:vMerge');
        const blocks: SourceBlock[] = [];
        container(tc, blocks);
        if (rowChange) markBlocks(blocks, { ...rowChange, block: true });
        if (vMerge && vMerge.attrs['w:val'] !== 'restart' && open.has(col)) {
          const start = open.get(col) as SourceCell;
          start.rowspan++;
          // Text typed into a continuation cell is kept in the merged cell, not dropped.
          if (blocks.some((b) => b.kind === 'table' || b.text.trim() !== '')) start.blocks.push(...blocks);
        } else {
          const cell: SourceCell = { colspan: span, rowspan: 1, blocks };
          row.cells.push(cell);
          if (vMerge) open.set(col, cell);
          else open.delete(col);
        }
        col += span;
      }
      columns = Math.max(columns, col);
      rows.push(row);
    }
    return { kind: 'table', index: tableIndex, rows, columns };
  };

  const container = (el: XEl, out: SourceBlock[]): void => {
    let carry: SourceParagraph | null = null;
    const visit = (c: XEl): void => {
      switch (c.name) {
        case 'w:p': {
          const extra: SourceBlock[] = [];
          const p = paragraph(c, extra);
          if (!p) return;
          if (carry) {
            p.runs.unshift(...carry.runs);
            p.text = carry.text + p.text;
            p.images.unshift(...carry.images);
            p.math.unshift(...carry.math);
            carry = null;
          }
          if (markRemoved(c)) carry = p;
          else out.push(p);
          out.push(...extra);
          break;
        }
        case 'w:tbl':
          out.push(table(c));
          break;
        case 'w:sdt':
          for (const k of kids(child(c, 'w:sdtContent') ?? c)) visit(k);
          break;
        case 'w:customXml':
        case 'w:ins':
        case 'w:moveTo':
          if (c.name === 'w:customXml' || keep || !reject) for (const k of kids(c)) visit(k);
          break;
        case 'w:del':
        case 'w:moveFrom':
          if (keep || reject) for (const k of kids(c)) visit(k);
          break;
        case 'mc:AlternateContent': {
          const choice = child(c, 'mc:Choice') ?? child(c, 'mc:Fallback');
          if (choice) for (const k of kids(choice)) visit(k);
          break;
        }
        default:
          break;
      }
    };
    for (const c of kids(el)) visit(c);
    if (carry) out.push(carry);
  };

  const blocks: SourceBlock[] = [];
  if (body) container(body, blocks);

  const comments: WordComment[] = [];
  if (parts.comments) {
    for (const c of childrenNamed(opts.parse(parts.comments, 'word/comments.xml'), 'w:comment')) {
      const id = c.attrs['w:id'] ?? '';
      const text: string[] = [];
      const walk = (el: XEl): void => {
        for (const k of kids(el)) {
          if (k.name === 'w:t') text.push(textOf(k));
          else if (k.name === 'w:p' && text.length > 0) {
            text.push('\n');
            walk(k);
          } else walk(k);
        }
      };
      walk(c);
      comments.push({ id, author: c.attrs['w:author'] ?? '', date: c.attrs['w:date'] ?? '', text: text.join('').trim(), anchor: anchors.get(id) ?? '', ...(starts.has(id) ? { start: starts.get(id) } : {}) });
    }
  }
  if (keep) notKept.formatting = countFormatting(doc);
  return { blocks, changes, comments, paragraphs: index, formulaIssues, notKept };
}

const sameChange = (a: RunChange | undefined, b: RunChange | undefined): boolean =>
  a === b || (!!a && !!b && a.kind === b.kind && a.author === b.author && a.date === b.date && !!a.block === !!b.block);

function changeOf(el: XEl, kind: RunChange['kind']): RunChange {
  return { kind, author: el.attrs['w:author'] ?? '', date: el.attrs['w:date'] ?? '' };
}

/** Mode 'keep': a paragraph whose mark is tracked and whose text is all in changes of that kind was inserted
 *  or deleted whole — its runs say so (`block`). False for a tracked mark that cannot be kept (a split/join). */
function markWholeParagraph(pPr: XEl | undefined, runs: SourceRun[]): boolean {
  const rPr = child(pPr, 'w:rPr');
  const ins = child(rPr, 'w:ins') ?? child(rPr, 'w:moveTo');
  const del = child(rPr, 'w:del') ?? child(rPr, 'w:moveFrom');
  const kind = ins ? 'insert' : del ? 'delete' : null;
  if (!kind) return true;
  if (runs.length === 0 || !runs.every((r) => r.change?.kind === kind)) return false;
  for (const r of runs) r.change = { ...(r.change as RunChange), block: true };
  return true;
}

const FORMATTING_CHANGES = new Set(['w:pPrChange', 'w:rPrChange', 'w:tblPrChange', 'w:trPrChange', 'w:tcPrChange', 'w:sectPrChange', 'w:numberingChange', 'w:cellIns', 'w:cellDel', 'w:cellMerge']);

/** Formatting and cell changes anywhere below `el`. */
function countFormatting(el: XEl): number {
  let n = 0;
  for (const k of kids(el)) n += (FORMATTING_CHANGES.has(k.name) ? 1 : 0) + countFormatting(k);
  return n;
}

/** Mode 'keep': every run of the blocks (a table row's cells) belongs to the row's change. */
function markBlocks(blocks: readonly SourceBlock[], change: RunChange): void {
  for (const b of blocks) {
    if (b.kind === 'p') for (const r of b.runs) if (!r.change || r.change.kind === change.kind) r.change = { ...change };
    if (b.kind === 'table') for (const row of b.rows) for (const c of row.cells) markBlocks(c.blocks, change);
  }
}

function rowsOf(tbl: XEl): XEl[] {
  const out: XEl[] = [];
  for (const c of kids(tbl)) {
    if (c.name === 'w:tr') out.push(c);
    else if (c.name === 'w:sdt' || c.name === 'w:customXml' || c.name === 'w:ins') out.push(...rowsOf(child(c, 'w:sdtContent') ?? c));
  }
  return out;
}

function cellsOf(tr: XEl): XEl[] {
  const out: XEl[] = [];
  for (const c of kids(tr)) {
    if (c.name === 'w:tc') out.push(c);
    else if (c.name === 'w:sdt' || c.name === 'w:customXml') out.push(...cellsOf(child(c, 'w:sdtContent') ?? c));
  }
  return out;
}

/** The first element named `name` below `el` (depth first). */
function descendant(el: XEl, name: string): XEl | undefined {
  for (const k of kids(el)) {
    if (k.name === name) return k;
    const d = descendant(k, name);
    if (d) return d;
  }
  return undefined;
}
