// The suggest-only check of the collaboration server, for the benchmark's server process (bench/collab/
// serve-ours.ts with BENCH_SUGGEST_GUARD=1): users whose id starts with `sugg` are treated as suggest-only
// and each of their updates goes through the app's own check (server/collab/suggest-guard.ts
// createSuggestionUpdateCheck: the room's shadow copy, rebuilt only where an update changed it), so
// bench:collab measures the server cost of suggestion mode as the app pays it. (The app's guard decides who
// is suggest-only from the standard and the user's role once per connection, not per update; left out here.)
import type * as Y from 'yjs';
import { createSuggestionUpdateCheck } from '../server/collab/suggest-guard';

export const SUGGEST_USER_PREFIX = 'sugg';

/** The updateGuard option of createCollabServer for the benchmark. `refused` counts refused updates. */
export function benchSuggestGuard(): { guard: (principal: { userId: string }, docName: string, doc: Y.Doc, update: Uint8Array) => boolean; refused: () => number } {
  const check = createSuggestionUpdateCheck();
  let refused = 0;
  const guard = (principal: { userId: string }, _docName: string, doc: Y.Doc, update: Uint8Array): boolean => {
    if (!principal.userId.startsWith(SUGGEST_USER_PREFIX)) return true;
    let ok = false;
    try {
      ok = check(principal.userId, doc, update);
    } finally {
      if (!ok) refused += 1;
    }
    return ok;
  };
  return { guard, refused: () => refused };
}
