// Scoring keys of a document model, for comparing an imported draft with the expected one element by
// element, as issue 14 asks: chapters and clauses with the right number and title, terms with their
// definition, tables with number, title and size, figures, formulas, notes, examples, annexes — and list items
// and references (normative and bibliography), which the issue's list leaves out. Each element
// gives one key; two models agree on an element when they hold the same key (multiset intersection).
import { computeNumbering } from '../editor/numbering';
import type { DocJSON, NodeJSON } from '../editor/types';

export type ScoredKind = 'clause' | 'term' | 'table' | 'figure' | 'formula' | 'note' | 'example' | 'annex' | 'listItem' | 'reference';
export const SCORED_KINDS: readonly ScoredKind[] = ['clause', 'term', 'table', 'figure', 'formula', 'note', 'example', 'annex', 'listItem', 'reference'];

export interface ScoreKey {
  kind: ScoredKind;
  key: string;
}

const squash = (s: string): string => s.replace(/[\s\u3000]+/g, '');

function text(n: NodeJSON | undefined): string {
  if (!n) return '';
  if (n.type === 'text') return n.text ?? '';
  if (n.type === 'xref') return '⟨ref⟩';
  return (n.content ?? []).map(text).join('');
}

const child = (n: NodeJSON, type: string): NodeJSON | undefined => n.content?.find((c) => c.type === type);

function tableSize(n: NodeJSON): string {
  const rows = (child(n, 'tableGrid')?.content ?? n.content ?? []).filter((r) => r.type === 'tableRow');
  const cols = (rows[0]?.content ?? []).reduce((s, c) => s + Number(c.attrs?.colspan ?? 1), 0);
  return `${rows.length}x${cols}`;
}

/** One key per scored element of `doc`, with the numbers the editor computes. */
export function scoreKeys(doc: DocJSON): ScoreKey[] {
  const numbering = computeNumbering(doc);
  const out: ScoreKey[] = [];
  const labelOf = (n: NodeJSON): string => {
    const id = typeof n.attrs?.id === 'string' ? n.attrs.id : '';
    return id ? (numbering.byId[id]?.label ?? '') : '';
  };
  const walk = (n: NodeJSON, within: string): void => {
    const label = labelOf(n);
    const t = n.type;
    if (t === 'chapter' || t === 'scope' || t === 'normativeReferences' || t === 'termsAndDefinitions' || /^clause[1-5]$/.test(t)) {
      const h = child(n, 'heading');
      out.push({ kind: 'clause', key: `${label}|${h ? squash(text(h)) : `untitled:${squash(text(n)).slice(0, 16)}`}` });
    } else if (t === 'annex') {
      out.push({ kind: 'annex', key: `${label}|${String(n.attrs?.kind)}|${squash(text(child(n, 'heading')))}` });
    } else if (t === 'termEntry') {
      out.push({ kind: 'term', key: `${label}|${squash(text(child(n, 'term')))}|${squash(text(child(n, 'definition')))}` });
    } else if (t === 'table') {
      out.push({ kind: 'table', key: `${label}|${squash(text(child(n, 'caption')))}|${tableSize(n)}` });
    } else if (t === 'figure') {
      out.push({ kind: 'figure', key: `${label}|${squash(text(child(n, 'caption')))}|${String(n.attrs?.src ?? '') !== ''}` });
    } else if (t === 'formula') {
      out.push({ kind: 'formula', key: `${label}|${squash(text(child(n, 'formulaText')))}` });
    } else if (t === 'listItem' || t === 'sublistItem') {
      // The item's own number (a), 1), ——) and its first paragraph.
      const label = (() => {
        const id = typeof n.attrs?.id === 'string' ? n.attrs.id : '';
        return id ? (numbering.byId[id]?.label ?? '') : '';
      })();
      out.push({ kind: 'listItem', key: `${within}|${t}|${label}|${squash(text(child(n, 'paragraph')))}` });
    } else if (t === 'referenceEntry' || t === 'bibliographyEntry') {
      out.push({ kind: 'reference', key: `${t}|${label}|${squash(text(n))}` });
      return;
    } else if (t === 'note' || t === 'example') {
      out.push({ kind: t, key: `${within}|${squash(text(n))}` });
      return;
    }
    const here = label && ['chapter', 'clause', 'annex', 'term', 'table', 'figure'].some((k) => t === k || t.startsWith(k) || t === 'termEntry') ? label : within;
    for (const c of n.content ?? []) walk(c, here);
  };
  for (const top of doc.content) if (top.type !== 'foreword') walk(top, '');
  return out;
}

export interface Score {
  expected: number;
  found: number;
  byKind: Record<ScoredKind, { expected: number; found: number }>;
  missing: ScoreKey[];
}

/** How many of `expected`'s keys `actual` holds (as multisets), overall and per kind. */
export function score(expected: readonly ScoreKey[], actual: readonly ScoreKey[]): Score {
  const have = new Map<string, number>();
  for (const k of actual) have.set(`${k.kind}#${k.key}`, (have.get(`${k.kind}#${k.key}`) ?? 0) + 1);
  const byKind = Object.fromEntries(SCORED_KINDS.map((k) => [k, { expected: 0, found: 0 }])) as Score['byKind'];
  const missing: ScoreKey[] = [];
  let found = 0;
  for (const k of expected) {
    const id = `${k.kind}#${k.key}`;
    byKind[k.kind].expected++;
    const n = have.get(id) ?? 0;
    if (n > 0) {
      have.set(id, n - 1);
      byKind[k.kind].found++;
      found++;
    } else missing.push(k);
  }
  return { expected: expected.length, found, byKind, missing };
}

/** Characters of `expected`'s body text (whitespace ignored) also present in `kept` (multisets). */
export function textKept(expectedText: string, kept: string): { expected: number; kept: number } {
  const have = new Map<string, number>();
  for (const ch of kept.replace(/\s/g, '')) have.set(ch, (have.get(ch) ?? 0) + 1);
  let total = 0;
  let ok = 0;
  for (const ch of expectedText.replace(/\s/g, '')) {
    total++;
    const n = have.get(ch) ?? 0;
    if (n > 0) {
      have.set(ch, n - 1);
      ok++;
    }
  }
  return { expected: total, kept: ok };
}
