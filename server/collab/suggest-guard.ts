// Suggest-only co-editing (issue 15): experts and bureaus may propose changes in a draft they otherwise only
// read. Their socket gets write access, and every update it sends is checked before it is applied: applied
// first to a shadow copy of the document, the change must be suggestions only in that user's name
// (editor/suggestions.ts `isSuggestionOnlyChange`: the text with all suggestions rejected is unchanged, the
// others' suggestions are untouched). An update that writes anything else is refused and the socket closed
// (4403), so nothing of it is stored or relayed; the editor's suggestion mode never produces one.
// Cost: the shadow (one copy per loaded document that a suggest-only user writes to) follows every update
// of the room; its ProseMirror form is rebuilt only where an update changed it, and the check looks only at
// the smallest node holding the change (editor/suggestions-ydoc.ts). Other users' updates are not checked.
import type { Db } from 'mongodb';
import type { Logger } from '../../activities/infra/logger';
import * as Y from 'yjs';
import { getStandard } from '../../activities/data/standards';
import { IncrementalDoc, isSuggestionOnlyUpdate } from '../../editor/suggestions-ydoc';
import { YJS_FRAGMENT } from '../../editor/ydoc';
import { standardIdOfDoc, type RoleGrant, type StandardRecord } from '../../workflows/domain';
import { suggestOnlyPermission } from '../../workflows/suggest-access';
import type { AuthorizeHook, Principal } from './types';

export interface SuggestGuard {
  /** Wraps the draft authorizer: a reader who may suggest gets 'edit' on the socket, and is remembered as suggest-only. */
  authorize(inner: AuthorizeHook): AuthorizeHook;
  /** Whether this update may be applied (always true for users who may edit directly). */
  allowUpdate(principal: Principal, docName: string, doc: Y.Doc, update: Uint8Array): boolean;
  isSuggestOnly(principal: Principal, docName: string): boolean;
}

interface Shadow {
  doc: Y.Doc;
  pm: IncrementalDoc;
  follow: (update: Uint8Array) => void;
}

/**
 * The check itself, without the roles: `check(by, roomDoc, update)` answers whether applying `update` to the
 * room's document only adds or withdraws suggestions in the name of `by`. Keeps one shadow per room document.
 * Exported for the benchmark (bench:collab's suggestion scenario) so it measures this very check.
 */
export function createSuggestionUpdateCheck(): (by: string, room: Y.Doc, update: Uint8Array) => boolean {
  // One shadow per live room document (dropped with it, or after a refusal left it ahead of the room).
  const shadows = new WeakMap<Y.Doc, Shadow>();
  const shadowOf = (room: Y.Doc): Shadow => {
    let shadow = shadows.get(room);
    if (shadow) return shadow;
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(room));
    const follow = (update: Uint8Array): void => Y.applyUpdate(doc, update);
    room.on('update', follow);
    shadow = { doc, pm: new IncrementalDoc(doc.getXmlFragment(YJS_FRAGMENT)), follow };
    shadows.set(room, shadow);
    return shadow;
  };
  const dropShadow = (room: Y.Doc): void => {
    const shadow = shadows.get(room);
    if (!shadow) return;
    room.off('update', shadow.follow);
    shadow.pm.destroy();
    shadow.doc.destroy();
    shadows.delete(room);
  };
  return (by, room, update) => {
    let ok = false;
    try {
      const shadow = shadowOf(room);
      const before = shadow.pm.doc();
      Y.applyUpdate(shadow.doc, update);
      ok = isSuggestionOnlyUpdate(before, shadow.pm.doc(), by);
    } finally {
      // A refused update is in the shadow but not in the room: start a fresh shadow next time.
      if (!ok) dropShadow(room);
    }
    return ok;
  };
}

export function createSuggestGuard(db: Db, logger: Logger): SuggestGuard {
  const check = createSuggestionUpdateCheck();

  // Per principal object (one per socket's upgrade request): the documents it may only suggest in.
  const suggestOnly = new WeakMap<Principal, Set<string>>();
  const mark = (principal: Principal, docName: string, on: boolean): void => {
    let set = suggestOnly.get(principal);
    if (!set) suggestOnly.set(principal, (set = new Set()));
    if (on) set.add(docName);
    else set.delete(docName);
  };
  const isSuggestOnly = (principal: Principal, docName: string): boolean => suggestOnly.get(principal)?.has(docName) === true;

  return {
    isSuggestOnly,
    authorize(inner) {
      return async (principal, docName) => {
        const permission = await inner(principal, docName);
        const standardId = standardIdOfDoc(docName);
        let may = false;
        if (permission === 'read' && standardId) {
          const standard = (await getStandard(db, standardId)) as (StandardRecord & { step?: string }) | null;
          const grants = (principal as Principal & { grants?: RoleGrant[] }).grants ?? [];
          may = standard !== null && suggestOnlyPermission(grants, standard);
        }
        mark(principal, docName, may);
        return may ? 'edit' : permission;
      };
    },
    allowUpdate(principal, docName, doc, update) {
      if (!isSuggestOnly(principal, docName)) return true;
      const started = Date.now();
      try {
        const ok = check(principal.userId, doc, update);
        if (!ok) logger.warn({ docName, userId: principal.userId }, 'refused an update of a suggest-only user that changes more than suggestions');
        else logger.debug({ docName, ms: Date.now() - started }, 'suggest-only update checked');
        return ok;
      } catch (error) {
        logger.warn({ err: error, docName, userId: principal.userId }, 'could not check an update of a suggest-only user; refused');
        return false;
      }
    },
  };
}
