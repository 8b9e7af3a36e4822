// Helpers for the tests of suggestions racing a drafter's decision (issue 15): edits made the way the editor
// makes them (the suggestion plugin, then y-prosemirror's diff into the Y fragment) and readable views of the
// shared paragraph. Used by test/editor/suggestions-repair.test.ts and test/server/collab/suggest-repair.test.ts.
import * as Y from 'yjs';
import { EditorState, TextSelection, type Transaction } from 'prosemirror-state';
import type { Node as PMNode } from 'prosemirror-model';
import { initProseMirrorDoc, updateYFragment } from 'y-prosemirror';
import { schema, type SuggestionAuthor } from '../../editor/schema';
import { chapter, clause, doc, foreword, h, normativeReferences, p, scope, termsAndDefinitions } from '../../editor/builders';
import { jsonToYDoc, YJS_FRAGMENT } from '../../editor/ydoc';
import type { DocJSON } from '../../editor/types';
import { suggestionsPlugin, acceptCommand, rejectCommand } from '../../editor/suggestions-plugin';
import { listSuggestions } from '../../editor/suggestions';
import { recordDecision } from '../../editor/suggestions-provenance';

export const BUREAU: SuggestionAuthor = { sid: 'repair-1', by: 'bureau', name: '江苏省市场监管局', province: 'JS', at: '2026-12-03T10:00:00.000Z' };

/** One edit the way the editor makes it: the plugin rewrites it, y-prosemirror diffs it into the Y fragment. */
export function edit(ydoc: Y.Doc, user: string, suggesting: boolean, make: (s: EditorState) => Transaction | null): void {
  const frag = ydoc.getXmlFragment(YJS_FRAGMENT);
  const { doc: d, meta } = initProseMirrorDoc(frag, schema);
  let n = 0;
  const plugin = suggestionsPlugin({ user: { by: user, name: user, province: 'JS' }, on: suggesting, forced: suggesting, newSid: () => `${user}-${++n}`, now: () => 'T' });
  let state = EditorState.create({ doc: d, plugins: [plugin] });
  const tr = make(state);
  if (!tr) return;
  state = state.applyTransaction(tr).state;
  ydoc.transact(() => updateYFragment(ydoc, frag, state.doc, meta), 'local');
}

export const pmOf = (y: Y.Doc): PMNode => initProseMirrorDoc(y.getXmlFragment(YJS_FRAGMENT), schema).doc;

export function paragraph(d: PMNode): { from: number; node: PMNode } {
  let found: { from: number; node: PMNode } | null = null;
  d.descendants((node, pos) => {
    if (!found && node.type.name === 'paragraph' && node.attrs.id === 'p1') found = { from: pos + 1, node };
    return !found;
  });
  if (!found) throw new Error('no paragraph p1');
  return found;
}

/** The paragraph as text with its suggestions: [+by:text] inserted, [-by:text] deleted. */
export function shown(d: PMNode): string {
  const out: string[] = [];
  paragraph(d).node.forEach((n) => {
    const m = n.marks.find((x) => x.type.name === 'suggestInsert' || x.type.name === 'suggestDelete');
    out.push(m ? `[${m.type.name === 'suggestInsert' ? '+' : '-'}${String(m.attrs.by)}:${n.text ?? ''}]` : (n.text ?? ''));
  });
  return out.join('');
}

/** Characters of the paragraph carrying the bureau's suggested insertion. */
export function bureauInserted(d: PMNode): string {
  let s = '';
  paragraph(d).node.forEach((n) => {
    if (n.marks.some((m) => m.type.name === 'suggestInsert' && m.attrs.by === 'bureau')) s += n.text ?? '';
  });
  return s;
}

/** The draft before anyone suggests. */
export function base(): Uint8Array {
  const d = doc(foreword(p('前言')), scope(p('范围')), normativeReferences(), termsAndDefinitions(), chapter(h('要求'), clause(h('限值'), p({ id: 'p1' }, '排放浓度应符合表1的规定。'))));
  return Y.encodeStateAsUpdate(jsonToYDoc(d.toJSON() as DocJSON));
}

export type Decision = 'accept' | 'reject';
export type AuthorEdit = (s: EditorState) => Transaction;
/** Typing "ab" at the start of the suggestion, inside it, at its end; deleting its first character. */
export const typeAt = (offset: number): AuthorEdit => (s) => s.tr.setSelection(TextSelection.create(s.doc, paragraph(s.doc).from + 2 + offset)).insertText('ab');
export const deleteAt = (offset: number): AuthorEdit => (s) => {
  const at = paragraph(s.doc).from + 2 + offset;
  return s.tr.setSelection(TextSelection.create(s.doc, at + 1)).delete(at, at + 1);
};

/**
 * The decision of `user` on the first suggestion of the document, as the pane's button makes it: the decision
 * record (what the drafter saw, editor/suggestions-provenance.ts) in its own transaction, then the change;
 * `record: false` is an editor that writes no record.
 */
export function decide(ydoc: Y.Doc, decision: Decision, { user = 'drafter', record = true }: { user?: string; record?: boolean } = {}): void {
  const sid = listSuggestions(pmOf(ydoc))[0].sid;
  if (record) recordDecision(ydoc, user, decision, [sid]);
  edit(ydoc, user, false, (s) => {
    let out: Transaction | null = null;
    (decision === 'accept' ? acceptCommand(sid) : rejectCommand(sid))(s, (tr) => (out = tr));
    return out;
  });
}

/** The draft fragment as XML: equal strings, equal drafts (clients and cold reloads are compared by it). */
export const fingerprint = (d: Y.Doc): string => d.getXmlFragment(YJS_FRAGMENT).toString();

/**
 * Applies `make` to a copy of `doc` and returns the update it made (nothing sent). The copy has a client id of
 * its own: Yjs gives a document that receives items of its own client id from elsewhere a new id.
 */
export function offline(doc: Y.Doc, make: (copy: Y.Doc) => void): Uint8Array {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  const sv = Y.encodeStateVector(copy);
  make(copy);
  return Y.encodeStateAsUpdate(copy, sv);
}

/** The paragraph `id` (its position before it and its size), or null. */
export function findParagraph(d: PMNode, id: string): { pos: number; node: PMNode } | null {
  let found: { pos: number; node: PMNode } | null = null;
  d.descendants((node, pos) => {
    if (!found && node.type.name === 'paragraph' && node.attrs.id === id) found = { pos, node };
    return !found;
  });
  return found;
}

/** A new paragraph "新段落" (id p2) inserted whole after p1: in suggestion mode, a block suggestion. */
export const insertParagraph: AuthorEdit = (s) => {
  const { from, node } = paragraph(s.doc);
  return s.tr.insert(from - 1 + node.nodeSize, schema.nodes.paragraph.create({ id: 'p2' }, schema.text('新段落')));
};

/** The whole paragraph `id` deleted (the block, not only its text). */
export const deleteParagraph =
  (id: string): AuthorEdit =>
  (s) => {
    const found = findParagraph(s.doc, id);
    if (!found) throw new Error(`no paragraph ${id}`);
    return s.tr.delete(found.pos, found.pos + found.node.nodeSize);
  };

/** The clause's paragraphs in order: [id, block suggestion (+by / -by / ''), text with its suggestions]. */
export function paragraphs(d: PMNode): [string, string, string][] {
  const out: [string, string, string][] = [];
  d.descendants((node) => {
    if (node.type.name !== 'paragraph' || !['p1', 'p2'].includes(String(node.attrs.id))) return true;
    const s = node.attrs.suggestion as { kind: string; by: string } | null;
    const texts: string[] = [];
    node.forEach((n) => {
      const m = n.marks.find((x) => x.type.name === 'suggestInsert' || x.type.name === 'suggestDelete');
      texts.push(m ? `[${m.type.name === 'suggestInsert' ? '+' : '-'}${String(m.attrs.by)}:${n.text ?? ''}]` : (n.text ?? ''));
    });
    out.push([String(node.attrs.id), s ? `${s.kind === 'insert' ? '+' : '-'}${s.by}` : '', texts.join('')]);
    return false;
  });
  return out;
}
