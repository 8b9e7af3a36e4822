// Saving what the randomized collab test's suggest-only server (test/server/collab/support.ts `startSuggestCollab`)
// captured: the first refused update with the room's state just before it, in the form
// test/editor/suggestions-captured.test.ts replays (so a timing-dependent refusal becomes a deterministic test).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CapturedRefusal } from '../server/collab/support';

export type Captured = CapturedRefusal;

/** Writes the first refusal to the system's temp directory (named by `tag`); returns the file, or null when none. */
export function saveFirstRefusal(captured: Captured[], tag: string): string | null {
  if (!captured.length) return null;
  const file = path.join(os.tmpdir(), `suggest-refused-${tag}.json`);
  fs.writeFileSync(file, JSON.stringify(captured[0]));
  return file;
}
