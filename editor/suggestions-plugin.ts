// Suggestion mode (track changes, issue 15): while it is on, this user's own edits are rewritten into
// suggestions right after they are applied (appendTransaction), so the Y.Doc — and every co-author — only
// ever sees the suggestion:
//   - inserted text gets `suggestInsert` with the author; a block inserted as a whole (a clause, a term, a
//     table row, an empty paragraph made by Enter) gets `suggestion: { kind: 'insert', … }`;
//   - deleted text is put back marked `suggestDelete`; a whole block put back gets `{ kind: 'delete' }`;
//     deleting one's own suggested insertion really deletes it; others' pending suggestions are left as they are.
// Not rewritten: changes from the other co-authors and from undo/redo (y-prosemirror's sync transactions),
// accept/reject (`SKIP` meta), id and repair fixes, and structure moves (wrap/lift: ReplaceAroundStep) and
// formatting, which a suggest-only user cannot make (filterTransaction refuses them).
// Typing inside someone's suggested deletion first moves the cursor past it. With the mode off, text typed
// inside a pending suggestion is made plain rather than inheriting (and being attributed to) its mark.
import { Plugin, PluginKey, TextSelection, type Command, type EditorState, type Transaction } from 'prosemirror-state';
import { Fragment, Slice, type Mark, type Node as PMNode } from 'prosemirror-model';
import { Mapping, ReplaceStep, ReplaceAroundStep, AddMarkStep, RemoveMarkStep, AttrStep, type Step } from 'prosemirror-transform';
import { ySyncPluginKey } from 'y-prosemirror';
import { schema, SUGGESTION_NODE_TYPES, type BlockSuggestion, type SuggestionAuthor } from './schema';
import { acceptAll, acceptSuggestion, blockSuggestionOf, rejectAll, rejectSuggestion } from './suggestions';
import { isSuggestionOnlyUpdate } from './suggestions-ydoc';
import { idPluginKey } from './ids';
import { repairKey } from './repair';

/** The user whose edits become suggestions. */
export interface SuggestUser {
  by: string;
  name: string;
  province: string;
}

export interface SuggestionsOptions {
  user: SuggestUser;
  /** Initially on. */
  on: boolean;
  /** The user may only suggest: the mode cannot be turned off and structure/format changes are refused. */
  forced?: boolean;
  now?: () => string;
  newSid?: () => string;
}

interface PluginState {
  on: boolean;
  forced: boolean;
}

export const suggestionsKey = new PluginKey<PluginState>('tongbiaoSuggestions');

/** Meta a transaction carries to be left alone by suggestion mode (accept, reject, toggling). */
export const SKIP = 'tongbiaoSuggestionsSkip';

const SUGGESTION_TYPES = new Set(SUGGESTION_NODE_TYPES);

function randomSid(): string {
  return `s${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

/** Whether suggestion mode is on in this state. */
export function isSuggesting(state: EditorState): boolean {
  return suggestionsKey.getState(state)?.on ?? false;
}

/** Turns suggestion mode on or off (refused when forced on). */
export function setSuggesting(on: boolean): Command {
  return (state, dispatch) => {
    const st = suggestionsKey.getState(state);
    if (!st || (st.forced && !on)) return false;
    if (dispatch) dispatch(state.tr.setMeta(suggestionsKey, { on }).setMeta(SKIP, true));
    return true;
  };
}

// Accept/reject are one step of the undo history of their own (editor/suggestions-undo.ts
// `decideWithHistory`): undoing one writes an undo record first, so the collaboration server lets it put back
// the marks that decision removed and repairs any other mark an undo would put on existing text
// (server/collab/suggest-guard.ts, suggestions-repair.ts, suggestions-journal.ts).
function resolveCommand(run: (tr: Transaction) => boolean | number): Command {
  return (state, dispatch) => {
    const tr = state.tr;
    if (!run(tr) || !tr.docChanged) return false;
    if (dispatch) dispatch(tr.setMeta(SKIP, true).scrollIntoView());
    return true;
  };
}
export const acceptCommand = (sid: string): Command => resolveCommand((tr) => acceptSuggestion(tr, sid));
export const rejectCommand = (sid: string): Command => resolveCommand((tr) => rejectSuggestion(tr, sid));
export const acceptAllCommand = (by?: string): Command => resolveCommand((tr) => acceptAll(tr, by));
export const rejectAllCommand = (by?: string): Command => resolveCommand((tr) => rejectAll(tr, by));

/** Transactions that are not this user's own typing: remote sync, undo/redo, appended fixes, accept/reject. */
function isExempt(tr: Transaction): boolean {
  return (
    tr.getMeta(ySyncPluginKey) !== undefined ||
    tr.getMeta('appendedTransaction') !== undefined ||
    tr.getMeta(SKIP) === true ||
    tr.getMeta(repairKey) !== undefined ||
    tr.getMeta(idPluginKey) !== undefined
  );
}

const isStructureOrFormat = (step: Step): boolean =>
  step instanceof ReplaceAroundStep || step instanceof AddMarkStep || step instanceof RemoveMarkStep || step instanceof AttrStep;

/** The suggestion mark of `type` by this user on the inline node, if any. */
function ownMark(node: PMNode | null | undefined, type: 'suggestInsert' | 'suggestDelete', by: string): Mark | undefined {
  return node?.marks.find((m) => m.type.name === type && m.attrs.by === by);
}

/** An existing suggestion of this user next to `pos` (before, after, or an enclosing inserted block) to extend. */
function adjacentAuthor(doc: PMNode, pos: number, type: 'suggestInsert' | 'suggestDelete', by: string): SuggestionAuthor | null {
  const $pos = doc.resolve(pos);
  const near = ownMark($pos.nodeBefore, type, by) ?? ownMark($pos.nodeAfter, type, by);
  if (near) return near.attrs as SuggestionAuthor;
  if (type === 'suggestInsert') {
    for (let d = $pos.depth; d > 0; d--) {
      const s = blockSuggestionOf($pos.node(d));
      if (s && s.kind === 'insert' && s.by === by) return { sid: s.sid, by: s.by, name: s.name, province: s.province, at: s.at };
    }
  }
  return null;
}

/**
 * The deleted content as it is put back: text marked deleted, whole blocks flagged deleted, this user's own
 * pending insertions dropped, pending suggestions of others kept as they are.
 */
function markDeleted(frag: Fragment, openStart: number, openEnd: number, author: SuggestionAuthor, by: string): Fragment {
  const out: PMNode[] = [];
  frag.forEach((child, _offset, index) => {
    const openLeft = index === 0 && openStart > 0;
    const openRight = index === frag.childCount - 1 && openEnd > 0;
    if (child.isInline) {
      if (ownMark(child, 'suggestInsert', by)) return;
      const pending = child.marks.some((m) => m.type.name === 'suggestInsert' || m.type.name === 'suggestDelete');
      out.push(pending ? child : child.mark(schema.marks.suggestDelete.create(author).addToSet(child.marks)));
      return;
    }
    const block = blockSuggestionOf(child);
    if (!openLeft && !openRight) {
      if (block?.kind === 'insert' && block.by === by) return;
      if (block) {
        out.push(child);
        return;
      }
      if (SUGGESTION_TYPES.has(child.type.name)) {
        out.push(child.type.create({ ...child.attrs, suggestion: { kind: 'delete', ...author } satisfies BlockSuggestion }, child.content, child.marks));
        return;
      }
    }
    const inner = markDeleted(child.content, openLeft ? openStart - 1 : 0, openRight ? openEnd - 1 : 0, author, by);
    out.push(child.copy(inner));
  });
  return Fragment.fromArray(out);
}

interface Inserted {
  from: number;
  to: number;
}
interface Deleted {
  at: number;
  slice: Slice;
  /** The cursor was at the end of the deleted range (Backspace), so it goes back before what is put back. */
  backward: boolean;
}

/** Rewrites this batch of the user's transactions into suggestions; null when there is nothing to do. */
function rewrite(trs: readonly Transaction[], oldState: EditorState, newState: EditorState, on: boolean, user: SuggestUser, now: () => string, newSid: () => string): Transaction | null {
  const maps: { map: ReturnType<Step['getMap']>; step: Step; doc: PMNode; local: boolean }[] = [];
  for (const tr of trs) {
    const local = tr.docChanged && !isExempt(tr);
    tr.steps.forEach((step, i) => maps.push({ map: step.getMap(), step, doc: tr.docs[i], local }));
  }
  if (!maps.some((m) => m.local)) return null;
  const all = new Mapping(maps.map((m) => m.map));
  const inserted: Inserted[] = [];
  const deleted: Deleted[] = [];
  const emptyBefore = oldState.selection.empty ? oldState.selection.head : -1;
  maps.forEach((m, k) => {
    if (!m.local || !(m.step instanceof ReplaceStep)) return;
    const rest = all.slice(k + 1);
    const { from, to, slice } = m.step;
    if (slice.size > 0) {
      const a = rest.map(from, 1);
      const b = rest.map(from + slice.size, -1);
      if (a < b) inserted.push({ from: a, to: b });
    }
    if (to > from) deleted.push({ at: rest.map(from, -1), slice: m.doc.slice(from, to), backward: emptyBefore === to });
  });
  if (!inserted.length && !deleted.length) return null;
  if (!on) return plainInsertions(newState, inserted);

  const tr = newState.tr;
  const at = now();
  for (const ins of inserted) {
    const a = tr.mapping.map(ins.from, 1);
    const b = tr.mapping.map(ins.to, -1);
    if (a >= b) continue;
    const author = adjacentAuthor(tr.doc, a, 'suggestInsert', user.by) ?? { sid: newSid(), ...user, at };
    const mark = schema.marks.suggestInsert.create(author);
    // Whole blocks that start in the inserted range are new: flagged when they hold no older text (a block
    // made by splitting a paragraph in the middle carries the old text on, and stays a plain edit).
    tr.doc.nodesBetween(a, b, (node, pos) => {
      if (!node.isBlock || pos < a) return true;
      if (!SUGGESTION_TYPES.has(node.type.name) || blockSuggestionOf(node)) return true;
      if (pos + node.nodeSize <= b || node.textContent === '') {
        tr.setNodeAttribute(pos, 'suggestion', { kind: 'insert', ...author } satisfies BlockSuggestion);
        return false;
      }
      return true;
    });
    tr.addMark(a, b, mark);
  }
  let cursor: number | null = null;
  for (const del of deleted) {
    const p = tr.mapping.map(del.at, -1);
    const author = adjacentAuthor(tr.doc, p, 'suggestDelete', user.by) ?? { sid: newSid(), ...user, at };
    const content = markDeleted(del.slice.content, del.slice.openStart, del.slice.openEnd, author, user.by);
    if (content.size === 0) continue;
    const before = tr.doc.content.size;
    try {
      tr.replace(p, p, new Slice(content, del.slice.openStart, del.slice.openEnd));
    } catch {
      continue; // content that cannot be put back here stays deleted rather than breaking the document
    }
    const added = tr.doc.content.size - before;
    cursor = del.backward ? p : p + added;
  }
  if (!tr.docChanged) return null;
  if (cursor !== null && deleted.length && !inserted.length) {
    const $c = tr.doc.resolve(Math.min(cursor, tr.doc.content.size));
    if ($c.parent.inlineContent) tr.setSelection(TextSelection.create(tr.doc, $c.pos));
  }
  return tr.setMeta(SKIP, true).setMeta('addToHistory', true);
}

/**
 * Outside suggestion mode, text typed or pasted inside someone's pending suggestion would inherit its mark
 * (and be attributed to them): it is made plain text instead.
 */
function plainInsertions(state: EditorState, inserted: Inserted[]): Transaction | null {
  const tr = state.tr;
  for (const { from, to } of inserted) {
    let marked = false;
    state.doc.nodesBetween(from, to, (node) => {
      if (node.isInline && node.marks.some((m) => m.type === schema.marks.suggestInsert || m.type === schema.marks.suggestDelete)) marked = true;
      return !marked;
    });
    if (!marked) continue;
    tr.removeMark(from, to, schema.marks.suggestInsert).removeMark(from, to, schema.marks.suggestDelete);
  }
  return tr.docChanged ? tr.setMeta(SKIP, true) : null;
}

/** The end of the suggested-deletion run the cursor sits inside (both sides struck), or null. */
function insideDeletion(state: EditorState): number | null {
  const sel = state.selection;
  if (!sel.empty) return null;
  const $p = sel.$from;
  const isDel = (n: PMNode | null | undefined) => !!n?.marks.some((m) => m.type.name === 'suggestDelete');
  if (!isDel($p.nodeBefore) || !isDel($p.nodeAfter)) return null;
  let pos = $p.pos;
  const parent = $p.parent;
  let index = $p.index();
  // Walk over the struck nodes after the cursor.
  for (; index < parent.childCount && isDel(parent.child(index)); index++) {
    const child = parent.child(index);
    pos = $p.start() + offsetOf(parent, index) + child.nodeSize;
  }
  return pos;
}

function offsetOf(parent: PMNode, index: number): number {
  let off = 0;
  for (let i = 0; i < index; i++) off += parent.child(i).nodeSize;
  return off;
}

export function suggestionsPlugin(opts: SuggestionsOptions): Plugin<PluginState> {
  const now = opts.now ?? (() => new Date().toISOString());
  const newSid = opts.newSid ?? randomSid;
  const forced = opts.forced === true;
  return new Plugin<PluginState>({
    key: suggestionsKey,
    state: {
      init: () => ({ on: forced || opts.on, forced }),
      apply: (tr, old) => {
        const meta = tr.getMeta(suggestionsKey) as { on?: boolean } | undefined;
        if (meta?.on === undefined) return old;
        return { on: old.forced || meta.on, forced: old.forced };
      },
    },
    filterTransaction(tr, state) {
      // A suggest-only user cannot restructure or format directly (those are not tracked as suggestions).
      const st = suggestionsKey.getState(state);
      if (!st?.forced || !tr.docChanged || isExempt(tr)) return true;
      return !tr.steps.some(isStructureOrFormat);
    },
    appendTransaction(trs, oldState, newState) {
      const tr = rewrite(trs, oldState, newState, isSuggesting(newState), opts.user, now, newSid);
      // A suggest-only user's change must be suggestions only (the server refuses anything else and closes
      // the socket): what the rewrite cannot express as a suggestion (splitting a paragraph in the middle, a
      // structure move) is undone instead. Checked only for batches of the user's own transactions.
      if (!forced || !trs.some((t) => t.docChanged) || trs.some((t) => t.docChanged && isExempt(t))) return tr;
      const result = tr ? tr.doc : newState.doc;
      // Untouched nodes keep their identity through transactions, so only the changed part is compared.
      if (isSuggestionOnlyUpdate(oldState.doc, result, opts.user.by)) return tr;
      const undo = (tr ?? newState.tr).replaceWith(0, result.content.size, oldState.doc.content);
      const sel = oldState.selection;
      return undo.setSelection(TextSelection.between(undo.doc.resolve(Math.min(sel.from, undo.doc.content.size)), undo.doc.resolve(Math.min(sel.to, undo.doc.content.size)))).setMeta(SKIP, true);
    },
    props: {
      handleTextInput(view, from, to, text) {
        if (!isSuggesting(view.state) || from !== to) return false;
        const end = insideDeletion(view.state);
        if (end === null) return false;
        view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, end)).insertText(text, end));
        return true;
      },
    },
  });
}
