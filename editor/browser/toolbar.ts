// The toolbar: one button per structure command, enabled only where the command applies, with the
// keyboard shortcut in the tooltip. Buttons carry `data-command` so tests and help pages can find them.
import type { Command, EditorState } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import { toggleMark } from 'prosemirror-commands';
import { addColumnAfter, addRowAfter, deleteColumn, deleteRow } from 'prosemirror-tables';
import { schema } from '../schema';
import {
  deleteElement, demoteClause, insertAnnex, insertBibliographyEntry, insertChapterAfter, insertClauseAfter, insertExample, insertFigure,
  insertFormula, insertFormulaSymbol, insertList, insertNote, insertReferenceEntry, insertSubClause, insertTable, insertTermEntry, promoteClause,
} from '../commands';
import { listIndent, listOutdent } from '../list-commands';
import { SHORTCUTS } from '../keymap';
import type { StringKey } from './i18n';
import { h } from './dom';

export interface ToolbarDeps {
  t: (key: StringKey) => string;
  undo: Command;
  redo: Command;
  /** Asks for an image (upload or URL) and inserts a figure. */
  insertFigure: (view: EditorView) => void;
  /** Opens the cross-reference chooser. */
  chooseXref: (view: EditorView) => void;
  /** Buttons turned off whatever the selection (a suggest-only user's formatting and restructuring). */
  isBlocked?: (key: StringKey, state: EditorState) => boolean;
}

interface Item {
  key: StringKey;
  /** A command (enabled when it applies) or an action (enabled when editable). */
  command?: Command;
  action?: (view: EditorView) => void;
  /** When an action has a command that tells whether it applies. */
  applies?: Command;
  shortcut?: string;
}

const SEP = 'sep' as const;

function items(deps: ToolbarDeps): (Item | typeof SEP)[] {
  const s = SHORTCUTS;
  return [
    { key: 'undo', command: deps.undo, shortcut: s.undo },
    { key: 'redo', command: deps.redo, shortcut: s.redo },
    SEP,
    { key: 'chapter', command: insertChapterAfter(), shortcut: s.chapter },
    { key: 'clauseAfter', command: insertClauseAfter(true), shortcut: s.clauseAfter },
    { key: 'subClause', command: insertSubClause(true), shortcut: s.subClause },
    { key: 'untitledClause', command: insertClauseAfter(false), shortcut: s.untitledClause },
    { key: 'promote', command: promoteClause(), shortcut: s.promote },
    { key: 'demote', command: demoteClause(), shortcut: s.demote },
    SEP,
    { key: 'term', command: insertTermEntry(), shortcut: s.term },
    { key: 'reference', command: insertReferenceEntry() },
    { key: 'bibliography', command: insertBibliographyEntry() },
    SEP,
    { key: 'listDash', command: insertList('dash'), shortcut: s.list },
    { key: 'listLetter', command: insertList('letter') },
    { key: 'listNumber', command: insertList('number') },
    { key: 'indent', command: listIndent() },
    { key: 'outdent', command: listOutdent() },
    SEP,
    { key: 'note', command: insertNote(), shortcut: s.note },
    { key: 'example', command: insertExample(), shortcut: s.example },
    { key: 'table', command: insertTable(), shortcut: s.table },
    { key: 'rowAfter', command: addRowAfter },
    { key: 'colAfter', command: addColumnAfter },
    { key: 'deleteRow', command: deleteRow },
    { key: 'deleteCol', command: deleteColumn },
    { key: 'figure', action: deps.insertFigure, applies: insertFigure() },
    { key: 'formula', command: insertFormula(), shortcut: s.formula },
    { key: 'symbol', command: insertFormulaSymbol() },
    SEP,
    { key: 'annexNormative', command: insertAnnex('normative') },
    { key: 'annexInformative', command: insertAnnex('informative') },
    SEP,
    { key: 'xref', action: deps.chooseXref },
    { key: 'delete', command: deleteElement() },
    SEP,
    { key: 'bold', command: toggleMark(schema.marks.strong), shortcut: s.bold },
    { key: 'italic', command: toggleMark(schema.marks.em), shortcut: s.italic },
    { key: 'sub', command: toggleMark(schema.marks.sub), shortcut: s.sub },
    { key: 'sup', command: toggleMark(schema.marks.sup), shortcut: s.sup },
  ];
}

export interface Toolbar {
  element: HTMLElement;
  /** Refreshes which buttons are enabled. */
  update(view: EditorView, editable: boolean): void;
}

/** Builds the toolbar; `statusElement` is appended at its end (the save indicator). */
export function createToolbar(doc: Document, getView: () => EditorView, deps: ToolbarDeps, statusElement: HTMLElement): Toolbar {
  const bar = h(doc, 'div', { class: 'tb-toolbar', role: 'toolbar' });
  const buttons: { item: Item; button: HTMLButtonElement }[] = [];
  for (const item of items(deps)) {
    if (item === SEP) {
      bar.append(h(doc, 'span', { class: 'tb-sep' }));
      continue;
    }
    const title = item.shortcut ? `${deps.t(item.key)} (${item.shortcut.replace('Mod', navigatorIsMac(doc) ? '⌘' : 'Ctrl')})` : deps.t(item.key);
    const button = h(doc, 'button', { type: 'button', 'data-command': item.key, title }, deps.t(item.key));
    // mousedown would move the focus out of the editor and lose its selection.
    button.addEventListener('mousedown', (e) => e.preventDefault());
    button.addEventListener('click', () => {
      const view = getView();
      if (item.command) item.command(view.state, view.dispatch, view);
      else item.action?.(view);
      view.focus();
    });
    buttons.push({ item, button });
    bar.append(button);
  }
  bar.append(statusElement);
  return {
    element: bar,
    update(view, editable) {
      const state: EditorState = view.state;
      for (const { item, button } of buttons) {
        const test = item.command ?? item.applies;
        button.disabled = !editable || deps.isBlocked?.(item.key, state) === true || (test ? !test(state, undefined, view) : false);
      }
    },
  };
}

function navigatorIsMac(doc: Document): boolean {
  return /Mac/.test(doc.defaultView?.navigator.platform ?? '');
}
