// Who wrote what, and what a decider saw (issue 15), kept in the Y.Doc itself so it travels, is stored in
// MongoDB and survives a restart of the collaboration server like the text:
//   - `suggestionDecisions` (Y.Map, one entry per deciding user, overwritten): a drafter's editor writes, right
//     before it accepts or rejects, which suggestions it decides and its Yjs state vector at that moment. The
//     server then knows which characters the drafter saw: words someone typed inside the suggestion meanwhile
//     (concurrently) are not part of the decision and keep what they were (editor/suggestions-repair.ts).
//     Each decision has an id; the drafter's undo of it (Ctrl-Z) overwrites the entry with an undo record
//     naming that id, so the server lets the undo put back the marks that decision removed, and only those
//     (editor/suggestions-undo.ts, editor/suggestions-journal.ts).
//   - `suggestWriters` (Y.Map, Yjs client id → author): written by the server only, for the sessions of users
//     who may only suggest; the repair recognises an author's words by these ids. Bounded: at most
//     MAX_CLIENTS_PER_AUTHOR entries per author (the oldest are removed; Yjs garbage-collects them).
// Neither is part of the ProseMirror document; the server refuses a suggest-only user's update touching them.
// Pure (Yjs only).
import * as Y from 'yjs';

export const DECISIONS_MAP = 'suggestionDecisions';
export const WRITERS_MAP = 'suggestWriters';
/** Client ids kept per suggest-only author (one per editing session). */
export const MAX_CLIENTS_PER_AUTHOR = 32;
/** Origin of the transaction that writes a decision record. */
export const DECISION_ORIGIN = 'suggestion-decision';

export type DecisionKind = 'accept' | 'reject';

/** What one drafter decided and what they saw then. */
export interface DecisionRecord {
  /** The decision's id (absent in records of older editors). */
  id?: string;
  decision: DecisionKind;
  sids: ReadonlySet<string>;
  /** The decider's Yjs state vector before deciding (client id → next clock). */
  seen: ReadonlyMap<number, number>;
}

const newDecisionId = (): string => `d${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;

/**
 * Writes the record of a decision about to be made by `by` in `ydoc` (call right before dispatching the accept
 * or reject; its own Yjs transaction, outside the undo history's scope). `id`: a redo re-applies the decision
 * under its first id. Returns the decision's id.
 */
export function recordDecision(ydoc: Y.Doc, by: string, decision: DecisionKind, sids: readonly string[], id: string = newDecisionId()): string {
  ydoc.transact(() => {
    ydoc.getMap(DECISIONS_MAP).set(by, { id, decision, sids: [...sids], sv: Y.encodeStateVector(ydoc), at: new Date().toISOString() });
  }, DECISION_ORIGIN);
  return id;
}

/** Writes the record of `by` undoing their decision `undoes` (call right before the undo; its own transaction). */
export function recordUndo(ydoc: Y.Doc, by: string, undoes: string): void {
  ydoc.transact(() => {
    ydoc.getMap(DECISIONS_MAP).set(by, { decision: 'undo', undoes, sv: Y.encodeStateVector(ydoc), at: new Date().toISOString() });
  }, DECISION_ORIGIN);
}

/** The id of the decision `by`'s record says they are undoing, if it is an undo record. */
export function readUndo(ydoc: Y.Doc, by: string): string | null {
  const raw = ydoc.getMap(DECISIONS_MAP).get(by) as { decision?: unknown; undoes?: unknown } | undefined;
  if (!raw || typeof raw !== 'object' || raw.decision !== 'undo' || typeof raw.undoes !== 'string') return null;
  return raw.undoes;
}

/** The decision record of `by`, if it is well formed. */
export function readDecision(ydoc: Y.Doc, by: string): DecisionRecord | null {
  const raw = ydoc.getMap(DECISIONS_MAP).get(by) as { decision?: unknown; sids?: unknown; sv?: unknown } | undefined;
  if (!raw || typeof raw !== 'object') return null;
  const { decision, sids, sv, id } = raw as typeof raw & { id?: unknown };
  if ((decision !== 'accept' && decision !== 'reject') || !Array.isArray(sids) || !(sv instanceof Uint8Array)) return null;
  try {
    return { ...(typeof id === 'string' ? { id } : {}), decision, sids: new Set(sids.map(String)), seen: Y.decodeStateVector(sv) };
  } catch {
    return null;
  }
}

/** Whether transaction `tr` wrote the decision record of `by`. */
export function wroteDecision(tr: Y.Transaction, by: string): boolean {
  const map = tr.doc.share.get(DECISIONS_MAP);
  if (!map) return false;
  return tr.changed.get(map as unknown as Y.AbstractType<Y.YEvent<Y.AbstractType<unknown>>>)?.has(by) === true;
}

/** The Yjs client ids recorded for suggest-only author `by`. */
export function writerClients(ydoc: Y.Doc, by: string): Set<number> {
  const out = new Set<number>();
  for (const [client, value] of ydoc.getMap(WRITERS_MAP).entries()) {
    if ((value as { by?: unknown } | null)?.by === by) out.add(Number(client));
  }
  return out;
}

/**
 * Records `clients` as sessions of `by` (those not recorded for anyone yet), keeping the newest
 * MAX_CLIENTS_PER_AUTHOR of that author. Call inside a transaction. Returns whether anything was written.
 */
export function recordWriters(ydoc: Y.Doc, by: string, clients: Iterable<number>, at: string): boolean {
  const map = ydoc.getMap(WRITERS_MAP);
  let wrote = false;
  for (const client of clients) {
    const key = String(client);
    // A client id belongs to the first author it was recorded for (an update that carries someone else's items,
    // a resend after a restart, does not take their session over).
    if (map.has(key)) continue;
    map.set(key, { by, at });
    wrote = true;
  }
  if (!wrote) return false;
  const mine = [...map.entries()].filter(([, v]) => (v as { by?: unknown } | null)?.by === by).sort(([, a], [, b]) => String((a as { at: string }).at).localeCompare(String((b as { at: string }).at)));
  for (const [key] of mine.slice(0, Math.max(0, mine.length - MAX_CLIENTS_PER_AUTHOR))) map.delete(key);
  return true;
}

/** Whether the type belongs under the root type named `root` of its document. */
export function isUnder(type: Y.AbstractType<unknown>, root: string): boolean {
  let t: Y.AbstractType<unknown> = type;
  while (t._item !== null) t = t._item.parent as Y.AbstractType<unknown>;
  return t.doc?.share.get(root) === t;
}
