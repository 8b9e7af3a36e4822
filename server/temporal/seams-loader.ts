// Fills the lifecycle's seams: version freezing (activities/versions) and the release documents
// (activities/docx) with their real implementations; the collaboration permission refresh needs the
// collaboration server of the process, so without one it falls back to the honest stand-in of
// activities/lifecycle/unavailable-seams.ts. Callers may also pass implementations directly.
import type { Db } from 'mongodb';
import { createReleaseActivities } from '../../activities/docx/activities';
import type { SeamActivities } from '../../activities/lifecycle/seams';
import { createUnavailableSeams } from '../../activities/lifecycle/unavailable-seams';
import { createVersionActivities } from '../../activities/versions';
import type { CollabServer } from '../collab/types';
import type { Logger } from '../../activities/infra/logger';

export interface SeamDeps {
  db: Db;
  logger: Logger;
  /**
   * Handed to `createVersionActivities({ db, collab })`: the collaboration server of this process, so a
   * freeze includes edits not yet written back. Without it versions read the stored document log.
   */
  collab?: Pick<CollabServer, 'getDoc' | 'flush'>;
  /** Explicit implementations win over discovered ones. */
  provided?: Partial<SeamActivities>;
}

export interface ResolvedSeams {
  activities: SeamActivities;
  /** Which seams run on their real implementation (for start-up logs and the report page). */
  installed: Array<keyof SeamActivities>;
}

export function resolveSeams(deps: SeamDeps): ResolvedSeams {
  const fallback = createUnavailableSeams(deps.logger);
  const provided = deps.provided ?? {};
  // Built only when not provided: the factories start index creation in MongoDB.
  const chosen: Partial<SeamActivities> = {
    freezeVersion: provided.freezeVersion ?? createVersionActivities({ db: deps.db, ...(deps.collab ? { collab: deps.collab } : {}) }).freezeVersion,
    generateReleaseDocuments: provided.generateReleaseDocuments ?? createReleaseActivities({ db: deps.db }).generateReleaseDocuments,
    ...(provided.refreshCollabPermissions ? { refreshCollabPermissions: provided.refreshCollabPermissions } : {}),
  };
  const installed = (Object.keys(fallback) as Array<keyof SeamActivities>).filter((k) => chosen[k] !== undefined);
  return { activities: { ...fallback, ...chosen }, installed };
}
