// The randomized collab test's suggest-only server (test/server/collab/support.ts `startSuggestCollab`) with a
// recorder: each update the guard refuses is kept with the room's state just before it, in the form
// test/editor/suggestions-captured.test.ts replays (so a timing-dependent refusal becomes a deterministic test).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Db } from 'mongodb';
import * as Y from 'yjs';
import { createSuggestGuard } from '../../server/collab/suggest-guard';
import type { Logger } from '../../activities/infra/logger';
import type { CollabLimitsInput, Principal } from '../../server/collab/types';
import type { SuggestionAuthor } from '../../editor/schema';
import { startCollab, principalFromUrl, type TestCollab } from '../server/collab/support';

/** A refused update as the replay test reads it (base64 Yjs updates). */
export interface Captured {
  author: SuggestionAuthor;
  room: string;
  update: string;
}

/** As `startSuggestCollab`, plus `captured()`: the refused updates of suggest-only users with the room before each. */
export async function startCapturingSuggestCollab(db: Db, standardId: string, logger: Logger, limits: CollabLimitsInput = {}): Promise<TestCollab & { refused(): number; captured(): Captured[] }> {
  const guard = createSuggestGuard(db, logger);
  let refused = 0;
  const captured: Captured[] = [];
  const suggestOnly = (userId: string): boolean => userId.startsWith('bureau');
  const srv = await startCollab(db, limits, {
    authenticate: (req) => {
      const p = principalFromUrl(req.url);
      if (!p) return null;
      const grants = suggestOnly(p.userId) ? [{ role: 'marketRegulator', province: 'JS' }] : [{ role: 'drafter', standardIds: [standardId] }];
      return { ...p, grants } as Principal;
    },
    authorize: guard.authorize(async (principal) => (suggestOnly(principal.userId) ? 'read' : 'edit')),
    updateGuard: (principal, docName, doc, update) => {
      const room = guard.isSuggestOnly(principal, docName) ? Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64') : '';
      const verdict = guard.allowUpdate(principal, docName, doc, update);
      if (!verdict.ok && room) {
        const author = { sid: 'captured-1', by: principal.userId, name: principal.displayName, province: principal.province ?? '', at: new Date().toISOString() };
        captured.push({ author, room, update: Buffer.from(update).toString('base64') });
      }
      return verdict;
    },
    extensions: [{ name: 'count-refusals', onDisconnect: ({ code }) => void (code === 4403 && (refused += 1)) }],
  });
  return { ...srv, refused: () => refused, captured: () => captured };
}

/** Writes the first refusal to the system's temp directory (named by `tag`); returns the file, or null when none. */
export function saveFirstRefusal(captured: Captured[], tag: string): string | null {
  if (!captured.length) return null;
  const file = path.join(os.tmpdir(), `suggest-refused-${tag}.json`);
  fs.writeFileSync(file, JSON.stringify(captured[0]));
  return file;
}
