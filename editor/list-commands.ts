// Commands for the two-level lists of GB/T 1.1 (列项): indent an item into the previous item's sub-list,
// outdent it back, and Enter behaviour (new item; on an empty item, leave the level). The schema allows no
// third level, so indenting a second-level item does nothing.
import type { Node } from 'prosemirror-model';
import { Fragment } from 'prosemirror-model';
import { TextSelection, type Command } from 'prosemirror-state';
import { splitListItem } from 'prosemirror-schema-list';
import { schema } from './schema';
import { ancestor } from './commands';

const n = schema.nodes;

/** Moves the first-level item at the cursor into the sub-list of the item before it (a) b) → a) 1)). */
export function listIndent(): Command {
  return (state, dispatch) => {
    const { $from } = state.selection;
    if (ancestor($from, (node) => node.type === n.sublistItem)) return false;
    const item = ancestor($from, (node) => node.type === n.listItem);
    if (!item) return false;
    const $item = state.doc.resolve(item.pos);
    const index = $item.index();
    if (index === 0 || item.node.childCount > 1) return false;
    const prev = $item.parent.child(index - 1);
    const prevPos = item.pos - prev.nodeSize;
    const subItem = n.sublistItem.create(item.node.attrs, item.node.firstChild);
    const existing = prev.childCount > 1 ? prev.child(1) : null;
    const sub = existing
      ? existing.copy(existing.content.append(Fragment.from(subItem)))
      : n.sublist.create({ kind: 'number' }, subItem);
    const newPrev = prev.copy(Fragment.from([prev.firstChild as Node, sub]));
    if (dispatch) {
      const offset = state.selection.from - item.pos; // cursor offset inside the moved item
      const tr = state.tr.replaceWith(prevPos, item.pos + item.node.nodeSize, newPrev);
      // The moved item is the last child of the sub-list, which is the last child of newPrev.
      const itemStart = prevPos + newPrev.nodeSize - 2 - subItem.nodeSize;
      tr.setSelection(TextSelection.near(tr.doc.resolve(itemStart + offset)));
      dispatch(tr.scrollIntoView());
    }
    return true;
  };
}

/**
 * Moves the second-level item at the cursor up to the first level, right after its parent item; the
 * items after it in the sub-list become its own sub-list, so the text keeps its order. On a first-level
 * item that is the last one, turns it into a paragraph after the list.
 */
export function listOutdent(): Command {
  return (state, dispatch) => {
    const { $from } = state.selection;
    const subItem = ancestor($from, (node) => node.type === n.sublistItem);
    if (subItem) {
      const sub = $from.node(subItem.depth - 1);
      const parentItem = $from.node(subItem.depth - 2);
      const parentPos = $from.before(subItem.depth - 2);
      const index = $from.index(subItem.depth - 1);
      const before: Node[] = [];
      const after: Node[] = [];
      sub.forEach((c, _o, i) => (i < index ? before : i > index ? after : []).push(c));
      const keptParent = parentItem.copy(Fragment.from(before.length ? [parentItem.firstChild as Node, sub.copy(Fragment.from(before))] : [parentItem.firstChild as Node]));
      const lifted = n.listItem.create(subItem.node.attrs, after.length ? [subItem.node.firstChild as Node, sub.copy(Fragment.from(after))] : [subItem.node.firstChild as Node]);
      if (dispatch) {
        const offset = state.selection.from - subItem.pos;
        const tr = state.tr.replaceWith(parentPos, parentPos + parentItem.nodeSize, [keptParent, lifted]);
        tr.setSelection(TextSelection.near(tr.doc.resolve(parentPos + keptParent.nodeSize + offset)));
        dispatch(tr.scrollIntoView());
      }
      return true;
    }
    const item = ancestor($from, (node) => node.type === n.listItem);
    if (!item) return false;
    const list = $from.node(item.depth - 1);
    const listPos = $from.before(item.depth - 1);
    const index = $from.index(item.depth - 1);
    if (index !== list.childCount - 1 || item.node.childCount > 1) return false;
    const container = $from.node(item.depth - 2);
    const listIndex = $from.index(item.depth - 2);
    const para = item.node.firstChild as Node;
    const replacement = index === 0 ? [para] : [list.copy(list.content.cut(0, list.content.size - item.node.nodeSize)), para];
    if (!container.canReplace(listIndex, listIndex + 1, Fragment.from(replacement))) return false;
    if (dispatch) {
      const offset = state.selection.from - (item.pos + 1);
      const tr = state.tr.replaceWith(listPos, listPos + list.nodeSize, replacement);
      const paraPos = listPos + (index === 0 ? 0 : replacement[0].nodeSize);
      tr.setSelection(TextSelection.near(tr.doc.resolve(paraPos + offset)));
      dispatch(tr.scrollIntoView());
    }
    return true;
  };
}

/** Enter in a list: on an empty item leave the level (outdent); otherwise split the item. */
export function listEnter(): Command {
  const splitItem = splitListItem(n.listItem);
  const splitSubItem = splitListItem(n.sublistItem);
  return (state, dispatch) => {
    const { $from, empty } = state.selection;
    const inSub = ancestor($from, (node) => node.type === n.sublistItem);
    const inItem = inSub ?? ancestor($from, (node) => node.type === n.listItem);
    if (!inItem) return false;
    if (empty && $from.parent.content.size === 0 && $from.parent.type === n.paragraph) {
      if (listOutdent()(state, dispatch)) return true;
    }
    return inSub ? splitSubItem(state, dispatch) : splitItem(state, dispatch);
  };
}
