// Redline copy (修改对照稿, issue 13): the newer version of a standard as a DOCX on the same GB/T 1.1 layout
// as the stage drafts (activities/docx generateStandardDocx and body.ts), with Word's own tracked changes
// against the older version: inserted text as `w:ins`, deleted text as `w:del`, each with author and date.
// The two bodies are merged into one document model: block children are aligned per container (by `id`
// when both have one, else by type and text; a removed and an added block of the same type next to each other
// are the same block changed when at least 40 % of its text is kept), changed text blocks are diffed character by character (diffChars, which
// suits Chinese), and whole inserted or deleted blocks (paragraphs, clauses) carry their text as one
// insertion or deletion. inline.ts turns the marks into InsertedTextRun / DeletedTextRun.
import { diffArrays, diffChars } from 'diff';
import type { DocJSON, MarkJSON, NodeJSON } from '../../editor/types';
import { generateStandardDocx, type GenerateOptions } from '../docx/generate';
import { REDLINE_DEL, REDLINE_INS, withTracking } from '../docx/inline';
import { agreedText } from '../docx/agreed-text';

export interface RedlineOptions extends Omit<GenerateOptions, 'body'> {
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

function mark(n: NodeJSON, markType: string): NodeJSON {
  if (n.type === 'text') return { ...n, marks: [...(n.marks ?? []), redlineMark(markType)] };
  if (n.type === 'xref') return n;
  return n.content ? { ...n, content: n.content.map((c) => mark(c, markType)) } : n;
}

/** The inline children of a changed text block: equal runs kept, the rest marked inserted or deleted. */
function diffInline(older: NodeJSON, newer: NodeJSON): NodeJSON {
  const a = older.content ?? [];
  const b = newer.content ?? [];
  // Blocks with cross-references or formatting marks in a changed text: whole old content deleted,
  // whole new content inserted (keeps marks and references exact).
  const simple = (xs: NodeJSON[]) => xs.every((x) => x.type === 'text' && !(x.marks ?? []).length);
  if (!simple(a) || !simple(b)) return { ...newer, content: [...a.map((x) => mark(x, REDLINE_DEL)), ...b.map((x) => mark(x, REDLINE_INS))] };
  const parts = diffChars(a.map((x) => x.text ?? '').join(''), b.map((x) => x.text ?? '').join(''));
  const content: NodeJSON[] = parts
    .filter((p) => p.value.length > 0)
      .map((p): NodeJSON => ({ type: 'text', text: p.value, ...(p.added ? { marks: [redlineMark(REDLINE_INS)] } : p.removed ? { marks: [redlineMark(REDLINE_DEL)] } : {}) }));
  return { ...newer, content };
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

function mergeNode(older: NodeJSON, newer: NodeJSON): NodeJSON {
  if (isTextblock(newer) && isTextblock(older)) return plain(older) === plain(newer) ? newer : diffInline(older, newer);
  return { ...newer, content: mergeChildren(older.content ?? [], newer.content ?? []) };
}

function mergeChildren(older: NodeJSON[], newer: NodeJSON[]): NodeJSON[] {
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
          out.push(mergeNode(r, a));
          removed.shift();
          added.shift();
        } else if (r && (!a || removed.length >= added.length)) out.push(mark(removed.shift()!, REDLINE_DEL));
        else out.push(mark(added.shift()!, REDLINE_INS));
      }
      i += 1;
    } else if (c.removed) out.push(...c.value.map((n) => mark(n, REDLINE_DEL)));
    else if (c.added) out.push(...c.value.map((n) => mark(n, REDLINE_INS)));
    else {
      // Equal by id or text: the older counterpart is at the same offset within this part.
      const base = changes.slice(0, i).filter((x) => !x.added).reduce((s, x) => s + (x.count ?? x.value.length), 0);
      c.value.forEach((n, k) => out.push(mergeNode(older[base + k], n)));
    }
  }
  return out;
}

/** The merged body: the newer document with the older one's deleted text kept and marked. */
export function mergeForRedline(older: DocJSON, newer: DocJSON): DocJSON {
  return mergeNode(older as NodeJSON, newer as NodeJSON) as DocJSON;
}

/** The redline DOCX: the newer version on the stage-draft layout with tracked changes against the older. */
export async function generateRedlineDocx(opts: RedlineOptions): Promise<Buffer> {
  const { older, newer, author, date, ...rest } = opts;
  // Suggested changes are proposals: both versions compare as their agreed text (activities/docx/agreed-text.ts).
  const body = mergeForRedline(agreedText(older), agreedText(newer));
  return withTracking({ author, date: date ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z') }, () => generateStandardDocx({ ...rest, body }));
}
