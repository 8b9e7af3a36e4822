// Test helper: a document model as comparable lines — every textblock with the computed number of the
// element it belongs to, its node path and its text (cross-references read as their computed text), so
// two models can be compared for "same numbers, titles, terms, tables and text" whatever their ids.
import { computeNumbering, referenceDesignation, xrefText, type Numbering } from '../../../editor/numbering';
import type { DocJSON, NodeJSON } from '../../../editor/types';
import type { ImportResult } from '../../../editor/import';
import type { SourceBlock } from '../../../editor/import/reader';

const TEXTBLOCKS = new Set(['paragraph', 'heading', 'caption', 'term', 'termEnglish', 'termAbbreviation', 'definition', 'termSource', 'formulaText', 'formulaSymbol', 'referenceEntry', 'bibliographyEntry']);

function inline(n: NodeJSON, numbering: Numbering): string {
  if (n.type === 'text') return n.text ?? '';
  if (n.type === 'xref') return xrefText(numbering, String(n.attrs?.target ?? ''));
  return (n.content ?? []).map((c) => inline(c, numbering)).join('');
}

export interface ShapeOptions {
  /** Drop top-level nodes of these types (e.g. the foreword, which the generator rewrites from the record). */
  skipTop?: string[];
}

export function shape(doc: DocJSON, opts: ShapeOptions = {}): string[] {
  const numbering = computeNumbering(doc);
  const lines: string[] = [];
  const walk = (n: NodeJSON, path: string[], label: string): void => {
    const id = typeof n.attrs?.id === 'string' ? n.attrs.id : '';
    const own = id ? numbering.byId[id] : undefined;
    const here = own && own.label ? own.label : label;
    const p = [...path, n.type === 'tableHeader' ? 'tableCell+h' : n.type];
    if (TEXTBLOCKS.has(n.type)) {
      let t = inline(n, numbering).replace(/\s+/g, ' ').trim();
      if (n.type === 'referenceEntry') t = `${referenceDesignation(n.attrs ?? {})} ${t}`;
      if (n.type === 'formulaSymbol') t = `${String(n.attrs?.symbol ?? '')}——${t}`;
      if (n.type === 'termAbbreviation' && !t) return;
      if (n.type === 'termSource' && !t) return;
      lines.push(`${here} | ${p.slice(-3).join('>')} | ${t}`);
      return;
    }
    if (n.type === 'annex') lines.push(`${here} | annex:${String(n.attrs?.kind)}`);
    if (n.type === 'list' || n.type === 'sublist') lines.push(`${here} | ${n.type}:${String(n.attrs?.kind)}`);
    if (n.type === 'tableCell' || n.type === 'tableHeader') lines.push(`${here} | cell ${String(n.attrs?.colspan ?? 1)}x${String(n.attrs?.rowspan ?? 1)}`);
    if (n.type === 'figure') lines.push(`${here} | figure src:${String(n.attrs?.src ?? '').length > 0}`);
    for (const c of n.content ?? []) walk(c, p, here);
  };
  for (const top of doc.content) {
    if (opts.skipTop?.includes(top.type)) continue;
    walk(top, [], '');
  }
  return lines;
}

/** Characters of a string as a multiset, whitespace ignored. */
export function charCounts(s: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const ch of s.replace(/\s/g, '')) m.set(ch, (m.get(ch) ?? 0) + 1);
  return m;
}

/** Characters of `need` not covered by `have`. */
export function missingChars(need: Map<string, number>, have: Map<string, number>): string {
  let out = '';
  for (const [ch, n] of need) if ((have.get(ch) ?? 0) < n) out += ch.repeat(n - (have.get(ch) ?? 0));
  return out;
}

function modelText(n: NodeJSON): string {
  if (n.type === 'text') return n.text ?? '';
  const own = n.type === 'referenceEntry' ? `${String(n.attrs?.code ?? '')}${String(n.attrs?.number ?? '')}${String(n.attrs?.year ?? '')}` : n.type === 'formulaSymbol' ? String(n.attrs?.symbol ?? '') : n.type === 'figure' ? String(n.attrs?.alt ?? '') : '';
  return own + (n.content ?? []).map(modelText).join('');
}

function sourceText(blocks: readonly SourceBlock[]): string {
  return blocks.map((b) => (b.kind === 'p' ? b.text : b.rows.map((r) => r.cells.map((c) => sourceText(c.blocks)).join('')).join(''))).join('');
}

/** Every character of the body is in the model, the report (not placed, skipped) or a label the structure recomputes. */
export function expectNothingLost(r: ImportResult): void {
  const have = [modelText(r.doc), ...r.report.unplaced.map((u) => u.text), ...r.report.skipped.map((s) => s.text), ...r.strippedLabels].join('');
  expect(missingChars(charCounts(sourceText(r.blocks)), charCounts(have))).toBe('');
}

