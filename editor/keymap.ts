// Keyboard shortcuts of the editor. Undo and redo are passed in (the browser uses y-prosemirror's, which
// undo only the user's own edits). The table of shortcuts is exported so the toolbar can show them.
import { keymap } from 'prosemirror-keymap';
import { baseKeymap, chainCommands, toggleMark } from 'prosemirror-commands';
import { goToNextCell } from 'prosemirror-tables';
import type { Command, Plugin } from 'prosemirror-state';
import { schema } from './schema';
import {
  demoteClause, enterInField, insertChapterAfter, insertClauseAfter, insertExample, insertFormula, insertList, insertNote, insertSubClause,
  insertTable, insertTermEntry, nextCellOrNewRow, promoteClause,
} from './commands';
import { listEnter, listIndent, listOutdent } from './list-commands';

/** Shortcuts for structure commands, also shown as toolbar tooltips ("Mod" is Ctrl, or Cmd on a Mac). */
export const SHORTCUTS = {
  clauseAfter: 'Mod-Enter',
  subClause: 'Mod-Shift-Enter',
  untitledClause: 'Mod-Alt-Enter',
  chapter: 'Mod-Alt-h',
  demote: 'Tab',
  promote: 'Shift-Tab',
  note: 'Mod-Alt-n',
  example: 'Mod-Alt-e',
  list: 'Mod-Alt-l',
  table: 'Mod-Alt-t',
  formula: 'Mod-Alt-f',
  term: 'Mod-Alt-r',
  bold: 'Mod-b',
  italic: 'Mod-i',
  sub: 'Mod-,',
  sup: 'Mod-.',
  undo: 'Mod-z',
  redo: 'Mod-Shift-z',
} as const;

/** The editor's keymaps, most specific first, ending with ProseMirror's base keymap. */
export function editorKeymaps(undo: Command, redo: Command): Plugin[] {
  const s = SHORTCUTS;
  return [
    keymap({
      [s.undo]: undo,
      [s.redo]: redo,
      'Mod-y': redo,
      [s.clauseAfter]: insertClauseAfter(true),
      [s.subClause]: insertSubClause(true),
      [s.untitledClause]: insertClauseAfter(false),
      [s.chapter]: insertChapterAfter(),
      [s.note]: insertNote(),
      [s.example]: insertExample(),
      [s.list]: insertList('dash'),
      [s.table]: insertTable(),
      [s.formula]: insertFormula(),
      [s.term]: insertTermEntry(),
      [s.bold]: toggleMark(schema.marks.strong),
      [s.italic]: toggleMark(schema.marks.em),
      [s.sub]: toggleMark(schema.marks.sub),
      [s.sup]: toggleMark(schema.marks.sup),
      Enter: chainCommands(listEnter(), enterInField()),
      Tab: chainCommands(nextCellOrNewRow(), listIndent(), demoteClause()),
      'Shift-Tab': chainCommands(goToNextCell(-1), listOutdent(), promoteClause()),
    }),
    keymap(baseKeymap),
  ];
}
