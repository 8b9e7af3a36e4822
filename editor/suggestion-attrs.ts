// Reading suggestion format attributes and item visibility off a Yjs transaction (issue 15): the small
// helpers the server's suggestion check, repair, journal and block restores all read Yjs with. Pure (Yjs only).
import * as Y from 'yjs';

/** The mark name of a format key (y-prosemirror writes `name--hash` for marks that may overlap). */
export const attrBase = (key: string): string => key.split('--')[0];
/** The author named by a suggestion value, as text (undefined when the value is not an object). */
export const authorOfValue = (value: unknown): string | undefined => (value && typeof value === 'object' ? String((value as { by?: unknown }).by) : undefined);
/** Format values compared by content when they are not the same object (two markers setting equal values). */
export const sameValue = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** A format marker sets its attribute from here on (null removes it). */
export function setAttr(attrs: Map<string, unknown>, key: string, value: unknown): void {
  if (value === null) attrs.delete(key);
  else attrs.set(key, value);
}

/** Whether the item was in the document before transaction `tr`. */
export const existedBefore = (item: Y.Item, tr: Y.Transaction): boolean => item.id.clock < (tr.beforeState.get(item.id.client) ?? 0);

/** Whether the item existed before the transaction and was visible then. */
export const visibleBefore = (item: Y.Item, tr: Y.Transaction): boolean => existedBefore(item, tr) && (!item.deleted || Y.isDeleted(tr.deleteSet, item.id));
