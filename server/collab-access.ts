// Who may edit or read a standard's co-edited draft, derived from the standard's stage and the user's
// grants. The collaboration server asks this on connect and again for every live connection when the
// lifecycle changes stage (refreshPermissions), so a draft turns read-only for everyone the moment the
// 征求意见稿 is frozen and editable again when it comes back to drafting.
import type { Db } from 'mongodb';
import { getStandard } from '../activities/data/standards';
import { UnknownDocumentError, type Permission, type Principal as CollabPrincipal } from './collab/types';
import { draftIsEditable, type RoleGrant, type StandardRecord } from '../workflows/domain';

/** The collaboration principal as the session layer gives it: with the user's grants. */
export interface DraftPrincipal extends CollabPrincipal {
  grants: RoleGrant[];
}

const DOC_PREFIX = 'standard:';

/** `standard:<id>` → `<id>`, or null for any other document name. */
export function standardIdOfDoc(docName: string): string | null {
  return docName.startsWith(DOC_PREFIX) ? docName.slice(DOC_PREFIX.length) : null;
}

/** Whether the grants make the user one of the draft's writers (drafting group or lead department), in any stage. */
export function isDraftWriter(grants: readonly RoleGrant[], standard: Pick<StandardRecord, '_id' | 'leadProvince'>): boolean {
  return grants.some(
    (g) => (g.role === 'drafter' && (g.standardIds ?? []).includes(standard._id)) || (g.role === 'ecoEnvDepartment' && g.province === standard.leadProvince),
  );
}

export function draftPermission(grants: readonly RoleGrant[], standard: StandardRecord & { step?: string }): Permission {
  if (isDraftWriter(grants, standard)) return draftIsEditable(standard) ? 'edit' : 'read';
  // Staff of the bodies that steer, approve and review may read any draft; a drafter of another
  // standard has no business in this one.
  const isStaffReader = grants.some((g) => g.role !== 'drafter' && (g.role !== 'expert' || g.standardIds === undefined || g.standardIds.includes(standard._id)));
  return isStaffReader ? 'read' : 'none';
}

export function createDraftAuthorizer(db: Db) {
  return async (principal: CollabPrincipal, docName: string): Promise<Permission> => {
    const standardId = standardIdOfDoc(docName);
    if (!standardId) throw new UnknownDocumentError(docName);
    const standard = (await getStandard(db, standardId)) as (StandardRecord & { step?: string }) | null;
    if (!standard) throw new UnknownDocumentError(docName);
    return draftPermission((principal as DraftPrincipal).grants ?? [], standard);
  };
}
