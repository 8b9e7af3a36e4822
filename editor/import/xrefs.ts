// Cross-references typed as text in a Word draft (「见5.2」「按表3」「见附录A」「按公式(1)计算」「第5章」)
// become `xref` nodes pointing at the element with that computed number, so they follow renumbering in
// the editor. A reference whose target is not in the imported document stays text and is reported (it
// may be a reference to another standard's clause, or a numbering slip in the draft). Pure: runs on the
// built model after the structure is known (the numbers are the editor's, computed once here).
import { computeNumbering } from '../numbering';
import type { DocJSON, NodeJSON } from '../types';

export interface UnresolvedReference {
  /** The reference as typed ('5.9', '表7', '附录D'). */
  reference: string;
  /** The sentence around it. */
  context: string;
  zh: string;
  en: string;
}

export interface CrossReferences {
  linked: number;
  unresolved: UnresolvedReference[];
}

/** Paragraph-like nodes whose text may hold references (not headings, captions or terms). */
const HOSTS = new Set(['paragraph', 'definition']);

// Words after which a bare clause number or 表N/图N is a reference ("见5.2", "按表3", "5.2和5.3", "在表1中").
const TRIGGER = /(见|按|按照|依据|根据|符合|满足|参见|参照|采用|执行|列于|如|由|与|和|及|或|、|至|～|在|用|从|同)$/;
// Characters that may follow a bare clause number used as a reference (not "按0.5倍", not "5.2 mg/L").
const CLAUSE_END = /^($|[。，；、：和及或至～的条中规定要求所）)”"\s])/;

const TOKEN = new RegExp(
  [
    '第(?<chapter>\\d{1,2})章',
    '(?<annex>附录[A-Z])(?![A-Za-z])',
    '(?:公式|式)[(（](?<formula>(?:[A-Z]\\.)?\\d{1,3})[)）]',
    '(?<tf>[表图](?:[A-Z]\\.)?\\d{1,3})(?![\\d.])',
    '(?<clause>(?:[A-Z]|\\d{1,2})(?:\\.\\d{1,3}){1,4})(?![\\d.])',
  ].join('|'),
  'gu',
);

interface Found {
  start: number;
  end: number;
  key: string;
  typed: string;
}

function findReferences(text: string): Found[] {
  const out: Found[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const g = m.groups ?? {};
    const start = m.index ?? 0;
    const end = start + m[0].length;
    const before = text.slice(Math.max(0, start - 4), start);
    const prev = text[start - 1] ?? '';
    if (g.chapter) out.push({ start, end, key: `第${g.chapter}章`, typed: m[0] });
    else if (g.annex) out.push({ start, end, key: g.annex, typed: m[0] });
    else if (g.formula) out.push({ start, end, key: `公式(${g.formula})`, typed: m[0] });
    else if (g.tf) {
      // 「代表1个」 is not table 1: a CJK character before 表/图 must be a trigger word.
      if (/[\u4e00-\u9fff]/u.test(prev) && !TRIGGER.test(before)) continue;
      out.push({ start, end, key: g.tf, typed: m[0] });
    } else if (g.clause) {
      if (!TRIGGER.test(before) || !CLAUSE_END.test(text.slice(end))) continue;
      // 「GB/T 1.1」「HJ 91.1」: a designation of another document, not a clause.
      if (/[A-Za-z/]\s?$/.test(before) && !/[\u4e00-\u9fff]$/u.test(before)) continue;
      out.push({ start, end, key: g.clause, typed: m[0] });
    }
  }
  return out;
}

/** Replaces typed references by `xref` nodes in place; returns what was linked and what was not. */
export function linkCrossReferences(doc: DocJSON): CrossReferences & { linkedTexts: string[] } {
  const numbering = computeNumbering(doc);
  const byXref = new Map<string, string>();
  for (const [id, label] of Object.entries(numbering.byId)) {
    if (!label.xref || byXref.has(label.xref)) continue;
    if (['chapter', 'clause', 'annex', 'table', 'figure', 'formula'].includes(label.kind)) byXref.set(label.xref, id);
  }
  const result: CrossReferences & { linkedTexts: string[] } = { linked: 0, unresolved: [], linkedTexts: [] };
  const visit = (n: NodeJSON): void => {
    if (HOSTS.has(n.type) && n.content) n.content = linkInline(n.content);
    else for (const c of n.content ?? []) visit(c);
  };
  const linkInline = (content: NodeJSON[]): NodeJSON[] => {
    const out: NodeJSON[] = [];
    const whole = content.map((c) => (c.type === 'text' ? (c.text ?? '') : '\u0000')).join('');
    let offset = 0;
    const found = findReferences(whole);
    for (const c of content) {
      const text = c.type === 'text' ? (c.text ?? '') : '';
      const from = offset;
      offset += c.type === 'text' ? text.length : 1;
      // Text of a kept suggestion stays text: a reference inside it would outlive its rejection.
      if (c.type !== 'text' || (c.marks ?? []).some((m) => m.type === 'suggestInsert' || m.type === 'suggestDelete')) {
        out.push(c);
        continue;
      }
      let pos = 0;
      for (const f of found) {
        if (f.start < from || f.end > from + text.length) continue;
        const target = byXref.get(f.key);
        if (!target) {
          const ctx = whole.slice(Math.max(0, f.start - 20), f.end + 20).replace(/\u0000/g, '');
          result.unresolved.push({
            reference: f.typed,
            context: ctx,
            zh: `引用「${f.typed}」在导入的文件中没有对应的章条、表、图、公式或附录，保留为文字`,
            en: `Reference “${f.typed}” has no matching clause, table, figure, formula or annex in the imported file; kept as text`,
          });
          continue;
        }
        const a = f.start - from;
        if (a > pos) out.push({ ...c, text: text.slice(pos, a) });
        out.push({ type: 'xref', attrs: { target } });
        result.linked++;
        result.linkedTexts.push(f.typed);
        pos = f.end - from;
      }
      if (pos === 0) out.push(c);
      else if (pos < text.length) out.push({ ...c, text: text.slice(pos) });
    }
    return out;
  };
  for (const top of doc.content) visit(top);
  return result;
}
