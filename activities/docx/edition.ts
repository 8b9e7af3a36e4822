// What differs between the four editions of one standard (spec §5, §6, checklist 41–43): the banner, the
// number or numbers, the issuing bodies and the header line. Everything else, the body above all, is the
// same for all four. Pure data from the standard record.
import { EXECUTIVE_COMMITTEE, PROVINCES, PROVINCE_INFO, type Province, type StandardRecord } from '../../workflows/domain';
import { VERSION_KIND_NAMES, type DraftStage } from '../../workflows/version-kinds';

export type EditionName = 'joint' | Province;
export const EDITIONS: readonly EditionName[] = ['joint', ...PROVINCES];

export { DRAFT_STAGES, type DraftStage } from '../../workflows/version-kinds';

/** Cover labels of the drafts (checklist 43). */
export const STAGE_LABEL_ZH: Record<DraftStage, string> = {
  draftForComment: `（${VERSION_KIND_NAMES.draftForComment.zh}）`,
  draftForReview: `（${VERSION_KIND_NAMES.draftForReview.zh}）`,
  draftForApproval: `（${VERSION_KIND_NAMES.draftForApproval.zh}）`,
};

export const JOINT_BANNER = '长江三角洲区域统一标准';

export interface EditionInfo {
  edition: EditionName;
  banner: string;
  /** The large code mark at the top right (province editions only). */
  mark?: string;
  /** Numbers printed on the cover, in province order. */
  numbers: string[];
  /** Header line: the number(s) joined by 「、」. */
  headerText: string;
  /** Issuer lines; the joint edition ends its middle line with 「联合发布」, a province edition with 「发布」. */
  issuerLines: string[];
  /** What follows the issuer lines: 「联合发布」 or 「发布」. */
  issuerVerb: '联合发布' | '发布';
}

/** The number of a province, or a placeholder shaped like one while none is assigned (drafts). */
export function numberOf(record: StandardRecord, province: Province): string {
  const assigned = record.provinces[province]?.number;
  if (assigned) return assigned;
  const info = PROVINCE_INFO[province];
  const year = record.releaseDate?.slice(0, 4) ?? '××××';
  return `${info.dbCode}${record.mandatory ? '' : '/T'} ××××××—${year}`;
}

export function editionInfo(record: StandardRecord, edition: EditionName): EditionInfo {
  if (edition === 'joint') {
    const numbers = PROVINCES.map((p) => numberOf(record, p));
    return {
      edition,
      banner: JOINT_BANNER,
      numbers,
      headerText: numbers.join('、'),
      issuerLines: PROVINCES.map((p) => `${PROVINCE_INFO[p].marketRegulatorZh}、${PROVINCE_INFO[p].ecoEnvDepartmentZh}`),
      issuerVerb: '联合发布',
    };
  }
  const info = PROVINCE_INFO[edition];
  const n = numberOf(record, edition);
  return { edition, banner: info.bannerZh, mark: info.dbCode, numbers: [n], headerText: n, issuerLines: [info.marketRegulatorZh], issuerVerb: '发布' };
}

/** `2021-03-19` or the placeholder `××××-××-××` of a draft. */
export function coverDate(iso: string | undefined): string {
  return iso && /^\d{4}-\d{2}-\d{2}$/.test(iso) ? iso : '××××-××-××';
}

/** The coordinating body named in the explanatory note and metadata. */
export const COORDINATOR_ZH = EXECUTIVE_COMMITTEE.zh;
