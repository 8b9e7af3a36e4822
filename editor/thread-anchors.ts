// Anchors of the comment threads inside a draft: a selected range [from, to) of the live ProseMirror
// document becomes two Yjs relative positions (y-prosemirror's absolutePositionToRelativePosition on the
// draft's XmlFragment), base64-encoded, so the range follows every later edit by any client. Resolving
// gives the range back, or says the passage was deleted — its characters (or the block holding them) are
// gone, so the range collapsed. A restore or a Word import replaces the content with new Yjs items, so the
// threads opened before it report their passage deleted rather than vanish. Works in the browser and in Node.
import * as Y from 'yjs';
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition } from 'y-prosemirror';
import type { Node as PMNode } from 'prosemirror-model';

/** y-prosemirror's binding from Yjs types to the ProseMirror nodes they render. */
export type YMapping = Map<Y.AbstractType<unknown>, PMNode>;

/** base64 Yjs relative positions of the start and the end of a passage. */
export interface EncodedThreadAnchor {
  start: string;
  end: string;
}

export type ResolvedThreadAnchor =
  /** The passage is still there at [from, to); `text` is what it reads now (it may have been edited). */
  | { state: 'present'; from: number; to: number; text: string }
  /** The passage's text was deleted (or replaced by a restore or an import). */
  | { state: 'deleted' };

/** Longest quote a thread keeps (characters); a longer selection is refused by the editor, never cut. */
export const MAX_QUOTE_CHARS = 2000;

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The text of [from, to) as the quote of a thread (blocks separated by a line break). */
export function quoteOf(doc: PMNode, from: number, to: number): string {
  return doc.textBetween(from, to, '\n', ' ');
}

/** Encodes the range [from, to) of the document bound to `type` (from < to). */
export function encodeThreadAnchor(type: Y.XmlFragment, mapping: YMapping, from: number, to: number): EncodedThreadAnchor {
  const enc = (pos: number): string => toBase64(Y.encodeRelativePosition(absolutePositionToRelativePosition(pos, type, mapping) as Y.RelativePosition));
  return { start: enc(from), end: enc(to) };
}

/** Whether the Yjs type holding a relative position, or one of its ancestors, was deleted. */
function inDeletedType(rel: Y.RelativePosition, ydoc: Y.Doc): boolean {
  const abs = Y.createAbsolutePositionFromRelativePosition(rel, ydoc);
  if (!abs) return true;
  let item = abs.type._item;
  while (item) {
    if (item.deleted) return true;
    item = (item.parent as Y.AbstractType<unknown>)._item;
  }
  return false;
}

function decode(s: string): Y.RelativePosition | null {
  try {
    return Y.decodeRelativePosition(fromBase64(s));
  } catch {
    return null;
  }
}

/**
 * Whether `s` is a base64 Yjs relative position as encodeThreadAnchor writes them: it decodes, and points at
 * an item, a nested type or the draft's root fragment (`fragment`). Garbage is refused at the HTTP edge.
 */
export function isEncodedRelativePosition(s: string, fragment: string): boolean {
  const rel = decode(s);
  if (!rel || (rel.assoc !== 0 && rel.assoc !== -1)) return false;
  return rel.item !== null || rel.type !== null || rel.tname === fragment;
}

/** Where a thread's passage is now in `doc` (the ProseMirror rendering of `type` through `mapping`). */
export function resolveThreadAnchor(ydoc: Y.Doc, type: Y.XmlFragment, mapping: YMapping, doc: PMNode, anchor: EncodedThreadAnchor): ResolvedThreadAnchor {
  const start = decode(anchor.start);
  const end = decode(anchor.end);
  if (!start || !end || inDeletedType(start, ydoc)) return { state: 'deleted' };
  let from: number | null;
  let to: number | null;
  try {
    from = relativePositionToAbsolutePosition(ydoc, type, start, mapping);
    to = relativePositionToAbsolutePosition(ydoc, type, end, mapping);
  } catch {
    // A position inside content the binding has not rendered (merged out of shape): treat as gone for now.
    return { state: 'deleted' };
  }
  if (from === null || to === null || from < 0 || to > doc.content.size || from >= to) return { state: 'deleted' };
  const text = quoteOf(doc, from, to);
  if (text.trim() === '') return { state: 'deleted' };
  return { state: 'present', from, to, text };
}
