// Undo and redo of a drafter's accept or reject (issue 15), as Ctrl-Z / 撤销 does in Word and Google Docs.
// A decision is one step of the drafter's undo history (y-prosemirror's Y.UndoManager), kept apart from the
// typing before and after it, and tagged with the decision (its id, kind and suggestion ids). Undoing that step
// first writes an undo record naming the decision (editor/suggestions-provenance.ts `recordUndo`): the
// undo puts the suggestion marks back on the very characters the decision took them from, which the
// collaboration server would otherwise take for a stretched mark and repair away; with the record it lets
// exactly what that decision removed come back (editor/suggestions-journal.ts) and still repairs anything else
// (text others typed inside meanwhile stays as they typed it). Rejected or accepted-away text comes back as
// new text with its suggestion, which the repair leaves alone. Redo writes the decision's record again under
// its id and re-applies it.
// Pure (Yjs and ProseMirror state; no DOM): the browser's keymap and toolbar use the commands, the pane
// `decideWithHistory`.
import type * as Y from 'yjs';
import type { Command, EditorState } from 'prosemirror-state';
import { ySyncPluginKey, yUndoPluginKey } from 'y-prosemirror';
import { recordDecision, recordUndo, type DecisionKind } from './suggestions-provenance';

/** Key of the decision in a Y.UndoManager stack item's meta. */
const DECISION_META = 'tongbiaoSuggestionDecision';

export interface HistoryDecision {
  id: string;
  by: string;
  decision: DecisionKind;
  sids: string[];
}

const tracked = new WeakSet<Y.UndoManager>();

/** Carries a decision's tag from the undone step to its redo step and back (once per undo manager). */
export function trackDecisions(um: Y.UndoManager): void {
  if (tracked.has(um)) return;
  tracked.add(um);
  um.on('stack-item-popped', ({ stackItem, type }) => {
    const d = stackItem.meta.get(DECISION_META) as HistoryDecision | undefined;
    const other = type === 'undo' ? um.redoStack : um.undoStack;
    // The step that reverses the popped one was just pushed on the other stack (in the same transaction).
    if (d && other.length) other[other.length - 1].meta.set(DECISION_META, d);
  });
}

/**
 * Makes a decision of `by` as one undo step of `um`: writes the decision record, runs `apply` (dispatching the
 * accept or reject; y-prosemirror writes it to Yjs synchronously) and tags the step. Returns the decision's id.
 */
export function decideWithHistory(um: Y.UndoManager, ydoc: Y.Doc, by: string, decision: DecisionKind, sids: readonly string[], apply: () => void): string {
  trackDecisions(um);
  um.stopCapturing();
  const id = recordDecision(ydoc, by, decision, sids);
  const before = um.undoStack.length;
  apply();
  if (um.undoStack.length > before) um.undoStack[um.undoStack.length - 1].meta.set(DECISION_META, { id, by, decision, sids: [...sids] } satisfies HistoryDecision);
  um.stopCapturing();
  return id;
}

/** The decision the next undo (or redo) would reverse (re-apply), if that step is a decision. */
export function nextDecision(um: Y.UndoManager, stack: 'undo' | 'redo'): HistoryDecision | null {
  const items = stack === 'undo' ? um.undoStack : um.redoStack;
  return (items[items.length - 1]?.meta.get(DECISION_META) as HistoryDecision | undefined) ?? null;
}

/** Undo of `um`, writing the undo record first when the step is a decision. Whether anything was undone. */
export function undoWithDecisions(um: Y.UndoManager, ydoc: Y.Doc): boolean {
  trackDecisions(um);
  const d = nextDecision(um, 'undo');
  if (d) recordUndo(ydoc, d.by, d.id);
  return um.undo() !== null;
}

/** Redo of `um`, writing the decision's record again first when the step is a decision. */
export function redoWithDecisions(um: Y.UndoManager, ydoc: Y.Doc): boolean {
  trackDecisions(um);
  const d = nextDecision(um, 'redo');
  if (d) recordDecision(ydoc, d.by, d.decision, d.sids, d.id);
  return um.redo() !== null;
}

function managerOf(state: EditorState): { um: Y.UndoManager; ydoc: Y.Doc } | null {
  const um = (yUndoPluginKey.getState(state) as { undoManager?: Y.UndoManager } | undefined)?.undoManager;
  const ydoc = (ySyncPluginKey.getState(state) as { doc?: Y.Doc } | undefined)?.doc;
  return um && ydoc ? { um, ydoc } : null;
}

/** y-prosemirror's undo command, aware of decisions. */
export const undoCommand: Command = (state, dispatch) => {
  const m = managerOf(state);
  if (!m) return false;
  if (!dispatch) return m.um.canUndo();
  return undoWithDecisions(m.um, m.ydoc);
};

/** y-prosemirror's redo command, aware of decisions. */
export const redoCommand: Command = (state, dispatch) => {
  const m = managerOf(state);
  if (!m) return false;
  if (!dispatch) return m.um.canRedo();
  return redoWithDecisions(m.um, m.ydoc);
};

/** `decideWithHistory` for an editor state with y-prosemirror's sync and undo plugins (else just `apply`). */
export function decideInEditor(state: EditorState, by: string, decision: DecisionKind, sids: readonly string[], apply: () => void): void {
  const m = managerOf(state);
  if (!m) return apply();
  decideWithHistory(m.um, m.ydoc, by, decision, sids, apply);
}
