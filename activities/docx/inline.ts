// Inline content of the document model (text with marks, cross-references) as docx runs.
import { AsyncLocalStorage } from 'node:async_hooks';
import { CommentRangeEnd, CommentRangeStart, CommentReference, DeletedTextRun, InsertedTextRun, TextRun } from 'docx';
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
  if (!track || children.length === 0) return {};
  const change = () => ({ id: track.nextId++, author: track.author, date: track.date });
  if (children.every((c) => c instanceof DeletedTextRun)) return { run: { deletion: change() } };
  if (children.every((c) => c instanceof InsertedTextRun)) return { run: { insertion: change() } };
  return {};
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
