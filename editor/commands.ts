// Editing commands for the structure of a standard: clauses (after, sub-clause, untitled, promote,
// demote), chapters, annexes, term entries, normative references, bibliography entries, notes, examples,
// tables, figures, formulas, cross-references and deletion of an element. Pure ProseMirror commands (no
// DOM), so they run in tests and in the browser alike. New nodes get their ids from the id plugin
// (editor/ids.ts) in the same dispatch.
import type { Node, NodeType, ResolvedPos } from 'prosemirror-model';
import { Fragment } from 'prosemirror-model';
import { TextSelection, NodeSelection, type Command, type EditorState, type Transaction } from 'prosemirror-state';
import { schema, clauseLevel, clauseTypeAt, MAX_CLAUSE_LEVEL, type AnnexKind, type ListKind } from './schema';
import { nodeWithFreshIds } from './ids';
import { addRowAfter, goToNextCell, isInTable, selectedRect, TableMap } from 'prosemirror-tables';

const n = schema.nodes;

/** An ancestor of a position: the node, its depth, and its start position (before the node). */
export interface Ancestor {
  node: Node;
  depth: number;
  pos: number;
}

/** The innermost ancestor of `$pos` (including the node at depth $pos.depth) that satisfies `pred`. */
export function ancestor($pos: ResolvedPos, pred: (node: Node) => boolean): Ancestor | null {
  for (let d = $pos.depth; d > 0; d--) {
    const node = $pos.node(d);
    if (pred(node)) return { node, depth: d, pos: $pos.before(d) };
  }
  return null;
}

const isClause = (node: Node): boolean => clauseLevel(node.type.name) > 0;
const isClauseContainer = (node: Node): boolean => isClause(node) || ['chapter', 'annex', 'introduction'].includes(node.type.name);

/** Puts the cursor at the first text position at or after `pos`. */
function cursorInto(tr: Transaction, pos: number): Transaction {
  const $pos = tr.doc.resolve(Math.min(pos, tr.doc.content.size));
  return tr.setSelection(TextSelection.findFrom($pos, 1, true) ?? TextSelection.near($pos)).scrollIntoView();
}

/** Inserts `node` at `pos` when the parent allows it there, and moves the cursor into it. */
function insertAt(state: EditorState, dispatch: ((tr: Transaction) => void) | undefined, pos: number, created: Node): boolean {
  const node = nodeWithFreshIds(created);
  const $pos = state.doc.resolve(pos);
  const index = $pos.index();
  if (!$pos.parent.canReplaceWith(index, index, node.type)) return false;
  if (dispatch) dispatch(cursorInto(state.tr.insert(pos, node), pos + 1));
  return true;
}

function emptyClause(level: number, titled: boolean): Node {
  const type = clauseTypeAt(level);
  if (!type) throw new RangeError(`no clause at level ${level}`);
  return n[type].create(null, titled ? [n.heading.create(), n.paragraph.create()] : [n.paragraph.create()]);
}

/**
 * Appends a first sub-clause to a container. When the container's text is a single empty paragraph (as a
 * new chapter or clause has), the sub-clause replaces it: left there, it would be a hanging paragraph.
 */
function appendSubClause(state: EditorState, dispatch: ((tr: Transaction) => void) | undefined, container: Ancestor, clause: Node): boolean {
  const node = container.node;
  const last = node.lastChild;
  const bodyStart = node.firstChild?.type === n.heading ? 1 : 0;
  const onlyEmptyParagraph = node.childCount === bodyStart + 1 && last?.type === n.paragraph && last.content.size === 0;
  if (onlyEmptyParagraph && node.canReplaceWith(bodyStart, bodyStart + 1, clause.type) && last) {
    const from = container.pos + node.nodeSize - 1 - last.nodeSize;
    if (dispatch) dispatch(cursorInto(state.tr.replaceWith(from, from + last.nodeSize, nodeWithFreshIds(clause)), from + 1));
    return true;
  }
  return insertAt(state, dispatch, container.pos + node.nodeSize - 1, clause);
}

/**
 * Inserts a new clause after the clause holding the cursor, at the same level (5.1 → new 5.2). Outside any
 * clause but inside a chapter, annex or introduction, appends a first-level clause to it.
 */
export function insertClauseAfter(titled = true): Command {
  return (state, dispatch) => {
    const { $from } = state.selection;
    const clause = ancestor($from, isClause);
    if (clause) return insertAt(state, dispatch, clause.pos + clause.node.nodeSize, emptyClause(clauseLevel(clause.node.type.name), titled));
    const container = ancestor($from, isClauseContainer);
    if (!container) return false;
    return appendSubClause(state, dispatch, container, emptyClause(1, titled));
  };
}

/** Appends a sub-clause to the clause (or chapter, annex, introduction) holding the cursor: in 5.1, adds 5.1.n. */
export function insertSubClause(titled = true): Command {
  return (state, dispatch) => {
    const container = ancestor(state.selection.$from, isClauseContainer);
    if (!container) return false;
    const level = clauseLevel(container.node.type.name) + 1;
    if (level > MAX_CLAUSE_LEVEL) return false;
    return appendSubClause(state, dispatch, container, emptyClause(level, titled));
  };
}

/** Inserts `node` as a child of the document at the first index at or after `preferred` where it fits (else before). */
function insertTopLevel(state: EditorState, dispatch: ((tr: Transaction) => void) | undefined, created: Node, preferred: number): boolean {
  const node = nodeWithFreshIds(created);
  const doc = state.doc;
  const order = [...Array(doc.childCount + 1).keys()].filter((i) => i >= preferred).concat([...Array(Math.min(preferred, doc.childCount + 1)).keys()].reverse());
  for (const index of order) {
    if (!doc.canReplaceWith(index, index, node.type)) continue;
    let pos = 0;
    for (let i = 0; i < index; i++) pos += doc.child(i).nodeSize;
    if (dispatch) dispatch(cursorInto(state.tr.insert(pos, node), pos + 1));
    return true;
  }
  return false;
}

/** The index after the last top-level child whose type is one of `types` (or after 3 术语和定义). */
function indexAfterLast(doc: Node, types: NodeType[]): number {
  let index = 0;
  doc.forEach((child, _offset, i) => {
    if (types.includes(child.type) || child.type === n.termsAndDefinitions) index = i + 1;
  });
  return index;
}

/**
 * Inserts a new chapter after the chapter holding the cursor; from the front matter or chapters 1–3, as
 * chapter 4; from an annex or the bibliography, after the last chapter.
 */
export function insertChapterAfter(): Command {
  return (state, dispatch) => {
    const chapter = n.chapter.create(null, [n.heading.create(), n.paragraph.create()]);
    const here = state.selection.$from.index(0);
    const type = state.doc.child(here).type;
    const preferred =
      type === n.chapter ? here + 1 : type === n.annex || type === n.bibliography ? indexAfterLast(state.doc, [n.chapter]) : indexAfterLast(state.doc, []);
    return insertTopLevel(state, dispatch, chapter, preferred);
  };
}

/** Inserts an annex (normative or informative) after the annex holding the cursor, else after the last annex or chapter. */
export function insertAnnex(kind: AnnexKind = 'informative'): Command {
  return (state, dispatch) => {
    const annex = n.annex.create({ kind }, [n.heading.create(), n.paragraph.create()]);
    const here = state.selection.$from.index(0);
    const preferred = state.doc.child(here).type === n.annex ? here + 1 : indexAfterLast(state.doc, [n.chapter, n.annex]);
    return insertTopLevel(state, dispatch, annex, preferred);
  };
}

function topLevel(state: EditorState, type: NodeType): { node: Node; pos: number } | null {
  let found: { node: Node; pos: number } | null = null;
  state.doc.forEach((node, pos) => {
    if (!found && node.type === type) found = { node, pos };
  });
  return found;
}

/** Inserts an entry into a top-level list-like element (terms, references, bibliography): after the entry at the cursor, else at the end. */
function insertEntry(state: EditorState, dispatch: ((tr: Transaction) => void) | undefined, containerType: NodeType, entry: Node): boolean {
  const container = topLevel(state, containerType);
  if (!container) return false;
  const current = ancestor(state.selection.$from, (node) => node.type === entry.type);
  const pos = current && current.pos > container.pos && current.pos < container.pos + container.node.nodeSize ? current.pos + current.node.nodeSize : container.pos + container.node.nodeSize - 1;
  return insertAt(state, dispatch, pos, entry);
}

/** Inserts a term entry (3.n) with empty term, English equivalent, abbreviation, definition and source. */
export function insertTermEntry(): Command {
  return (state, dispatch) => {
    const entry = n.termEntry.create(null, [n.term.create(), n.termEnglish.create(), n.termAbbreviation.create(), n.definition.create(), n.termSource.create()]);
    return insertEntry(state, dispatch, n.termsAndDefinitions, entry);
  };
}

/** Inserts a normative reference entry into chapter 2. */
export function insertReferenceEntry(attrs: { code?: string; number?: string; year?: string } = {}, title = ''): Command {
  return (state, dispatch) => {
    const entry = n.referenceEntry.create({ code: attrs.code ?? '', number: attrs.number ?? '', year: attrs.year ?? '' }, title ? schema.text(title) : null);
    return insertEntry(state, dispatch, n.normativeReferences, entry);
  };
}

/** Inserts a 参考文献 entry, creating the bibliography at the end of the document when there is none. */
export function insertBibliographyEntry(): Command {
  return (state, dispatch) => {
    if (topLevel(state, n.bibliography)) return insertEntry(state, dispatch, n.bibliography, n.bibliographyEntry.create());
    return insertTopLevel(state, dispatch, n.bibliography.create(null, n.bibliographyEntry.create()), state.doc.childCount);
  };
}

/**
 * Inserts a block (note, example, table, figure, formula, list) after the innermost ancestor of the cursor
 * where the schema allows it. With `replaceEmpty`, an empty paragraph at the cursor is replaced instead.
 */
export function insertBlock(make: () => Node, opts: { replaceEmpty?: boolean } = {}): Command {
  return (state, dispatch) => {
    const node = nodeWithFreshIds(make());
    const { $from } = state.selection;
    if (opts.replaceEmpty && $from.parent.type === n.paragraph && $from.parent.content.size === 0 && $from.depth > 0) {
      const parent = $from.node($from.depth - 1);
      const index = $from.index($from.depth - 1);
      if (parent.canReplaceWith(index, index + 1, node.type)) {
        const pos = $from.before();
        if (dispatch) dispatch(cursorInto(state.tr.replaceWith(pos, pos + $from.parent.nodeSize, node), pos + 1));
        return true;
      }
    }
    for (let d = $from.depth; d > 0; d--) {
      const parent = $from.node(d - 1);
      const index = $from.indexAfter(d - 1);
      if (parent.canReplaceWith(index, index, node.type)) {
        const pos = $from.after(d);
        if (dispatch) dispatch(cursorInto(state.tr.insert(pos, node), pos + 1));
        return true;
      }
    }
    return false;
  };
}

export const makeNote = (): Node => n.note.create(null, n.paragraph.create());
export const makeExample = (): Node => n.example.create(null, n.paragraph.create());
export const makeList = (kind: ListKind = 'dash'): Node => n.list.create({ kind }, n.listItem.create(null, n.paragraph.create()));
export const makeFormula = (): Node => n.formula.create(null, [n.formulaText.create()]);
export const makeFigure = (src = '', alt = ''): Node => n.figure.create({ src, alt }, n.caption.create());

/** A table with a title, a header row and `rows - 1` body rows of `cols` columns. */
export function makeTable(rows = 3, cols = 3): Node {
  const row = (cell: NodeType) => n.tableRow.create(null, Array.from({ length: cols }, () => cell.create(null, n.paragraph.create())));
  const grid = n.tableGrid.create(null, [row(n.tableHeader), ...Array.from({ length: Math.max(rows - 1, 1) }, () => row(n.tableCell))]);
  return n.table.create(null, [n.caption.create(), grid]);
}

export const insertNote = (): Command => insertBlock(makeNote);
export const insertExample = (): Command => insertBlock(makeExample);
export const insertList = (kind: ListKind = 'dash'): Command => insertBlock(() => makeList(kind), { replaceEmpty: true });
export const insertTable = (rows = 3, cols = 3): Command => insertBlock(() => makeTable(rows, cols));
export const insertFigure = (src = '', alt = ''): Command => insertBlock(() => makeFigure(src, alt));
export const insertFormula = (): Command => insertBlock(makeFormula);

/** Adds a 式中 line (symbol explanation) to the formula at the cursor, after the current line. */
export function insertFormulaSymbol(symbol = ''): Command {
  return (state, dispatch) => {
    const { $from } = state.selection;
    const formula = ancestor($from, (node) => node.type === n.formula);
    if (!formula) return false;
    const current = ancestor($from, (node) => node.type === n.formulaSymbol);
    const pos = current ? current.pos + current.node.nodeSize : formula.pos + formula.node.nodeSize - 1;
    return insertAt(state, dispatch, pos, n.formulaSymbol.create({ symbol }));
  };
}

/** Inserts a cross-reference to the block with id `target` at the cursor. */
export function insertXref(target: string): Command {
  return (state, dispatch) => {
    const { $from } = state.selection;
    if (!$from.parent.canReplaceWith($from.index(), $from.indexAfter(), n.xref)) return false;
    if (dispatch) dispatch(state.tr.replaceSelectionWith(n.xref.create({ target }), false).scrollIntoView());
    return true;
  };
}

/** Re-types a clause subtree by `delta` levels; null when some clause would leave the range 1…5. */
function relevel(node: Node, delta: number): Node | null {
  const level = clauseLevel(node.type.name);
  if (level === 0) return node;
  const type = clauseTypeAt(level + delta);
  if (!type) return null;
  const children: Node[] = [];
  for (let i = 0; i < node.childCount; i++) {
    const c = relevel(node.child(i), delta);
    if (!c) return null;
    children.push(c);
  }
  return n[type].create(node.attrs, Fragment.from(children), node.marks);
}

/** Makes the clause at the cursor a sub-clause of the clause before it (5.2 → 5.1.n), with its own sub-clauses. */
export function demoteClause(): Command {
  return (state, dispatch) => {
    const clause = ancestor(state.selection.$from, isClause);
    if (!clause) return false;
    const $pos = state.doc.resolve(clause.pos);
    const index = $pos.index();
    if (index === 0) return false;
    const prev = $pos.parent.child(index - 1);
    if (prev.type !== clause.node.type) return false;
    const moved = relevel(clause.node, 1);
    if (!moved) return false;
    const prevEnd = clause.pos; // the previous sibling ends where this clause starts
    const insertPos = prevEnd - 1; // inside the previous clause, at its end
    const $insert = state.doc.resolve(insertPos);
    if (!$insert.parent.canReplaceWith($insert.index(), $insert.index(), moved.type)) return false;
    if (dispatch) {
      const offset = state.selection.from - clause.pos;
      const tr = state.tr.delete(clause.pos, clause.pos + clause.node.nodeSize).insert(insertPos, moved);
      // Restore the cursor at the same place inside the moved clause (+0: structure sizes are unchanged).
      tr.setSelection(TextSelection.near(tr.doc.resolve(insertPos + offset)));
      dispatch(tr.scrollIntoView());
    }
    return true;
  };
}

/** Makes the clause at the cursor a sibling after its parent clause (5.1.2 → 5.2); following siblings stay where they are. */
export function promoteClause(): Command {
  return (state, dispatch) => {
    const clause = ancestor(state.selection.$from, isClause);
    if (!clause) return false;
    const parentDepth = clause.depth - 1;
    const $pos = state.doc.resolve(clause.pos);
    const parent = $pos.parent;
    if (!isClause(parent)) return false;
    const moved = relevel(clause.node, -1);
    if (!moved) return false;
    const parentPos = $pos.before(parentDepth);
    const afterParent = parentPos + parent.nodeSize;
    const grand = $pos.node(parentDepth - 1);
    const gIndex = $pos.index(parentDepth - 1) + 1;
    if (!grand.canReplaceWith(gIndex, gIndex, moved.type)) return false;
    // The parent must stay valid without the clause.
    const idx = $pos.index();
    if (!parent.canReplace(idx, idx + 1)) return false;
    if (dispatch) {
      const offset = state.selection.from - clause.pos;
      const tr = state.tr.insert(afterParent, moved).delete(clause.pos, clause.pos + clause.node.nodeSize);
      const newPos = afterParent - clause.node.nodeSize;
      tr.setSelection(TextSelection.near(tr.doc.resolve(newPos + offset)));
      dispatch(tr.scrollIntoView());
    }
    return true;
  };
}

/** Node types an author may delete as a whole with `deleteElement`. */
const DELETABLE = new Set([
  'chapter', 'clause1', 'clause2', 'clause3', 'clause4', 'clause5', 'annex', 'introduction', 'bibliography', 'table', 'figure', 'formula',
  'note', 'example', 'list', 'termEntry', 'referenceEntry', 'bibliographyEntry', 'formulaSymbol',
]);

/** Deletes the innermost deletable element (clause, table, note, term entry …) around the cursor or the selected node. */
export function deleteElement(): Command {
  return (state, dispatch) => {
    const sel = state.selection;
    let target: Ancestor | null = null;
    if (sel instanceof NodeSelection && DELETABLE.has(sel.node.type.name)) target = { node: sel.node, depth: sel.$from.depth + 1, pos: sel.from };
    target ??= ancestor(sel.$from, (node) => DELETABLE.has(node.type.name));
    while (target) {
      const $pos = state.doc.resolve(target.pos);
      const index = $pos.index();
      if ($pos.parent.canReplace(index, index + 1)) {
        const { pos, node } = target;
        if (dispatch) dispatch(cursorInto(state.tr.delete(pos, pos + node.nodeSize), Math.max(pos - 1, 0)));
        return true;
      }
      // The last entry of a bibliography takes the bibliography with it; otherwise try the next element up.
      target = target.depth > 1 ? ancestor(state.doc.resolve(target.pos), (node) => DELETABLE.has(node.type.name)) : null;
    }
    return false;
  };
}

/** Sets attributes of the node at `pos` (annex kind, list kind, reference code/number/year, figure src, formula symbol). */
export function setNodeAttrs(pos: number, attrs: Record<string, unknown>): Command {
  return (state, dispatch) => {
    const node = state.doc.nodeAt(pos);
    if (!node) return false;
    if (dispatch) {
      const tr = state.tr;
      for (const [k, v] of Object.entries(attrs)) tr.setNodeAttribute(pos, k, v);
      dispatch(tr);
    }
    return true;
  };
}

/** Sets the marker kind of the innermost list at the cursor. */
export function setListKind(kind: ListKind): Command {
  return (state, dispatch) => {
    const list = ancestor(state.selection.$from, (node) => node.type === n.list || node.type === n.sublist);
    if (!list) return false;
    return setNodeAttrs(list.pos, { kind })(state, dispatch);
  };
}

/** Sets the kind of the annex at the cursor. */
export function setAnnexKind(kind: AnnexKind): Command {
  return (state, dispatch) => {
    const annex = ancestor(state.selection.$from, (node) => node.type === n.annex);
    if (!annex) return false;
    return setNodeAttrs(annex.pos, { kind })(state, dispatch);
  };
}

/** Types whose textblocks are single fields: Enter moves to the next field instead of splitting. */
const FIELD_TYPES = new Set(['term', 'termEnglish', 'termAbbreviation', 'definition', 'termSource', 'caption', 'formulaText']);

/**
 * Enter in a field of a term entry, table or figure title or formula moves to the next text position; Enter
 * at the end of a reference entry, bibliography entry or 式中 line starts a new one.
 */
export function enterInField(): Command {
  return (state, dispatch) => {
    const { $from, empty } = state.selection;
    const type = $from.parent.type.name;
    if (type === 'referenceEntry' || type === 'bibliographyEntry' || type === 'formulaSymbol') {
      if (!empty || $from.parentOffset !== $from.parent.content.size) return type !== 'bibliographyEntry';
      const pos = $from.after();
      const fresh = type === 'formulaSymbol' ? n.formulaSymbol.create() : $from.parent.type.create();
      return insertAt(state, dispatch, pos, fresh);
    }
    if (type === 'heading') {
      // At the end of a title whose text starts with an empty paragraph (as new clauses do), go there
      // instead of adding a second empty paragraph.
      const after = $from.after();
      const following = state.doc.nodeAt(after);
      if (!empty || $from.parentOffset !== $from.parent.content.size || following?.type !== n.paragraph || following.content.size > 0) return false;
      if (dispatch) dispatch(state.tr.setSelection(TextSelection.create(state.doc, after + 1)).scrollIntoView());
      return true;
    }
    if (!FIELD_TYPES.has(type)) return false;
    const next = TextSelection.findFrom(state.doc.resolve($from.after()), 1, true);
    if (dispatch && next) dispatch(state.tr.setSelection(next).scrollIntoView());
    return true;
  };
}

/** The position and node of the element with this id, or null. */
function findById(doc: Node, id: string): { node: Node; pos: number } | null {
  let found: { node: Node; pos: number } | null = null;
  doc.descendants((node, pos) => {
    if (found) return false;
    if (node.attrs.id === id) {
      found = { node, pos };
      return false;
    }
    return !node.isTextblock;
  });
  return found;
}

/**
 * The fix of a hanging paragraph (悬置段): the paragraphs (and other blocks) between the heading of a
 * chapter, annex or clause and its first sub-clause become, in place, its first sub-clause, untitled
 * (5.1 with the old text; the former 5.1, 5.2 … become 5.2, 5.3 …). The blocks keep their ids, so
 * comments anchored on them stay. `containerId` is the id of the chapter, annex or clause at fault.
 */
export function hangingToUntitledClause(containerId: string): Command {
  return (state, dispatch) => {
    const found = findById(state.doc, containerId);
    if (!found || !isClauseContainer(found.node)) return false;
    const { node, pos } = found;
    const level = clauseLevel(node.type.name) + 1;
    const type = clauseTypeAt(level);
    if (!type) return false;
    let from = -1;
    let to = -1;
    const blocks: Node[] = [];
    let offset = pos + 1;
    let seenClause = false;
    node.forEach((child) => {
      if (isClause(child)) seenClause = true;
      else if (!seenClause && child.type !== n.heading) {
        if (from < 0) from = offset;
        to = offset + child.nodeSize;
        blocks.push(child);
      }
      offset += child.nodeSize;
    });
    if (blocks.length === 0 || !seenClause) return false;
    const clause = n[type].createChecked(null, blocks);
    const withId = nodeWithFreshIds(clause);
    const $from = state.doc.resolve(from);
    if (!$from.parent.canReplaceWith($from.index(), $from.index() + blocks.length, withId.type)) return false;
    if (dispatch) dispatch(cursorInto(state.tr.replaceWith(from, to, withId), from + 1));
    return true;
  };
}

/**
 * Tab in a table: the next cell, and in the last cell a new row after it (the cursor goes to its first
 * cell). False outside a table, so the next Tab command (list indent, clause demote) runs.
 */
export function nextCellOrNewRow(): Command {
  return (state, dispatch) => {
    if (!isInTable(state)) return false;
    if (goToNextCell(1)(state, dispatch)) return true;
    const rect = selectedRect(state);
    let added: Transaction | null = null;
    if (!addRowAfter(state, (tr) => (added = tr))) return false;
    if (!dispatch || !added) return true;
    const tr: Transaction = added;
    // The new row sits at index rect.bottom of the same table (nothing before the table moved).
    const grid = tr.doc.nodeAt(rect.tableStart - 1);
    if (grid) {
      const map = TableMap.get(grid);
      const cellPos = rect.tableStart + map.map[rect.bottom * map.width];
      const sel = TextSelection.findFrom(tr.doc.resolve(cellPos + 1), 1, true);
      if (sel) tr.setSelection(sel);
    }
    dispatch(tr.scrollIntoView());
    return true;
  };
}
