// The collaboration server's authorize hook: reads the standard of a `standard:<id>` document and asks the
// one draft-access rule (workflows/draft-access.ts) what the principal's grants allow in its stage.
import type { Db } from 'mongodb';
import { getStandard } from '../activities/data/standards';
import { UnknownDocumentError, type Permission, type Principal as CollabPrincipal } from './collab/types';
import { standardIdOfDoc, type RoleGrant, type StandardRecord } from '../workflows/domain';
import { draftPermission } from '../workflows/draft-access';

/** The collaboration principal as the session layer gives it: with the user's grants. */
export interface DraftPrincipal extends CollabPrincipal {
  grants: RoleGrant[];
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
