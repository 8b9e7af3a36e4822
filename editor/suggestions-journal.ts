// What each drafter's recent decisions removed (issue 15), so that their undo (Ctrl-Z after an accept or a
// reject) may put exactly that back. The collaboration server notes, for the transaction of a decision, every
// existing character that lost a suggestion attribute (by Yjs item id: the character stays the same item
// through an undo, whose format markers are new) and the value it lost. When the same drafter later sends an
// undo record naming that decision (editor/suggestions-provenance.ts `recordUndo`), the stretch repair
// (editor/suggestions-repair.ts `planStretchRepair`) leaves those characters with that very value; any other
// gain of a suggestion — on text the decision did not change, a value it did not remove, another drafter's
// decision — is still repaired. Text a decision deleted comes back from an undo as new items, which the
// stretch repair does not touch. Kept in memory per room (a restart of the server forgets it: an undo then is
// repaired away like a stretch, and every client converges on that).
// Pure (Yjs only); the collaboration server's guard keeps one per room document.
import * as Y from 'yjs';
import { runsOf, touchesSuggestionMarkers } from './suggestions-repair';

/** Decisions remembered per room (the oldest are forgotten first). */
const MAX_DECISIONS = 200;
/** Characters remembered per decision (an accept-all of a long draft is cut here: the rest cannot be undone). */
const MAX_CHARS = 50_000;

const base = (key: string): string => key.split('--')[0];
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Whether the undo may give the character (client, clock) attribute `key` with `value`. */
export type Restorable = (client: number, clock: number, key: string, value: unknown) => boolean;

interface Entry {
  by: string;
  /** "client:clock" → attribute key → the value the decision removed. */
  removed: Map<string, Map<string, string>>;
}

export class DecisionJournal {
  private readonly entries = new Map<string, Entry>();

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
