// The quick check of a suggest-only author's update (editor/suggestions-quick-check.ts, issue 15): its yes must
// imply the full check's yes. Compared on random edits of an expert in suggestion mode and out of it (a client
// forced past the mode), a bureau suggesting and a drafter typing and deciding in the same paragraph, and on
// hand-made Yjs updates a hostile client could send. Also: the quick check does take the everyday edits (else
// the comparison would prove nothing), and an update that leaves content waiting in Yjs is refused.
import * as Y from 'yjs';
import { TextSelection } from 'prosemirror-state';
import { schema, type SuggestionAuthor } from '../../editor/schema';
import { YJS_FRAGMENT } from '../../editor/ydoc';
import { acceptCommand, rejectCommand } from '../../editor/suggestions-plugin';
import { isSuggestionOnlyChange, listSuggestions } from '../../editor/suggestions';
import { IncrementalDoc, isSuggestionOnlyUpdate } from '../../editor/suggestions-ydoc';
import { applyAndPlan } from '../../editor/suggestions-repair';
import { createSuggestionUpdateCheck } from '../../server/collab/suggest-guard';
import { base, edit, offline, paragraph, pmOf, type AuthorEdit } from './suggest-race';
import { prng } from '../support/prng';

const EXPERT = 'expert';
const author = (by: string): SuggestionAuthor => ({ sid: `${by}-server`, by, name: by, province: 'SH', at: 'T' });

interface Judged {
  quick: boolean;
  /** The full check as the server ran it before the quick check existed (smallest changed node). */
  full: boolean;
  /** The same over the whole document. */
  whole: boolean;
  steps: number;
}

/** Both checks of `update` by `by` against the room (on a copy; the room is not changed). */
function judge(room: Y.Doc, update: Uint8Array, by: string): Judged {
  const shadow = new Y.Doc();
  Y.applyUpdate(shadow, Y.encodeStateAsUpdate(room));
  const inc = new IncrementalDoc(shadow.getXmlFragment(YJS_FRAGMENT));
  const before = inc.doc();
  const plan = applyAndPlan(shadow, update, author(by), new Set());
  const after = inc.doc();
  inc.destroy();
  return { quick: plan.quick, full: isSuggestionOnlyUpdate(before, after, by), whole: isSuggestionOnlyChange(before, after, by), steps: plan.steps.length };
}

/** The first text node's Y.XmlText of paragraph p1 in `doc`. */
function p1Text(doc: Y.Doc): Y.XmlText {
  let found: Y.XmlText | null = null;
  const walk = (el: Y.XmlFragment | Y.XmlElement): void => {
    for (const c of el.toArray()) {
      if (found) return;
      if (c instanceof Y.XmlElement) {
        if (c.nodeName === 'paragraph' && c.getAttribute('id') === 'p1') found = c.toArray().find((x): x is Y.XmlText => x instanceof Y.XmlText) ?? null;
        else walk(c);
      }
    }
  };
  walk(doc.getXmlFragment(YJS_FRAGMENT));
  if (!found) throw new Error('no p1 text');
  return found;
}

const WORDS = ['限值', 'pH', '每月', '不应', '监测'];

/** A random edit inside paragraph p1, as the editor makes it. */
function randomEdit(rnd: () => number): AuthorEdit {
  return (s) => {
    const { from, node } = paragraph(s.doc);
    const to = from + node.content.size;
    const at = from + Math.floor(rnd() * (to - from + 1));
    const r = rnd();
    if (r < 0.55 || to - from < 4) return s.tr.setSelection(TextSelection.create(s.doc, at)).insertText(WORDS[Math.floor(rnd() * WORDS.length)]);
    const a = Math.min(at, to - 1);
    const b = Math.min(to, a + 1 + Math.floor(rnd() * 3));
    if (r < 0.9) return s.tr.setSelection(TextSelection.create(s.doc, b)).delete(a, b);
    // Formatting: only the editor's direct mode may do it (a suggest-only author's is refused).
    return s.tr.addMark(a, b, schema.marks.em.create());
  };
}

/** A drafter's decision on a random suggestion of the paragraph, as the pane makes it. */
function decideRandom(rnd: () => number): AuthorEdit {
  return (s) => {
    const list = listSuggestions(s.doc);
    const sid = list[Math.floor(rnd() * list.length)]?.sid;
    let out = s.tr;
    if (sid) (rnd() < 0.5 ? acceptCommand(sid) : rejectCommand(sid))(s, (tr) => (out = tr));
    return out;
  };
}

describe('the quick check of a suggest-only update', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`never says yes where the full check says no, on random co-editing (seed ${seed})`, () => {
      const rnd = prng(seed);
      const room = new Y.Doc();
      Y.applyUpdate(room, base());
      let suggesting = 0;
      let quickInSuggesting = 0;
      let refused = 0;
      for (let step = 0; step < 150; step++) {
        const who = rnd();
        if (who < 0.6) {
          // The expert: in suggestion mode mostly; 15 % of the time a client forced past it (plain edits).
          const inMode = rnd() < 0.85;
          const update = offline(room, (copy) => edit(copy, EXPERT, inMode, randomEdit(rnd)));
          const j = judge(room, update, EXPERT);
          if (j.quick) {
            expect({ step, ...j }).toEqual({ step, quick: true, full: true, whole: true, steps: 0 });
          }
          if (inMode) {
            suggesting++;
            if (j.quick) quickInSuggesting++;
          }
          // The server applies what passes (as it is or repaired: left to the full check's tests), refuses the rest.
          if (j.full) Y.applyUpdate(room, update);
          else refused++;
        } else if (who < 0.75) {
          Y.applyUpdate(room, offline(room, (copy) => edit(copy, 'bureau', true, randomEdit(rnd))));
        } else if (who < 0.9) {
          Y.applyUpdate(room, offline(room, (copy) => edit(copy, 'drafter', false, randomEdit(rnd))));
        } else {
          Y.applyUpdate(room, offline(room, (copy) => edit(copy, 'drafter', false, decideRandom(rnd))));
        }
      }
      // The quick check takes most everyday suggesting; the forced plain edits give the full check refusals.
      expect(quickInSuggesting / suggesting).toBeGreaterThan(0.5);
      expect(refused).toBeGreaterThan(0);
    });
  }

  /** The room with a bureau's suggested insertion "附录" and a plain paragraph text around it. */
  function roomWithBureau(): Y.Doc {
    const room = new Y.Doc();
    Y.applyUpdate(room, base());
    Y.applyUpdate(room, offline(room, (copy) => edit(copy, 'bureau', true, (s) => s.tr.setSelection(TextSelection.create(s.doc, paragraph(s.doc).from + 4)).insertText('附录'))));
    return room;
  }
  const bureauSid = (room: Y.Doc): string => listSuggestions(pmOf(room))[0].sid;
  const own = (extra: Partial<SuggestionAuthor> = {}): SuggestionAuthor => ({ sid: 'expert-9', by: EXPERT, name: EXPERT, province: 'SH', at: 'T', ...extra });
  const bureau: SuggestionAuthor = { sid: 'b-1', by: 'bureau', name: 'bureau', province: 'JS', at: 'T' };

  it('takes typing, withdrawing and marking for deletion in one’s own name', () => {
    const room = roomWithBureau();
    const typed = offline(room, (copy) => edit(copy, EXPERT, true, (s) => s.tr.setSelection(TextSelection.create(s.doc, paragraph(s.doc).from + 1)).insertText('新')));
    expect(judge(room, typed, EXPERT)).toMatchObject({ quick: true, full: true });
    Y.applyUpdate(room, typed);
    const more = offline(room, (copy) => edit(copy, EXPERT, true, (s) => s.tr.setSelection(TextSelection.create(s.doc, paragraph(s.doc).from + 2)).insertText('增')));
    expect(judge(room, more, EXPERT)).toMatchObject({ quick: true, full: true });
    Y.applyUpdate(room, more);
    const withdrawn = offline(room, (copy) => edit(copy, EXPERT, true, (s) => s.tr.delete(paragraph(s.doc).from + 1, paragraph(s.doc).from + 2)));
    expect(judge(room, withdrawn, EXPERT)).toMatchObject({ quick: true, full: true });
    const marked = offline(room, (copy) => edit(copy, EXPERT, true, (s) => s.tr.delete(paragraph(s.doc).from + 8, paragraph(s.doc).from + 10)));
    expect(judge(room, marked, EXPERT)).toMatchObject({ quick: true, full: true });
    Y.applyUpdate(room, marked);
    // Taking one's own suggested deletion back (the mark removed).
    const unmarked = offline(room, (copy) => p1Text(copy).format(8, 2, { suggestDelete: null }));
    expect(judge(room, unmarked, EXPERT)).toMatchObject({ quick: true, full: true });
  });

  const hostile: [string, (room: Y.Doc) => (copy: Y.Doc) => void][] = [
    ['plain text', () => (copy) => p1Text(copy).insert(1, '直接')],
    ['text in another author’s name', () => (copy) => p1Text(copy).insert(1, '冒名', { suggestInsert: bureau })],
    ['text of one’s own under another author’s suggestion id', (room) => (copy) => p1Text(copy).insert(1, '并入', { suggestInsert: own({ sid: bureauSid(room) }) })],
    ['a suggested deletion of one’s own under another author’s suggestion id', (room) => (copy) => p1Text(copy).format(0, 2, { suggestDelete: own({ sid: bureauSid(room) }) })],
    ['existing text marked as one’s insertion', () => (copy) => p1Text(copy).format(0, 2, { suggestInsert: own() })],
    ['existing text deleted', () => (copy) => p1Text(copy).delete(0, 2)],
    ['another author’s suggested insertion deleted', () => (copy) => p1Text(copy).delete(4, 2)],
    ['another author’s suggested insertion marked for deletion', () => (copy) => p1Text(copy).format(4, 2, { suggestInsert: null, suggestDelete: own() })],
    ['existing text formatted', () => (copy) => p1Text(copy).format(0, 2, { em: {} })],
    ['text carrying an insertion and a deletion', () => (copy) => p1Text(copy).insert(1, '双', { suggestInsert: own(), suggestDelete: own() })],
    ['a variant key of the insertion mark', () => (copy) => p1Text(copy).insert(1, '变', { 'suggestInsert--x': own() })],
    ['an attribute of the text node', () => (copy) => p1Text(copy).setAttribute('x', '1')],
    ['the paragraph’s attributes', () => (copy) => (p1Text(copy).parent as Y.XmlElement).setAttribute('id', 'p9')],
    ['a decision record', () => (copy) => copy.getMap('suggestionDecisions').set(EXPERT, { decision: 'accept', sids: [], sv: new Uint8Array() })],
  ];
  for (const [name, make] of hostile) {
    it(`sends to the full check: ${name}`, () => {
      const room = roomWithBureau();
      const update = offline(room, make(room));
      const j = judge(room, update, EXPERT);
      expect(j.quick).toBe(false);
    });
  }

  it('sends two paragraphs changed at once to the full check', () => {
    const room = roomWithBureau();
    const update = offline(room, (copy) => {
      copy.transact(() => {
        p1Text(copy).insert(1, '甲', { suggestInsert: own() });
        const first = copy.getXmlFragment(YJS_FRAGMENT).get(0) as Y.XmlElement;
        const text = (first.get(0) as Y.XmlElement).get(0) as Y.XmlText;
        text.insert(0, '乙', { suggestInsert: own() });
      });
    });
    const j = judge(room, update, EXPERT);
    expect(j).toMatchObject({ quick: false, full: true });
  });

  it('refuses an update that leaves content waiting for something the room does not have', () => {
    const room = roomWithBureau();
    // The author's client writes twice; the server gets only the second (its items hang on the first's).
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(room));
    const updates: Uint8Array[] = [];
    client.on('update', (u: Uint8Array) => updates.push(u));
    p1Text(client).insert(1, '甲', { suggestInsert: own() });
    p1Text(client).insert(2, '乙', { suggestInsert: own() });
    const check = createSuggestionUpdateCheck();
    const before = pmOf(room);
    expect(check(own(), room, updates[1]).ok).toBe(false);
    // Both in order pass (the quick way), and the room is untouched by the check.
    expect(pmOf(room).eq(before)).toBe(true);
    expect(check(own(), room, updates[0])).toMatchObject({ ok: true, quick: true });
    Y.applyUpdate(room, updates[0]);
    expect(check(own(), room, updates[1])).toMatchObject({ ok: true, quick: true });
  });

  it('gives the server the same verdicts with and without the quick check on the random edits', () => {
    // The guard's answer (quick, else full on the room's form) against the full check alone, on a fresh room.
    const rnd = prng(99);
    const room = new Y.Doc();
    Y.applyUpdate(room, base());
    const check = createSuggestionUpdateCheck();
    let passed = 0;
    for (let step = 0; step < 120; step++) {
      const inMode = rnd() < 0.8;
      const update = offline(room, (copy) => edit(copy, EXPERT, inMode, randomEdit(rnd)));
      const j = judge(room, update, EXPERT);
      const verdict = check(author(EXPERT), room, update);
      // A refusal by the full check may still be repaired into a suggestion by the guard; never the reverse.
      if (j.full) expect({ step, ok: verdict.ok }).toEqual({ step, ok: true });
      if (j.full) passed++;
      if (verdict.ok) {
        Y.applyUpdate(room, update);
        if (verdict.followUp) Y.applyUpdate(room, verdict.followUp);
      }
      if (rnd() < 0.2) Y.applyUpdate(room, offline(room, (copy) => edit(copy, 'drafter', false, randomEdit(rnd))));
    }
    expect(passed).toBeGreaterThan(60);
  });
});
