// Inline content of the document model (text with marks, cross-references) as docx runs.
import { AsyncLocalStorage } from 'node:async_hooks';
import { CommentRangeEnd, CommentRangeStart, CommentReference, DeletedTextRun, InsertedTextRun, SimpleField, TextRun } from 'docx';
import type { NodeJSON } from '../../editor/types';
import { xrefText, type Numbering } from '../../editor/numbering';

export interface RunOptions {
  size?: number;
  bold?: boolean;
  italics?: boolean;
}

/** Marks of the redline copy (activities/redline): text inserted or deleted since the older version. */
export const REDLINE_INS = 'redlineInsert';
export const REDLINE_DEL = 'redlineDelete';

/**
 * Optional attributes of a redline mark, for the review copy's suggestions (activities/redline/review-suggestions.ts):
 * the change's own author and date instead of the copy's, and `block` when its whole block was proposed — only
 * then is the paragraph mark (or table row) tracked too. Without them a redline mark is the copy's own change.
 */
export interface TrackedMarkAttrs {
  author?: string;
  date?: string;
  block?: boolean;
}

/**
 * Mark of a review copy with Word comments (activities/redline/review-comments.ts): the text a comment covers,
 * `{ id, start?, end? }` — the range opens before the text node flagged `start` and closes after the one
 * flagged `end` (with the comment's reference mark), so one comment may span runs and paragraphs.
 */
export const COMMENT_MARK = 'wordComment';

interface CommentMarkAttrs {
  id: number;
  start?: boolean;
  end?: boolean;
}

interface Tracking {
  author: string;
  date: string;
  nextId: number;
  /** The change of the block whollyTracked() last found proposed whole by its own author (labelRun follows it). */
  lastWhole?: OwnChange;
}
const tracking = new AsyncLocalStorage<Tracking>();

/** A redline mark with its own author (TrackedMarkAttrs). */
interface OwnChange {
  kind: 'ins' | 'del';
  author: string;
  date: string;
  block: boolean;
}
/** Runs written for marks with their own author, and the comment range parts (not text) of inlineRuns. */
const ownChanges = new WeakMap<object, OwnChange>();
const commentParts = new WeakSet<object>();

function ownChangeOf(n: NodeJSON): OwnChange | null {
  const m = ((n.marks ?? []) as ReadonlyArray<{ type: string; attrs?: unknown }>).find((x) => x.type === REDLINE_INS || x.type === REDLINE_DEL);
  const a = (m?.attrs ?? {}) as TrackedMarkAttrs;
  if (!m || typeof a.author !== 'string') return null;
  return { kind: m.type === REDLINE_DEL ? 'del' : 'ins', author: a.author, date: a.date ?? '', block: a.block === true };
}

function firstText(n: NodeJSON): NodeJSON | undefined {
  if (n.type === 'text') return n;
  for (const c of n.content ?? []) {
    const t = firstText(c);
    if (t) return t;
  }
  return undefined;
}

/** Runs `fn` with the redline marks written as Word tracked changes (`w:ins`/`w:del`) by `author` at `date`. */
export function withTracking<T>(who: { author: string; date: string }, fn: () => Promise<T>): Promise<T> {
  return tracking.run({ ...who, nextId: 1 }, fn);
}

/**
 * For the redline copy: a paragraph whose runs are all inserted (or all deleted) has its paragraph mark
 * tracked too, so accepting a deleted paragraph removes it instead of leaving an empty one.
 */
export function paragraphMarkChange(children: readonly unknown[]): { run?: { insertion?: { id: number; author: string; date: string }; deletion?: { id: number; author: string; date: string } } } {
  const track = tracking.getStore();
  // A field (a formula's SEQ number) goes with the runs around it; so do comment ranges.
  const runs = children.filter((c) => !(c instanceof SimpleField) && !commentParts.has(c as object));
  if (!track || runs.length === 0) return {};
  const own = runs.map((r) => ownChanges.get(r as object));
  if (own.some(Boolean)) {
    // Suggestions: the paragraph mark is tracked only for a block proposed whole, as by its proposer.
    const f = own[0];
    if (!f || !own.every((c) => c && c.block && c.kind === f.kind && c.author === f.author)) return {};
    const mark = { id: track.nextId++, author: f.author, date: f.date };
    return { run: f.kind === 'del' ? { deletion: mark } : { insertion: mark } };
  }
  const change = () => ({ id: track.nextId++, author: track.author, date: track.date });
  if (runs.every((c) => c instanceof DeletedTextRun)) return { run: { deletion: change() } };
  if (runs.every((c) => c instanceof InsertedTextRun)) return { run: { insertion: change() } };
  return {};
}

/** 'ins' or 'del' when every text under `nodes` carries that redline mark (a block inserted or deleted whole). */
export function whollyTracked(nodes: readonly NodeJSON[] | NodeJSON | undefined): 'ins' | 'del' | null {
  if (!tracking.getStore() || !nodes) return null;
  const texts: NodeJSON[] = [];
  const walk = (n: NodeJSON): void => {
    if (n.type === 'text') texts.push(n);
    else for (const c of n.content ?? []) walk(c);
  };
  for (const n of Array.isArray(nodes) ? nodes : [nodes as NodeJSON]) walk(n);
  if (texts.length === 0) return null;
  const all = (m: string) => texts.every((t) => (t.marks ?? []).some((x) => (x.type as string) === m));
  const kind = all(REDLINE_INS) ? 'ins' : all(REDLINE_DEL) ? 'del' : null;
  const track = tracking.getStore() as Tracking;
  track.lastWhole = undefined;
  if (!kind) return null;
  const own = texts.map(ownChangeOf);
  if (own.some(Boolean)) {
    // Suggestions: whole only when one proposer proposed the block whole.
    const f = own[0];
    if (!f || !own.every((c) => c && c.block && c.author === f.author)) return null;
    track.lastWhole = f;
  }
  return kind;
}

/**
 * A run of text the renderer adds itself (「式中：」, the formula number's brackets, 「表N（续）」, a 式中
 * symbol): tracked like the block it belongs to when that block was inserted or deleted whole.
 */
export function labelRun(options: ConstructorParameters<typeof TextRun>[0] & object, kind: 'ins' | 'del' | null): TextRun {
  const track = tracking.getStore();
  if (!track || !kind) return new TextRun(options);
  const own = track.lastWhole?.kind === kind ? track.lastWhole : undefined;
  const change = { ...(options as object), id: track.nextId++, author: own?.author ?? track.author, date: own?.date ?? track.date };
  const run = kind === 'del' ? new DeletedTextRun(change) : new InsertedTextRun(change);
  if (own) ownChanges.set(run, own);
  return run as unknown as TextRun;
}

/** The change attributes (w:id, w:author, w:date) of one more tracked change, or null outside a redline; for a
 *  text or block whose (first) redline mark has its own author, that author and date. */
export function nextChange(of?: NodeJSON): { id: number; author: string; date: string } | null {
  const track = tracking.getStore();
  if (!track) return null;
  const first = of ? firstText(of) : undefined;
  const own = first ? ownChangeOf(first) : null;
  return { id: track.nextId++, author: own?.author ?? track.author, date: own ? own.date : track.date };
}

/** The runs of a textblock's inline children; cross-references read their computed numbers. */
export function inlineRuns(nodes: readonly NodeJSON[] | undefined, numbering: Numbering, base: RunOptions = {}): TextRun[] {
  const runs: TextRun[] = [];
  for (const n of nodes ?? []) {
    if (n.type === 'text') {
      const marks = new Set<string>((n.marks ?? []).map((m) => m.type));
      const options = {
        text: n.text ?? '',
        ...base,
        ...(marks.has('em') ? { italics: true } : {}),
        ...(marks.has('strong') ? { bold: true } : {}),
        ...(marks.has('sub') ? { subScript: true } : {}),
        ...(marks.has('sup') ? { superScript: true } : {}),
      };
      // Not one of the editor's marks (like the redline marks): read through a wider type.
      const comments = ((n.marks ?? []) as ReadonlyArray<{ type: string; attrs?: unknown }>).filter((m) => m.type === COMMENT_MARK).map((m) => m.attrs as CommentMarkAttrs);
      // Comment range elements stand where runs do, like the tracked runs below.
      for (const c of comments) if (c.start) runs.push(part(new CommentRangeStart(c.id)));
      const track = tracking.getStore();
      if (track && (marks.has(REDLINE_INS) || marks.has(REDLINE_DEL))) {
        const own = ownChangeOf(n);
        const change = { ...options, id: track.nextId++, author: own?.author ?? track.author, date: own ? own.date : track.date };
        // Tracked runs stand where text runs do (a paragraph takes any run-level child).
        const run = marks.has(REDLINE_DEL) ? new DeletedTextRun(change) : new InsertedTextRun(change);
        if (own) ownChanges.set(run, own);
        runs.push(run as unknown as TextRun);
      } else runs.push(new TextRun(options));
      for (const c of comments) if (c.end) runs.push(part(new CommentRangeEnd(c.id)), part(new TextRun({ children: [new CommentReference(c.id)] })));
    } else if (n.type === 'xref') {
      runs.push(new TextRun({ text: xrefText(numbering, String(n.attrs?.target ?? '')), ...base }));
    }
  }
  return runs;
}

/** A comment range element, standing where runs do. */
function part(x: object): TextRun {
  commentParts.add(x);
  return x as TextRun;
}

/** Plain text of a node (for headings, captions and tests). */
export function plainText(node: NodeJSON | undefined, numbering?: Numbering): string {
  if (!node) return '';
  if (node.type === 'text') return node.text ?? '';
  if (node.type === 'xref') return numbering ? xrefText(numbering, String(node.attrs?.target ?? '')) : '';
  return (node.content ?? []).map((c) => plainText(c, numbering)).join('');
}
