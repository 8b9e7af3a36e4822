// Computes every number of a document from its structure: chapters, clauses, term entries, annexes,
// tables, figures, formulas, notes, examples, list markers and bibliography entries. It is one pure
// function over either a ProseMirror node or its JSON, used by the editor view (numbers are rendered,
// never typed), by the DOCX generator, by versions and by comments (to say where a comment points).
//
// The rules (GB/T 1.1—2020 clause 7 and 9–10):
//   - chapters 1, 2, 3 are 范围, 规范性引用文件, 术语和定义; further chapters count on from 4;
//   - clauses are chapter.k.k…; introduction clauses are 0.1, 0.2; annex clauses are A.1, A.1.1;
//   - term entries are 3.1, 3.2 …;
//   - tables 表1, figures 图1 and formulas (1) count through the whole body (introduction and chapters),
//     and restart in every annex as 表A.1, 图A.1, (A.1);
//   - notes and examples count per parent (clause, table, figure, term entry …): a single one is 注 /
//     示例, several are 注1 注2 … / 示例1 示例2 …;
//   - annexes are lettered A, B … with (规范性) or (资料性);
//   - list markers: —— / a) / 1) at the first level, · / a) / 1) at the second;
//   - 参考文献 entries are [1], [2] ….
import type { Node } from 'prosemirror-model';
import type { DocJSON, NodeJSON } from './types';
import { clauseLevel } from './schema';

export type LabelKind =
  | 'foreword'
  | 'introduction'
  | 'chapter'
  | 'clause'
  | 'term'
  | 'annex'
  | 'bibliography'
  | 'table'
  | 'figure'
  | 'formula'
  | 'note'
  | 'example'
  | 'list'
  | 'listItem'
  | 'paragraph'
  | 'referenceEntry'
  | 'bibliographyEntry';

/** The computed number of one block. */
export interface NumberLabel {
  kind: LabelKind;
  /** The bare number: '5.1', 'A.1', '3.2', 'A' (annex), '1' (注1), '' when there is none (single 注, paragraph). */
  number: string;
  /** What is printed in front of the block: '5.1', '表A.1', '图1', '(A.1)', '注1', '示例', '附录A', 'a)', '——', '[1]'. */
  label: string;
  /** What a cross-reference to it reads: '第5章', '5.1', '表A.1', '公式(1)', '附录A', '3.2', '5.1的注1', '5.1 a)'. */
  xref: string;
  /** Id of the nearest enclosing numbered element (chapter, clause, term, annex, table, figure, foreword …), or null at top level. */
  within: string | null;
  /** Annexes only: 规范性 or 资料性. */
  qualifier?: '规范性' | '资料性';
}

/** One line of the outline: front matter, chapters, clauses, term entries, annexes, bibliography. */
export interface OutlineEntry {
  id: string | null;
  kind: 'foreword' | 'introduction' | 'chapter' | 'clause' | 'term' | 'annex' | 'bibliography';
  /** As displayed: '前言', '5', '5.1', '3.1', '附录A'. */
  label: string;
  /** Heading text; for fixed chapters their fixed title; '' for an untitled clause. */
  title: string;
  /** Start of the text of an untitled clause (or a term), to show something in the outline. */
  snippet: string;
  /** 1 for front matter, chapters, annexes and bibliography; 2 for 5.1 / A.1 / 3.1; up to 6. */
  level: number;
}

export interface Numbering {
  /** Every id-carrying block, by id. A plain object so it serializes as JSON (ids contain no '.' or '$'). */
  byId: Record<string, NumberLabel>;
  outline: OutlineEntry[];
}

/** Fixed titles of chapters 1–3 and unnumbered elements. */
export const FIXED_TITLES = {
  foreword: '前言',
  introduction: '引言',
  scope: '范围',
  normativeReferences: '规范性引用文件',
  termsAndDefinitions: '术语和定义',
  bibliography: '参考文献',
} as const;

// A tiny accessor layer so the same walk works on ProseMirror nodes and on JSON, without allocating
// anything per node (the walk runs on every structural edit of documents with tens of thousands of nodes).
type Item = Node | NodeJSON;

const EMPTY: readonly Item[] = [];
const typeOf = (n: Item): string => (isPMNode(n) ? n.type.name : n.type);
const attrsOf = (n: Item): Record<string, unknown> => (isPMNode(n) ? n.attrs : (n.attrs ?? {}));
const childrenOf = (n: Item): readonly Item[] => (isPMNode(n) ? n.content.content : (n.content ?? EMPTY));
const textOf = (n: Item): string => (isPMNode(n) ? n.textContent : jsonText(n));

function jsonText(node: NodeJSON): string {
  if (node.type === 'text') return node.text ?? '';
  return (node.content ?? []).map(jsonText).join('');
}

/** Annex letter for a 0-based index: A … Z, then AA, AB … (never reached in practice). */
export function annexLetter(index: number): string {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return index < 26 ? letters[index] : annexLetter(Math.floor(index / 26) - 1) + letters[index % 26];
}

function letterMarker(index: number): string {
  return 'abcdefghijklmnopqrstuvwxyz'[index % 26].repeat(Math.floor(index / 26) + 1);
}

/** The marker of list item `index` (0-based) of a list of `kind` at `depth` 1 or 2. */
export function listMarker(kind: string, index: number, depth: 1 | 2): string {
  if (kind === 'letter') return `${letterMarker(index)})`;
  if (kind === 'number') return `${index + 1})`;
  return depth === 1 ? '——' : '·';
}

/** Counters of tables, figures and formulas: one for the body, one per annex. */
interface Sequence {
  prefix: string; // '' in the body, 'A' in annex A
  table: number;
  figure: number;
  formula: number;
}

function seqNumber(seq: Sequence, n: number): string {
  return seq.prefix ? `${seq.prefix}.${n}` : `${n}`;
}

const SNIPPET_LENGTH = 24;

/** Computes all numbers and the outline of a document given as a ProseMirror node or as JSON. */
export function computeNumbering(doc: Node | DocJSON): Numbering {
  const root: Item = doc;
  const byId: Record<string, NumberLabel> = {};
  const outline: OutlineEntry[] = [];

  const put = (item: Item, label: NumberLabel): void => {
    const id = attrsOf(item).id;
    if (typeof id === 'string' && id) byId[id] = label;
  };
  const idOf = (item: Item): string | null => {
    const id = attrsOf(item).id;
    return typeof id === 'string' && id ? id : null;
  };
  const titleOf = headingText;
  const snippetOf = snippetText;

  /** Numbers the direct block children of `parent`: notes and examples are counted among these siblings. */
  const blocks = (parent: Item, within: string | null, withinXref: string, seq: Sequence): void => {
    const notes = childrenOf(parent).filter((c) => typeOf(c) === 'note').length;
    const examples = childrenOf(parent).filter((c) => typeOf(c) === 'example').length;
    let note = 0;
    let example = 0;
    for (const child of childrenOf(parent)) {
      switch (typeOf(child)) {
        case 'paragraph':
          put(child, { kind: 'paragraph', number: '', label: '', xref: withinXref, within });
          break;
        case 'note':
        case 'example': {
          const isNote = typeOf(child) === 'note';
          const kind = isNote ? 'note' : 'example';
          const n = isNote ? ++note : ++example;
          const total = isNote ? notes : examples;
          const word = isNote ? '注' : '示例';
          const number = total > 1 ? `${n}` : '';
          const label = `${word}${number}`;
          put(child, { kind, number, label, xref: withinXref ? `${withinXref}的${label}` : label, within });
          blocks(child, within, withinXref, seq);
          break;
        }
        case 'list':
          list(child, 1, within, withinXref, seq);
          break;
        case 'table':
        case 'figure': {
          const isTable = typeOf(child) === 'table';
          const number = seqNumber(seq, isTable ? ++seq.table : ++seq.figure);
          const label = `${isTable ? '表' : '图'}${number}`;
          put(child, { kind: isTable ? 'table' : 'figure', number, label, xref: label, within });
          const id = idOf(child);
          blocks(child, id, label, seq);
          if (isTable) cells(child, id, label, seq);
          break;
        }
        case 'formula': {
          const number = seqNumber(seq, ++seq.formula);
          put(child, { kind: 'formula', number, label: `(${number})`, xref: `公式(${number})`, within });
          break;
        }
        default:
          break;
      }
    }
  };

  const cells = (table: Item, within: string | null, withinXref: string, seq: Sequence): void => {
    for (const grid of childrenOf(table).filter((c) => typeOf(c) === 'tableGrid'))
      for (const row of childrenOf(grid)) for (const cell of childrenOf(row)) blocks(cell, within, withinXref, seq);
  };

  const list = (node: Item, depth: 1 | 2, within: string | null, withinXref: string, seq: Sequence): void => {
    const kind = String(attrsOf(node).kind ?? (depth === 1 ? 'dash' : 'number'));
    put(node, { kind: 'list', number: '', label: '', xref: withinXref, within });
    childrenOf(node).forEach((item, i) => {
      const label = listMarker(kind, i, depth);
      const number = kind === 'dash' ? '' : label.slice(0, -1);
      const xref = kind === 'dash' ? withinXref : withinXref ? `${withinXref} ${label}` : label;
      put(item, { kind: 'listItem', number, label, xref, within });
      for (const c of childrenOf(item)) {
        if (typeOf(c) === 'sublist' && depth === 1) list(c, 2, within, xref, seq);
        else if (typeOf(c) === 'paragraph') put(c, { kind: 'paragraph', number: '', label: '', xref, within });
      }
    });
  };

  /** Numbers the sub-clauses of a chapter, clause, introduction or annex whose number is `prefix`. */
  const clauses = (parent: Item, prefix: string, level: number, seq: Sequence): void => {
    let k = 0;
    for (const child of childrenOf(parent)) {
      if (clauseLevel(typeOf(child)) === 0) continue;
      const number = `${prefix}.${++k}`;
      const id = idOf(child);
      put(child, { kind: 'clause', number, label: number, xref: number, within: idOf(parent) });
      const title = titleOf(child);
      outline.push({ id, kind: 'clause', label: number, title, snippet: title ? '' : snippetOf(child), level });
      blocks(child, id, number, seq);
      clauses(child, number, level + 1, seq);
    }
  };

  const body: Sequence = { prefix: '', table: 0, figure: 0, formula: 0 };
  let chapter = 0;
  let annex = 0;
  let bibliographyEntry = 0;

  for (const top of childrenOf(root)) {
    const id = idOf(top);
    switch (typeOf(top)) {
      case 'foreword':
      case 'introduction': {
        const kind = typeOf(top) === 'foreword' ? 'foreword' : 'introduction';
        const title = FIXED_TITLES[kind];
        put(top, { kind, number: '', label: title, xref: title, within: null });
        outline.push({ id, kind, label: title, title, snippet: '', level: 1 });
        blocks(top, id, title, body);
        if (kind === 'introduction') clauses(top, '0', 2, body);
        break;
      }
      case 'scope':
      case 'normativeReferences':
      case 'termsAndDefinitions':
      case 'chapter': {
        const number = `${++chapter}`;
        const type = typeOf(top);
        const title = type === 'scope' || type === 'normativeReferences' || type === 'termsAndDefinitions' ? FIXED_TITLES[type] : titleOf(top);
        put(top, { kind: 'chapter', number, label: number, xref: `第${number}章`, within: null });
        outline.push({ id, kind: 'chapter', label: number, title, snippet: '', level: 1 });
        blocks(top, id, `第${number}章`, body);
        if (typeOf(top) === 'normativeReferences') references(top, id);
        if (typeOf(top) === 'termsAndDefinitions') terms(top, number, id);
        clauses(top, number, 2, body);
        break;
      }
      case 'annex': {
        const letter = annexLetter(annex++);
        const qualifier = attrsOf(top).kind === 'normative' ? '规范性' : '资料性';
        const label = `附录${letter}`;
        put(top, { kind: 'annex', number: letter, label, xref: label, within: null, qualifier });
        outline.push({ id, kind: 'annex', label, title: titleOf(top), snippet: '', level: 1 });
        const seq: Sequence = { prefix: letter, table: 0, figure: 0, formula: 0 };
        blocks(top, id, label, seq);
        clauses(top, letter, 2, seq);
        break;
      }
      case 'bibliography': {
        const title = FIXED_TITLES.bibliography;
        put(top, { kind: 'bibliography', number: '', label: title, xref: title, within: null });
        outline.push({ id, kind: 'bibliography', label: title, title, snippet: '', level: 1 });
        for (const entry of childrenOf(top)) {
          const n = `${++bibliographyEntry}`;
          put(entry, { kind: 'bibliographyEntry', number: n, label: `[${n}]`, xref: `[${n}]`, within: id });
        }
        break;
      }
      default:
        break;
    }
  }

  function references(chapterItem: Item, within: string | null): void {
    for (const entry of childrenOf(chapterItem)) {
      if (typeOf(entry) !== 'referenceEntry') continue;
      const label = referenceDesignation(attrsOf(entry));
      put(entry, { kind: 'referenceEntry', number: '', label, xref: label, within });
    }
  }

  function terms(chapterItem: Item, prefix: string, within: string | null): void {
    let k = 0;
    for (const entry of childrenOf(chapterItem)) {
      if (typeOf(entry) !== 'termEntry') continue;
      const number = `${prefix}.${++k}`;
      const id = idOf(entry);
      put(entry, { kind: 'term', number, label: number, xref: number, within });
      const termNode = childrenOf(entry).find((c) => typeOf(c) === 'term');
      const term = termNode ? textOf(termNode) : '';
      outline.push({ id, kind: 'term', label: number, title: term, snippet: '', level: 2 });
      blocks(entry, id, number, body);
    }
  }

  return { byId, outline };
}

/**
 * Returns `numbering` with the outline entry of `node` (a chapter, clause, annex or term entry, e.g. the
 * parent of a heading just typed in) given its current title and snippet; the same object when `node`
 * has no outline entry. Typing never changes numbers, only outline titles, so this is all it needs.
 */
export function refreshOutlineEntry(numbering: Numbering, node: Node): Numbering {
  const id = attrsOf(node).id as string | null | undefined;
  const index = id ? numbering.outline.findIndex((e) => e.id === id) : -1;
  if (index < 0) return numbering;
  const item: Item = node;
  const entry = numbering.outline[index];
  let title = entry.title;
  let snippet = entry.snippet;
  if (entry.kind === 'term') {
    const termNode = childrenOf(item).find((c) => typeOf(c) === 'term');
    title = termNode ? textOf(termNode) : '';
  }
  else if (entry.kind === 'clause' || entry.kind === 'annex' || node.type.name === 'chapter') {
    title = headingText(item);
    snippet = entry.kind === 'clause' && !title ? snippetText(item) : '';
  }
  if (title === entry.title && snippet === entry.snippet) return numbering;
  const outline = numbering.outline.slice();
  outline[index] = { ...entry, title, snippet };
  return { byId: numbering.byId, outline };
}

function headingText(item: Item): string {
  const heading = childrenOf(item).find((c) => typeOf(c) === 'heading');
  return heading ? textOf(heading) : '';
}

function snippetText(item: Item): string {
  const body = childrenOf(item).find((c) => typeOf(c) !== 'heading' && clauseLevel(typeOf(c)) === 0);
  const t = body ? textOf(body).trim() : '';
  return t.length > SNIPPET_LENGTH ? `${t.slice(0, SNIPPET_LENGTH)}…` : t;
}

/** 'GB 3095—2012' or 'HJ/T 397' from a referenceEntry's attributes (— is U+2014). */
export function referenceDesignation(attrs: Record<string, unknown>): string {
  const code = String(attrs.code ?? '').trim();
  const number = String(attrs.number ?? '').trim();
  const year = String(attrs.year ?? '').trim();
  const head = [code, number].filter(Boolean).join(' ');
  return year ? `${head}—${year}` : head;
}

/** The text an `xref` to `target` displays; a dangling reference reads 「[引用失效]」. */
export function xrefText(numbering: Numbering, target: string): string {
  return numbering.byId[target]?.xref ?? '[引用失效]';
}

function isPMNode(doc: Item): doc is Node {
  return typeof (doc as Node).nodeSize === 'number';
}
