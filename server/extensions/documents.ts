// Documents of a standard: the stored files (editions, stage drafts, 编制说明, disposition tables) with
// their hashes, downloads with the right content type and a Chinese file name, and on-demand DOCX of the
// live draft for staff, generated in the background with a progress page that refreshes itself (no
// JavaScript needed). Published editions are public; everything else needs a signed-in staff user.
// Each DOCX is listed with the PDF stored beside it (activities/pdf); staff can (re)generate a missing PDF.
import type { Request } from 'express';
import type { Db } from 'mongodb';
import * as Y from 'yjs';
import { generateStandardDocx } from '../../activities/docx/generate';
import { yDocToJSON } from '../../editor/ydoc';
import { draftDocName, PROVINCES, type StandardRecord } from '../../workflows/domain';
import type { AppExtensionContext, StandardLink } from '../app-deps';
import { draftPermission } from '../../workflows/draft-access';
import { createMongoDocumentStore } from '../../activities/data/documents';
import { formatOf, getFileInfo, listFiles, listReleaseFiles, storeGeneratedFile, type StoredFile } from '../../activities/files/store';
import { ensurePdfOf, pairWithPdfs, type FileWithPdf } from '../../activities/pdf/editions';
import type { PdfRenderer } from '../../activities/pdf/render';
import { createGenerationJobs, sendStoredFile, type GenerationJobs, type ProgressReporter } from '../files';
import { jobPhaseWords } from '../files/phase-words';
import { AppError } from '../../activities/infra/errors';
import { createLogger, type Logger } from '../../activities/infra/logger';
import { publishedPageQuery, standardsCollection } from '../../activities/data/standards';
import { loadStandardOr404 } from './editor-page';
import { contentDisposition, isPackageStage, planStagePackage, stagePackageStream } from '../../activities/packages/stage-package';
import { createCommentsStore } from '../../activities/comments/store';
import { dispositionDocxStream } from '../../activities/comments/disposition-stream';
import { createVersionDraftSource } from '../comments/drafts';
import { createConsultationMailingStore } from '../../activities/data/consultation-mailings';
import { versionNamesOf } from '../../activities/comments/version-names';

/** Links on a standard's page. */
export function documentLinks(standard: StandardRecord): StandardLink[] {
  return [
    { href: `/standards/${standard._id}/draft`, zh: '打开草案（在线编辑）', en: 'Open the draft (co-editing)' },
    { href: `/standards/${standard._id}/versions`, zh: '版本（查看、比较、恢复）', en: 'Versions (view, compare, restore)' },
    { href: `/standards/${standard._id}/explanatory-note`, zh: '编制说明', en: 'Explanatory note' },
    { href: `/standards/${standard._id}/documents`, zh: '文件与下载', en: 'Documents and downloads' },
    { href: `/standards/${standard._id}/comments`, zh: '征求意见处理', en: 'Public comments' },
    { href: `/standards/${standard._id}/consultation-mailing`, zh: '征求意见稿发送单位', en: 'Units the draft for comment was sent to' },
  ];
}

/** A file anyone may download: an edition of a standard that has been published. */
function isPublicFile(file: StoredFile, standard: Pick<StandardRecord, 'publishedAt'> | null): boolean {
  return Boolean(standard?.publishedAt) && (file.metadata.kind === 'edition' || file.metadata.kind === 'dispositionTable');
}

const EDITION_ORDER: string[] = ['joint', ...PROVINCES];

export function documentsExtension(deps: { db: Db; logger?: Logger; renderPdf?: PdfRenderer; jobs?: GenerationJobs }) {
  const { db } = deps;
  /** DOCX file ids whose PDF is being rendered now: a double click renders once. */
  const pdfInFlight = new Map<string, Promise<StoredFile>>();
  const log = deps.logger ?? createLogger('documents');
  const docStore = createMongoDocumentStore(db);
  // Job status lives in MongoDB (server/files/jobs.ts): a poll may land on any app process.
  const jobs = deps.jobs ?? createGenerationJobs({ db, logger: log });

  async function liveDraftJSON(standardId: string) {
    const loaded = await docStore.load(draftDocName(standardId));
    const ydoc = new Y.Doc();
    if (loaded.snapshot) Y.applyUpdate(ydoc, loaded.snapshot);
    for (const u of loaded.updates) Y.applyUpdate(ydoc, u.update);
    return yDocToJSON(ydoc);
  }

  async function generateDraft(record: StandardRecord, progress: ProgressReporter): Promise<StoredFile> {
    const body = await liveDraftJSON(record._id);
    const data = await generateStandardDocx({
      record,
      body,
      edition: 'joint',
      stageLabel: 'draftForComment',
      completedOn: new Date().toISOString().slice(0, 10),
      onProgress: progress,
    });
    return storeGeneratedFile(db, {
      filename: `${record.titleZh}（工作组讨论稿 ${new Date().toISOString().slice(0, 16).replace('T', ' ')}）.docx`,
      data,
      metadata: { standardId: record._id, kind: 'draft', stage: record.stage, province: 'joint' },
    });
  }

  function requireReader(req: Request, standard: StandardRecord): void {
    if (!req.user) throw new AppError('UNAUTHENTICATED', { zh: '请先登录', en: 'Please sign in first' });
    if (draftPermission(req.user.grants, standard) === 'none') throw new AppError('FORBIDDEN', { zh: '您无权查看此标准的文件', en: "You may not see this standard's documents" });
  }

  return ({ app, requireUser }: AppExtensionContext): void => {
    app.get('/standards/:id/documents', async (req, res) => {
      const standard = await loadStandardOr404(db, String(req.params.id));
      const files = await listFiles(db, { standardId: standard._id, format: 'any' });
      const staff = Boolean(req.user) && draftPermission(req.user!.grants, standard) !== 'none';
      const visible = staff ? files : files.filter((f) => isPublicFile(f, standard));
      if (!staff && visible.length === 0 && !standard.publishedAt) {
        throw new AppError(req.user ? 'FORBIDDEN' : 'UNAUTHENTICATED', { zh: '此标准尚未发布', en: 'This standard is not published yet' });
      }
      const rows: FileWithPdf[] = pairWithPdfs(visible);
      res.render('documents.njk', { standard, files: rows, staff });
    });

    // (Re)generate the PDF of a stored DOCX (a PDF that failed at release or stage time, or files from
    // before PDFs existed). Synchronous: LibreOffice takes seconds for a standard.
    app.post('/standards/:id/documents/:fileId/pdf', requireUser, async (req, res) => {
      const standard = await loadStandardOr404(db, String(req.params.id));
      requireReader(req, standard);
      const info = await getFileInfo(db, String(req.params.fileId));
      if (info.metadata.standardId !== standard._id || formatOf(info) !== 'docx') throw new AppError('NOT_FOUND', { zh: '文件不存在', en: 'No such file' });
      let running = pdfInFlight.get(info.id);
      if (!running) {
        running = ensurePdfOf(db, info, { render: deps.renderPdf }).finally(() => pdfInFlight.delete(info.id));
        pdfInFlight.set(info.id, running);
      }
      let pdf: StoredFile;
      try {
        pdf = await running;
      } catch (err) {
        log.warn({ err, standardId: standard._id, fileId: info.id }, 'pdf regeneration failed');
        throw err;
      }
      if (req.accepts(['html', 'json']) === 'json') res.status(201).json({ fileId: pdf.id, sha256: pdf.metadata.sha256 });
      else res.redirect(303, `/standards/${standard._id}/documents`);
    });

    app.post('/standards/:id/documents/draft', requireUser, async (req, res) => {
      const standard = await loadStandardOr404(db, String(req.params.id));
      requireReader(req, standard);
      const jobId = await jobs.start(req.user!.userId, standard._id, (progress) => generateDraft(standard, progress));
      const statusUrl = `/standards/${standard._id}/documents/jobs/${jobId}`;
      if (req.accepts(['html', 'json']) === 'json') res.status(202).json({ jobId, statusUrl });
      else res.redirect(303, statusUrl);
    });

    app.get('/standards/:id/documents/jobs/:jobId', requireUser, async (req, res) => {
      const job = await jobs.status(String(req.params.jobId), req.user!.userId);
      const standard = await loadStandardOr404(db, job.standardId);
      if (standard._id !== String(req.params.id)) throw new AppError('NOT_FOUND', { zh: '没有这个生成任务', en: 'No such generation job' });
      if (req.accepts(['html', 'json']) === 'json') {
        res.json({ state: job.state, fraction: job.fraction, phase: job.phase, fileId: job.fileId ?? null, error: job.error ?? null });
        return;
      }
      res.render('document-job.njk', { standard, job, phaseWords: jobPhaseWords(job.phase, req.lang === 'en' ? 'en' : 'zh'), percent: Math.round(job.fraction * 100), done: job.state !== 'running' });
    });

    // A stage's package in one ZIP (activities/packages): staff who can read the standard.
    app.get('/standards/:id/documents/package/:stage', requireUser, async (req, res) => {
      const standard = await loadStandardOr404(db, String(req.params.id));
      requireReader(req, standard);
      const stage = String(req.params.stage);
      if (!isPackageStage(stage)) throw new AppError('NOT_FOUND', { zh: '没有这个阶段的材料', en: 'No package for that stage' });
      const plan = await planStagePackage(db, standard, stage, {
        // Streamed like the staff download (activities/comments/disposition-stream.ts): comments are read a
        // batch at a time and written as rows; only the zipped DOCX is held, never every comment.
        dispositionTable: async () => {
          const current = await createVersionDraftSource(db).getCurrentDraft(standard._id);
          const sentTo = await createConsultationMailingStore(db).sentTo(standard._id);
          const versionNames = await versionNamesOf(db, standard._id);
          const standardFields = { titleZh: standard.titleZh, draftingUnits: standard.draftingUnits.length ? standard.draftingUnits : standard.leadUnits };
          const docx = await dispositionDocxStream({ standard: standardFields, date: new Date(), batches: createCommentsStore(db).tableComments(standard._id), current, sentTo, versionNames });
          const chunks: Buffer[] = [];
          for await (const chunk of docx) chunks.push(chunk as Buffer);
          return Buffer.concat(chunks);
        },
      });
      const stream = await stagePackageStream(db, standard, stage, plan);
      res.type('application/zip').set('Content-Disposition', contentDisposition(plan.zipName, `${standard._id}-${stage}.zip`));
      stream.on('error', (err: Error) => {
        log.error({ err, standardId: standard._id, stage }, 'stage package failed while streaming');
        res.destroy(err);
      });
      stream.pipe(res);
    });

    app.get('/files/:fileId', async (req, res) => {
      const info = await getFileInfo(db, String(req.params.fileId));
      const standard = await standardsCollection(db).findOne({ _id: info.metadata.standardId });
      if (!isPublicFile(info, standard)) {
        if (!standard) throw new AppError('NOT_FOUND', { zh: '文件不存在', en: 'No such file' });
        requireReader(req, standard);
      }
      await sendStoredFile(db, info.id, req, res);
    });

    app.get('/published', async (req, res) => {
      // Newest first, a page at a time (keyset on publishedAt, then _id): every released standard is reachable.
      const PAGE = 100;
      const after = typeof req.query.after === 'string' ? req.query.after : '';
      const m = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)\|([A-Za-z0-9_-]{1,64})$/.exec(Buffer.from(after, 'base64url').toString('utf8'));
      if (after && !m) throw new AppError('VALIDATION_FAILED', { zh: '分页参数无效，请从第一页重新打开', en: 'Invalid page cursor; open the first page again' });
      // An index walk (publishedAt_id_v2) on the embedded store too: the query carries EXACT_PUSHDOWN.
      const q = publishedPageQuery(m ? { at: m[1], id: m[2] } : undefined);
      const rows = await standardsCollection(db)
        .find(q.filter, { projection: { _id: 1, titleZh: 1, titleEn: 1, provinces: 1, releaseDate: 1, implementationDate: 1, stage: 1, publishedAt: 1 }, ...q.options })
        .sort(q.sort)
        .limit(PAGE + 1)
        .toArray();
      const standards = rows.slice(0, PAGE);
      const last = standards[standards.length - 1];
      const next = rows.length > PAGE && last?.publishedAt ? Buffer.from(`${last.publishedAt}|${last._id}`, 'utf8').toString('base64url') : undefined;
      // The newest released file of each edition, DOCX with its PDF beside it.
      const releaseFiles = await listReleaseFiles(db, standards.map((s) => s._id));
      const editions: Record<string, FileWithPdf[]> = {};
      for (const s of standards) {
        const seen = new Set<string>();
        editions[s._id] = pairWithPdfs(releaseFiles.filter((f) => f.metadata.standardId === s._id)).filter((row) => {
          if (seen.has(row.file.metadata.province)) return false;
          seen.add(row.file.metadata.province);
          return true;
        }).sort((x, y) => EDITION_ORDER.indexOf(x.file.metadata.province) - EDITION_ORDER.indexOf(y.file.metadata.province));
      }
      res.render('published.njk', { standards, editions, next, firstPage: !after });
    });
  };
}
