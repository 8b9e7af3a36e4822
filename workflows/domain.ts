// The vocabulary of Tongbiao shared by workflows, activities, the server and the document generator:
// provinces, stages, roles, the standard record. Pure data and types only (workflow-safe).
import type { StageStep } from './messages';

export const PROVINCES = ['SH', 'JS', 'ZJ'] as const;
export type Province = (typeof PROVINCES)[number];

export interface ProvinceInfo {
  /** Local-standard code prefix, e.g. DB31. */
  dbCode: 'DB31' | 'DB32' | 'DB33';
  nameZh: string;
  nameEn: string;
  /** Short name used in tables: 沪 苏 浙. */
  shortZh: string;
  marketRegulatorZh: string;
  marketRegulatorEn: string;
  ecoEnvDepartmentZh: string;
  ecoEnvDepartmentEn: string;
  /** Banner on the province edition's cover. */
  bannerZh: string;
  /** The demonstration-zone local bureau in this province (Annex 1 of the action plan). */
  localBureauZh: string;
  localBureauEn: string;
  /** Display colour for presence and tables. */
  color: string;
}

export const PROVINCE_INFO: Record<Province, ProvinceInfo> = {
  SH: {
    dbCode: 'DB31', nameZh: '上海市', nameEn: 'Shanghai', shortZh: '沪',
    marketRegulatorZh: '上海市市场监督管理局', marketRegulatorEn: 'Shanghai Administration for Market Regulation',
    ecoEnvDepartmentZh: '上海市生态环境局', ecoEnvDepartmentEn: 'Shanghai Municipal Bureau of Ecology and Environment',
    bannerZh: '上海市地方标准',
    localBureauZh: '青浦区生态环境局', localBureauEn: 'Qingpu District Bureau of Ecology and Environment',
    color: '#c0392b',
  },
  JS: {
    dbCode: 'DB32', nameZh: '江苏省', nameEn: 'Jiangsu', shortZh: '苏',
    marketRegulatorZh: '江苏省市场监督管理局', marketRegulatorEn: 'Jiangsu Administration for Market Regulation',
    ecoEnvDepartmentZh: '江苏省生态环境厅', ecoEnvDepartmentEn: 'Department of Ecology and Environment of Jiangsu Province',
    bannerZh: '江苏省地方标准',
    localBureauZh: '苏州市吴江生态环境局', localBureauEn: 'Wujiang Bureau of Ecology and Environment, Suzhou',
    color: '#2471a3',
  },
  ZJ: {
    dbCode: 'DB33', nameZh: '浙江省', nameEn: 'Zhejiang', shortZh: '浙',
    marketRegulatorZh: '浙江省市场监督管理局', marketRegulatorEn: 'Zhejiang Administration for Market Regulation',
    ecoEnvDepartmentZh: '浙江省生态环境厅', ecoEnvDepartmentEn: 'Department of Ecology and Environment of Zhejiang Province',
    bannerZh: '浙江省地方标准',
    localBureauZh: '嘉兴市生态环境局嘉善分局', localBureauEn: 'Jiashan Branch, Jiaxing Bureau of Ecology and Environment',
    color: '#1e8449',
  },
};

export const EXECUTIVE_COMMITTEE = {
  zh: '长三角生态绿色一体化发展示范区执行委员会',
  en: 'Executive Committee of the Yangtze River Delta Eco-Green Integration Demonstration Zone',
} as const;

export const STAGES = [
  'initiation',
  'drafting',
  'publicComment',
  'technicalReview',
  'approval',
  'release',
  'publicity',
  'inForce',
  'review',
  'withdrawn',
  'abolished',
] as const;
export type Stage = (typeof STAGES)[number];

export const TERMINAL_STAGES: readonly Stage[] = ['withdrawn', 'abolished'];

/**
 * Stages (and steps) in which the draft text may change. The collaboration server asks it for every
 * connection; the lifecycle asks it to know when a transition changes what connected writers may do.
 */
export function draftIsEditable(s: { stage: Stage; step?: string }): boolean {
  // While comments are handled the drafters work the accepted ones in: the 送审稿 is what comes out of it
  // (issue 12 item 6). The 征求意见稿 itself is a frozen version, so the public text does not move.
  return draftWasEditableBeforeHandlingEdits(s) || (s.stage === 'publicComment' && s.step === 'handlingComments');
}

/** The rule before editing while comments are handled: lifecycles started earlier keep it (run.ts, EDIT_WHILE_HANDLING). */
export function draftWasEditableBeforeHandlingEdits(s: { stage: Stage; step?: string }): boolean {
  return s.stage === 'drafting' || (s.stage === 'technicalReview' && s.step === 'revising');
}

export const STAGE_LABELS: Record<Stage, { zh: string; en: string }> = {
  initiation: { zh: '立项', en: 'Initiation' },
  drafting: { zh: '起草', en: 'Drafting' },
  publicComment: { zh: '征求意见', en: 'Public comment' },
  technicalReview: { zh: '技术审查', en: 'Technical review' },
  approval: { zh: '报批', en: 'Approval' },
  release: { zh: '发布', en: 'Release' },
  publicity: { zh: '宣贯', en: 'Publicity' },
  inForce: { zh: '实施', en: 'In force' },
  review: { zh: '复审', en: 'Review' },
  withdrawn: { zh: '撤销', en: 'Withdrawn' },
  abolished: { zh: '废止', en: 'Abolished' },
};

export const ROLES = ['ecoEnvDepartment', 'marketRegulator', 'executiveCommittee', 'localBureau', 'drafter', 'expert', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  ecoEnvDepartment: { zh: '生态环境部门', en: 'Ecology and environment department' },
  marketRegulator: { zh: '市场监督管理局', en: 'Market regulation bureau' },
  executiveCommittee: { zh: '示范区执委会', en: 'Executive committee' },
  localBureau: { zh: '示范区生态环境分局', en: 'Zone local bureau' },
  drafter: { zh: '起草组成员', en: 'Drafter' },
  expert: { zh: '专家', en: 'Expert' },
  admin: { zh: '系统管理员', en: 'Administrator' },
};

/**
 * One role a user holds. Province-scoped roles (ecoEnvDepartment, marketRegulator, localBureau) carry a
 * province; a drafter's role is scoped to the standards listed (and carries the drafter's province).
 */
export interface RoleGrant {
  role: Role;
  province?: Province;
  /** For `drafter` (and optionally `expert`): the standard ids this grant covers. */
  standardIds?: string[];
}

/** Who did something; travels into workflows (small, no secrets). */
export interface Actor {
  userId: string;
  displayName: string;
  role: Role;
  province?: Province;
}

export const STANDARD_KINDS = ['emissionStandard', 'qualityStandard', 'monitoringMethod', 'technicalSpecification', 'managementSpecification'] as const;
export type StandardKind = (typeof STANDARD_KINDS)[number];

export const STANDARD_KIND_LABELS: Record<StandardKind, { zh: string; en: string }> = {
  emissionStandard: { zh: '污染物排放标准', en: 'Emission standard' },
  qualityStandard: { zh: '环境质量标准', en: 'Environmental quality standard' },
  monitoringMethod: { zh: '监测方法标准', en: 'Monitoring method' },
  technicalSpecification: { zh: '技术规范', en: 'Technical specification' },
  managementSpecification: { zh: '管理规范', en: 'Management specification' },
};

/** Per-province position of a standard: its decision in the current stage and, once approved, its number. */
export interface ProvincePosition {
  /** The province's decision in the current stage, if the stage asks for one. */
  decision?: 'pending' | 'approved' | 'returned' | 'rejected';
  /** Local-standard number once assigned, e.g. `DB31/T 310003—2021`. */
  number?: string;
  /** Year part of the number, for the per-province-and-year uniqueness rule. */
  numberYear?: number;
  approvedAt?: string;
  approvedBy?: string;
}

/**
 * The standard record as stored in MongoDB (`standards` collection, `_id` = standardId). Cover data of
 * the released documents comes from here; the body is the co-edited document `standard:<id>`.
 */
export interface StandardRecord {
  _id: string;
  titleZh: string;
  titleEn: string;
  kind: StandardKind;
  /** Mandatory (DBxx) or recommended (DBxx/T). */
  mandatory: boolean;
  field: string;
  scope: string;
  leadProvince: Province;
  /** Lead units (牵头单位) and participating units (参与单位), as printed names. */
  leadUnits: string[];
  participatingUnits: string[];
  plannedYear: number;
  batch?: string;
  ics?: string;
  ccs?: string;
  /** 本文件由…提出 / 归口 / 起草单位 / 主要起草人. */
  proposer?: string;
  technicalCommittee?: string;
  draftingUnits: string[];
  drafters: string[];
  /** Numbers of the documents this one replaces, if any. */
  replaces?: string[];
  stage: Stage;
  provinces: Record<Province, ProvincePosition>;
  /** Common dates (ISO yyyy-mm-dd) agreed at approval. */
  releaseDate?: string;
  implementationDate?: string;
  publishedAt?: string;
  commentDeadline?: string;
  /** End of the optional public comment on the proposal at 立项 (ISO instant). */
  proposalCommentDeadline?: string;
  reviewDueAt?: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  /** Workflow id of the lifecycle (business-derived: `standard-<id>`). */
  workflowId: string;
  /** When this standard is a revision of another. */
  revisionOf?: string;
  /** Projection of the lifecycle (written by the `recordTransition` activity, never by hand). */
  step?: StageStep;
  /** The lifecycle's transition counter this projection reflects; the projection only moves forward. */
  revision?: number;
  /** Provinces whose decision the current step waits for (for lists: "waiting for 苏"). */
  pendingProvinces?: Province[];
  /** Why a terminal stage was reached: withdrawal reason, `rejected by JS: …`, or abolition reason. */
  endReason?: string;
  /** Set when an initiation was rejected (the standard ends in `withdrawn`). */
  rejectedBy?: Province;
  /** Id of the standard created by a 复审 "revise" decision. */
  revisedBy?: string;
}

/** The business-derived workflow id of a standard's lifecycle. */
export function lifecycleWorkflowId(standardId: string): string {
  return `standard-${standardId}`;
}

const DRAFT_DOC_PREFIX = 'standard:';

/** The co-edited document name of a standard's draft. */
export function draftDocName(standardId: string): string {
  return `${DRAFT_DOC_PREFIX}${standardId}`;
}

/** `standard:<id>` → `<id>`, or null for any other document name. */
export function standardIdOfDoc(docName: string): string | null {
  return docName.startsWith(DRAFT_DOC_PREFIX) ? docName.slice(DRAFT_DOC_PREFIX.length) : null;
}

/** `DB31/T 310003—2021`: code, optional /T, space, sequence, em dash U+2014, year. */
export const STANDARD_NUMBER_PATTERN = /^(DB3[123])(\/T)? (\d{4,8})—(\d{4})$/;

/** Dashes people type between sequence and year: hyphen-minus, hyphens, figure/en/horizontal-bar dashes, minus, full-width and small hyphen-minus. */
const TYPED_DASHES = /\s*[-\u2010\u2011\u2012\u2013\u2015\u2212\uFF0D\uFE63\uFE58\u2014]\s*/g;

/**
 * A number as people type it, written the one way: `db31/t310099-2026`, `DB31/T 310099–2026`,
 * `DB31/T 310099－2026` → `DB31/T 310099—2026` (U+2014, one space after the code). Anything it cannot
 * read is returned trimmed, unchanged otherwise, for the pattern to refuse.
 */
export function normalizeStandardNumber(input: string): string {
  const s = input
    .normalize('NFKC')
    .trim()
    .replace(TYPED_DASHES, '—');
  const m = /^(DB\s*\d{2})\s*(\/\s*T)?\s*(\d+)—(\d{4})$/i.exec(s);
  if (!m) return s;
  return `${m[1].replace(/\s+/g, '').toUpperCase()}${m[2] ? '/T' : ''} ${m[3]}—${m[4]}`;
}

export function parseStandardNumber(n: string): { dbCode: string; recommended: boolean; sequence: string; year: number } | null {
  const m = STANDARD_NUMBER_PATTERN.exec(n);
  if (!m) return null;
  return { dbCode: m[1], recommended: Boolean(m[2]), sequence: m[3], year: Number(m[4]) };
}
