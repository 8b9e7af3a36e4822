// The commentable units of a draft (前言, 引言, chapters, clauses, term entries, annexes, 参考文献) with
// their computed numbers (editor/numbering.ts), titles and own text, read from the ProseMirror JSON of a
// version.
import type { DocJSON, NodeJSON } from './types';
import { computeNumbering } from './numbering';

/** Node types a comment can point to, outermost first. */
export const COMMENTABLE_TYPES: ReadonlySet<string> = new Set([
  'foreword', 'introduction', 'scope', 'normativeReferences', 'termsAndDefinitions', 'termEntry', 'chapter',
  'clause1', 'clause2', 'clause3', 'clause4', 'clause5', 'annex', 'bibliography',
]);

const FIXED_TITLES: Record<string, string> = {
  foreword: '前言', introduction: '引言', scope: '范围', normativeReferences: '规范性引用文件',
  termsAndDefinitions: '术语和定义', bibliography: '参考文献',
};

export interface ClauseInfo {
  id: string;
  type: string;
  /** 5.2, 3.1, A.1, or the element name for unnumbered elements (前言, 引言, 参考文献). */
  number: string;
  /** How it is named in tables and pages: 5.2, 附录A, 前言. */
  label: string;
  title: string;
  /** The clause's own text (without its sub-clauses), blocks joined without separators. */
  text: string;
  /** Depth for rendering: 1 for top-level elements. */
  depth: number;
  /** Id of the enclosing commentable unit, if any. */
  parentId?: string;
}

/** Plain text of a node, in document order; xrefs (computed text) contribute nothing. */
export function textOf(node: NodeJSON, skip: (n: NodeJSON) => boolean = () => false): string {
  if (node.type === 'text') return node.text ?? '';
  if (skip(node)) return '';
  let s = '';
  for (const c of node.content ?? []) s += textOf(c, skip);
  return s;
}

/** Own text of a commentable unit: everything but the nested commentable units. */
export function ownText(node: NodeJSON): string {
  let s = '';
  for (const c of node.content ?? []) s += COMMENTABLE_TYPES.has(c.type) ? '' : textOf(c, (n) => COMMENTABLE_TYPES.has(n.type));
  return s;
}

function headingText(node: NodeJSON): string {
  const h = (node.content ?? []).find((c) => c.type === 'heading');
  return h ? textOf(h) : '';
}

/**
 * Every commentable unit of the document, in document order, keyed by id, numbered by
 * editor/numbering.ts (the one numbering of the project). Nodes without an id are skipped.
 */
export function listClauses(doc: DocJSON): Map<string, ClauseInfo> {
  const numbering = computeNumbering(doc);
  const outline = new Map(numbering.outline.filter((e) => e.id).map((e) => [e.id as string, e]));
  const out = new Map<string, ClauseInfo>();
  const walk = (node: NodeJSON, depth: number, parentId?: string): void => {
    for (const c of node.content ?? []) {
      if (!COMMENTABLE_TYPES.has(c.type)) continue;
      const id = typeof c.attrs?.id === 'string' ? c.attrs.id : undefined;
      let next = parentId;
      if (id && !out.has(id)) {
        const o = outline.get(id);
        const n = numbering.byId[id];
        const label = o?.label ?? n?.label ?? FIXED_TITLES[c.type] ?? '';
        const title = c.type === 'termEntry' ? textOf((c.content ?? []).find((x) => x.type === 'term') ?? { type: 'text', text: '' }) : (o?.title || FIXED_TITLES[c.type] || headingText(c));
        out.set(id, { id, type: c.type, number: n?.number || label, label, title, text: ownText(c), depth, parentId });
        next = id;
      }
      walk(c, depth + 1, next);
    }
  };
  walk(doc, 1);
  return out;
}

/** Finds a node by id anywhere in the document. */
export function findNodeById(node: NodeJSON, id: string): NodeJSON | null {
  if (node.attrs?.id === id) return node;
  for (const c of node.content ?? []) {
    const f = findNodeById(c, id);
    if (f) return f;
  }
  return null;
}

const clauseCache = new WeakMap<DocJSON, Map<string, ClauseInfo>>();

/**
 * `listClauses`, remembered per document object. Versions are not mutated once loaded, and the frozen draft
 * is read for every comment on a clause, so its numbering is computed once rather than per request.
 */
export function clausesOf(doc: DocJSON): Map<string, ClauseInfo> {
  let c = clauseCache.get(doc);
  if (!c) {
    c = listClauses(doc);
    clauseCache.set(doc, c);
  }
  return c;
}
