// Tiny document builders for tests and fixtures, in the spirit of prosemirror-test-builder:
// `doc(foreword(p('…')), scope(p('…')), normativeReferences(), termsAndDefinitions(), chapter(h('要求'), clause(h('…'), p('…'))))`.
// `clause(...)` takes its level (clause1 … clause5) from where it is nested. Missing ids are filled
// deterministically (`clause1-3`, `paragraph-12`, …) so that tests and fixtures are stable; pass
// `{ id: 'x' }` as the first argument to choose one. `doc()` checks the result against the schema.
import type { Node } from 'prosemirror-model';
import { schema, clauseLevel, type ListKind } from './schema';
import { hasIdAttr } from './ids';
import type { DocJSON, MarkJSON, MarkTypeName, NodeJSON, NodeTypeName } from './types';

/** A built node before clause levels are resolved: like NodeJSON, but `clause` is allowed as a type. */
export interface Built {
  type: NodeTypeName | 'clause';
  attrs?: Record<string, unknown>;
  content?: Built[];
  text?: string;
  marks?: MarkJSON[];
}
export type Child = Built | string;
type Attrs = Record<string, unknown>;

function isAttrs(x: unknown): x is Attrs {
  return typeof x === 'object' && x !== null && !('type' in x);
}

function textNode(text: string, marks?: MarkJSON[]): Built {
  return marks && marks.length ? { type: 'text', text, marks } : { type: 'text', text };
}

function kids(children: Child[]): Built[] {
  return children.filter((c) => c !== '').map((c) => (typeof c === 'string' ? textNode(c) : c));
}

/** Builder for a node type: optional attrs first, then children (strings become text). */
function node(type: Built['type']) {
  return (...args: (Attrs | Child)[]): Built => {
    const [first, ...rest] = args;
    if (first !== undefined && isAttrs(first)) return { type, attrs: { ...first }, content: kids(rest as Child[]) };
    return { type, content: kids(args as Child[]) };
  };
}

function mark(type: MarkTypeName) {
  return (...children: Child[]): Built[] =>
    kids(children).map((c) => ({ ...c, marks: [...(c.marks ?? []), { type }] }));
}

export const foreword = node('foreword');
export const introduction = node('introduction');
export const scope = node('scope');
export const normativeReferences = node('normativeReferences');
export const termsAndDefinitions = node('termsAndDefinitions');
export const chapter = node('chapter');
/** A clause at whatever level it is nested; titled when its first child is `h(…)`. */
export const clause = node('clause');
export const annex = node('annex');
export const bibliography = node('bibliography');
export const h = node('heading');
export const p = node('paragraph');
export const note = node('note');
export const example = node('example');
export const caption = node('caption');

/** Marked text: `p('浓度', sub('2'))` etc. Each returns an array; spread it: `p('a', ...em('b'))`. */
export const em = mark('em');
export const strong = mark('strong');
export const sub = mark('sub');
export const sup = mark('sup');

/** A cross-reference to the block with id `target`. */
export function xref(target: string): Built {
  return { type: 'xref', attrs: { target } };
}

/** A list; each item is a string, or `li(…)`. */
export function list(attrs: { kind?: ListKind; id?: string } | Child, ...items: (Child | Built)[]): Built {
  const a = isAttrs(attrs) ? attrs : {};
  const all = isAttrs(attrs) ? items : [attrs, ...items];
  return { type: 'list', attrs: { kind: 'dash', ...a }, content: all.map((i) => (typeof i === 'string' ? li(i) : i)) };
}

/** A first-level list item: its text, then optionally a `sublist(…)`. */
export function li(text: string | Built[], subList?: Built, attrs: Attrs = {}): Built {
  const para: Built = { type: 'paragraph', content: kids(typeof text === 'string' ? [text] : text) };
  return { type: 'listItem', attrs, content: subList ? [para, subList] : [para] };
}

/** A second-level list of plain strings. */
export function sublist(attrs: { kind?: ListKind; id?: string } | string, ...items: string[]): Built {
  const a = typeof attrs === 'string' ? {} : attrs;
  const all = typeof attrs === 'string' ? [attrs, ...items] : items;
  return {
    type: 'sublist',
    attrs: { kind: 'number', ...a },
    content: all.map((t) => ({ type: 'sublistItem', content: [{ type: 'paragraph', content: kids([t]) }] })),
  };
}

/** A term entry; absent optional fields are left out of the document. */
export function termEntry(t: {
  id?: string;
  term: string;
  english: string;
  abbreviation?: string;
  definition: string | Built[];
  examples?: Built[];
  notes?: Built[];
  source?: string;
}): Built {
  const content: Built[] = [
    { type: 'term', content: kids([t.term]) },
    { type: 'termEnglish', content: kids([t.english]) },
  ];
  if (t.abbreviation !== undefined) content.push({ type: 'termAbbreviation', content: kids([t.abbreviation]) });
  content.push({ type: 'definition', content: kids(typeof t.definition === 'string' ? [t.definition] : t.definition) });
  content.push(...(t.examples ?? []), ...(t.notes ?? []));
  if (t.source !== undefined) content.push({ type: 'termSource', content: kids([t.source]) });
  return { type: 'termEntry', attrs: t.id ? { id: t.id } : {}, content };
}

/** A normative reference `code number—year title`. */
export function ref(code: string, number: string, year: string, title: string, id?: string): Built {
  return { type: 'referenceEntry', attrs: { code, number, year, ...(id ? { id } : {}) }, content: kids([title]) };
}

/** A bibliography entry. */
export function bib(text: string, id?: string): Built {
  return { type: 'bibliographyEntry', attrs: id ? { id } : {}, content: kids([text]) };
}

/** A table: title, rows of cell texts (the first row is the header), then notes. */
export function table(attrs: { id?: string } | string, titleOrRows: string | string[][], ...rest: (string[][] | Built)[]): Built {
  const a = typeof attrs === 'string' ? {} : attrs;
  const title = typeof attrs === 'string' ? attrs : (titleOrRows as string);
  const rows = (typeof attrs === 'string' ? titleOrRows : rest.shift()) as string[][];
  const notes = rest as Built[];
  const grid: Built = {
    type: 'tableGrid',
    content: rows.map((cells, r) => ({
      type: 'tableRow',
      content: cells.map((c) => ({ type: r === 0 ? 'tableHeader' : 'tableCell', content: [{ type: 'paragraph', content: kids([c]) }] })),
    })),
  };
  return { type: 'table', attrs: a, content: [{ type: 'caption', content: kids([title]) }, grid, ...notes] };
}

/** A figure: image source, title, then notes. */
export function figure(attrs: { id?: string; src?: string; alt?: string }, title: string, ...notes: Built[]): Built {
  return { type: 'figure', attrs: { src: '', alt: '', ...attrs }, content: [...notes, { type: 'caption', content: kids([title]) }] };
}

/** A formula: its text, then 式中 lines as [symbol, explanation]. */
export function formula(attrs: { id?: string } | string, ...rest: (string | [string, string])[]): Built {
  const a = typeof attrs === 'string' ? {} : attrs;
  const all = typeof attrs === 'string' ? [attrs, ...rest] : rest;
  const [text, ...symbols] = all as [string, ...[string, string][]];
  return {
    type: 'formula',
    attrs: a,
    content: [
      { type: 'formulaText', content: kids([text]) },
      ...symbols.map(([symbol, meaning]) => ({ type: 'formulaSymbol' as const, attrs: { symbol }, content: kids([meaning]) })),
    ],
  };
}

/** Resolves `clause` to clause1 … clause5 by nesting and fills missing ids deterministically. */
function resolve(b: Built, parentType: string, counter: Map<string, number>): NodeJSON {
  let type: NodeTypeName;
  if (b.type === 'clause') {
    const level = clauseLevel(parentType) + 1;
    if (level > 5) throw new RangeError(`clause nested deeper than chapter + 5 levels (inside ${parentType})`);
    type = `clause${level}` as NodeTypeName;
  } else type = b.type;
  const out: NodeJSON = { type };
  if (b.text !== undefined) out.text = b.text;
  if (b.marks) out.marks = b.marks;
  const attrs = { ...(b.attrs ?? {}) };
  if (hasIdAttr(type) && !attrs.id) {
    const n = (counter.get(type) ?? 0) + 1;
    counter.set(type, n);
    attrs.id = `${type}-${n}`;
  }
  if (Object.keys(attrs).length) out.attrs = attrs;
  if (b.content && b.content.length) out.content = b.content.map((c) => resolve(c, type, counter));
  return out;
}

/** A whole document in canonical JSON form (validated against the schema, all attributes present). */
export function docJSON(...children: Built[]): DocJSON {
  const counter = new Map<string, number>();
  const node = schema.nodeFromJSON({ type: 'doc', content: children.map((c) => resolve(c, 'doc', counter)) });
  node.check();
  // Round-trip through the schema so every attribute, defaults included, is spelled out.
  return node.toJSON() as DocJSON;
}

/** A whole document as a ProseMirror node (validated against the schema). */
export function doc(...children: Built[]): Node {
  const node = schema.nodeFromJSON(docJSON(...children));
  node.check();
  return node;
}

/** The smallest valid document: the mandatory elements with empty paragraphs. */
export function minimalDoc(): Node {
  return doc(foreword(p()), scope(p()), normativeReferences(), termsAndDefinitions(p('下列术语和定义适用于本文件。')));
}
