// Shows the computed numbers in the editor without putting them in the document: a plugin keeps the
// current numbering (editor/numbering.ts) and puts it on the DOM as node decorations (`data-label` and a
// few other attributes) that the stylesheet prints with ::before / ::after. The author can never type or
// delete a number, and numbers change for everyone the moment the structure changes.
import { Plugin, PluginKey, type EditorState } from 'prosemirror-state';
import { Decoration, DecorationSet } from 'prosemirror-view';
import type { Node } from 'prosemirror-model';
import { computeNumbering, FIXED_TITLES, referenceDesignation, refreshOutlineEntry, type Numbering, type OutlineEntry } from './numbering';
import { changeMapping, diffDocs, textOnlyChange, type DocChange } from './doc-diff';
import { clauseLevel } from './schema';

export interface NumberingState {
  readonly numbering: Numbering;
  readonly decorations: DecorationSet;
}

export const numberingKey = new PluginKey<NumberingState>('tongbiaoNumbering');

const FIXED_CHAPTERS = new Set(['scope', 'normativeReferences', 'termsAndDefinitions']);
const NORMATIVE_REFERENCES_LEAD =
  '下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。其中，注日期的引用文件，仅该日期对应的版本适用于本文件；不注日期的引用文件，其最新版本（包括所有的修改单）适用于本文件。';

/**
 * The decorations of one node, decided from the node and its parent (several numbers sit on a child:
 * a clause's on its heading, a note's on its first paragraph, a table's on its caption).
 */
function decorationsOf(node: Node, pos: number, parent: Node | null, index: number, numbering: Numbering, out: Decoration[]): void {
  const labelOf = (n: Node): string => {
    const id = n.attrs.id as string | null | undefined;
    return (id ? numbering.byId[id]?.label : undefined) ?? '';
  };
  const mark = (attrs: Record<string, string>): void => {
    out.push(Decoration.node(pos, pos + node.nodeSize, attrs));
  };
  const type = node.type.name;
  const parentType = parent?.type.name ?? '';
  if (FIXED_CHAPTERS.has(type)) {
    const attrs: Record<string, string> = { 'data-label': labelOf(node), 'data-title': FIXED_TITLES[type as keyof typeof FIXED_TITLES] };
    if (type === 'normativeReferences') attrs['data-lead'] = node.childCount ? NORMATIVE_REFERENCES_LEAD : '本文件没有规范性引用文件。';
    mark(attrs);
    return;
  }
  if (!parent) return;
  if (type === 'heading') {
    // The number of a chapter, titled clause or annex is printed before its heading.
    const owner = parent.attrs.id ? numbering.byId[parent.attrs.id as string] : undefined;
    const attrs: Record<string, string> = { 'data-label': labelOf(parent) };
    if (owner?.qualifier) attrs['data-qualifier'] = `（${owner.qualifier}）`;
    mark(attrs);
    return;
  }
  if (index === 0 && clauseLevel(parentType) > 0) {
    // First child of an untitled clause: the clause number goes before it.
    mark({ 'data-label': labelOf(parent), class: 'tb-untitled' });
    return;
  }
  if (index === 0 && (parentType === 'note' || parentType === 'example')) {
    mark({ 'data-label': labelOf(parent), class: `tb-${parentType}-first` });
    return;
  }
  if (index === 0 && (parentType === 'listItem' || parentType === 'sublistItem')) {
    mark({ 'data-label': labelOf(parent), class: 'tb-item-first' });
    return;
  }
  if (type === 'caption' || (type === 'formulaText' && parentType === 'formula')) {
    mark({ 'data-label': labelOf(parent) });
    return;
  }
  switch (type) {
    case 'termEntry':
    case 'bibliographyEntry':
      mark({ 'data-label': labelOf(node) });
      break;
    case 'referenceEntry':
      mark({ 'data-label': referenceDesignation(node.attrs) || '代号 编号—年号' });
      break;
    case 'xref': {
      const label = numbering.byId[node.attrs.target as string];
      mark({ 'data-label': label ? label.xref : '[引用失效]', class: label ? 'tb-xref' : 'tb-xref tb-xref-broken' });
      break;
    }
    default:
      break;
  }
}

/** Builds the decorations for a document and its numbering. */
export function numberDecorations(doc: Node, numbering: Numbering): DecorationSet {
  const decos: Decoration[] = [];
  doc.descendants((node, pos, parent, index) => {
    decorationsOf(node, pos, parent, index, numbering, decos);
    return !node.isText;
  });
  return DecorationSet.create(doc, decos);
}

/** The decorations of the nodes lying wholly inside [from, to). */
function decorationsIn(doc: Node, numbering: Numbering, from: number, to: number): Decoration[] {
  const decos: Decoration[] = [];
  doc.nodesBetween(from, to, (node, pos, parent, index) => {
    if (pos >= from && pos + node.nodeSize <= to) decorationsOf(node, pos, parent, index, numbering, decos);
    return !node.isText;
  });
  return decos;
}

/** True when every element present in both numberings kept its number and none with a number went away. */
function sameNumbers(a: Numbering, b: Numbering): boolean {
  for (const [id, la] of Object.entries(a.byId)) {
    const lb = b.byId[id];
    if (!lb) {
      if (la.kind === 'paragraph' || la.kind === 'list') continue;
      return false;
    }
    if (la.label !== lb.label || la.xref !== lb.xref || la.qualifier !== lb.qualifier) return false;
  }
  return true;
}

function sameOutline(a: OutlineEntry[], b: OutlineEntry[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((e, i) => {
    const f = b[i];
    return e.id === f.id && e.label === f.label && e.title === f.title && e.snippet === f.snippet && e.level === f.level && e.kind === f.kind;
  });
}

function compute(doc: Node): NumberingState {
  const numbering = computeNumbering(doc);
  return { numbering, decorations: numberDecorations(doc, numbering) };
}

/**
 * The next state after a document change. Typing inside one textblock changes no number, so the old
 * decorations are mapped across the change and only an outline title is refreshed; anything else
 * recomputes everything (cost grows with the document: about 30 ms for 16 000 nodes).
 */
function next(old: NumberingState, before: Node, after: Node): NumberingState {
  const change = diffDocs(before, after);
  if (!change) return old;
  const text = textOnlyChange(before, after, change);
  if (!text) return structuralChange(old, after, change);
  // Outline titles and snippets come from text: refresh the entries of the elements around the typing.
  const $pos = after.resolve(text.pos);
  let numbering = old.numbering;
  for (let d = $pos.depth; d > 0; d--) numbering = refreshOutlineEntry(numbering, $pos.node(d));
  return {
    numbering,
    decorations: old.decorations.map(changeMapping(change), after),
  };
}

/**
 * After a structural change the numbers are recomputed; when none of them changed (Enter between
 * paragraphs, a new paragraph or list item, a deleted note-free paragraph …) only the decorations of the
 * innermost element around the change are rebuilt, and the outline keeps its identity.
 */
function structuralChange(old: NumberingState, after: Node, change: DocChange): NumberingState {
  const computed = computeNumbering(after);
  if (!sameNumbers(old.numbering, computed)) return { numbering: computed, decorations: numberDecorations(after, computed) };
  const numbering = sameOutline(old.numbering.outline, computed.outline) ? { byId: computed.byId, outline: old.numbering.outline } : computed;
  const $from = after.resolve(change.start);
  const depth = $from.sharedDepth(change.endNew);
  if (depth === 0) return { numbering, decorations: numberDecorations(after, computed) };
  const from = $from.before(depth);
  const to = $from.after(depth);
  const mapped = old.decorations.map(changeMapping(change), after);
  const stale = mapped.find(from, to).filter((d) => d.from >= from && d.to <= to);
  return { numbering, decorations: mapped.remove(stale).add(after, decorationsIn(after, computed, from, to)) };
}

/**
 * The numbering plugin: `numberingKey.getState(state).numbering` is the current numbering. The work is done
 * lazily, when the numbering or the decorations are first asked for: a dispatch that appends transactions
 * (an id fix after a paste or an Enter) is then paid once, from the last computed document to the current
 * one, whatever the number of transactions in between.
 */
export function numberingPlugin(): Plugin<NumberingState> {
  let last: { doc: Node; value: NumberingState } | null = null;
  const resolve = (doc: Node): NumberingState => {
    if (last?.doc === doc) return last.value;
    const value = last ? next(last.value, last.doc, doc) : compute(doc);
    last = { doc, value };
    return value;
  };
  const lazy = (doc: Node): NumberingState => ({
    get numbering() {
      return resolve(doc).numbering;
    },
    get decorations() {
      return resolve(doc).decorations;
    },
  });
  return new Plugin<NumberingState>({
    key: numberingKey,
    state: {
      init: (_config, state) => lazy(state.doc),
      apply: (tr, old, _before, after) => (tr.docChanged ? lazy(after.doc) : old),
    },
    props: {
      decorations: (state) => numberingKey.getState(state)?.decorations,
    },
  });
}

/** The current numbering of an editor state that has the numbering plugin. */
export function currentNumbering(state: EditorState): Numbering {
  return numberingKey.getState(state)?.numbering ?? computeNumbering(state.doc);
}
