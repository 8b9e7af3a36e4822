// Word import on the draft page (issue 14): a drafter who may edit the draft uploads a .docx / .doc / .wps,
// sees what the importer recognised (the preview), chooses what to do with tracked changes, and confirms.
// Pictures are stored at upload like uploaded figures, once per content hash (activities/import refers to
// them by part until the import succeeded, so a refused file stores nothing), and the model refers to them by
// URL. The confirmation saves the current draft as a named version, replaces the live draft through the
// collaboration server with new edits (the restore path of versions, so open editors receive it), and
// lands on the compare page between the saved version and the new state. The file's Word comments become
// draft threads on their words in the new draft (./word-threads.ts, issue 15).
//
// Refusals of the importer (not Word, encrypted, macros, too large, unsafe XML, not a standard …) are
// answered with their 4xx on the draft page itself, with the zh/en message and nothing stored; a file
// that is not a standard can be uploaded again with an explicit confirmation to import it anyway.
// The upload form is multipart: the app leaves its CSRF check to this route, after the body is parsed.
import type { NextFunction, Request, Response } from 'express';
import { GridFSBucket, type Db } from 'mongodb';
import multer from 'multer';
import { z } from 'zod';
import { createConversionCache, importWordFile, LIMITS, toAppError, type ImportFileOptions, type ImportFileResult } from '../../activities/import';
import { dropUpload, keepUpload, newUploadId, readUpload, UPLOAD_ID, type PendingUpload } from '../../activities/import/uploads';
import { holdPicture, pendingMetadata } from '../../activities/import/pending-pictures';
import { createVersionActivities } from '../../activities/versions';
import { applyContentAsNewEdits } from '../../activities/versions/restore';
import { sha256Of } from '../../activities/files/store';
import { pixelSize } from '../../activities/docx/images';
import { AppError } from '../../activities/infra/errors';
import { createLogger } from '../../activities/infra/logger';
import { provinceOfGrants, type Principal } from '../../activities/data/users';
import type { ImportReport } from '../../editor/import';
import type { DocJSON } from '../../editor/types';
import { draftDocName, PROVINCES, type Province, type StandardRecord } from '../../workflows/domain';
import type { AppExtensionContext } from '../app-deps';
import { draftPermission, isDraftWriter } from '../../workflows/draft-access';
import type { CollabServer } from '../collab/types';
import { createCsrfProtection, csrfTokenOf } from '../http/csrf';
import { userOf } from '../http/principal';
import { loadStandardOr404 } from './editor-page';
import { IMAGES_BUCKET, sniffImageType } from './images';
import { applyProposalImport, registerProposalImport } from './import-proposal';
import { registerProposalImportRetry } from './import-proposal-retry';
import { threadsFromWordComments } from './word-threads';
import type { Logger } from '../../activities/infra/logger';

const log = createLogger('import');

const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: LIMITS.maxFileBytes, files: 1, fields: 5, fieldSize: 1024 } });
const csrfAfterParsing = createCsrfProtection();

const confirmBody = z.object({ changes: z.enum(['accept', 'reject', 'keep']).optional(), _csrf: z.string().optional() });

type Standard = StandardRecord & { step?: string };

function actorOf(user: Principal) {
  const g = user.grants[0];
  return { userId: user.userId, displayName: user.displayName, ...(g ? { role: g.role } : {}), ...(g?.province ? { province: g.province } : {}) };
}

/** The importing user as the creator of the threads made from the file's comments. */
function threadAuthorOf(user: Principal) {
  const province = provinceOfGrants(user.grants);
  return { userId: user.userId, displayName: user.displayName, ...(province ? { province } : {}) };
}

const wantsJson = (req: Request): boolean => req.accepts(['html', 'json']) === 'json';

/** Loads the standard and checks the user may edit its draft (403 not a writer, 409 draft read-only). */
async function editAccess(db: Db, req: Request): Promise<{ user: Principal; standard: Standard }> {
  const user = userOf(req);
  const standard = await loadStandardOr404(db, String(req.params.id));
  // Readers of the draft (staff) are not its writers: 403, like anyone else who is not; a writer is refused
  // only while the stage keeps the draft read-only (409).
  if (!isDraftWriter(user.grants, standard)) {
    throw new AppError('FORBIDDEN', { zh: '您无权向此草案导入 Word 文件', en: 'You may not import a Word file into this draft' });
  }
  if (draftPermission(user.grants, standard) !== 'edit') {
    throw new AppError('STAGE_CONFLICT', { zh: '当前阶段草案为只读，不能导入 Word 文件', en: 'The draft is read-only in this stage: no Word file can be imported' });
  }
  return { user, standard };
}

/** The editor page's locals (server/extensions/editor-page.ts), for answering a refusal on the draft page. */
function draftPageLocals(req: Request, standard: Standard) {
  const user = userOf(req);
  const province = user.grants.map((g) => g.province).find((p): p is Province => p !== undefined && PROVINCES.includes(p));
  return { standard, access: draftPermission(user.grants, standard), docName: draftDocName(standard._id), userProvince: province ?? '', csrf: csrfTokenOf(req) };
}

/** An importer refusal (or another 4xx) answered on the draft page; other errors go to the error middleware. */
function refuseOnDraftPage(req: Request, res: Response, standard: Standard, e: unknown): void {
  const err = toAppError(e);
  if (!(err instanceof AppError) || err.status >= 500 || wantsJson(req)) throw err;
  const details = err.details as { importError?: string } | undefined;
  res.status(err.status).render('editor.njk', {
    ...draftPageLocals(req, standard),
    importError: { zh: err.messages.zh, en: err.messages.en, code: details?.importError ?? err.code },
  });
}

/** multer's parser, its limit errors turned into the importer's refusals. */
function parseUpload(req: Request, res: Response, next: NextFunction): void {
  upload.single('file')(req, res, (err: unknown) => {
    if (!err) return next();
    if (err instanceof multer.MulterError) {
      const mb = LIMITS.maxFileBytes / 1024 / 1024;
      return next(
        err.code === 'LIMIT_FILE_SIZE'
          ? new AppError('PAYLOAD_TOO_LARGE', { zh: `文件超过 ${mb} MB`, en: `The file is larger than ${mb} MB` }, { details: { importError: 'TOO_LARGE' } })
          : new AppError('BAD_REQUEST', { zh: `上传请求无效（${err.code}）`, en: `Invalid upload request (${err.code})` }),
      );
    }
    next(err);
  });
}

/** Outline rows of the preview: recognised elements with their level (chapters 1, clauses by their number). */
function outlineOf(report: ImportReport) {
  return report.elements.map((e) => {
    const depth = e.kind === 'clause' ? Math.max(2, e.number.split('.').length) : ['chapter', 'annex', 'foreword', 'introduction', 'bibliography'].includes(e.kind) ? 1 : 0;
    return { ...e, depth };
  });
}

function countsOf(report: ImportReport): Record<string, number> {
  const c: Record<string, number> = { chapter: 0, clause: 0, term: 0, table: 0, figure: 0, formula: 0, annex: 0 };
  for (const e of report.elements) if (e.kind in c) c[e.kind]++;
  return c;
}

/**
 * The picture store of an import into `standardId`: each picture is stored like an uploaded figure (GridFS
 * `images`, metadata standardId + sha256) once per standard and content — the upload stores them, the
 * preview and the confirmation find them by hash — and the model refers to it by URL. A part that is not a
 * PNG/JPEG/GIF with a readable size is not stored (its figure keeps no picture; the importer reports it).
 * `pendingUpload`: the upload and the preview store for a pending import, whose pictures are deleted when it
 * is cancelled or expires unless a draft uses them (activities/import/pending-pictures.ts); without it (the
 * confirmation, a proposal's file) the pictures used are settled.
 */
export function pictureStore(db: Db, standardId: string, uploadedBy: string, pendingUpload?: string): NonNullable<ImportFileOptions['storePictures']> {
  const bucket = new GridFSBucket(db, { bucketName: IMAGES_BUCKET });
  const contentTypes = { png: 'image/png', jpg: 'image/jpeg', gif: 'image/gif' } as const;
  return async (used) => {
    const urls = new Map<string, string>();
    for (const [part, bytes] of used) {
      const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const type = sniffImageType(data);
      if (!type || !pixelSize(data, type)) continue;
      const sha256 = sha256Of(data);
      const existing = await bucket.find({ 'metadata.standardId': standardId, 'metadata.sha256': sha256 }).next();
      if (existing) {
        await holdPicture(db, existing._id, existing.metadata, pendingUpload);
        urls.set(part, `/images/${existing._id.toString()}`);
        continue;
      }
      const stream = bucket.openUploadStream(`figure.${type}`, { metadata: { standardId, sha256, contentType: contentTypes[type], uploadedBy, ...pendingMetadata(pendingUpload) } });
      await new Promise<void>((resolve, reject) => {
        stream.once('finish', () => resolve());
        stream.once('error', reject);
        stream.end(data);
      });
      urls.set(part, `/images/${stream.id.toString()}`);
    }
    return urls;
  };
}

export function importExtension(deps: { db: Db; collab: Pick<CollabServer, 'getDoc' | 'flush'> }) {
  const { db } = deps;
  const versions = createVersionActivities({ db, collab: deps.collab });
  // One LibreOffice conversion per .doc/.wps for the upload, the preview and the confirmation.
  const conversions = createConversionCache();

  async function pendingOr404(req: Request, standard: Standard, user: Principal): Promise<PendingUpload> {
    const id = String(req.params.uploadId);
    const pending = UPLOAD_ID.test(id) ? await readUpload(db, id, { standardId: standard._id, userId: user.userId }) : null;
    if (!pending) {
      throw new AppError('NOT_FOUND', {
        zh: '没有待导入的文件（可能已超过一小时或已导入），请重新上传',
        en: 'No pending import (it may be over an hour old or already imported); upload the file again',
      });
    }
    return pending;
  }

  async function renderPreview(req: Request, res: Response, standard: Standard, pending: PendingUpload, status = 200, error?: { zh: string; en: string }): Promise<void> {
    // The preview shows the document with tracked changes accepted; the confirmation applies the choice.
    const storePictures = pictureStore(db, standard._id, userOf(req).username, pending.id);
    const result = await importWordFile(pending.data, { changes: 'accept', allowNonStandard: pending.meta.allowNonStandard, conversions, storePictures });
    const report = result.report;
    if (wantsJson(req) && status === 200) {
      res.json({ uploadId: pending.id, format: result.format, report });
      return;
    }
    res.status(status).render('import-preview.njk', {
      standard,
      uploadId: pending.id,
      filename: pending.meta.filename,
      format: result.format,
      report,
      outline: outlineOf(report),
      counts: countsOf(report),
      authors: Object.entries(report.trackedChanges.byAuthor),
      csrf: csrfTokenOf(req),
      error,
    });
  }

  return (ctx: AppExtensionContext): void => {
    const { app, requireUser } = ctx;
    // Before '/standards/:id/import', which would take 'new' for a standard's id.
    registerProposalImport(ctx, { db, conversions }, { parse: parseUpload, csrf: csrfAfterParsing });
    // A proposal's Word file that failed to apply at drafting start: retry or discard from the standard's page.
    registerProposalImportRetry(ctx, { db, collab: deps.collab, logger: log, pictures: (id, by) => pictureStore(db, id, by), versions });
    app.post(
      '/standards/:id/import',
      requireUser,
      async (req, _res, next) => {
        // Access is checked before the body is read: a refused user's upload is never buffered.
        await editAccess(db, req);
        next();
      },
      (req, res, next) => {
        // A parse failure (too large …) is answered on the draft page like the importer's refusals.
        parseUpload(req, res, (err?: unknown) => {
          if (!err) return next();
          loadStandardOr404(db, String(req.params.id)).then((standard) => {
            try {
              refuseOnDraftPage(req, res, standard, err);
            } catch (e) {
              next(e);
            }
          }, next);
        });
      },
      csrfAfterParsing,
      async (req, res) => {
        const { user, standard } = await editAccess(db, req);
        const file = req.file;
        const body = (req.body ?? {}) as Record<string, unknown>;
        const allowNonStandard = body.allowNonStandard === '1' || body.allowNonStandard === 'true';
        const uploadId = newUploadId();
        try {
          if (!file || file.size === 0) throw new AppError('BAD_REQUEST', { zh: '请选择要导入的 Word 文件', en: 'Choose a Word file to import' });
          // Refused files throw here, before anything is stored.
          // Pictures are stored now (by hash, once): the preview and the confirmation refer to them by URL.
          // They carry the upload's id until it is confirmed; cancelled or expired, they are deleted.
          await importWordFile(file.buffer, { changes: 'accept', allowNonStandard, conversions, storePictures: pictureStore(db, standard._id, user.username, uploadId) });
        } catch (e) {
          refuseOnDraftPage(req, res, standard, e);
          return;
        }
        const filename = Buffer.from(file.originalname, 'latin1').toString('utf8').slice(0, 120);
        const id = await keepUpload(db, file.buffer, { standardId: standard._id, userId: user.userId, filename, allowNonStandard }, new Date(), uploadId);
        log.info({ standardId: standard._id, uploadId: id, bytes: file.size }, 'Word file kept for import preview');
        const url = `/standards/${standard._id}/import/${id}`;
        if (wantsJson(req)) res.status(201).location(url).json({ uploadId: id, preview: url });
        else res.redirect(303, url);
      },
    );

    app.get('/standards/:id/import/:uploadId', requireUser, async (req, res) => {
      const { user, standard } = await editAccess(db, req);
      const pending = await pendingOr404(req, standard, user);
      await renderPreview(req, res, standard, pending);
    });

    app.post('/standards/:id/import/:uploadId/cancel', requireUser, async (req, res) => {
      const { user, standard } = await editAccess(db, req);
      const pending = await pendingOr404(req, standard, user);
      await dropUpload(db, pending.id);
      res.redirect(303, `/standards/${standard._id}/draft`);
    });

    app.post('/standards/:id/import/:uploadId/confirm', requireUser, async (req, res) => {
      const { user, standard } = await editAccess(db, req);
      const pending = await pendingOr404(req, standard, user);
      const body = confirmBody.safeParse(req.body ?? {});
      const choice = body.success ? body.data.changes : undefined;
      let doc: DocJSON;
      let word: Pick<ImportFileResult, 'blocks'> & { comments: ImportFileResult['report']['comments'] };
      try {
        // Without a choice the importer refuses a document with tracked changes (422): shown on the preview.
        const result = await importWordFile(pending.data, {
          changes: choice ?? 'refuse',
          // 保留为修订建议: the importing user proposes the Word authors' changes.
          suggestionsBy: user.userId,
          allowNonStandard: pending.meta.allowNonStandard,
          conversions,
          storePictures: pictureStore(db, standard._id, user.username),
        });
        doc = result.doc;
        word = { blocks: result.blocks, comments: result.report.comments };
      } catch (e) {
        const err = toAppError(e);
        if (err instanceof AppError && err.status < 500 && !wantsJson(req)) {
          await renderPreview(req, res, standard, pending, err.status, err.messages);
          return;
        }
        throw err;
      }
      const backup = await versions.saveNamedVersion({
        standardId: standard._id,
        name: `导入 Word 文件「${pending.meta.filename.slice(0, 100)}」前的自动保存`,
        actor: actorOf(user),
      });
      const docName = draftDocName(standard._id);
      const live = await deps.collab.getDoc(docName);
      applyContentAsNewEdits(live, doc);
      await deps.collab.flush(docName);
      // The file's Word comments become threads on their words in the new draft (issue 15).
      const threads = await threadsFromWordComments({ db, logger: log }, { standardId: standard._id, live, comments: word.comments, blocks: word.blocks, importer: threadAuthorOf(user) });
      await dropUpload(db, pending.id);
      log.info({ standardId: standard._id, uploadId: pending.id, backupVersionId: backup._id }, 'Word file imported into the draft');
      const compare = `/standards/${standard._id}/versions/compare?from=${encodeURIComponent(backup._id)}&to=live`;
      if (wantsJson(req)) res.json({ backupVersionId: backup._id, compare, threads });
      else res.redirect(303, compare);
    });
  };
}

/** Applies a proposal's Word file to the standard's draft when drafting starts (server/runtime.ts calls it). */
export function proposalImportApplier(deps: { db: Db; collab: Pick<CollabServer, 'getDoc' | 'flush'>; logger: Logger }): (standardId: string) => Promise<boolean> {
  return (standardId) => applyProposalImport({ ...deps, pictures: (id, by) => pictureStore(deps.db, id, by) }, standardId);
}
