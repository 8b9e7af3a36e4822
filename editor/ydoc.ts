// Conversions between a Yjs document and the ProseMirror JSON of a standard, for the collaboration server,
// versions and tests. The editor content lives in the Y.XmlFragment named YJS_FRAGMENT of the Y.Doc.
import * as Y from 'yjs';
import { prosemirrorJSONToYDoc, yXmlFragmentToProsemirrorJSON } from 'y-prosemirror';
import { schema } from './schema';
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
  schema.nodeFromJSON(json).check();
  return json;
}

/** Seeds an empty Y.Doc with `json` (no-op when the fragment already has content). Returns true when it seeded. */
export function seedYDoc(ydoc: Y.Doc, json: DocJSON): boolean {
  if (ydoc.getXmlFragment(YJS_FRAGMENT).length > 0) return false;
  Y.applyUpdate(ydoc, Y.encodeStateAsUpdate(jsonToYDoc(json)));
  return true;
}
