// The quantity symbols of a formula line (GB/T 1.1—2020 §9.6, gbt-1.1-format.md rule 21): which letters are
// symbols (set in italic, each explained after 「式中：」), which are function names (lg, exp … upright), and
// where a subscript was typed on the line (V0) instead of being marked as one. Pure: the checker uses it to
// flag unexplained symbols and typed subscripts, the DOCX renderer to set the symbols in italic, the same way
// as in the 式中 lines.
import type { MarkJSON, NodeJSON } from './types';

/** Function and operator names printed upright, never symbols. */
const FUNCTIONS = new Set(['sin', 'cos', 'tan', 'cot', 'arcsin', 'arccos', 'arctan', 'sinh', 'cosh', 'tanh', 'lg', 'ln', 'log', 'exp', 'max', 'min', 'lim', 'mod', 'sgn', 'det']);
const LETTER = /[A-Za-z\u0370-\u03FF]/;
const RUN = /[A-Za-z\u0370-\u03FF]+/g;

export interface FormulaSymbol {
  /** As written: base letters plus subscript (「V0」 for V with subscript 0). */
  key: string;
  /** True when the subscript digits were typed on the line, not marked as a subscript. */
  typedSubscript: boolean;
}

const hasMark = (n: NodeJSON, type: string): boolean => (n.marks ?? []).some((m) => m.type === type);
const isScript = (n: NodeJSON): boolean => hasMark(n, 'sub') || hasMark(n, 'sup');

/** A symbol name from a 式中 line's `symbol` attribute or a formula: no spaces, no 「_」. */
export function normaliseSymbol(s: string): string {
  return s.replace(/[\s_{}]/g, '');
}

/** The 式中 symbol split into its base letters and its subscript (`V_0`, `V0`, `ρ_COD` → base, sub). */
export function splitSymbol(symbol: string): { base: string; sub: string } {
  const s = symbol.trim();
  const m = /^([A-Za-z\u0370-\u03FF]+)_?\{?([^}]*)\}?$/.exec(s);
  if (!m || (!s.includes('_') && !/^\d+$/.test(m[2]))) return { base: s, sub: '' };
  return { base: m[1], sub: m[2] };
}

/** The symbols of a formula line, in order of first appearance, each once. */
export function formulaSymbols(content: readonly NodeJSON[] | undefined): FormulaSymbol[] {
  const nodes = (content ?? []).filter((n) => n.type === 'text');
  const out = new Map<string, FormulaSymbol>();
  nodes.forEach((n, i) => {
    if (isScript(n)) return;
    const t = n.text ?? '';
    for (const m of t.matchAll(RUN)) {
      const name = m[0];
      if (FUNCTIONS.has(name)) continue;
      const end = (m.index ?? 0) + name.length;
      const typed = /^\d+/.exec(t.slice(end))?.[0] ?? '';
      // A marked subscript right after the letters belongs to the symbol (ρ with 「COD」 below).
      const next = nodes[i + 1];
      const marked = !typed && end === t.length && next && hasMark(next, 'sub') ? normaliseSymbol(next.text ?? '') : '';
      const key = name + (typed || marked);
      if (!out.has(key)) out.set(key, { key, typedSubscript: typed !== '' });
    }
  });
  return [...out.values()];
}

/**
 * The formula line's content with every symbol's letters marked `em` (italic), function names and numbers
 * left upright; subscripts and superscripts are left as they are. Other marks (redline) are kept.
 */
export function italiciseSymbols(content: readonly NodeJSON[] | undefined): NodeJSON[] {
  const out: NodeJSON[] = [];
  for (const n of content ?? []) {
    if (n.type !== 'text' || isScript(n) || hasMark(n, 'em') || !LETTER.test(n.text ?? '')) {
      out.push(n);
      continue;
    }
    const t = n.text ?? '';
    let at = 0;
    const piece = (text: string, italic: boolean): void => {
      if (!text) return;
      const marks: MarkJSON[] = [...(n.marks ?? []), ...(italic ? [{ type: 'em' } as MarkJSON] : [])];
      out.push({ ...n, text, ...(marks.length ? { marks } : {}) });
    };
    for (const m of t.matchAll(RUN)) {
      const i = m.index ?? 0;
      piece(t.slice(at, i), false);
      piece(m[0], !FUNCTIONS.has(m[0]));
      at = i + m[0].length;
    }
    piece(t.slice(at), false);
  }
  return out;
}
