// The 目次 (spec §1.1, checklist 23): a real TOC field over the named heading styles, so Word rebuilds it
// on opening (updateFields), whose stored result lists 前言, 引言, chapters, first-level clauses, annexes
// with (规范性)/(资料性) and 参考文献, each with its page number (Roman in the front matter) estimated by
// pagination.ts, so readers that do not update fields show it filled in as well. In a redline copy the line
// of a heading inserted or deleted whole is tracked with it (its paragraph mark too).
import { LeaderType, Paragraph, StyleLevel, Tab, TableOfContents, TabStopType, TextRun } from 'docx';
import type { DocJSON, NodeJSON } from '../../editor/types';
import { labelRun, paragraphMarkChange, REDLINE_DEL, REDLINE_INS, whollyTracked } from './inline';
import type { Numbering, OutlineEntry } from '../../editor/numbering';
import { estimatePages } from './pagination';
import { STYLE, TOC_STYLES } from './styles';
import { TEXT_WIDTH, IDEOGRAPHIC_SPACE as GAP } from './typography';

export interface TocEntry {
  id: string | null;
  text: string;
  level: 1 | 2;
  /** As printed: 'I', 'II' … in the front matter, '1', '2' … in the body. */
  page: string;
  /** The heading (redline copies: its line is tracked when the heading was inserted or deleted whole). */
  heading?: NodeJSON;
}

/** A redline's own change (not a review copy's suggestion, which carries its proposer: those lines stay plain). */
function redlineChangeOf(heading: NodeJSON | undefined): 'ins' | 'del' | null {
  const first = heading?.content?.find((c) => c.type === 'text');
  const own = (first?.marks ?? []).some((m) => [REDLINE_INS, REDLINE_DEL].includes(m.type as string) && typeof (m.attrs as { author?: unknown } | undefined)?.author === 'string');
  return own ? null : whollyTracked(heading);
}

/** The heading of each block with an id (the outline's entries), for the redline's tracked 目次 lines. */
function headingsById(body: DocJSON): Map<string, NodeJSON> {
  const out = new Map<string, NodeJSON>();
  const walk = (n: NodeJSON): void => {
    const id = n.attrs?.id;
    const heading = n.content?.find((c) => c.type === 'heading');
    if (typeof id === 'string' && heading) out.set(id, heading);
    for (const c of n.content ?? []) if (c.type !== 'text') walk(c);
  };
  walk(body as NodeJSON);
  return out;
}

const ROMAN: [number, string][] = [[1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'], [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']];

export function toRoman(n: number): string {
  let s = '';
  for (const [v, r] of ROMAN) while (n >= v) {
    s += r;
    n -= v;
  }
  return s;
}

function textOf(e: OutlineEntry, numbering: Numbering): string {
  switch (e.kind) {
    case 'foreword':
    case 'introduction':
    case 'bibliography':
      return e.title;
    case 'annex': {
      const q = e.id ? numbering.byId[e.id]?.qualifier : undefined;
      return `${e.label}${q ? `（${q}）` : ''}${GAP}${e.title}`;
    }
    default:
      return `${e.label}${GAP}${e.title}`;
  }
}

/** The entries of the 目次 with estimated page numbers, or the pages a real layout printed them on (`exact`). */
export function tocEntries(body: DocJSON, numbering: Numbering, exact?: ReadonlyMap<string, string>): TocEntry[] {
  const listed = numbering.outline.filter((e) => e.level === 1 || (e.level === 2 && e.kind === 'clause' && e.title !== ''));
  const { body: bodyPages, front } = estimatePages(body, listed.length);
  const headings = headingsById(body);
  return listed.map((e) => {
    const heading = e.id ? headings.get(e.id) : undefined;
    const isFront = e.id !== null && front.has(e.id);
    const page = e.id ? (isFront ? front.get(e.id) : bodyPages.get(e.id)) : undefined;
    return {
      id: e.id,
      text: textOf(e, numbering),
      level: e.level === 1 ? 1 : 2,
      page: e.id && exact?.has(e.id) ? (exact.get(e.id) as string) : page === undefined ? '' : isFront ? toRoman(page) : String(page),
      ...(heading ? { heading } : {}),
    };
  });
}

/** The TOC field with its stored result. */
export function tableOfContents(entries: TocEntry[]): TableOfContents {
  const tabs = [{ type: TabStopType.RIGHT, position: TEXT_WIDTH, leader: LeaderType.DOT }];
  return new TableOfContents('目次', {
    hyperlink: true,
    stylesWithLevels: TOC_STYLES.map((s) => new StyleLevel(s.styleName, s.level)),
    contentChildren: entries.map((e) => {
      const change = redlineChangeOf(e.heading);
      const children = [change ? labelRun({ children: [e.text, new Tab(), e.page] }, change) : new TextRun({ children: [e.text, new Tab(), e.page] })];
      return new Paragraph({ style: e.level === 1 ? STYLE.toc1 : STYLE.toc2, tabStops: tabs, children, ...paragraphMarkChange(children) });
    }),
  });
}
