// The standards projection as the public consultation reads it (`standards`, read only), and whether a
// standard is open for public comment right now. The workflow keeps `stage`, `step` and `commentDeadline`
// current; the deadline itself is also checked here so a comment arriving in the last second before the
// workflow's timer has moved the step on is still refused. At 立项 a proposal may be open for comment too:
// `stage === 'initiation'` with an optional `proposalCommentDeadline` (ISO instant) in the future.
import type { Collection, Db } from 'mongodb';
import type { StandardRecord } from '../../workflows/domain';
import type { CommentPhase } from '../comments/model';
import { listingRows, type ListingRow } from './standards-listing';

/** The fields of the standards projection this module reads. `step` and the proposal deadline are optional. */
export type ConsultationStandard = Pick<StandardRecord, '_id' | 'titleZh' | 'titleEn' | 'stage' | 'leadProvince' | 'kind'> &
  Partial<Pick<StandardRecord, 'commentDeadline' | 'draftingUnits' | 'leadUnits' | 'provinces' | 'publishedAt'>> & {
    step?: string;
    proposalCommentDeadline?: string;
    scope?: string;
  };

export interface OpenPeriod {
  phase: CommentPhase;
  deadline: Date;
}

function instant(iso: string | undefined): Date | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : new Date(t);
}

/** The open consultation of a standard at `now`, or null. Open means strictly before the deadline. */
export function openPeriod(std: ConsultationStandard, now: Date): OpenPeriod | null {
  if (std.stage === 'publicComment' && std.step === 'open') {
    const deadline = instant(std.commentDeadline);
    if (deadline && now.getTime() < deadline.getTime()) return { phase: 'publicComment', deadline };
    return null;
  }
  if (std.stage === 'initiation') {
    const deadline = instant(std.proposalCommentDeadline);
    if (deadline && now.getTime() < deadline.getTime()) return { phase: 'initiation', deadline };
  }
  return null;
}

/**
 * Whether a standard's comment period has closed: the public comment stage is past `open` (or the stage is
 * later), or the deadline has passed. Used to decide when dispositions may be shown.
 */
export function commentPeriodClosed(std: ConsultationStandard, now: Date): boolean {
  if (std.stage === 'initiation' || std.stage === 'drafting') return false;
  if (std.stage === 'publicComment' && std.step === 'open') {
    const deadline = instant(std.commentDeadline);
    return deadline !== null && now.getTime() >= deadline.getTime();
  }
  return true;
}

/** Reads standards from the lifecycle's projection. */
export interface StandardsReader {
  get(standardId: string): Promise<ConsultationStandard | null>;
  /** Standards that may be open now (the caller filters with `openPeriod`). */
  candidates(): Promise<ConsultationStandard[]>;
  /** Standards whose consultation has been held (for links to published dispositions), a page at a time by id. */
  consulted(afterId?: string, limit?: number): Promise<{ items: ConsultationStandard[]; next?: string }>;
}

const PROJECTION = {
  _id: 1, titleZh: 1, titleEn: 1, stage: 1, step: 1, leadProvince: 1, kind: 1, commentDeadline: 1,
  proposalCommentDeadline: 1, draftingUnits: 1, leadUnits: 1, scope: 1,
} as const;

const CONSULTED_STAGES: ReadonlySet<string> = new Set(['publicComment', 'technicalReview', 'approval', 'release', 'publicity', 'inForce', 'review']);

/** A listing row cut to this module's fields (a copy: the held rows are shared). */
function consultationOf(r: ListingRow): ConsultationStandard {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(PROJECTION)) if ((r as Record<string, unknown>)[k] !== undefined) out[k] = (r as Record<string, unknown>)[k];
  return out as ConsultationStandard;
}

const isCandidate = (s: Pick<ConsultationStandard, 'stage' | 'step' | 'proposalCommentDeadline'>): boolean =>
  (s.stage === 'publicComment' && s.step === 'open') || (s.stage === 'initiation' && s.proposalCommentDeadline !== undefined);

/**
 * Reads the projection. On `standards` the lists come from the held listing (./standards-listing.ts: one `_id`
 * read unless a standard changed; FerretDB on SQLite would scan every standard for these filters); another
 * collection (tests) is queried directly.
 */
export function createStandardsReader(db: Db, collectionName = 'standards'): StandardsReader {
  const col: Collection<ConsultationStandard> = db.collection<ConsultationStandard>(collectionName);
  const held = collectionName === 'standards';
  return {
    get: (standardId) => col.findOne({ _id: standardId }, { projection: PROJECTION }),
    candidates: async () => {
      // Every open consultation: there are few at any time, and none may be left off the public list.
      if (held) {
        const rows = (await listingRows(db)).filter(isCandidate).map(consultationOf);
        return rows.sort((a, b) => ((a.commentDeadline ?? '') < (b.commentDeadline ?? '') ? -1 : (a.commentDeadline ?? '') > (b.commentDeadline ?? '') ? 1 : a._id < b._id ? -1 : 1));
      }
      return col
        .find({ $or: [{ stage: 'publicComment', step: 'open' }, { stage: 'initiation', proposalCommentDeadline: { $exists: true } }] }, { projection: PROJECTION })
        .sort({ commentDeadline: 1, _id: 1 })
        .toArray();
    },
    consulted: async (afterId, limit = 200) => {
      let rows: ConsultationStandard[];
      if (held) {
        rows = (await listingRows(db))
          .filter((r) => CONSULTED_STAGES.has(r.stage) && (!afterId || r._id > afterId))
          .sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0))
          .slice(0, limit + 1)
          .map(consultationOf);
      } else {
        rows = await col
          .find({ stage: { $in: [...CONSULTED_STAGES] as StandardRecord['stage'][] }, ...(afterId ? { _id: { $gt: afterId } } : {}) }, { projection: PROJECTION })
          .sort({ _id: 1 })
          .limit(limit + 1)
          .toArray();
      }
      const items = rows.slice(0, limit);
      return rows.length > limit ? { items, next: items[items.length - 1]._id } : { items };
    },
  };
}
