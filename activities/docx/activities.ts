// The Temporal activities of release documents. `generateReleaseDocuments` (the lifecycle's seam, see
// activities/lifecycle/seams.ts) generates the joint edition and the three province editions of the
// published version, stores each as a new immutable file and returns their ids; it throws unless all four
// are stored, so the release cannot complete with an edition missing. It is idempotent per published
// version: a retry returns the files already stored for that version and generates only what is missing.
// `generateStageDraft` and `generateExplanatoryNote` produce the 征求意见稿 / 送审稿 / 报批稿 and their 编制说明.
// Each edition and stage draft is also stored as PDF (LibreOffice, activities/pdf) beside its DOCX. The PDF
// is optional by design: the DOCX editions are what the release requires, so a missing or failing
// LibreOffice is logged and never fails or blocks a release or a draft; a retry (or the documents page)
// renders the PDFs still missing.
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Db } from 'mongodb';
import { PROVINCES, type Stage, type StandardRecord } from '../../workflows/domain';
import type { DocJSON } from '../../editor/types';
import { schema } from '../../editor/schema';
import { createVersionStore, type VersionKind } from '../versions/store';
import { getStandard } from '../data/standards';
import { createExplanatoryNoteStore } from '../data/explanatory-notes';
import { listFiles, storeGeneratedFile, type StoredFile } from '../files/store';
import { ensurePdfOf, ensurePdfsOf } from '../pdf/editions';
import { oneByOne, PdfRenderError, renderPdf as defaultRenderPdf, renderPdfs as defaultRenderPdfs, type PdfBatchRenderer, type PdfRenderer } from '../pdf/render';
import { laidOutPages, pagesOfEntries, pdfText } from '../pdf/toc-pages';
import { computeNumbering } from '../../editor/numbering';
import { tocEntries } from './toc';
import { createLogger, type Logger } from '../infra/logger';
import type { GenerateReleaseDocumentsInput, GenerateReleaseDocumentsResult } from '../lifecycle/seams';
import { EDITIONS, type DraftStage, type EditionName } from './edition';
import { generateExplanatoryNoteDocx } from './explanatory-note';
import { generateStandardDocx, type GenerateOptions } from './generate';
import { agreedText } from './agreed-text';
import { VERSION_KIND_NAMES } from '../../workflows/version-kinds';

/** Time the release activity spends on its four PDFs at most (one LibreOffice process for the four). */
const PDF_BUDGET_MS = 4 * 60_000;

/** Where each draft kind is produced in the lifecycle. */
export const DRAFT_STAGE_OF: Record<DraftStage, Stage> = { draftForComment: 'publicComment', draftForReview: 'technicalReview', draftForApproval: 'approval' };

/** The structured 编制说明 forms, one per standard and draft kind (written by the drafting UI). */
export { EXPLANATORY_NOTES_COLLECTION } from '../data/explanatory-notes';

export interface LoadedBody {
  body: DocJSON;
  versionId: string;
}

export interface ReleaseActivitiesDeps {
  db: Db;
  /** Reads the body of the latest version of a kind. Default: the named versions store (activities/versions). */
  loadBody?: (standardId: string, kind: VersionKind) => Promise<LoadedBody | null>;
  resolveImage?: GenerateOptions['resolveImage'];
  /** Default: a child of the fallback root logger. */
  logger?: Logger;
  /** DOCX → PDF. Default: LibreOffice headless (activities/pdf/render.ts); `null`: store no PDFs. */
  renderPdf?: PdfRenderer | null;
  /** Several DOCX → PDF in one process (the release's four editions). Default: LibreOffice (`renderPdfs`), or `renderPdf` in turn when that is given. */
  renderPdfs?: PdfBatchRenderer;
}

function failure(type: string, zh: string, en: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(en, type, { zh, en });
}

/** Reports generation progress as an activity heartbeat when running inside Temporal. */
function heartbeat(details: unknown): void {
  try {
    Context.current().heartbeat(details);
  } catch {
    // Not inside an activity (direct call): nothing to report to.
  }
}

function defaultLoadBody(db: Db): NonNullable<ReleaseActivitiesDeps['loadBody']> {
  const versions = createVersionStore(db);
  return async (standardId, kind) => {
    const row = await versions.latest(standardId, kind);
    if (!row?.json) return null;
    return { body: JSON.parse(row.json) as DocJSON, versionId: row._id };
  };
}

export function editionFileName(record: StandardRecord, edition: EditionName): string {
  if (edition === 'joint') return `${record.titleZh}（长三角区域统一标准）.docx`;
  const number = record.provinces[edition]?.number ?? edition;
  return `${number.replace('/', '')} ${record.titleZh}.docx`;
}

export function createReleaseActivities(deps: ReleaseActivitiesDeps) {
  const { db } = deps;
  const log = deps.logger ?? createLogger('docx-activities');
  const notes = createExplanatoryNoteStore(db);
  const loadBody = deps.loadBody ?? defaultLoadBody(db);
  const render = deps.renderPdf === undefined ? defaultRenderPdf : deps.renderPdf;
  const renderMany = deps.renderPdfs ?? (deps.renderPdf ? oneByOne(deps.renderPdf) : defaultRenderPdfs);

  /** The PDF beside a stored DOCX, or null (logged) when it cannot be made: never throws. */
  async function pdfBeside(docx: StoredFile, data?: Buffer): Promise<StoredFile | null> {
    if (!render || toolMissing(docx.metadata.standardId)) return null;
    try {
      const pdf = await ensurePdfOf(db, docx, { data, render });
      log.info({ standardId: docx.metadata.standardId, docxId: docx.id, fileId: pdf.id, sha256: pdf.metadata.sha256 }, 'pdf stored');
      return pdf;
    } catch (err) {
      if (err instanceof PdfRenderError && err.reason === 'PDF_TOOL_MISSING') missingSince = Date.now();
      log.warn({ err, standardId: docx.metadata.standardId, docxId: docx.id }, 'pdf not generated; the DOCX is stored and the PDF can be regenerated from the documents page');
      return null;
    }
  }

  /**
   * The 目次 pages LibreOffice really prints for these options (activities/pdf/toc-pages.ts): one layout of
   * the document with estimated numbers. Optional like the PDFs: undefined (estimates kept) when there is no
   * renderer or pdftotext, or the layout fails; never throws.
   */
  async function exactTocPages(opts: GenerateOptions): Promise<ReadonlyMap<string, string> | undefined> {
    if (!render || toolMissing(opts.record._id)) return undefined;
    try {
      heartbeat({ phase: 'toc-layout' });
      // The plain export: read for its layout only, and quicker for pdftotext than the PDF/A.
      const text = await pdfText(await render(await generateStandardDocx(opts), { layoutOnly: true }));
      if (text === null) return undefined;
      return pagesOfEntries(tocEntries(opts.body, computeNumbering(opts.body)), laidOutPages(text));
    } catch (err) {
      if (err instanceof PdfRenderError && err.reason === 'PDF_TOOL_MISSING') missingSince = Date.now();
      log.warn({ err, standardId: opts.record._id }, '目次 layout failed; the estimated page numbers are kept');
      return undefined;
    }
  }

  // Without LibreOffice every conversion fails the same way: after one such failure, skip PDFs for a minute
  // (logged once) instead of trying each edition in turn.
  let missingSince = 0;
  function toolMissing(standardId: string): boolean {
    if (Date.now() - missingSince > 60_000) return false;
    log.debug({ standardId }, 'pdf skipped: LibreOffice not installed');
    return true;
  }

  async function recordOf(standardId: string): Promise<StandardRecord> {
    const record = await getStandard(db, standardId);
    if (!record) throw failure('STANDARD_NOT_FOUND', `标准不存在：${standardId}`, `No such standard: ${standardId}`);
    return record;
  }

  async function bodyOf(standardId: string, kind: VersionKind): Promise<LoadedBody> {
    const loaded = await loadBody(standardId, kind);
    if (!loaded) throw failure('VERSION_NOT_FOUND', `没有可用的${kind}版本：${standardId}`, `No ${kind} version of ${standardId} to generate from`);
    // A stored version that no longer fits the schema would print a malformed standard: refuse it plainly.
    try {
      schema.nodeFromJSON(loaded.body).check();
    } catch (e) {
      throw failure('VERSION_INVALID', `版本内容不符合文档结构：${(e as Error).message}`, `The version does not fit the document schema: ${(e as Error).message}`);
    }
    // Suggested changes are proposals: the documents (and their 目次 layout pass) print the agreed text.
    return { ...loaded, body: agreedText(loaded.body) };
  }

  /** 发布: the four editions of the published version, all stored, or an error. */
  async function generateReleaseDocuments(input: GenerateReleaseDocumentsInput): Promise<GenerateReleaseDocumentsResult> {
    const { standardId } = input;
    const record = await recordOf(standardId);
    const missingNumbers = PROVINCES.filter((p) => !record.provinces[p]?.number);
    if (missingNumbers.length > 0) {
      throw failure('RELEASE_NUMBERS_MISSING', `尚未分配标准编号：${missingNumbers.join('、')}`, `Numbers not assigned yet: ${missingNumbers.join(', ')}`);
    }
    if (!record.releaseDate || !record.implementationDate) {
      throw failure('RELEASE_DATES_MISSING', '尚未确定发布日期和实施日期', 'The release and implementation dates are not set');
    }
    const { body, versionId } = await bodyOf(standardId, 'published');
    const existing = await listFiles(db, { standardId, kind: 'edition', stage: 'release', sourceVersionId: versionId, format: 'docx' });
    const ids = new Map<EditionName, string>();
    for (const f of existing) if (!ids.has(f.metadata.province)) ids.set(f.metadata.province, f.id);
    // The editions share their body and front matter, so one layout gives the 目次 pages of all four.
    const tocPages = EDITIONS.some((e) => !ids.has(e)) ? await exactTocPages({ record, body, edition: 'joint', resolveImage: deps.resolveImage }) : undefined;
    for (const [i, edition] of EDITIONS.entries()) {
      if (ids.has(edition)) continue;
      const data = await generateStandardDocx({
        record,
        body,
        edition,
        tocPages,
        resolveImage: deps.resolveImage,
        onProgress: (fraction, phase) => heartbeat({ edition, fraction: (i + fraction) / EDITIONS.length, phase }),
      });
      const stored = await storeGeneratedFile(db, {
        filename: editionFileName(record, edition),
        data,
        metadata: { standardId, kind: 'edition', stage: 'release', province: edition, sourceVersionId: versionId },
      });
      ids.set(edition, stored.id);
      log.info({ standardId, edition, fileId: stored.id, sha256: stored.metadata.sha256 }, 'release edition stored');
    }
    // Read back what is stored: the release is complete only when every edition is there.
    const stored = await listFiles(db, { standardId, kind: 'edition', stage: 'release', sourceVersionId: versionId, format: 'docx' });
    const missing = EDITIONS.filter((e) => !stored.some((f) => f.id === ids.get(e)));
    if (missing.length > 0) {
      throw ApplicationFailure.retryable(`editions not stored: ${missing.join(', ')}`, 'RELEASE_EDITION_MISSING', { zh: `发布文本未能全部保存：${missing.join('、')}`, en: `Editions not stored: ${missing.join(', ')}` });
    }
    const documentIds = EDITIONS.map((e) => ids.get(e) as string);
    // The PDFs after all four DOCX are safe: optional, each failure logged (see the head comment), the four in
    // one LibreOffice process within a budget, so a slow LibreOffice cannot push the activity past its
    // start-to-close timeout (10 min): what is left over is made by a retry or from the documents page.
    if (render && !toolMissing(standardId)) {
      heartbeat({ phase: 'pdf' });
      const docxs = EDITIONS.map((e) => stored.find((f) => f.id === ids.get(e)) as StoredFile);
      try {
        const pdfs = await ensurePdfsOf(db, docxs, { renderMany, timeoutMs: PDF_BUDGET_MS });
        for (const [i, pdf] of pdfs.entries()) {
          if (pdf instanceof Error) log.warn({ err: pdf, standardId, docxId: docxs[i].id }, 'pdf not generated; the DOCX is stored and the PDF can be regenerated from the documents page');
          else log.info({ standardId, docxId: docxs[i].id, fileId: pdf.id, sha256: pdf.metadata.sha256 }, 'pdf stored');
        }
      } catch (err) {
        if (err instanceof PdfRenderError && err.reason === 'PDF_TOOL_MISSING') missingSince = Date.now();
        log.warn({ err, standardId }, 'release pdfs not generated; the DOCX editions are stored and the PDFs can be regenerated from the documents page');
      }
    }
    const disposition = (await listFiles(db, { standardId, kind: 'dispositionTable', format: 'docx' }))[0];
    if (disposition) documentIds.push(disposition.id);
    return { documentIds };
  }

  /** A 征求意见稿 / 送审稿 / 报批稿: the joint edition of that version with the stage label on its cover. */
  async function generateStageDraft(input: { standardId: string; kind: DraftStage }): Promise<{ fileId: string; sha256: string; pdfFileId?: string; pdfSha256?: string }> {
    const record = await recordOf(input.standardId);
    const { body, versionId } = await bodyOf(input.standardId, input.kind);
    const already = (await listFiles(db, { standardId: input.standardId, kind: 'draft', sourceVersionId: versionId, format: 'docx' })).find((f) => f.metadata.draftKind === input.kind);
    if (already) {
      const pdf = await pdfBeside(already);
      return { fileId: already.id, sha256: already.metadata.sha256, ...(pdf ? { pdfFileId: pdf.id, pdfSha256: pdf.metadata.sha256 } : {}) };
    }
    const draftOptions: GenerateOptions = { record, body, edition: 'joint', stageLabel: input.kind, completedOn: new Date().toISOString().slice(0, 10), resolveImage: deps.resolveImage };
    const data = await generateStandardDocx({ ...draftOptions, tocPages: await exactTocPages(draftOptions), onProgress: (fraction, phase) => heartbeat({ fraction, phase }) });
    const stored: StoredFile = await storeGeneratedFile(db, {
      filename: `${record.titleZh}（${VERSION_KIND_NAMES[input.kind].zh}）.docx`,
      data,
      metadata: { standardId: input.standardId, kind: 'draft', stage: DRAFT_STAGE_OF[input.kind], province: 'joint', sourceVersionId: versionId, draftKind: input.kind },
    });
    const pdf = await pdfBeside(stored, data);
    return { fileId: stored.id, sha256: stored.metadata.sha256, ...(pdf ? { pdfFileId: pdf.id, pdfSha256: pdf.metadata.sha256 } : {}) };
  }

  /** The 编制说明 of a draft kind from its structured form in `explanatoryNotes` ({ standardId, kind, note }). */
  async function generateExplanatoryNote(input: { standardId: string; kind: DraftStage }): Promise<{ fileId: string; sha256: string }> {
    const record = await recordOf(input.standardId);
    const form = await notes.get(input.standardId, input.kind);
    if (!form) throw failure('EXPLANATORY_NOTE_MISSING', `尚未填写${VERSION_KIND_NAMES[input.kind].zh}的编制说明`, `The explanatory note of the ${input.kind} is not written yet`);
    let data: Buffer;
    try {
      data = await generateExplanatoryNoteDocx({ record, note: form.note, stage: input.kind });
    } catch (e) {
      throw failure('EXPLANATORY_NOTE_INCOMPLETE', `编制说明不完整：${(e as Error).message}`, `The explanatory note is incomplete: ${(e as Error).message}`);
    }
    const stored = await storeGeneratedFile(db, {
      filename: `${record.titleZh}（${VERSION_KIND_NAMES[input.kind].zh}）编制说明.docx`,
      data,
      metadata: { standardId: input.standardId, kind: 'explanatoryNote', stage: DRAFT_STAGE_OF[input.kind], province: 'joint', draftKind: input.kind },
    });
    return { fileId: stored.id, sha256: stored.metadata.sha256 };
  }

  return { generateReleaseDocuments, generateStageDraft, generateExplanatoryNote };
}

export type ReleaseActivities = ReturnType<typeof createReleaseActivities>;
