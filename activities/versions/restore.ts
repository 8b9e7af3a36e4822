// Restores old content into the live document as NEW edits: y-prosemirror's updateYFragment turns the live
// fragment into the old ProseMirror document with ordinary Yjs operations (unchanged prefixes and suffixes
// are kept, the rest is deleted and re-inserted), so history is never rewritten, every client receives
// the restore as an update, and the restore itself can be undone by restoring a later version.
import { updateYFragment } from 'y-prosemirror';
import type * as Y from 'yjs';
import { schema } from '../../editor/schema';
import type { DocJSON } from '../../editor/types';
import { YJS_FRAGMENT } from '../../editor/ydoc';

/** Origin of restore transactions, so observers can tell them from typing. */
export const RESTORE_ORIGIN = 'tongbiao:restore-version';

export function applyContentAsNewEdits(doc: Y.Doc, json: DocJSON): void {
  const node = schema.nodeFromJSON(json);
  node.check();
  doc.transact(() => {
    updateYFragment(doc, doc.getXmlFragment(YJS_FRAGMENT), node, { mapping: new Map(), isOMark: new Map() });
  }, RESTORE_ORIGIN);
}
