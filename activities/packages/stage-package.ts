// A stage's package in one download (issue 13): a ZIP named after the standard and the stage with the
// stored files of that stage, each in DOCX and PDF when stored —
//   征求意见 (publicComment): 征求意见稿 + 编制说明;
//   送审 (review):            送审稿 + 编制说明 + 意见汇总处理表;
//   报批 (approval):          报批稿 + 编制说明 + 意见汇总处理表 + 审查会议纪要 (the latest round's stored minutes).
// The disposition table is the stored one when there is one, otherwise generated on demand from every
// comment (the comments store's `all` generator). Whatever is missing is named in README.txt inside the
// ZIP, never silently left out. Stored files are streamed from GridFS into the ZIP stream.
import JSZip from 'jszip';
import type { Db } from 'mongodb';
import type { Readable } from 'node:stream';
import { getFile, listFiles, type StoredFile } from '../files/store';
import type { DraftStage } from '../docx/edition';
import type { Stage } from '../../workflows/domain';

export const PACKAGE_STAGES = ['publicComment', 'review', 'approval'] as const;
export type PackageStage = (typeof PACKAGE_STAGES)[number];

export const PACKAGE_NAMES: Record<PackageStage, { zh: string; en: string }> = {
  publicComment: { zh: '征求意见材料', en: 'Public comment package' },
  review: { zh: '送审材料', en: 'Review package' },
  approval: { zh: '报批材料', en: 'Approval package' },
};

const DRAFT_OF: Record<PackageStage, { kind: DraftStage; stage: Stage; zh: string }> = {
  publicComment: { kind: 'draftForComment', stage: 'publicComment', zh: '征求意见稿' },
  review: { kind: 'draftForReview', stage: 'technicalReview', zh: '送审稿' },
  approval: { kind: 'draftForApproval', stage: 'approval', zh: '报批稿' },
};

export function isPackageStage(s: string): s is PackageStage {
  return (PACKAGE_STAGES as readonly string[]).includes(s);
}

/** One entry of the ZIP: a stored file (streamed from GridFS) or bytes made on demand. */
export type PackageEntry = { name: string; fileId: string; sha256: string } | { name: string; data: Buffer; generated: true };

export interface StagePackagePlan {
  zipName: string;
  entries: PackageEntry[];
  /** Lines for README.txt: what is missing (zh / en). */
  missing: string[];
}

export interface PlanOptions {
  /** Makes the disposition table DOCX on demand when none is stored (null: cannot). */
  dispositionTable?: () => Promise<Buffer | null>;
}

// Characters Windows and zip tools refuse in names.
const safe = (s: string): string => s.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').trim();

async function pdfOf(db: Db, docx: StoredFile): Promise<StoredFile | undefined> {
  return (await listFiles(db, { standardId: docx.metadata.standardId, format: 'pdf', sourceFileId: docx.id }))[0];
}

/** What goes into a stage's package, and what is missing. */
export async function planStagePackage(db: Db, standard: { _id: string; titleZh: string }, stage: PackageStage, opts: PlanOptions = {}): Promise<StagePackagePlan> {
  const title = safe(standard.titleZh);
  const entries: PackageEntry[] = [];
  const missing: string[] = [];
  const names = new Set<string>();
  const unique = (name: string): string => {
    let n = name;
    for (let i = 2; names.has(n); i += 1) n = name.replace(/(\.[a-z]+)$/, `（${i}）$1`);
    names.add(n);
    return n;
  };
  const d = DRAFT_OF[stage];
  const all = await listFiles(db, { standardId: standard._id, format: 'docx' });

  const addStored = async (label: string, docx: StoredFile | undefined): Promise<void> => {
    if (!docx) {
      missing.push(`${label}（DOCX、PDF）：尚未生成 / not generated yet`);
      return;
    }
    entries.push({ name: unique(`${title}-${label}.docx`), fileId: docx.id, sha256: docx.metadata.sha256 });
    const pdf = await pdfOf(db, docx);
    if (pdf) entries.push({ name: unique(`${title}-${label}.pdf`), fileId: pdf.id, sha256: pdf.metadata.sha256 });
    else missing.push(`${label}（PDF）：尚未生成，可在文件页面生成 / PDF not rendered yet (can be made on the documents page)`);
  };

  // Newest first from listFiles: the first match is the latest.
  await addStored(d.zh, all.find((f) => f.metadata.kind === 'draft' && f.metadata.draftKind === d.kind));
  await addStored('编制说明', all.find((f) => f.metadata.kind === 'explanatoryNote' && (f.metadata.draftKind === d.kind || (!f.metadata.draftKind && f.metadata.stage === d.stage))));

  if (stage !== 'publicComment') {
    const label = '意见汇总处理表';
    const stored = all.find((f) => f.metadata.kind === 'dispositionTable');
    if (stored) await addStored(label, stored);
    else {
      const data = opts.dispositionTable ? await opts.dispositionTable() : null;
      if (data) {
        entries.push({ name: unique(`${title}-${label}.docx`), data, generated: true });
        missing.push(`${label}（PDF）：本表为下载时生成，无 PDF / generated for this download, no PDF`);
      } else missing.push(`${label}（DOCX、PDF）：无法生成 / could not be generated`);
    }
  }
  if (stage === 'approval') {
    // The minutes of the latest review round (technical-review workflow); their absence is never silent.
    const minutes = all.find((f) => f.metadata.kind === 'reviewMinutes');
    if (minutes) await addStored('审查会议纪要', minutes);
    else missing.push('审查会议纪要：尚未形成（技术审查记录结论后生成） / review minutes: not made yet (generated when the review conclusion is recorded)');
  }
  return { zipName: `${title}-${PACKAGE_NAMES[stage].zh}.zip`, entries, missing };
}

/** The README.txt of a package. */
export function readmeText(standard: { titleZh: string }, stage: PackageStage, plan: StagePackagePlan): string {
  const lines = [`${standard.titleZh} · ${PACKAGE_NAMES[stage].zh} / ${PACKAGE_NAMES[stage].en}`, '', '包含的文件 / Files:'];
  for (const e of plan.entries) lines.push(`  ${e.name}${'sha256' in e ? `  sha256=${e.sha256}` : '  (generated on download)'}`);
  lines.push('', '缺少的文件 / Missing:');
  if (plan.missing.length === 0) lines.push('  无 / none');
  for (const m of plan.missing) lines.push(`  ${m}`);
  return lines.join('\r\n') + '\r\n';
}

/** The package as a ZIP stream: stored files are read from GridFS as the ZIP is written. */
export async function stagePackageStream(db: Db, standard: { titleZh: string }, stage: PackageStage, plan: StagePackagePlan): Promise<NodeJS.ReadableStream> {
  const zip = new JSZip();
  zip.file('README.txt', readmeText(standard, stage, plan));
  for (const e of plan.entries) {
    if ('fileId' in e) {
      const { stream } = await getFile(db, e.fileId);
      zip.file(e.name, stream as Readable, { binary: true });
    } else zip.file(e.name, e.data, { binary: true });
  }
  return zip.generateNodeStream({ type: 'nodebuffer', streamFiles: true, compression: 'DEFLATE', compressionOptions: { level: 6 } });
}

/** `attachment; filename="…"; filename*=UTF-8''…` with an ASCII fallback. */
export function contentDisposition(name: string, asciiFallback: string): string {
  return `attachment; filename="${asciiFallback.replace(/[^A-Za-z0-9._-]/g, '')}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
