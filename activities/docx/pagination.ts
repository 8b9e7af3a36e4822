// A fast page estimate for the 目次. LibreOffice and WPS show a TOC field's stored result as it is, and
// Word replaces it when it updates fields on opening (updateFields), so the stored page numbers should be
// right without laying out the document the slow way. The styles are fixed and 宋体/黑体 are monospaced
// (an 汉字 is one em, Latin about half), so counting lines on the 15.6 pt grid is close to real layout.
import type { DocJSON, NodeJSON } from '../../editor/types';
import { clauseLevel } from '../../editor/schema';
import { decodeDataUrl, fitToPage } from './images';
import { PAGE, TEXT_WIDTH } from './typography';

const LINE = PAGE.linePitch;
const PAGE_HEIGHT = PAGE.height - PAGE.margin.top - PAGE.margin.bottom;
/** Height of one text line in a table cell (9 pt text, not snapped to the grid) and its cell margins. */
// Measured on LibreOffice's layout of the fixtures: a one-line row of 表2 takes ≈ 336 twips (40 rows a page).
const CELL_LINE = 240;
const CELL_PAD = 100;
/** One TOC line (exact 16 pt). */
export const TOC_LINE = 320;

function textOf(n: NodeJSON | undefined): string {
  if (!n) return '';
  if (n.type === 'text') return n.text ?? '';
  if (n.type === 'xref') return '5.1.1';
  return (n.content ?? []).map(textOf).join('');
}

/** Width of a string in twips at `em` twips per 汉字 (Latin, digits and spaces half). */
function widthOf(s: string, em: number): number {
  let w = 0;
  for (const ch of s) w += ch.charCodeAt(0) < 0x2e80 ? em / 2 : em;
  return w;
}

/** Lines a text takes in a box `width` wide, the first line shortened by `first`. */
export function linesOf(s: string, em: number, width: number, first = 0): number {
  if (s.length === 0) return 1;
  const w = widthOf(s, em) + first;
  return Math.max(1, Math.ceil(w / width));
}

/** Room left free at the foot of a page when a table part is sized, for the estimate's error. */
const TABLE_SAFETY = 3 * LINE;
/** A table starts on the next page when fewer body rows than this fit on the current one. */
const MIN_FIRST_PART_ROWS = 3;

class Flow {
  page = 1;
  y = 0;
  readonly pages = new Map<string, number>();
  /** Body rows of each part of each table (by table id), as the renderer cuts them. */
  readonly tableParts = new Map<string, number[]>();

  mark(id: unknown): void {
    if (typeof id === 'string' && id) this.pages.set(id, this.page);
  }
  newPage(): void {
    if (this.y > 0) {
      this.page++;
      this.y = 0;
    }
  }
  /** Adds a block of height `h`; a block that must stay whole (`keep`) moves to the next page if it does not fit. */
  add(h: number, keep = false): void {
    if (keep && this.y + h > PAGE_HEIGHT && this.y > 0) this.newPage();
    this.y += h;
    while (this.y > PAGE_HEIGHT) {
      this.page++;
      this.y -= PAGE_HEIGHT;
    }
  }
  /** A heading: kept with at least two lines of what follows. */
  heading(h: number, id?: unknown): void {
    if (this.y + h + 2 * LINE > PAGE_HEIGHT) this.newPage();
    this.mark(id);
    this.add(h);
  }
}

const EM = 210; // 五号
const EM_SMALL = 180; // 小五

function blocks(nodes: readonly NodeJSON[], f: Flow, width = TEXT_WIDTH): void {
  for (const n of nodes) {
    switch (n.type) {
      case 'paragraph':
        f.add(linesOf(textOf(n), EM, width, 420) * LINE);
        break;
      case 'list':
        for (const item of n.content ?? []) {
          for (const c of item.content ?? []) {
            if (c.type === 'paragraph') f.add(linesOf(textOf(c), EM, width - 851) * LINE);
            else for (const si of c.content ?? []) f.add(linesOf(textOf(si), EM, width - 1276) * LINE);
          }
        }
        break;
      case 'note':
      case 'example':
        for (const c of n.content ?? []) f.add(linesOf(textOf(c), EM_SMALL, width - 907) * LINE);
        break;
      case 'table':
        table(n, f);
        break;
      case 'figure': {
        const img = decodeDataUrl(String(n.attrs?.src ?? ''));
        const h = img ? fitToPage(img.width, img.height).height * 15 : 1800;
        f.add(h + LINE, true);
        blocks((n.content ?? []).filter((c) => c.type === 'note'), f);
        f.add(312 + LINE);
        break;
      }
      case 'formula':
        f.add(312 + LINE);
        for (const s of (n.content ?? []).filter((c) => c.type === 'formulaSymbol')) f.add(linesOf(textOf(s), EM, width - 1260) * LINE);
        if ((n.content ?? []).some((c) => c.type === 'formulaSymbol')) f.add(LINE);
        break;
      default:
        break;
    }
  }
}

function rowHeight(row: NodeJSON, columns: number): number {
  const cellWidth = TEXT_WIDTH / Math.max(1, columns) - 200;
  const lines = Math.max(1, ...(row.content ?? []).map((c) => linesOf(textOf(c), EM_SMALL, cellWidth)));
  return lines * CELL_LINE + CELL_PAD;
}

function table(n: NodeJSON, f: Flow): void {
  const grid = (n.content ?? []).find((c) => c.type === 'tableGrid');
  const rows = grid?.content ?? [];
  const columns = Math.max(1, ...rows.map((r) => (r.content ?? []).reduce((s, c) => s + (Number(c.attrs?.colspan ?? 1) || 1), 0)));
  const headerCount = Math.max(0, rows.findIndex((r) => !(r.content ?? []).every((c) => c.type === 'tableHeader')));
  const header = rows.slice(0, headerCount).reduce((s, r) => s + rowHeight(r, columns), 0);
  const body = rows.slice(headerCount);
  const heights = body.map((r) => rowHeight(r, columns));
  const notes = (n.content ?? []).filter((c) => c.type === 'note');
  const notesHeight = notes.reduce((s, note) => s + (note.content ?? []).reduce((t, c) => t + linesOf(textOf(c), EM_SMALL, TEXT_WIDTH - 907) * LINE, 0), 0);
  const title = 312 + LINE;
  const parts = splitTable(body, heights, notesHeight, (first) => PAGE_HEIGHT - (first ? f.y : 0) - title - header - TABLE_SAFETY, () => {
    f.newPage();
  });
  parts.forEach((count, k) => {
    if (k > 0) f.newPage();
    const start = parts.slice(0, k).reduce((a, b) => a + b, 0);
    const h = heights.slice(start, start + count).reduce((a, b) => a + b, 0);
    f.add(title + header + h + (k === parts.length - 1 ? notesHeight : 0));
  });
  const id = n.attrs?.id;
  if (typeof id === 'string' && id) f.tableParts.set(id, parts);
}

/**
 * Cuts a table's body rows into parts: the first fills the room left on the current page, each further one
 * a page under 表N（续）; never inside a cell spanning rows; the table notes (in the last row) with the last.
 * `room(first)` is the height available to the rows of a part; `moveToNextPage` is called when the first
 * part should rather start on the next page (too few rows fit).
 */
export function splitTable(body: readonly NodeJSON[], heights: readonly number[], notesHeight: number, room: (first: boolean) => number, moveToNextPage: () => void): number[] {
  const lastRowOf = body.map((r, i) => i + Math.max(0, ...(r.content ?? []).map((c) => (Number(c.attrs?.rowspan ?? 1) || 1) - 1)));
  const parts: number[] = [];
  let first = true;
  let start = 0;
  while (start < body.length || parts.length === 0) {
    const space = room(first);
    let end = start;
    let h = 0;
    while (end < body.length && h + heights[end] <= space) h += heights[end++];
    // The notes go with the last part: leave them room, or leave a row for a further part.
    while (end === body.length && end > start + 1 && h + notesHeight > space) h -= heights[--end];
    // Never cut inside a cell that spans rows: end before the spanning row, or after it when it is alone.
    for (;;) {
      const spanning = lastRowOf.findIndex((last, i) => i >= start && i < end && last >= end);
      if (spanning < 0) break;
      end = spanning > start ? spanning : lastRowOf[spanning] + 1;
    }
    if (first && end - start < Math.min(MIN_FIRST_PART_ROWS, body.length - start) && room(true) < room(false)) {
      moveToNextPage();
      first = false;
      continue;
    }
    if (end === start) end = Math.min(body.length, start + 1);
    parts.push(end - start);
    start = end;
    first = false;
    if (body.length === 0) break;
  }
  return parts;
}

function clause(n: NodeJSON, f: Flow): void {
  const heading = (n.content ?? []).find((c) => c.type === 'heading');
  if (heading) f.heading(312 + linesOf(textOf(heading), EM, TEXT_WIDTH) * LINE, n.attrs?.id);
  else f.mark(n.attrs?.id);
  const rest = (n.content ?? []).filter((c) => c.type !== 'heading');
  blocks(rest.filter((c) => clauseLevel(c.type) === 0), f);
  for (const c of rest.filter((c) => clauseLevel(c.type) > 0)) clause(c, f);
}

/**
 * Estimated pages of the body (Arabic numbering from 1) by id of chapter, clause, annex and 参考文献, and
 * of the front matter (Roman) given how many lines the 目次 has.
 */
export function estimatePages(body: DocJSON, tocLines: number): { body: Map<string, number>; front: Map<string, number>; tableParts: Map<string, number[]> } {
  const front = new Flow();
  front.add(480 + 468 + 2 * LINE + tocLines * TOC_LINE);
  for (const top of body.content) {
    if (top.type !== 'foreword' && top.type !== 'introduction') continue;
    front.newPage();
    front.heading(480 + 468 + 2 * LINE, top.attrs?.id);
    // The 前言 adds about eight record sentences to what the drafters wrote.
    if (top.type === 'foreword') front.add(10 * LINE);
    blocks((top.content ?? []).filter((c) => clauseLevel(c.type) === 0), front);
    for (const c of (top.content ?? []).filter((c) => clauseLevel(c.type) > 0)) clause(c, front);
  }

  const f = new Flow();
  f.add(560 + 640 + 2 * LINE);
  for (const top of body.content) {
    switch (top.type) {
      case 'scope':
      case 'normativeReferences':
      case 'termsAndDefinitions':
      case 'chapter': {
        f.heading(624 + LINE, top.attrs?.id);
        if (top.type === 'normativeReferences') {
          f.add(3 * LINE);
          f.add((top.content ?? []).length * LINE);
        } else if (top.type === 'termsAndDefinitions') {
          for (const c of top.content ?? []) {
            if (c.type === 'paragraph') f.add(LINE);
            else {
              f.add(156 + 2 * LINE);
              for (const part of c.content ?? []) {
                if (part.type === 'definition' || part.type === 'termSource') f.add(linesOf(textOf(part), EM, TEXT_WIDTH, 420) * LINE);
                else if (part.type === 'note' || part.type === 'example') blocks([part], f);
              }
            }
          }
        } else {
          const rest = (top.content ?? []).filter((c) => c.type !== 'heading');
          blocks(rest.filter((c) => clauseLevel(c.type) === 0), f);
          for (const c of rest.filter((c) => clauseLevel(c.type) > 0)) clause(c, f);
        }
        break;
      }
      case 'annex': {
        f.newPage();
        f.mark(top.attrs?.id);
        f.add(3 * LINE + 312);
        const rest = (top.content ?? []).filter((c) => c.type !== 'heading');
        blocks(rest.filter((c) => clauseLevel(c.type) === 0), f);
        for (const c of rest.filter((c) => clauseLevel(c.type) > 0)) clause(c, f);
        break;
      }
      case 'bibliography':
        f.newPage();
        f.mark(top.attrs?.id);
        f.add(480 + 468 + 2 * LINE);
        for (const e of top.content ?? []) f.add(linesOf(textOf(e), EM, TEXT_WIDTH - 420) * LINE);
        break;
      default:
        break;
    }
  }
  return { body: f.pages, front: front.pages, tableParts: new Map([...front.tableParts, ...f.tableParts]) };
}
