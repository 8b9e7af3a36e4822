// The quick check of a suggest-only author's update (issue 15), read off the one Yjs transaction the update
// made, in time proportional to the changed paragraph's Yjs items and without building any ProseMirror form.
// It answers yes only for the everyday shapes of suggesting inside one paragraph's text:
//   - new characters that carry exactly the author's own `suggestInsert` (typing, pasting plain text);
//   - deleted characters that were the author's own pending insertion (withdrawing it: Backspace);
//   - existing characters that gain or lose the author's own `suggestDelete` and carry no other suggestion;
// with nothing else changed: no other text, element, attribute or map, no formatting of existing text, no
// suggestion id of someone else reused. Whatever it does not recognise goes to the full check
// (editor/suggestions-ydoc.ts `isSuggestionOnlyUpdate` with the repair of editor/suggestions-repair.ts), so a
// "no" here is never a refusal. Its "yes" implies the full check's yes for the same transaction (the text with
// all suggestions rejected is unchanged, the others' suggestions are untouched, none is in another name):
// test/editor/suggestions-quick-check.test.ts compares both on random edits, hostile ones included.
// Pure (Yjs only); the collaboration server's guard runs it on its shadow copy of the room.
import * as Y from 'yjs';
import { SUGGEST_DELETE, SUGGEST_INSERT } from './schema';
import { attrBase, sameValue, setAttr, visibleBefore } from './suggestion-attrs';

type Value = Record<string, unknown> | null | undefined;

const isSuggestionKey = (key: string): boolean => attrBase(key).startsWith('suggest');
/** The author of a suggestion value as it is (not made text: the quick check wants exactly the author's id). */
const byOf = (value: unknown): unknown => (value && typeof value === 'object' ? (value as { by?: unknown }).by : undefined);
/** As the full check reads a suggestion's id (editor/suggestions.ts: `String(mark.attrs.sid)`). */
const sidOf = (value: unknown): string => String(value && typeof value === 'object' ? (value as { sid?: unknown }).sid : undefined);

/** The formatting in force while walking a text: one map for before the transaction, one for after. */
class Formats {
  readonly before = new Map<string, Value>();
  readonly after = new Map<string, Value>();
  /** Keys whose value differs between before and after at the current position. */
  readonly differing = new Set<string>();

  set(key: string, value: Value, before: boolean, after: boolean): void {
    if (before) setAttr(this.before, key, value);
    if (after) setAttr(this.after, key, value);
    if (sameValue(this.before.get(key), this.after.get(key))) this.differing.delete(key);
    else this.differing.add(key);
  }
}

/** The suggestion keys set in `map`, as [key, value] pairs. */
function suggestionEntries(map: Map<string, Value>): [string, Value][] {
  const out: [string, Value][] = [];
  for (const entry of map) if (isSuggestionKey(entry[0])) out.push(entry);
  return out;
}

/** Whether the only suggestion in force is `key` of author `by` (the exact key, no `--` variant). */
function onlyOwn(map: Map<string, Value>, key: string, by: string): boolean {
  const entries = suggestionEntries(map);
  return entries.length === 1 && entries[0][0] === key && byOf(entries[0][1]) === by;
}

/** Suggestion ids of other authors than `by` in the texts of `parent` (the paragraph the full check looks at). */
function othersSids(parent: Y.XmlElement, by: string): Set<string> {
  const out = new Set<string>();
  for (let child = parent._start; child !== null; child = child.right) {
    if (child.deleted || !(child.content instanceof Y.ContentType) || !(child.content.type instanceof Y.XmlText)) continue;
    for (let item = child.content.type._start; item !== null; item = item.right) {
      if (item.deleted || !(item.content instanceof Y.ContentFormat) || !isSuggestionKey(item.content.key)) continue;
      const value = item.content.value as Value;
      if (value && byOf(value) !== by) out.add(sidOf(value));
    }
  }
  return out;
}

/**
 * Whether transaction `tr` (just applied; call from 'afterTransaction') only adds, withdraws or marks text as
 * suggestions of author `by` inside one Y.XmlText, in the shapes listed above. False means "not known to be
 * so": the caller runs the full check.
 */
export function isQuickSuggestion(tr: Y.Transaction, by: string): boolean {
  if (tr.changed.size !== 1) return false;
  const [[type, keys]] = [...tr.changed];
  if (!(type instanceof Y.XmlText) || type._item === null || type._item.deleted) return false;
  // Content only (the null key); an attribute of the text node itself is not something the editor writes.
  if (keys.size !== 1 || !keys.has(null)) return false;
  const parent = type._item.parent;
  if (!(parent instanceof Y.XmlElement)) return false;
  const formats = new Formats();
  // Ids of the author's suggestions this transaction starts or extends.
  const newSids = new Set<string>();
  for (let item: Y.Item | null = type._start; item !== null; item = item.right) {
    const wasVisible = visibleBefore(item, tr);
    const visibleAfter = !item.deleted;
    if (item.content instanceof Y.ContentFormat) {
      formats.set(item.content.key, item.content.value as Value, wasVisible, visibleAfter);
      continue;
    }
    if (!item.countable || (!wasVisible && !visibleAfter)) continue;
    if (wasVisible && visibleAfter) {
      // Existing text: unchanged, or gaining / losing the author's own suggested deletion and nothing else.
      for (const key of formats.differing) {
        if (key !== SUGGEST_DELETE) return false;
        const was = formats.before.get(key);
        const now = formats.after.get(key);
        if ((was != null && byOf(was) !== by) || (now != null && byOf(now) !== by)) return false;
        if (now != null) newSids.add(sidOf(now));
      }
      if (formats.differing.size > 0) {
        for (const map of [formats.before, formats.after]) for (const [key] of suggestionEntries(map)) if (key !== SUGGEST_DELETE) return false;
      }
    } else if (visibleAfter) {
      // New text: characters carrying exactly the author's suggested insertion.
      if (!(item.content instanceof Y.ContentString) || !onlyOwn(formats.after, SUGGEST_INSERT, by)) return false;
      newSids.add(sidOf(formats.after.get(SUGGEST_INSERT)));
    } else if (!onlyOwn(formats.before, SUGGEST_INSERT, by)) {
      // Deleted text: only the author's own pending insertion may go (withdrawn).
      return false;
    }
  }
  // The author's new suggestion must not join someone else's under its id.
  if (newSids.size > 0) {
    const others = othersSids(parent, by);
    for (const sid of newSids) if (others.has(sid)) return false;
  }
  return true;
}
