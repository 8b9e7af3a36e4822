// The numbering and id plugins skip work when someone only types; whatever the edits, their state must
// equal a full recomputation.
import { EditorState, TextSelection, type Command } from 'prosemirror-state';
import type { Node } from 'prosemirror-model';
import type { DecorationSet } from 'prosemirror-view';
import { sampleStandard } from '../../editor/fixtures/sample-standard';
import { numberingPlugin, numberingKey, numberDecorations } from '../../editor/decorations';
import { computeNumbering } from '../../editor/numbering';
import { idPlugin, idPluginKey } from '../../editor/ids';
import { diffDocs, textOnlyChange } from '../../editor/doc-diff';
import { splitBlock, joinBackward } from 'prosemirror-commands';
import { listEnter } from '../../editor/list-commands';
import {
  deleteElement, insertClauseAfter, insertExample, insertFormula, insertNote, insertSubClause, insertTable, insertXref, insertAnnex, demoteClause, promoteClause,
} from '../../editor/commands';

function decoList(set: DecorationSet, doc: Node): string[] {
  return set
    .find(0, doc.content.size)
    .map((d) => `${d.from}-${d.to}:${JSON.stringify((d as unknown as { type: { attrs: unknown } }).type.attrs)}`)
    .sort();
}

/** A tiny deterministic random generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function textPositions(doc: Node): number[] {
  const out: number[] = [];
  doc.descendants((node, pos) => {
    if (node.isTextblock) out.push(pos + 1 + Math.floor(node.content.size / 2));
    return true;
  });
  return out;
}

describe('incremental plugins', () => {
  it('tells typing inside one textblock apart from structural changes', () => {
    const doc = sampleStandard();
    const state = EditorState.create({ doc });
    const typed = state.tr.insertText('字', 10).doc;
    const change = diffDocs(doc, typed);
    expect(change).not.toBeNull();
    expect(textOnlyChange(doc, typed, change!)?.node.isTextblock).toBe(true);
    const split = state.tr.split(10).doc;
    expect(textOnlyChange(doc, split, diffDocs(doc, split)!)).toBeNull();
  });

  it('updates the outline title while a heading is typed, without renumbering', () => {
    let state = EditorState.create({ doc: sampleStandard(), plugins: [numberingPlugin()] });
    let headingEnd = -1;
    state.doc.descendants((node, pos) => {
      if (headingEnd < 0 && node.type.name === 'heading' && node.textContent === '布设原则') headingEnd = pos + 1 + node.content.size;
      return headingEnd < 0;
    });
    const before = numberingKey.getState(state)!.numbering;
    state = state.apply(state.tr.insertText('和方法', headingEnd));
    const after = numberingKey.getState(state)!.numbering;
    expect(after.byId).toBe(before.byId);
    expect(after.outline.find((o) => o.id === 'clause-5-1')?.title).toBe('布设原则和方法');
    expect(after).toEqual(computeNumbering(state.doc));
  });

  it.each([1, 7, 20261129])('keeps numbering, outline, decorations and ids equal to a full recomputation through 200 random edits (seed %i)', (seed) => {
    const random = rng(seed);
    let state = EditorState.create({ doc: sampleStandard(), plugins: [idPlugin(), numberingPlugin()] });
    const structural: Command[] = [
      insertClauseAfter(true), insertClauseAfter(false), insertSubClause(true), insertNote(), insertExample(), insertTable(2, 2), insertFormula(),
      deleteElement(), demoteClause(), promoteClause(), insertAnnex('normative'), insertXref('clause-5-2'),
      splitBlock, splitBlock, listEnter(),
      // Backspace at the start of the textblock.
      (st, dispatch) => joinBackward(st.apply(st.tr.setSelection(TextSelection.create(st.doc, st.selection.$from.start()))), dispatch),
      // Delete a random range across blocks.
      (st, dispatch) => {
        const a = Math.floor(random() * st.doc.content.size);
        const b = Math.min(st.doc.content.size, a + Math.floor(random() * 40));
        const tr = st.tr.deleteRange(a, b);
        if (!tr.docChanged) return false;
        dispatch?.(tr);
        return true;
      },
    ];
    for (let step = 0; step < 200; step++) {
      const positions = textPositions(state.doc);
      const at = positions[Math.floor(random() * positions.length)];
      state = state.apply(state.tr.setSelection(TextSelection.near(state.doc.resolve(at))));
      const r = random();
      if (r < 0.6) state = state.apply(state.tr.insertText(random() < 0.5 ? '字' : 'ab', state.selection.from));
      else if (r < 0.7 && state.selection.from > 2) state = state.apply(state.tr.delete(state.selection.from - 1, state.selection.from));
      else {
        const cmd = structural[Math.floor(random() * structural.length)];
        cmd(state, (tr) => {
          state = state.apply(tr);
        });
      }
      const plugin = numberingKey.getState(state)!;
      const full = computeNumbering(state.doc);
      expect(plugin.numbering).toEqual(full);
      expect(decoList(plugin.decorations, state.doc)).toEqual(decoList(numberDecorations(state.doc, full), state.doc));
      const ids: string[] = [];
      state.doc.descendants((node) => {
        if ('id' in node.attrs) ids.push(node.attrs.id as string);
        return true;
      });
      expect(ids.every(Boolean)).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
      // The id plugin's running counts match a recount.
      const counts = idPluginKey.getState(state) ?? new Map<string, number>();
      expect([...counts.keys()].sort()).toEqual([...ids].sort());
      expect([...counts.values()].every((c) => c === 1)).toBe(true);
    }
  });
});
