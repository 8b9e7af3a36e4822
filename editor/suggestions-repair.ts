// Repairing what Yjs's formatting merge does to a suggest-only author's update (issue 15). Suggestion marks
// are Yjs format markers; when a drafter accepts or rejects a suggestion while its author types next to it,
// the merged markers can (a) stretch the author's `suggestInsert` over neighbouring text that already
// existed, (b) leave the author's newly typed text without their mark (the marker it inherited from was
// removed), or (c) turn the author's withdrawal of their own pending text into a real deletion of text the
// drafter has just accepted. Each is a change a suggest-only user may not make, so the server used to refuse
// the whole update (socket closed, unsaved words lost).
//
// `planSuggestionRepair` reads one applied Yjs transaction (call it from 'afterTransaction', before Yjs
// collects the deleted content) and lists what puts the author's change back into suggestion form:
//   (a) characters that existed before the transaction and gained, lost or changed a `suggestInsert` (or
//       someone else's `suggestDelete`) get their previous value back (the invariant: an update never adds
//       `suggestInsert` to existing text; a suggest-only author never removes one either);
//   (b) characters the transaction inserted without a suggestion of the author, written by one of the author's
//       clients (`ownClients`: the Yjs client ids of the author's sessions, or a client new to the room) or
//       typed next to text the author wrote, get the author's `suggestInsert` (the neighbouring suggestion of
//       theirs when there is one);
//   (c) characters the transaction deleted that are not (or no longer) the author's pending insertion are put
//       back, marked `suggestDelete` by the author (or as they were when someone's suggestion already marked
//       them): the drafter accepted them meanwhile, or the author's editor showed them as the author's own
//       insertion because a stretch had not been repaired there yet (deleting one's own insertion really
//       deletes it). A deletion is always expressible as a suggested deletion, so this holds for any text.
// A plain insertion forced past the editor's suggestion mode becomes the author's suggestion the same way.
// `applySuggestionRepair` writes the plan in one transaction and returns that transaction's update, which the
// server applies to the room after the author's update so every client and the store get it.
// Pure (Yjs only, no I/O); the collaboration server's guard uses it on its shadow copy.
import * as Y from 'yjs';
import { SUGGEST_DELETE, SUGGEST_INSERT, type SuggestionAuthor } from './schema';
import { isUnder, WRITERS_MAP, type DecisionRecord } from './suggestions-provenance';
import { insertBlockCopy, planBlockRestores, type BlockCopy, type BlockRestore, type Withdrawal } from './suggestions-blocks';
import { YJS_FRAGMENT } from './ydoc';
import type { Restorable } from './suggestions-journal';
import { isQuickSuggestion } from './suggestions-quick-check';
import { attrBase as base, authorOfValue as by, existedBefore, sameValue as same, setAttr, visibleBefore } from './suggestion-attrs';

type Attrs = Record<string, unknown>;

/** One step of a repair inside one Y.XmlText: re-format a range, or put deleted text back. */
export type RepairStep =
  | { kind: 'format'; text: Y.XmlText; index: number; length: number; attributes: Attrs; chars: number }
  | { kind: 'insert'; text: Y.XmlText; index: number; content: string; attributes: Attrs; chars: number }
  /** A whole block deleted, put back as the author's suggested deletion (suggestions-blocks.ts). */
  | { kind: 'block'; parent: Y.XmlElement | Y.XmlFragment; index: number; order: number; copy: BlockCopy; chars: number };

export interface RepairPlan {
  steps: RepairStep[];
  /** Characters concerned (a: stretched, b: unmarked new text, c: deleted text put back). */
  stretched: number;
  unmarked: number;
  restored: number;
  /** Something the repair cannot express (deleted content that is not text): the plan must not be used. */
  impossible: boolean;
  /** Blocks the author withdrew (their own pending insertion deleted): remembered for a drafter's accept racing it. */
  withdrawn?: Withdrawal[];
}

/** A plan with nothing to do (`impossible`: one that must not be used). */
export function emptyPlan(impossible = false): RepairPlan {
  return { steps: [], stretched: 0, unmarked: 0, restored: 0, impossible };
}

/** Adds to `plan` whole blocks to put back (suggestions-blocks.ts). */
export function addBlockRestores(plan: RepairPlan, restores: readonly BlockRestore[]): void {
  for (const r of restores) {
    plan.steps.push({ kind: 'block', ...r });
    plan.restored += r.chars;
  }
}

export interface Run {
  item: Y.Item;
  length: number;
  existed: boolean;
  visibleBefore: boolean;
  visibleAfter: boolean;
  before: Attrs;
  after: Attrs;
}

const sidOf = (value: unknown): string => (value && typeof value === 'object' ? String((value as { sid?: unknown }).sid) : '');

/** The visible runs of one text as they were before and are after the transaction, with their attributes. */
export function runsOf(text: Y.XmlText, tr: Y.Transaction): Run[] {
  const before = new Map<string, unknown>();
  const after = new Map<string, unknown>();
  const out: Run[] = [];
  for (let item = text._start; item !== null; item = item.right) {
    const existed = existedBefore(item, tr);
    const wasVisible = visibleBefore(item, tr);
    const visibleAfter = !item.deleted;
    if (item.content instanceof Y.ContentFormat) {
      const { key, value } = item.content;
      if (wasVisible) setAttr(before, key, value);
      if (visibleAfter) setAttr(after, key, value);
    } else if (item.countable && (wasVisible || visibleAfter)) {
      out.push({ item, length: item.length, existed, visibleBefore: wasVisible, visibleAfter, before: Object.fromEntries(before), after: Object.fromEntries(after) });
    }
  }
  return out;
}

/** Whether the transaction touched a suggestion marker of this text (else nothing can have stretched). */
export function touchesSuggestionMarkers(text: Y.XmlText, tr: Y.Transaction): boolean {
  for (let item = text._start; item !== null; item = item.right) {
    if (!(item.content instanceof Y.ContentFormat) || !base(item.content.key).startsWith('suggest')) continue;
    if (!existedBefore(item, tr) || (item.deleted && Y.isDeleted(tr.deleteSet, item.id))) return true;
  }
  return false;
}

/** The `suggestInsert` of `author` on the visible text right before (else right after) run `i`, if any. */
function neighbourInsert(runs: Run[], i: number, author: string): unknown {
  const ownInsert = (run: Run | undefined): unknown =>
    run && Object.entries(run.after).find(([k, v]) => base(k) === SUGGEST_INSERT && by(v) === author)?.[1];
  let left = i - 1;
  while (left >= 0 && !runs[left].visibleAfter) left--;
  let right = i + 1;
  while (right < runs.length && !runs[right].visibleAfter) right++;
  return ownInsert(runs[left]) ?? ownInsert(runs[right]);
}

/**
 * What to change after transaction `tr` (a suggest-only author's update, just applied) so that it only
 * proposes changes in the name of `author.by`. Call inside the document's 'afterTransaction' event.
 */
export function planSuggestionRepair(tr: Y.Transaction, author: SuggestionAuthor, ownClients: ReadonlySet<number>): RepairPlan {
  const plan = emptyPlan();
  // Written by the author: in one of their sessions, or by this very transaction.
  const ownId = (id: Y.ID | null): boolean => id !== null && (ownClients.has(id.client) || id.clock >= (tr.beforeState.get(id.client) ?? 0));
  // Written by one of the author's clients: a recorded session, or a client the room had never seen.
  const ownClient = (id: Y.ID): boolean => ownClients.has(id.client) || !tr.beforeState.has(id.client);
  for (const type of tr.changed.keys()) {
    if (!(type instanceof Y.XmlText)) continue;
    const text = type;
    if (text._item?.deleted) continue;
    const runs = runsOf(text, tr);
    const hasNew = runs.some((r) => !r.existed && r.visibleAfter);
    const hasDeleted = runs.some((r) => r.visibleBefore && !r.visibleAfter);
    if (!hasNew && !hasDeleted && !touchesSuggestionMarkers(text, tr)) continue;
    let index = 0;
    runs.forEach((run, i) => {
      if (run.visibleBefore && run.visibleAfter) {
        // (a) existing text never gains a suggested insertion, nor loses one (only a drafter accepts), nor has
        // anyone else's suggested deletion changed.
        const restore: Attrs = {};
        for (const key of new Set([...Object.keys(run.after), ...Object.keys(run.before)])) {
          const [was, now] = [run.before[key], run.after[key]];
          if (same(was, now)) continue;
          if (base(key) === SUGGEST_INSERT) restore[key] = was ?? null;
          else if (base(key) === SUGGEST_DELETE && ((was != null && by(was) !== author.by) || (now != null && by(now) !== author.by))) restore[key] = was ?? null;
        }
        if (Object.keys(restore).length) {
          plan.steps.push({ kind: 'format', text, index, length: run.length, attributes: restore, chars: run.length });
          plan.stretched += run.length;
        }
      } else if (!run.existed && run.visibleAfter) {
        // (b) the author's new text is their suggestion: their editor is held in suggestion mode, so what they
        // typed was their insertion there. Their own suggested deletion on new text is theirs only when the
        // transaction deleted text too (y-prosemirror's diff may put deleted text back as new items); new text
        // carrying someone else's suggestion (or, without a deletion, their own suggested deletion) inherited it
        // from markers a concurrent edit moved. New text without any suggestion lost it the same way, or was
        // shifted by y-prosemirror's diff: typing "每月" before an identical "每月" puts the author's mark on the
        // old characters (which (a) restores) and leaves the new ones plain, after the old — away from the
        // author's own writing when someone else's concurrent marker sits in between (captured in
        // test/editor/fixtures/suggest-refused-shifted-plain.json). So plain new text is the author's insertion
        // when their client wrote it (one of their recorded sessions, or a client new to the room) or it sits
        // next to their writing; a plain insertion forced past the editor's suggestion mode becomes their
        // suggestion too (never a direct edit, and not lost to a refusal).
        const entries = Object.entries(run.after).filter(([k]) => base(k).startsWith('suggest'));
        const ownInsert = entries.some(([k, v]) => base(k) === SUGGEST_INSERT && by(v) === author.by);
        const ownDelete = entries.some(([k, v]) => base(k) === SUGGEST_DELETE && by(v) === author.by);
        const inherited = entries.some(([, v]) => by(v) !== author.by) || (ownDelete && !hasDeleted);
        if (!ownInsert && !(ownDelete && hasDeleted) && (inherited || ownClient(run.item.id) || ownId(run.item.origin) || ownId(run.item.rightOrigin))) {
          const attributes: Attrs = {};
          for (const key of Object.keys(run.after)) if (base(key).startsWith('suggest')) attributes[key] = null;
          attributes[SUGGEST_INSERT] = neighbourInsert(runs, i, author.by) ?? { ...author };
          plan.steps.push({ kind: 'format', text, index, length: run.length, attributes, chars: run.length });
          plan.unmarked += run.length;
        }
      } else if (run.visibleBefore && !run.visibleAfter) {
        // (c) text the author deleted, unless it was their own pending insertion, comes back as a suggested deletion.
        const ownInsert = Object.entries(run.before).some(([k, v]) => base(k) === SUGGEST_INSERT && by(v) === author.by);
        if (!ownInsert) {
          if (!(run.item.content instanceof Y.ContentString)) plan.impossible = true;
          else {
            const marked = Object.keys(run.before).some((k) => base(k).startsWith('suggest'));
            const attributes: Attrs = marked ? { ...run.before } : { ...run.before, [SUGGEST_DELETE]: { ...author } };
            plan.steps.push({ kind: 'insert', text, index, content: run.item.content.str, attributes, chars: run.length });
            plan.restored += run.length;
          }
        }
      }
      if (run.visibleAfter) index += run.length;
    });
  }
  // (c) for whole blocks: a block the author deleted that was not their own pending insertion comes back as
  // their suggested deletion of it.
  const blocks = planBlockRestores(tr, author);
  if (blocks.impossible) plan.impossible = true;
  plan.withdrawn = blocks.withdrawn;
  addBlockRestores(plan, blocks.restores);
  return plan;
}

/**
 * The repair of another user's transaction (a drafter's, who may edit directly), for suggestions of someone
 * else than `updater` only:
 *   (a) existing text that gained such a suggested insertion gets its previous value back — a drafter never
 *       writes a suggestion in another name, so the gain is a formatting merge (their decision racing the
 *       author's typing) or an undo of a decision, which may only give back what that decision removed (below);
 *   with the drafter's `decision` record (suggestions-provenance.ts: what they decided and what they had seen):
 *   (e) characters the drafter had not seen (typed concurrently, by the suggestion's author or anyone else) get
 *       back the suggestion attributes they had: they are not part of the decision — the author's words stay
 *       their pending suggestion, another drafter's plain words stay plain, and a reject does not turn them
 *       into text of the standard nor remove them;
 *   (f) characters the drafter saw of a suggestion they accepted (rejected, for a suggested deletion) lose its
 *       mark even where a concurrent marker carried it back over them;
 *   without one (an older editor):
 *   (d) existing text that lost such a mark in a transaction that deleted text of the same suggestion (a
 *       reject) gets it back: it is the author's typing inside the suggestion, which the drafter had not seen
 *       when rejecting (else the reject would have deleted it too). Text typed into a suggestion the drafter
 *       accepts meanwhile is then accepted with it.
 *   with `restorable` (the updater's undo of their own decision, editor/suggestions-journal.ts): a character
 *   that gets back exactly a value that decision removed from it is left so; everything else as above.
 */
export function planStretchRepair(tr: Y.Transaction, updater: string, decision: DecisionRecord | null = null, restorable?: Restorable): RepairPlan {
  const plan = emptyPlan();
  const texts: [Y.XmlText, Run[]][] = [];
  for (const type of tr.changed.keys()) {
    if (!(type instanceof Y.XmlText) || type._item?.deleted || !touchesSuggestionMarkers(type, tr)) continue;
    texts.push([type, runsOf(type, tr)]);
  }
  // Suggested insertions of others this transaction deleted text of (rejected), by suggestion id.
  const rejected = new Set<string>();
  for (const [, runs] of texts) {
    for (const run of runs) {
      if (!run.visibleBefore || run.visibleAfter) continue;
      for (const [key, value] of Object.entries(run.before)) if (base(key) === SUGGEST_INSERT && by(value) !== updater) rejected.add(sidOf(value));
    }
  }
  const decided = (key: string, value: unknown): boolean =>
    decision !== null &&
    decision.sids.has(sidOf(value)) &&
    ((decision.decision === 'accept' && base(key) === SUGGEST_INSERT) || (decision.decision === 'reject' && base(key) === SUGGEST_DELETE));
  const ownInsert = (attrs: Attrs): unknown => Object.entries(attrs).find(([k, v]) => base(k) === SUGGEST_INSERT && by(v) === updater)?.[1];
  // A format step over `length` characters of `run` from text index `at` (offset `off` in the run), less what
  // the undo of the updater's own decision may put back, character by character.
  const push = (text: Y.XmlText, run: Run, at: number, off: number, length: number, restore: Attrs): void => {
    const stepOf = (from: number, len: number, attributes: Attrs): void => {
      if (!Object.keys(attributes).length || len === 0) return;
      plan.steps.push({ kind: 'format', text, index: at + from, length: len, attributes, chars: len });
      plan.stretched += len;
    };
    if (!restorable) return stepOf(0, length, restore);
    let from = 0;
    let prev: Attrs = {};
    for (let i = 0; i < length; i++) {
      const attrs: Attrs = {};
      for (const [key, value] of Object.entries(restore)) if (!restorable(run.item.id.client, run.item.id.clock + off + i, key, run.after[key])) attrs[key] = value;
      if (i > 0 && JSON.stringify(attrs) !== JSON.stringify(prev)) {
        stepOf(from, i - from, prev);
        from = i;
      }
      prev = attrs;
    }
    stepOf(from, length - from, prev);
  };
  for (const [text, runs] of texts) {
    // (g) the updater's own suggested insertion stretched over existing text: their typing next to it merged
    // with another drafter's decision that removed its end marker. y-prosemirror's diff may legitimately move a
    // suggestion onto identical existing text (typing "排放" before "排放" marks the old characters and leaves
    // as many new ones plain), so existing text gaining it counts as stretched only beyond that many.
    let gained = 0;
    let plainNew = 0;
    for (const run of runs) {
      if (run.visibleBefore && run.visibleAfter && ownInsert(run.after) !== undefined && !same(ownInsert(run.after), ownInsert(run.before))) gained += run.length;
      if (!run.existed && run.visibleAfter && ownInsert(run.after) === undefined) plainNew += run.length;
    }
    const ownStretched = gained > plainNew;
    let index = 0;
    for (const run of runs) {
      if (ownStretched && run.visibleBefore && run.visibleAfter && ownInsert(run.after) !== undefined && !same(ownInsert(run.after), ownInsert(run.before))) {
        const restore: Attrs = {};
        for (const [key, value] of Object.entries(run.after)) if (base(key) === SUGGEST_INSERT && by(value) === updater) restore[key] = run.before[key] ?? null;
        push(text, run, index, 0, run.length, restore);
      } else if (run.visibleBefore && run.visibleAfter) {
        // The part of the run the decider had seen (Yjs clocks of one client are seen as a prefix).
        const seenUpTo = decision ? (decision.seen.get(run.item.id.client) ?? 0) : Number.POSITIVE_INFINITY;
        const seenLength = Math.max(0, Math.min(run.length, seenUpTo - run.item.id.clock));
        const parts: [number, number, boolean][] = [
          [index, seenLength, true],
          [index + seenLength, run.length - seenLength, false],
        ];
        for (const [at, length, seen] of parts) {
          if (length === 0) continue;
          const restore: Attrs = {};
          if (!seen) {
            for (const key of new Set([...Object.keys(run.after), ...Object.keys(run.before)])) {
              if (base(key).startsWith('suggest') && !same(run.before[key], run.after[key])) restore[key] = run.before[key] ?? null;
            }
          } else {
            for (const [key, value] of Object.entries(run.after)) {
              if (base(key) === SUGGEST_INSERT && by(value) !== updater && !same(value, run.before[key])) restore[key] = run.before[key] ?? null;
            }
            for (const [key, value] of Object.entries(run.before)) {
              if (decision === null && base(key) === SUGGEST_INSERT && by(value) !== updater && run.after[key] == null && rejected.has(sidOf(value))) restore[key] = value;
              if (decided(key, value) && run.after[key] != null) restore[key] = null;
            }
            for (const [key, value] of Object.entries(run.after)) if (decided(key, value) && run.before[key] == null) restore[key] = null;
          }
          if (Object.keys(restore).length) push(text, run, at, at - index, length, restore);
        }
      }
      if (run.visibleAfter) index += run.length;
    }
  }
  return plan;
}

/** Number of characters a plan changes. */
export const repairSize = (plan: RepairPlan): number => plan.stretched + plan.unmarked + plan.restored;

/**
 * Applies the plan to the document it was made on, in one transaction with `origin`; returns that
 * transaction's update (null when the plan is empty).
 */
export function applySuggestionRepair(doc: Y.Doc, plan: RepairPlan, origin: unknown): Uint8Array | null {
  if (plan.steps.length === 0) return null;
  let out: Uint8Array | null = null;
  const capture = (update: Uint8Array, o: unknown): void => {
    if (o === origin) out = out ? Y.mergeUpdates([out, update]) : update;
  };
  doc.on('update', capture);
  try {
    doc.transact(() => {
      // Back to front in each text, so a step never moves the index of one still to come; at one index the
      // re-formatting of the text after it goes first, then the deleted text is put back in front of it.
      // Blocks put back at one index go last first, so they keep their order; so do runs of deleted text put
      // back at one index (adjacent deleted items, listed in document order: "应" then "月" inserted in that
      // order at one index would read "月应" — captured in test/editor/fixtures/suggest-refused-adjacent.json).
      const rank = (s: RepairStep): number => (s.kind === 'format' ? -1 : 1);
      const seq = new Map(plan.steps.map((step, i) => [step, i]));
      const later = (x: RepairStep, y: RepairStep): number => (seq.get(y) ?? 0) - (seq.get(x) ?? 0);
      const order = [...plan.steps].sort(
        (x, y) => y.index - x.index || (x.kind === 'block' && y.kind === 'block' ? y.order - x.order : rank(x) - rank(y) || (x.kind === 'insert' && y.kind === 'insert' ? later(x, y) : 0)),
      );
      for (const step of order) {
        if (step.kind === 'format') step.text.format(step.index, step.length, step.attributes);
        else if (step.kind === 'insert') step.text.insert(step.index, step.content, step.attributes);
        else insertBlockCopy(step.parent, step.index, step.copy);
      }
    }, origin);
  } finally {
    doc.off('update', capture);
  }
  return out;
}

/**
 * Applies `update` to `doc` and plans the repair of the transaction it made (an update the document already
 * holds plans nothing). `foreign`: the update changed something outside the ProseMirror fragment (a decision
 * record of suggestions-provenance.ts, which would decide suggestions in a drafter's name, or anything else),
 * which a suggest-only user may not write. The record of sessions (`suggestWriters`) is allowed: a client
 * resends what the server wrote when the server lost it, and a forged entry gains nothing (it only lets the
 * author's own new words be taken as their suggestion). `quick`: every transaction passed the quick check
 * (suggestions-quick-check.ts; then nothing was planned, there is nothing to repair). `pending`: the update
 * left content or deletions waiting for something the document does not have (Yjs keeps them and applies them
 * when it arrives — in someone else's update, unchecked), where nothing was waiting before.
 */
export function applyAndPlan(
  doc: Y.Doc,
  update: Uint8Array,
  author: SuggestionAuthor,
  ownClients: ReadonlySet<number>,
): RepairPlan & { clients: Set<number>; foreign: boolean; quick: boolean; pending: boolean } {
  const clients = new Set<number>();
  let foreign = false;
  let quick = true;
  let plan = emptyPlan();
  const waitingBefore = doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
  const listen = (tr: Y.Transaction): void => {
    for (const [client, clock] of tr.afterState) if (clock > (tr.beforeState.get(client) ?? 0)) clients.add(client);
    for (const type of tr.changed.keys()) {
      const t = type as Y.AbstractType<unknown>;
      if (!isUnder(t, YJS_FRAGMENT) && !isUnder(t, WRITERS_MAP)) foreign = true;
    }
    try {
      if (tr.changed.size === 0 || isQuickSuggestion(tr, author.by)) return;
    } catch {
      // Never break Yjs's cleanup of the transaction; the full check decides.
    }
    quick = false;
    let next: RepairPlan;
    try {
      next = planSuggestionRepair(tr, author, ownClients);
    } catch {
      // Never break Yjs's cleanup of the transaction; without a plan the update is judged as it is.
      next = emptyPlan(true);
    }
    plan = {
      steps: [...plan.steps, ...next.steps],
      stretched: plan.stretched + next.stretched,
      unmarked: plan.unmarked + next.unmarked,
      restored: plan.restored + next.restored,
      impossible: plan.impossible || next.impossible,
      withdrawn: [...(plan.withdrawn ?? []), ...(next.withdrawn ?? [])],
    };
  };
  doc.on('afterTransaction', listen);
  try {
    Y.applyUpdate(doc, update);
  } finally {
    doc.off('afterTransaction', listen);
  }
  const pending = !waitingBefore && (doc.store.pendingStructs !== null || doc.store.pendingDs !== null);
  return { ...plan, clients, foreign, quick, pending };
}
