// Starting a new standard from a Word file (issue 14): on the proposal form an eco-environment department
// uploads its existing draft; the importer's cover and 前言 metadata prefill the form (titles, scope from
// chapter 1, drafting units, drafters; the file's number is shown, numbers are assigned at release). The
// file is kept with the user until the proposal is made (page-routes binds it to the new standard), and
// its body is applied to the standard's draft when drafting starts (the three bureaus approved), through
// the collaboration server like any import. Refusals come back on the proposal form, nothing stored.
import type { Request, Response } from 'express';
import type { Db } from 'mongodb';
import { importWordFile, toAppError, type ConversionCache, type ImportFileOptions } from '../../activities/import';
import { dropUpload, keepUpload, proposalUploadOf } from '../../activities/import/uploads';
import { markProposalImportFailed } from '../../activities/import/proposal-failures';
import { applyContentAsNewEdits } from '../../activities/versions/restore';
import { AppError } from '../../activities/infra/errors';
import type { Logger } from '../../activities/infra/logger';
import type { ImportReport } from '../../editor/import';
import type { DocJSON, NodeJSON } from '../../editor/types';
import { chinaToday } from '../../workflows/dates';
import { draftDocName, STANDARD_KINDS } from '../../workflows/domain';
import type { AppExtensionContext } from '../app-deps';
import type { CollabServer } from '../collab/types';
import { userOf } from '../http/principal';

const PROPOSAL_FORM = '/standards/new/import';

function isProposer(req: Request): boolean {
  return Boolean(req.user?.grants.some((g) => g.role === 'ecoEnvDepartment' && g.province));
}

const text = (n: NodeJSON): string => (n.type === 'text' ? (n.text ?? '') : (n.content ?? []).map(text).join(''));

/** The proposal form's values the file gives (lists one per line, as the form takes them). */
export function proposalValuesOf(doc: DocJSON, report: ImportReport): Record<string, string> {
  const m = report.metadata;
  const scope = doc.content
    .filter((n) => n.type === 'scope')
    .flatMap((n) => (n.content ?? []).filter((c) => c.type === 'paragraph').map(text))
    .join('\n')
    .slice(0, 2000);
  const values: Record<string, string> = {};
  if (m.titleZh) values.titleZh = m.titleZh.slice(0, 200);
  if (m.titleEn) values.titleEn = m.titleEn.slice(0, 300);
  if (scope) values.scope = scope;
  if (m.draftingUnits?.length) values.draftingUnits = m.draftingUnits.slice(0, 30).join('\n');
  if (m.drafters?.length) values.drafters = m.drafters.slice(0, 50).join('\n');
  return values;
}

interface ProposalImportDeps {
  db: Db;
  conversions: ConversionCache;
}

export function registerProposalImport(ctx: AppExtensionContext, deps: ProposalImportDeps, upload: {
  parse: (req: Request, res: Response, next: (err?: unknown) => void) => void;
  csrf: (req: Request, res: Response, next: (err?: unknown) => void) => void;
}): void {
  const { app, requireUser } = ctx;
  const render = (req: Request, res: Response, status: number, locals: Record<string, unknown>): void => {
    res.status(status).render('propose.njk', {
      values: {},
      kinds: STANDARD_KINDS,
      thisYear: Number(chinaToday(Date.now()).slice(0, 4)),
      errors: {},
      ...locals,
    });
  };
  const refuse = (req: Request, res: Response, e: unknown): void => {
    const err = toAppError(e);
    if (!(err instanceof AppError) || err.status >= 500) throw err;
    const details = err.details as { importError?: string } | undefined;
    render(req, res, err.status, { importError: { zh: err.messages.zh, en: err.messages.en, code: details?.importError ?? err.code } });
  };

  app.post(
    PROPOSAL_FORM,
    requireUser,
    (req, _res, next) => {
      // Checked before the body is read: a refused user's upload is never buffered.
      if (!isProposer(req)) throw new AppError('FORBIDDEN', { zh: '只有生态环境部门可以提出立项', en: 'Only an eco-environment department may propose a standard' });
      next();
    },
    (req, res, next) => {
      upload.parse(req, res, (err?: unknown) => {
        if (!err) return next();
        try {
          refuse(req, res, err);
        } catch (e) {
          next(e);
        }
      });
    },
    upload.csrf,
    async (req, res) => {
      const user = userOf(req);
      const file = req.file;
      const body = (req.body ?? {}) as Record<string, unknown>;
      const allowNonStandard = body.allowNonStandard === '1';
      // Tracked changes: refused unless the user chose (the same rule as the draft page).
      const changes = body.changes === 'accept' || body.changes === 'reject' ? body.changes : undefined;
      let result;
      try {
        if (!file || file.size === 0) throw new AppError('BAD_REQUEST', { zh: '请选择要导入的 Word 文件', en: 'Choose a Word file to import' });
        result = await importWordFile(file.buffer, { changes: changes ?? 'refuse', allowNonStandard, conversions: deps.conversions });
      } catch (e) {
        refuse(req, res, e);
        return;
      }
      const filename = Buffer.from(file.originalname, 'latin1').toString('utf8').slice(0, 120);
      const id = await keepUpload(deps.db, file.buffer, { standardId: '', userId: user.userId, filename, allowNonStandard, purpose: 'proposal', ...(changes ? { changes } : {}) });
      const r = result.report;
      const count = (k: string): number => r.elements.filter((e) => e.kind === k).length;
      render(req, res, 200, {
        values: { ...proposalValuesOf(result.doc, r), importUploadId: id },
        wordImport: {
          filename,
          chapters: count('chapter'),
          clauses: count('clause'),
          terms: count('term'),
          tables: count('table'),
          figures: count('figure'),
          annexes: count('annex'),
          unplaced: r.unplaced.length,
          numbers: r.metadata.numbers,
          trackedChanges: r.trackedChanges.total,
          changes: r.trackedChanges.applied,
        },
      });
    },
  );
}

export interface ProposalApplyDeps {
  db: Db;
  collab: Pick<CollabServer, 'getDoc' | 'flush'>;
  logger: Logger;
  pictures: (standardId: string, uploadedBy: string) => NonNullable<ImportFileOptions['storePictures']>;
}

export type ProposalImportOutcome =
  | { applied: true; uploadId: string }
  | { applied: false; reason: 'none' }
  | { applied: false; reason: 'failed'; uploadId: string; error: { code: string; zh: string; en: string } };

/** The reason shown to the proposer: the importer's or the store's 4xx message, else a general one (an
 *  internal error's text may name server paths; it goes to the log only). */
function failureOf(e: unknown): { code: string; zh: string; en: string } {
  const err = toAppError(e);
  if (err instanceof AppError && err.status < 500) {
    const details = err.details as { importError?: string } | undefined;
    return { code: details?.importError ?? err.code, zh: err.messages.zh, en: err.messages.en };
  }
  return { code: 'INTERNAL', zh: '导入时发生内部错误，可稍后重试。', en: 'An internal error occurred during the import; you may retry later.' };
}

/**
 * Applies the Word file kept with the proposal to the standard's draft: the whole import is done in memory
 * first and the draft changes in one step only when it succeeded (nothing half-applied). On success the file
 * is dropped. On failure it is kept, marked with the reason (activities/import/proposal-failures.ts): the
 * standard's page shows it to the proposer with 重试 / 放弃, and the outcome says it to the caller.
 */
export async function applyProposalImportOutcome(deps: ProposalApplyDeps, standardId: string, before?: () => Promise<unknown>): Promise<ProposalImportOutcome> {
  // The transition has happened whatever this does: a failure here is recorded, never thrown at the approver.
  const pending = await proposalUploadOf(deps.db, standardId).catch((e: unknown) => {
    deps.logger.error({ standardId, err: e }, 'Word file of the proposal could not be read; not applied');
    return null;
  });
  if (!pending) return { applied: false, reason: 'none' };
  try {
    const { doc } = await importWordFile(pending.data, {
      changes: pending.meta.changes ?? 'accept',
      allowNonStandard: pending.meta.allowNonStandard,
      storePictures: deps.pictures(standardId, pending.meta.userId),
    });
    if (before) await before();
    const docName = draftDocName(standardId);
    applyContentAsNewEdits(await deps.collab.getDoc(docName), doc);
    await deps.collab.flush(docName);
  } catch (e) {
    const error = failureOf(e);
    deps.logger.error({ standardId, uploadId: pending.id, err: e }, 'Word file of the proposal could not be applied; kept for a retry');
    await markProposalImportFailed(deps.db, pending.id, error).catch((x: unknown) => deps.logger.error({ standardId, err: x }, 'could not record the failed proposal import'));
    return { applied: false, reason: 'failed', uploadId: pending.id, error };
  }
  deps.logger.info({ standardId, uploadId: pending.id }, 'Word file of the proposal applied to the draft');
  await dropUpload(deps.db, pending.id).catch((e: unknown) => deps.logger.warn({ standardId, err: e }, 'applied proposal file not dropped; the sweep removes it'));
  return { applied: true, uploadId: pending.id };
}

/** Applies the proposal's Word file when drafting starts (server/runtime.ts); whether a file was applied. */
export async function applyProposalImport(deps: ProposalApplyDeps, standardId: string): Promise<boolean> {
  return (await applyProposalImportOutcome(deps, standardId)).applied;
}
