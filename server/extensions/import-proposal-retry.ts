// When the Word file of a proposal could not be applied as drafting started (issue 14), the standard's page
// shows the reason (activities/import/proposal-failures.ts) with two forms handled here: 重试 runs the import
// again — the current draft saved as a named version first, then the draft replaced in one step only if the
// import succeeds — and 放弃 discards the file. Either may be done by the proposer who uploaded the file or
// by a drafter who may edit the draft, while the standard is being drafted. Pages get a message and the
// standard's page; JSON callers get the outcome (200 applied, 422 failed again, with the zh/en reason).
import type { Request, Response } from 'express';
import type { Db } from 'mongodb';
import { z } from 'zod';
import { proposalImportFailureOf } from '../../activities/import/proposal-failures';
import { dropUpload } from '../../activities/import/uploads';
import type { createVersionActivities } from '../../activities/versions';
import { AppError } from '../../activities/infra/errors';
import type { Principal } from '../../activities/data/users';
import { draftPermission, isDraftWriter } from '../../workflows/draft-access';
import type { AppExtensionContext } from '../app-deps';
import { userOf } from '../http/principal';
import { loadStandardOr404 } from './editor-page';
import { applyProposalImportOutcome, type ProposalApplyDeps } from './import-proposal';

const params = z.object({ id: z.string().min(1).max(100) });

const wantsJson = (req: Request): boolean => req.accepts(['html', 'json']) === 'json';

async function backToStandard(req: Request, res: Response, id: string, kind: 'ok' | 'error', msg: { zh: string; en: string }): Promise<void> {
  req.session.flash = { kind, zh: msg.zh, en: msg.en };
  // The session is stored before the redirect so the next page shows the message.
  await new Promise<void>((resolve, reject) => req.session.save((e: unknown) => (e ? reject(e instanceof Error ? e : new Error(String(e))) : resolve())));
  res.redirect(303, `/standards/${encodeURIComponent(id)}`);
}

export function registerProposalImportRetry(
  ctx: AppExtensionContext,
  deps: ProposalApplyDeps & { versions: ReturnType<typeof createVersionActivities> },
): void {
  const { app, requireUser } = ctx;

  /** The failed file of this standard and the user's right to act on it. */
  async function failedFileOr4xx(db: Db, req: Request): Promise<{ user: Principal; id: string; uploadId: string; filename: string }> {
    const parsed = params.safeParse(req.params);
    if (!parsed.success) throw new AppError('BAD_REQUEST', { zh: '标准编号无效', en: 'Invalid standard id' });
    const user = userOf(req);
    const standard = await loadStandardOr404(db, parsed.data.id);
    const failure = await proposalImportFailureOf(db, standard._id);
    if (!failure) throw new AppError('NOT_FOUND', { zh: '此标准没有未能导入的立项 Word 文件', en: 'This standard has no proposal Word file that failed to import' });
    const drafter = isDraftWriter(user.grants, standard) && draftPermission(user.grants, standard) === 'edit';
    if (failure.userId !== user.userId && !drafter) {
      throw new AppError('FORBIDDEN', { zh: '只有上传该文件的提出单位或本标准的起草人可以处理', en: 'Only the proposer who uploaded the file or a drafter of this standard may act on it' });
    }
    if (standard.stage !== 'drafting') {
      throw new AppError('STAGE_CONFLICT', { zh: '只有在起草阶段才能将立项 Word 文件导入草案', en: 'The proposal Word file can only be imported into the draft while drafting' });
    }
    return { user, id: standard._id, uploadId: failure.uploadId, filename: failure.filename };
  }

  app.post('/standards/:id/proposal-import/retry', requireUser, async (req, res) => {
    const { user, id, filename } = await failedFileOr4xx(deps.db, req);
    const outcome = await applyProposalImportOutcome(deps, id, () =>
      deps.versions.saveNamedVersion({
        standardId: id,
        name: `导入立项 Word 文件「${filename.slice(0, 100)}」前的自动保存`,
        actor: { userId: user.userId, displayName: user.displayName },
      }),
    );
    if (wantsJson(req)) {
      res.status(outcome.applied ? 200 : 422).json(outcome);
      return;
    }
    if (outcome.applied) await backToStandard(req, res, id, 'ok', { zh: '立项 Word 文件已导入草案（导入前的草案已保存为版本）', en: 'The proposal Word file was imported into the draft (the draft before it was saved as a version)' });
    else if (outcome.reason === 'failed') await backToStandard(req, res, id, 'error', { zh: `立项 Word 文件仍未能导入：${outcome.error.zh}`, en: `The proposal Word file still could not be imported: ${outcome.error.en}` });
    else await backToStandard(req, res, id, 'error', { zh: '立项 Word 文件已不存在', en: 'The proposal Word file is gone' });
  });

  app.post('/standards/:id/proposal-import/discard', requireUser, async (req, res) => {
    const { id, uploadId } = await failedFileOr4xx(deps.db, req);
    await dropUpload(deps.db, uploadId);
    deps.logger.info({ standardId: id, uploadId }, 'failed proposal Word file discarded');
    if (wantsJson(req)) res.json({ discarded: true });
    else await backToStandard(req, res, id, 'ok', { zh: '已放弃立项 Word 文件，草案未改变', en: 'The proposal Word file was discarded; the draft is unchanged' });
  });
}
