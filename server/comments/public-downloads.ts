// The files the public draft page offers for download: the 征求意见稿 and its 编制说明 (DOCX, with the PDF
// beside it when one was rendered), stored when the draft was submitted for comment. Only the files of that
// submission are public — a stored file with `draftKind: draftForComment` exists only for a standard that is
// or was in public consultation — and only while the standard is past 立项; every other file is a 404, so a
// guessed file id reveals nothing.
import type { Request, Response } from 'express';
import type { Db } from 'mongodb';
import { getFileInfo, listFiles, formatOf, type StoredFile } from '../../activities/files/store';
import { pairWithPdfs } from '../../activities/pdf/editions';
import { AppError, isAppError } from '../../activities/infra/errors';
import type { ConsultationStandard } from '../../activities/data/consultation-standards';
import { sendStoredFile } from '../files';

/** One downloadable document: its label, and the newest DOCX with its PDF. */
export interface ConsultationDownload {
  kind: 'draft' | 'explanatoryNote';
  label: { zh: string; en: string };
  docx: { id: string; filename: string; length: number };
  pdf?: { id: string; filename: string; length: number };
}

export interface ConsultationFiles {
  /** The downloads of a standard's consultation, 征求意见稿 first; empty when it never was in consultation. */
  list(std: ConsultationStandard): Promise<ConsultationDownload[]>;
  /** The stored file `fileId` if it is one of those downloads of `std`; otherwise a NOT_FOUND AppError. */
  publicFile(std: ConsultationStandard, fileId: string): Promise<StoredFile>;
  /** Sends that file (content type, Chinese file name, ETag); NOT_FOUND as publicFile. */
  send(std: ConsultationStandard, fileId: string, req: Request, res: Response): Promise<void>;
}

const LABELS = {
  draft: { zh: '征求意见稿', en: 'Draft for comment' },
  explanatoryNote: { zh: '编制说明', en: 'Explanatory note' },
} as const;

const FILE_ID = /^[a-f0-9]{24}$/;

/** Whether a stored file is part of the public consultation of `std`. */
export function isConsultationFile(file: StoredFile, std: ConsultationStandard): boolean {
  const m = file.metadata;
  return std.stage !== 'initiation' && m.standardId === std._id && (m.kind === 'draft' || m.kind === 'explanatoryNote') && m.draftKind === 'draftForComment';
}

const brief = (f: StoredFile): { id: string; filename: string; length: number } => ({ id: f.id, filename: f.filename, length: f.length });

export function createConsultationFiles(db: Db): ConsultationFiles {
  const notFound = (): AppError => new AppError('NOT_FOUND', { zh: '没有可下载的该文件', en: 'No such file to download' });
  const files: ConsultationFiles = {
    async list(std) {
      if (std.stage === 'initiation') return [];
      const out: ConsultationDownload[] = [];
      for (const kind of ['draft', 'explanatoryNote'] as const) {
        const files = (await listFiles(db, { standardId: std._id, kind, format: 'any' })).filter((f) => isConsultationFile(f, std));
        // Newest first: the first DOCX is the one submitted last (a resubmission after a return replaces it).
        const row = pairWithPdfs(files).find((r) => formatOf(r.file) === 'docx');
        if (row) out.push({ kind, label: LABELS[kind], docx: brief(row.file), ...(row.pdf ? { pdf: brief(row.pdf) } : {}) });
      }
      return out;
    },
    async publicFile(std, fileId) {
      if (!FILE_ID.test(fileId)) throw notFound();
      let info: StoredFile;
      try {
        info = await getFileInfo(db, fileId);
      } catch (e) {
        if (isAppError(e) && e.code === 'NOT_FOUND') throw notFound();
        throw e;
      }
      if (!isConsultationFile(info, std)) throw notFound();
      return info;
    },
    async send(std, fileId, req, res) {
      const info = await files.publicFile(std, fileId);
      await sendStoredFile(db, info.id, req, res);
    },
  };
  return files;
}
