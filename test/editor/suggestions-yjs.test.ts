// Suggestion mode under co-editing (issue 15): two Y.Docs bound to ProseMirror states the way the editor's
// y-prosemirror binding does (local edits diffed into the Y fragment, remote ones rebuilt from it with the
// sync meta) exchange updates with random delays. One suggests, the other types and accepts; they converge,
// the suggestions are all the suggester's, and rejecting them all leaves none of the suggester's words.
import * as Y from 'yjs';
import { EditorState, TextSelection, type Transaction } from 'prosemirror-state';
import type { Node as PMNode } from 'prosemirror-model';
import { initProseMirrorDoc, updateYFragment, ySyncPluginKey } from 'y-prosemirror';
import { schema } from '../../editor/schema';
import { chapter, clause, doc, foreword, h, normativeReferences, p, scope, termsAndDefinitions } from '../../editor/builders';
import { jsonToYDoc, YJS_FRAGMENT } from '../../editor/ydoc';
import type { DocJSON } from '../../editor/types';
import { suggestionsPlugin, acceptCommand } from '../../editor/suggestions-plugin';
import { listSuggestions, withSuggestionsRejected } from '../../editor/suggestions';
import { IncrementalDoc } from '../../editor/suggestions-ydoc';
import { prng } from '../support/prng';

class Client {
  readonly ydoc = new Y.Doc();
  readonly frag: Y.XmlFragment;
  state: EditorState;
  private meta: ReturnType<typeof initProseMirrorDoc>['meta'];
  readonly outbox: Uint8Array[] = [];
  /** The server check's incremental ProseMirror form, compared with y-prosemirror's full conversion. */
  readonly inc: IncrementalDoc;
  mismatches = 0;

  constructor(seed: Uint8Array, suggesting: boolean, readonly name: string) {
    Y.applyUpdate(this.ydoc, seed);
    this.frag = this.ydoc.getXmlFragment(YJS_FRAGMENT);
    this.inc = new IncrementalDoc(this.frag);
    const init = initProseMirrorDoc(this.frag, schema);
    this.meta = init.meta;
    let n = 0;
    this.state = EditorState.create({
      doc: init.doc,
      plugins: [suggestionsPlugin({ user: { by: name, name, province: 'JS' }, on: suggesting, newSid: () => `${name}-${++n}` })],
    });
    this.ydoc.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin !== 'remote') this.outbox.push(u);
    });
  }

  /** A local edit: through the plugins, then diffed into the Y fragment (like ySyncPlugin after a view update). */
  local(make: (s: EditorState) => Transaction | null): void {
    const tr = make(this.state);
    if (!tr) return;
    this.state = this.state.applyTransaction(tr).state;
    this.ydoc.transact(() => updateYFragment(this.ydoc, this.frag, this.state.doc, this.meta), 'local');
  }

  receive(update: Uint8Array): void {
    Y.applyUpdate(this.ydoc, update, 'remote');
    const { doc: next, meta } = initProseMirrorDoc(this.frag, schema);
    this.meta = meta;
    if (!this.inc.doc().eq(next)) this.mismatches++;
    const tr = this.state.tr.replaceWith(0, this.state.doc.content.size, next.content).setMeta(ySyncPluginKey, { isChangeOrigin: true });
    this.state = this.state.applyTransaction(tr).state;
  }
}

/** Text positions inside the clause's paragraph (the shared editing spot). */
function paragraphRange(d: PMNode): { from: number; to: number } {
  let range = { from: -1, to: -1 };
  d.descendants((node, pos) => {
    if (node.type.name === 'paragraph' && node.attrs.id === 'p1') range = { from: pos + 1, to: pos + node.nodeSize - 1 };
    return range.from < 0;
  });
  return range;
}

const WORDS = ['限值', 'pH', '每月', '不应', '监测', 'mg/L'];

function randomEdit(c: Client, rnd: () => number): void {
  c.local((s) => {
    const { from, to } = paragraphRange(s.doc);
    const at = from + Math.floor(rnd() * (to - from + 1));
    if (rnd() < 0.65 || to - from < 4) return s.tr.setSelection(TextSelection.create(s.doc, at)).insertText(WORDS[Math.floor(rnd() * WORDS.length)]);
    const a = Math.min(at, to - 1);
    const b = Math.min(to, a + 1 + Math.floor(rnd() * 3));
    return s.tr.setSelection(TextSelection.create(s.doc, b)).delete(a, b);
  });
}

function deliver(from: Client, to: Client, all: boolean, rnd: () => number): void {
  while (from.outbox.length && (all || rnd() < 0.5)) to.receive(from.outbox.shift() as Uint8Array);
}

const base = (): DocJSON =>
  doc(
    foreword(p('前言')),
    scope(p('范围')),
    normativeReferences(),
    termsAndDefinitions(),
    chapter(h('要求'), clause({ id: 'c41' }, h('限值'), p({ id: 'p1' }, '排放浓度应符合表1的规定。'))),
  ).toJSON() as DocJSON;

describe('suggestion mode with two co-editors', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`converges while one suggests and the other types and accepts (seed ${seed})`, () => {
      const rnd = prng(seed);
      const seedUpdate = Y.encodeStateAsUpdate(jsonToYDoc(base()));
      const suggester = new Client(seedUpdate, true, 'expert');
      const typist = new Client(seedUpdate, false, 'drafter');
      for (let round = 0; round < 40; round++) {
        randomEdit(suggester, rnd);
        randomEdit(typist, rnd);
        if (round % 10 === 9) {
          // The drafter accepts the first suggestion it sees while the suggester keeps typing.
          const first = listSuggestions(typist.state.doc)[0];
          if (first) typist.local((s) => {
            let out: Transaction | null = null;
            acceptCommand(first.sid)(s, (tr) => (out = tr));
            return out;
          });
        }
        deliver(suggester, typist, false, rnd);
        deliver(typist, suggester, false, rnd);
      }
      // Receiving may itself produce updates (Yjs cleans up formatting after a remote change): exchange until quiet.
      while (suggester.outbox.length || typist.outbox.length) {
        deliver(suggester, typist, true, rnd);
        deliver(typist, suggester, true, rnd);
      }
      expect(suggester.frag.toString()).toBe(typist.frag.toString());
      expect(suggester.state.doc.eq(typist.state.doc)).toBe(true);
      expect([suggester.mismatches, typist.mismatches]).toEqual([0, 0]);
      expect(typist.inc.doc().eq(typist.state.doc)).toBe(true);
      const list = listSuggestions(typist.state.doc);
      expect(list.length).toBeGreaterThan(0);
      expect(new Set(list.map((x) => x.by))).toEqual(new Set(['expert']));
      // Rejecting everything leaves no text marked, and none of the suggester's pending insertions.
      const rejected = withSuggestionsRejected(typist.state.doc);
      expect(listSuggestions(rejected)).toEqual([]);
      const pendingInserted = list.filter((x) => x.kind === 'insert').reduce((n, x) => n + x.text.length, 0);
      expect(rejected.textContent.length).toBe(typist.state.doc.textContent.length - pendingInserted);
    });
  }
});
