// Word comments of an imported file placed in the new draft (issue 15): the text a comment was anchored to is
// looked for in the ProseMirror document the import produced, ignoring whitespace (the importer drops the
// numbering labels and normalises spaces, so exact offsets do not survive), and when the words occur several
// times the comment takes the same occurrence it had in the Word file (counted from its anchor's start in the
// source paragraphs). The review copy's own comments (activities/redline/review-comments.ts writes
// 「quote」, the text, then one line per reply) are read back into a thread's quote, text, status and
// replies. Pure: works on the document and the importer's output, no I/O.
import type { Node as PMNode } from 'prosemirror-model';
import type { SourceBlock } from './import/reader';

/** How a comment's author is kept as text: 「Word 批注：张三」. */
export const wordLabel = (author: string): string => `Word 批注：${author}`;

/** A display name the review copy wrote for an imported thread (「李四（Word 批注：张三）」) → the Word author. */
export function originalWordAuthor(name: string): string {
  const m = /（Word 批注：([^）]*)）$/.exec(name);
  return m ? m[1] : name;
}

/** Non-whitespace characters of the document's text with their positions, in document order. */
export interface TextIndex {
  chars: string;
  pos: number[];
}

export function textIndexOf(doc: PMNode): TextIndex {
  let chars = '';
  const pos: number[] = [];
  doc.descendants((n, at) => {
    if (!n.isText) return true;
    const t = n.text ?? '';
    for (let i = 0; i < t.length; i++) {
      if (/\s/.test(t[i])) continue;
      chars += t[i];
      pos.push(at + i);
    }
    return false;
  });
  return { chars, pos };
}

const squeeze = (s: string): string => s.replace(/\s+/g, '');

function occurrences(hay: string, needle: string): number[] {
  const out: number[] = [];
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) out.push(i);
  return out;
}

/** The source paragraphs' text in document order (tables' cells included), whitespace removed, with the
 *  squeezed offset of each paragraph's start. */
function sourceText(blocks: readonly SourceBlock[]): { text: string; starts: Map<number, { at: number; raw: string }> } {
  let text = '';
  const starts = new Map<number, { at: number; raw: string }>();
  const walk = (bs: readonly SourceBlock[]): void => {
    for (const b of bs) {
      if (b.kind === 'p') {
        starts.set(b.index, { at: text.length, raw: b.text });
        text += squeeze(b.text);
      } else for (const r of b.rows) for (const c of r.cells) walk(c.blocks);
    }
  };
  walk(blocks);
  return { text, starts };
}

/** Which occurrence (0-based) of `needle` the comment starting at `start` had in the Word file. */
export function occurrenceInSource(blocks: readonly SourceBlock[], needle: string, start?: { paragraph: number; offset: number }): number {
  const n = squeeze(needle);
  if (!start || !n) return 0;
  const src = sourceText(blocks);
  const para = src.starts.get(start.paragraph);
  if (!para) return 0;
  const at = para.at + squeeze(para.raw.slice(0, start.offset)).length;
  return occurrences(src.text, n).filter((i) => i < at).length;
}

/** Where the `rank`-th occurrence of `needle` is in the document ([from, to)), the last one when there are
 *  fewer, or null when the words are not there. */
export function findPassage(index: TextIndex, needle: string, rank: number): { from: number; to: number } | null {
  const n = squeeze(needle);
  if (!n) return null;
  const hits = occurrences(index.chars, n);
  if (hits.length === 0) return null;
  const i = hits[Math.min(rank, hits.length - 1)];
  return { from: index.pos[i], to: index.pos[i + n.length - 1] + 1 };
}

/** The first line of the document (its first text node), where comments that cannot be placed go. */
export function firstLine(doc: PMNode): { from: number; to: number } | null {
  let r: { from: number; to: number } | null = null;
  doc.descendants((n, at) => {
    if (r) return false;
    if (n.isText && (n.text ?? '').trim()) r = { from: at, to: at + n.nodeSize };
    return !r;
  });
  return r;
}

const RESOLVED = '〔已解决 Resolved〕';
const NOTES = {
  deleted: '（原文已删除 / the text was deleted）',
  plain: '（原文在前言、引用文件、术语来源或表格中 / the text is in the foreword, references, a term source or a table）',
} as const;

/** A comment as the review copy wrote it. */
export interface ReviewCopyComment {
  quote: string;
  /** The copy attached it to the first line: its text was deleted, or lies where the DOCX has no ranges. */
  note?: keyof typeof NOTES;
  resolved: boolean;
  text: string;
  replies: Array<{ author: string; text: string }>;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const HEAD = new RegExp(`^(${escapeRe(RESOLVED)})?「([\\s\\S]*?)」(${Object.values(NOTES).map(escapeRe).join('|')})?\\n`);
/** A reply line: 「name：text」, the name possibly carrying 「（Word 批注：…）」. */
const REPLY = /^([^\n：（）]{1,60}(?:（Word 批注：[^）\n]*）)?)：([\s\S]*)$/;

/**
 * A comment of the review copy read back, or null when the text is not in its form (an ordinary Word
 * comment). The review copy writes the text and each reply on a line of their own; a line that starts
 * 「name：」 after the text is read as a reply, every other line continues what precedes it.
 */
export function parseReviewCopyComment(text: string): ReviewCopyComment | null {
  const head = HEAD.exec(text);
  if (!head) return null;
  const lines = text.slice(head[0].length).split('\n');
  if (lines.length === 0 || !lines[0]) return null;
  const note = head[3] ? ((Object.keys(NOTES) as Array<keyof typeof NOTES>).find((k) => NOTES[k] === head[3]) ?? undefined) : undefined;
  const out: ReviewCopyComment = { quote: head[2], resolved: Boolean(head[1]), text: lines[0], replies: [], ...(note ? { note } : {}) };
  for (const line of lines.slice(1)) {
    const m = REPLY.exec(line);
    if (m) out.replies.push({ author: m[1], text: m[2] });
    else if (out.replies.length > 0) out.replies[out.replies.length - 1].text += `\n${line}`;
    else out.text += `\n${line}`;
  }
  return out;
}
