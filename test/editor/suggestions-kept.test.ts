// A refused suggest-only update must not lose the author's words silently (issue 15). The server closes the
// socket with 4403 and the reason 'not a suggestion' (told apart from access withdrawn, 'forbidden'); the
// editor then reloads the room and keeps the paragraphs of the author's copy that the reloaded room lacks
// (editor/suggestions-kept.ts), shown for copying (editor/browser/refused-edit.ts). Here: the pure comparison,
// and a refusal through the real collaboration server and MongoDB — the update carries the bureau's
// suggestion together with a forged decision record (which is still refused), the close says why, nothing of
// it is stored, and the kept paragraphs hold exactly the bureau's words.
import * as Y from 'yjs';
import { TextSelection } from 'prosemirror-state';
import pino from 'pino';
import { keptParagraphs } from '../../editor/suggestions-kept';
import { listSuggestions } from '../../editor/suggestions';
import { recordDecision } from '../../editor/suggestions-provenance';
import { closeReason } from '../../editor/collab/close-codes';
import { createMongoDocumentStore } from '../../activities/data/documents';
import { STANDARDS } from '../../activities/data/standards';
import { freshMongo } from '../support/mongo';
import { connectClient, startSuggestCollab, until } from '../server/collab/support';
import { base, edit, paragraph, pmOf, shown } from './suggest-race';

jest.setTimeout(60_000);

const typeIn = (ydoc: Y.Doc, user: string, text: string, offset = 2): void =>
  edit(ydoc, user, true, (s) => s.tr.setSelection(TextSelection.create(s.doc, paragraph(s.doc).from + offset)).insertText(text));

describe('keptParagraphs', () => {
  const room = (): Y.Doc => {
    const y = new Y.Doc();
    Y.applyUpdate(y, base());
    return y;
  };

  it('lists the paragraph as the author meant it: their insertion in, their suggested deletion out', () => {
    const server = room();
    const local = room();
    typeIn(local, 'bureau', '每月');
    edit(local, 'bureau', true, (s) => s.tr.delete(paragraph(s.doc).from + 6, paragraph(s.doc).from + 8));
    expect(shown(pmOf(local))).toBe('排放[+bureau:每月]浓度[-bureau:应符]合表1的规定。');
    expect(keptParagraphs(pmOf(local), pmOf(server), 'bureau')).toEqual([{ id: 'p1', text: '排放每月浓度合表1的规定。' }]);
  });

  it('lists nothing when the reloaded room holds the same text, and ignores others’ suggestions it holds too', () => {
    const server = room();
    typeIn(server, 'drafter-a', '各地', 0);
    const local = new Y.Doc();
    Y.applyUpdate(local, Y.encodeStateAsUpdate(server));
    expect(keptParagraphs(pmOf(local), pmOf(server), 'bureau')).toEqual([]);
    // The bureau's words the room already stored (the refused update came later) are not listed again.
    typeIn(local, 'bureau', '每月');
    Y.applyUpdate(server, Y.encodeStateAsUpdate(local));
    expect(keptParagraphs(pmOf(local), pmOf(server), 'bureau')).toEqual([]);
  });
});

describe('a refused update through the collaboration server', () => {
  let mongo: Awaited<ReturnType<typeof freshMongo>>;
  beforeAll(async () => {
    mongo = await freshMongo('suggkept');
  });
  afterAll(async () => {
    await mongo.drop();
  });

  test('closes 4403 “not a suggestion”, stores nothing of it, and a reload keeps the bureau’s words to copy', async () => {
    const standardId = 'suggkept1';
    const docName = `standard:${standardId}`;
    await mongo.db.collection(STANDARDS).insertOne({ _id: standardId, leadProvince: 'SH', stage: 'drafting' } as never);
    const srv = await startSuggestCollab(mongo.db, standardId, pino({ level: 'silent' }));
    Y.applyUpdate(await srv.collab.getDoc(docName), base());
    const bureau = connectClient(srv.url, docName, 'bureau');
    const closes: { code: number; reason: string }[] = [];
    bureau.provider.on('connection-close', (event: { code: number; reason: string } | null) => {
      if (!event) return;
      closes.push({ code: event.code, reason: event.reason });
      // As the browser editor does on a final close code: no blind reconnect (it would resend the same update).
      if (event.code === 4403) bureau.provider.disconnect();
    });
    let reload: ReturnType<typeof connectClient> | null = null;
    try {
      await bureau.synced();
      await until(() => bureau.tracker.state.access === 'edit', 5000, 'bureau may write');
      // A suggestion the server accepts.
      typeIn(bureau.doc, 'bureau', '监测');
      await bureau.saved();
      // Then, in one update, more words and a decision record in a drafter's name (a suggest-only user may not write one).
      bureau.doc.transact(() => {
        typeIn(bureau.doc, 'bureau', '每月', 6);
        recordDecision(bureau.doc, 'drafter-a', 'accept', [listSuggestions(pmOf(bureau.doc))[0].sid]);
      });
      await until(() => closes.length > 0, 10_000, 'the refusal');
      expect(closes[0]).toEqual({ code: 4403, reason: closeReason.NOT_A_SUGGESTION });
      expect(srv.refused()).toBe(1);

      // The reload: a fresh document from the server, without the refused update.
      reload = connectClient(srv.url, docName, 'bureau');
      await reload.synced();
      expect(paragraph(pmOf(reload.doc)).node.textContent).toBe('排放监测浓度应符合表1的规定。');
      expect(keptParagraphs(pmOf(bureau.doc), pmOf(reload.doc), 'bureau')).toEqual([{ id: 'p1', text: '排放监测浓度每月应符合表1的规定。' }]);
      // Nothing of the refused update was stored.
      await srv.collab.flush(docName);
      const loaded = await createMongoDocumentStore(mongo.db).load(docName);
      const cold = new Y.Doc();
      if (loaded.snapshot) Y.applyUpdate(cold, loaded.snapshot);
      for (const u of loaded.updates) Y.applyUpdate(cold, u.update);
      expect(paragraph(pmOf(cold)).node.textContent).toBe('排放监测浓度应符合表1的规定。');
    } finally {
      reload?.destroy();
      bureau.destroy();
      await srv.close();
    }
  });
});
