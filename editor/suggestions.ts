// Suggested changes (track changes, issue 15): reading and resolving them. Pure (no DOM): the editor's pane,
// the DOCX review copy and server-side code share it.
//
// A suggestion lives in the document itself, so it travels through Yjs like any edit:
//   - text proposed for insertion / deletion carries the mark `suggestInsert` / `suggestDelete`;
//   - a block proposed for insertion / deletion as a whole carries `suggestion: { kind, sid, by, … }`.
// One suggestion id (`sid`) may cover several text runs and blocks (a clause inserted with its text).
// Accepting an insertion drops the mark/attribute; accepting a deletion removes the content. Rejecting is
// the opposite. Until accepted, a block suggested for deletion is still part of the text (numbered, checked,
// printed), as in Word.
import type { Mark, Node as PMNode } from 'prosemirror-model';
import { Transform } from 'prosemirror-transform';
import { SUGGEST_DELETE, SUGGEST_INSERT, type BlockSuggestion, type SuggestionAuthor } from './schema';

export type SuggestionKind = 'insert' | 'delete';

/** One suggestion as the pane lists it: its author, an excerpt and where it is (first to last position). */
export interface SuggestionInfo {
  sid: string;
  kind: SuggestionKind;
  by: string;
  name: string;
  province: string;
  at: string;
  /** The first characters of the text concerned (a block without text gives its type name in brackets). */
  text: string;
  from: number;
  to: number;
}

/** How many characters of text a listed suggestion shows. */
export const EXCERPT_CHARS = 80;

/** One place a suggestion touches: a text node's range (`mark` set) or a whole block (`block` set). */
interface Target {
  sid: string;
  kind: SuggestionKind;
  author: SuggestionAuthor;
  from: number;
  to: number;
  node: PMNode;
  mark?: Mark;
  block?: boolean;
}

/** The suggestion mark of a text/inline node, if any. */
export function suggestionMarkOf(node: PMNode): Mark | undefined {
  return node.marks.find((m) => m.type.name === SUGGEST_INSERT || m.type.name === SUGGEST_DELETE);
}

/** The block suggestion of a node, if any. */
export function blockSuggestionOf(node: PMNode): BlockSuggestion | null {
  const s = node.attrs.suggestion as BlockSuggestion | null | undefined;
  return s && (s.kind === 'insert' || s.kind === 'delete') ? s : null;
}

function authorOf(a: { sid: string; by: string; name: string; province: string; at: string }): SuggestionAuthor {
  return { sid: String(a.sid), by: String(a.by), name: String(a.name), province: String(a.province), at: String(a.at) };
}

/** Every place in the document that carries a suggestion, in document order. */
function targets(doc: PMNode): Target[] {
  const out: Target[] = [];
  doc.descendants((node, pos) => {
    const block = node.isBlock ? blockSuggestionOf(node) : null;
    if (block) out.push({ sid: block.sid, kind: block.kind, author: authorOf(block), from: pos, to: pos + node.nodeSize, node, block: true });
    if (node.isInline) {
      const mark = suggestionMarkOf(node);
      if (mark) {
        const kind: SuggestionKind = mark.type.name === SUGGEST_INSERT ? 'insert' : 'delete';
        out.push({ sid: String(mark.attrs.sid), kind, author: authorOf(mark.attrs as SuggestionAuthor), from: pos, to: pos + node.nodeSize, node, mark });
      }
    }
    return true;
  });
  return out;
}

/** The suggestions of a document, one entry per suggestion id, in the order they first appear. */
export function listSuggestions(doc: PMNode): SuggestionInfo[] {
  const bySid = new Map<string, SuggestionInfo>();
  for (const t of targets(doc)) {
    let info = bySid.get(t.sid);
    if (!info) {
      info = { ...t.author, kind: t.kind, text: '', from: t.from, to: t.to };
      bySid.set(t.sid, info);
    }
    info.to = Math.max(info.to, t.to);
    if (info.text.length < EXCERPT_CHARS) {
      // A block's own text is listed through its text nodes only when those carry the same suggestion.
      const piece = t.block ? (t.node.textContent ? '' : `[${t.node.type.name}]`) : t.node.isText ? (t.node.text ?? '') : '';
      info.text = (info.text + piece).slice(0, EXCERPT_CHARS);
    }
  }
  // A block suggestion whose text is not itself marked shows the block's text.
  for (const t of targets(doc)) {
    const info = bySid.get(t.sid);
    if (info && t.block && info.text === '') info.text = t.node.textContent.slice(0, EXCERPT_CHARS) || `[${t.node.type.name}]`;
  }
  return [...bySid.values()];
}

type Decision = 'accept' | 'reject';

/** Applies one decision to the given targets (all of one or several suggestions). Returns how many were changed. */
function resolveTargets(tr: Transform, list: Target[], decision: Decision): number {
  // Back to front, so an earlier position is never moved by a later change; an enclosing block is handled
  // after what it contains and re-read at its (unchanged) start.
  const sorted = [...list].sort((a, b) => b.from - a.from || a.to - b.to);
  let changed = 0;
  for (const t of sorted) {
    const remove = (t.kind === 'insert') === (decision === 'reject');
    const node = tr.doc.nodeAt(t.from);
    if (!node) continue;
    if (t.block) {
      const current = blockSuggestionOf(node);
      if (!current || current.sid !== t.sid) continue;
      if (remove) tr.deleteRange(t.from, t.from + node.nodeSize);
      else tr.setNodeAttribute(t.from, 'suggestion', null);
    } else if (t.mark) {
      const mark = t.mark;
      if (!node.marks.some((m) => m.eq(mark))) continue;
      const to = t.to;
      if (remove) tr.delete(t.from, to);
      else tr.removeMark(t.from, to, mark);
    }
    changed += 1;
  }
  return changed;
}

/** Accepts one suggestion: an insertion stays (its mark/attribute dropped), a deletion is carried out. */
export function acceptSuggestion(tr: Transform, sid: string): boolean {
  return resolveTargets(tr, targets(tr.doc).filter((t) => t.sid === sid), 'accept') > 0;
}

/** Rejects one suggestion: an insertion is removed, a deletion is withdrawn (its mark/attribute dropped). */
export function rejectSuggestion(tr: Transform, sid: string): boolean {
  return resolveTargets(tr, targets(tr.doc).filter((t) => t.sid === sid), 'reject') > 0;
}

/** Accepts every suggestion, or every suggestion of user `by`. Returns how many places changed. */
export function acceptAll(tr: Transform, by?: string): number {
  return resolveTargets(tr, targets(tr.doc).filter((t) => by === undefined || t.author.by === by), 'accept');
}

/** Rejects every suggestion, or every suggestion of user `by`. Returns how many places changed. */
export function rejectAll(tr: Transform, by?: string): number {
  return resolveTargets(tr, targets(tr.doc).filter((t) => by === undefined || t.author.by === by), 'reject');
}

/** The document as it would be with every suggestion accepted (the clean text). */
export function withSuggestionsAccepted(doc: PMNode): PMNode {
  const tr = new Transform(doc);
  acceptAll(tr);
  return tr.doc;
}

/** The document as it would be with every suggestion rejected (the text before the suggestions). */
export function withSuggestionsRejected(doc: PMNode): PMNode {
  const tr = new Transform(doc);
  rejectAll(tr);
  return tr.doc;
}

/** Whether the document carries any suggestion (cheap early exit for generators). */
export function hasSuggestions(doc: PMNode): boolean {
  let found = false;
  doc.descendants((node) => {
    if (found) return false;
    if ((node.isBlock && blockSuggestionOf(node)) || (node.isInline && suggestionMarkOf(node))) found = true;
    return !found;
  });
  return found;
}

/**
 * Whether going from `before` to `after` only proposes changes as user `by` (what a user who may only
 * suggest is allowed to write): the text with every suggestion rejected is unchanged, every pending
 * suggestion of someone else is still there as it was, and no new suggestion is put in someone else's name.
 * The collaboration server checks the updates of suggest-only users with it.
 */
export function isSuggestionOnlyChange(before: PMNode, after: PMNode, by: string): boolean {
  if (!withSuggestionsRejected(before).eq(withSuggestionsRejected(after))) return false;
  const was = new Map(listSuggestions(before).map((s) => [s.sid, s]));
  const now = new Map(listSuggestions(after).map((s) => [s.sid, s]));
  for (const [sid, s] of was) {
    if (s.by === by) continue;
    const n = now.get(sid);
    if (!n || n.kind !== s.kind || n.text !== s.text || n.by !== s.by) return false;
  }
  for (const [sid, s] of now) if (s.by !== by && !was.has(sid)) return false;
  return true;
}
