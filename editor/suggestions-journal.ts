// What each drafter's recent decisions removed (issue 15), so that their undo (Ctrl-Z after an accept or a
// reject) may put exactly that back. The collaboration server notes, for the transaction of a decision, every
// existing character that lost a suggestion attribute (by Yjs item id: the character stays the same item
// through an undo, whose format markers are new) and the value it lost. When the same drafter later sends an
// undo record naming that decision (editor/suggestions-provenance.ts `recordUndo`), the stretch repair
// (editor/suggestions-repair.ts `planStretchRepair`) leaves those characters with that very value; any other
// gain of a suggestion — on text the decision did not change, a value it did not remove, another drafter's
// decision — is still repaired. Text a decision deleted comes back from an undo as new items, which the
// stretch repair does not touch. The suggestion markers an undo re-creates are remembered for a few seconds:
// words another user typed inside at that very moment (not having seen the undo) would inherit the suggestion
// from them when the undo arrives first; they keep what they had (`planUndoInherited`), as they do when the
// typing arrives first (the undo's gain on them is not in the journal). Kept in memory per room (a restart of the server forgets it: an undo then is
// repaired away like a stretch, and every client converges on that).
// Pure (Yjs only); the collaboration server's guard keeps one per room document.
import * as Y from 'yjs';
import { runsOf, touchesSuggestionMarkers, type RepairPlan } from './suggestions-repair';
import { attrBase as base, sameValue as same } from './suggestion-attrs';

/** How long the markers an undo re-created are remembered (ms), as suggestions-decided.ts's window. */
export const UNDONE_WINDOW_MS = 3000;
/** At most this many re-created markers remembered per room. */
const MAX_RECREATED = 500;

/** Decisions remembered per room (the oldest are forgotten first). */
const MAX_DECISIONS = 200;
/** Characters remembered per decision (an accept-all of a long draft is cut here: the rest cannot be undone). */
const MAX_CHARS = 50_000;


/** Whether the undo may give the character (client, clock) attribute `key` with `value`. */
export type Restorable = (client: number, clock: number, key: string, value: unknown) => boolean;

interface Entry {
  by: string;
  /** "client:clock" → attribute key → the value the decision removed. */
  removed: Map<string, Map<string, string>>;
}

export class DecisionJournal {
  private readonly entries = new Map<string, Entry>();
  /** Suggestion markers an undo re-created: "client:clock" → who undid, when. */
  private readonly recreated = new Map<string, { by: string; at: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Remembers the suggestion markers transaction `tr` (an undo of a decision by `by`) wrote. Call in 'afterTransaction'. */
  noteUndo(by: string, tr: Y.Transaction): void {
    const at = this.now();
    for (const type of tr.changed.keys()) {
      if (!(type instanceof Y.XmlText)) continue;
      for (let it = type._start; it !== null; it = it.right) {
        if (!(it.content instanceof Y.ContentFormat) || it.deleted || it.content.value === null || !base(it.content.key).startsWith('suggest')) continue;
        if (it.id.clock >= (tr.beforeState.get(it.id.client) ?? 0)) this.recreated.set(`${it.id.client}:${it.id.clock}`, { by, at });
      }
    }
    for (const [k, m] of this.recreated) if (at - m.at > UNDONE_WINDOW_MS) this.recreated.delete(k);
    while (this.recreated.size > MAX_RECREATED) this.recreated.delete(this.recreated.keys().next().value as string);
  }

  /**
   * For transaction `tr` of `updater`: their new text that carries a suggestion only from a marker another user's
   * undo re-created within the window gets the value in force before that marker. Adds the steps to `plan`.
   */
  planUndoInherited(tr: Y.Transaction, updater: string, plan: RepairPlan): void {
    if (this.recreated.size === 0) return;
    const now = this.now();
    const fresh = (it: Y.Item): boolean => {
      const m = this.recreated.get(`${it.id.client}:${it.id.clock}`);
      return m !== undefined && m.by !== updater && now - m.at <= UNDONE_WINDOW_MS;
    };
    for (const type of tr.changed.keys()) {
      if (!(type instanceof Y.XmlText) || type._item?.deleted) continue;
      const current = new Map<string, { value: unknown; prev: unknown; marker: Y.Item }>();
      let index = 0;
      for (let it = type._start; it !== null; it = it.right) {
        if (it.deleted) continue;
        if (it.content instanceof Y.ContentFormat) {
          current.set(it.content.key, { value: it.content.value, prev: current.get(it.content.key)?.value ?? null, marker: it });
          continue;
        }
        if (!it.countable) continue;
        if (it.id.clock >= (tr.beforeState.get(it.id.client) ?? 0)) {
          const attributes: Record<string, unknown> = {};
          for (const [key, c] of current) if (c.value !== null && base(key).startsWith('suggest') && fresh(c.marker)) attributes[key] = c.prev;
          if (Object.keys(attributes).length) {
            plan.steps.push({ kind: 'format', text: type, index, length: it.length, attributes, chars: it.length });
            plan.stretched += it.length;
          }
        }
        index += it.length;
      }
    }
  }

  /** Notes what transaction `tr` (decision `id` of `by`, or its redo) removed. Call in 'afterTransaction'. */
  note(by: string, id: string, tr: Y.Transaction): void {
    let entry = this.entries.get(id);
    if (entry && entry.by !== by) return; // an id is its first decider's
    let count = entry ? [...entry.removed.values()].reduce((n, m) => n + m.size, 0) : 0;
    for (const type of tr.changed.keys()) {
      if (!(type instanceof Y.XmlText) || type._item?.deleted || !touchesSuggestionMarkers(type, tr)) continue;
      for (const run of runsOf(type, tr)) {
        if (!run.visibleBefore || !run.visibleAfter) continue;
        for (const [key, value] of Object.entries(run.before)) {
          if (!base(key).startsWith('suggest') || value == null || same(value, run.after[key])) continue;
          if (!entry) this.entries.set(id, (entry = { by, removed: new Map() }));
          for (let i = 0; i < run.length && count < MAX_CHARS; i++, count++) {
            const at = `${run.item.id.client}:${run.item.id.clock + i}`;
            let attrs = entry.removed.get(at);
            if (!attrs) entry.removed.set(at, (attrs = new Map()));
            attrs.set(key, JSON.stringify(value));
          }
        }
      }
    }
    if (entry) {
      // Most recent last.
      this.entries.delete(id);
      this.entries.set(id, entry);
    }
    while (this.entries.size > MAX_DECISIONS) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** What the undo of decision `id` by `by` may put back (nothing for someone else's decision or an unknown one). */
  restorable(by: string, id: string): Restorable {
    const entry = this.entries.get(id);
    if (!entry || entry.by !== by) return () => false;
    return (client, clock, key, value) => entry.removed.get(`${client}:${clock}`)?.get(key) === JSON.stringify(value);
  }
}
