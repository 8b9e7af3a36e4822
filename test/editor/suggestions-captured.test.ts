// Updates of the suggest-only bureau that the server refused in the randomized collab test
// (test/editor/suggestions-collab.test.ts; the first two in 2 of 30 runs at 13:24 UTC on 2026-12-03, captured by
// hand, the third by the test's own recorder, test/editor/suggest-capture.ts), each with the room's state just
// before: the room and the update as they were, replayed through the same check. All were pure suggestions in
// the bureau's editor; Yjs's merge with concurrent edits garbled them:
//   - own-delete: the bureau's new "pH" landed inside its own suggested deletion "每月" and inherited that
//     mark instead of its insertion (new text proposed for deletion: rejecting would keep words nobody saw);
//   - diff-shift: the bureau typed "每月" right before drafter-a's suggested "每月"; y-prosemirror's diff put the
//     bureau's mark on the old "每月" and drafter-a's on the new one, and drafter-a's concurrent "监测" landed
//     in between — restoring the old characters left the bureau's new words in drafter-a's name.
//   - shifted-plain (seed 67717, 1 of 34 runs at 15:50 UTC on 2026-12-03; refused 125 times as it was resent until the
//     test gave up): the bureau typed "每月" right before drafter-a's plain "每月"; y-prosemirror's diff marked
//     the old "每月" as the bureau's (by deleting the end marker of its "不应") and sent the new one plain, after
//     the old. In the room a concurrent end marker of drafter-a kept the old "每月" plain, so the update added
//     plain text whose neighbours were not the bureau's: a direct edit.
//   - adjacent (seed 18114 with SUGGEST_HARD=1, 1 of 6 runs at 16:04 UTC): the bureau deleted two adjacent
//     characters "应月" of its own that a drafter had accepted meanwhile (two Yjs items); the repair put both
//     back as its suggested deletion at the same index, one after the other — "月应", a changed text.
// Now the guard repairs all four: the new words are the bureau's suggested insertion, nobody else's suggestion
// changes, the text with every suggestion rejected is unchanged.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as Y from 'yjs';
import { createSuggestionUpdateCheck } from '../../server/collab/suggest-guard';
import { isSuggestionOnlyChange, listSuggestions } from '../../editor/suggestions';
import type { SuggestionAuthor } from '../../editor/schema';
import { pmOf, shown } from './suggest-race';

interface Captured {
  author: SuggestionAuthor;
  room: string;
  update: string;
}

/** A captured update, and what the bureau's change is once repaired: new words it suggests, or a run it suggests deleting. */
const CASES: { file: string; inserted: string; shows?: string }[] = [
  { file: 'suggest-refused-own-delete.json', inserted: 'pH' },
  { file: 'suggest-refused-diff-shift.json', inserted: '每月' },
  { file: 'suggest-refused-shifted-plain.json', inserted: '每月' },
  { file: 'suggest-refused-adjacent.json', inserted: '', shows: '[-bureau:应月]' },
];

for (const { file, inserted, shows } of CASES) {
  const what = inserted ? `"${inserted}" is the bureau's suggested insertion` : `the deleted "${shows}" is the bureau's suggested deletion, in order`;
  it(`${file}: repaired instead of refused; ${what}`, () => {
    const captured = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', file), 'utf8')) as Captured;
    const room = new Y.Doc();
    Y.applyUpdate(room, Buffer.from(captured.room, 'base64'));
    const update = new Uint8Array(Buffer.from(captured.update, 'base64'));
    const before = pmOf(room);
    const insertedBefore = listSuggestions(before).filter((s) => s.by === 'bureau' && s.kind === 'insert').map((s) => s.text).join('|');
    const verdict = createSuggestionUpdateCheck()(captured.author, room, update);
    expect(verdict).toMatchObject({ ok: true, repaired: expect.any(Number) });
    if (!verdict.ok || !verdict.followUp) throw new Error('expected a repair');
    Y.applyUpdate(room, update);
    Y.applyUpdate(room, verdict.followUp);
    const after = pmOf(room);
    // Among others: the text with every suggestion rejected is unchanged (so put-back text is in its order).
    expect(isSuggestionOnlyChange(before, after, 'bureau')).toBe(true);
    // The bureau's suggested insertions hold exactly its earlier ones and the new words.
    const insertedAfter = listSuggestions(after).filter((s) => s.by === 'bureau' && s.kind === 'insert').map((s) => s.text).join('|');
    expect(insertedAfter.replace(/\|/g, '').length).toBe(insertedBefore.replace(/\|/g, '').length + inserted.length);
    if (shows) expect(shown(after)).toContain(shows);
  });
}
