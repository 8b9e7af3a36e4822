// Structure commands produce valid documents, and the numbers follow.
import { EditorState, TextSelection, type Command } from 'prosemirror-state';
import type { Node } from 'prosemirror-model';
import {
  annex, bibliography, bib, chapter, clause, doc, foreword, h, li, list, normativeReferences, p, ref, scope, sublist, termEntry, termsAndDefinitions,
} from '../../editor/builders';
import {
  deleteElement, demoteClause, enterInField, insertAnnex, insertBibliographyEntry, insertChapterAfter, insertClauseAfter, insertExample, insertFigure,
  insertFormula, insertFormulaSymbol, insertList, insertNote, insertReferenceEntry, insertSubClause, insertTable, insertTermEntry, insertXref,
  promoteClause, setAnnexKind, setListKind, hangingToUntitledClause, nextCellOrNewRow,
} from '../../editor/commands';
import { listEnter, listIndent, listOutdent } from '../../editor/list-commands';
import { idPlugin } from '../../editor/ids';
import { computeNumbering } from '../../editor/numbering';
import { sampleStandard } from '../../editor/fixtures/sample-standard';

const fixed = () => [foreword(p('前言')), scope(p('范围')), normativeReferences(ref('GB', '1', '2000', '甲', 'r1')), termsAndDefinitions(p({ id: 'lead' }, '下列术语'), termEntry({ id: 't1', term: '甲', english: 'a', definition: 'd' }))];
const base = () =>
  doc(
    ...fixed(),
    chapter({ id: 'c4' }, h('四'), p({ id: 'p4' }, 'x')),
    chapter({ id: 'c5' }, h('五'), clause({ id: 's1' }, h('一'), p({ id: 'ps1' }, 'a')), clause({ id: 's2' }, h('二'), p({ id: 'ps2' }, 'b'), list({ kind: 'letter', id: 'L' }, li('甲', undefined, { id: 'i1' }), li('乙', undefined, { id: 'i2' }), li('丙', undefined, { id: 'i3' })))),
  );

function stateAt(d: Node, id: string, offset = 1): EditorState {
  let pos = -1;
  d.descendants((node, at) => {
    if (pos < 0 && node.attrs.id === id) pos = at;
    return pos < 0;
  });
  if (pos < 0) throw new Error(`no ${id}`);
  const state = EditorState.create({ doc: d, plugins: [idPlugin()] });
  return state.apply(state.tr.setSelection(TextSelection.near(d.resolve(pos + offset))));
}

function run(state: EditorState, cmd: Command): EditorState {
  let next: EditorState | null = null;
  const ok = cmd(state, (tr) => {
    next = state.apply(tr);
  });
  if (!ok || !next) throw new Error('command refused');
  (next as EditorState).doc.check();
  return next;
}

const labels = (s: EditorState) => computeNumbering(s.doc).byId;
const cursorLabel = (s: EditorState): string | undefined => {
  const byId = labels(s);
  const $from = s.selection.$from;
  for (let d = $from.depth; d > 0; d--) {
    const id = $from.node(d).attrs.id as string | undefined;
    if (id && byId[id] && byId[id].kind !== 'paragraph') return byId[id].label;
  }
  return undefined;
};

describe('structure commands', () => {
  it('inserts a clause between 5.1 and 5.2 and renumbers 5.2 to 5.3', () => {
    const s = run(stateAt(base(), 'ps1'), insertClauseAfter(true));
    expect(cursorLabel(s)).toBe('5.2');
    expect(labels(s).s2.label).toBe('5.3');
    expect(s.selection.$from.parent.type.name).toBe('heading');
  });

  it('inserts an untitled clause whose cursor lands in its paragraph', () => {
    const s = run(stateAt(base(), 'ps2'), insertClauseAfter(false));
    expect(cursorLabel(s)).toBe('5.3');
    expect(s.selection.$from.parent.type.name).toBe('paragraph');
  });

  it('appends a first clause to a chapter that has none', () => {
    const s = run(stateAt(base(), 'p4'), insertClauseAfter(true));
    expect(cursorLabel(s)).toBe('4.1');
  });

  it('replaces the empty paragraph of a new chapter by its first clause, leaving no hanging paragraph', () => {
    let s = run(stateAt(base(), 'p4'), insertChapterAfter());
    s = s.apply(s.tr.insertText('新章'));
    s = run(s, insertClauseAfter(true));
    const chapterNode = s.selection.$from.node(1);
    expect(chapterNode.content.content.map((c) => c.type.name)).toEqual(['heading', 'clause1']);
    expect(cursorLabel(s)).toBe('5.1');
  });

  it('adds sub-clauses down to the fifth level and refuses a sixth', () => {
    let s = stateAt(base(), 'ps1');
    for (const expected of ['5.1.1', '5.1.1.1', '5.1.1.1.1', '5.1.1.1.1.1']) {
      s = run(s, insertSubClause(true));
      expect(cursorLabel(s)).toBe(expected);
    }
    expect(insertSubClause(true)(s)).toBe(false);
  });

  it('demotes 5.2 under 5.1 and promotes it back', () => {
    let s = run(stateAt(base(), 'ps2'), demoteClause());
    expect(labels(s).s2.label).toBe('5.1.1');
    expect(s.selection.$from.parent.textContent).toBe('b');
    s = run(s, promoteClause());
    expect(labels(s).s2.label).toBe('5.2');
    expect(demoteClause()(stateAt(base(), 'ps1'))).toBe(false);
  });

  it('inserts chapters after the current one and never before chapter 3', () => {
    let s = run(stateAt(base(), 'p4'), insertChapterAfter());
    expect(cursorLabel(s)).toBe('5');
    expect(labels(s).c5.label).toBe('6');
    s = run(stateAt(base(), 'lead'), insertChapterAfter());
    expect(cursorLabel(s)).toBe('4');
  });

  it('inserts annexes A then B with their kinds, and switches a kind', () => {
    let s = run(stateAt(base(), 'p4'), insertAnnex('normative'));
    expect(cursorLabel(s)).toBe('附录A');
    s = run(s, insertAnnex('informative'));
    expect(cursorLabel(s)).toBe('附录B');
    s = run(s, setAnnexKind('normative'));
    const b = Object.values(labels(s)).find((l) => l.label === '附录B');
    expect(b?.qualifier).toBe('规范性');
  });

  it('inserts term entries as 3.2 after the entry at the cursor and at the end otherwise', () => {
    let s = run(stateAt(base(), 'p4'), insertTermEntry());
    expect(cursorLabel(s)).toBe('3.2');
    expect(s.selection.$from.parent.type.name).toBe('term');
    s = run(stateAt(base(), 't1', 2), insertTermEntry());
    expect(cursorLabel(s)).toBe('3.2');
  });

  it('moves from a new clause title into its empty paragraph with Enter instead of adding another', () => {
    let s = run(stateAt(base(), 'ps1'), insertClauseAfter(true));
    s = s.apply(s.tr.insertText('新条'));
    s = run(s, enterInField());
    expect(s.selection.$from.parent.type.name).toBe('paragraph');
    const clause = s.selection.$from.node(s.selection.$from.depth - 1);
    expect(clause.childCount).toBe(2);
    // With text already in the paragraph, Enter is left to the default (a new paragraph).
    expect(enterInField()(stateAt(base(), 's1', 2))).toBe(false);
  });

  it('moves from field to field with Enter inside a term entry', () => {
    const s = run(stateAt(base(), 't1', 2), enterInField());
    expect(s.selection.$from.parent.type.name).toBe('termEnglish');
  });

  it('adds normative references and bibliography entries, creating the bibliography when needed', () => {
    let s = run(stateAt(base(), 'p4'), insertReferenceEntry({ code: 'HJ', number: '2', year: '' }, '乙'));
    expect(Object.values(labels(s)).filter((l) => l.kind === 'referenceEntry').map((l) => l.label)).toEqual(['GB 1—2000', 'HJ 2']);
    s = run(s, insertBibliographyEntry());
    s = run(s, insertBibliographyEntry());
    expect(cursorLabel(s)).toBe('[2]');
  });

  it('inserts notes, examples, tables, figures and formulas after the current block and numbers them', () => {
    let s = run(stateAt(base(), 'ps1'), insertNote());
    expect(cursorLabel(s)).toBe('注');
    s = run(s, insertNote());
    expect(cursorLabel(s)).toBe('注2');
    s = run(stateAt(base(), 'ps1'), insertTable(3, 2));
    expect(cursorLabel(s)).toBe('表1');
    expect(s.selection.$from.parent.type.name).toBe('caption');
    s = run(s, insertFigure('/x.png', 'x'));
    expect(cursorLabel(s)).toBe('图1');
    s = run(stateAt(base(), 'ps2'), insertFormula());
    expect(cursorLabel(s)).toBe('(1)');
    s = run(s, insertFormulaSymbol('ρ'));
    expect(s.selection.$from.parent.type.name).toBe('formulaSymbol');
    s = run(stateAt(base(), 'ps1'), insertExample());
    expect(cursorLabel(s)).toBe('示例');
  });

  it('replaces an empty paragraph with a new list and switches its marker kind', () => {
    const d = doc(...fixed(), chapter(h('四'), p({ id: 'e' })));
    let s = run(stateAt(d, 'e'), insertList('dash'));
    expect(cursorLabel(s)).toBe('——');
    s = run(s, setListKind('letter'));
    expect(cursorLabel(s)).toBe('a)');
  });

  it('indents a list item into the previous item and outdents it keeping the text order', () => {
    let s = run(stateAt(base(), 'i2', 2), listIndent());
    expect(cursorLabel(s)).toBe('1)');
    s = run(s, setListKind('number'));
    let n = labels(s);
    expect([n.i1.label, n.i3.label]).toEqual(['a)', 'b)']);
    // Indent 丙 too, then outdent 乙: 丙 follows it as its sub-item.
    s = run(stateAt(s.doc, 'i3', 2), listIndent());
    s = run(stateAt(s.doc, 'i2', 2), listOutdent());
    n = labels(s);
    expect(n.i2.label).toBe('b)');
    expect(s.doc.textContent.indexOf('乙')).toBeLessThan(s.doc.textContent.indexOf('丙'));
    expect(n.i3.label).toBe('1)');
    expect(listIndent()(stateAt(s.doc, 'i3', 2))).toBe(false); // no third level
  });

  it('leaves the list on Enter in an empty last item', () => {
    let s = run(stateAt(base(), 'i3', 3), (st, d) => {
      d?.(st.tr.setSelection(TextSelection.create(st.doc, st.selection.$from.end())));
      return true;
    });
    s = run(s, listEnter());
    expect(cursorLabel(s)).toBe('d)');
    s = run(s, listEnter());
    expect(s.selection.$from.parent.type.name).toBe('paragraph');
    expect(s.selection.$from.node(s.selection.$from.depth - 1).type.name).toBe('clause1');
  });

  it('inserts a cross-reference whose text follows the numbering', () => {
    const s = run(stateAt(base(), 'ps1'), insertXref('s2'));
    let found = '';
    s.doc.descendants((node) => {
      if (node.type.name === 'xref') found = node.attrs.target as string;
      return true;
    });
    expect(found).toBe('s2');
  });

  it('deletes a clause, an entry, and the bibliography with its last entry, but never a fixed chapter', () => {
    let s = run(stateAt(base(), 'ps1'), deleteElement());
    expect(labels(s).s2.label).toBe('5.1');
    const d = doc(...fixed(), bibliography(bib('a', 'b1')));
    s = run(stateAt(d, 'b1'), deleteElement());
    expect(s.doc.lastChild?.type.name).toBe('termsAndDefinitions');
    expect(deleteElement()(stateAt(base(), 'lead'))).toBe(false);
  });

  it('keeps every id unique after inserting elements into the sample standard', () => {
    let s = stateAt(sampleStandard(), 'clause-5-2', 2);
    for (const cmd of [insertClauseAfter(true), insertNote(), insertTable(), insertSubClause(false), insertFormula()]) s = run(s, cmd);
    const ids: string[] = [];
    s.doc.descendants((node) => {
      if ('id' in node.attrs) ids.push(node.attrs.id as string);
      return true;
    });
    expect(ids.every(Boolean)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('commands on annexes', () => {
  it('numbers a clause added in annex B as B.1', () => {
    const d = doc(...fixed(), annex({ id: 'A', kind: 'normative' }, h('甲'), p('x')), annex({ id: 'B' }, h('乙'), p({ id: 'pb' }, 'y')));
    const s = run(stateAt(d, 'pb'), insertClauseAfter(true));
    expect(cursorLabel(s)).toBe('B.1');
  });

  it('numbers a list made of a sublist correctly', () => {
    const d = doc(...fixed(), chapter(h('四'), list({ kind: 'dash' }, li('a', sublist('x', 'y')))));
    expect(Object.values(computeNumbering(d).byId).filter((l) => l.kind === 'listItem').map((l) => l.label)).toEqual(['——', '1)', '2)']);
  });

  it('turns a hanging paragraph into the untitled first sub-clause in place, keeping its id', () => {
    const d = doc(...fixed(), chapter({ id: 'c4' }, h('四'), p({ id: 'hang' }, '悬置'), p({ id: 'hang2' }, '又一段'), clause({ id: 'a' }, h('甲'), p('a')), clause({ id: 'b' }, h('乙'), p('b'))));
    const s = run(stateAt(d, 'hang'), hangingToUntitledClause('c4'));
    const ch = s.doc.lastChild!;
    expect(ch.childCount).toBe(4);
    expect(ch.child(1).type.name).toBe('clause1');
    expect(ch.child(1).firstChild!.attrs.id).toBe('hang');
    expect(ch.child(1).childCount).toBe(2);
    expect(labels(s).a.label).toBe('4.2');
    expect(labels(s).b.label).toBe('4.3');
    // Nothing to fix: refused.
    expect(hangingToUntitledClause('c4')(s)).toBe(false);
    expect(hangingToUntitledClause('c5')(stateAt(base(), 'ps1'))).toBe(false);
  });

  it('adds a row on Tab in the last cell and moves to the next cell elsewhere', () => {
    let s = stateAt(base(), 'p4');
    s = run(s, insertTable(2, 2));
    let lastCell = -1;
    s.doc.descendants((node, pos) => {
      if (node.type.name === 'tableCell') lastCell = pos;
      return true;
    });
    s = s.apply(s.tr.setSelection(TextSelection.near(s.doc.resolve(lastCell + 2))));
    s = run(s, nextCellOrNewRow());
    const grid = (): Node => {
      let g: Node | null = null;
      s.doc.descendants((node) => {
        if (node.type.name === 'tableGrid') g = node;
        return g === null;
      });
      return g!;
    };
    expect(grid().childCount).toBe(3);
    expect(s.selection.$from.node(-2)).toBe(grid().lastChild);
    expect(nextCellOrNewRow()(stateAt(base(), 'p4'))).toBe(false);
  });
});
