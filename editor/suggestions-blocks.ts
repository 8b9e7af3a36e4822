// A whole block a suggest-only author deleted in a race with a drafter's decision (issue 15). In suggestion mode
// deleting a whole paragraph (clause, list item, table row …) puts it back marked `suggestion: { kind: 'delete' }`
// (suggestions-plugin.ts `markDeleted`); only the author's own pending block insertion is really deleted (a
// withdrawal). When a drafter accepts that insertion at the same moment, the author's update arrives as a real
// deletion of a block that is now part of the text — a change a suggest-only user may not make, which the guard
// used to refuse (socket closed, the author's edit lost), and which the text repair of suggestions-repair.ts
// cannot express (it only puts back characters of a text that still exists).
// `planBlockRestores` reads the one Yjs transaction of the author's update (in 'afterTransaction', while the
// deleted content is still there) and, for every block element it deleted that was not the author's own pending
// insertion, plans to put a copy back where it was, as it was before the transaction, marked the way the plugin
// marks a whole deleted block: the author's suggested deletion of the block (its text as it was). Nested
// blocks and texts follow `markDeleted`: the author's own pending insertions inside are dropped, others'
// suggestions kept as they are.
// Pure (Yjs only, no I/O).
import * as Y from 'yjs';
import { SUGGEST_DELETE, SUGGEST_INSERT, SUGGESTION_NODE_TYPES, type SuggestionAuthor } from './schema';
import { isUnder } from './suggestions-provenance';
import { attrBase as base, authorOfValue as by, visibleBefore } from './suggestion-attrs';
import { YJS_FRAGMENT } from './ydoc';

type Attrs = Record<string, unknown>;

/** A block as it was before the transaction: its node name, attributes and children (texts as Yjs deltas). */
export interface BlockCopy {
  name: string;
  attrs: Attrs;
  children: (BlockCopy | { insert: string; attributes: Attrs }[])[];
}

/** Putting one deleted block back: a copy inserted at `index` of `parent` (`order`: its place among siblings). */
export interface BlockRestore {
  parent: Y.XmlElement | Y.XmlFragment;
  index: number;
  order: number;
  copy: BlockCopy;
  chars: number;
}

const SUGGESTION_TYPES = new Set(SUGGESTION_NODE_TYPES);
const blockOf = (attrs: Attrs): { kind?: unknown; by?: unknown } | null => {
  const s = attrs.suggestion;
  return s && typeof s === 'object' ? (s as { kind?: unknown; by?: unknown }) : null;
};

/** The element's attributes before the transaction (the newest entry of each key that was visible then). */
function attrsBefore(el: Y.XmlElement, tr: Y.Transaction): Attrs {
  const out: Attrs = {};
  for (const [key, last] of el._map) {
    for (let item: Y.Item | null = last; item !== null; item = item.left) {
      if (!visibleBefore(item, tr)) continue;
      const content = item.content.getContent();
      if (item.content instanceof Y.ContentAny && content.length) out[key] = content[content.length - 1];
      break;
    }
  }
  return out;
}

/** The text's content before the transaction as a Yjs delta, marked as deleted by `author` (see the header). */
function textBefore(text: Y.XmlText, tr: Y.Transaction, author: SuggestionAuthor): { insert: string; attributes: Attrs }[] | null {
  const attrs = new Map<string, unknown>();
  const out: { insert: string; attributes: Attrs }[] = [];
  for (let item = text._start; item !== null; item = item.right) {
    if (!visibleBefore(item, tr)) continue;
    if (item.content instanceof Y.ContentFormat) {
      const { key, value } = item.content;
      if (value === null) attrs.delete(key);
      else attrs.set(key, value);
      continue;
    }
    if (!item.countable) continue;
    if (!(item.content instanceof Y.ContentString)) return null;
    const now = Object.fromEntries(attrs) as Attrs;
    const keys = Object.keys(now).filter((k) => base(k).startsWith('suggest'));
    if (keys.some((k) => base(k) === SUGGEST_INSERT && by(now[k]) === author.by)) continue;
    const attributes: Attrs = keys.length ? now : { ...now, [SUGGEST_DELETE]: { ...author } };
    out.push({ insert: item.content.str, attributes });
  }
  return out;
}

/**
 * The block as it was before the transaction, marked as deleted by `author` as suggestions-plugin.ts
 * `markDeleted` marks a whole block: a block whose type takes a block suggestion gets the author's (its content
 * stays as it was), one that carries a suggestion keeps it, others have their text marked deleted. `marked`:
 * inside a block already marked, everything stays as it was. 'drop': the author's own pending block insertion
 * (a withdrawal); null: content a copy cannot express.
 */
function copyBefore(el: Y.XmlElement, tr: Y.Transaction, author: SuggestionAuthor, marked: boolean): BlockCopy | null | 'drop' {
  const attrs = attrsBefore(el, tr);
  const block = blockOf(attrs);
  if (!marked && block?.kind === 'insert' && by(block) === author.by) return 'drop';
  const flagged = marked || block !== null || SUGGESTION_TYPES.has(el.nodeName);
  if (!block && SUGGESTION_TYPES.has(el.nodeName) && !marked) attrs.suggestion = { kind: 'delete', ...author };
  const children: BlockCopy['children'] = [];
  for (let item = el._start; item !== null; item = item.right) {
    if (!visibleBefore(item, tr) || !(item.content instanceof Y.ContentType)) continue;
    const type = item.content.type;
    if (type instanceof Y.XmlText) {
      // Inside a block flagged as a whole, the text stays as it was (the plugin keeps it so).
      const delta = flagged ? textAsIs(type, tr) : textBefore(type, tr, author);
      if (!delta) return null;
      children.push(delta);
    } else if (type instanceof Y.XmlElement) {
      const child = copyBefore(type, tr, author, flagged);
      if (child === null) return null;
      if (child !== 'drop') children.push(child);
    } else return null;
  }
  return { name: el.nodeName, attrs, children };
}

/** The text's content before the transaction, attributes unchanged. */
function textAsIs(text: Y.XmlText, tr: Y.Transaction): { insert: string; attributes: Attrs }[] | null {
  const attrs = new Map<string, unknown>();
  const out: { insert: string; attributes: Attrs }[] = [];
  for (let item = text._start; item !== null; item = item.right) {
    if (!visibleBefore(item, tr)) continue;
    if (item.content instanceof Y.ContentFormat) {
      if (item.content.value === null) attrs.delete(item.content.key);
      else attrs.set(item.content.key, item.content.value);
    } else if (item.countable) {
      if (!(item.content instanceof Y.ContentString)) return null;
      out.push({ insert: item.content.str, attributes: Object.fromEntries(attrs) });
    }
  }
  return out;
}

/**
 * Whether the transaction put a new element of the same type right where it deleted this one: y-prosemirror's
 * diff replaces a block it cannot update in place by deleting it and inserting a new one — not a deletion.
 */
function recreated(item: Y.Item, tr: Y.Transaction): boolean {
  const name = (item.content as Y.ContentType).type instanceof Y.XmlElement ? ((item.content as Y.ContentType).type as Y.XmlElement).nodeName : '';
  const isNewTwin = (it: Y.Item): boolean =>
    it.id.clock >= (tr.beforeState.get(it.id.client) ?? 0) && !it.deleted && it.content instanceof Y.ContentType && it.content.type instanceof Y.XmlElement && it.content.type.nodeName === name;
  for (const step of ['left', 'right'] as const) {
    for (let it = item[step]; it !== null; it = it[step]) {
      if (isNewTwin(it)) return true;
      // Past siblings this transaction deleted too (several blocks replaced at once), nothing else.
      if (!(it.deleted && Y.isDeleted(tr.deleteSet, it.id))) break;
    }
  }
  return false;
}

const charsOf = (copy: BlockCopy): number =>
  copy.children.reduce((n, c) => n + (Array.isArray(c) ? c.reduce((m, d) => m + d.insert.length, 0) : charsOf(c)), 0);

/**
 * The blocks transaction `tr` (a suggest-only author's update, just applied) deleted that must come back as
 * the author's suggested deletion. `impossible` when a deleted block holds content a copy cannot express.
 * Call inside the document's 'afterTransaction' event.
 */
export function planBlockRestores(tr: Y.Transaction, author: SuggestionAuthor): { restores: BlockRestore[]; withdrawn: Withdrawal[]; impossible: boolean } {
  const restores: BlockRestore[] = [];
  const withdrawn: Withdrawal[] = [];
  let impossible = false;
  Y.iterateDeletedStructs(tr, tr.deleteSet, (item) => {
    if (!(item instanceof Y.Item) || !(item.content instanceof Y.ContentType) || !(item.content.type instanceof Y.XmlElement)) return;
    if (!visibleBefore(item, tr)) return;
    const parent = item.parent;
    if (!(parent instanceof Y.XmlElement || parent instanceof Y.XmlFragment)) return;
    // Only the topmost deleted block: one inside it comes back with it.
    if (parent._item?.deleted || !isUnder(parent as Y.AbstractType<unknown>, YJS_FRAGMENT)) return;
    if (recreated(item, tr)) return;
    const copy = copyBefore(item.content.type, tr, author, false);
    if (copy === 'drop') {
      // The author's own pending block insertion: withdrawn (remembered in case a drafter's accept of it follows).
      const asIs = copyBefore(item.content.type, tr, author, true);
      const sid = blockOf(asIs !== null && asIs !== 'drop' ? asIs.attrs : {}) as { sid?: unknown } | null;
      if (asIs !== null && asIs !== 'drop' && sid) withdrawn.push({ id: item.id, sid: String(sid.sid), author: { ...author }, copy: asIs });
      return;
    }
    if (copy === null) {
      impossible = true;
      return;
    }
    let index = 0;
    let order = 0;
    for (let it = parent._start; it !== null && it !== item; it = it.right) {
      order += 1;
      if (!it.deleted && it.countable) index += it.length;
    }
    restores.push({ parent, index, order, copy, chars: Math.max(1, charsOf(copy)) });
  });
  return { restores, withdrawn, impossible };
}

/** Writes a block copy into `parent` at `index` (inside a transaction). */
export function insertBlockCopy(parent: Y.XmlElement | Y.XmlFragment, index: number, copy: BlockCopy): void {
  const el = new Y.XmlElement(copy.name);
  parent.insert(index, [el]);
  for (const [key, value] of Object.entries(copy.attrs)) if (value != null) el.setAttribute(key, value as string);
  copy.children.forEach((child, i) => {
    if (Array.isArray(child)) {
      const text = new Y.XmlText();
      el.insert(i, [text]);
      text.applyDelta(child.map((d) => ({ insert: d.insert, attributes: Object.fromEntries(Object.entries(d.attributes).filter(([, v]) => v != null)) })));
    } else insertBlockCopy(el, i, child);
  });
}

/** A block its author withdrew (deleted their own pending insertion of it): its element and content as it was. */
export interface Withdrawal {
  id: Y.ID;
  sid: string;
  author: SuggestionAuthor;
  copy: BlockCopy;
}

/** How long a withdrawal is remembered (ms): a round trip of the race, with margin (as DECIDED_WINDOW_MS). */
export const WITHDRAWN_WINDOW_MS = 3000;
const MAX_WITHDRAWN = 200;

/**
 * The blocks suggest-only authors withdrew in a room, remembered briefly by suggestion id (one per room
 * document). When a drafter's accept of such a block arrives after the withdrawal (the accept then changes a
 * deleted element: nothing), the block comes back accepted, as the author's suggested deletion — what the other
 * order of arrival gives (the guard turns the withdrawal arriving after the accept into that deletion).
 */
export class WithdrawnBlocks {
  private readonly entries = new Map<string, Withdrawal & { at: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  note(list: readonly Withdrawal[]): void {
    const at = this.now();
    for (const w of list) this.entries.set(w.sid, { ...w, at });
    for (const [k, w] of this.entries) if (at - w.at > WITHDRAWN_WINDOW_MS) this.entries.delete(k);
    while (this.entries.size > MAX_WITHDRAWN) this.entries.delete(this.entries.keys().next().value as string);
  }

  /**
   * For a drafter's accept of `sids` (their decision record): the withdrawn blocks among them, still deleted,
   * as blocks to put back accepted and marked as their author's suggested deletion. Each is given once.
   */
  takeAccepted(doc: Y.Doc, sids: ReadonlySet<string>): BlockRestore[] {
    const out: BlockRestore[] = [];
    const now = this.now();
    for (const sid of sids) {
      const w = this.entries.get(sid);
      if (!w) continue;
      this.entries.delete(sid);
      if (now - w.at > WITHDRAWN_WINDOW_MS) continue;
      let item: Y.AbstractStruct;
      try {
        item = Y.getItem(doc.store, w.id);
      } catch {
        continue;
      }
      if (!(item instanceof Y.Item) || !item.deleted) continue;
      const parent = item.parent;
      if (!(parent instanceof Y.XmlElement || parent instanceof Y.XmlFragment) || parent._item?.deleted) continue;
      let index = 0;
      let order = 0;
      for (let it = parent._start; it !== null && it !== item; it = it.right) {
        order += 1;
        if (!it.deleted && it.countable) index += it.length;
      }
      const copy = accepted(w.copy, sid);
      copy.attrs.suggestion = { kind: 'delete', ...w.author };
      out.push({ parent, index, order, copy, chars: Math.max(1, charsOf(copy)) });
    }
    return out;
  }
}

/** The copy with suggestion `sid` accepted (its block attribute and text marks dropped). */
function accepted(copy: BlockCopy, sid: string): BlockCopy {
  const ofSid = (v: unknown): boolean => !!v && typeof v === 'object' && String((v as { sid?: unknown }).sid) === sid;
  const attrs = { ...copy.attrs };
  if (ofSid(attrs.suggestion)) attrs.suggestion = null;
  const children = copy.children.map((c) =>
    Array.isArray(c)
      ? c.map((d) => ({ insert: d.insert, attributes: Object.fromEntries(Object.entries(d.attributes).map(([k, v]) => [k, base(k) === SUGGEST_INSERT && ofSid(v) ? null : v])) }))
      : accepted(c, sid),
  );
  return { name: copy.name, attrs, children };
}
