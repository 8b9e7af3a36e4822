// The suggest-only check of the collaboration server, for the benchmark's server process (bench/collab/
// serve-ours.ts with BENCH_SUGGEST_GUARD=1): users whose id starts with `sugg` are treated as suggest-only
// and each of their updates goes through the app's own check (server/collab/suggest-guard.ts
// createSuggestionUpdateCheck: the room's shadow copy, rebuilt only where an update changed it), so
// bench:collab measures the server cost of suggestion mode as the app pays it. (The app's guard decides who
// is suggest-only from the standard and the user's role once per connection, not per update; left out here.)
// Every other writer's update is watched for a stretched suggestion mark, as the app's guard does.
import type * as Y from 'yjs';
import { createSuggestionUpdateCheck, watchForStretch, type UpdateVerdict } from '../server/collab/suggest-guard';

export const SUGGEST_USER_PREFIX = 'sugg';

/** The updateGuard option of createCollabServer for the benchmark. `refused` counts refused updates. */
export function benchSuggestGuard(): { guard: (principal: { userId: string }, docName: string, doc: Y.Doc, update: Uint8Array) => UpdateVerdict; refused: () => number } {
  const check = createSuggestionUpdateCheck();
  let refused = 0;
  const guard = (principal: { userId: string }, _docName: string, doc: Y.Doc, update: Uint8Array): UpdateVerdict => {
    // Others edit directly; as in the app, each of their updates is watched for a stretched suggestion mark.
    if (!principal.userId.startsWith(SUGGEST_USER_PREFIX)) return { ok: true, after: watchForStretch(doc, principal.userId, () => undefined) };
    let verdict: UpdateVerdict = { ok: false };
    try {
      const author = { sid: `${principal.userId}-repair`, by: principal.userId, name: principal.userId, province: '', at: '' };
      verdict = check(author, doc, update);
    } finally {
      if (!verdict.ok) refused += 1;
    }
    return verdict;
  };
  return { guard, refused: () => refused };
}
