// TypeScript types for the JSON form of a document (ProseMirror `Node.toJSON()` under editor/schema.ts).
// This is what versions store, what the DOCX generator reads and what tests build.
import type { AnnexKind, ListKind, ClauseType } from './schema';

/** Names of all node types in the schema. */
export type NodeTypeName =
  | 'doc'
  | 'foreword'
  | 'introduction'
  | 'scope'
  | 'normativeReferences'
  | 'termsAndDefinitions'
  | 'chapter'
  | ClauseType
  | 'annex'
  | 'bibliography'
  | 'heading'
  | 'paragraph'
  | 'list'
  | 'listItem'
  | 'sublist'
  | 'sublistItem'
  | 'note'
  | 'example'
  | 'table'
  | 'tableGrid'
  | 'tableRow'
  | 'tableCell'
  | 'tableHeader'
  | 'figure'
  | 'caption'
  | 'formula'
  | 'formulaText'
  | 'formulaSymbol'
  | 'termEntry'
  | 'term'
  | 'termEnglish'
  | 'termAbbreviation'
  | 'definition'
  | 'termSource'
  | 'referenceEntry'
  | 'bibliographyEntry'
  | 'text'
  | 'xref';

export type MarkTypeName = 'em' | 'strong' | 'sub' | 'sup' | 'suggestInsert' | 'suggestDelete';

export interface MarkJSON {
  type: MarkTypeName;
  /** Only on the suggestion marks: { sid, by, name, province, at } (editor/schema.ts SuggestionAuthor). */
  attrs?: Record<string, unknown>;
}

/** Attributes by node type; node types not listed have no attributes, or only `id`. */
export interface IdAttrs {
  id: string | null;
}
export interface AnnexAttrs extends IdAttrs {
  kind: AnnexKind;
}
export interface ListAttrs extends IdAttrs {
  kind: ListKind;
}
export interface FigureAttrs extends IdAttrs {
  src: string;
  alt: string;
}
export interface ReferenceEntryAttrs extends IdAttrs {
  code: string;
  number: string;
  /** '' for an undated reference. */
  year: string;
}
export interface FormulaSymbolAttrs {
  symbol: string;
}
export interface XrefAttrs {
  target: string;
}
export interface CellAttrs {
  colspan: number;
  rowspan: number;
  colwidth: number[] | null;
}

/** One node in JSON form. */
export interface NodeJSON {
  type: NodeTypeName;
  attrs?: Record<string, unknown>;
  content?: NodeJSON[];
  /** Only on `text` nodes. */
  text?: string;
  marks?: MarkJSON[];
}

/** A whole document in JSON form. */
export interface DocJSON extends NodeJSON {
  type: 'doc';
  content: NodeJSON[];
}
