// Turns a live Y.Doc into what a version keeps: the Yjs state, the ProseMirror JSON (via the editor's
// schema) and the computed numbers. A document that does not convert (for instance an empty fragment
// that never saw the editor) still gets its Yjs state kept, with the reason the JSON is missing.
import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { computeNumbering, type Numbering } from '../../editor/numbering';
import type { DocJSON } from '../../editor/types';
import { yDocToJSON } from '../../editor/ydoc';

export interface DocumentSnapshot {
  state: Uint8Array;
  sha256: string;
  json: DocJSON | null;
  jsonError: string | null;
  numbering: Numbering | null;
}

export function snapshotOf(doc: Y.Doc): DocumentSnapshot {
  const state = Y.encodeStateAsUpdate(doc);
  return snapshotOfState(state);
}

export function snapshotOfState(state: Uint8Array): DocumentSnapshot {
  const sha256 = createHash('sha256').update(state).digest('hex');
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    const json = yDocToJSON(doc);
    return { state, sha256, json, jsonError: null, numbering: computeNumbering(json) };
  } catch (e) {
    return { state, sha256, json: null, jsonError: e instanceof Error ? e.message : String(e), numbering: null };
  } finally {
    doc.destroy();
  }
}
