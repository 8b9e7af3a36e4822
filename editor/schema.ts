// The document model: a ProseMirror schema whose structure is the body of a GB/T 1.1—2020 standard.
// It is the contract shared by the browser editor, the collaboration server, the DOCX generator and
// public comments, so node and attribute names here are stable; see editor/README.md for the summary.
//
// What the structure enforces (and so can never be wrong in any stored document):
//   - element order at the start: 前言, 引言, 1 范围, 2 规范性引用文件, 3 术语和定义;
//   - chapters 1–3 are always present, always first, and have fixed titles (no heading node);
//   - clause depth: chapter + five clause levels (node types clause1 … clause5, 一级条 … 五级条);
//   - list depth: two (`list` items may hold one `sublist`, whose items hold no list);
//   - where notes, examples, tables, figures and formulas may appear.
// What it cannot enforce (a lone sub-clause, mixing titled and untitled siblings, hanging paragraphs,
// wording) is left to the checker in editor/checker.
//
// Tolerated on purpose: after chapter 3, chapters, annexes and the bibliography are accepted in any order
// and number, and a second 引言 may follow the first. Concurrent inserts in Yjs can produce exactly these
// (two users adding a chapter and an annex at the same spot, or both creating the bibliography), and
// y-prosemirror silently drops top-level nodes the schema rejects, which would lose text. The editor puts
// such documents back in order within a moment (editor/repair.ts); readers should still not assume it.
//
// Numbers are never stored: editor/numbering.ts computes them from the structure.
// Suggested changes (track changes, issue 15) live in the document itself so they travel through Yjs like any
// edit: text carries the marks `suggestInsert` / `suggestDelete`, and a block inserted or deleted as a whole
// carries `suggestion: { kind, sid, by, name, province, at }` (editor/suggestions.ts reads and resolves them).
// Every block that a comment can point to has an `id` attribute (see editor/ids.ts for how ids are
// kept stable across edits and made unique after copy-paste).
import { Schema, type NodeSpec, type MarkSpec, type Attrs, type DOMOutputSpec } from 'prosemirror-model';
import { tableNodes } from 'prosemirror-tables';

/** Kinds of list marker. First level: dash `——`, letter `a)`, number `1)`; second level renders dash as `·`. */
export type ListKind = 'dash' | 'letter' | 'number';
export const LIST_KINDS: readonly ListKind[] = ['dash', 'letter', 'number'];

/** An annex is normative (规范性) or informative (资料性). */
export type AnnexKind = 'normative' | 'informative';
export const ANNEX_KINDS: readonly AnnexKind[] = ['normative', 'informative'];

/** Clause node types by level below the chapter: clause1 is 5.1 (一级条), clause5 is 5.1.1.1.1.1 (五级条). */
export const CLAUSE_TYPES = ['clause1', 'clause2', 'clause3', 'clause4', 'clause5'] as const;
export type ClauseType = (typeof CLAUSE_TYPES)[number];
/** The deepest clause level below a chapter. */
export const MAX_CLAUSE_LEVEL = CLAUSE_TYPES.length;

/** Returns the level (1…5) of a clause node type name, or 0 when the name is not a clause. */
export function clauseLevel(typeName: string): number {
  const i = (CLAUSE_TYPES as readonly string[]).indexOf(typeName);
  return i + 1;
}

/** Returns the clause type for a level 1…5, or null outside that range. */
export function clauseTypeAt(level: number): ClauseType | null {
  return CLAUSE_TYPES[level - 1] ?? null;
}

/**
 * Node types that carry a stable `id` attribute. Comments, cross-references and the disposition table
 * point at these ids.
 */
export const ID_NODE_TYPES: readonly string[] = [
  'foreword',
  'introduction',
  'scope',
  'normativeReferences',
  'termsAndDefinitions',
  'chapter',
  ...CLAUSE_TYPES,
  'annex',
  'bibliography',
  'paragraph',
  'list',
  'listItem',
  'sublist',
  'sublistItem',
  'note',
  'example',
  'table',
  'figure',
  'formula',
  'termEntry',
  'referenceEntry',
  'bibliographyEntry',
];

const idAttr = { id: { default: null as string | null } };

/** Who proposed a suggested change: suggestion id, user id, display name, province (SH/JS/ZJ or ''), ISO time. */
export interface SuggestionAuthor {
  sid: string;
  by: string;
  name: string;
  province: string;
  at: string;
}
/** The `suggestion` attribute of a block proposed for insertion or deletion as a whole (null = none). */
export interface BlockSuggestion extends SuggestionAuthor {
  kind: 'insert' | 'delete';
}
/** Names of the two suggestion marks. */
export const SUGGEST_INSERT = 'suggestInsert';
export const SUGGEST_DELETE = 'suggestDelete';
/** Node types that carry the block-level `suggestion` attribute (inserted or deleted as a whole). */
export const SUGGESTION_NODE_TYPES: readonly string[] = [
  'chapter', ...CLAUSE_TYPES, 'annex', 'termEntry', 'paragraph', 'list', 'listItem', 'sublistItem', 'note', 'example',
  'table', 'tableRow', 'figure', 'formula', 'referenceEntry', 'bibliographyEntry',
];
const suggestionAttr = { suggestion: { default: null as BlockSuggestion | null } };

/** A block's suggestion as DOM attributes (kind and province for styling, the whole value for parsing back). */
function suggestionDOM(node: { attrs: Attrs }): Record<string, string> {
  const s = node.attrs.suggestion as BlockSuggestion | null;
  if (!s) return {};
  return { 'data-suggestion': JSON.stringify(s), 'data-suggest': s.kind, 'data-province': s.province, title: s.name };
}

/** Reads back `data-suggestion` (null when absent or malformed). */
function suggestionOf(dom: HTMLElement): BlockSuggestion | null {
  const raw = dom.getAttribute('data-suggestion');
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Partial<BlockSuggestion> | null;
    if (!v || (v.kind !== 'insert' && v.kind !== 'delete') || typeof v.sid !== 'string') return null;
    return { kind: v.kind, sid: v.sid, by: String(v.by ?? ''), name: String(v.name ?? ''), province: String(v.province ?? ''), at: String(v.at ?? '') };
  } catch {
    return null;
  }
}

/** Adds the `suggestion` attribute to a node spec: attrs, DOM output and parsing. */
function withSuggestion(spec: NodeSpec): NodeSpec {
  const toDOM = spec.toDOM;
  return {
    ...spec,
    attrs: { ...(spec.attrs ?? {}), ...suggestionAttr },
    parseDOM: (spec.parseDOM ?? []).map((rule) => {
      const getAttrs = rule.getAttrs;
      return {
        ...rule,
        getAttrs: (dom: HTMLElement) => {
          const base = getAttrs ? getAttrs(dom) : {};
          if (base === false) return false;
          return { ...(base ?? {}), suggestion: suggestionOf(dom) };
        },
      };
    }),
    toDOM: toDOM
      ? (node): DOMOutputSpec => {
          const out = toDOM(node);
          if (!Array.isArray(out)) return out;
          const [tag, maybeAttrs, ...rest] = out as unknown[];
          const extra = suggestionDOM(node);
          if (maybeAttrs && typeof maybeAttrs === 'object' && !Array.isArray(maybeAttrs)) {
            return [tag, { ...(maybeAttrs as Record<string, string>), ...extra }, ...rest] as unknown as DOMOutputSpec;
          }
          return [tag, extra, ...(maybeAttrs === undefined ? [] : [maybeAttrs]), ...rest] as unknown as DOMOutputSpec;
        }
      : undefined,
  };
}

function idOf(dom: HTMLElement): Attrs {
  return { id: dom.getAttribute('data-id') };
}

/** A block container rendered as `<tag data-type=… data-id=…>` and parsed back from the same, keeping its id. */
function container(type: string, tag: string, content: string, extra: Partial<NodeSpec> = {}): NodeSpec {
  return {
    content,
    attrs: { ...idAttr },
    defining: true,
    isolating: true,
    parseDOM: [{ tag: `${tag}[data-type="${type}"]`, getAttrs: (dom) => idOf(dom) }],
    toDOM: (node): DOMOutputSpec => [tag, { 'data-type': type, 'data-id': node.attrs.id, class: `tb-${type}` }, 0],
    ...extra,
  };
}

/** A textblock with fixed role (heading, caption, term field …) that has no id of its own. */
function field(type: string, tag: string, content = 'inline*', marks?: string): NodeSpec {
  return {
    content,
    ...(marks === undefined ? {} : { marks }),
    defining: true,
    parseDOM: [{ tag: `${tag}[data-type="${type}"]` }],
    toDOM: (): DOMOutputSpec => [tag, { 'data-type': type, class: `tb-${type}` }, 0],
  };
}

function clauseSpec(level: number): NodeSpec {
  const type = `clause${level}`;
  const child = clauseTypeAt(level + 1);
  // A titled clause starts with a heading; an untitled clause (无标题条) starts with its text.
  const content = child ? `(heading block* ${child}* | block+ ${child}*)` : '(heading block* | block+)';
  return container(type, 'section', content, { group: 'clause' });
}

const tables = tableNodes({ tableGroup: '', cellContent: 'paragraph+', cellAttributes: {} });

const nodes: Record<string, NodeSpec> = {
  /** The body of a standard; cover data lives in the standard's record, not here. */
  doc: { content: 'foreword introduction* scope normativeReferences termsAndDefinitions (chapter | annex | bibliography)*' },

  /** 前言: unnumbered, never divided into clauses, no tables, figures or formulas. */
  foreword: container('foreword', 'section', '(paragraph | list)+'),
  /** 引言: optional; when divided its clauses are numbered 0.1, 0.2 … */
  introduction: container('introduction', 'section', '(block+ clause1* | clause1+)'),
  /** Chapter 1 范围 (fixed title). */
  scope: container('scope', 'section', '(paragraph | list | note)+'),
  /** Chapter 2 规范性引用文件 (fixed title, fixed lead-in; empty means 「本文件没有规范性引用文件。」). */
  normativeReferences: container('normativeReferences', 'section', 'referenceEntry*'),
  /** Chapter 3 术语和定义 (fixed title): lead-in paragraphs, then term entries 3.1, 3.2 … */
  termsAndDefinitions: container('termsAndDefinitions', 'section', 'paragraph* termEntry*'),
  /** Chapter 4 onwards: always titled. */
  chapter: container('chapter', 'section', 'heading block* clause1*'),
  clause1: clauseSpec(1),
  clause2: clauseSpec(2),
  clause3: clauseSpec(3),
  clause4: clauseSpec(4),
  clause5: clauseSpec(5),
  /** 附录A, B …: `kind` normative (规范性) or informative (资料性); its clauses are A.1, A.1.1 … */
  annex: {
    ...container('annex', 'section', 'heading block* clause1*'),
    attrs: { ...idAttr, kind: { default: 'informative' } },
    parseDOM: [
      {
        tag: 'section[data-type="annex"]',
        getAttrs: (dom) => ({ id: dom.getAttribute('data-id'), kind: dom.getAttribute('data-kind') === 'normative' ? 'normative' : 'informative' }),
      },
    ],
    toDOM: (node): DOMOutputSpec => ['section', { 'data-type': 'annex', 'data-id': node.attrs.id, 'data-kind': node.attrs.kind, class: 'tb-annex' }, 0],
  },
  /** 参考文献: entries numbered [1], [2] … */
  bibliography: container('bibliography', 'section', 'bibliographyEntry+'),

  /** Title of a chapter, titled clause or annex. */
  heading: field('heading', 'h2'),

  paragraph: {
    content: 'inline*',
    group: 'block',
    attrs: { ...idAttr },
    parseDOM: [{ tag: 'p', getAttrs: (dom) => idOf(dom) }],
    toDOM: (node): DOMOutputSpec => ['p', { 'data-id': node.attrs.id }, 0],
  },

  /** 列项, first level. `kind`: dash (——), letter (a)), number (1)). */
  list: {
    ...container('list', 'div', 'listItem+', { group: 'block' }),
    attrs: { ...idAttr, kind: { default: 'dash' } },
    parseDOM: [
      { tag: 'div[data-type="list"]', getAttrs: (dom) => ({ id: dom.getAttribute('data-id'), kind: listKindOf(dom) }) },
      // Lists pasted from word processors and web pages.
      { tag: 'ul', getAttrs: () => ({ kind: 'dash' }) },
      { tag: 'ol', getAttrs: (dom) => ({ kind: /^[aA]$/.test(dom.getAttribute('type') ?? '') ? 'letter' : 'number' }) },
    ],
    toDOM: (node): DOMOutputSpec => ['div', { 'data-type': 'list', 'data-id': node.attrs.id, 'data-kind': node.attrs.kind, class: 'tb-list' }, 0],
  },
  listItem: {
    ...container('listItem', 'div', 'paragraph sublist?', { isolating: false }),
    parseDOM: [{ tag: 'div[data-type="listItem"]', getAttrs: (dom) => idOf(dom) }, { tag: 'li', context: 'list/' }],
  },
  /** 列项, second level (the last one). `kind`: dash (rendered ·), letter, number (1)). */
  sublist: {
    ...container('sublist', 'div', 'sublistItem+'),
    attrs: { ...idAttr, kind: { default: 'number' } },
    parseDOM: [
      { tag: 'div[data-type="sublist"]', getAttrs: (dom) => ({ id: dom.getAttribute('data-id'), kind: listKindOf(dom) }) },
      { tag: 'ul', context: 'listItem//', priority: 60, getAttrs: () => ({ kind: 'dash' }) },
      { tag: 'ol', context: 'listItem//', priority: 60, getAttrs: (dom) => ({ kind: /^[aA]$/.test(dom.getAttribute('type') ?? '') ? 'letter' : 'number' }) },
    ],
    toDOM: (node): DOMOutputSpec => ['div', { 'data-type': 'sublist', 'data-id': node.attrs.id, 'data-kind': node.attrs.kind, class: 'tb-sublist' }, 0],
  },
  sublistItem: {
    ...container('sublistItem', 'div', 'paragraph', { isolating: false }),
    parseDOM: [{ tag: 'div[data-type="sublistItem"]', getAttrs: (dom) => idOf(dom) }, { tag: 'li', context: 'sublist/' }],
  },

  /** 注: numbered 注 / 注1 注2 … per parent. */
  note: container('note', 'aside', '(paragraph | list)+', { group: 'block' }),
  /** 示例: numbered 示例 / 示例1 示例2 … per parent. */
  example: container('example', 'aside', '(paragraph | list)+', { group: 'block' }),

  /** 表: title above (`caption`), the grid, then table notes. Numbered 表1 / 表A.1. */
  table: container('table', 'figure', 'caption tableGrid note*', { group: 'block' }),
  tableGrid: { ...tables.table, group: undefined, content: 'tableRow+' },
  tableRow: { ...tables.table_row, content: '(tableCell | tableHeader)*' },
  tableCell: tables.table_cell,
  tableHeader: tables.table_header,

  /** 图: an image (`src`, `alt`), figure notes, then the title below (`caption`). Numbered 图1 / 图A.1. */
  figure: {
    ...container('figure', 'figure', 'note* caption', { group: 'block' }),
    attrs: { ...idAttr, src: { default: '' }, alt: { default: '' } },
    parseDOM: [
      {
        tag: 'figure[data-type="figure"]',
        getAttrs: (dom) => ({ id: dom.getAttribute('data-id'), src: dom.getAttribute('data-src') ?? '', alt: dom.getAttribute('data-alt') ?? '' }),
      },
    ],
    toDOM: (node): DOMOutputSpec => [
      'figure',
      { 'data-type': 'figure', 'data-id': node.attrs.id, 'data-src': node.attrs.src, 'data-alt': node.attrs.alt, class: 'tb-figure' },
      ['img', { src: node.attrs.src, alt: node.attrs.alt, contenteditable: 'false' }],
      ['div', 0],
    ],
  },
  /** Title of a table or figure. */
  caption: field('caption', 'figcaption'),

  /** 公式: the formula text (plain or LaTeX-like), then 式中 symbol explanations. Numbered (1) / (A.1).
   *  `src`: a picture shown (and printed) in place of the text — an imported equation object that could not be
   *  converted to text keeps its preview this way ('' = none). */
  formula: {
    ...container('formula', 'div', 'formulaText formulaSymbol*', { group: 'block' }),
    attrs: { ...idAttr, src: { default: '' } },
    parseDOM: [{ tag: 'div[data-type="formula"]', getAttrs: (dom) => ({ id: dom.getAttribute('data-id'), src: dom.getAttribute('data-src') ?? '' }) }],
    toDOM: (node): DOMOutputSpec =>
      node.attrs.src
        ? [
            'div',
            { 'data-type': 'formula', 'data-id': node.attrs.id, 'data-src': node.attrs.src, class: 'tb-formula' },
            ['img', { src: node.attrs.src, alt: '公式图片 formula picture', class: 'tb-formulaPicture', contenteditable: 'false' }],
            ['div', 0],
          ]
        : ['div', { 'data-type': 'formula', 'data-id': node.attrs.id, class: 'tb-formula' }, 0],
  },
  formulaText: field('formulaText', 'div', 'text*', 'em sub sup suggestInsert suggestDelete'),
  /** One line of 「式中：」: `symbol` (attribute, plain text) —— explanation (content). */
  formulaSymbol: {
    content: 'inline*',
    attrs: { symbol: { default: '' } },
    parseDOM: [{ tag: 'div[data-type="formulaSymbol"]', getAttrs: (dom) => ({ symbol: dom.getAttribute('data-symbol') ?? '' }) }],
    toDOM: (node): DOMOutputSpec => ['div', { 'data-type': 'formulaSymbol', 'data-symbol': node.attrs.symbol, class: 'tb-formulaSymbol' }, 0],
  },

  /** A term entry 3.1: term, English equivalent, optional abbreviation, definition, examples, notes, source. */
  termEntry: container('termEntry', 'section', 'term termEnglish termAbbreviation? definition example* note* termSource?'),
  term: field('term', 'div'),
  termEnglish: field('termEnglish', 'div'),
  /** Empty means no abbreviation. */
  termAbbreviation: field('termAbbreviation', 'div'),
  definition: field('definition', 'div'),
  /** Printed as [来源：…]; empty means no source. */
  termSource: field('termSource', 'div'),

  /** One normative reference: `code` (GB/T), `number` (3095), `year` ('' = undated) as attributes; the title is the content. */
  referenceEntry: {
    content: 'text*',
    marks: 'suggestInsert suggestDelete',
    attrs: { ...idAttr, code: { default: '' }, number: { default: '' }, year: { default: '' } },
    parseDOM: [
      {
        tag: 'div[data-type="referenceEntry"]',
        getAttrs: (dom) => ({
          id: dom.getAttribute('data-id'),
          code: dom.getAttribute('data-code') ?? '',
          number: dom.getAttribute('data-number') ?? '',
          year: dom.getAttribute('data-year') ?? '',
        }),
      },
    ],
    toDOM: (node): DOMOutputSpec => [
      'div',
      { 'data-type': 'referenceEntry', 'data-id': node.attrs.id, 'data-code': node.attrs.code, 'data-number': node.attrs.number, 'data-year': node.attrs.year, class: 'tb-referenceEntry' },
      0,
    ],
  },
  /** One entry of 参考文献, free text. */
  bibliographyEntry: {
    content: 'inline*',
    attrs: { ...idAttr },
    parseDOM: [{ tag: 'div[data-type="bibliographyEntry"]', getAttrs: (dom) => idOf(dom) }],
    toDOM: (node): DOMOutputSpec => ['div', { 'data-type': 'bibliographyEntry', 'data-id': node.attrs.id, class: 'tb-bibliographyEntry' }, 0],
  },

  text: { group: 'inline' },
  /** A cross-reference to the block with id `target`; its text (5.1, 表A.1, 公式(1) …) is computed, never stored. */
  xref: {
    inline: true,
    group: 'inline',
    atom: true,
    selectable: true,
    attrs: { target: { default: '' } },
    parseDOM: [{ tag: 'span[data-type="xref"]', getAttrs: (dom) => ({ target: dom.getAttribute('data-target') ?? '' }) }],
    toDOM: (node): DOMOutputSpec => ['span', { 'data-type': 'xref', 'data-target': node.attrs.target, class: 'tb-xref' }],
  },
};

function listKindOf(dom: HTMLElement): ListKind {
  const k = dom.getAttribute('data-kind');
  return (LIST_KINDS as readonly (string | null)[]).includes(k) ? (k as ListKind) : 'dash';
}

/** A suggestion mark: `inclusive: false`, excluding the other one; the author is shown by province colour. */
function suggestionMark(name: string, other: string, tag: 'ins' | 'del'): MarkSpec {
  return {
    attrs: { sid: { default: '' }, by: { default: '' }, name: { default: '' }, province: { default: '' }, at: { default: '' } },
    inclusive: false,
    excludes: `${name} ${other}`,
    parseDOM: [
      {
        tag: `${tag}[data-sid]`,
        getAttrs: (dom) => ({
          sid: dom.getAttribute('data-sid') ?? '',
          by: dom.getAttribute('data-by') ?? '',
          name: dom.getAttribute('data-name') ?? '',
          province: dom.getAttribute('data-province') ?? '',
          at: dom.getAttribute('data-at') ?? '',
        }),
      },
    ],
    toDOM: (mark): DOMOutputSpec => [
      tag,
      {
        class: `tb-${name}`,
        'data-sid': mark.attrs.sid,
        'data-by': mark.attrs.by,
        'data-name': mark.attrs.name,
        'data-province': mark.attrs.province,
        'data-at': mark.attrs.at,
        title: mark.attrs.name,
      },
      0,
    ],
  };
}

const marks: Record<string, MarkSpec> = {
  /** Italic, e.g. quantity symbols. */
  em: { parseDOM: [{ tag: 'i' }, { tag: 'em' }, { style: 'font-style=italic' }], toDOM: () => ['em', 0] },
  strong: { parseDOM: [{ tag: 'strong' }, { tag: 'b' }], toDOM: () => ['strong', 0] },
  sub: { excludes: 'sup', parseDOM: [{ tag: 'sub' }], toDOM: () => ['sub', 0] },
  sup: { excludes: 'sub', parseDOM: [{ tag: 'sup' }], toDOM: () => ['sup', 0] },
  /** Text proposed for insertion (suggestion mode). */
  suggestInsert: suggestionMark('suggestInsert', 'suggestDelete', 'ins'),
  /** Text proposed for deletion (suggestion mode); still part of the text until accepted. */
  suggestDelete: suggestionMark('suggestDelete', 'suggestInsert', 'del'),
};

for (const name of SUGGESTION_NODE_TYPES) {
  const spec = nodes[name];
  if (!spec) throw new Error(`schema: no node type ${name} for suggestions`);
  nodes[name] = withSuggestion(spec);
}

/** The GB/T 1.1—2020 document schema. */
export const schema = new Schema({ nodes, marks });
