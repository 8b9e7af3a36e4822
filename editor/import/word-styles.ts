// styles.xml and numbering.xml of a Word document: paragraph styles by id (name, basedOn, the list
// numbering bound to them, outline level) and the numbering engine that gives each numbered paragraph
// the label Word shows for it (「5.1　」, 「附录A」, 「表A.2　」, 「a)」). Labels are compared later with the
// numbers the editor computes; they never decide the structure on their own.
import { child, childrenNamed, kids, val, type XEl } from './xml';

export interface StyleInfo {
  id: string;
  name: string;
  basedOn?: string;
  numId?: string;
  ilvl?: number;
  outlineLevel?: number;
}

export interface Styles {
  byId: Map<string, StyleInfo>;
  defaultParagraph?: string;
}

export function readStyles(root: XEl | undefined): Styles {
  const byId = new Map<string, StyleInfo>();
  let defaultParagraph: string | undefined;
  if (!root) return { byId };
  for (const s of childrenNamed(root, 'w:style')) {
    if ((s.attrs['w:type'] ?? 'paragraph') !== 'paragraph') continue;
    const id = s.attrs['w:styleId'] ?? '';
    const pPr = child(s, 'w:pPr');
    const numPr = child(pPr, 'w:numPr');
    const info: StyleInfo = { id, name: val(s, 'w:name') ?? id, basedOn: val(s, 'w:basedOn') };
    const numId = val(numPr, 'w:numId');
    if (numId !== undefined) info.numId = numId;
    const ilvl = val(numPr, 'w:ilvl');
    if (ilvl !== undefined) info.ilvl = Number(ilvl);
    const outline = val(pPr, 'w:outlineLvl');
    if (outline !== undefined) info.outlineLevel = Number(outline);
    byId.set(id, info);
    if (s.attrs['w:default'] === '1' || s.attrs['w:default'] === 'true') defaultParagraph = id;
  }
  return { byId, defaultParagraph };
}

/** The style and its ancestors (basedOn), nearest first; cycles cut. */
export function styleChain(styles: Styles, id: string | undefined): StyleInfo[] {
  const out: StyleInfo[] = [];
  const seen = new Set<string>();
  let cur = id ?? styles.defaultParagraph;
  while (cur && !seen.has(cur)) {
    seen.add(cur);
    const s = styles.byId.get(cur);
    if (!s) break;
    out.push(s);
    cur = s.basedOn;
  }
  return out;
}

interface Level {
  start: number;
  format: string;
  text: string;
  /** Restart after a level below this one (0-based) is used; undefined = any higher level; 0 = never. */
  restart?: number;
}

export interface Numbering {
  /** numId → abstractNumId. */
  nums: Map<string, { abstract: string; starts: Map<number, number> }>;
  abstracts: Map<string, Map<number, Level>>;
}

export function readNumbering(root: XEl | undefined): Numbering {
  const nums = new Map<string, { abstract: string; starts: Map<number, number> }>();
  const abstracts = new Map<string, Map<number, Level>>();
  if (!root) return { nums, abstracts };
  for (const a of childrenNamed(root, 'w:abstractNum')) {
    const levels = new Map<number, Level>();
    for (const l of childrenNamed(a, 'w:lvl')) {
      const restart = val(l, 'w:lvlRestart');
      levels.set(Number(l.attrs['w:ilvl'] ?? 0), {
        start: Number(val(l, 'w:start') ?? 1),
        format: val(l, 'w:numFmt') ?? 'decimal',
        text: val(l, 'w:lvlText') ?? '',
        ...(restart !== undefined ? { restart: Number(restart) } : {}),
      });
    }
    abstracts.set(a.attrs['w:abstractNumId'] ?? '', levels);
  }
  for (const n of childrenNamed(root, 'w:num')) {
    const starts = new Map<number, number>();
    for (const o of childrenNamed(n, 'w:lvlOverride')) {
      const s = val(o, 'w:startOverride');
      if (s !== undefined) starts.set(Number(o.attrs['w:ilvl'] ?? 0), Number(s));
    }
    nums.set(n.attrs['w:numId'] ?? '', { abstract: val(n, 'w:abstractNumId') ?? '', starts });
  }
  return { nums, abstracts };
}

function letters(n: number, upper: boolean): string {
  const a = 'abcdefghijklmnopqrstuvwxyz'[(n - 1) % 26].repeat(Math.floor((n - 1) / 26) + 1);
  return upper ? a.toUpperCase() : a;
}

function roman(n: number): string {
  const table: [number, string][] = [[1000, 'm'], [900, 'cm'], [500, 'd'], [400, 'cd'], [100, 'c'], [90, 'xc'], [50, 'l'], [40, 'xl'], [10, 'x'], [9, 'ix'], [5, 'v'], [4, 'iv'], [1, 'i']];
  let s = '';
  for (const [v, r] of table) while (n >= v) {
    s += r;
    n -= v;
  }
  return s;
}

const CN = '〇一二三四五六七八九';
function chinese(n: number): string {
  if (n < 10) return CN[n];
  if (n < 20) return `十${n % 10 ? CN[n % 10] : ''}`;
  if (n < 100) return `${CN[Math.floor(n / 10)]}十${n % 10 ? CN[n % 10] : ''}`;
  return String(n);
}

function format(n: number, fmt: string): string {
  switch (fmt) {
    case 'lowerLetter':
      return letters(n, false);
    case 'upperLetter':
      return letters(n, true);
    case 'lowerRoman':
      return roman(n);
    case 'upperRoman':
      return roman(n).toUpperCase();
    case 'chineseCounting':
    case 'chineseCountingThousand':
    case 'ideographTraditional':
      return chinese(n);
    case 'none':
      return '';
    default:
      return String(n);
  }
}

export interface NumberedLabel {
  /** The text Word shows in front of the paragraph, e.g. '5.1\u3000', '附录A', 'a)', '——'. */
  label: string;
  format: string;
  ilvl: number;
  numId: string;
}

/** Counts numbered paragraphs in document order the way Word does and returns each one's label. */
export class NumberingCounter {
  private readonly counters = new Map<string, Map<number, number>>();

  constructor(private readonly numbering: Numbering) {}

  next(numId: string, ilvl: number): NumberedLabel | null {
    if (numId === '0') return null;
    const num = this.numbering.nums.get(numId);
    if (!num) return null;
    const levels = this.numbering.abstracts.get(num.abstract);
    const level = levels?.get(ilvl);
    if (!levels || !level) return null;
    // Instances with a start override count on their own; the others share their abstract list's counters.
    const key = num.starts.size > 0 ? `n${numId}` : `a${num.abstract}`;
    let c = this.counters.get(key);
    if (!c) {
      c = new Map();
      this.counters.set(key, c);
    }
    const startOf = (l: number): number => num.starts.get(l) ?? levels.get(l)?.start ?? 1;
    c.set(ilvl, c.has(ilvl) ? (c.get(ilvl) ?? 0) + 1 : startOf(ilvl));
    for (const [l, lv] of levels) {
      if (l <= ilvl) continue;
      const restartsAfter = lv.restart === undefined ? l : lv.restart;
      if (restartsAfter !== 0 && ilvl < restartsAfter) c.delete(l);
    }
    if (level.format === 'bullet') return { label: level.text, format: 'bullet', ilvl, numId };
    const label = level.text.replace(/%(\d)/g, (_m, d: string) => {
      const l = Number(d) - 1;
      const lv = levels.get(l);
      const n = c.get(l) ?? startOf(l);
      return format(n, lv?.format ?? 'decimal');
    });
    return { label, format: level.format, ilvl, numId };
  }
}

/** Names of the children of an element, for debugging reports. */
export function childNames(el: XEl): string[] {
  return kids(el).map((k) => k.name);
}
