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
}
const tracking = new AsyncLocalStorage<Tracking>();

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
  // A field (a formula's SEQ number) goes with the runs around it.
  const runs = children.filter((c) => !(c instanceof SimpleField));
  if (!track || runs.length === 0) return {};
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
  return all(REDLINE_INS) ? 'ins' : all(REDLINE_DEL) ? 'del' : null;
}

/**
 * A run of text the renderer adds itself (「式中：」, the formula number's brackets, 「表N（续）」, a 式中
 * symbol): tracked like the block it belongs to when that block was inserted or deleted whole.
 */
export function labelRun(options: ConstructorParameters<typeof TextRun>[0] & object, kind: 'ins' | 'del' | null): TextRun {
  const track = tracking.getStore();
  if (!track || !kind) return new TextRun(options);
  const change = { ...(options as object), id: track.nextId++, author: track.author, date: track.date };
  return (kind === 'del' ? new DeletedTextRun(change) : new InsertedTextRun(change)) as unknown as TextRun;
}

/** The change attributes (w:id, w:author, w:date) of one more tracked change, or null outside a redline. */
export function nextChange(): { id: number; author: string; date: string } | null {
  const track = tracking.getStore();
  return track ? { id: track.nextId++, author: track.author, date: track.date } : null;
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
      for (const c of comments) if (c.start) runs.push(new CommentRangeStart(c.id) as unknown as TextRun);
      const track = tracking.getStore();
      if (track && (marks.has(REDLINE_INS) || marks.has(REDLINE_DEL))) {
        const change = { ...options, id: track.nextId++, author: track.author, date: track.date };
        // Tracked runs stand where text runs do (a paragraph takes any run-level child).
        runs.push((marks.has(REDLINE_DEL) ? new DeletedTextRun(change) : new InsertedTextRun(change)) as unknown as TextRun);
      } else runs.push(new TextRun(options));
      for (const c of comments) if (c.end) runs.push(new CommentRangeEnd(c.id) as unknown as TextRun, new TextRun({ children: [new CommentReference(c.id)] }));
    } else if (n.type === 'xref') {
      runs.push(new TextRun({ text: xrefText(numbering, String(n.attrs?.target ?? '')), ...base }));
    }
  }
  return runs;
}

/** Plain text of a node (for headings, captions and tests). */
export function plainText(node: NodeJSON | undefined, numbering?: Numbering): string {
  if (!node) return '';
  if (node.type === 'text') return node.text ?? '';
  if (node.type === 'xref') return numbering ? xrefText(numbering, String(node.attrs?.target ?? '')) : '';
  return (node.content ?? []).map((c) => plainText(c, numbering)).join('');
}
