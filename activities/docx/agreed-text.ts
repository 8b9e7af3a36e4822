// The agreed text of a draft for every generated document: suggested changes (issue 15) are proposals, so
// released editions, stage drafts and their PDFs print the text with every suggestion rejected — inserted
// text and blocks left out, deleted ones kept as they were (editor/suggestions.ts). Only the review copy shows
// them, as Word tracked changes (activities/redline/review-suggestions.ts turns them into other marks first).
// A body without suggestions is returned as it is, without a round trip through the schema.
import { schema, SUGGEST_DELETE, SUGGEST_INSERT } from '../../editor/schema';
import { withSuggestionsRejected } from '../../editor/suggestions';
import type { DocJSON, NodeJSON } from '../../editor/types';

function carriesSuggestion(n: NodeJSON): boolean {
  if ((n.attrs as { suggestion?: unknown } | undefined)?.suggestion) return true;
  if ((n.marks ?? []).some((m) => (m.type as string) === SUGGEST_INSERT || (m.type as string) === SUGGEST_DELETE)) return true;
  return (n.content ?? []).some(carriesSuggestion);
}

/** The body with every suggestion rejected (the same object when it has none). */
export function agreedText(body: DocJSON): DocJSON {
  if (!carriesSuggestion(body as NodeJSON)) return body;
  return withSuggestionsRejected(schema.nodeFromJSON(body)).toJSON() as DocJSON;
}
