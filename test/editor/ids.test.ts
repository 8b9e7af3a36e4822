// Block ids are generated once, survive edits and moves, and are renewed only on the copy of a duplicate.
import { EditorState } from 'prosemirror-state';
import type { Node } from 'prosemirror-model';
import { chapter, clause, doc, foreword, h, normativeReferences, p, scope, termsAndDefinitions } from '../../editor/builders';
import { idPlugin, newId, fixIds, withIds } from '../../editor/ids';
import { schema } from '../../editor/schema';

const base = () =>
  doc(foreword(p('前言')), scope(p('范围')), normativeReferences(), termsAndDefinitions(), chapter({ id: 'ch' }, h('要求'), clause({ id: 'one' }, h('一'), p({ id: 'p1' }, '正文一')), clause({ id: 'two' }, h('二'), p({ id: 'p2' }, '正文二'))));

function posOf(d: Node, id: string): number {
  let found = -1;
  d.descendants((n, pos) => {
    if (found < 0 && n.attrs.id === id) found = pos;
    return found < 0;
  });
  return found;
}

function idsOf(d: Node): string[] {
  const out: string[] = [];
  d.descendants((n) => {
    if (typeof n.attrs.id === 'string') out.push(n.attrs.id);
    return true;
  });
  return out;
}

describe('block ids', () => {
  it('makes random ids that start with a letter and contain only [0-9a-z]', () => {
    const ids = new Set(Array.from({ length: 1000 }, newId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[a-z][0-9a-z]{11}$/);
  });

  it('fills in missing ids on every id-carrying node', () => {
    const d = schema.topNodeType.createAndFill();
    if (!d) throw new Error('no doc');
    const filled = withIds(d);
    let missing = 0;
    filled.descendants((n) => {
      if ('id' in n.attrs && !n.attrs.id) missing++;
      return true;
    });
    expect(missing).toBe(0);
    expect(idsOf(filled).length).toBeGreaterThanOrEqual(6);
  });

  it('keeps ids when text inside a clause is edited', () => {
    let state = EditorState.create({ doc: base(), plugins: [idPlugin()] });
    state = state.apply(state.tr.insertText('补充', posOf(state.doc, 'p1') + 2));
    expect(idsOf(state.doc)).toEqual(idsOf(base()));
  });

  it('gives a pasted copy of a clause new ids and leaves the original its ids, even when the copy lands before it', () => {
    let state = EditorState.create({ doc: base(), plugins: [idPlugin()] });
    const at = posOf(state.doc, 'two');
    const copy = state.doc.slice(at, at + state.doc.nodeAt(at)!.nodeSize);
    const before = posOf(state.doc, 'one');
    state = state.apply(state.tr.replace(before, before, copy));
    const ids = idsOf(state.doc);
    expect(new Set(ids).size).toBe(ids.length);
    // The original (now the third clause) still has 'two' and 'p2'.
    const clauses = state.doc.child(4).content.content.filter((n) => n.type.name === 'clause1');
    expect(clauses.map((c) => c.attrs.id)[2]).toBe('two');
    expect(clauses[2].child(1).attrs.id).toBe('p2');
    expect(clauses[0].attrs.id).not.toBe('two');
  });

  it('keeps the ids of a clause moved by cut and paste', () => {
    let state = EditorState.create({ doc: base(), plugins: [idPlugin()] });
    const from = posOf(state.doc, 'two');
    const node = state.doc.nodeAt(from)!;
    const slice = state.doc.slice(from, from + node.nodeSize);
    const tr = state.tr.delete(from, from + node.nodeSize);
    tr.replace(posOf(tr.doc, 'one'), posOf(tr.doc, 'one'), slice);
    state = state.apply(tr);
    const clauses = state.doc.child(4).content.content.filter((n) => n.type.name === 'clause1');
    expect(clauses.map((c) => c.attrs.id)).toEqual(['two', 'one']);
  });

  it('reports nothing to fix on a document whose ids are complete and unique', () => {
    expect(fixIds(EditorState.create({ doc: base() }))).toBeNull();
  });
});
