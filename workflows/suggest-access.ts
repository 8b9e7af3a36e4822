// Who may only suggest changes in a standard's draft (issue 15): the experts of this standard and the
// bureaus (each province's eco-environment department and market regulation bureau, the zone's local
// bureau) read the draft, and while it is being drafted, revised or technically reviewed they may propose
// changes — suggestion mode only, never direct edits. Pure; the draft page and the collaboration server ask it.
import { draftIsEditable, TERMINAL_STAGES, type RoleGrant } from './domain';
import { draftPermission, isDraftWriter, type DraftSubject } from './draft-access';
import { isExpertFor } from './permissions';

const BUREAU_ROLES: readonly string[] = ['ecoEnvDepartment', 'marketRegulator', 'localBureau'];

/** Whether the stage takes suggestions: while the drafters edit, and during the technical review. */
export function draftTakesSuggestions(s: Pick<DraftSubject, 'stage' | 'step'>): boolean {
  return !TERMINAL_STAGES.includes(s.stage) && (draftIsEditable(s) || s.stage === 'technicalReview');
}

/** True when the user reads the draft, may not edit it, and may suggest changes in it now. */
export function suggestOnlyPermission(grants: readonly RoleGrant[], standard: DraftSubject): boolean {
  if (isDraftWriter(grants, standard) || draftPermission(grants, standard) !== 'read') return false;
  if (!draftTakesSuggestions(standard)) return false;
  const std = { standardId: standard._id, leadProvince: standard.leadProvince };
  return grants.some((g) => BUREAU_ROLES.includes(g.role) || (g.role === 'expert' && isExpertFor(g, std)));
}
