// Stand-ins the worker registers for seams whose real implementation is not installed yet. They fail
// with a clear, typed, non-retryable error instead of pretending: the workflow turns that into a
// notification and (for release documents) parks the release until documents can be generated.
import { ApplicationFailure } from '@temporalio/activity';
import type { Logger } from '../infra/logger';
import { SEAM_UNAVAILABLE, type SeamActivities } from './seams';

export function createUnavailableSeams(logger: Logger): SeamActivities {
  let warnedCollab = false;
  return {
    async freezeVersion(input) {
      throw ApplicationFailure.nonRetryable(
        `Version ${input.kind} of ${input.standardId} was not frozen: the versions module is not installed`,
        SEAM_UNAVAILABLE.versions,
        { zh: `未冻结${input.kind}版本：版本模块尚未安装`, en: `The ${input.kind} version was not frozen: the versions module is not installed` },
      );
    },
    async generateReleaseDocuments(input) {
      throw ApplicationFailure.nonRetryable(
        `No release documents exist for ${input.standardId}: the DOCX generator is not installed`,
        SEAM_UNAVAILABLE.releaseDocuments,
        { zh: '尚无发布文本：DOCX 生成模块尚未安装，发布暂停', en: 'No release documents exist yet: the DOCX generator is not installed; release is on hold' },
      );
    },
    async refreshCollabPermissions(input) {
      // Without a collaboration server in this worker there are no open sessions to re-check; new
      // sessions read the stage from the projection when they connect.
      if (!warnedCollab) logger.warn({ standardId: input.standardId }, 'no collaboration server wired to the worker; permissions re-checked on reconnect only');
      warnedCollab = true;
    },
  };
}
