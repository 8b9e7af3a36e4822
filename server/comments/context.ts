// What the comment routes share: storage, the standards projection, draft versions, clock and
// limits. Built once by createCommentsRouter from its dependencies.
import type { RequestHandler } from 'express';
import type { Logger } from '../../activities/infra/logger';
import type { DraftSnapshot, ResolvedAnchor } from '../../editor/anchors';
import type { IntakeContext } from './intake';
import type { CommentAnchor } from '../../editor/anchors';
import type { ConsultationStandard, StandardsReader } from '../../activities/data/consultation-standards';
import type { CommentsStore } from '../../activities/comments/store';
import type { NoticeDelivery } from '../../activities/comments/notices';
import type { ConsultationFiles } from './public-downloads';
import type { VersionChoices } from './version-choices';

export interface RouterContext {
  basePath: string;
  /** Where the app serves public/ (the browser bundle is at `${assetBase}/build/public-comment.js`). */
  assetBase: string;
  store: CommentsStore;
  standards: StandardsReader;
  getStandard(standardId: string): Promise<ConsultationStandard | null>;
  getCommentDraft(standardId: string): Promise<DraftSnapshot | null>;
  getCurrentDraft(standardId: string): Promise<DraftSnapshot | null>;
  now(): Date;
  intake: IntakeContext;
  limitByContact: RequestHandler;
  resolve(anchor: CommentAnchor, version: DraftSnapshot): ResolvedAnchor;
  delivery: NoticeDelivery;
  /** The 征求意见稿 and 编制说明 files the public draft page offers for download. */
  files: ConsultationFiles;
  /** The standard's named versions a disposition may point to (the triage form's picker). */
  versions: VersionChoices;
  publicUrl: string;
  log: Logger;
}
