// What a suggest-only author would lose when the server refuses their update (issue 15): the socket is closed
// (4403 'not a suggestion'), nothing of the update is stored, and the editor reloads the room's state so the
// author can go on. Before it drops its local copy, the editor keeps the paragraphs where the author's version
// differs from the reloaded one, for them to copy (editor/browser/refused-edit.ts). Both versions are compared
// with the author's own suggestions accepted, so a paragraph shows as the author meant it (their insertions
// in, their suggested deletions out). Pure (ProseMirror only).
import type { Node as PMNode } from 'prosemirror-model';
import { Transform } from 'prosemirror-transform';
import { acceptAll } from './suggestions';

/** One paragraph (any textblock) as the author had it locally. */
export interface KeptParagraph {
  /** The block's id (`#n`, its order among the textblocks, when it has none). */
  id: string;
  text: string;
}

function textblocks(doc: PMNode): KeptParagraph[] {
  const out: KeptParagraph[] = [];
  doc.descendants((node) => {
    if (!node.isTextblock) return true;
    const id = typeof node.attrs.id === 'string' && node.attrs.id ? node.attrs.id : `#${out.length}`;
    out.push({ id, text: node.textContent });
    return false;
  });
  return out;
}

function withOwnAccepted(doc: PMNode, by: string): PMNode {
  const tr = new Transform(doc);
  acceptAll(tr, by);
  return tr.doc;
}

/**
 * The textblocks of `local` (the author's copy, holding what the server refused) whose text, with the author's
 * suggestions accepted, is not the same block's text in `server` (the room reloaded), in document order;
 * empty ones left out (nothing to copy). Every such block is listed (no cut-off).
 */
export function keptParagraphs(local: PMNode, server: PMNode, by: string): KeptParagraph[] {
  const there = new Map(textblocks(withOwnAccepted(server, by)).map((b) => [b.id, b.text]));
  return textblocks(withOwnAccepted(local, by)).filter((b) => b.text.trim() !== '' && there.get(b.id) !== b.text);
}
