// Finds the installed implementations of the lifecycle's seams: the versions module (activities/versions)
// and the release documents (activities/docx/activities.ts) are registered when present; what is absent falls back to the honest
// stand-ins of activities/lifecycle/unavailable-seams.ts. Callers may also pass implementations directly.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Db } from 'mongodb';
import type { ReleaseDocumentActivities, SeamActivities, VersionActivities } from '../../activities/lifecycle/seams';
import { createUnavailableSeams } from '../../activities/lifecycle/unavailable-seams';
import type { Logger } from '../infra/logger';

const VERSIONS_MODULE = path.resolve(__dirname, '..', '..', 'activities', 'versions', 'index.ts');
const RELEASE_DOCUMENTS_MODULE = path.resolve(__dirname, '..', '..', 'activities', 'docx', 'activities.ts');

export interface SeamDeps {
  db: Db;
  logger: Logger;
  /**
   * Handed to `createVersionActivities({ db, collab })`: the collaboration server of this process, so a
   * freeze includes edits not yet written back. Without it versions read the stored document log.
   */
  collab?: unknown;
  /** Explicit implementations win over discovered ones. */
  provided?: Partial<SeamActivities>;
}

export interface ResolvedSeams {
  activities: SeamActivities;
  /** Which seams run on their real implementation (for start-up logs and the report page). */
  installed: Array<keyof SeamActivities>;
}

function loadVersionActivities(deps: SeamDeps): VersionActivities | undefined {
  if (!existsSync(VERSIONS_MODULE)) return undefined;
  // Loaded by path so this module compiles before the versions module exists.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(VERSIONS_MODULE) as { createVersionActivities?: (d: { db: Db; collab?: unknown }) => Partial<VersionActivities> };
  const acts = mod.createVersionActivities?.({ db: deps.db, ...(deps.collab === undefined ? {} : { collab: deps.collab }) });
  return acts?.freezeVersion ? { freezeVersion: acts.freezeVersion } : undefined;
}

function loadReleaseDocumentActivities(deps: SeamDeps): ReleaseDocumentActivities | undefined {
  if (!existsSync(RELEASE_DOCUMENTS_MODULE)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(RELEASE_DOCUMENTS_MODULE) as { createReleaseActivities?: (d: { db: Db }) => Partial<ReleaseDocumentActivities> };
  const acts = mod.createReleaseActivities?.({ db: deps.db });
  return acts?.generateReleaseDocuments ? { generateReleaseDocuments: acts.generateReleaseDocuments } : undefined;
}

export function resolveSeams(deps: SeamDeps): ResolvedSeams {
  const fallback = createUnavailableSeams(deps.logger);
  const discovered: Partial<SeamActivities> = { ...(loadVersionActivities(deps) ?? {}), ...(loadReleaseDocumentActivities(deps) ?? {}) };
  const chosen: Partial<SeamActivities> = { ...discovered, ...(deps.provided ?? {}) };
  const installed = (Object.keys(fallback) as Array<keyof SeamActivities>).filter((k) => chosen[k] !== undefined);
  return { activities: { ...fallback, ...chosen }, installed };
}
