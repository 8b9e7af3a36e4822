// Stable block ids. Every node type in ID_NODE_TYPES carries an `id` that is generated once and then kept
// through edits, moves and cut-and-paste, so comments and cross-references keep pointing at the same
// clause. A copy that duplicates an id (copy-paste, concurrent inserts) gets a fresh id on the copy, never
// on the original: the original is the node whose position maps from where that id was before the change.
import { EditorState, Plugin, PluginKey, type Transaction } from 'prosemirror-state';
import { Mapping } from 'prosemirror-transform';
import { Fragment, type Node } from 'prosemirror-model';
import { ID_NODE_TYPES } from './schema';
import { diffDocs, textOnlyChange } from './doc-diff';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
const idTypes = new Set(ID_NODE_TYPES);

/** A fresh random id: a letter then 11 base-36 characters (valid as an HTML id and as a MongoDB key). */
export function newId(): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  let s = ALPHABET[10 + (bytes[0] % 26)];
  for (let i = 1; i < bytes.length; i++) s += ALPHABET[bytes[i] % 36];
  return s;
}

/**
 * Returns `node` with a fresh id on every id-carrying node of its subtree that has none. Commands give new
 * nodes their ids this way, so the id plugin finds nothing to fix (no second pass over a large document).
 */
export function nodeWithFreshIds(node: Node): Node {
  let changed = false;
  const children: Node[] = [];
  node.forEach((child) => {
    const c = nodeWithFreshIds(child);
    if (c !== child) changed = true;
    children.push(c);
  });
  const needsId = idTypes.has(node.type.name) && !node.attrs.id;
  if (!changed && !needsId) return node;
  if (node.isText) return node;
  return node.type.create(needsId ? { ...node.attrs, id: newId() } : node.attrs, changed ? Fragment.from(children) : node.content, node.marks);
}

/** True when nodes of this type carry an id. */
export function hasIdAttr(typeName: string): boolean {
  return idTypes.has(typeName);
}

function idPositions(doc: Node): Map<string, number[]> {
  const seen = new Map<string, number[]>();
  doc.descendants((node, pos) => {
    if (!idTypes.has(node.type.name)) return true;
    const id = node.attrs.id as string | null;
    if (id) {
      const list = seen.get(id);
      if (list) list.push(pos);
      else seen.set(id, [pos]);
    }
    return true;
  });
  return seen;
}

/**
 * Returns a transaction giving every id-carrying node without an id a fresh one, and every duplicate but
 * the original a fresh one, or null when all ids are present and unique. `before` and `mapping` (from
 * `before.doc` to `state.doc`) identify originals; without them the first occurrence is kept.
 */
export function fixIds(state: EditorState, before?: { doc: Node; mapping: Mapping }): Transaction | null {
  const positions = idPositions(state.doc);
  const toRenew: number[] = [];
  state.doc.descendants((node, pos) => {
    if (idTypes.has(node.type.name) && !node.attrs.id) toRenew.push(pos);
    return true;
  });
  let oldPositions: Map<string, number[]> | null = null;
  for (const [id, list] of positions) {
    if (list.length < 2) continue;
    oldPositions ??= before ? idPositions(before.doc) : new Map();
    const old = oldPositions.get(id)?.[0];
    let keep = list[0];
    if (old !== undefined && before) {
      const mapped = before.mapping.mapResult(old, 1);
      if (!mapped.deleted && list.includes(mapped.pos)) keep = mapped.pos;
    }
    for (const p of list) if (p !== keep) toRenew.push(p);
  }
  if (toRenew.length === 0) return null;
  const tr = state.tr;
  for (const pos of toRenew) tr.setNodeAttribute(pos, 'id', newId());
  // Part of the user's undo step on purpose: y-prosemirror would leave the whole step (say, a paste)
  // out of the undo history if this appended transaction said addToHistory: false.
  return tr.setMeta(idPluginKey, true);
}

/** Returns a copy of a document with missing and duplicate ids filled in (first occurrence kept). */
export function withIds(doc: Node): Node {
  const tr = fixIds(EditorState.create({ doc }));
  return tr ? tr.doc : doc;
}

export const idPluginKey = new PluginKey<IdCounts>('tongbiaoIds');

/** How many nodes carry each id, for the current document (kept up to date change by change). */
type IdCounts = Map<string, number>;

function countAll(doc: Node): IdCounts {
  const counts: IdCounts = new Map();
  doc.descendants((node) => {
    const id = idTypes.has(node.type.name) ? (node.attrs.id as string | null) : null;
    if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
    return true;
  });
  return counts;
}

/** Calls `f` with the id (or null) and position of every id-carrying node that starts in [from, to). */
function eachIdStartingIn(doc: Node, from: number, to: number, f: (id: string | null, pos: number) => void): void {
  if (to <= from) return;
  doc.nodesBetween(from, to, (node, pos) => {
    if (pos >= from && idTypes.has(node.type.name)) f((node.attrs.id as string | null) || null, pos);
    return !node.isTextblock;
  });
}

/**
 * Renews ids in the changed region [from, to) of `state.doc`: missing ones, and duplicates of an id also
 * carried outside the region (the original is outside: an Enter that split a paragraph, a pasted copy).
 * When every holder of an id is inside the region, the first keeps it. Null when nothing needs renewing.
 */
function fixIdsInRegion(state: EditorState, from: number, to: number, counts: IdCounts): Transaction | null {
  const tr = state.tr;
  const inRegion = new Map<string, number[]>();
  eachIdStartingIn(state.doc, from, to, (id, pos) => {
    if (!id) tr.setNodeAttribute(pos, 'id', newId());
    else inRegion.set(id, [...(inRegion.get(id) ?? []), pos]);
  });
  for (const [id, positions] of inRegion) {
    const total = counts.get(id) ?? 0;
    if (total <= 1) continue;
    for (const pos of total > positions.length ? positions : positions.slice(1)) tr.setNodeAttribute(pos, 'id', newId());
  }
  return tr.docChanged ? tr.setMeta(idPluginKey, true) : null;
}

/**
 * Keeps ids present and unique after every change, local or remote. The plugin state counts ids; a change
 * only adjusts the counts for the nodes in the changed region (found by comparing the documents), so the
 * whole document is scanned only when that region brings a missing or duplicate id.
 */
export function idPlugin(): Plugin<IdCounts> {
  return new Plugin<IdCounts>({
    key: idPluginKey,
    state: {
      init: (_config, state) => countAll(state.doc),
      apply(tr, counts, before, after) {
        if (!tr.docChanged) return counts;
        const change = diffDocs(before.doc, after.doc);
        if (!change || textOnlyChange(before.doc, after.doc, change)) return counts;
        const next = new Map(counts);
        eachIdStartingIn(before.doc, change.start, change.endOld, (id) => {
          if (!id) return;
          const c = (next.get(id) ?? 0) - 1;
          if (c > 0) next.set(id, c);
          else next.delete(id);
        });
        eachIdStartingIn(after.doc, change.start, change.endNew, (id) => {
          if (id) next.set(id, (next.get(id) ?? 0) + 1);
        });
        return next;
      },
    },
    appendTransaction(transactions, oldState, newState) {
      if (!transactions.some((tr) => tr.docChanged)) return null;
      // Typing inside a textblock creates and copies no block.
      const change = diffDocs(oldState.doc, newState.doc);
      if (!change || textOnlyChange(oldState.doc, newState.doc, change)) return null;
      const counts = idPluginKey.getState(newState);
      if (!counts) {
        const mapping = new Mapping();
        for (const tr of transactions) mapping.appendMapping(tr.mapping);
        return fixIds(newState, { doc: oldState.doc, mapping });
      }
      return fixIdsInRegion(newState, change.start, change.endNew, counts);
    },
  });
}
