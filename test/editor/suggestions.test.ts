// Suggestion mode (issue 15): edits become marks/attributes by their author; accepting or rejecting them
// gives exactly the edited or the original document.
import { EditorState, TextSelection, NodeSelection, type Transaction } from 'prosemirror-state';
import type { Node as PMNode } from 'prosemirror-model';
import { ySyncPluginKey } from 'y-prosemirror';
import { deleteRow } from 'prosemirror-tables';
import { splitBlock } from 'prosemirror-commands';
import { schema } from '../../editor/schema';
import { chapter, clause, doc, foreword, h, normativeReferences, p, scope, table, termsAndDefinitions } from '../../editor/builders';
import { suggestionsPlugin, setSuggesting, acceptCommand, rejectCommand, acceptAllCommand, rejectAllCommand, isSuggesting } from '../../editor/suggestions-plugin';
import { listSuggestions, withSuggestionsAccepted, withSuggestionsRejected, hasSuggestions } from '../../editor/suggestions';
import { deleteElement, insertClauseAfter } from '../../editor/commands';
import { computeNumbering } from '../../editor/numbering';

const ALICE = { by: 'u-alice', name: '张三', province: 'SH' };
let sidCounter = 0;

function base(): PMNode {
  return doc(
    foreword(p('前言')),
    scope(p('范围')),
    normativeReferences(),
    termsAndDefinitions(),
    chapter(
      { id: 'ch4' },
      h('要求'),
      clause({ id: 'c41' }, h('限值'), p({ id: 'p1' }, '排放浓度应符合表1的规定。')),
      clause({ id: 'c42' }, h('监测'), p({ id: 'p2' }, '监测频次每月一次。'), table({ id: 't1' }, '限值表', [['项目', '限值'], ['pH', '6~9'], ['COD', '50']])),
    ),
  );
}

function stateOf(d: PMNode, on = true, forced = false): EditorState {
  return EditorState.create({ doc: d, plugins: [suggestionsPlugin({ user: ALICE, on, forced, now: () => '2026-12-03T00:00:00.000Z', newSid: () => `sid${++sidCounter}` })] });
}

/** The position just before the first occurrence of `text`. */
function posOf(d: PMNode, text: string): number {
  let found = -1;
  d.descendants((node, pos) => {
    if (found >= 0) return false;
    if (node.isText && node.text?.includes(text)) found = pos + node.text.indexOf(text);
    return true;
  });
  if (found < 0) throw new Error(`no ${text}`);
  return found;
}

const run = (s: EditorState, make: (s: EditorState) => Transaction): EditorState => s.apply(make(s));
const typeAt = (s: EditorState, pos: number, text: string): EditorState => run(s, (x) => x.tr.setSelection(TextSelection.create(x.doc, pos)).insertText(text));
const cursorAt = (s: EditorState, pos: number): EditorState => run(s, (x) => x.tr.setSelection(TextSelection.create(x.doc, pos)));
const backspace = (s: EditorState): EditorState => run(s, (x) => x.tr.delete(x.selection.from - 1, x.selection.from));
function command(s: EditorState, cmd: (state: EditorState, dispatch?: (tr: Transaction) => void) => boolean): EditorState {
  let next = s;
  expect(cmd(s, (tr) => (next = s.apply(tr)))).toBe(true);
  return next;
}

function marksAt(d: PMNode, text: string): { type: string; by: unknown }[] {
  const node = d.nodeAt(posOf(d, text));
  return (node?.marks ?? []).map((m) => ({ type: m.type.name, by: m.attrs.by }));
}

describe('suggestion mode: text', () => {
  it('marks typed text as a suggested insertion by its author, one suggestion for a run of typing', () => {
    let s = stateOf(base());
    const at = posOf(s.doc, '表1');
    s = typeAt(s, at, '附');
    s = typeAt(s, at + 1, '录');
    expect(s.doc.textBetween(0, s.doc.content.size)).toContain('符合附录表1');
    expect(marksAt(s.doc, '附录')).toEqual([{ type: 'suggestInsert', by: 'u-alice' }]);
    const list = listSuggestions(s.doc);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ kind: 'insert', by: 'u-alice', name: '张三', province: 'SH', text: '附录' });
  });

  it('keeps deleted text, struck through, and Backspace moves left over it', () => {
    let s = stateOf(base());
    const end = posOf(s.doc, '的规定');
    s = cursorAt(s, end);
    s = backspace(s);
    s = backspace(s);
    expect(s.doc.textContent).toContain('排放浓度应符合表1的规定。');
    expect(marksAt(s.doc, '表1')).toEqual([{ type: 'suggestDelete', by: 'u-alice' }]);
    expect(s.selection.from).toBe(end - 2);
    const list = listSuggestions(s.doc);
    expect(list).toEqual([expect.objectContaining({ kind: 'delete', text: '表1' })]);
  });

  it('replaces a selection as deletion plus insertion; reject all gives the original, accept all the edit', () => {
    const original = base();
    let s = stateOf(original);
    const from = posOf(s.doc, '每月一次');
    s = run(s, (x) => x.tr.setSelection(TextSelection.create(x.doc, from, from + 4)).insertText('每季度一次'));
    expect(s.doc.textContent).toContain('每月一次每季度一次');
    expect(listSuggestions(s.doc).map((x) => [x.kind, x.text])).toEqual([['delete', '每月一次'], ['insert', '每季度一次']]);
    expect(withSuggestionsRejected(s.doc).toJSON()).toEqual(original.toJSON());
    const direct = stateOf(original, false);
    const edited = run(direct, (x) => x.tr.setSelection(TextSelection.create(x.doc, from, from + 4)).insertText('每季度一次')).doc;
    expect(withSuggestionsAccepted(s.doc).toJSON()).toEqual(edited.toJSON());
    expect(hasSuggestions(withSuggestionsAccepted(s.doc))).toBe(false);
  });

  it('really deletes the author’s own suggested insertion', () => {
    let s = stateOf(base());
    const at = posOf(s.doc, '表1');
    s = typeAt(s, at, '附录');
    s = backspace(s);
    expect(s.doc.textContent).toContain('符合附表1');
    expect(listSuggestions(s.doc).map((x) => x.text)).toEqual(['附']);
  });

  it('accepts and rejects one suggestion by id, leaving the others', () => {
    const original = base();
    let s = stateOf(original);
    s = typeAt(s, posOf(s.doc, '表1'), '附录');
    const del = posOf(s.doc, '每月');
    s = run(s, (x) => x.tr.delete(del, del + 2));
    const [ins, dele] = listSuggestions(s.doc);
    s = command(s, acceptCommand(ins.sid));
    expect(s.doc.textContent).toContain('符合附录表1');
    expect(listSuggestions(s.doc).map((x) => x.sid)).toEqual([dele.sid]);
    s = command(s, rejectCommand(dele.sid));
    expect(hasSuggestions(s.doc)).toBe(false);
    expect(s.doc.textContent).toContain('监测频次每月一次');
    expect(s.doc.textContent).not.toContain('符合表1');
  });

  it('leaves the co-authors’ transactions (y-prosemirror sync) as they are', () => {
    let s = stateOf(base());
    const from = posOf(s.doc, '排放浓度');
    s = run(s, (x) => x.tr.delete(from, from + 4));
    // A remote change (y-prosemirror's sync) is applied as it is, even in suggestion mode.
    const at = posOf(s.doc, '规定');
    s = run(s, (x) => x.tr.insertText('相关', at).setMeta(ySyncPluginKey, { isChangeOrigin: true }));
    expect(marksAt(s.doc, '相关')).toEqual([]);
    expect(listSuggestions(s.doc)).toHaveLength(1);
  });

  it('does not attribute plain typing inside someone’s suggestion to them', () => {
    let s = stateOf(base());
    s = typeAt(s, posOf(s.doc, '表1'), '附录');
    s = command(s, setSuggesting(false));
    s = typeAt(s, posOf(s.doc, '录'), '件');
    expect(s.doc.textContent).toContain('符合附件录表1');
    expect(marksAt(s.doc, '件')).toEqual([]);
    expect(listSuggestions(s.doc).map((x) => x.text)).toEqual(['附录']);
  });

  it('can be turned off by a drafter but not by a suggest-only user, who cannot format either', () => {
    let s = stateOf(base(), true);
    s = command(s, setSuggesting(false));
    expect(isSuggesting(s)).toBe(false);
    s = typeAt(s, posOf(s.doc, '表1'), '附录');
    expect(hasSuggestions(s.doc)).toBe(false);
    const forced = stateOf(base(), false, true);
    expect(isSuggesting(forced)).toBe(true);
    expect(setSuggesting(false)(forced)).toBe(false);
    const at = posOf(forced.doc, '表1');
    const bold = forced.apply(forced.tr.addMark(at, at + 2, schema.marks.strong.create()));
    expect(bold.doc.eq(forced.doc)).toBe(true);
  });
});

describe('suggestion mode for a suggest-only user', () => {
  it('undoes what cannot be a suggestion (splitting a paragraph in the middle) but takes a new paragraph at the end', () => {
    const original = base();
    let s = stateOf(original, false, true);
    s = cursorAt(s, posOf(s.doc, '的规定'));
    s = command(s, splitBlock);
    expect(s.doc.toJSON()).toEqual(original.toJSON());
    s = cursorAt(s, posOf(s.doc, '的规定。') + 4);
    s = command(s, splitBlock);
    s = run(s, (x) => x.tr.insertText('新段落'));
    expect(listSuggestions(s.doc)).toEqual([expect.objectContaining({ kind: 'insert', text: '新段落' })]);
    expect(withSuggestionsRejected(s.doc).toJSON()).toEqual(original.toJSON());
  });
});

describe('suggestion mode: blocks', () => {
  it('marks a deleted clause instead of removing it; numbering keeps it until accepted', () => {
    const original = base();
    let s = stateOf(original);
    s = cursorAt(s, posOf(s.doc, '排放'));
    s = command(s, deleteElement());
    const c41 = s.doc.child(4).child(1);
    expect(c41.attrs.id).toBe('c41');
    expect(c41.attrs.suggestion).toMatchObject({ kind: 'delete', by: 'u-alice' });
    expect(computeNumbering(s.doc).byId.c42).toEqual(computeNumbering(original).byId.c42);
    expect(listSuggestions(s.doc)).toEqual([expect.objectContaining({ kind: 'delete', text: '限值排放浓度应符合表1的规定。' })]);
    expect(withSuggestionsRejected(s.doc).toJSON()).toEqual(original.toJSON());
    const accepted = command(s, acceptAllCommand());
    expect(accepted.doc.child(4).childCount).toBe(2);
    expect(accepted.doc.textContent).not.toContain('排放浓度');
  });

  it('marks an inserted clause, and the text typed in it joins the same suggestion', () => {
    const original = base();
    let s = stateOf(original);
    s = cursorAt(s, posOf(s.doc, '排放'));
    s = command(s, insertClauseAfter(true));
    const inserted = s.doc.child(4).child(2);
    expect(inserted.attrs.suggestion).toMatchObject({ kind: 'insert', by: 'u-alice' });
    // The cursor is in the new clause's heading: typing there belongs to the same suggestion.
    s = run(s, (x) => x.tr.insertText('采样'));
    const list = listSuggestions(s.doc);
    expect(list).toHaveLength(1);
    expect(list[0].text).toBe('采样');
    expect(withSuggestionsRejected(s.doc).toJSON()).toEqual(original.toJSON());
    expect(command(s, rejectAllCommand('u-alice')).doc.toJSON()).toEqual(original.toJSON());
  });

  it('marks a deleted table row', () => {
    const original = base();
    let s = stateOf(original);
    s = cursorAt(s, posOf(s.doc, 'COD') + 1);
    s = command(s, deleteRow);
    let rows = 0;
    let flagged = 0;
    s.doc.descendants((n) => {
      if (n.type.name === 'tableRow') {
        rows++;
        if (n.attrs.suggestion?.kind === 'delete') flagged++;
      }
      return true;
    });
    expect([rows, flagged]).toEqual([3, 1]);
    expect(withSuggestionsRejected(s.doc).toJSON()).toEqual(original.toJSON());
    expect(withSuggestionsAccepted(s.doc).textContent).not.toContain('COD');
  });

  it('selects and deletes a whole clause node the same way', () => {
    const original = base();
    let s = stateOf(original);
    const c42 = posOf(s.doc, '监测') - 2;
    expect(s.doc.nodeAt(c42)?.attrs.id).toBe('c42');
    s = run(s, (x) => x.tr.setSelection(NodeSelection.create(x.doc, c42)).deleteSelection());
    expect(s.doc.child(4).child(2).attrs.suggestion?.kind).toBe('delete');
    expect(withSuggestionsRejected(s.doc).toJSON()).toEqual(original.toJSON());
  });
});
