// Thread anchors follow the text: a passage selected in one client keeps pointing at the same words while
// another Y.Doc client inserts and deletes clauses and types around it; when its words are deleted, when
// its clause goes, or when a restore replaces the text, the anchor says the passage was deleted.
import * as Y from 'yjs';
import { initProseMirrorDoc, updateYFragment } from 'y-prosemirror';
import type { Node as PMNode } from 'prosemirror-model';
import { schema } from '../../editor/schema';
import type { DocJSON, NodeJSON } from '../../editor/types';
import { YJS_FRAGMENT, jsonToYDoc, yDocToJSON } from '../../editor/ydoc';
import { encodeThreadAnchor, quoteOf, resolveThreadAnchor, type EncodedThreadAnchor, type YMapping } from '../../editor/thread-anchors';
import { applyContentAsNewEdits } from '../../activities/versions/restore';
import { sampleDraft } from '../server/comments/support';

function view(ydoc: Y.Doc): { type: Y.XmlFragment; doc: PMNode; mapping: YMapping } {
  const type = ydoc.getXmlFragment(YJS_FRAGMENT);
  const { doc, mapping } = initProseMirrorDoc(type, schema) as { doc: PMNode; mapping: YMapping };
  return { type, doc, mapping };
}

/** An edit by a client, the way the editor binding writes it (a diff into the fragment). */
function edit(ydoc: Y.Doc, change: (json: DocJSON) => DocJSON): void {
  const type = ydoc.getXmlFragment(YJS_FRAGMENT);
  const { meta } = initProseMirrorDoc(type, schema);
  const next = schema.nodeFromJSON(change(yDocToJSON(ydoc)));
  ydoc.transact(() => updateYFragment(ydoc, type, next, meta));
}

function sync(from: Y.Doc, to: Y.Doc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}

function chapter5(json: DocJSON): NodeJSON {
  const ch = json.content.find((n) => n.attrs?.id === 'ch5');
  if (!ch?.content) throw new Error('no chapter 5');
  return ch;
}

function paragraphText(json: DocJSON, clauseId: string): NodeJSON {
  const c = chapter5(json).content?.find((n) => n.attrs?.id === clauseId);
  const para = c?.content?.find((n) => n.type === 'paragraph');
  const text = para?.content?.[0];
  if (!text) throw new Error(`no paragraph text in ${clauseId}`);
  return text;
}

const QUOTE = '中泓线处';

/** Opens an anchor on QUOTE in clause c52, in client `a`. */
function anchorOnQuote(a: Y.Doc): EncodedThreadAnchor {
  const { type, doc, mapping } = view(a);
  let from = -1;
  doc.descendants((n, pos) => {
    if (from < 0 && n.isText && n.text?.includes(QUOTE)) from = pos + (n.text.indexOf(QUOTE));
    return from < 0;
  });
  expect(from).toBeGreaterThan(0);
  const to = from + QUOTE.length;
  expect(quoteOf(doc, from, to)).toBe(QUOTE);
  return encodeThreadAnchor(type, mapping, from, to);
}

function resolveIn(ydoc: Y.Doc, anchor: EncodedThreadAnchor) {
  const { type, doc, mapping } = view(ydoc);
  return resolveThreadAnchor(ydoc, type, mapping, doc, anchor);
}

const newClause = (id: string, text: string): NodeJSON => ({
  type: 'clause1',
  attrs: { id },
  content: [{ type: 'heading', content: [{ type: 'text', text: '插入的条' }] }, { type: 'paragraph', attrs: { id: `${id}-p` }, content: [{ type: 'text', text }] }],
});

describe('thread anchors in the co-edited draft', () => {
  let a: Y.Doc;
  let b: Y.Doc;
  beforeEach(() => {
    a = jsonToYDoc(sampleDraft());
    b = new Y.Doc();
    sync(a, b);
  });

  it('keeps its passage across clause insertions, deletions and typing by another client', () => {
    const anchor = anchorOnQuote(a);
    const before = resolveIn(a, anchor);
    expect(before).toMatchObject({ state: 'present', text: QUOTE });

    // Another client inserts a clause before 5.2 and one at the start of chapter 5.
    edit(b, (json) => {
      chapter5(json).content?.splice(1, 0, newClause('c-new-1', '新插入的第一条。'));
      chapter5(json).content?.splice(3, 0, newClause('c-new-2', '新插入的第二条，在5.2之前。'));
      return json;
    });
    sync(b, a);
    const moved = resolveIn(a, anchor);
    expect(moved).toMatchObject({ state: 'present', text: QUOTE });
    if (before.state !== 'present' || moved.state !== 'present') throw new Error('unreachable');
    expect(moved.from).toBeGreaterThan(before.from);

    // It types before the passage in the same sentence, then deletes clause 5.1.
    edit(b, (json) => {
      const t = paragraphText(json, 'c52');
      t.text = `（修订）${t.text ?? ''}`;
      chapter5(json).content = chapter5(json).content?.filter((n) => n.attrs?.id !== 'c51');
      return json;
    });
    sync(b, a);
    expect(resolveIn(a, anchor)).toMatchObject({ state: 'present', text: QUOTE });
    // The other client resolves the same anchor to the same words.
    expect(resolveIn(b, anchor)).toMatchObject({ state: 'present', text: QUOTE });
  });

  it('follows an edit inside the passage and reports what it reads now', () => {
    const anchor = anchorOnQuote(a);
    edit(b, (json) => {
      const t = paragraphText(json, 'c52');
      t.text = (t.text ?? '').replace('中泓线处', '中泓线附近处');
      return json;
    });
    sync(b, a);
    expect(resolveIn(a, anchor)).toMatchObject({ state: 'present', text: '中泓线附近处' });
  });

  it('says the text was deleted when its words are deleted', () => {
    const anchor = anchorOnQuote(a);
    edit(b, (json) => {
      const t = paragraphText(json, 'c52');
      t.text = (t.text ?? '').replace(QUOTE, '');
      return json;
    });
    sync(b, a);
    expect(resolveIn(a, anchor)).toEqual({ state: 'deleted' });
  });

  it('says the text was deleted when its whole clause is deleted', () => {
    const anchor = anchorOnQuote(a);
    edit(b, (json) => {
      chapter5(json).content = chapter5(json).content?.filter((n) => n.attrs?.id !== 'c52');
      return json;
    });
    sync(b, a);
    expect(resolveIn(a, anchor)).toEqual({ state: 'deleted' });
    expect(resolveIn(b, anchor)).toEqual({ state: 'deleted' });
  });

  it('survives a version being frozen, and a restore that keeps the passage; a restore without it reports it deleted', () => {
    const anchor = anchorOnQuote(a);
    // Freezing a version reads the state and changes nothing: the anchor resolves against the same live doc.
    const frozen = yDocToJSON(a);
    edit(b, (json) => {
      chapter5(json).content?.splice(1, 0, newClause('c-new-3', '冻结之后新增的条。'));
      return json;
    });
    sync(b, a);
    expect(resolveIn(a, anchor)).toMatchObject({ state: 'present', text: QUOTE });

    // Restoring the frozen version (as new edits, as the versions module does) keeps unchanged blocks.
    applyContentAsNewEdits(a, frozen);
    expect(resolveIn(a, anchor)).toMatchObject({ state: 'present', text: QUOTE });

    // Restoring a version in which 5.2 reads differently replaces the passage.
    const other = sampleDraft();
    paragraphText(other, 'c52').text = '采样应在断面中心进行。';
    applyContentAsNewEdits(a, other);
    sync(a, b);
    expect(resolveIn(a, anchor)).toEqual({ state: 'deleted' });
    expect(resolveIn(b, anchor)).toEqual({ state: 'deleted' });
  });

  it('reports a mangled anchor as deleted rather than failing', () => {
    expect(resolveIn(a, { start: '!!', end: 'AAAA' })).toEqual({ state: 'deleted' });
  });
});
