// Redline copy (修改对照稿, issue 13): the newer version of a standard as a DOCX on the same GB/T 1.1 layout
// as the stage drafts (activities/docx generateStandardDocx and body.ts), with Word's own tracked changes
// against the older version: inserted text as `w:ins`, deleted text as `w:del`, each with author and date.
// The two bodies are merged into one document model: block children are aligned per container (by `id`
// when both have one, else by type and text; a removed and an added block of the same type next to each other
// are the same block changed when at least 40 % of its text is kept), changed text blocks are diffed character by character (diffChars, which
// suits Chinese), and whole inserted or deleted blocks (paragraphs, clauses) carry their text as one
// insertion or deletion. inline.ts turns the marks into InsertedTextRun / DeletedTextRun.
// Text with formatting marks or cross-references is diffed as a sequence of characters-with-their-marks, so a
// changed character, a formatting-only change (the text deleted as it was, inserted as it is) and a moved
// reference are tracked where they are instead of the whole paragraph. Cross-references become text here: a
// deleted one reads the older version's number, an inserted one the newer's, and a kept one whose target was
// renumbered (5.2 → 5.3 after an inserted clause) shows the old number deleted and the new one inserted.
import { diffArrays, diffChars } from 'diff';
import type { DocJSON, MarkJSON, NodeJSON } from '../../editor/types';
import { computeNumbering, xrefText, type Numbering } from '../../editor/numbering';
import { generateStandardDocx, type GenerateOptions } from '../docx/generate';
import { REDLINE_DEL, REDLINE_INS, withTracking } from '../docx/inline';
import { agreedText } from '../docx/agreed-text';

export interface RedlineOptions extends Omit<GenerateOptions, 'body' | 'numbering'> {
  older: DocJSON;
  newer: DocJSON;
  author: string;
  /** ISO date-time of the changes; now by default. */
  date?: string;
}

/** A redline mark: not one of the editor's marks, read only by activities/docx/inline.ts. */
const redlineMark = (type: string): MarkJSON => ({ type }) as unknown as MarkJSON;

const INLINE = new Set(['text', 'xref']);
const isTextblock = (n: NodeJSON): boolean => (n.content ?? []).some((c) => INLINE.has(c.type)) || (n.content === undefined && n.type !== 'text');

// Blocks are compared many times while aligning (diffArrays): each block's text is computed once.
const plainCache = new WeakMap<NodeJSON, string>();
function plain(n: NodeJSON): string {
  if (n.type === 'text') return n.text ?? '';
  if (n.type === 'xref') return `\u0000${String(n.attrs?.target ?? '')}`;
  const cached = plainCache.get(n);
  if (cached !== undefined) return cached;
  const s = (n.content ?? []).map(plain).join('\u0001');
  plainCache.set(n, s);
  return s;
}

const idOf = (n: NodeJSON): string | undefined => (typeof n.attrs?.id === 'string' && n.attrs.id ? n.attrs.id : undefined);

function sameBlock(a: NodeJSON, b: NodeJSON): boolean {
  if (a.type !== b.type) return false;
  const ia = idOf(a);
  const ib = idOf(b);
  if (ia || ib) return ia === ib;
  return plain(a) === plain(b);
}

/** The numberings of the two versions: what a cross-reference reads in each. */
export interface Versions {
  older: Numbering;
  newer: Numbering;
}

const textNode = (text: string, marks: readonly MarkJSON[] | undefined, extra?: string): NodeJSON => {
  const all = [...(marks ?? []), ...(extra ? [redlineMark(extra)] : [])];
  return { type: 'text', text, ...(all.length ? { marks: all } : {}) };
};

/** A cross-reference as text: deleted (older number), inserted (newer number), or kept (tracked if renumbered). */
function xrefAsText(n: NodeJSON, how: 'del' | 'ins' | 'same', v: Versions): NodeJSON[] {
  const target = String(n.attrs?.target ?? '');
  const was = xrefText(v.older, target);
  const is = xrefText(v.newer, target);
  if (how === 'del') return [textNode(was, n.marks, REDLINE_DEL)];
  if (how === 'ins') return [textNode(is, n.marks, REDLINE_INS)];
  if (was === is || !was) return [textNode(is, n.marks)];
  return [textNode(was, n.marks, REDLINE_DEL), textNode(is, n.marks, REDLINE_INS)];
}

function mark(n: NodeJSON, markType: string, v: Versions): NodeJSON {
  if (n.type === 'text') return { ...n, marks: [...(n.marks ?? []), redlineMark(markType)] };
  if (n.type === 'xref') return xrefAsText(n, markType === REDLINE_DEL ? 'del' : 'ins', v)[0];
  return n.content ? { ...n, content: n.content.map((c) => mark(c, markType, v)) } : n;
}

/** A text block kept as it is: only its cross-references become text (tracked when renumbered). */
function keep(n: NodeJSON, v: Versions): NodeJSON {
  if (!n.content?.some((c) => c.type === 'xref')) return n;
  return { ...n, content: n.content.flatMap((c) => (c.type === 'xref' ? xrefAsText(c, 'same', v) : [c])) };
}

interface Token {
  /** Equal tokens are the same character with the same marks, or the same non-text inline node. */
  key: string;
  node: NodeJSON;
}

function tokens(nodes: readonly NodeJSON[]): Token[] {
  const out: Token[] = [];
  for (const n of nodes) {
    if (n.type !== 'text') {
      out.push({ key: `n${JSON.stringify(n)}`, node: n });
      continue;
    }
    const marks = JSON.stringify(n.marks ?? []);
    for (const ch of Array.from(n.text ?? '')) out.push({ key: `t${marks}\u0002${ch}`, node: { ...n, text: ch } });
  }
  return out;
}

/** Inline nodes from diffed tokens: neighbouring characters with the same marks and change joined again. */
function fromTokens(parts: { tokens: Token[]; how: 'del' | 'ins' | 'same' }[], v: Versions): NodeJSON[] {
  const out: NodeJSON[] = [];
  const extra = { del: REDLINE_DEL, ins: REDLINE_INS, same: undefined } as const;
  for (const { tokens: ts, how } of parts) {
    for (const t of ts) {
      const add = t.node.type === 'xref' ? xrefAsText(t.node, how, v) : t.node.type === 'text' ? [textNode(t.node.text ?? '', t.node.marks, extra[how])] : [how === 'same' ? t.node : mark(t.node, extra[how] as string, v)];
      for (const a of add) {
        const last = out[out.length - 1];
        if (a.type === 'text' && last?.type === 'text' && JSON.stringify(last.marks ?? []) === JSON.stringify(a.marks ?? [])) out[out.length - 1] = { ...last, text: (last.text ?? '') + (a.text ?? '') };
        else out.push(a);
      }
    }
  }
  return out;
}

/** The inline children of a changed text block: equal runs kept, the rest marked inserted or deleted. */
function diffInline(older: NodeJSON, newer: NodeJSON, v: Versions): NodeJSON {
  const a = older.content ?? [];
  const b = newer.content ?? [];
  const simple = (xs: NodeJSON[]) => xs.every((x) => x.type === 'text' && !(x.marks ?? []).length);
  if (simple(a) && simple(b)) {
    // Plain text on both sides (most paragraphs): a character diff of the strings, the quick path.
    const parts = diffChars(a.map((x) => x.text ?? '').join(''), b.map((x) => x.text ?? '').join(''));
    const content: NodeJSON[] = parts
      .filter((p) => p.value.length > 0)
      .map((p): NodeJSON => ({ type: 'text', text: p.value, ...(p.added ? { marks: [redlineMark(REDLINE_INS)] } : p.removed ? { marks: [redlineMark(REDLINE_DEL)] } : {}) }));
    return { ...newer, content };
  }
  // Formatting marks or cross-references: characters compared with their marks, references as wholes.
  const changes = diffArrays(tokens(a), tokens(b), { comparator: (x, y) => x.key === y.key });
  return { ...newer, content: fromTokens(changes.map((c) => ({ tokens: c.value, how: c.added ? 'ins' : c.removed ? 'del' : 'same' })), v) };
}

/** Share of the longer text kept unchanged: below SIMILAR a paragraph counts as deleted and another inserted. */
const SIMILAR = 0.4;
function similar(a: NodeJSON, b: NodeJSON): boolean {
  if (!isTextblock(a) || !isTextblock(b)) return true;
  const x = plain(a);
  const y = plain(b);
  const kept = diffChars(x, y).reduce((n, p) => n + (p.added || p.removed ? 0 : p.value.length), 0);
  return kept >= SIMILAR * Math.max(x.length, y.length, 1);
}

/** Same text and same formatting (a formatting-only change is a change). */
const sameInline = (a: NodeJSON, b: NodeJSON): boolean => plain(a) === plain(b) && JSON.stringify((a.content ?? []).map((c) => c.marks ?? [])) === JSON.stringify((b.content ?? []).map((c) => c.marks ?? []));

function mergeNode(older: NodeJSON, newer: NodeJSON, v: Versions): NodeJSON {
  if (isTextblock(newer) && isTextblock(older)) return sameInline(older, newer) ? keep(newer, v) : diffInline(older, newer, v);
  return { ...newer, content: mergeChildren(older.content ?? [], newer.content ?? [], v) };
}

function mergeChildren(older: NodeJSON[], newer: NodeJSON[], v: Versions): NodeJSON[] {
  const out: NodeJSON[] = [];
  const changes = diffArrays(older, newer, { comparator: sameBlock });
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i];
    const next = changes[i + 1];
    if (c.removed && next?.added) {
      // Pair removed and added blocks of the same type in order: a block edited in place.
      const removed = [...c.value];
      const added = [...next.value];
      while (removed.length || added.length) {
        const r = removed[0];
        const a = added[0];
        if (r && a && r.type === a.type && similar(r, a)) {
          out.push(mergeNode(r, a, v));
          removed.shift();
          added.shift();
        } else if (r && (!a || removed.length >= added.length)) out.push(mark(removed.shift()!, REDLINE_DEL, v));
        else out.push(mark(added.shift()!, REDLINE_INS, v));
      }
      i += 1;
    } else if (c.removed) out.push(...c.value.map((n) => mark(n, REDLINE_DEL, v)));
    else if (c.added) out.push(...c.value.map((n) => mark(n, REDLINE_INS, v)));
    else {
      // Equal by id or text: the older counterpart is at the same offset within this part.
      const base = changes.slice(0, i).filter((x) => !x.added).reduce((s, x) => s + (x.count ?? x.value.length), 0);
      c.value.forEach((n, k) => out.push(mergeNode(older[base + k], n, v)));
    }
  }
  return out;
}

/** The merged body: the newer document with the older one's deleted text kept and marked. */
export function mergeForRedline(older: DocJSON, newer: DocJSON, versions?: Versions): DocJSON {
  return mergeNode(older as NodeJSON, newer as NodeJSON, versions ?? { older: computeNumbering(older), newer: computeNumbering(newer) }) as DocJSON;
}

/**
 * The numbers a redline prints (table, figure and formula labels, the 目次's lines): each element numbered as
 * in the version it belongs to — kept and inserted ones as in the newer, deleted ones as in the older — rather
 * than counting the deleted elements that stand in the merged body (which would leave 表3 printed where the
 * newer version, and its cross-references, say 表2).
 */
export function redlineNumbering(merged: DocJSON, versions: Versions): Numbering {
  const m = computeNumbering(merged);
  const byId: Numbering['byId'] = {};
  for (const [id, label] of Object.entries(m.byId)) byId[id] = versions.newer.byId[id] ?? versions.older.byId[id] ?? label;
  const labels = new Map<string, string>();
  for (const e of [...versions.older.outline, ...versions.newer.outline]) if (e.id) labels.set(e.id, e.label);
  const outline = m.outline.map((e) => (e.id && labels.has(e.id) ? { ...e, label: labels.get(e.id) as string } : e));
  return { byId, outline };
}

/** The redline's body and numbers, both versions taken as their agreed text (suggestions are proposals). */
export function redlineParts(older: DocJSON, newer: DocJSON): { body: DocJSON; numbering: Numbering } {
  const a = agreedText(older);
  const b = agreedText(newer);
  const versions = { older: computeNumbering(a), newer: computeNumbering(b) };
  const body = mergeForRedline(a, b, versions);
  return { body, numbering: redlineNumbering(body, versions) };
}

/** The redline DOCX: the newer version on the stage-draft layout with tracked changes against the older. */
export async function generateRedlineDocx(opts: RedlineOptions): Promise<Buffer> {
  const { older, newer, author, date, ...rest } = opts;
  // Suggested changes are proposals: both versions compare as their agreed text (activities/docx/agreed-text.ts).
  const { body, numbering } = redlineParts(older, newer);
  return withTracking({ author, date: date ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z') }, () => generateStandardDocx({ ...rest, body, numbering }));
}
