// Comments of an imported Word file come back as draft threads (issue 15): called by the import's
// confirmation once the live draft holds the imported model. Each comment becomes a thread anchored (Yjs
// relative positions, editor/thread-anchors.ts) on its words in the new live draft, found as
// editor/thread-word.ts says; one whose words are not there is attached to the first line and says where it
// was, like the review copy does. The importing user is the creator; the Word author and date are kept on
// the thread (shown 「Word 批注：张三」). A comment of our own review copy gives back the thread's quote,
// text, status and replies.
import * as Y from 'yjs';
import { initProseMirrorDoc } from 'y-prosemirror';
import type { Node as PMNode } from 'prosemirror-model';
import type { Db } from 'mongodb';
import { createDraftThreadsStore, type ThreadAuthor } from '../../activities/data/draft-threads';
import type { Logger } from '../../activities/infra/logger';
import { schema } from '../../editor/schema';
import { YJS_FRAGMENT } from '../../editor/ydoc';
import { encodeThreadAnchor, quoteOf, type YMapping } from '../../editor/thread-anchors';
import { findPassage, firstLine, occurrenceInSource, originalWordAuthor, parseReviewCopyComment, textIndexOf } from '../../editor/thread-word';
import type { SourceBlock, WordComment } from '../../editor/import/reader';
import { findTextViolation, normaliseNewlines } from '../../workflows/text-rule';

export interface WordThreadsResult {
  created: number;
  /** On their own words, and attached to the first line instead. */
  placed: number;
  elsewhere: number;
}

/** Text stored as the text rule allows it: characters the rule refuses (controls, bidi overrides …) dropped. */
function clean(s: string): string {
  let out = normaliseNewlines(s);
  for (let v = findTextViolation(out); v; v = findTextViolation(out)) out = out.slice(0, v.index) + out.slice(v.index + String.fromCodePoint(v.codePoint).length);
  return out.trim();
}

/** What a thread attached to the first line says about where its comment was. */
function elsewhereNote(c: WordComment, deleted: boolean): string {
  if (deleted) return '〔原文已删除，附于首行 / the text was deleted; attached to the first line〕';
  const where = c.start ? `源文件第 ${c.start.paragraph + 1} 段 / paragraph ${c.start.paragraph + 1} of the file` : '源文件 / the file';
  return c.anchor.trim()
    ? `〔Word 批注原附于「${c.anchor}」（${where}），导入后的草案中找不到这段文字，附于首行 / the comment was on these words, which are not in the imported draft; attached to the first line〕`
    : `〔Word 批注未附于任何文字（${where}），附于首行 / the comment was on no text; attached to the first line〕`;
}

/** Turns the file's comments into threads of `standardId` on the live draft `live` (already holding the import). */
export async function threadsFromWordComments(
  deps: { db: Db; logger: Logger },
  input: { standardId: string; live: Y.Doc; comments: readonly WordComment[]; blocks: readonly SourceBlock[]; importer: ThreadAuthor },
): Promise<WordThreadsResult> {
  const result: WordThreadsResult = { created: 0, placed: 0, elsewhere: 0 };
  if (input.comments.length === 0) return result;
  const store = createDraftThreadsStore(deps.db);
  // A copy of the live state: the same Yjs items (so the same relative positions), no binding on the live doc.
  const ydoc = new Y.Doc();
  Y.applyUpdate(ydoc, Y.encodeStateAsUpdate(input.live));
  try {
    const type = ydoc.getXmlFragment(YJS_FRAGMENT);
    const { doc, mapping } = initProseMirrorDoc(type, schema) as { doc: PMNode; mapping: YMapping };
    const index = textIndexOf(doc);
    const first = firstLine(doc) ?? { from: 0, to: 0 };
    for (const c of input.comments) {
      const copy = parseReviewCopyComment(c.text);
      const onAnchor = (): { from: number; to: number } | null => findPassage(index, c.anchor, occurrenceInSource(input.blocks, c.anchor, c.start));
      let place: { from: number; to: number } | null = null;
      if (!copy) place = onAnchor();
      // The copy attached a thread on the foreword, references, a term source or a table to its first line:
      // its quote is looked for first; failing that it stays where the copy put it (its text says so already).
      else if (copy.note === 'plain') place = findPassage(index, copy.quote, 0) ?? onAnchor();
      else if (!copy.note) place = onAnchor() ?? findPassage(index, copy.quote, 0);
      const where = place ?? first;
      const own = copy ? copy.text : c.text;
      const text = clean(place ? own : `${elsewhereNote(c, copy?.note === 'deleted')}\n${own}`);
      const quote = clean(copy ? copy.quote : place ? quoteOf(doc, place.from, place.to) : c.anchor.trim() || quoteOf(doc, where.from, where.to));
      const thread = await store.create({
        standardId: input.standardId,
        anchor: encodeThreadAnchor(type, mapping, where.from, where.to),
        quote,
        text: text || '（空批注 / empty comment）',
        author: input.importer,
        mentions: [],
        word: { author: clean(originalWordAuthor(c.author)), ...(c.date ? { date: c.date } : {}) },
        ...(copy?.resolved ? { resolved: true } : {}),
      });
      for (const r of copy?.replies ?? []) {
        await store.reply(input.standardId, thread._id, { text: clean(r.text), author: input.importer, mentions: [], word: { author: clean(originalWordAuthor(r.author)) } });
      }
      result.created += 1;
      if (place) result.placed += 1;
      else result.elsewhere += 1;
    }
  } finally {
    ydoc.destroy();
  }
  deps.logger.info({ standardId: input.standardId, ...result }, 'Word comments imported as draft threads');
  return result;
}
