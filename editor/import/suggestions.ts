// Word's tracked changes kept as the editor's suggested changes (import mode 'keep', 保留为修订建议). The
// reader says for each run which change it belongs to (kind, Word author, date; `block` when the paragraph
// mark or table row was tracked too) and structure.ts turns that into a provisional suggestion mark; here
// the model is completed: a block whose text is all in one whole-paragraph/row change of one author gets
// the block attribute `suggestion` instead of marks on its text (the outermost such block), every change gets
// one suggestion id (changes of one author, kind and date are one suggestion, as the review copy writes
// them), `by` is the importing user, and a change inside text that cannot carry marks (a term's source, an
// abbreviation) is rejected there — its original text kept — and counted, so nothing is silently changed.
import { schema, SUGGEST_DELETE, SUGGEST_INSERT, SUGGESTION_NODE_TYPES, type BlockSuggestion } from '../schema';
import type { MarkJSON, NodeJSON } from '../types';
import type { RunChange } from './reader';

/** Provisional attribute of a kept change's mark until keepSuggestions() replaces it. */
const BLOCK_FLAG = 'wordBlock';

const keyOf = (c: Pick<RunChange, 'kind' | 'author' | 'date'>): string => `${c.kind}\u0000${c.author}\u0000${c.date}`;

/** The provisional mark of a run in a kept change (structure.ts puts it on the text). */
export function keptChangeMark(c: RunChange): MarkJSON {
  return {
    type: c.kind === 'insert' ? SUGGEST_INSERT : SUGGEST_DELETE,
    attrs: { sid: keyOf(c), by: '', name: c.author, province: '', at: c.date, ...(c.block ? { [BLOCK_FLAG]: true } : {}) },
  } as MarkJSON;
}

export interface KeptSuggestions {
  /** Suggestions in the model (distinct changes). */
  kept: number;
  /** Of which blocks inserted or deleted whole. */
  blocks: number;
  /** Pieces of changes rejected because their text cannot carry a suggestion. */
  notKept: number;
}

const isSuggestion = (m: MarkJSON): boolean => (m.type as string) === SUGGEST_INSERT || (m.type as string) === SUGGEST_DELETE;
const suggestionOf = (n: NodeJSON): MarkJSON | undefined => (n.marks ?? []).find(isSuggestion);

function texts(n: NodeJSON, out: NodeJSON[] = []): NodeJSON[] {
  if (n.type === 'text') out.push(n);
  else for (const c of n.content ?? []) texts(c, out);
  return out;
}

/** Rejects kept changes inside nodes whose text takes no suggestion marks: inserted text goes, deleted stays. */
function rejectWhereNotAllowed(n: NodeJSON): number {
  let dropped = 0;
  if (!n.content) return 0;
  const type = schema.nodes[n.type];
  const allowed = type ? type.allowsMarkType(schema.marks[SUGGEST_INSERT]) : false;
  if (!allowed && n.content.some((c) => c.type === 'text' && suggestionOf(c))) {
    const content: NodeJSON[] = [];
    for (const c of n.content) {
      const m = c.type === 'text' ? suggestionOf(c) : undefined;
      if (!m) content.push(c);
      else {
        dropped++;
        if ((m.type as string) === SUGGEST_DELETE) {
          const rest = (c.marks ?? []).filter((x) => !isSuggestion(x));
          const plain: NodeJSON = { ...c };
          delete plain.marks;
          content.push(rest.length ? { ...plain, marks: rest } : plain);
        }
      }
    }
    n.content = content;
  }
  for (const c of n.content) dropped += rejectWhereNotAllowed(c);
  return dropped;
}

/** The one whole-block change covering all text of `n`, or null. */
function wholeChange(n: NodeJSON): { mark: MarkJSON; key: string } | null {
  const all = texts(n).filter((t) => (t.text ?? '') !== '');
  if (all.length === 0) return null;
  let key: string | null = null;
  let mark: MarkJSON | undefined;
  for (const t of all) {
    const m = suggestionOf(t);
    if (!m || m.attrs?.[BLOCK_FLAG] !== true) return null;
    const k = String(m.attrs.sid);
    if (key !== null && k !== key) return null;
    key = k;
    mark = m;
  }
  return key !== null && mark ? { mark, key } : null;
}

/** Completes the provisional suggestions of an imported model in place. */
export function keepSuggestions(doc: NodeJSON, opts: { by: string; makeId: () => string }): KeptSuggestions {
  const notKept = rejectWhereNotAllowed(doc);
  const sids = new Map<string, string>();
  const sidOf = (key: string): string => {
    let sid = sids.get(key);
    if (!sid) {
      sid = opts.makeId();
      sids.set(key, sid);
    }
    return sid;
  };
  let blocks = 0;
  const stripAll = (n: NodeJSON): void => {
    for (const t of texts(n)) {
      const rest = (t.marks ?? []).filter((m) => !isSuggestion(m));
      if (rest.length) t.marks = rest;
      else delete t.marks;
    }
  };
  const visit = (n: NodeJSON): void => {
    if (SUGGESTION_NODE_TYPES.includes(n.type)) {
      const whole = wholeChange(n);
      if (whole) {
        const a = whole.mark.attrs ?? {};
        const suggestion: BlockSuggestion = {
          kind: (whole.mark.type as string) === SUGGEST_INSERT ? 'insert' : 'delete',
          sid: sidOf(whole.key),
          by: opts.by,
          name: String(a.name ?? ''),
          province: '',
          at: String(a.at ?? ''),
        };
        n.attrs = { ...(n.attrs ?? {}), suggestion };
        blocks++;
        stripAll(n);
        return;
      }
    }
    if (n.type === 'text') {
      const m = suggestionOf(n);
      if (m) {
        const attrs = { ...(m.attrs ?? {}) };
        delete attrs[BLOCK_FLAG];
        n.marks = (n.marks ?? []).map((x) => (x === m ? { type: m.type, attrs: { ...attrs, sid: sidOf(String(attrs.sid)), by: opts.by } } : x));
      }
      return;
    }
    for (const c of n.content ?? []) visit(c);
  };
  visit(doc);
  // Neighbouring text of one suggestion now has equal marks: merge it, as the editor would.
  mergeTexts(doc);
  return { kept: sids.size, blocks, notKept };
}

function mergeTexts(n: NodeJSON): void {
  if (!n.content) return;
  const out: NodeJSON[] = [];
  for (const c of n.content) {
    const last = out[out.length - 1];
    if (c.type === 'text' && last?.type === 'text' && JSON.stringify(last.marks ?? []) === JSON.stringify(c.marks ?? [])) out[out.length - 1] = { ...last, text: (last.text ?? '') + (c.text ?? '') };
    else {
      mergeTexts(c);
      out.push(c);
    }
  }
  n.content = out;
}
