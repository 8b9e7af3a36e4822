// Documents that concurrent edits left out of shape are put back into the GB/T 1.1 structure without losing text.
import type { Node } from 'prosemirror-model';
import { EditorState } from 'prosemirror-state';
import { annex, bib, bibliography, chapter, clause, docJSON, foreword, h, introduction, li, list, normativeReferences, p, scope, sublist, termEntry, termsAndDefinitions } from '../../editor/builders';
import { schema } from '../../editor/schema';
import { isValidDoc, repairDoc, repairTransaction } from '../../editor/repair';
import { computeNumbering } from '../../editor/numbering';
import type { DocJSON, NodeJSON } from '../../editor/types';

const fixed = () => [foreword(p('前言')), scope(p('范围')), normativeReferences(), termsAndDefinitions()];
/** Builds a document without checking it, as y-prosemirror does for remote content. */
const unchecked = (json: DocJSON): Node => schema.nodeFromJSON(json);

function texts(node: Node): string[] {
  const out: string[] = [];
  node.descendants((c) => {
    if (c.isText) out.push(c.text ?? '');
    return true;
  });
  return out.sort();
}

function find(json: NodeJSON, pred: (n: NodeJSON) => boolean): NodeJSON {
  if (pred(json)) return json;
  for (const c of json.content ?? []) {
    try {
      return find(c, pred);
    } catch {
      // keep looking
    }
  }
  throw new Error('not found');
}

function repairedOrFail(doc: Node): Node {
  expect(isValidDoc(doc)).toBe(false);
  const fixedDoc = repairDoc(doc);
  if (!fixedDoc) throw new Error('nothing repaired');
  expect(isValidDoc(fixedDoc)).toBe(true);
  expect(texts(fixedDoc)).toEqual(texts(doc));
  return fixedDoc;
}

describe('repairDoc', () => {
  it('leaves a valid document alone', () => {
    expect(repairDoc(unchecked(docJSON(...fixed(), chapter(h('四'), p('x')))))).toBeNull();
  });

  it('moves a paragraph that ended up after a sub-clause to the end of the text before it, keeping the reading order', () => {
    const json = docJSON(...fixed(), chapter({ id: 'c' }, h('四'), clause({ id: 'a' }, h('一'), p('甲'), clause({ id: 'a1' }, h('一一'), p('乙')))));
    const ch = find(json, (x) => x.attrs?.id === 'c');
    ch.content?.push({ type: 'paragraph', attrs: { id: 'stray' }, content: [{ type: 'text', text: '后来的段' }] });
    const fixedDoc = repairedOrFail(unchecked(json));
    const n = computeNumbering(fixedDoc);
    expect(n.byId.stray.within).toBe('a1');
    expect(fixedDoc.textContent.endsWith('乙后来的段')).toBe(true);
  });

  it('puts a chapter added after an annex back before the annexes and merges two bibliographies', () => {
    const json = docJSON(...fixed(), chapter({ id: 'c4' }, h('四'), p('x')), annex({ id: 'A' }, h('附'), p('y')), bibliography(bib('一', 'b1')));
    json.content.push(docJSON(...fixed(), chapter({ id: 'c5' }, h('五'), p('z'))).content[4]);
    json.content.push(docJSON(...fixed(), bibliography({ id: 'bib2' }, bib('二', 'b2'))).content[4]);
    const fixedDoc = repairedOrFail(unchecked(json));
    expect(fixedDoc.content.content.map((c) => c.type.name)).toEqual(['foreword', 'scope', 'normativeReferences', 'termsAndDefinitions', 'chapter', 'chapter', 'annex', 'bibliography']);
    const n = computeNumbering(fixedDoc);
    expect([n.byId.c4.label, n.byId.c5.label, n.byId.A.label, n.byId.b1.label, n.byId.b2.label]).toEqual(['4', '5', '附录A', '[1]', '[2]']);
  });

  it('merges two introductions created at the same time', () => {
    const json = docJSON(foreword(p('f')), introduction({ id: 'i1' }, p('引一')), scope(p('s')), normativeReferences(), termsAndDefinitions());
    json.content.splice(2, 0, docJSON(foreword(p('f')), introduction({ id: 'i2' }, p('引二')), scope(p('s')), normativeReferences(), termsAndDefinitions()).content[1]);
    // Two introductions are tolerated by the schema; a clause before a paragraph inside one is not.
    const intro2 = json.content[2];
    intro2.content?.unshift({ type: 'clause1', attrs: { id: 'ic' }, content: [{ type: 'paragraph', content: [{ type: 'text', text: '条' }] }] });
    const fixedDoc = repairedOrFail(unchecked(json));
    expect(fixedDoc.content.content.filter((c) => c.type.name === 'introduction')).toHaveLength(1);
  });

  it('gives an emptied clause an empty paragraph and keeps its id', () => {
    const json = docJSON(...fixed(), chapter(h('四'), clause({ id: 'k' }, p('x'))));
    find(json, (x) => x.attrs?.id === 'k').content = [];
    const fixedDoc = repairedOrFail(unchecked(json));
    expect(computeNumbering(fixedDoc).byId.k.label).toBe('4.1');
  });

  it('merges two sub-lists of one item and puts term entry parts back in order', () => {
    const json = docJSON(
      ...fixed().slice(0, 3),
      termsAndDefinitions(termEntry({ id: 't', term: '术语', english: 'term', definition: '定义', source: '来源' })),
      chapter(h('四'), list({ kind: 'letter' }, li('一', sublist('甲'), { id: 'item' }))),
    );
    find(json, (x) => x.attrs?.id === 'item').content?.push(docJSON(...fixed(), chapter(h('x'), list(li('q', sublist('乙'))))).content[4].content![1].content![0].content![1]);
    const entry = find(json, (x) => x.attrs?.id === 't');
    entry.content?.reverse();
    const fixedDoc = repairedOrFail(unchecked(json));
    const t = fixedDoc.child(3).child(0);
    expect(t.content.content.map((c) => c.type.name)).toEqual(['term', 'termEnglish', 'definition', 'termSource']);
  });

  it('makes a transaction that replaces the document by its repair', () => {
    const json = docJSON(...fixed(), chapter({ id: 'c' }, h('四'), clause(h('一'), p('甲'))));
    find(json, (x) => x.attrs?.id === 'c').content?.push({ type: 'paragraph', content: [{ type: 'text', text: '尾' }] });
    const state = EditorState.create({ doc: unchecked(json) });
    const tr = repairTransaction(state);
    expect(tr).not.toBeNull();
    expect(isValidDoc(tr!.doc)).toBe(true);
    expect(repairTransaction(EditorState.create({ doc: tr!.doc }))).toBeNull();
  });
});
