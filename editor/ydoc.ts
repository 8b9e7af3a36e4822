// Conversions between a Yjs document and the ProseMirror JSON of a standard, for the collaboration server,
// versions and tests. The editor content lives in the Y.XmlFragment named YJS_FRAGMENT of the Y.Doc.
import * as Y from 'yjs';
import { prosemirrorJSONToYDoc, prosemirrorToYXmlFragment, yXmlFragmentToProsemirrorJSON } from 'y-prosemirror';
import { schema } from './schema';
import { newStandardJSON } from './template';
import type { DocJSON } from './types';

/** The name of the Y.XmlFragment holding the document (y-prosemirror's default). */
export const YJS_FRAGMENT = 'prosemirror';

/** A new Y.Doc holding `json`. */
export function jsonToYDoc(json: DocJSON): Y.Doc {
  return prosemirrorJSONToYDoc(schema, json, YJS_FRAGMENT);
}

/** The ProseMirror JSON of a Y.Doc (what the editor shows), validated against the schema. */
export function yDocToJSON(ydoc: Y.Doc): DocJSON {
  const json = yXmlFragmentToProsemirrorJSON(ydoc.getXmlFragment(YJS_FRAGMENT)) as DocJSON;
  const node = schema.nodeFromJSON(json);
  node.check();
  // Through the schema, so attributes Yjs does not keep (a null such as `suggestion: null`) come back as the
  // schema's defaults: the same JSON as the document written, and versions compare equal to their source.
  return node.toJSON() as DocJSON;
}

/** Seeds an empty Y.Doc with `json` (no-op when the fragment already has content). Returns true when it seeded. */
export function seedYDoc(ydoc: Y.Doc, json: DocJSON): boolean {
  if (ydoc.getXmlFragment(YJS_FRAGMENT).length > 0) return false;
  Y.applyUpdate(ydoc, Y.encodeStateAsUpdate(jsonToYDoc(json)));
  return true;
}

/** The Yjs client id under which the skeleton of a new standard is written (see seedStandardUpdate). */
export const SEED_CLIENT_ID = 1;

let seed: Uint8Array | null = null;

/**
 * The skeleton of a new standard as a Yjs update that is byte-for-byte the same wherever it is made: fixed
 * client id, fixed ids (`s00000000001` …). Applying it to an empty document is idempotent and safe under
 * races: if the server and two browsers all seed the same empty document at once, Yjs sees one insertion,
 * not three. Apply it only to a document whose fragment is empty (`isEmptyYDoc`), after the first sync.
 */
export function seedStandardUpdate(): Uint8Array {
  if (!seed) {
    let counter = 0;
    const json = newStandardJSON(() => `s${String(++counter).padStart(11, '0')}`);
    const ydoc = new Y.Doc({ gc: false });
    ydoc.clientID = SEED_CLIENT_ID;
    prosemirrorToYXmlFragment(schema.nodeFromJSON(json), ydoc.getXmlFragment(YJS_FRAGMENT));
    seed = Y.encodeStateAsUpdate(ydoc);
  }
  return seed;
}

/** True when the document has no content yet. */
export function isEmptyYDoc(ydoc: Y.Doc): boolean {
  return ydoc.getXmlFragment(YJS_FRAGMENT).length === 0;
}
