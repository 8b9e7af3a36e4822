// Suggest-only co-editing (issue 15): experts and bureaus may propose changes in a draft they otherwise only
// read. Their socket gets write access, and every update it sends is checked before it is applied: applied
// first to a shadow copy of the document, the change must be suggestions only in that user's name
// (editor/suggestions.ts `isSuggestionOnlyChange`: the text with all suggestions rejected is unchanged, the
// others' suggestions are untouched). An update that writes anything else, and cannot be repaired into a
// suggestion, is refused and the socket closed (4403 'not a suggestion'), so nothing of it is stored or relayed;
// the editor then reloads the room and keeps the author's words for copying (editor/browser/refused-edit.ts).
// Yjs's formatting merge can garble an update that was a pure suggestion when it left the editor (a drafter
// accepting the suggestion its author is typing next to: editor/suggestions-repair.ts). Such an update is
// repaired on the shadow instead of refused: when the repaired change passes the check, the update is applied
// and the repair right after it (`followUp`, logged at info), so every client and the store get both.
// Cost: the shadow (one copy per loaded document that a suggest-only user writes to) follows every update
// of the room. Everyday suggesting (typing one's suggestion, withdrawing it, marking text for deletion, in one
// paragraph) passes a quick check read off the shadow's Yjs transaction (editor/suggestions-quick-check.ts),
// in time proportional to that paragraph. Anything else gets the full check on ProseMirror forms of the room
// (before) and of the shadow (after), rebuilt only where they changed since, looking only at the smallest node
// holding the change (editor/suggestions-ydoc.ts). Other users' updates are not checked. An update that leaves
// content waiting for something the room does not have is refused: it would be applied later, unchecked.
import { randomBytes } from 'node:crypto';
import type { Db } from 'mongodb';
import type { Logger } from '../../activities/infra/logger';
import * as Y from 'yjs';
import type { Node as PMNode } from 'prosemirror-model';
import { getStandard } from '../../activities/data/standards';
import { IncrementalDoc, isSuggestionOnlyUpdate } from '../../editor/suggestions-ydoc';
import { addBlockRestores, applyAndPlan, applySuggestionRepair, planStretchRepair, repairSize, type RepairPlan } from '../../editor/suggestions-repair';
import type { SuggestionAuthor } from '../../editor/schema';
import { YJS_FRAGMENT } from '../../editor/ydoc';
import { DecidedMarkers, planInheritedRepair } from '../../editor/suggestions-decided';
import { WithdrawnBlocks } from '../../editor/suggestions-blocks';
import { readDecision, readUndo, recordWriters, writerClients, wroteDecision, type DecisionRecord } from '../../editor/suggestions-provenance';
import { DecisionJournal } from '../../editor/suggestions-journal';
import { standardIdOfDoc, type RoleGrant, type StandardRecord } from '../../workflows/domain';
import { suggestOnlyPermission } from '../../workflows/suggest-access';
import type { AuthorizeHook, Principal } from './types';

export interface SuggestGuard {
  /** Wraps the draft authorizer: a reader who may suggest gets 'edit' on the socket, and is remembered as suggest-only. */
  authorize(inner: AuthorizeHook): AuthorizeHook;
  /** Whether this update may be applied (always for users who may edit directly), and the repair to apply right after it. */
  allowUpdate(principal: Principal, docName: string, doc: Y.Doc, update: Uint8Array): UpdateVerdict;
  isSuggestOnly(principal: Principal, docName: string): boolean;
}

/** The guard's answer for one update: refused, or applied (then `followUp`, when set, right after it). */
export type UpdateVerdict =
  | { ok: false }
  | {
      ok: true;
      followUp?: Uint8Array;
      repaired?: number;
      /** Passed the quick check (editor/suggestions-quick-check.ts), no ProseMirror form built. */
      quick?: boolean;
      /** Call right after applying the update: may write the server's repair of it to the room itself. */
      after?: () => void;
    };

/** Origin of the repair transaction on the shadow, and of a drafter update's repair written to the room. */
const REPAIR_ORIGIN = Symbol('suggestion-repair');
const ROOM_REPAIR_ORIGIN = Symbol('suggestion-repair-room');

/** What `watchForStretch` may use besides the update: see there. */
export interface StretchWatchOptions {
  onError?: (error: unknown) => void;
  /** The decision record the same socket's previous update wrote. */
  pending?: DecisionRecord | null;
  /** Gets the decision record this update wrote, if any. */
  onRecord?: (record: DecisionRecord) => void;
  /** The room's recently removed suggestion markers (one per room document). */
  decided?: DecidedMarkers;
  /** The blocks suggest-only authors recently withdrew in the room (one per room document). */
  withdrawn?: WithdrawnBlocks;
  /** What the room's recent decisions removed, for their deciders' undo (one per room document). */
  journal?: DecisionJournal;
  /** The decision the same socket's previous update said it is undoing (its undo record). */
  pendingUndo?: string | null;
  /** Gets the id of the decision this update's undo record names, if it wrote one. */
  onUndoRecord?: (undoes: string) => void;
}

/**
 * For a user who edits directly: watches the one transaction the update makes in the room and, right after
 * it, restores existing text that gained someone else's suggested insertion (a decision racing the author's
 * typing), or their own beyond what y-prosemirror's diff moves, and keeps words the user had not seen out of
 * their decision (editor/suggestions-repair.ts `planStretchRepair`, with the user's decision record: written by
 * this very update, else `pending`, the one their previous update wrote — the editor writes it in its own
 * transaction right before the decision). A decision's removed markers go to `decided`; the user's new words
 * that inherited their own suggestion from such a marker get it back (editor/suggestions-decided.ts).
 */
export function watchForStretch(room: Y.Doc, updater: string, onRepaired: (characters: number) => void, options: StretchWatchOptions = {}): () => void {
  const { onError = () => undefined, pending = null, onRecord = () => undefined, decided, withdrawn, journal, pendingUndo = null, onUndoRecord = () => undefined } = options;
  let plan: RepairPlan | null = null;
  const listen = (tr: Y.Transaction): void => {
    // An error here must not break Yjs's cleanup of the transaction (the update would not be stored or relayed).
    try {
      const wrote = wroteDecision(tr, updater);
      const written = wrote ? readDecision(room, updater) : null;
      if (written) onRecord(written);
      const writtenUndo = wrote ? readUndo(room, updater) : null;
      if (writtenUndo) onUndoRecord(writtenUndo);
      // An undo record replaces the decision record: the update that wrote it carries no decision.
      const record = written ?? (writtenUndo ? null : pending);
      const undoing = writtenUndo ?? (written ? null : pendingUndo);
      if (record) decided?.noteDecision(tr);
      // The undo of the updater's own decision may put back what that decision removed (suggestions-journal.ts).
      const next = planStretchRepair(tr, updater, record, undoing && journal ? journal.restorable(updater, undoing) : undefined);
      if (record?.id) journal?.note(updater, record.id, tr);
      // Words typed inside at the moment of someone else's undo keep what they had (suggestions-journal.ts).
      if (undoing) journal?.noteUndo(updater, tr);
      else journal?.planUndoInherited(tr, updater, next);
      if (decided && !record) planInheritedRepair(tr, updater, decided, next);
      // An accept of a block its suggest-only author withdrew meanwhile: the block comes back accepted, as the
      // author's suggested deletion (editor/suggestions-blocks.ts).
      if (record?.decision === 'accept' && withdrawn) addBlockRestores(next, withdrawn.takeAccepted(room, record.sids));
      if (next.steps.length) plan = next;
    } catch (error) {
      onError(error);
    }
  };
  room.on('afterTransaction', listen);
  return () => {
    room.off('afterTransaction', listen);
    if (!plan) return;
    try {
      applySuggestionRepair(room, plan, ROOM_REPAIR_ORIGIN);
      onRepaired(plan.stretched + plan.unmarked + plan.restored);
    } catch (error) {
      onError(error);
    }
  };
}

interface Shadow {
  doc: Y.Doc;
  pm: IncrementalDoc;
  follow: (update: Uint8Array) => void;
}

/**
 * The check itself, without the roles: `check(author, roomDoc, update)` answers whether applying `update` to
 * the room's document only adds or withdraws suggestions in the name of `author.by` — as it is, or after the
 * repair of what Yjs's formatting merge did to it (then `followUp` holds the repair). Keeps one shadow per room
 * document. Exported for the benchmark (bench:collab's suggestion scenario) so it measures this very check.
 */
export function createSuggestionUpdateCheck(): (author: SuggestionAuthor, room: Y.Doc, update: Uint8Array, withdrawn?: WithdrawnBlocks) => UpdateVerdict {
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
  // The Yjs client ids each suggest-only author has written with in a room (the repair only touches text next to
  // or of the author's own writing): kept in the document itself (editor/suggestions-provenance.ts), so they
  // are stored with it and known again after a restart of this server.
  // The ProseMirror form of each room document as the room holds it (so, during a check, the document before
  // the update): built only when the full check runs, and then only where the room changed since.
  const roomForm = perRoom((room) => new IncrementalDoc(room.getXmlFragment(YJS_FRAGMENT)));
  return (author, room, update, withdrawn) => {
    let verdict: UpdateVerdict = { ok: false };
    try {
      const shadow = shadowOf(room);
      const own = writerClients(shadow.doc, author.by);
      const plan = applyAndPlan(shadow.doc, update, author, own);
      if (plan.foreign || plan.pending) return verdict;
      let followUp: Uint8Array | null = null;
      // The room does not hold the update yet: its form is the document before it.
      const before = (): PMNode => roomForm(room).doc();
      if (plan.quick) verdict = { ok: true, quick: true };
      else if (isSuggestionOnlyUpdate(before(), shadow.pm.doc(), author.by)) verdict = { ok: true };
      else if (!plan.impossible && repairSize(plan) > 0) {
        followUp = applySuggestionRepair(shadow.doc, plan, REPAIR_ORIGIN);
        if (followUp && isSuggestionOnlyUpdate(before(), shadow.pm.doc(), author.by)) verdict = { ok: true, followUp, repaired: repairSize(plan) };
      }
      if (verdict.ok) {
        // A new session of the author: recorded with the document (written with the repair, if any).
        const record = captureUpdate(shadow.doc, REPAIR_ORIGIN, () => recordWriters(shadow.doc, author.by, [...plan.clients].filter((c) => !own.has(c)), author.at));
        if (record) verdict = { ...verdict, followUp: followUp ? Y.mergeUpdates([followUp, record]) : record };
        if (plan.withdrawn?.length) withdrawn?.note(plan.withdrawn);
      }
    } finally {
      // A refused update (or a repair the room never gets) is in the shadow but not in the room: start a fresh shadow next time.
      if (!verdict.ok) dropShadow(room);
    }
    return verdict;
  };
}

/** Runs `write` in one transaction on `doc` with `origin`; returns the update it made (null when none). */
function captureUpdate(doc: Y.Doc, origin: unknown, write: () => unknown): Uint8Array | null {
  let out: Uint8Array | null = null;
  const capture = (update: Uint8Array, o: unknown): void => {
    if (o === origin) out = out ? Y.mergeUpdates([out, update]) : update;
  };
  doc.on('update', capture);
  try {
    doc.transact(write, origin);
  } finally {
    doc.off('update', capture);
  }
  return out;
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
  // Per principal object (one per socket): the decision record its last update wrote (for its next update).
  const decisions = new WeakMap<Principal, DecisionRecord>();
  // Per principal object: the decision its last update's undo record named (for its next update, the undo).
  const undos = new WeakMap<Principal, string>();
  // Per room document: what recent decisions removed, for their deciders' undo.
  const journalOf = perRoom(() => new DecisionJournal());
  // Per room document: the suggestion markers recent decisions removed.
  const decidedOf = perRoom(() => new DecidedMarkers());
  // Per room document: the blocks suggest-only authors recently withdrew.
  const withdrawnOf = perRoom(() => new WithdrawnBlocks());

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
      if (!isSuggestOnly(principal, docName)) {
        // A decision record counts for the update that wrote it and the next one of the same socket.
        const pending = decisions.get(principal) ?? null;
        decisions.delete(principal);
        const pendingUndo = undos.get(principal) ?? null;
        undos.delete(principal);
        const after = watchForStretch(
          doc,
          principal.userId,
          (characters) => logger.info({ docName, userId: principal.userId, characters }, 'repaired a suggestion mark stretched by a concurrent formatting merge'),
          {
            onError: (err) => logger.warn({ err, docName, userId: principal.userId }, 'could not look for stretched suggestion marks; update applied as it is'),
            pending,
            onRecord: (record) => decisions.set(principal, record),
            decided: decidedOf(doc),
            withdrawn: withdrawnOf(doc),
            journal: journalOf(doc),
            pendingUndo,
            onUndoRecord: (undoes) => undos.set(principal, undoes),
          },
        );
        return { ok: true, after };
      }
      const started = Date.now();
      try {
        const verdict = check(authorOf(principal), doc, update, withdrawnOf(doc));
        if (!verdict.ok) logger.warn({ docName, userId: principal.userId }, 'refused an update of a suggest-only user that changes more than suggestions');
        else if (verdict.repaired) logger.info({ docName, userId: principal.userId, characters: verdict.repaired }, 'repaired a suggest-only update garbled by a concurrent formatting merge');
        else logger.debug({ docName, ms: Date.now() - started, quick: verdict.quick === true }, 'suggest-only update checked');
        return verdict;
      } catch (error) {
        logger.warn({ err: error, docName, userId: principal.userId }, 'could not check an update of a suggest-only user; refused');
        return { ok: false };
      }
    },
  };
}

/** One `T` per live room document, made on first use and dropped with the document. */
function perRoom<T>(make: (doc: Y.Doc) => T): (doc: Y.Doc) => T {
  const held = new WeakMap<Y.Doc, T>();
  return (doc) => {
    let value = held.get(doc);
    if (value === undefined) held.set(doc, (value = make(doc)));
    return value;
  };
}

/**
 * The suggestion attributes the server gives text it marks in a suggest-only user's name (a fresh suggestion
 * id). The province (the suggestion's colour) is the principal's, else that of the grant that lets them suggest
 * (a bureau's or department's; the session's principal carries grants, not a province).
 */
function authorOf(principal: Principal): SuggestionAuthor {
  const sid = `s${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const grants = (principal as Principal & { grants?: RoleGrant[] }).grants ?? [];
  const province = principal.province ?? grants.find((g) => g.province)?.province ?? '';
  return { sid, by: principal.userId, name: principal.displayName, province, at: new Date().toISOString() };
}
