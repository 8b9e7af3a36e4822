// The outline pane: the computed numbers and titles of chapters, clauses, term entries and annexes.
// Clicking an entry puts the cursor at the start of that element and scrolls it into view.
import { TextSelection } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import type { OutlineEntry } from '../numbering';
import { h } from './dom';

/** The position just before the node with this id, or -1. */
export function positionOfId(view: EditorView, id: string): number {
  let found = -1;
  view.state.doc.descendants((node, pos) => {
    if (found >= 0) return false;
    if (node.attrs.id === id) found = pos;
    return found < 0;
  });
  return found;
}

/** Moves the cursor into the element with this id, scrolls to it and flashes it. */
export function jumpTo(view: EditorView, id: string): boolean {
  const pos = positionOfId(view, id);
  if (pos < 0) return false;
  const sel = TextSelection.findFrom(view.state.doc.resolve(pos + 1), 1, true) ?? TextSelection.near(view.state.doc.resolve(pos + 1));
  view.dispatch(view.state.tr.setSelection(sel).scrollIntoView());
  view.focus();
  const dom = view.nodeDOM(pos);
  if (dom instanceof HTMLElement) {
    dom.scrollIntoView({ block: 'start', behavior: 'auto' });
    dom.classList.remove('tb-flash');
    void dom.offsetWidth;
    dom.classList.add('tb-flash');
  }
  return true;
}

export interface Outline {
  element: HTMLElement;
  update(entries: OutlineEntry[]): void;
}

export function createOutline(doc: Document, getView: () => EditorView, heading: string): Outline {
  const list = h(doc, 'nav', { class: 'tb-outline-list' });
  const element = h(doc, 'div', { class: 'tb-outline' }, h(doc, 'h3', {}, heading), list);
  // The numbering plugin keeps the same outline array while nothing in it changes.
  let last: OutlineEntry[] | null = null;
  return {
    element,
    update(entries) {
      if (entries === last) return;
      last = entries;
      list.replaceChildren(
        ...entries.map((e) => {
          const text = e.title || e.snippet;
          const a = h(doc, 'a', { 'data-outline-id': e.id ?? '', 'data-level': String(e.level), style: `padding-left:${(e.level - 1) * 12}px` });
          a.append(h(doc, 'span', { class: 'tb-outline-number' }, e.label === e.title ? '' : e.label), text);
          a.addEventListener('click', () => {
            if (e.id) jumpTo(getView(), e.id);
          });
          return a;
        }),
      );
    },
  };
}
