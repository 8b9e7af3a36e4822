// The review copy of the live draft with its comment threads as Word's own comments (comments.xml, with
// w:commentRangeStart / w:commentRangeEnd / w:commentReference in the text). Each thread's anchor is resolved
// against the live Y.Doc (editor/thread-anchors.ts); the text it covers is marked with COMMENT_MARK, which
// activities/docx/inline.ts writes as the comment's range. Replies go into the same comment, after the
// opening text; a resolved thread says so. A thread whose text was deleted, or lies where the DOCX writes
// plain text (前言, normative references, term sources, tables), is attached to the first line of the body
// instead, saying where it belonged — every thread is in the copy. The draft's suggested changes become Word
// tracked changes (review-suggestions.ts; generate with generateReviewCopyDocx); those in plain-text parts are
// listed in one more comment on the first line.
import * as Y from 'yjs';
import { initProseMirrorDoc } from 'y-prosemirror';
import type { Node as PMNode } from 'prosemirror-model';
import { Paragraph, TextRun, type ICommentOptions } from 'docx';
import { schema } from '../../editor/schema';
import { YJS_FRAGMENT } from '../../editor/ydoc';
import { resolveThreadAnchor, type EncodedThreadAnchor, type YMapping } from '../../editor/thread-anchors';
import type { DocJSON, MarkJSON, NodeJSON } from '../../editor/types';
import { COMMENT_MARK } from '../docx/inline';
import { hiddenSuggestions, suggestionsAsTrackedChanges } from './review-suggestions';

export interface ReviewThread {
  anchor: EncodedThreadAnchor;
  quote: string;
  text: string;
  author: string;
  createdAt: Date;
  status: 'open' | 'resolved';
  replies: Array<{ author: string; text: string; createdAt: Date }>;
}

export interface ReviewCopyBody {
  body: DocJSON;
  comments: ICommentOptions[];
  /** How many threads sit on their own text, and how many were attached to the first line instead. */
  placed: number;
  elsewhere: number;
  /** Suggestions in parts printed as plain text (前言, references, term sources): listed in a comment instead. */
  suggestionsElsewhere: number;
}

/** Nodes whose text the DOCX generator writes without inline runs: no comment range can be placed there. */
const PLAIN_ZONES = new Set(['foreword', 'normativeReferences', 'termAbbreviation', 'termSource', 'tableGrid']);

interface Range {
  id: number;
  from: number;
  to: number;
}

function inPlainZone(doc: PMNode, from: number, to: number): boolean {
  const $from = doc.resolve(from);
  for (let d = $from.depth; d > 0; d--) if (PLAIN_ZONES.has($from.node(d).type.name)) return true;
  let plain = false;
  doc.nodesBetween(from, to, (n) => {
    if (PLAIN_ZONES.has(n.type.name)) plain = true;
    return !plain;
  });
  return plain;
}

/** The text positions [start, end) of every text node outside the plain zones, in document order. */
function textSpans(doc: PMNode): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  doc.descendants((n, pos) => {
    if (PLAIN_ZONES.has(n.type.name)) return false;
    if (n.isText) out.push([pos, pos + n.nodeSize]);
    return true;
  });
  return out;
}

/** Narrows a range to the text it covers (its first and last character positions), or null when it covers none. */
function narrow(spans: Array<[number, number]>, from: number, to: number): [number, number] | null {
  const hit = spans.filter(([s, e]) => s < to && e > from);
  if (hit.length === 0) return null;
  return [Math.max(from, hit[0][0]), Math.min(to, hit[hit.length - 1][1])];
}

function withCommentMarks(doc: PMNode, ranges: Range[]): DocJSON {
  const build = (node: PMNode, contentStart: number): NodeJSON => {
    const json = node.toJSON() as NodeJSON;
    if (node.isLeaf || node.childCount === 0) return json;
    const content: NodeJSON[] = [];
    node.forEach((child, offset) => {
      const pos = contentStart + offset;
      if (!child.isText) {
        content.push(build(child, pos + 1));
        return;
      }
      const text = child.text ?? '';
      const end = pos + text.length;
      const cuts = new Set<number>([pos, end]);
      for (const r of ranges) for (const c of [r.from, r.to]) if (c > pos && c < end) cuts.add(c);
      const points = [...cuts].sort((a, b) => a - b);
      const base = (child.toJSON() as NodeJSON).marks ?? [];
      for (let i = 0; i < points.length - 1; i++) {
        const [s, e] = [points[i], points[i + 1]];
        const covering = ranges.filter((r) => r.from < e && r.to > s);
        const marks: MarkJSON[] = [...base, ...covering.map((r) => ({ type: COMMENT_MARK, attrs: { id: r.id, start: s === r.from, end: e === r.to } }) as unknown as MarkJSON)];
        content.push({ type: 'text', text: text.slice(s - pos, e - pos), ...(marks.length ? { marks } : {}) });
      }
    });
    return { ...json, content };
  };
  return build(doc, 0) as DocJSON;
}

const line = (text: string, bold = false): Paragraph => new Paragraph({ children: [new TextRun({ text, bold })] });

/** The live draft (its Yjs state) as a DOCX body with the threads' ranges marked, and the comments to write. */
export function reviewCopyWithComments(yState: Uint8Array, threads: readonly ReviewThread[]): ReviewCopyBody {
  const ydoc = new Y.Doc();
  Y.applyUpdate(ydoc, yState);
  const type = ydoc.getXmlFragment(YJS_FRAGMENT);
  const { doc, mapping } = initProseMirrorDoc(type, schema) as { doc: PMNode; mapping: YMapping };
  const spans = textSpans(doc);
  const first = spans[0];
  const ranges: Range[] = [];
  const comments: ICommentOptions[] = [];
  let placed = 0;
  threads.forEach((t, id) => {
    const r = resolveThreadAnchor(ydoc, type, mapping, doc, t.anchor);
    const own = r.state === 'present' && !inPlainZone(doc, r.from, r.to) ? narrow(spans, r.from, r.to) : null;
    const where = own ?? (first ? [first[0], first[1]] : null);
    if (own) placed += 1;
    if (where) ranges.push({ id, from: where[0], to: where[1] });
    const note = own ? '' : r.state === 'deleted' ? '（原文已删除 / the text was deleted）' : '（原文在前言、引用文件、术语来源或表格中 / the text is in the foreword, references, a term source or a table）';
    comments.push({
      id,
      author: t.author,
      initials: t.author.slice(0, 2),
      date: t.createdAt,
      children: [
        line(`${t.status === 'resolved' ? '〔已解决 Resolved〕' : ''}「${t.quote}」${note}`),
        line(t.text),
        ...t.replies.map((rep) => line(`${rep.author}：${rep.text}`)),
      ],
    });
  });
  const hidden = hiddenSuggestions(doc);
  if (hidden.length > 0 && first) {
    const id = threads.length;
    ranges.push({ id, from: first[0], to: first[1] });
    comments.push({
      id,
      author: '通标审阅稿 / Tongbiao review copy',
      initials: 'TB',
      date: new Date(),
      children: [
        line('〔修订建议未能显示为 Word 修订 / Suggestions that cannot be shown as tracked changes〕'),
        ...hidden.map((h) => line(`${h.name}：${h.kind === 'insert' ? '建议插入 / insert' : '建议删除 / delete'}「${h.text}」（${h.zone}）`)),
      ],
    });
  }
  ydoc.destroy();
  return { body: suggestionsAsTrackedChanges(withCommentMarks(doc, ranges)), comments, placed, elsewhere: threads.length - placed, suggestionsElsewhere: hidden.length };
}
