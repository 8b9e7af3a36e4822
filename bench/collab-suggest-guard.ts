// The suggest-only check of the collaboration server, for the benchmark's server process (bench/collab/
// serve-ours.ts with BENCH_SUGGEST_GUARD=1): users whose id starts with `sugg` are treated as suggest-only
// and each of their updates goes through the same work as server/collab/suggest-guard.ts's allowUpdate —
// a scratch copy of the document, the update applied to it, both states converted to ProseMirror and
// compared with editor/suggestions.ts isSuggestionOnlyChange — so bench:collab measures the server cost of
// suggestion mode. (The app's guard decides who is suggest-only from the standard and the user's role; that
// lookup happens once per connection, not per update, and is left out here.)
import * as Y from 'yjs';
import { schema } from '../editor/schema';
import { isSuggestionOnlyChange } from '../editor/suggestions';
import { yDocToJSON } from '../editor/ydoc';

export const SUGGEST_USER_PREFIX = 'sugg';

/** The updateGuard option of createCollabServer for the benchmark. `refused` counts refused updates. */
export function benchSuggestGuard(): { guard: (principal: { userId: string }, docName: string, doc: Y.Doc, update: Uint8Array) => boolean; refused: () => number } {
  let refused = 0;
  const guard = (principal: { userId: string }, _docName: string, doc: Y.Doc, update: Uint8Array): boolean => {
    if (!principal.userId.startsWith(SUGGEST_USER_PREFIX)) return true;
    const scratch = new Y.Doc();
    try {
      Y.applyUpdate(scratch, Y.encodeStateAsUpdate(doc));
      const before = schema.nodeFromJSON(yDocToJSON(scratch));
      Y.applyUpdate(scratch, update);
      const after = schema.nodeFromJSON(yDocToJSON(scratch));
      const ok = isSuggestionOnlyChange(before, after, principal.userId);
      if (!ok) refused += 1;
      return ok;
    } catch {
      refused += 1;
      return false;
    } finally {
      scratch.destroy();
    }
  };
  return { guard, refused: () => refused };
}
