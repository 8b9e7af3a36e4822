// The suggestion markers a drafter's decision just removed, remembered for a few seconds (issue 15). Someone who
// types in suggestion mode inside or right after their own suggestion while another drafter accepts or rejects
// it sends no marker of their own (their editor's text was already inside the suggestion); when the decision
// reaches the server first, it removed the markers their words inherited from, so the words arrive as plain
// text — a direct edit the author never meant (for a drafter; a suggest-only author is handled by the guard's
// own repair). The room remembers the removed markers briefly; a later update's new words that have no
// suggestion of their author and would, in the author's view, have inherited that author's removed marker get
// it back (`planInheritedRepair`). The window bounds the guess: after it, words typed there are taken as meant.
// Pure (Yjs only); the collaboration server's guard keeps one per room document.
import * as Y from 'yjs';
import { SUGGEST_INSERT } from './schema';
import { attrBase as base, authorOfValue as by } from './suggestion-attrs';
import type { RepairPlan } from './suggestions-repair';

/** How long a removed marker is remembered (ms): a round trip of the race, with margin. */
export const DECIDED_WINDOW_MS = 3000;
/** At most this many remembered markers per document. */
const MAX_MARKERS = 500;
/** How far left of new text the marker is looked for (items). */
const MAX_WALK = 5000;

const idKey = (id: Y.ID): string => `${id.client}:${id.clock}`;

export class DecidedMarkers {
  private readonly markers = new Map<string, { key: string; value: unknown; at: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Remembers the suggested-insertion markers transaction `tr` (a decision) deleted. Call in 'afterTransaction'. */
  noteDecision(tr: Y.Transaction): void {
    const at = this.now();
    Y.iterateDeletedStructs(tr, tr.deleteSet, (item) => {
      if (!(item instanceof Y.Item) || !(item.content instanceof Y.ContentFormat)) return;
      const { key, value } = item.content;
      if (base(key) === SUGGEST_INSERT && value !== null) this.markers.set(idKey(item.id), { key, value, at });
    });
    this.prune(at);
  }

  /** The marker removed by a recent decision among the `length` ids from `id` (Yjs merges collected items), if any. */
  get(id: Y.ID, length = 1): { key: string; value: unknown } | undefined {
    const now = this.now();
    for (let i = 0; i < Math.min(length, 64); i++) {
      const m = this.markers.get(`${id.client}:${id.clock + i}`);
      if (m && now - m.at <= DECIDED_WINDOW_MS) return m;
    }
    return undefined;
  }

  get size(): number {
    return this.markers.size;
  }

  private prune(now: number): void {
    for (const [k, m] of this.markers) if (now - m.at > DECIDED_WINDOW_MS) this.markers.delete(k);
    while (this.markers.size > MAX_MARKERS) this.markers.delete(this.markers.keys().next().value as string);
  }
}


/**
 * For transaction `tr` of `updater`: the updater's new text that carries no suggestion but, in the updater's
 * view, inherited their own suggested insertion from a marker a recent decision removed, gets that
 * insertion back. Adds the steps to `plan`. Call inside 'afterTransaction'.
 */
export function planInheritedRepair(tr: Y.Transaction, updater: string, decided: DecidedMarkers, plan: RepairPlan): void {
  if (decided.size === 0) return;
  const isNew = (item: Y.Item): boolean => item.id.clock >= (tr.beforeState.get(item.id.client) ?? 0);
  for (const type of tr.changed.keys()) {
    if (!(type instanceof Y.XmlText) || type._item?.deleted) continue;
    let index = 0;
    const current = new Map<string, unknown>();
    for (let item = type._start; item !== null; item = item.right) {
      if (item.content instanceof Y.ContentFormat) {
        if (!item.deleted) {
          if (item.content.value === null) current.delete(item.content.key);
          else current.set(item.content.key, item.content.value);
        }
        continue;
      }
      if (item.deleted || !item.countable) continue;
      const suggested = [...current.keys()].some((k) => base(k).startsWith('suggest'));
      if (isNew(item) && !suggested) {
        const inherited = inheritedMarker(item, tr, decided);
        if (inherited && by(inherited.value) === updater) {
          plan.steps.push({ kind: 'format', text: type, index, length: item.length, attributes: { [inherited.key]: inherited.value }, chars: item.length });
          plan.unmarked += item.length;
        }
      }
      index += item.length;
    }
  }
}

/**
 * The nearest suggested-insertion marker left of `item` as the updater saw it: a marker still there (or one the
 * updater's transaction wrote) ends the search with nothing to repair; a marker a recent decision removed is the
 * one the updater's text inherited; markers removed otherwise were not in the updater's view.
 */
function inheritedMarker(item: Y.Item, tr: Y.Transaction, decided: DecidedMarkers): { key: string; value: unknown } | undefined {
  let steps = 0;
  for (let left = item.left; left !== null && steps < MAX_WALK; left = left.left, steps++) {
    if (!(left.content instanceof Y.ContentFormat) && !(left.deleted && left.content instanceof Y.ContentDeleted)) continue;
    if (left.content instanceof Y.ContentFormat) {
      if (base(left.content.key) !== SUGGEST_INSERT) continue;
      if (!left.deleted) return undefined;
      if (Y.isDeleted(tr.deleteSet, left.id)) continue;
    }
    const removed = decided.get(left.id, left.length);
    if (removed) return removed;
  }
  return undefined;
}
