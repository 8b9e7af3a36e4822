// Finds what changed between two versions of a document by comparing them (ProseMirror shares unchanged
// nodes between versions, so this is quick), independent of how the change was expressed: y-prosemirror
// applies every remote edit as one replacement of the whole document, so transaction step maps say nothing
// useful about where a remote edit happened. The plugins use this to skip work when someone only typed.
import type { Node } from 'prosemirror-model';
import { Mapping, StepMap } from 'prosemirror-transform';

/** The changed region: `start` in both documents, `endOld` in the old one, `endNew` in the new one. */
export interface DocChange {
  start: number;
  endOld: number;
  endNew: number;
}

/** The region where the documents differ, or null when they are equal. */
export function diffDocs(a: Node, b: Node): DocChange | null {
  if (a === b) return null;
  const start = a.content.findDiffStart(b.content);
  if (start === null) return null;
  const end = a.content.findDiffEnd(b.content) ?? { a: a.content.size, b: b.content.size };
  let endOld = end.a;
  let endNew = end.b;
  // With repeated content the end can be found before the start; widen as ProseMirror's view does.
  const overlap = start - Math.min(endOld, endNew);
  if (overlap > 0) {
    endOld += overlap;
    endNew += overlap;
  }
  return { start, endOld, endNew };
}

/** A mapping that moves positions across the change (positions inside it count as deleted). */
export function changeMapping(change: DocChange): Mapping {
  return new Mapping([new StepMap([change.start, change.endOld - change.start, change.endNew - change.start])]);
}

/**
 * When the change lies inside the inline content of one textblock (the same node type, attributes and
 * position in both documents) and inserts no atom such as a cross-reference, returns that textblock in the
 * new document and its position; otherwise null. Such a change cannot affect structure, ids or numbers.
 */
export function textOnlyChange(a: Node, b: Node, change: DocChange): { node: Node; pos: number } | null {
  const $a = a.resolve(change.start);
  const $aEnd = a.resolve(change.endOld);
  const $b = b.resolve(change.start);
  const $bEnd = b.resolve(change.endNew);
  if (!$b.parent.isTextblock || !$a.sameParent($aEnd) || !$b.sameParent($bEnd)) return null;
  if ($a.depth !== $b.depth || $a.parent.type !== $b.parent.type || $a.before() !== $b.before()) return null;
  if (!$a.parent.hasMarkup($b.parent.type, $b.parent.attrs)) return null;
  let atom = false;
  if (change.endNew > change.start)
    b.nodesBetween(change.start, change.endNew, (node) => {
      if (node.isInline && !node.isText) atom = true;
      return !atom;
    });
  return atom ? null : { node: $b.parent, pos: $b.before() };
}
