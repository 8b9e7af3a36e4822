// The draft's suggested changes (issue 15) in the review copy as Word's own tracked changes: each
// suggestInsert / suggestDelete mark becomes the DOCX writer's redline mark carrying the proposer's name and
// time (activities/docx/inline.ts writes it as w:ins / w:del with that w:author and w:date), and a block
// proposed whole has all its text marked so, with `block` — its paragraph marks (and a table row's w:trPr)
// are then tracked too, so accepting a deleted clause in Word removes it. The generator writes some parts as
// plain text (前言, normative references, a term's abbreviation and source), where no change can be shown:
// there the agreed text is printed (the suggestion rejected) and the suggestion is listed, for a Word comment
// on the first line — every suggestion is in the copy, one way or the other.
import type { Node as PMNode } from 'prosemirror-model';
import { SUGGEST_DELETE, SUGGEST_INSERT, type BlockSuggestion } from '../../editor/schema';
import type { DocJSON, MarkJSON, NodeJSON } from '../../editor/types';
import { generateStandardDocx, type GenerateOptions } from '../docx/generate';
import { REDLINE_DEL, REDLINE_INS, withTracking, type TrackedMarkAttrs } from '../docx/inline';

/** Nodes the generator prints as plain text: a tracked change cannot be shown inside them. */
const PLAIN_ZONES = new Set(['foreword', 'normativeReferences', 'termAbbreviation', 'termSource']);
const ZONE_NAMES: Record<string, string> = { foreword: '前言 / foreword', normativeReferences: '规范性引用文件 / normative references', termAbbreviation: '缩略语 / abbreviation', termSource: '术语来源 / term source' };

/** A suggestion the copy cannot show as a tracked change. */
export interface HiddenSuggestion {
  kind: 'insert' | 'delete';
  name: string;
  at: string;
  text: string;
  zone: string;
}

interface Change {
  kind: 'insert' | 'delete';
  name: string;
  at: string;
}

/** Word's w:date: an xsd:dateTime without fractions, as Word writes it. */
export const wordDate = (at: string): string => {
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? new Date(0).toISOString().replace(/\.\d+Z$/, 'Z') : d.toISOString().replace(/\.\d+Z$/, 'Z');
};

const isSuggestion = (m: MarkJSON): boolean => (m.type as string) === SUGGEST_INSERT || (m.type as string) === SUGGEST_DELETE;

function markChange(m: MarkJSON): Change {
  return { kind: (m.type as string) === SUGGEST_INSERT ? 'insert' : 'delete', name: String(m.attrs?.name ?? ''), at: String(m.attrs?.at ?? '') };
}

function blockChange(attrs: NodeJSON['attrs']): Change | null {
  const s = (attrs as { suggestion?: BlockSuggestion | null } | undefined)?.suggestion;
  return s ? { kind: s.kind, name: s.name, at: s.at } : null;
}

const redline = (c: Change, block: boolean): MarkJSON => {
  const attrs: TrackedMarkAttrs = { author: c.name || '（未署名）', date: wordDate(c.at), ...(block ? { block: true } : {}) };
  return { type: c.kind === 'insert' ? REDLINE_INS : REDLINE_DEL, attrs } as unknown as MarkJSON;
};

/** The suggestions inside the plain zones of a draft (PMNode), each once. */
export function hiddenSuggestions(doc: PMNode): HiddenSuggestion[] {
  const out = new Map<string, HiddenSuggestion>();
  const add = (sid: string, c: Change, text: string, zone: string): void => {
    const had = out.get(sid);
    if (had) had.text += text;
    else out.set(sid, { ...c, text, zone: ZONE_NAMES[zone] ?? zone });
  };
  const walk = (n: PMNode, zone: string | null): void => {
    const z = zone ?? (PLAIN_ZONES.has(n.type.name) ? n.type.name : null);
    const s = n.attrs.suggestion as BlockSuggestion | null | undefined;
    if (z && s) add(s.sid, s, n.textContent, z);
    if (n.isText && z) {
      const m = n.marks.find((x) => x.type.name === SUGGEST_INSERT || x.type.name === SUGGEST_DELETE);
      if (m) add(String(m.attrs.sid), { kind: m.type.name === SUGGEST_INSERT ? 'insert' : 'delete', name: String(m.attrs.name), at: String(m.attrs.at) }, n.text ?? '', z);
    }
    n.forEach((c) => walk(c, z));
  };
  walk(doc, null);
  return [...out.values()];
}

/** Rejects every suggestion in a node printed as plain text: inserted text and blocks go, deleted ones stay. */
function rejected(n: NodeJSON): NodeJSON | null {
  const b = blockChange(n.attrs);
  if (b?.kind === 'insert') return null;
  const attrs = b ? { ...n.attrs, suggestion: null } : n.attrs;
  if (n.type === 'text') {
    const m = (n.marks ?? []).find(isSuggestion);
    if (!m) return n;
    if ((m.type as string) === SUGGEST_INSERT) return null;
    const rest = (n.marks ?? []).filter((x) => !isSuggestion(x));
    const plain: NodeJSON = { ...n };
    delete plain.marks;
    return rest.length ? { ...plain, marks: rest } : plain;
  }
  const content = n.content?.map(rejected).filter((c): c is NodeJSON => c !== null);
  return { ...n, ...(attrs ? { attrs } : {}), ...(content ? { content } : {}) };
}

/** The body with suggestions as the writer's tracked-change marks (see the head comment). */
export function suggestionsAsTrackedChanges(body: DocJSON): DocJSON {
  const convert = (n: NodeJSON, whole: Change | null): NodeJSON | null => {
    if (PLAIN_ZONES.has(n.type)) return rejected(n);
    const own = blockChange(n.attrs);
    const block = own ?? whole;
    const attrs = own ? { ...n.attrs, suggestion: null } : n.attrs;
    if (n.type === 'text') {
      const m = (n.marks ?? []).find(isSuggestion);
      const rest = (n.marks ?? []).filter((x) => !isSuggestion(x));
      const textChange = m ? markChange(m) : null;
      // Text in a block proposed whole belongs to that block's change (one of another kind stays its own).
      const change = block && (!textChange || textChange.kind === block.kind) ? redline(block, true) : textChange ? redline(textChange, false) : null;
      return { ...n, ...(change || rest.length ? { marks: [...rest, ...(change ? [change] : [])] } : {}) };
    }
    const content = n.content?.map((c) => convert(c, block)).filter((c): c is NodeJSON => c !== null);
    return { ...n, ...(attrs ? { attrs } : {}), ...(content ? { content } : {}) };
  };
  return convert(body as NodeJSON, null) as DocJSON;
}

/** The review copy's DOCX: the generator with its redline marks written as tracked changes. */
export function generateReviewCopyDocx(opts: GenerateOptions, now = new Date()): Promise<Buffer> {
  return withTracking({ author: '通标审阅稿 / Tongbiao review copy', date: wordDate(now.toISOString()) }, () => generateStandardDocx(opts));
}
