// Shows the computed numbers in the editor without putting them in the document: a plugin keeps the
// current numbering (editor/numbering.ts) and puts it on the DOM as node decorations (`data-label` and a
// few other attributes) that the stylesheet prints with ::before / ::after. The author can never type or
// delete a number, and numbers change for everyone the moment the structure changes.
import { Plugin, PluginKey, type EditorState } from 'prosemirror-state';
import { Decoration, DecorationSet } from 'prosemirror-view';
import type { Node } from 'prosemirror-model';
import { computeNumbering, FIXED_TITLES, referenceDesignation, refreshOutlineEntry, type Numbering } from './numbering';
import { changeMapping, diffDocs, textOnlyChange } from './doc-diff';
import { clauseLevel } from './schema';

export interface NumberingState {
  numbering: Numbering;
  decorations: DecorationSet;
}

export const numberingKey = new PluginKey<NumberingState>('tongbiaoNumbering');

const FIXED_CHAPTERS = new Set(['scope', 'normativeReferences', 'termsAndDefinitions']);
const NORMATIVE_REFERENCES_LEAD =
  '下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。其中，注日期的引用文件，仅该日期对应的版本适用于本文件；不注日期的引用文件，其最新版本（包括所有的修改单）适用于本文件。';

/** Builds the decorations for a document and its numbering. */
export function numberDecorations(doc: Node, numbering: Numbering): DecorationSet {
  const decos: Decoration[] = [];
  const labelOf = (node: Node): string | undefined => {
    const id = node.attrs.id as string | null | undefined;
    return id ? numbering.byId[id]?.label : undefined;
  };
  const mark = (pos: number, node: Node, attrs: Record<string, string>): void => {
    decos.push(Decoration.node(pos, pos + node.nodeSize, attrs));
  };

  doc.descendants((node, pos, parent) => {
    const type = node.type.name;
    if (FIXED_CHAPTERS.has(type)) {
      const attrs: Record<string, string> = { 'data-label': labelOf(node) ?? '', 'data-title': FIXED_TITLES[type as keyof typeof FIXED_TITLES] };
      if (type === 'normativeReferences') attrs['data-lead'] = node.childCount ? NORMATIVE_REFERENCES_LEAD : '本文件没有规范性引用文件。';
      mark(pos, node, attrs);
      return true;
    }
    if (type === 'heading' && parent) {
      // The number of a chapter, titled clause or annex is printed before its heading.
      const ownerLabel = labelOf(parent);
      const owner = parent.attrs.id ? numbering.byId[parent.attrs.id as string] : undefined;
      const attrs: Record<string, string> = { 'data-label': ownerLabel ?? '' };
      if (owner?.qualifier) attrs['data-qualifier'] = `（${owner.qualifier}）`;
      mark(pos, node, attrs);
      return false;
    }
    if (clauseLevel(type) > 0 && node.firstChild && node.firstChild.type.name !== 'heading') {
      // Untitled clause: the number goes before its first paragraph.
      mark(pos + 1, node.firstChild, { 'data-label': labelOf(node) ?? '', class: 'tb-untitled' });
    }
    switch (type) {
      case 'termEntry':
      case 'bibliographyEntry':
        mark(pos, node, { 'data-label': labelOf(node) ?? '' });
        break;
      case 'referenceEntry':
        mark(pos, node, { 'data-label': referenceDesignation(node.attrs) || '代号 编号—年号' });
        break;
      case 'note':
      case 'example':
        if (node.firstChild) mark(pos + 1, node.firstChild, { 'data-label': labelOf(node) ?? '', class: `tb-${type}-first` });
        break;
      case 'listItem':
      case 'sublistItem':
        if (node.firstChild) mark(pos + 1, node.firstChild, { 'data-label': labelOf(node) ?? '', class: 'tb-item-first' });
        break;
      case 'table':
      case 'figure': {
        node.forEach((child, offset) => {
          if (child.type.name === 'caption') mark(pos + 1 + offset, child, { 'data-label': labelOf(node) ?? '' });
        });
        break;
      }
      case 'formula':
        if (node.firstChild) mark(pos + 1, node.firstChild, { 'data-label': labelOf(node) ?? '' });
        break;
      case 'xref': {
        const target = node.attrs.target as string;
        const label = numbering.byId[target];
        mark(pos, node, { 'data-label': label ? label.xref : '[引用失效]', class: label ? 'tb-xref' : 'tb-xref tb-xref-broken' });
        break;
      }
      default:
        break;
    }
    return true;
  });
  return DecorationSet.create(doc, decos);
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
  if (!text) return compute(after);
  const $pos = after.resolve(text.pos);
  const owner = $pos.depth > 0 ? $pos.parent : null;
  return {
    numbering: owner ? refreshOutlineEntry(old.numbering, owner) : old.numbering,
    decorations: old.decorations.map(changeMapping(change), after),
  };
}

/** The numbering plugin: `numberingKey.getState(state).numbering` is the current numbering. */
export function numberingPlugin(): Plugin<NumberingState> {
  return new Plugin<NumberingState>({
    key: numberingKey,
    state: {
      init: (_config, state) => compute(state.doc),
      apply: (tr, old, before, after) => (tr.docChanged ? next(old, before.doc, after.doc) : old),
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
