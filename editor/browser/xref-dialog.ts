// The cross-reference chooser: lists every element a cross-reference may point at (chapters, clauses,
// terms, annexes, tables, figures, formulas) with its computed number, and inserts an `xref` to the one
// picked. The inserted reference shows the target's number and follows it when numbers change.
import type { EditorView } from 'prosemirror-view';
import { insertXref } from '../commands';
import { currentNumbering } from '../decorations';
import { h } from './dom';

const TARGET_KINDS = new Set(['chapter', 'clause', 'term', 'annex', 'table', 'figure', 'formula']);

export function openXrefDialog(doc: Document, view: EditorView, title: string): HTMLElement {
  doc.querySelector('.tb-dialog')?.remove();
  const numbering = currentNumbering(view.state);
  const titles = new Map(numbering.outline.map((o) => [o.id, o.title || o.snippet]));
  const dialog = h(doc, 'div', { class: 'tb-dialog', role: 'dialog', 'aria-label': title }, h(doc, 'h3', {}, title));
  const onKey = (e: KeyboardEvent): void => {
    if (e.key === 'Escape') close();
  };
  const close = (): void => {
    dialog.remove();
    doc.removeEventListener('keydown', onKey);
  };
  for (const [id, label] of Object.entries(numbering.byId)) {
    if (!TARGET_KINDS.has(label.kind)) continue;
    const button = h(doc, 'button', { type: 'button', 'data-xref-target': id }, `${label.xref}　${titles.get(id) ?? ''}`);
    button.addEventListener('mousedown', (e) => e.preventDefault());
    button.addEventListener('click', () => {
      insertXref(id)(view.state, view.dispatch);
      close();
      view.focus();
    });
    dialog.append(button);
  }
  const cancel = h(doc, 'button', { type: 'button', 'data-xref-cancel': '' }, '✕');
  cancel.addEventListener('click', close);
  dialog.append(cancel);
  doc.addEventListener('keydown', onKey);
  doc.body.append(dialog);
  return dialog;
}
