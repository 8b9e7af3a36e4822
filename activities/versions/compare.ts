// Compares two versions of a standard clause by clause. A "clause" here is every element the outline
// lists (前言, 引言, chapters 1–n, clauses to the fifth level, term entries, annexes, 参考文献), matched
// across versions by its stable id, so a clause that was renumbered (5.2 → 5.3) or moved is still the same
// clause. Each clause's own text (not its sub-clauses', which are compared on their own) is diffed
// character by character, which suits Chinese. Pure: no I/O.
import { diffChars } from 'diff';
import type { Numbering } from '../../editor/numbering';
import type { DocJSON, NodeJSON } from '../../editor/types';

export type ClauseStatus = 'added' | 'removed' | 'changed' | 'unchanged';

export interface TextPart {
  type: 'equal' | 'insert' | 'delete';
  text: string;
}

export interface ClauseChange {
  id: string;
  status: ClauseStatus;
  /** Outline label and title in the older version (absent for added clauses). */
  before?: { label: string; title: string };
  /** Outline label and title in the newer version (absent for removed clauses). */
  after?: { label: string; title: string };
  /** The computed number changed (5.2 → 5.3) without the clause being removed. */
  renumbered: boolean;
  /** The clause now sits under another parent. */
  moved: boolean;
  /** Insertions and deletions of the clause's own text; one 'equal' part when unchanged. */
  parts: TextPart[];
}

export interface VersionSide {
  json: DocJSON;
  numbering: Numbering;
}

export interface Comparison {
  changes: ClauseChange[];
  summary: Record<ClauseStatus, number> & { renumbered: number; moved: number };
}

interface ClauseText {
  id: string;
  parent: string | null;
  label: string;
  title: string;
  text: string;
}

/** Block-level node types whose text is separated by a line break in the compared text. */
const BLOCKS = new Set(['paragraph', 'heading', 'caption', 'term', 'termEnglish', 'termAbbreviation', 'definition', 'termSource', 'formulaText', 'formulaSymbol', 'referenceEntry', 'bibliographyEntry', 'tableCell', 'tableHeader', 'listItem', 'sublistItem']);

function inlineText(node: NodeJSON, numbering: Numbering): string {
  if (node.type === 'text') return node.text ?? '';
  if (node.type === 'xref') {
    const target = String(node.attrs?.target ?? '');
    // What the reader sees: the computed reference, so a renumbered target shows as a change.
    return numbering.byId[target]?.xref ?? `[${target}]`;
  }
  return (node.content ?? []).map((c) => inlineText(c, numbering)).join('');
}

/** Every outline clause of a document with the text that belongs to it and not to a sub-clause. */
export function clauseTexts(side: VersionSide): Map<string, ClauseText> {
  const units = new Map(side.numbering.outline.filter((o) => o.id).map((o) => [o.id as string, o]));
  const out = new Map<string, ClauseText>();

  const walk = (node: NodeJSON, owner: ClauseText | null, lines: string[]): void => {
    const id = typeof node.attrs?.id === 'string' ? node.attrs.id : null;
    const unit = id ? units.get(id) : undefined;
    if (id && unit) {
      const own: ClauseText = { id, parent: owner?.id ?? null, label: unit.label, title: unit.title, text: '' };
      // Set before descending so the map is in document (pre-)order.
      out.set(id, own);
      const ownLines: string[] = [];
      for (const c of node.content ?? []) walk(c, own, ownLines);
      own.text = ownLines.filter((l) => l !== '').join('\n');
      return;
    }
    if (BLOCKS.has(node.type)) {
      const attrs = node.type === 'referenceEntry' ? [node.attrs?.code, node.attrs?.number, node.attrs?.year].filter(Boolean).join(' ') : '';
      const prefix = node.type === 'formulaSymbol' ? `${String(node.attrs?.symbol ?? '')}——` : '';
      lines.push(`${attrs ? `${attrs} ` : ''}${prefix}${inlineText(node, side.numbering)}`);
      // Cells and list items hold paragraphs: their text was taken above, do not descend twice.
      return;
    }
    if (node.type === 'figure') lines.push(`[图 ${String(node.attrs?.src ?? '')}]`);
    for (const c of node.content ?? []) walk(c, owner, lines);
  };
  walk(side.json, null, []);
  return out;
}

function textParts(before: string, after: string): TextPart[] {
  if (before === after) return [{ type: 'equal', text: after }];
  return diffChars(before, after).map((p) => ({ type: p.added ? 'insert' : p.removed ? 'delete' : 'equal', text: p.value }));
}

/**
 * The clause-by-clause differences from `older` to `newer`, in the newer document's order, each removed
 * clause placed after the clause that preceded it in the older document.
 */
export function compareVersions(older: VersionSide, newer: VersionSide): Comparison {
  const a = clauseTexts(older);
  const b = clauseTexts(newer);
  const changes: ClauseChange[] = [];
  const removedAfter = new Map<string | null, ClauseChange[]>();
  let previous: string | null = null;
  for (const [id, ca] of a) {
    if (!b.has(id)) {
      const change: ClauseChange = { id, status: 'removed', before: { label: ca.label, title: ca.title }, renumbered: false, moved: false, parts: ca.text ? [{ type: 'delete', text: ca.text }] : [] };
      // Consecutive removals share an anchor and keep their original order.
      const list = removedAfter.get(previous) ?? [];
      list.push(change);
      removedAfter.set(previous, list);
      continue;
    }
    previous = id;
  }
  const pushRemoved = (anchor: string | null): void => {
    for (const r of removedAfter.get(anchor) ?? []) changes.push(r);
  };
  pushRemoved(null);
  for (const [id, cb] of b) {
    const ca = a.get(id);
    if (!ca) {
      changes.push({ id, status: 'added', after: { label: cb.label, title: cb.title }, renumbered: false, moved: false, parts: cb.text ? [{ type: 'insert', text: cb.text }] : [] });
    } else {
      const parts = textParts(ca.text, cb.text);
      const titleChanged = ca.title !== cb.title;
      const changed = titleChanged || parts.some((p) => p.type !== 'equal');
      changes.push({
        id,
        status: changed ? 'changed' : 'unchanged',
        before: { label: ca.label, title: ca.title },
        after: { label: cb.label, title: cb.title },
        renumbered: ca.label !== cb.label,
        moved: ca.parent !== cb.parent,
        parts,
      });
    }
    pushRemoved(id);
  }
  const summary = { added: 0, removed: 0, changed: 0, unchanged: 0, renumbered: 0, moved: 0 };
  for (const c of changes) {
    summary[c.status] += 1;
    if (c.renumbered) summary.renumbered += 1;
    if (c.moved) summary.moved += 1;
  }
  return { changes, summary };
}
