// Every activity the lifecycle worker registers, built in one place. `npm start` (server/runtime.ts), the
// tests and the benchmarks all build their worker's activities here, so they run the same code: the
// lifecycle's own (transitions, numbers, notifications), version freezing with the stage draft and its
// 编制说明 generated right after, the release documents and the collaboration permission re-check.
import type { Db } from 'mongodb';
import { createReleaseActivities } from './docx/activities';
import type { Logger } from './infra/logger';
import { createLifecycleActivities, type LifecycleActivities } from './lifecycle';
import type { FreezeVersionInput, FreezeVersionResult, SeamActivities, StageDraftKind } from './lifecycle/seams';
import { createVersionActivities, docNameForStandard, type LiveDocuments } from './versions';
import { createReviewActivities } from './review/activities';
import type { ReviewActivities } from './review/types';
import { createMailActivities, type MailActivities, type MailDeps } from './mail/activities';

export type WorkerActivities = LifecycleActivities & SeamActivities & ReviewActivities & MailActivities;
export type ReleaseActivities = ReturnType<typeof createReleaseActivities>;

export interface WorkerActivityDeps {
  db: Db;
  logger: Logger;
  /**
   * The collaboration server of this process, when it runs one: a freeze then includes edits not yet
   * written back, and a stage change re-checks the access of open editing sessions. Without it versions
   * read the stored document log and sessions learn their access when they reconnect.
   */
  collab?: LiveDocuments & { refreshPermissions(docName: string): Promise<void> };
  /** The release-document activities when the caller shares them (the HTTP layer generates on demand). */
  release?: ReleaseActivities;
  /** Notification e-mail (SMTP_URL, the links' base URL); without it mail is queued, not sent. */
  mail?: MailDeps;
  /** Replaces single activities: tests and benchmarks stand in for slow or failing ones. */
  overrides?: Partial<WorkerActivities>;
}

export function createWorkerActivities(deps: WorkerActivityDeps): WorkerActivities {
  const { db, logger, collab } = deps;
  const versions = createVersionActivities({ db, ...(collab ? { collab } : {}) });
  const release = deps.release ?? createReleaseActivities({ db, logger });
  let warnedCollab = false;

  /**
   * The stage draft (征求意见稿 / 送审稿 / 报批稿) from the frozen version and, when the drafting group has
   * written one for this draft kind, its 编制说明. A failed generation does not hold up the lifecycle: it is
   * logged, and staff generate it again from the documents page.
   */
  async function generateStageDocuments({ standardId, kind }: { standardId: string; kind: StageDraftKind }): Promise<void> {
    await release.generateStageDraft({ standardId, kind }).catch((err: unknown) => logger.error({ err, standardId, kind }, 'stage draft DOCX not generated'));
    await release.generateExplanatoryNote({ standardId, kind }).catch((err: unknown) => {
      if ((err as { type?: string }).type === 'EXPLANATORY_NOTE_MISSING') logger.info({ standardId, kind }, 'no explanatory note written for this draft');
      else logger.error({ err, standardId, kind }, 'explanatory note DOCX not generated');
    });
  }

  /**
   * Freezes the version. Lifecycles started before the stage documents became a workflow effect of their
   * own (`stageDocuments` absent) get the stage documents generated here, as before.
   */
  async function freezeVersion(input: FreezeVersionInput): Promise<FreezeVersionResult> {
    const { stageDocuments, ...freeze } = input;
    const frozen = await versions.freezeVersion(freeze);
    if (input.kind !== 'published' && stageDocuments !== false) await generateStageDocuments({ standardId: input.standardId, kind: input.kind });
    return frozen;
  }

  async function refreshCollabPermissions({ standardId }: { standardId: string }): Promise<void> {
    if (collab) {
      await collab.refreshPermissions(docNameForStandard(standardId));
      return;
    }
    // No collaboration server in this worker's process: no open sessions here to re-check; new sessions
    // read the stage from the projection when they connect.
    if (!warnedCollab) logger.warn({ standardId }, 'no collaboration server wired to the worker; permissions re-checked on reconnect only');
    warnedCollab = true;
  }

  return {
    ...createLifecycleActivities({ db, logger }),
    ...createReviewActivities({ db, logger }),
    ...createMailActivities({ db, logger, ...(deps.mail ? { mail: deps.mail } : {}) }),
    freezeVersion,
    generateStageDocuments,
    generateReleaseDocuments: release.generateReleaseDocuments,
    refreshCollabPermissions,
    ...deps.overrides,
  };
}
