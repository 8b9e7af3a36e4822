// Checking a suggest-only user's update cheaply (issue 15). Converting a whole Y.Doc to ProseMirror for each
// keystroke costs hundreds of milliseconds on a long standard, so:
//   - `IncrementalDoc` keeps the ProseMirror form of a Y fragment and, after each Yjs transaction, rebuilds
//     only the Y types the transaction changed (and their ancestors); every other node is the same object
//     as before (the same rule y-prosemirror's binding uses: drop `changed` and `changedParentTypes`);
//   - `isSuggestionOnlyUpdate` descends from the root while exactly one child differs (by identity) and keeps
//     the same markup, then applies `isSuggestionOnlyChange` to that smallest enclosing node only.
// Pure (Yjs and ProseMirror, no I/O); the collaboration server's guard uses it.
import * as Y from 'yjs';
import type { Mark, Node as PMNode } from 'prosemirror-model';
import { schema } from './schema';
import { isSuggestionOnlyChange } from './suggestions';

type YNode = Y.XmlElement | Y.XmlText;

/** The ProseMirror form of a Y fragment, rebuilt incrementally after each transaction on its document. */
export class IncrementalDoc {
  private readonly cache = new Map<Y.AbstractType<unknown>, PMNode[]>();
  private root: PMNode | null = null;
  private readonly onTransaction = (tr: Y.Transaction): void => {
    if (tr.changed.size === 0 && tr.changedParentTypes.size === 0) return;
    for (const type of tr.changed.keys()) this.cache.delete(type as Y.AbstractType<unknown>);
    for (const type of tr.changedParentTypes.keys()) this.cache.delete(type as Y.AbstractType<unknown>);
    // Types removed by the transaction are gone from the tree; forget whatever they held.
    Y.iterateDeletedStructs(tr, tr.deleteSet, (item) => {
      if (item instanceof Y.Item && item.content instanceof Y.ContentType) this.cache.delete(item.content.type as Y.AbstractType<unknown>);
    });
    this.root = null;
  };

  constructor(private readonly fragment: Y.XmlFragment) {
    fragment.doc?.on('afterTransaction', this.onTransaction);
  }

  /** The document now. Unchanged parts are the same node objects as in the previous answer. */
  doc(): PMNode {
    if (!this.root) this.root = schema.topNodeType.create(null, this.children(this.fragment));
    return this.root;
  }

  destroy(): void {
    this.fragment.doc?.off('afterTransaction', this.onTransaction);
    this.cache.clear();
  }

  private children(parent: Y.XmlFragment | Y.XmlElement): PMNode[] {
    const out: PMNode[] = [];
    for (const child of parent.toArray() as YNode[]) out.push(...this.convert(child));
    return out;
  }

  private convert(y: YNode): PMNode[] {
    const cached = this.cache.get(y as Y.AbstractType<unknown>);
    if (cached) return cached;
    let nodes: PMNode[] = [];
    if (y instanceof Y.XmlText) {
      for (const op of y.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
        if (typeof op.insert !== 'string' || op.insert === '') continue;
        const marks: Mark[] = [];
        for (const [name, value] of Object.entries(op.attributes ?? {})) {
          const type = schema.marks[name.split('--')[0]];
          if (type) marks.push(type.create((value ?? {}) as Record<string, unknown>));
        }
        nodes.push(schema.text(op.insert, marks));
      }
    } else {
      const type = schema.nodes[y.nodeName];
      if (type) {
        const attrs: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(y.getAttributes())) if (k !== 'ychange') attrs[k] = v;
        nodes = [type.create(attrs, this.children(y))];
      }
    }
    this.cache.set(y as Y.AbstractType<unknown>, nodes);
    return nodes;
  }
}

/**
 * `isSuggestionOnlyChange` restricted to the smallest node that holds every difference between `before`
 * and `after` (nodes compared by identity, as `IncrementalDoc` gives them).
 */
export function isSuggestionOnlyUpdate(before: PMNode, after: PMNode, by: string): boolean {
  let a = before;
  let b = after;
  for (;;) {
    if (a === b) return true;
    if (a.childCount !== b.childCount || a.isTextblock) break;
    let index = -1;
    let differing = 0;
    for (let i = 0; i < a.childCount && differing < 2; i++) {
      if (a.child(i) !== b.child(i)) {
        differing++;
        index = i;
      }
    }
    if (differing !== 1) break;
    const ca = a.child(index);
    const cb = b.child(index);
    // Descend only into a child whose own markup (type, attributes, marks) is unchanged: a change of the
    // block's `suggestion` attribute must be judged from its parent.
    if (!ca.sameMarkup(cb) || ca.isText) break;
    a = ca;
    b = cb;
  }
  return isSuggestionOnlyChange(a, b, by);
}
