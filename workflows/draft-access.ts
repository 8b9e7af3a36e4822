// Who may edit or read a standard's co-edited draft (and what hangs off it: versions, documents, figures,
// the 编制说明), from the user's grants and the standard's stage/step. Pure; the collaboration server asks it
// on connect and again on every stage change, so a draft turns read-only the moment the 征求意见稿 is frozen.
import { draftIsEditable, type Province, type RoleGrant, type Stage } from './domain';
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
