// The lifecycle's collaboration seam: after a stage change the workflow asks the collaboration server to
// re-check the access of everyone editing the standard (drafting → read-only for 征求意见, and back).
import type { CollabActivities } from '../lifecycle/seams';
import { docNameForStandard } from './doc-name';

export function createCollabActivities(deps: { collab: { refreshPermissions(docName: string): Promise<void> }; docNameOf?: (standardId: string) => string }): CollabActivities {
  const docNameOf = deps.docNameOf ?? docNameForStandard;
  return {
    async refreshCollabPermissions({ standardId }) {
      await deps.collab.refreshPermissions(docNameOf(standardId));
    },
  };
}
