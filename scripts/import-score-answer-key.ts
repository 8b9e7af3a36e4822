// Scoring real-world drafts (issue 14) needs an answer key a person can write by reading the Word file: a
// full expected model (NAME.expected.json) is what the synthetic corpus has, but nobody types ProseMirror
// JSON for a real draft. NAME.key.json lists the elements the draft should give, each with only the fields
// the person checked (number, title, term, definition, table size …); an element counts as found when the
// import holds one of that kind whose given fields all agree (numbers as printed: 5.1, 表1, 图1, (1),
// 附录A; white space ignored). The format is documented in editor/import/README.md. Also: how much of a
// file's body text the import kept, measured against the file itself (no key needed).
import { z } from 'zod';
import type { ImportFileResult } from '../activities/import';
import type { SourceBlock } from '../editor/import/reader';
import { computeNumbering, FIXED_TITLES } from '../editor/numbering';
import type { DocJSON, NodeJSON } from '../editor/types';
import { SCORED_KINDS, textKept, type Score, type ScoredKind } from './import-score-keys';

const str = z.string().max(2000);
const num = z.union([z.string().max(40), z.number()]).transform(String);
const element = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('clause'), number: num, title: str.optional() }).strict(),
  z.object({ kind: z.literal('term'), number: num, term: str.optional(), definition: str.optional() }).strict(),
  z.object({ kind: z.literal('table'), number: num, title: str.optional(), rows: z.number().int().positive().optional(), columns: z.number().int().positive().optional() }).strict(),
  z.object({ kind: z.literal('figure'), number: num, title: str.optional() }).strict(),
  z.object({ kind: z.literal('formula'), number: num, text: str.optional() }).strict(),
  z.object({ kind: z.literal('note'), within: num.optional(), text: str.optional() }).strict(),
  z.object({ kind: z.literal('example'), within: num.optional(), text: str.optional() }).strict(),
  z.object({ kind: z.literal('annex'), number: num, type: z.enum(['规范性', '资料性']).optional(), title: str.optional() }).strict(),
]);
export const answerKeySchema = z.object({ file: str.optional(), notes: str.optional(), elements: z.array(element).min(1) }).strict();
export type AnswerKey = z.infer<typeof answerKeySchema>;
type KeyElement = AnswerKey['elements'][number];

const squash = (s: string): string => s.replace(/[\s\u3000]+/g, '');
/** Numbers as printed or bare: 表1 / 1, (1) / 1, 附录A / A, 第5章 / 5. */
const bare = (s: string): string =>
  squash(s)
    .replace(/^(表|图|附录|公式|第)/, '')
    .replace(/章$/, '')
    .replace(/^[（(](.*)[)）]$/, '$1');

interface Actual {
  kind: ScoredKind;
  fields: Record<string, string>;
}

function text(n: NodeJSON | undefined): string {
  if (!n) return '';
  if (n.type === 'text') return n.text ?? '';
  return (n.content ?? []).map(text).join('');
}
const child = (n: NodeJSON, type: string): NodeJSON | undefined => n.content?.find((c) => c.type === type);

/** The scored elements of an imported draft with the fields a key may give. */
export function actualElements(doc: DocJSON): Actual[] {
  const numbering = computeNumbering(doc);
  const out: Actual[] = [];
  const label = (n: NodeJSON): string => (typeof n.attrs?.id === 'string' ? (numbering.byId[n.attrs.id]?.label ?? '') : '');
  const walk = (n: NodeJSON, within: string): void => {
    const l = label(n);
    const t = n.type;
    if (t === 'chapter' || t === 'scope' || t === 'normativeReferences' || t === 'termsAndDefinitions' || /^clause[1-5]$/.test(t)) {
      const fixed = (FIXED_TITLES as Record<string, string | undefined>)[t];
      out.push({ kind: 'clause', fields: { number: l, title: fixed ?? text(child(n, 'heading')) } });
    } else if (t === 'annex') out.push({ kind: 'annex', fields: { number: l, type: String(numbering.byId[String(n.attrs?.id)]?.qualifier ?? ''), title: text(child(n, 'heading')) } });
    else if (t === 'termEntry') out.push({ kind: 'term', fields: { number: l, term: text(child(n, 'term')), definition: text(child(n, 'definition')) } });
    else if (t === 'table') {
      const rows = (child(n, 'tableGrid')?.content ?? []).filter((r) => r.type === 'tableRow');
      const columns = (rows[0]?.content ?? []).reduce((s, c) => s + Number(c.attrs?.colspan ?? 1), 0);
      out.push({ kind: 'table', fields: { number: l, title: text(child(n, 'caption')), rows: String(rows.length), columns: String(columns) } });
    } else if (t === 'figure') out.push({ kind: 'figure', fields: { number: l, title: text(child(n, 'caption')) } });
    else if (t === 'formula') out.push({ kind: 'formula', fields: { number: l, text: text(child(n, 'formulaText')) } });
    else if (t === 'note' || t === 'example') {
      out.push({ kind: t, fields: { within, text: text(n) } });
      return;
    }
    const here = l && t !== 'note' && t !== 'example' && !['paragraph', 'list', 'listItem', 'sublist', 'sublistItem'].includes(t) ? l : within;
    for (const c of n.content ?? []) walk(c, here);
  };
  for (const top of doc.content) if (top.type !== 'foreword') walk(top, '');
  return out;
}

const agrees = (want: KeyElement, got: Actual): boolean =>
  want.kind === got.kind &&
  Object.entries(want).every(([k, v]) => {
    if (k === 'kind' || v === undefined) return true;
    const have = got.fields[k] ?? '';
    return k === 'number' || k === 'within' ? bare(String(v)) === bare(have) : squash(String(v)) === squash(have);
  });

/** How many of the key's elements the imported draft holds (each actual element matched once). */
export function scoreAgainstKey(key: AnswerKey, doc: DocJSON | null): Score {
  const actual = doc ? actualElements(doc) : [];
  const used = new Set<number>();
  const byKind = Object.fromEntries(SCORED_KINDS.map((k) => [k, { expected: 0, found: 0 }])) as Score['byKind'];
  const missing: Score['missing'] = [];
  let found = 0;
  for (const want of key.elements) {
    byKind[want.kind].expected++;
    const i = actual.findIndex((a, j) => !used.has(j) && agrees(want, a));
    if (i >= 0) {
      used.add(i);
      byKind[want.kind].found++;
      found++;
    } else missing.push({ kind: want.kind, key: JSON.stringify(want) });
  }
  return { expected: key.elements.length, found, byKind, missing };
}

function modelText(n: NodeJSON): string {
  if (n.type === 'text') return n.text ?? '';
  const own = n.type === 'referenceEntry' ? `${String(n.attrs?.code ?? '')}${String(n.attrs?.number ?? '')}${String(n.attrs?.year ?? '')}` : n.type === 'formulaSymbol' ? String(n.attrs?.symbol ?? '') : n.type === 'figure' ? String(n.attrs?.alt ?? '') : '';
  return own + (n.content ?? []).map(modelText).join('');
}

function sourceText(blocks: readonly SourceBlock[]): string {
  return blocks.map((b) => (b.kind === 'p' ? b.text : b.rows.map((r) => r.cells.map((c) => sourceText(c.blocks)).join('')).join(''))).join('');
}

/** Characters of the file's body (as read) that are in the draft, or in the report (not placed, skipped), or
 *  are labels the structure computes again: the "every character ends up in the draft or the report". */
export function textKeptOfImport(r: Pick<ImportFileResult, 'doc' | 'blocks' | 'report' | 'strippedLabels'>): { expected: number; kept: number } {
  const have = [modelText(r.doc as NodeJSON), ...r.report.unplaced.map((u) => u.text), ...r.report.skipped.map((s) => s.text), ...r.strippedLabels].join('');
  return textKept(sourceText(r.blocks), have);
}

/** Elements the import recognised, by kind (for a draft without a key). */
export function elementsFound(r: Pick<ImportFileResult, 'report'>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of r.report.elements) out[e.kind] = (out[e.kind] ?? 0) + 1;
  return out;
}
