// Who may edit or read a standard's co-edited draft (and what hangs off it: versions, documents, figures,
// the 编制说明), from the user's grants and the standard's stage/step. Pure; the collaboration server asks it
// on connect and again on every stage change, so a draft turns read-only the moment the 征求意见稿 is frozen.
import { draftIsEditable, TERMINAL_STAGES, type Province, type RoleGrant, type Stage } from './domain';
import { isDrafterOf, isExpertFor, isLeadEco } from './permissions';

export type DraftAccess = 'edit' | 'read' | 'none';

/** What draft access needs to know of a standard. */
export interface DraftSubject {
  _id: string;
  leadProvince: Province;
  stage: Stage;
  step?: string;
}

const ref = (s: Pick<DraftSubject, '_id' | 'leadProvince'>) => ({ standardId: s._id, leadProvince: s.leadProvince });

/** Whether the grants make the user one of the draft's writers (drafting group or lead department), in any stage. */
export function isDraftWriter(grants: readonly RoleGrant[], standard: Pick<DraftSubject, '_id' | 'leadProvince'>): boolean {
  const std = ref(standard);
  return grants.some((g) => isDrafterOf(g, std) || isLeadEco(g, std));
}

export function draftPermission(grants: readonly RoleGrant[], standard: DraftSubject): DraftAccess {
  if (isDraftWriter(grants, standard)) return draftIsEditable(standard) ? 'edit' : 'read';
  // Staff of the bodies that steer, approve and review may read any draft; a drafter of another
  // standard, or an expert for other standards, has no business in this one.
  const std = ref(standard);
  const isStaffReader = grants.some((g) => g.role !== 'drafter' && (g.role !== 'expert' || isExpertFor(g, std)));
  return isStaffReader ? 'read' : 'none';
}

/** What a user does with the comment threads inside a draft (editor side panel, server/extensions/draft-threads.ts). */
export type ThreadAction =
  /** Opens a thread on a passage or replies to one (mentioning people is part of it). */
  | 'comment'
  /** Resolves or reopens a thread. */
  | 'resolve';

export type ThreadVerdict = { ok: true } | { ok: false; kind: 'role' | 'stage'; zh: string; en: string };

/**
 * Who may take a thread action: anyone who may read the draft comments and replies (drafters, each
 * province's eco-environment department and market regulation bureau, the executive committee, this
 * standard's experts), at any stage they can read it; only the drafting group and the lead department
 * resolve and reopen. Role refusals (403) come before stage refusals (409): a withdrawn or abolished
 * standard's threads are closed.
 */
export function threadPermission(action: ThreadAction, grants: readonly RoleGrant[], standard: DraftSubject): ThreadVerdict {
  if (draftPermission(grants, standard) === 'none') return { ok: false, kind: 'role', zh: '您无权查看此草案，不能批注', en: 'You may not read this draft, so you may not comment on it' };
  if (action === 'resolve' && !isDraftWriter(grants, standard)) {
    return { ok: false, kind: 'role', zh: '只有本标准起草组或牵头生态环境部门可以解决或重新打开批注', en: 'Only the drafting group or the lead eco-environment department may resolve or reopen a thread' };
  }
  if (TERMINAL_STAGES.includes(standard.stage)) return { ok: false, kind: 'stage', zh: '本标准已撤销或废止，批注已关闭', en: 'The standard is withdrawn or abolished: its threads are closed' };
  return { ok: true };
}
