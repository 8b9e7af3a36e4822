// Anchors that survive edits. A comment keeps the clause id, the number the clause had, the quoted passage
// with its offset in the clause text and, when the frozen version carries Yjs state, a Yjs relative
// position at the start of the passage. In a later version the clause id gives the current number; when
// the clause was deleted the relative position (which Yjs keeps valid through concurrent edits) tells
// where the passage's place is now, and the comment says the clause it pointed to is gone.
import * as Y from 'yjs';
import { absolutePositionToRelativePosition, initProseMirrorDoc, relativePositionToAbsolutePosition } from 'y-prosemirror';
import type { Node as PMNode } from 'prosemirror-model';
import type { DocJSON } from './types';
import { schema } from './schema';
import { COMMENTABLE_TYPES, clausesOf, type ClauseInfo } from './clauses';
import { YJS_FRAGMENT } from './ydoc';

/**
 * Where a comment points. `document` = the whole text; `clause` = one numbered element; `passage` = a
 * quoted stretch inside a clause, with the quote's character offset in the clause text and, when the frozen
 * version has Yjs state, a base64 Yjs relative position that keeps pointing at the passage through edits.
 */
export interface CommentAnchor {
  scope: 'document' | 'clause' | 'passage';
  clauseId?: string;
  /** The clause number at submission (5.2, 附录A, 前言 …), kept so a deleted clause can be named. */
  clauseNumber?: string;
  clauseTitle?: string;
  quote?: string;
  /** Offset of the quote in the clause's text (characters, UTF-16). */
  quoteOffset?: number;
  /** base64 of `Y.encodeRelativePosition` at the start of the quote, against the frozen version's Yjs state. */
  relPos?: string;
}

/** A version of the draft as the comment module sees it. */
export interface DraftSnapshot {
  /** Version id (frozen version) or a label such as `live` for the current text. */
  versionId: string;
  label?: { zh: string; en: string };
  json: DocJSON;
  /** Full Yjs state (Y.encodeStateAsUpdate) of the draft at this version, when available. */
  yState?: Uint8Array;
}

/**
 * Finds the quote inside the clause's own text. The offset from the browser is trusted only when the text
 * there really is the quote; otherwise the first occurrence is taken. Returns undefined when absent.
 */
export function locateQuote(clause: ClauseInfo, quote: string, offset?: number): number | undefined {
  if (offset !== undefined && clause.text.startsWith(quote, offset)) return offset;
  const i = clause.text.indexOf(quote);
  return i >= 0 ? i : undefined;
}

interface LoadedFragment {
  ydoc: Y.Doc;
  type: Y.XmlFragment;
  doc: PMNode;
  mapping: Map<Y.AbstractType<unknown>, PMNode>;
}

// Versions are immutable snapshots: a loaded one is kept for as long as its state array is alive, since
// computing and resolving relative positions only read it.
const loaded = new WeakMap<Uint8Array, Map<string, LoadedFragment>>();

function loadFragment(state: Uint8Array, fragment: string): LoadedFragment {
  let byName = loaded.get(state);
  const hit = byName?.get(fragment);
  if (hit) return hit;
  const l = loadFragmentUncached(state, fragment);
  if (!byName) loaded.set(state, (byName = new Map()));
  byName.set(fragment, l);
  return l;
}

function loadFragmentUncached(state: Uint8Array, fragment: string): LoadedFragment {
  const ydoc = new Y.Doc();
  Y.applyUpdate(ydoc, state);
  const type = ydoc.getXmlFragment(fragment);
  const { doc, mapping } = initProseMirrorDoc(type, schema) as { doc: PMNode; mapping: Map<Y.AbstractType<unknown>, PMNode> };
  return { ydoc, type, doc, mapping };
}

/** ProseMirror position of character `offset` of a clause's own text, or null. */
function positionOfOffset(doc: PMNode, clauseId: string, offset: number): number | null {
  let start = -1;
  let clause: PMNode | null = null;
  doc.descendants((node, pos) => {
    if (clause) return false;
    if (node.attrs.id === clauseId && COMMENTABLE_TYPES.has(node.type.name)) {
      clause = node;
      start = pos;
      return false;
    }
    return true;
  });
  if (!clause) return null;
  let remaining = offset;
  let found: number | null = null;
  (clause as PMNode).descendants((node, pos) => {
    if (found !== null) return false;
    if (COMMENTABLE_TYPES.has(node.type.name)) return false;
    if (node.isText) {
      const len = node.text?.length ?? 0;
      if (remaining <= len) {
        found = start + 1 + pos + remaining;
        return false;
      }
      remaining -= len;
    }
    return true;
  });
  return found;
}

/** base64 Yjs relative position at `offset` in the clause, against the frozen version's state; undefined when not computable. */
export function relativePositionFor(yState: Uint8Array, clauseId: string, offset: number, fragment = YJS_FRAGMENT): string | undefined {
  const { type, doc, mapping } = loadFragment(yState, fragment);
  const pos = positionOfOffset(doc, clauseId, offset);
  if (pos === null) return undefined;
  const rel = absolutePositionToRelativePosition(pos, type, mapping) as Y.RelativePosition;
  return Buffer.from(Y.encodeRelativePosition(rel)).toString('base64');
}

/** Where an anchor stands in a given version. */
export interface ResolvedAnchor {
  /** `document`: whole text; `present`: clause found (maybe renumbered); `deleted`: the clause is gone. */
  state: 'document' | 'present' | 'deleted';
  numberAtSubmission?: string;
  /** Current label (5.3, 附录A …) when present. */
  currentLabel?: string;
  currentTitle?: string;
  /** The clause's current own text, for triage. */
  currentText?: string;
  renumbered: boolean;
  /** For passages: whether the quoted text is still at its place. */
  passageIntact?: boolean;
  /** For a deleted clause whose passage's place survives elsewhere: the clause that now holds that place. */
  nowInLabel?: string;
}

function resolveRelPos(relPos: string, yState: Uint8Array, quote: string | undefined, fragment: string): { clauseId?: string; intact: boolean } | null {
  const { ydoc, type, doc, mapping } = loadFragment(yState, fragment);
  const rel = Y.decodeRelativePosition(Buffer.from(relPos, 'base64'));
  const pos = relativePositionToAbsolutePosition(ydoc, type, rel, mapping) as number | null;
  if (pos === null || pos < 0 || pos > doc.content.size) return null;
  const $pos = doc.resolve(pos);
  let clauseId: string | undefined;
  for (let d = $pos.depth; d >= 0; d--) {
    const n = $pos.node(d);
    if (COMMENTABLE_TYPES.has(n.type.name) && typeof n.attrs.id === 'string') {
      clauseId = n.attrs.id;
      break;
    }
  }
  const intact = quote ? doc.textBetween(pos, Math.min(doc.content.size, pos + quote.length + 8), '').startsWith(quote) : true;
  return { clauseId, intact };
}

/** Resolves an anchor against a version (`clauses` = `clausesOf(version.json)`, passed in to reuse). */
export function resolveAnchor(anchor: CommentAnchor, version: DraftSnapshot | null, clauses?: ReadonlyMap<string, ClauseInfo>, fragment = YJS_FRAGMENT): ResolvedAnchor {
  if (anchor.scope === 'document' || !anchor.clauseId) return { state: 'document', renumbered: false };
  if (!version) return { state: 'present', numberAtSubmission: anchor.clauseNumber, currentLabel: anchor.clauseNumber, renumbered: false };
  const list = clauses ?? clausesOf(version.json);
  const c = list.get(anchor.clauseId);
  let viaRel: { clauseId?: string; intact: boolean } | null = null;
  if (anchor.relPos && version.yState) {
    try {
      viaRel = resolveRelPos(anchor.relPos, version.yState, anchor.quote, fragment);
    } catch {
      // A relative position from another document history cannot be resolved; the clause id still works.
      viaRel = null;
    }
  }
  if (c) {
    const passageIntact = anchor.quote ? (viaRel ? viaRel.intact && viaRel.clauseId === c.id : c.text.includes(anchor.quote)) : undefined;
    return {
      state: 'present',
      numberAtSubmission: anchor.clauseNumber,
      currentLabel: c.label,
      currentTitle: c.title,
      currentText: c.text,
      renumbered: anchor.clauseNumber !== undefined && anchor.clauseNumber !== c.label,
      passageIntact,
    };
  }
  const nowIn = viaRel?.clauseId ? list.get(viaRel.clauseId) : undefined;
  return { state: 'deleted', numberAtSubmission: anchor.clauseNumber, renumbered: false, passageIntact: viaRel?.intact ?? false, nowInLabel: nowIn?.label };
}
