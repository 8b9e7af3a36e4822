// checkDraft: the GB/T 1.1—2020 drafting rules a structured draft can break although the schema accepts
// it. Pure and synchronous over the document's JSON, so the browser editor runs it on every change and the
// lifecycle's stage-change validators run the same code on the stored version. See findings.ts for the
// rules and which of them are errors.
import type { DocJSON, NodeJSON } from '../types';
import { computeNumbering, referenceDesignation, type Numbering } from '../numbering';
import { clauseLevel } from '../schema';
import { finding, type Finding } from './findings';
import { captionMentions, checkCaptionReferences, checkFormula } from './formulas-and-captions';
import { BULLET_START, citationsIn, documentKey, forbiddenWord, hasProvisionVerb, TYPED_MARKER, type Citation } from './text';

const SCOPE_START = /^本文件(规定了|确立了|给出了|描述了|界定了|适用于|不适用于)/;
const TERMS_LEAD_INS = [
  /^下列术语和定义适用于本文件。$/,
  /^(GB|GB\/T|GB\/Z|HJ|HJ\/T|DB3\d(\/T)?)\s?[\d.]+(—\d{4})?(、(GB|GB\/T|GB\/Z|HJ|HJ\/T|DB3\d(\/T)?)\s?[\d.]+(—\d{4})?)*界定的术语和定义适用于本文件。$/,
  /^(GB|GB\/T|GB\/Z|HJ|HJ\/T|DB3\d(\/T)?)\s?[\d.]+(—\d{4})?(、(GB|GB\/T|GB\/Z|HJ|HJ\/T|DB3\d(\/T)?)\s?[\d.]+(—\d{4})?)*界定的以及下列术语和定义适用于本文件。$/,
  /^本文件没有需要界定的术语和定义。$/,
];
/** Node types that a finding's clauseId may name. */
const SECTION_TYPES = new Set(['foreword', 'introduction', 'scope', 'normativeReferences', 'termsAndDefinitions', 'chapter', 'annex', 'bibliography', 'clause1', 'clause2', 'clause3', 'clause4', 'clause5']);
const MAX_DEPTH = 5;
/** A number typed in front of a heading or caption that the document generates itself (5.1 / 表1 / 图A.2 / 附录A). */
const TYPED_HEADING_NUMBER = /^\s*(\d+(\.\d+)*|[A-Z](\.\d+)+)[\s\u3000]/;
const TYPED_CAPTION_NUMBER = /^\s*(表|图|附录)\s*[A-Z]?[.\d]*\s*[\u3000\s]/;

function checkTypedNumber(node: NodeJSON | undefined, pattern: RegExp, clauseId: string | null, s: State): void {
  const t = text(node);
  if (!node || !pattern.test(t)) return;
  s.findings.push(
    finding('typed-number', clauseId, { zh: `「${t.slice(0, 16)}」前的编号是手工输入的；章条、图表编号由系统生成，请删除。`, en: `"${t.slice(0, 16)}" starts with a typed number; clause, table and figure numbers are generated — remove it.` }),
  );
}

function text(n: NodeJSON | undefined): string {
  if (!n) return '';
  if (n.type === 'text') return n.text ?? '';
  return (n.content ?? []).map(text).join('');
}

function idOf(n: NodeJSON): string | null {
  const id = n.attrs?.id;
  return typeof id === 'string' && id ? id : null;
}

function isClause(n: NodeJSON): boolean {
  return clauseLevel(n.type) > 0 || /^clause\d+$/.test(n.type);
}

/** Where in the document a node is: for wording rules and for the clause id of a finding. */
interface Where {
  clauseId: string | null;
  /** Inside 1 范围. */
  scope: boolean;
  /** Inside an informative element: 前言, 引言, a note, an example, an informative annex, 参考文献. */
  informative: boolean;
  /** Inside a normative element where requirements are written (chapters 4 …, normative annexes, clauses). */
  provisions: boolean;
}

interface State {
  numbering: Numbering;
  findings: Finding[];
  citations: { citation: Citation; where: Where }[];
  xrefTargets: Set<string>;
  annexMentions: Set<string>;
  /** Table and figure numbers typed in the text (「表3」, 「图A.1」). */
  captionMentions: { tables: Set<string>; figures: Set<string> };
}

function checkParagraphText(t: string, where: Where, s: State, nodeId: string | null): void {
  const word = forbiddenWord(t);
  if (word && where.provisions && !where.informative) {
    s.findings.push(
      finding('forbidden-modal', where.clauseId, { zh: `条款中使用了「${word}」：要求用「应」，推荐用「宜」，允许用「可」。`, en: `"${word}" in a provision: use 应 (shall), 宜 (should) or 可 (may).` }, nodeId),
    );
  }
  if (where.informative && hasProvisionVerb(t)) {
    s.findings.push(
      finding('provision-in-informative', where.clauseId, { zh: '资料性内容（前言、引言、注、示例）中不应包含要求（应/宜/可）。', en: 'Informative text (foreword, introduction, note, example) contains a provision verb (应/宜/可).' }, nodeId),
    );
  }
  for (const c of citationsIn(t)) s.citations.push({ citation: c, where });
  for (const m of t.matchAll(/附录\s?([A-Z])/g)) s.annexMentions.add(m[1]);
  captionMentions(t, s.captionMentions);
}

function walkInline(n: NodeJSON, s: State): void {
  if (n.type === 'xref') {
    const target = String(n.attrs?.target ?? '');
    s.xrefTargets.add(target);
  }
  for (const c of n.content ?? []) walkInline(c, s);
}

function checkList(list: NodeJSON, leadIn: NodeJSON | undefined, where: Where, s: State): void {
  const id = idOf(list);
  const items = (list.content ?? []).map((i) => text((i.content ?? [])[0]).trim());
  const subItems = (list.content ?? []).flatMap((i) => (i.content ?? []).filter((c) => c.type === 'sublist').flatMap((sl) => (sl.content ?? []).map((si) => text(si).trim())));
  for (const t of [...items, ...subItems]) {
    if (BULLET_START.test(t) || TYPED_MARKER.test(t)) {
      s.findings.push(
        finding('list-bullet-character', where.clauseId, { zh: `列项「${t.slice(0, 12)}」以手工输入的符号开头；列项符号只用「——」「·」「a)」「1)」，由系统生成。`, en: `List item "${t.slice(0, 12)}" starts with a typed bullet or marker; markers (——, ·, a), 1)) are generated.` }, id),
      );
      break;
    }
  }
  const lead = leadIn ? text(leadIn).trim() : '';
  if (!leadIn || lead === '') {
    s.findings.push(finding('list-lead-in', where.clauseId, { zh: '列项前应有引语。', en: 'A list needs a lead-in sentence before it.' }, id));
    return;
  }
  const last = items.length - 1;
  const ends = (t: string, chars: string): boolean => chars.includes(t.slice(-1));
  let consistent = true;
  if (lead.endsWith('：')) consistent = items.every((t, i) => (i === last ? ends(t, '。') : ends(t, '；，：')));
  else if (lead.endsWith('。')) consistent = items.every((t) => ends(t, '。'));
  if (!consistent) {
    s.findings.push(
      finding('list-punctuation', where.clauseId, { zh: '列项标点不一致：引语以「：」结束时，各项以「；」结束，最后一项以「。」结束；引语以「。」结束时，各项以「。」结束。', en: 'List punctuation: after a lead-in ending in ：, items end in ； and the last in 。; after a lead-in ending in 。, every item ends in 。.' }, id),
    );
  }
}

/** Blocks of a container: wording, lists, notes, examples, tables, figures. */
function checkBlocks(nodes: readonly NodeJSON[], where: Where, s: State): void {
  let previous: NodeJSON | undefined;
  for (const n of nodes) {
    walkInline(n, s);
    switch (n.type) {
      case 'paragraph':
        checkParagraphText(text(n), where, s, idOf(n));
        break;
      case 'list':
        checkList(n, previous?.type === 'paragraph' ? previous : undefined, where, s);
        for (const item of n.content ?? []) checkParagraphText(text(item), where, s, idOf(item));
        break;
      case 'note':
      case 'example':
        checkBlocks(n.content ?? [], { ...where, informative: true }, s);
        break;
      case 'table':
        checkTypedNumber((n.content ?? []).find((c) => c.type === 'caption'), TYPED_CAPTION_NUMBER, where.clauseId, s);
        for (const c of n.content ?? []) {
          if (c.type === 'note') checkBlocks([c], where, s);
          else if (c.type === 'tableGrid') for (const row of c.content ?? []) for (const cell of row.content ?? []) checkBlocks(cell.content ?? [], where, s);
        }
        break;
      case 'figure':
        checkTypedNumber((n.content ?? []).find((c) => c.type === 'caption'), TYPED_CAPTION_NUMBER, where.clauseId, s);
        checkBlocks((n.content ?? []).filter((c) => c.type === 'note'), where, s);
        break;
      case 'formula':
        for (const c of n.content ?? []) checkParagraphText(text(c), where, s, idOf(n));
        s.findings.push(...checkFormula(n, where.clauseId, s.numbering));
        break;
      default:
        break;
    }
    previous = n;
  }
}

/** A chapter, clause or annex: hanging paragraph, lone sub-clause, depth, mixing, then its content. */
function checkSection(n: NodeJSON, where: Where, depth: number, s: State): void {
  const id = idOf(n);
  const here: Where = { ...where, clauseId: id ?? where.clauseId };
  const heading = (n.content ?? []).find((c) => c.type === 'heading');
  if (heading && text(heading).trim() === '') {
    s.findings.push(finding('empty-heading', here.clauseId, { zh: '标题为空。', en: 'The heading is empty.' }));
  }
  checkTypedNumber(heading, TYPED_HEADING_NUMBER, here.clauseId, s);
  const children = (n.content ?? []).filter((c) => c.type !== 'heading');
  const subs = children.filter(isClause);
  const blocks = children.filter((c) => !isClause(c));
  if (subs.length > 0 && blocks.length > 0 && (heading || n.type === 'chapter' || n.type === 'annex')) {
    s.findings.push(
      finding('hanging-paragraph', here.clauseId, { zh: '悬置段：标题与第一个下级条之间不应有段落，可将其改为无标题条（如“x.1 总则”）。', en: 'Hanging paragraph between the heading and the first sub-clause; make it a sub-clause of its own (e.g. x.1 General).' }, idOf(blocks[0])),
    );
  }
  if (subs.length === 1) {
    s.findings.push(finding('lone-subclause', here.clauseId, { zh: '只有一个下级条：条只有在至少有两个下级条时才能细分。', en: 'A single sub-clause: a clause is divided only into two or more sub-clauses.' }, idOf(subs[0])));
  }
  const titled = subs.filter((c) => (c.content ?? [])[0]?.type === 'heading').length;
  if (titled > 0 && titled < subs.length) {
    s.findings.push(finding('mixed-titled-untitled', here.clauseId, { zh: '同一层次的条应全部有标题或全部无标题。', en: 'Sibling clauses should be all titled or all untitled.' }));
  }
  if (isClause(n) && depth > MAX_DEPTH) {
    s.findings.push(finding('clause-depth', here.clauseId, { zh: `条的层次超过五级（第${depth}级）。`, en: `Clause nested ${depth} levels below the chapter; at most five are allowed.` }));
  }
  checkBlocks(blocks, here, s);
  for (const c of subs) checkSection(c, here, depth + 1, s);
}

function checkScope(n: NodeJSON, s: State): void {
  const id = idOf(n);
  for (const c of n.content ?? []) {
    if (c.type !== 'paragraph') continue;
    const t = text(c).trim();
    if (t === '') continue;
    if (!SCOPE_START.test(t) || hasProvisionVerb(t) || forbiddenWord(t)) {
      s.findings.push(
        finding('scope-wording', id, { zh: '范围只陈述：以「本文件规定了」「本文件适用于」「本文件不适用于」等开头，不含应/宜/可/必须/需要。', en: 'Scope states only: sentences start with 本文件规定了 / 本文件适用于 / 本文件不适用于 and contain no 应/宜/可/必须/需要.' }, idOf(c)),
      );
    }
  }
  const where: Where = { clauseId: id, scope: true, informative: false, provisions: false };
  for (const c of n.content ?? []) walkInline(c, s);
  checkBlocks((n.content ?? []).filter((c) => c.type !== 'paragraph'), where, s);
  for (const c of (n.content ?? []).filter((c) => c.type === 'paragraph')) for (const cit of citationsIn(text(c))) s.citations.push({ citation: cit, where });
}

function checkTerms(n: NodeJSON, s: State): void {
  const id = idOf(n);
  const leadIns = (n.content ?? []).filter((c) => c.type === 'paragraph' && text(c).trim() !== '');
  const entries = (n.content ?? []).filter((c) => c.type === 'termEntry');
  const lead = leadIns.map((c) => text(c).trim()).join('');
  if (leadIns.length > 0 && !TERMS_LEAD_INS.some((r) => r.test(lead))) {
    s.findings.push(
      finding('terms-lead-in', id, { zh: '术语和定义的引导语只能是：「下列术语和定义适用于本文件。」「GB/T ××××界定的术语和定义适用于本文件。」「GB/T ××××界定的以及下列术语和定义适用于本文件。」或「本文件没有需要界定的术语和定义。」', en: 'Chapter 3 lead-in must be one of the four permitted sentences of GB/T 1.1—2020 8.7.' }, idOf(leadIns[0])),
    );
  } else if (entries.length > 0 && /^本文件没有需要界定的术语和定义/.test(lead)) {
    s.findings.push(finding('terms-lead-in', id, { zh: '引导语称没有术语，但本章列出了术语条目。', en: 'The lead-in says there are no terms, yet the chapter lists term entries.' }, idOf(leadIns[0])));
  }
  for (const cit of citationsIn(lead)) s.citations.push({ citation: cit, where: { clauseId: id, scope: false, informative: false, provisions: true } });
  for (const e of entries) {
    const eid = idOf(e);
    walkInline(e, s);
    const def = text((e.content ?? []).find((c) => c.type === 'definition')).trim();
    if (def.startsWith('是') || hasProvisionVerb(def) || def.endsWith('。')) {
      s.findings.push(
        finding('term-definition', eid, { zh: '定义应能替换术语：不以「是」开头，不含应/宜/可，末尾不加句号。', en: 'A definition must be substitutable for the term: not starting with 是, without 应/宜/可, no final full stop.' }),
      );
    }
    checkBlocks((e.content ?? []).filter((c) => c.type === 'note' || c.type === 'example'), { clauseId: eid, scope: false, informative: true, provisions: false }, s);
  }
}

function checkReferences(refs: NodeJSON | undefined, s: State): void {
  const listed = new Map<string, { node: NodeJSON; year: string }>();
  for (const e of refs?.content ?? []) {
    if (e.type !== 'referenceEntry') continue;
    const code = String(e.attrs?.code ?? '').trim();
    const number = String(e.attrs?.number ?? '').trim();
    const year = String(e.attrs?.year ?? '').trim();
    if (!code || !number || (year !== '' && !/^\d{4}$/.test(year)) || text(e).trim() === '') {
      s.findings.push(
        finding('reference-format', idOf(refs!), { zh: `规范性引用文件「${referenceDesignation(e.attrs ?? {})}」格式不完整：应为「代号 编号[—年号]　名称」。`, en: `Normative reference "${referenceDesignation(e.attrs ?? {})}" is incomplete: code, number, optional four-digit year, and title.` }, idOf(e)),
      );
    }
    listed.set(documentKey(code, number), { node: e, year });
  }
  const citedKeys = new Set<string>();
  for (const { citation, where } of s.citations) {
    const key = documentKey(citation.code, citation.number);
    const entry = listed.get(key);
    if (entry) {
      citedKeys.add(key);
      // Dated in chapter 2 but cited undated (or the reverse) is a mismatch too (issue 13 item 8).
      if ((citation.year ?? '') !== entry.year) {
        s.findings.push(
          finding(
            'reference-year-mismatch',
            where.clauseId,
            entry.year
              ? { zh: `引用「${citation.text}」与第2章所列年号（${entry.year}）不一致${citation.year ? '' : '：第2章为注日期引用，正文应同样注明年号'}。`, en: `"${citation.text}" is cited ${citation.year ? 'with another year than' : 'undated while'} chapter 2 lists it dated (${entry.year}).` }
              : { zh: `引用「${citation.text}」注了年号，而第2章所列为不注日期引用。`, en: `"${citation.text}" is cited dated while chapter 2 lists it undated.` },
          ),
        );
      }
      continue;
    }
    if (citation.informative || where.informative || !where.provisions) continue;
    s.findings.push(
      finding('reference-not-listed', where.clauseId, { zh: `规范性引用的文件「${citation.text}」未列入第2章规范性引用文件。`, en: `"${citation.text}" is cited normatively but not listed in chapter 2.` }),
    );
  }
  for (const [key, { node }] of listed) {
    const id = idOf(node);
    if (citedKeys.has(key) || (id && s.xrefTargets.has(id))) continue;
    s.findings.push(
      finding('reference-not-cited', idOf(refs!), { zh: `第2章所列「${referenceDesignation(node.attrs ?? {})}」在正文中未被规范性引用。`, en: `"${referenceDesignation(node.attrs ?? {})}" is listed in chapter 2 but never cited in the text.` }, id),
    );
  }
}

/** Checks a draft against the drafting rules; returns findings in document order of detection. */
export function checkDraft(doc: DocJSON): Finding[] {
  const numbering = computeNumbering(doc);
  const s: State = { numbering, findings: [], citations: [], xrefTargets: new Set(), annexMentions: new Set(), captionMentions: { tables: new Set(), figures: new Set() } };
  let refs: NodeJSON | undefined;
  const annexes: NodeJSON[] = [];
  for (const top of doc.content ?? []) {
    const id = idOf(top);
    switch (top.type) {
      case 'foreword':
      case 'introduction':
        for (const c of top.content ?? []) walkInline(c, s);
        if (top.type === 'introduction') {
          checkSection(top, { clauseId: id, scope: false, informative: true, provisions: false }, 0, s);
        } else {
          checkBlocks(top.content ?? [], { clauseId: id, scope: false, informative: true, provisions: false }, s);
        }
        break;
      case 'scope':
        checkScope(top, s);
        break;
      case 'normativeReferences':
        refs = top;
        break;
      case 'termsAndDefinitions':
        checkTerms(top, s);
        break;
      case 'chapter':
        checkSection(top, { clauseId: id, scope: false, informative: false, provisions: true }, 0, s);
        break;
      case 'annex': {
        annexes.push(top);
        const normative = top.attrs?.kind === 'normative';
        checkSection(top, { clauseId: id, scope: false, informative: !normative, provisions: normative }, 0, s);
        break;
      }
      default:
        break;
    }
  }
  checkReferences(refs, s);
  for (const target of s.xrefTargets) {
    if (!numbering.byId[target]) {
      s.findings.push(finding('dangling-xref', null, { zh: `交叉引用指向不存在的内容（${target}）。`, en: `A cross-reference points to nothing (${target}).` }));
    }
  }
  for (const a of annexes) {
    const id = idOf(a);
    const letter = id ? numbering.byId[id]?.number : undefined;
    if ((id && s.xrefTargets.has(id)) || (letter && s.annexMentions.has(letter))) continue;
    s.findings.push(finding('annex-not-referenced', id, { zh: `正文中没有提及附录${letter ?? ''}。`, en: `Annex ${letter ?? ''} is not referred to from the text.` }));
  }
  s.findings.push(...checkCaptionReferences(doc, numbering, s.xrefTargets, s.captionMentions));
  // Findings inside a section carry its id; attach any without one to the nearest section by id. The same
  // finding at the same place is reported once (a document cited three times in one clause).
  const seen = new Set<string>();
  return s.findings
    .map((f) => (f.clauseId === null && f.nodeId ? { ...f, clauseId: nearestSection(doc, f.nodeId) } : f))
    .filter((f) => {
      const key = `${f.ruleId}|${f.clauseId}|${f.nodeId ?? ''}|${f.message.en}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

function nearestSection(doc: DocJSON, nodeId: string): string | null {
  let found: string | null = null;
  const walk = (n: NodeJSON, section: string | null): boolean => {
    const id = idOf(n);
    const here = SECTION_TYPES.has(n.type) && id ? id : section;
    if (id === nodeId) {
      found = here;
      return true;
    }
    return (n.content ?? []).some((c) => walk(c, here));
  };
  walk(doc, null);
  return found;
}

export { hasBlockingFindings, RULES, type Finding, type RuleId, type Severity } from './findings';
