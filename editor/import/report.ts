// The import report: what was recognised, element by element, and everything that was not placed in the
// document model with its original text and the reason — the contract of "nothing lost silently". It is
// written as report.json by the CLI and shown on the upload preview page.
import type { TrackedChanges, WordComment } from './reader';
import type { CrossReferences } from './xrefs';

export type ElementKind = 'foreword' | 'introduction' | 'chapter' | 'clause' | 'term' | 'annex' | 'bibliography' | 'table' | 'figure' | 'formula';

export interface RecognisedElement {
  kind: ElementKind;
  /** The number the editor computes ('5.1', '表A.1', '附录A', '(1)'); '' for unnumbered. */
  number: string;
  /** The number the Word file showed (from its numbering definitions or typed), when it had one. */
  sourceNumber?: string;
  title: string;
}

export interface NumberMismatch {
  kind: ElementKind;
  /** What the Word file showed. */
  source: string;
  /** What the structure gives. */
  computed: string;
  title: string;
}

export type SkipReason = 'cover' | 'toc' | 'fixedText' | 'bodyTitle' | 'endLine' | 'pageHeader';
export type UnplacedReason =
  | 'noPlaceInModel'
  | 'outsideStructure'
  | 'notAReference'
  | 'tableUnit'
  | 'nestedTable'
  | 'notAllowedHere'
  | 'imageNotPicture';

export interface SourceText {
  /** Position of the paragraph in the Word body (paragraphs inside tables counted). */
  index: number;
  text: string;
}

export interface Unplaced extends SourceText {
  reason: UnplacedReason;
  /** zh/en explanation shown to the user. */
  zh: string;
  en: string;
}

export interface Skipped extends SourceText {
  reason: SkipReason;
}

export interface Warning {
  index?: number;
  zh: string;
  en: string;
}

/** Cover and 前言 data offered for the proposal or the standard's record. */
export interface ImportMetadata {
  titleZh?: string;
  titleEn?: string;
  ics?: string;
  ccs?: string;
  numbers: string[];
  draftingUnits?: string[];
  drafters?: string[];
  proposer?: string;
  technicalCommittee?: string;
}

/** A formula kept approximately (OMML the linear text cannot express) or as a picture (an OLE equation). */
export interface FormulaIssueReport {
  index: number;
  kind: 'oleEquation' | 'approximate';
  text: string;
  progId?: string;
  /** The equation's preview picture (data: URL, or the stored picture's URL); '' when not PNG/JPEG/GIF. */
  src?: string;
  constructs?: string[];
  zh: string;
  en: string;
}

export interface ImportReport {
  elements: RecognisedElement[];
  /** Node counts of the imported model (paragraph, list, note, table …). */
  counts: Record<string, number>;
  numbering: { checked: number; mismatches: NumberMismatch[] };
  unplaced: Unplaced[];
  skipped: Skipped[];
  warnings: Warning[];
  /** `suggestions`: with 'kept', how many suggestions the model holds (`blocks` whole), and changes rejected where text takes no suggestion. */
  trackedChanges: TrackedChanges & { applied: 'accepted' | 'rejected' | 'kept' | 'none'; suggestions?: { kept: number; blocks: number; notKept: number } };
  comments: WordComment[];
  /** Formulas to check: kept as a placeholder with their picture, or converted approximately. */
  formulaIssues: FormulaIssueReport[];
  /** Typed references turned into xref nodes, and those whose target is not in the file (kept as text). */
  crossReferences: CrossReferences;
  metadata: ImportMetadata;
  source: { paragraphs: number; tables: number; pictures: number; formulas: number };
}
