// Puts a document that concurrent edits left out of shape back into the GB/T 1.1 structure, without
// losing text. Yjs merges two valid edits into a structure neither author made, e.g. a chapter added after
// an annex that was added at the same spot, two bibliographies, or a paragraph typed at the end of a
// chapter while someone else appended a clause to it (so the paragraph now follows the clause). The
// repairs: top-level elements back in GB/T order (stable, so chapters keep their relative order);
// duplicated singletons (two bibliographies, two 引言) merged; a block that follows a sub-clause moved to
// the end of the text just before it (the deepest last sub-clause), which keeps the reading order; fixed
// parts of term entries, tables, figures and formulas back in order, missing ones added empty.
//
// Repairs are structural edits, so exactly one client must make them, or two would each move the same
// paragraph and Yjs would keep both copies: see `repairPlugin`, which only acts when `isLeader()` says so.
import { Fragment, type Node, type NodeType } from 'prosemirror-model';
import { Plugin, PluginKey, type EditorState, type Transaction } from 'prosemirror-state';
import { schema, clauseLevel } from './schema';
import { diffDocs, textOnlyChange } from './doc-diff';

const n = schema.nodes;

const TOP_RANK: Record<string, number> = {
  foreword: 0, introduction: 1, scope: 2, normativeReferences: 3, termsAndDefinitions: 4, chapter: 5, annex: 6, bibliography: 7,
};
const TOP_SINGLETONS = new Set(['foreword', 'introduction', 'scope', 'normativeReferences', 'termsAndDefinitions', 'bibliography']);

/** Child order of containers whose parts have a fixed order; parts marked single are merged when doubled. */
const PART_RANK: Record<string, { rank: Record<string, number>; single: Set<string> }> = {
  termEntry: {
    rank: { term: 0, termEnglish: 1, termAbbreviation: 2, definition: 3, example: 4, note: 5, termSource: 6 },
    single: new Set(['term', 'termEnglish', 'termAbbreviation', 'definition', 'termSource']),
  },
  table: { rank: { caption: 0, tableGrid: 1, note: 2 }, single: new Set(['caption']) },
  figure: { rank: { note: 0, caption: 1 }, single: new Set(['caption']) },
  formula: { rank: { formulaText: 0, formulaSymbol: 1 }, single: new Set(['formulaText']) },
};

const isClause = (node: Node): boolean => clauseLevel(node.type.name) > 0;
const CLAUSE_CONTAINERS = new Set(['chapter', 'annex', 'introduction', 'clause1', 'clause2', 'clause3', 'clause4', 'clause5']);

function children(node: Node): Node[] {
  const out: Node[] = [];
  node.forEach((c) => out.push(c));
  return out;
}

function sameChildren(a: readonly Node[], node: Node): boolean {
  return a.length === node.childCount && a.every((c, i) => c === node.child(i));
}

/** Merges nodes of the same type: the first keeps its attributes (and id), the content of the others follows. */
function merge(nodes: Node[]): Node {
  const [first, ...rest] = nodes;
  return first.copy(rest.reduce((f, r) => f.append(r.content), first.content));
}

/** Stable sort by rank, then merge neighbours of the same type listed in `single`. */
function sortAndMerge(list: Node[], rank: Record<string, number>, single: Set<string>): Node[] {
  const sorted = list
    .map((node, i) => ({ node, i, r: rank[node.type.name] ?? 99 }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.node);
  const out: Node[] = [];
  for (const node of sorted) {
    const prev = out[out.length - 1];
    if (prev && prev.type === node.type && single.has(node.type.name)) out[out.length - 1] = merge([prev, node]);
    else out.push(node);
  }
  return out;
}

/** Appends blocks at the end of the text of `clause`: into its deepest last sub-clause. */
function appendToDeepestLast(clause: Node, blocks: Node[]): Node {
  const last = clause.lastChild;
  if (last && isClause(last)) return clause.copy(clause.content.replaceChild(clause.childCount - 1, appendToDeepestLast(last, blocks)));
  return clause.copy(clause.content.append(Fragment.from(blocks)));
}

function repairClauseContainer(node: Node, kids: Node[]): Node[] {
  const out: Node[] = [];
  const requiresHeading = node.type === n.chapter || node.type === n.annex;
  const takesHeading = requiresHeading || isClause(node);
  kids.forEach((child, i) => {
    if (child.type === n.heading) {
      // A heading belongs first; any other heading keeps its text as a paragraph.
      if (i === 0 && takesHeading) out.push(child);
      else if (out.length === 0 && takesHeading) out.push(child);
      else out.push(n.paragraph.create(null, child.content));
      return;
    }
    if (!isClause(child)) {
      const lastIndex = out.length - 1;
      const last = out[lastIndex];
      if (last && isClause(last)) out[lastIndex] = appendToDeepestLast(last, [child]);
      else out.push(child);
      return;
    }
    out.push(child);
  });
  if (requiresHeading && out[0]?.type !== n.heading) out.unshift(n.heading.create());
  if (out.length === 0) out.push(n.paragraph.create());
  return out;
}

function repairListItem(kids: Node[], sublistType: NodeType): Node[] {
  const paragraphs = kids.filter((c) => c.type === n.paragraph);
  const sublists = kids.filter((c) => c.type === sublistType);
  const head = paragraphs[0] ?? n.paragraph.create();
  // Extra paragraphs (from a concurrent split) are joined into the first, keeping all text.
  const first = paragraphs.length > 1 ? merge(paragraphs) : head;
  if (sublistType === n.sublistItem) return [first];
  return sublists.length ? [first, merge(sublists)] : [first];
}

/**
 * True when the top level is in GB/T order with each singleton once. The schema tolerates other orders
 * (see editor/schema.ts) so that y-prosemirror never drops a node; this is the stricter shape we restore.
 */
export function topLevelInOrder(doc: Node): boolean {
  let rank = -1;
  let prevType = '';
  for (let i = 0; i < doc.childCount; i++) {
    const type = doc.child(i).type.name;
    const r = TOP_RANK[type] ?? 99;
    if (r < rank || (type === prevType && TOP_SINGLETONS.has(type))) return false;
    rank = r;
    prevType = type;
  }
  return true;
}

/** Returns the node with its subtree repaired (the same instance when nothing changed). */
function repairNode(node: Node): Node {
  if (node.isTextblock || node.isLeaf) return node;
  let kids = children(node).map(repairNode);
  const inShape = node.type === n.doc ? topLevelInOrder(node.copy(Fragment.from(kids))) : true;
  if (inShape && node.type.validContent(Fragment.from(kids))) return sameChildren(kids, node) ? node : node.copy(Fragment.from(kids));
  const name = node.type.name;
  if (name === 'doc') {
    kids = sortAndMerge(kids, TOP_RANK, TOP_SINGLETONS).map(repairNode);
    kids = kids.filter((c) => !(c.type === n.bibliography && c.childCount === 0));
  } else if (CLAUSE_CONTAINERS.has(name)) {
    kids = repairClauseContainer(node, kids);
  } else if (PART_RANK[name]) {
    kids = sortAndMerge(kids, PART_RANK[name].rank, PART_RANK[name].single);
  } else if (name === 'listItem') {
    kids = repairListItem(kids, n.sublist);
  } else if (name === 'sublistItem') {
    kids = repairListItem(kids, n.sublistItem);
  } else if (name === 'list' || name === 'sublist') {
    kids = kids.length ? kids : [(name === 'list' ? n.listItem : n.sublistItem).create(null, n.paragraph.create())];
  }
  // Lists or bibliographies left empty by concurrent deletions hold no text: drop them.
  kids = kids.filter((c) => !((c.type === n.list || c.type === n.sublist) && c.childCount === 0));
  const filled = node.type.createAndFill(node.attrs, Fragment.from(kids), node.marks);
  return filled ?? node.copy(Fragment.from(kids));
}

/** True when the whole document satisfies the schema and its top level is in GB/T order. */
export function isValidDoc(doc: Node): boolean {
  try {
    doc.check();
    return topLevelInOrder(doc);
  } catch {
    return false;
  }
}

/** The repaired document, or null when the document is valid. */
export function repairDoc(doc: Node): Node | null {
  if (isValidDoc(doc)) return null;
  const repaired = repairNode(doc);
  return repaired === doc ? null : repaired;
}

/** A transaction replacing an invalid document by its repair, or null. */
export function repairTransaction(state: EditorState): Transaction | null {
  const repaired = repairDoc(state.doc);
  if (!repaired) return null;
  try {
    return state.tr.replaceWith(0, state.doc.content.size, repaired.content).setMeta(repairKey, true).setMeta('addToHistory', false);
  } catch {
    return null; // the top level still does not fit: leave the document as it is rather than lose anything
  }
}

export const repairKey = new PluginKey<{ remoteChanges: number }>('tongbiaoRepair');

/**
 * Watches for invalid documents, which only merged remote edits produce (`isRemote` tells those
 * transactions apart; local edits are checked by ProseMirror itself), and, when this client is the leader,
 * repairs them after `delayMs`, so that a burst of remote updates is repaired once.
 */
export function repairPlugin(opts: { isLeader: () => boolean; isRemote: (tr: Transaction) => boolean; delayMs?: number }): Plugin {
  const delayMs = opts.delayMs ?? 300;
  return new Plugin<{ remoteChanges: number }>({
    key: repairKey,
    state: {
      init: () => ({ remoteChanges: 0 }),
      apply: (tr, old) => (tr.docChanged && opts.isRemote(tr) ? { remoteChanges: old.remoteChanges + 1 } : old),
    },
    view(view) {
      let timer: ReturnType<typeof setTimeout> | null = null;
      let seen = 0;
      const check = (): void => {
        timer = null;
        if (isValidDoc(view.state.doc)) return;
        if (opts.isLeader() && view.editable) {
          const tr = repairTransaction(view.state);
          if (tr) view.dispatch(tr);
          return;
        }
        // Not the leader (or not yet sure of it): look again later, in case the leader left.
        timer = setTimeout(check, delayMs * 4);
      };
      return {
        update(v, prev) {
          const remoteChanges = repairKey.getState(v.state)?.remoteChanges ?? 0;
          if (v.state.doc === prev.doc || timer !== null || remoteChanges === seen) return;
          seen = remoteChanges;
          const change = diffDocs(prev.doc, v.state.doc);
          if (!change || textOnlyChange(prev.doc, v.state.doc, change)) return;
          if (!isValidDoc(v.state.doc)) timer = setTimeout(check, delayMs);
        },
        destroy() {
          if (timer !== null) clearTimeout(timer);
        },
      };
    },
  });
}
