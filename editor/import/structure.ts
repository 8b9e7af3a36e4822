/* eslint-disable max-lines -- one state machine placing every GB/T 1.1 element (front matter, chapters, clauses, terms, lists, notes, tables, figures, formulas, annexes, 参考文献) shares its placement state; splitting it by element would pass that state through every module. */
// Source blocks of a Word body → the GB/T 1.1 document model. Each paragraph is first given a role from
// the strongest evidence it carries: the official template's style names (matched by name, through
// basedOn), then Heading 1–5 / outline levels, then typed labels (「5.1　」, 「a）」, 「注：」, 「表1　」,
// 「附录A」). A small state machine then places it: front matter, chapters 1–3, chapters and clauses at
// their levels, terms, lists, notes, tables, figures, formulas, annexes, 参考文献. Numbers are never
// taken from the file: the structure decides, and where the file's numbers (numbering definitions or
// typed) disagree, the report says so. Anything that cannot be placed goes to the report with its text.
import type { MarkJSON, NodeJSON } from '../types';
import type { ListKind } from '../schema';
import { clauseTypeAt } from '../schema';
import type { SourceBlock, SourceParagraph, SourceRun, SourceTable } from './reader';
import { keptChangeMark } from './suggestions';
import type { ImportMetadata, Skipped, SkipReason, Unplaced, UnplacedReason, Warning, ElementKind } from './report';

// ---------------------------------------------------------------------------------------------- roles

type Role =
  | { t: 'empty' }
  | { t: 'para' }
  | { t: 'front'; which: 'foreword' | 'introduction' | 'bibliography' | 'toc' }
  | { t: 'heading'; level: number; untitled?: boolean; annex?: boolean; byStyle: boolean }
  | { t: 'annexId' }
  | { t: 'termNumber' }
  | { t: 'termLine' }
  | { t: 'termDefinition' }
  | { t: 'tableCaption' }
  | { t: 'tableContinued' }
  | { t: 'figureCaption' }
  | { t: 'figureImage' }
  | { t: 'note' }
  | { t: 'example' }
  | { t: 'listItem'; level: 1 | 2 | 0 }
  | { t: 'formula' }
  | { t: 'formulaSymbol' }
  | { t: 'reference' }
  | { t: 'bibEntry' }
  | { t: 'toc' }
  | { t: 'bodyTitle' }
  | { t: 'endLine' }
  | { t: 'tableUnit' };

const LEVEL_ZH = ['一', '二', '三', '四', '五'];
const STYLE_ROLES = new Map<string, Role>([
  ['标准文件_章标题', { t: 'heading', level: 0, byStyle: true }],
  ['标准文件_附录标识', { t: 'annexId' }],
  ['标准文件_段', { t: 'para' }],
  ['标准文件_表格', { t: 'para' }],
  ['标准文件_术语', { t: 'termLine' }],
  ['标准文件_术语定义', { t: 'termDefinition' }],
  ['标准文件_正文表标题', { t: 'tableCaption' }],
  ['标准文件_附录表标题', { t: 'tableCaption' }],
  ['标准文件_表格续', { t: 'tableContinued' }],
  ['标准文件_表格单位', { t: 'tableUnit' }],
  ['标准文件_正文图标题', { t: 'figureCaption' }],
  ['标准文件_附录图标题', { t: 'figureCaption' }],
  ['标准文件_图', { t: 'figureImage' }],
  ['标准文件_注：', { t: 'note' }],
  ['标准文件_注×：', { t: 'note' }],
  ['标准文件_示例', { t: 'example' }],
  ['标准文件_示例×：', { t: 'example' }],
  ['标准文件_破折号列项', { t: 'listItem', level: 0 }],
  ['标准文件_字母编号列项（一级）', { t: 'listItem', level: 0 }],
  ['标准文件_数字编号列项（二级）', { t: 'listItem', level: 0 }],
  ['标准文件_正文公式', { t: 'formula' }],
  ['标准文件_式中', { t: 'formulaSymbol' }],
  ['标准文件_规范性引用文件条目', { t: 'reference' }],
  ['标准文件_参考文献条目', { t: 'bibEntry' }],
  ['标准文件_参考文献标题', { t: 'front', which: 'bibliography' }],
  ['标准文件_目录标题', { t: 'front', which: 'toc' }],
  ['标准文件_正文标准名称', { t: 'bodyTitle' }],
  ['标准文件_终结线', { t: 'endLine' }],
]);
LEVEL_ZH.forEach((z, i) => {
  STYLE_ROLES.set(`标准文件_${z}级条标题`, { t: 'heading', level: i + 1, byStyle: true });
  STYLE_ROLES.set(`标准文件_${z}级无标题`, { t: 'heading', level: i + 1, untitled: true, byStyle: true });
  STYLE_ROLES.set(`标准文件_术语条${z}`, { t: 'termNumber' });
});
['附录章标题', '附录一级条标题', '附录二级条标题', '附录三级条标题', '附录四级条标题'].forEach((n, i) =>
  STYLE_ROLES.set(`标准文件_${n}`, { t: 'heading', level: i + 1, annex: true, byStyle: true }),
);
['附录章无标题', '附录一级无标题', '附录二级无标题', '附录三级无标题', '附录四级无标题'].forEach((n, i) =>
  STYLE_ROLES.set(`标准文件_${n}`, { t: 'heading', level: i + 1, untitled: true, annex: true, byStyle: true }),
);

const compact = (s: string): string => s.replace(/[\s\u3000]+/g, '');
const SENTENCE = /[。；;，,：:]/;

const RE = {
  front: /^(前言|引言|参考文献|目次|目录)$/,
  annex: /^附录([A-Z])/,
  annexKind: /^[（(](规范性|资料性)(?:附录)?[)）]$/,
  numbered: /^((?:\d{1,2}|[A-Z])(?:\.\d{1,3}){0,5})(?:[\s\u3000]+|(?=[\u4e00-\u9fff]))(\S[\s\S]*)$/,
  numberOnly: /^((?:\d{1,2}|[A-Z])(?:\.\d{1,3}){1,5})[\s\u3000]*$/,
  letterItem: /^([a-z])[)）][\s\u3000]*/,
  numberItem: /^(\d{1,2})[)）][\s\u3000]*/,
  parenItem: /^[（(](\d{1,2})[)）][\s\u3000]*/,
  dashItem: /^(——|－－|--|—)[\s\u3000]*/,
  dotItem: /^[·•●▪◆■][\s\u3000]*/,
  note: /^注\s*(\d*)\s*[：:][\s\u3000]*/,
  example: /^示例\s*(\d*)\s*[：:][\s\u3000]*/,
  tableCaption: /^表\s*((?:[A-Z]\.)?\d{1,3})(?:[\s\u3000]+|$)/,
  tableContinued: /^表\s*((?:[A-Z]\.)?\d{1,3})\s*[（(]续[)）]\s*$/,
  figureCaption: /^图\s*((?:[A-Z]\.)?\d{1,3})(?:[\s\u3000]+|$)/,
  where: /^式中\s*[：:][\s\u3000]*/,
  symbol: /^([^\s——]{1,24}?)[\s\u3000]*——[\s\u3000]*/,
  source: /^[[【]来源[：:]([\s\S]*)[\]】]$/,
  bib: /^[[［](\d+)[\]］][\s\u3000]*/,
  formulaNumber: /[\s\u3000\t]*[（(]((?:[A-Z]\.)?\d{1,3})[)）]\s*$/,
  unit: /^单位为/,
  reference: /^((?:GB|GB\/T|GB\/Z|HJ|HJ\/T|HJ\/Z|DB\d{2,6}(?:\/T)?|JJG|JJF|CJJ|CJ|SL|DZ\/T|QX\/T|ISO|IEC|ISO\/IEC|EN|[A-Z]{1,5}(?:\/[A-Z])?))[\s\u3000]*([\d.]+(?:[-.]\d+)*)(?:\s*[—–\-:：]\s*(\d{4}))?[\s\u3000]+(\S[\s\S]*)$/,
};

const isHeadingStyle = (name: string): number | null => {
  const m = /^(?:heading|标题)\s*([1-9])$/i.exec(name.trim());
  return m ? Number(m[1]) - 1 : null;
};

interface Classified {
  role: Role;
  /** The label text that was removed from the paragraph's text (typed number, 注：, a) …). */
  stripped: number;
  /** Number shown by the file (numbering definitions or typed), e.g. '5.1', 'A', '1', 'A.2'. */
  sourceNumber?: string;
  /** For list items. */
  listKind?: ListKind;
}

function styleRole(p: SourceParagraph): Role | null {
  for (const name of p.styleNames) {
    const r = STYLE_ROLES.get(name);
    if (r) return r;
    if (name === '标准文件_前言、引言标题') return { t: 'front', which: frontOf(p.text) ?? 'foreword' };
    if (/^toc\s*\d$/i.test(name) || /^目录\s*\d$/.test(name)) return { t: 'toc' };
    const h = isHeadingStyle(name);
    if (h !== null) return { t: 'heading', level: h, byStyle: true };
    if (/^title$/i.test(name)) return { t: 'bodyTitle' };
  }
  return null;
}

function frontOf(text: string): 'foreword' | 'introduction' | 'bibliography' | 'toc' | null {
  const t = compact(text);
  if (t === '前言') return 'foreword';
  if (t === '引言') return 'introduction';
  if (t === '参考文献') return 'bibliography';
  if (t === '目次' || t === '目录') return 'toc';
  return null;
}

function numberLabel(p: SourceParagraph): string | undefined {
  const l = p.numbering?.label.replace(/[\s\u3000]+$/, '');
  return l || undefined;
}

function listKindOf(p: SourceParagraph): ListKind {
  const f = p.numbering?.format;
  if (f === 'lowerLetter' || f === 'upperLetter') return 'letter';
  if (f === 'bullet' || f === 'none' || !f) return 'dash';
  return 'number';
}

/** Decides the role of a paragraph. `inTerms` / `inAnnex` only change how typed numbers are read. */
function classify(p: SourceParagraph, ctx: { inTerms: boolean; inAnnex: boolean; inList: boolean; afterWhere: boolean }): Classified {
  const text = p.text;
  const trimmed = text.replace(/^[\s\u3000]+/, '');
  const lead = text.length - trimmed.length;
  const byStyle = styleRole(p);
  // An empty paragraph is nothing, unless its style numbers it (a term number 3.1 printed by Word alone).
  if (trimmed.trim() === '' && p.images.length === 0 && !(byStyle?.t === 'termNumber' || (byStyle?.t === 'heading' && byStyle.untitled))) return { role: { t: 'empty' }, stripped: 0 };
  const label = numberLabel(p);
  const front = frontOf(text);
  if (front && (!byStyle || byStyle.t === 'para' || byStyle.t === 'front' || byStyle.t === 'heading' || byStyle.t === 'bodyTitle')) return { role: { t: 'front', which: front }, stripped: 0 };
  if (byStyle && byStyle.t !== 'para' && byStyle.t !== 'heading') {
    if (byStyle.t === 'annexId') return { role: byStyle, stripped: 0, sourceNumber: label?.replace(/^附录/, '') };
    if (byStyle.t === 'note' || byStyle.t === 'example') {
      const m = (byStyle.t === 'note' ? RE.note : RE.example).exec(trimmed);
      return { role: byStyle, stripped: m ? lead + m[0].length : 0 };
    }
    if (byStyle.t === 'listItem') return { role: { t: 'listItem', level: p.numbering && p.numbering.ilvl > 0 ? 2 : 1 }, stripped: 0, listKind: listKindOf(p) };
    if (byStyle.t === 'tableCaption' || byStyle.t === 'figureCaption') {
      const m = (byStyle.t === 'tableCaption' ? RE.tableCaption : RE.figureCaption).exec(trimmed);
      const n = label?.replace(/^[表图]/, '') ?? m?.[1];
      return { role: byStyle, stripped: m ? lead + m[0].length : 0, sourceNumber: n };
    }
    if (byStyle.t === 'termNumber') {
      const m = /^(\d+(?:\.\d+)+)[\s\u3000]*/.exec(trimmed);
      return { role: byStyle, stripped: m ? lead + m[0].length : 0, sourceNumber: label ?? m?.[1] };
    }
    if (byStyle.t === 'bibEntry') {
      const m = RE.bib.exec(trimmed);
      return { role: byStyle, stripped: m ? lead + m[0].length : 0, sourceNumber: label ?? m?.[1] };
    }
    return { role: byStyle, stripped: 0 };
  }
  // Typed labels (also inside 段 paragraphs: drafters type 「注：」 in body text styles).
  const annex = RE.annex.exec(compact(trimmed));
  if (annex && (byStyle?.t === 'heading' || p.centered || compact(trimmed).length < 60 || /附\s*录\s*[A-Z]\s*\n/.test(trimmed))) return { role: { t: 'annexId' }, stripped: 0, sourceNumber: annex[1] };
  if (RE.annexKind.test(compact(trimmed))) return { role: { t: 'annexId' }, stripped: 0 };
  if (byStyle?.t === 'heading') {
    const m = RE.numbered.exec(trimmed) ?? RE.numberOnly.exec(trimmed);
    const src = label ?? m?.[1];
    return { role: byStyle, stripped: m && m[1] ? lead + trimmed.length - (m[2] ?? '').length : 0, sourceNumber: src };
  }
  // A paragraph numbered by a dotted multilevel list without a recognised style: the number is its level.
  if (label && /^(?:\d+|[A-Z])(?:\.\d+)+$/.test(label) && !ctx.inTerms) {
    const level = label.split('.').length - 1;
    return { role: { t: 'heading', level, untitled: SENTENCE.test(trimmed) || trimmed.length > 40, byStyle: false }, stripped: 0, sourceNumber: label };
  }
  if (p.numbering && p.numbering.format !== 'decimal' || (p.numbering && label && /\)$|）$/.test(label))) {
    return { role: { t: 'listItem', level: p.numbering.ilvl > 0 ? 2 : 1 }, stripped: 0, listKind: listKindOf(p) };
  }
  let m: RegExpExecArray | null;
  if ((m = RE.tableContinued.exec(trimmed))) return { role: { t: 'tableContinued' }, stripped: lead + m[0].length, sourceNumber: m[1] };
  if ((m = RE.tableCaption.exec(trimmed)) && !SENTENCE.test(trimmed.slice(m[0].length, 40))) return { role: { t: 'tableCaption' }, stripped: lead + m[0].length, sourceNumber: m[1] };
  if ((m = RE.figureCaption.exec(trimmed)) && !SENTENCE.test(trimmed.slice(m[0].length, 40))) return { role: { t: 'figureCaption' }, stripped: lead + m[0].length, sourceNumber: m[1] };
  if ((m = RE.note.exec(trimmed))) return { role: { t: 'note' }, stripped: lead + m[0].length };
  if ((m = RE.example.exec(trimmed))) return { role: { t: 'example' }, stripped: lead + m[0].length };
  if ((m = RE.where.exec(trimmed))) return { role: { t: 'formulaSymbol' }, stripped: lead + m[0].length };
  if (ctx.afterWhere && RE.symbol.test(trimmed)) return { role: { t: 'formulaSymbol' }, stripped: lead };
  if ((m = RE.letterItem.exec(trimmed))) return { role: { t: 'listItem', level: 1 }, stripped: lead + m[0].length, listKind: 'letter' };
  if ((m = RE.numberItem.exec(trimmed))) return { role: { t: 'listItem', level: ctx.inList ? 2 : 1 }, stripped: lead + m[0].length, listKind: 'number' };
  if ((m = RE.parenItem.exec(trimmed)) && ctx.inList) return { role: { t: 'listItem', level: 2 }, stripped: lead + m[0].length, listKind: 'number' };
  if ((m = RE.dashItem.exec(trimmed))) return { role: { t: 'listItem', level: 1 }, stripped: lead + m[0].length, listKind: 'dash' };
  if ((m = RE.dotItem.exec(trimmed))) return { role: { t: 'listItem', level: ctx.inList ? 2 : 1 }, stripped: lead + m[0].length, listKind: 'dash' };
  if (p.math.length === 0 && isTypedFormula(p.text)) return { role: { t: 'formula' }, stripped: 0 };
  if (p.math.length > 0 && compact(trimmed.replace(RE.formulaNumber, '')) === compact(p.math.map((r) => r.map((x) => x.text).join('')).join(''))) return { role: { t: 'formula' }, stripped: 0 };
  if (RE.unit.test(trimmed) && trimmed.length < 20) return { role: { t: 'tableUnit' }, stripped: 0 };
  if ((m = RE.numberOnly.exec(trimmed))) return { role: ctx.inTerms ? { t: 'termNumber' } : { t: 'heading', level: m[1].split('.').length - 1, untitled: true, byStyle: false }, stripped: lead + m[0].length, sourceNumber: m[1] };
  const bold = p.runs.length > 0 && p.runs.every((r) => r.bold || r.text.trim() === '');
  if ((m = RE.numbered.exec(trimmed))) {
    const number = m[1];
    const rest = m[2];
    const dotted = number.includes('.');
    const letter = /^[A-Z]/.test(number);
    const titleLike = !SENTENCE.test(rest) && rest.length <= 40 && !rest.includes('\n');
    if ((dotted || bold || titleLike) && (!letter || dotted) && (dotted || (bold || titleLike) && Number(number) <= 40)) {
      if (ctx.inTerms && dotted && number.split('.').length === 2) return { role: { t: 'termNumber' }, stripped: lead + number.length, sourceNumber: number };
      const level = number.split('.').length - 1;
      return { role: { t: 'heading', level, untitled: !(bold || titleLike), byStyle: false }, stripped: lead + trimmed.length - rest.length, sourceNumber: number };
    }
  }
  if (p.images.length > 0 && compact(trimmed) === '') return { role: { t: 'figureImage' }, stripped: 0 };
  return { role: byStyle ?? { t: 'para' }, stripped: 0 };
}

/** A formula typed as text (no equation object): 「<tab>ρ = m / V<tab>(1)」 — a relation, no Chinese, its number after a tab or spaces. */
function isTypedFormula(text: string): boolean {
  const num = RE.formulaNumber.exec(text);
  if (!num || !/(\t|[ \u3000]{2,})[\s\u3000]*[（(][^（(]*$/.test(text)) return false;
  const body = text.slice(0, num.index).trim();
  return body.length > 0 && body.length <= 200 && /[=＝<>≤≥≈]/.test(body) && !/[\u4e00-\u9fff]/.test(body);
}

// ---------------------------------------------------------------------------------------------- build

export interface BuildResult {
  doc: NodeJSON & { type: 'doc'; content: NodeJSON[] };
  unplaced: Unplaced[];
  skipped: Skipped[];
  warnings: Warning[];
  metadata: ImportMetadata;
  /** Numbers shown by the file for nodes of the model (by node object), checked after numbering. */
  sourceNumbers: Map<NodeJSON, { kind: ElementKind; number: string }>;
  /** Label text removed from paragraphs (typed numbers, 注：, a) …): the structure gives them back. */
  strippedLabels: string[];
  /** True when at least one chapter heading was recognised. */
  hasStructure: boolean;
}

const UNPLACED_TEXT: Record<UnplacedReason, { zh: string; en: string }> = {
  noPlaceInModel: { zh: '文档模型中没有此类内容的位置', en: 'the document model has no place for this content' },
  outsideStructure: { zh: '位于可识别的结构之外', en: 'outside any recognised structure' },
  notAReference: { zh: '不是可识别的规范性引用文件条目', en: 'not a recognisable normative reference entry' },
  tableUnit: { zh: '表的单位行在文档模型中没有位置，请写入表题或表注', en: 'a table unit line has no place in the model; put it in the title or a table note' },
  nestedTable: { zh: '嵌套表格无法表示，内容已列出', en: 'nested tables cannot be represented; their text is listed' },
  notAllowedHere: { zh: '此位置不允许此类内容（如前言中的表、图、公式）', en: 'this kind of content is not allowed here (e.g. a table, figure or formula in the 前言)' },
  imageNotPicture: { zh: '图片格式无法显示（仅支持 PNG、JPEG、GIF）', en: 'picture format cannot be shown (PNG, JPEG and GIF only)' },
};

function toInline(runs: readonly SourceRun[], opts: { dropBold?: boolean } = {}): NodeJSON[] {
  const out: NodeJSON[] = [];
  for (const r of runs) {
    const text = r.text.replace(/[\t\n\r]+/g, ' ');
    if (!text) continue;
    const marks: MarkJSON[] = r.marks.filter((m) => !(opts.dropBold && m === 'strong')).map((type) => ({ type }));
    // A tracked change kept as a suggestion (editor/import/suggestions.ts completes and checks it).
    if (r.change) marks.push(keptChangeMark(r.change));
    const last = out[out.length - 1];
    const same = last && JSON.stringify(last.marks ?? []) === JSON.stringify(marks);
    if (same && last.text !== undefined) last.text += text;
    else out.push(marks.length ? { type: 'text', text, marks } : { type: 'text', text });
  }
  return out;
}

/** Runs with the first `n` characters removed (labels), and trimmed of surrounding whitespace. */
function sliceRuns(runs: readonly SourceRun[], start: number, end?: number): SourceRun[] {
  const out: SourceRun[] = [];
  let pos = 0;
  for (const r of runs) {
    const a = Math.max(0, start - pos);
    const b = end === undefined ? r.text.length : Math.min(r.text.length, end - pos);
    if (b > a) out.push({ ...r, text: r.text.slice(a, b) });
    pos += r.text.length;
  }
  // Trim surrounding whitespace (the gap after a number, leading tabs of formulas).
  while (out.length && out[0].text.replace(/^[\s\u3000]+/, '') === '') out.shift();
  if (out.length) out[0] = { ...out[0], text: out[0].text.replace(/^[\s\u3000]+/, '') };
  while (out.length && out[out.length - 1].text.replace(/[\s\u3000]+$/, '') === '') out.pop();
  if (out.length) out[out.length - 1] = { ...out[out.length - 1], text: out[out.length - 1].text.replace(/[\s\u3000]+$/, '') };
  return out;
}

const plain = (runs: readonly SourceRun[]): string => runs.map((r) => r.text).join('');

export function buildModel(blocks: readonly SourceBlock[], makeId: () => string): BuildResult {
  const unplaced: Unplaced[] = [];
  const skipped: Skipped[] = [];
  const warnings: Warning[] = [];
  const metadata: ImportMetadata = { numbers: [] };
  const sourceNumbers = new Map<NodeJSON, { kind: ElementKind; number: string }>();
  const strippedLabels: string[] = [];

  const node = (type: NodeJSON['type'], content: NodeJSON[] = [], attrs: Record<string, unknown> = {}): NodeJSON => {
    const withId = ['heading', 'caption', 'tableGrid', 'tableRow', 'tableCell', 'tableHeader', 'formulaText', 'formulaSymbol', 'term', 'termEnglish', 'termAbbreviation', 'definition', 'termSource'].includes(type)
      ? attrs
      : { id: makeId(), ...attrs };
    const n: NodeJSON = { type };
    if (Object.keys(withId).length) n.attrs = withId;
    n.content = content;
    return n;
  };
  const para = (inline: NodeJSON[]): NodeJSON => node('paragraph', inline);
  const skip = (p: SourceParagraph, reason: SkipReason): void => {
    if (p.text.trim()) skipped.push({ index: p.index, text: p.text, reason });
  };
  const lose = (index: number, text: string, reason: UnplacedReason): void => {
    if (text.trim()) unplaced.push({ index, text, reason, ...UNPLACED_TEXT[reason] });
  };
  const warn = (index: number | undefined, zh: string, en: string): void => {
    warnings.push({ ...(index === undefined ? {} : { index }), zh, en });
  };

  // Top-level parts.
  let foreword: NodeJSON | null = null;
  let introduction: NodeJSON | null = null;
  let scope: NodeJSON | null = null;
  let refs: NodeJSON | null = null;
  let terms: NodeJSON | null = null;
  const rest: NodeJSON[] = [];
  let hasStructure = false;

  type Section = 'cover' | 'toc' | 'foreword' | 'introduction' | 'body' | 'bibliography';
  // The cover is whatever precedes the first anchor (目次, 前言, 引言 or a chapter heading), if any.
  const firstAnchor = blocks.findIndex((b) => {
    if (b.kind !== 'p') return false;
    const c = classify(b, { inTerms: false, inAnnex: false, inList: false, afterWhere: false });
    return c.role.t === 'front' || (c.role.t === 'heading' && c.role.level === 0 && !c.role.untitled);
  });
  let section: Section = firstAnchor > 0 ? 'cover' : 'body';
  /** Open containers: [top-level node, clause1, clause2 …]; in 术语和定义 the open termEntry is tracked apart. */
  let stack: NodeJSON[] = [];
  let inAnnex = false;
  let annexPending: { node: NodeJSON; kind: boolean; title: boolean } | null = null;
  const annexesWithoutKind = new Map<NodeJSON, number>();
  let lastList: NodeJSON | null = null;
  let lastListKind: ListKind | null = null;
  let lastListNumId: string | null = null;
  let lastAside: NodeJSON | null = null;
  let lastFormula: NodeJSON | null = null;
  let afterWhere = false;
  let openFigure: NodeJSON | null = null;
  let pendingCaption: { runs: SourceRun[]; number?: string; index: number } | null = null;
  let lastTable: NodeJSON | null = null;
  let continuation = false;
  let term: { entry: NodeJSON; stage: 'term' | 'definition' | 'after'; parts: Record<string, NodeJSON> } | null = null;

  const resetFlow = (): void => {
    lastList = null;
    lastListKind = null;
    lastListNumId = null;
    lastAside = null;
    lastFormula = null;
    afterWhere = false;
    openFigure = null;
  };

  const top = (): NodeJSON | null => stack[stack.length - 1] ?? null;

  const ensureFixed = (upTo: 'scope' | 'refs' | 'terms', index: number, own = false): void => {
    if (!scope) {
      scope = node('scope');
      if (!own || upTo !== 'scope') warn(index, '未找到“1 范围”，已建立空的范围章。', 'No “1 范围” chapter found; an empty one was created.');
    }
    if (upTo === 'scope') return;
    if (!refs) {
      refs = node('normativeReferences');
      if (!own || upTo !== 'refs') warn(index, '未找到“2 规范性引用文件”，已建立空章。', 'No “2 规范性引用文件” chapter found; an empty one was created.');
    }
    if (upTo === 'refs') return;
    if (!terms) {
      terms = node('termsAndDefinitions');
      if (!own) warn(index, '未找到“3 术语和定义”，已建立空章。', 'No “3 术语和定义” chapter found; an empty one was created.');
    }
  };

  const add = (container: NodeJSON, n: NodeJSON): void => {
    (container.content ??= []).push(n);
  };

  /** Whether `container` may hold a block of `type`. */
  const allows = (container: NodeJSON, type: string): boolean => {
    switch (container.type) {
      case 'foreword':
        return type === 'paragraph' || type === 'list';
      case 'scope':
        return type === 'paragraph' || type === 'list' || type === 'note';
      case 'normativeReferences':
      case 'bibliography':
        return false;
      case 'termsAndDefinitions':
        return type === 'paragraph';
      case 'note':
      case 'example':
        return type === 'paragraph' || type === 'list';
      default:
        return true;
    }
  };

  /** Places a block in the current container, or reports it. */
  const place = (n: NodeJSON, p: { index: number; text: string }): boolean => {
    if (term && (n.type === 'note' || n.type === 'example')) {
      addToTerm(n.type, n, p.index);
      return true;
    }
    const c = top();
    if (!c) {
      lose(p.index, p.text, 'outsideStructure');
      return false;
    }
    if (!allows(c, n.type)) {
      if (term && n.type === 'paragraph') {
        addToTerm('paragraph', n, p.index);
        return true;
      }
      if (n.type === 'note' && c.type === 'foreword') {
        add(c, para([{ type: 'text', text: `注：${textOfNode(n)}` }]));
        return true;
      }
      lose(p.index, p.text, c.type === 'normativeReferences' ? 'notAReference' : 'notAllowedHere');
      return false;
    }
    add(c, n);
    return true;
  };

  const addToTerm = (kind: 'note' | 'example' | 'paragraph', n: NodeJSON, index: number): void => {
    if (!term) return;
    if (kind === 'paragraph') {
      // A second definition paragraph: kept, joined to the definition.
      const def = term.parts.definition;
      if (term.stage === 'definition') {
        def.content = n.content ?? [];
        term.stage = 'after';
        return;
      }
      def.content = [...(def.content ?? []), { type: 'text', text: ' ' }, ...(n.content ?? [])];
      warn(index, '术语条目定义后的段落已并入定义。', 'A paragraph after a term definition was joined to the definition.');
      return;
    }
    term.stage = 'after';
    const list = kind === 'note' ? 'notes' : 'examples';
    (term.parts[list].content ??= []).push(n);
  };

  const finishTerm = (): void => {
    if (!term) return;
    const { parts, entry } = term;
    entry.content = [parts.term, parts.termEnglish, ...(textOfNode(parts.termAbbreviation) ? [parts.termAbbreviation] : []), parts.definition, ...(parts.examples.content ?? []), ...(parts.notes.content ?? []), ...(textOfNode(parts.termSource) ? [parts.termSource] : [])];
    term = null;
  };

  const startTerm = (p: SourceParagraph, number: string | undefined, rest: SourceRun[]): void => {
    finishTerm();
    if (!terms) ensureFixed('terms', p.index);
    const entry = node('termEntry');
    add(terms as unknown as NodeJSON, entry);
    if (number) sourceNumbers.set(entry, { kind: 'term', number });
    term = {
      entry,
      stage: 'term',
      parts: { term: node('term'), termEnglish: node('termEnglish'), termAbbreviation: node('termAbbreviation'), definition: node('definition'), termSource: node('termSource'), notes: node('note'), examples: node('note') },
    };
    if (plain(rest).trim()) termLine(rest);
  };

  const termLine = (runs: SourceRun[]): void => {
    if (!term) return;
    const text = plain(runs);
    // 「监测点位　monitoring site; ABBR」: the term, then the English equivalent after the gap.
    let cut = text.indexOf('\u3000');
    if (cut < 0) {
      const m = /[A-Za-z]/.exec(text);
      cut = m ? m.index : text.length;
    }
    const zh = sliceRuns(runs, 0, cut);
    let en = sliceRuns(runs, cut);
    let abbr: SourceRun[] = [];
    const enText = plain(en);
    const semi = enText.lastIndexOf(';');
    if (semi > 0) {
      strippedLabels.push(';');
      abbr = sliceRuns(en, semi + 1);
      en = sliceRuns(en, 0, semi);
    }
    term.parts.term.content = toInline(zh, { dropBold: true });
    term.parts.termEnglish.content = toInline(en, { dropBold: true });
    term.parts.termAbbreviation.content = toInline(abbr, { dropBold: true });
    term.stage = 'definition';
  };

  /** Closes containers down to `depth` (0 = the top-level node). */
  const popTo = (depth: number): void => {
    stack = stack.slice(0, depth + 1);
  };

  const startTopLevel = (n: NodeJSON, s: Section): void => {
    finishTerm();
    resetFlow();
    pendingCaption = null;
    lastTable = null;
    annexPending = null;
    section = s;
    stack = [n];
  };

  const heading = (p: SourceParagraph, c: Classified, role: Extract<Role, { t: 'heading' }>): void => {
    const body = sliceRuns(p.runs, c.stripped);
    if (c.stripped > 0) strippedLabels.push(p.text.slice(0, c.stripped));
    let level = role.level;
    // Heading N styles inside an annex announced by a Heading 1 (附录A): A.1 is Heading 2 → clause level 1.
    if (role.level === 0 && section === 'body' && inAnnex && role.byStyle && !role.annex && c.sourceNumber && /^[A-Z]\./.test(c.sourceNumber)) level = c.sourceNumber.split('.').length - 1;
    const titleText = compact(plain(body));
    if (level === 0 && ['范围', '规范性引用文件', '术语和定义', '术语与定义'].includes(titleText)) strippedLabels.push(plain(body));
    if (level === 0) {
      hasStructure = true;
      if (section === 'cover' || section === 'toc' || section === 'foreword' || section === 'introduction' || section === 'bibliography') section = 'body';
      inAnnex = false;
      if (titleText === '范围' && !scope) {
        ensureFixed('scope', p.index, true);
        startTopLevel(scope as unknown as NodeJSON, 'body');
      } else if (titleText === '规范性引用文件' && !refs) {
        ensureFixed('refs', p.index, true);
        startTopLevel(refs as unknown as NodeJSON, 'body');
      } else if ((titleText === '术语和定义' || titleText === '术语与定义') && !terms) {
        ensureFixed('terms', p.index, true);
        startTopLevel(terms as unknown as NodeJSON, 'body');
      } else {
        ensureFixed('terms', p.index);
        const ch = node('chapter', [node('heading', toInline(body, { dropBold: true }))]);
        rest.push(ch);
        startTopLevel(ch, 'body');
        if (c.sourceNumber) sourceNumbers.set(ch, { kind: 'chapter', number: c.sourceNumber });
        return;
      }
      if (c.sourceNumber) sourceNumbers.set(stack[0], { kind: 'chapter', number: c.sourceNumber });
      return;
    }
    // A clause.
    if (stack.length === 0 || stack[0].type === 'foreword' || stack[0].type === 'bibliography' || stack[0].type === 'normativeReferences') {
      if (stack[0]?.type === 'normativeReferences' || stack.length === 0) {
        lose(p.index, p.text, 'outsideStructure');
        return;
      }
    }
    if (stack[0].type === 'termsAndDefinitions') {
      // In 术语和定义 a numbered title is a term entry (3.1 术语　English).
      startTerm(p, c.sourceNumber, body);
      return;
    }
    if (stack[0].type === 'scope') {
      warn(p.index, '范围章不分条，条标题作为段落保留。', 'The 范围 chapter has no clauses; the clause is kept as a paragraph.');
      add(stack[0], para(toInline(p.runs)));
      return;
    }
    resetFlow();
    pendingCaption = null;
    let depth = Math.min(level, stack.length);
    if (depth > 5) depth = 5;
    if (depth < level) warn(p.index, `条的层级跳跃（${c.sourceNumber ?? ''}），已按上一级的下一层处理。`, `Clause level skipped (${c.sourceNumber ?? ''}); placed one level below its parent.`);
    popTo(depth - 1);
    const type = clauseTypeAt(depth);
    if (!type) return;
    const untitled = role.untitled === true;
    const clause = untitled ? node(type, [para(toInline(body))]) : node(type, [node('heading', toInline(body, { dropBold: true }))]);
    add(stack[stack.length - 1], clause);
    stack.push(clause);
    if (c.sourceNumber) sourceNumbers.set(clause, { kind: 'clause', number: c.sourceNumber });
  };

  const startAnnex = (p: SourceParagraph, c: Classified): void => {
    ensureFixed('terms', p.index);
    hasStructure = true;
    const lines = p.text.split('\n').map((l) => l.trim()).filter(Boolean);
    let kind: 'normative' | 'informative' | null = null;
    const titleParts: string[] = [];
    for (const line of lines) {
      const cl = compact(line);
      const head = /^附录[A-Z]/.exec(cl);
      let restText = head ? line.replace(/^附[\s\u3000]*录[\s\u3000]*[A-Z]/, '').trim() : line;
      const k = /[（(](规范性|资料性)(?:附录)?[)）]/.exec(restText);
      if (k) {
        kind = k[1] === '规范性' ? 'normative' : 'informative';
        restText = restText.replace(k[0], '').trim();
      }
      if (restText) titleParts.push(restText);
    }
    if (c.sourceNumber || /附录/.test(p.text)) strippedLabels.push(`附录${c.sourceNumber ?? ''}${kind === 'normative' ? '（规范性）' : kind === 'informative' ? '（资料性）' : ''}`);
    // Only the qualifier line of an annex whose 附录X was on its own paragraph.
    if (!/附录/.test(compact(p.text)) && annexPending && kind) {
      strippedLabels.push(p.text);
      annexPending.node.attrs = { ...annexPending.node.attrs, kind };
      annexPending.kind = true;
      annexesWithoutKind.delete(annexPending.node);
      return;
    }
    const annex = node('annex', [node('heading', titleParts.length ? [{ type: 'text', text: titleParts.join(' ') }] : [])], { kind: kind ?? 'informative' });
    rest.push(annex);
    startTopLevel(annex, 'body');
    inAnnex = true;
    if (c.sourceNumber) sourceNumbers.set(annex, { kind: 'annex', number: c.sourceNumber });
    annexPending = { node: annex, kind: kind !== null, title: titleParts.length > 0 };
    if (!kind) annexesWithoutKind.set(annex, p.index);
  };

  const listItem = (p: SourceParagraph, c: Classified, level: 1 | 2): void => {
    const runs = sliceRuns(p.runs, c.stripped);
    if (c.stripped > 0) strippedLabels.push(p.text.slice(0, c.stripped));
    const kind = c.listKind ?? 'dash';
    const numId = p.numbering?.numId ?? null;
    const item = node('listItem', [para(toInline(runs))]);
    // A second-level item joins the last item of the open list.
    const open: NodeJSON | null = lastList;
    if (level === 2 && open) {
      const lastItem = open.content?.[open.content.length - 1];
      if (lastItem) {
        let sub = lastItem.content?.find((x) => x.type === 'sublist');
        if (!sub) {
          sub = node('sublist', [], { kind });
          add(lastItem, sub);
        }
        add(sub, node('sublistItem', [para(toInline(runs))]));
        return;
      }
    }
    const continues = open !== null && lastListKind === kind && (numId === null || lastListNumId === null || numId === lastListNumId);
    if (continues && open) {
      add(open, item);
      return;
    }
    const list = node('list', [item], { kind });
    // A list right after a note's paragraph in the note's small type belongs to the note.
    const aside: NodeJSON | null = lastAside;
    if (aside && p.runs.some((r) => r.size !== undefined && r.size <= 18)) add(aside, list);
    else if (!place(list, p)) return;
    lastList = list;
    lastListKind = kind;
    lastListNumId = numId;
  };

  const makeTable = (t: SourceTable): { grid: NodeJSON; notes: NodeJSON[] } => {
    const rows: NodeJSON[] = [];
    const notes: NodeJSON[] = [];
    t.rows.forEach((r, ri) => {
      // A last row of one full-width cell holding only notes is the table's notes (the generator puts them there).
      if (ri === t.rows.length - 1 && ri > 0 && r.cells.length === 1 && r.cells[0].colspan === t.columns && t.columns > 1) {
        const ps = r.cells[0].blocks.filter((b): b is SourceParagraph => b.kind === 'p' && b.text.trim() !== '');
        if (ps.length > 0 && ps.every((b) => { const cl = classify(b, { inTerms: false, inAnnex, inList: false, afterWhere: false }); return cl.role.t === 'note'; })) {
          let current: NodeJSON | null = null;
          for (const b of ps) {
            const cl = classify(b, { inTerms: false, inAnnex, inList: false, afterWhere: false });
            const labelled = cl.stripped > 0 || b.numbering !== null;
            if (cl.stripped > 0) strippedLabels.push(b.text.slice(0, cl.stripped));
            const np = para(toInline(sliceRuns(b.runs, cl.stripped)));
            if (!current || labelled) {
              current = node('note', [np]);
              notes.push(current);
            } else add(current, np);
          }
          return;
        }
      }
      const cells = r.cells.map((cell) => {
        const paras: NodeJSON[] = [];
        for (const b of cell.blocks) {
          if (b.kind === 'p') {
            if (b.images.length > 0) for (const img of b.images) lose(b.index, `[图片 ${img.alt}]`, 'noPlaceInModel');
            paras.push(para(toInline(b.runs)));
          } else {
            lose(b.index, tableText(b), 'nestedTable');
          }
        }
        if (paras.length === 0) paras.push(para([]));
        return node(r.header ? 'tableHeader' : 'tableCell', paras, { colspan: cell.colspan, rowspan: cell.rowspan, colwidth: null });
      });
      rows.push(node('tableRow', cells));
    });
    return { grid: node('tableGrid', rows), notes };
  };

  const table = (t: SourceTable): void => {
    if (section === 'cover' || section === 'toc') {
      for (const b of flatParagraphs(t)) {
        if (section === 'cover') coverLine(b, metadata);
        skip(b, section === 'cover' ? 'cover' : 'toc');
      }
      return;
    }
    const { grid, notes } = makeTable(t);
    if ((grid.content ?? []).length === 0) {
      for (const n of notes) lose(t.index, textOfNode(n), 'noPlaceInModel');
      return;
    }
    if (continuation && lastTable) {
      // 表N（续）: drop the repeated header rows and append the rest to the table it continues.
      const prevGrid = lastTable.content?.find((x) => x.type === 'tableGrid');
      const headerRows = (prevGrid?.content ?? []).filter((r) => (r.content ?? []).every((x) => x.type === 'tableHeader') && (r.content ?? []).length > 0).length;
      const newRows = grid.content ?? [];
      const prevRows = prevGrid?.content ?? [];
      // Header rows without Word's mark: the rows repeated at the top of the continuation are the header.
      const repeatable = headerRows > 0 ? headerRows : Math.min(3, prevRows.length - 1);
      const prevHeaders = prevRows.slice(0, repeatable).map(textOfNode);
      let drop = 0;
      while (drop < repeatable && drop < newRows.length && textOfNode(newRows[drop]) === prevHeaders[drop] && prevHeaders[drop] !== '') {
        strippedLabels.push(prevHeaders[drop]);
        drop++;
      }
      if (headerRows === 0) for (const r of prevRows.slice(0, drop)) for (const cell of r.content ?? []) cell.type = 'tableHeader';
      prevGrid?.content?.push(...newRows.slice(drop));
      const prevNotes = lastTable.content ?? [];
      prevNotes.push(...notes);
      continuation = false;
      return;
    }
    continuation = false;
    const captionRuns = pendingCaption?.runs ?? [];
    const tableNode = node('table', [node('caption', toInline(captionRuns, { dropBold: true })), grid, ...notes]);
    if (pendingCaption?.number) sourceNumbers.set(tableNode, { kind: 'table', number: pendingCaption.number });
    if (!pendingCaption) warn(t.index, '表格没有表题。', 'A table has no title.');
    pendingCaption = null;
    resetFlow();
    if (place(tableNode, { index: t.index, text: tableText(t) })) lastTable = tableNode;
  };

  const figureFrom = (p: SourceParagraph): void => {
    const img = p.images.find((i) => i.src) ?? p.images[0];
    for (const i of p.images) if (i.problem && i !== img) lose(p.index, `[图片 ${i.alt}] ${i.problem}`, 'imageNotPicture');
    if (img?.problem) warn(p.index, `图片无法使用：${img.problem}`, `Picture not usable: ${img.problem}`);
    const text = p.text.trim();
    // The generator's placeholder figure prints its alt text in the frame.
    const fig = node('figure', [node('caption', [])], { src: img?.src ?? '', alt: img?.alt || (p.images.length === 0 ? text : '') });
    if (p.images.length > 0 && text) lose(p.index, text, 'noPlaceInModel');
    resetFlow();
    if (place(fig, p)) openFigure = fig;
  };

  const paragraph = (p: SourceParagraph): void => {
    const inTerms = stack[0]?.type === 'termsAndDefinitions';
    const c = classify(p, { inTerms, inAnnex, inList: lastList !== null, afterWhere });
    const role = c.role;
    if (role.t === 'empty') return;

    // Cover and 目次.
    if (section === 'cover' && p.index < (blocks[firstAnchor]?.index ?? 0)) {
      coverLine(p, metadata);
      skip(p, 'cover');
      return;
    }
    if (role.t === 'front') {
      if (role.which !== 'toc') strippedLabels.push(p.text);
      if (role.which === 'toc') {
        finishTerm();
        section = 'toc';
        stack = [];
        skip(p, 'toc');
        return;
      }
      if (role.which === 'foreword') {
        foreword ??= node('foreword');
        startTopLevel(foreword, 'foreword');
        hasStructure = true;
        return;
      }
      if (role.which === 'introduction') {
        introduction ??= node('introduction');
        startTopLevel(introduction, 'introduction');
        return;
      }
      const bib = node('bibliography');
      rest.push(bib);
      inAnnex = false;
      startTopLevel(bib, 'bibliography');
      return;
    }
    if (section === 'toc' || role.t === 'toc') {
      skip(p, 'toc');
      return;
    }
    if (role.t === 'bodyTitle') {
      metadata.titleZh ??= p.text.replace(/\n/g, '').trim();
      skip(p, 'bodyTitle');
      return;
    }
    if (role.t === 'endLine') {
      skip(p, 'endLine');
      return;
    }
    if (role.t === 'heading' && (role.level === 0 || !role.untitled || stack.length > 0)) {
      heading(p, c, role);
      return;
    }
    if (role.t === 'annexId') {
      startAnnex(p, c);
      return;
    }
    // The title of an annex whose 附录X and qualifier were paragraphs of their own.
    if (annexPending && !annexPending.title && role.t === 'para') {
      const h = annexPending.node.content?.[0];
      if (h) h.content = toInline(p.runs, { dropBold: true });
      annexPending.title = true;
      return;
    }
    annexPending = null;

    // Front matter metadata (kept in the 前言 as well).
    if (stack[0]?.type === 'foreword') forewordLine(p.text, metadata);

    // 参考文献.
    if (stack[0]?.type === 'bibliography') {
      const m = RE.bib.exec(p.text.trim());
      const strip = role.t === 'bibEntry' ? c.stripped : m ? p.text.indexOf(m[0]) + m[0].length : 0;
      if (strip > 0) strippedLabels.push(p.text.slice(0, strip));
      const e = node('bibliographyEntry', toInline(sliceRuns(p.runs, strip)));
      if (c.sourceNumber ?? m?.[1]) sourceNumbers.set(e, { kind: 'bibliography', number: c.sourceNumber ?? m?.[1] ?? '' });
      add(stack[0], e);
      return;
    }
    // 2 规范性引用文件.
    if (stack[0]?.type === 'normativeReferences') {
      const t = p.text.trim();
      if (/^下列文件中的内容通过文中的规范性引用/.test(t) || /^下列文件对于本文件的应用是必不可少的/.test(t) || /^本文件没有规范性引用文件/.test(t)) {
        skip(p, 'fixedText');
        return;
      }
      const m = RE.reference.exec(t.replace(/\t/g, ' '));
      if (!m) {
        lose(p.index, p.text, 'notAReference');
        return;
      }
      strippedLabels.push(t.slice(0, t.length - m[4].length));
      add(stack[0], node('referenceEntry', [{ type: 'text', text: m[4].trim() }], { code: m[1], number: m[2], year: m[3] ?? '' }));
      return;
    }
    // 3 术语和定义.
    if (inTerms) {
      if (/^本文件没有需要界定的术语和定义/.test(p.text.trim())) {
        skip(p, 'fixedText');
        return;
      }
      if (role.t === 'termNumber') {
        startTerm(p, c.sourceNumber, sliceRuns(p.runs, c.stripped));
        if (c.stripped > 0) strippedLabels.push(p.text.slice(0, c.stripped));
        return;
      }
      if (term) {
        const t = term;
        if (t.stage === 'term' && role.t !== 'note' && role.t !== 'example') {
          termLine(p.runs);
          return;
        }
        const src = RE.source.exec(p.text.trim());
        if (src) {
          strippedLabels.push('[来源：]');
          t.parts.termSource.content = toInline(sliceRuns(p.runs, p.text.indexOf(src[1]), p.text.indexOf(src[1]) + src[1].length));
          return;
        }
        if (t.stage === 'definition' && (role.t === 'para' || role.t === 'termDefinition')) {
          t.parts.definition.content = toInline(p.runs);
          t.stage = 'after';
          return;
        }
      }
    }

    switch (role.t) {
      case 'tableUnit':
        lose(p.index, p.text, 'tableUnit');
        return;
      case 'tableCaption': {
        if (c.stripped > 0) strippedLabels.push(p.text.slice(0, c.stripped));
        pendingCaption = { runs: sliceRuns(p.runs, c.stripped), number: c.sourceNumber, index: p.index };
        return;
      }
      case 'tableContinued':
        strippedLabels.push(p.text);
        continuation = true;
        return;
      case 'figureImage':
        figureFrom(p);
        return;
      case 'figureCaption': {
        if (c.stripped > 0) strippedLabels.push(p.text.slice(0, c.stripped));
        let fig: NodeJSON | null = openFigure;
        if (!fig) {
          warn(p.index, '图题前没有图片，已建立空图。', 'A figure title without a picture; an empty figure was created.');
          fig = node('figure', [node('caption', [])], { src: '', alt: '' });
          if (!place(fig, p)) return;
        }
        const cap = fig.content?.find((x) => x.type === 'caption');
        if (cap) cap.content = toInline(sliceRuns(p.runs, c.stripped), { dropBold: true });
        if (c.sourceNumber) sourceNumbers.set(fig, { kind: 'figure', number: c.sourceNumber });
        openFigure = null;
        return;
      }
      case 'note':
      case 'example': {
        const type = role.t;
        const labelled = c.stripped > 0 || p.numbering !== null;
        if (c.stripped > 0) strippedLabels.push(p.text.slice(0, c.stripped));
        const content = para(toInline(sliceRuns(p.runs, c.stripped)));
        const open: NodeJSON | null = lastAside;
        if (open && open.type === type && !labelled) {
          add(open, content);
          return;
        }
        const n = node(type, [content]);
        const fig: NodeJSON | null = openFigure;
        if (fig && type === 'note') {
          fig.content?.splice((fig.content?.length ?? 1) - 1, 0, n);
        } else {
          const keepFigure = openFigure;
          resetFlow();
          openFigure = keepFigure;
          if (!place(n, p)) return;
        }
        lastAside = n;
        return;
      }
      case 'listItem':
        listItem(p, c, role.level === 2 ? 2 : 1);
        return;
      case 'formula': {
        const mathRuns = p.math.length ? p.math.flat() : p.runs;
        let runs = mathRuns;
        const num = RE.formulaNumber.exec(p.text);
        if (!p.math.length && num) runs = sliceRuns(p.runs, 0, p.text.length - num[0].length);
        if (num) strippedLabels.push(num[0]);
        const ft = node('formulaText', toInline(sliceRuns(runs, 0)).map((x) => ({ ...x, ...(x.marks ? { marks: x.marks.filter((m) => m.type !== 'strong') } : {}) })).map((x) => (x.marks && x.marks.length === 0 ? { type: x.type, text: x.text } : x)));
        // An equation object's preview picture is shown in place of its placeholder text.
        const f = node('formula', [ft], p.equationPicture ? { src: p.equationPicture } : {});
        resetFlow();
        if (place(f, p)) lastFormula = f;
        return;
      }
      case 'formulaSymbol': {
        const t = p.text.slice(c.stripped).trim();
        if (RE.where.test(p.text.trim())) strippedLabels.push(p.text.slice(0, c.stripped));
        afterWhere = true;
        if (!t) return;
        const m = RE.symbol.exec(t);
        const f: NodeJSON | null = lastFormula;
        if (!m || !f) {
          const keep = lastFormula;
          place(para(toInline(sliceRuns(p.runs, c.stripped))), p);
          lastFormula = keep;
          afterWhere = true;
          return;
        }
        const start = p.text.indexOf(t) + m[0].length;
        strippedLabels.push('——');
        add(f, node('formulaSymbol', toInline(sliceRuns(p.runs, start)), { symbol: m[1] }));
        return;
      }
      case 'termNumber':
      case 'termLine':
      case 'termDefinition':
      case 'reference':
      case 'bibEntry':
      case 'para':
      case 'heading':
      default: {
        if (p.images.length > 0 && plain(p.runs).trim() === '') {
          figureFrom(p);
          return;
        }
        // Untitled typed clause with no open chapter, or any plain paragraph.
        const runs = sliceRuns(p.runs, 0);
        const keepAside = lastAside;
        resetFlow();
        if (pendingCaption) {
          // A caption not followed by its table: keep its text as a paragraph.
          const pc = pendingCaption;
          pendingCaption = null;
          place(para(toInline(pc.runs)), { index: pc.index, text: plain(pc.runs) });
          warn(pc.index, '表题后没有表格，已作为段落保留。', 'A table title not followed by a table; kept as a paragraph.');
        }
        void keepAside;
        if (p.images.length > 0) figureAfter(p);
        place(para(toInline(runs)), p);
        return;
      }
    }
  };

  const figureAfter = (p: SourceParagraph): void => {
    warn(p.index, '段落中的图片已作为单独的图放在段落前。', 'A picture inside a paragraph was placed as a figure before it.');
    for (const img of p.images) {
      const fig = node('figure', [node('caption', [])], { src: img.src, alt: img.alt });
      place(fig, p);
    }
  };

  for (const b of blocks) {
    if (b.kind === 'p') paragraph(b);
    else table(b);
  }
  finishTerm();
  if (pendingCaption) {
    const pc = pendingCaption as { runs: SourceRun[]; index: number };
    lose(pc.index, plain(pc.runs), 'noPlaceInModel');
  }

  for (const index of annexesWithoutKind.values()) warn(index, '附录未注明（规范性）或（资料性），暂按资料性处理。', 'Annex without （规范性）/（资料性）; taken as informative.');
  // Assemble in schema order, filling required elements.
  const content: NodeJSON[] = [];
  const fw: NodeJSON = foreword ?? node('foreword');
  if (!foreword) warn(undefined, '未找到前言，已建立空前言。', 'No 前言 found; an empty one was created.');
  if (!(fw.content ?? []).length) fw.content = [para([])];
  content.push(fw);
  const intro = introduction as NodeJSON | null;
  if (intro && (intro.content ?? []).length > 0) content.push(intro);
  const sc: NodeJSON = scope ?? node('scope');
  if (!(sc.content ?? []).length) sc.content = [para([])];
  content.push(sc, refs ?? node('normativeReferences'), terms ?? node('termsAndDefinitions'));
  for (const n of rest) {
    if (n.type === 'bibliography' && !(n.content ?? []).length) continue;
    content.push(n);
  }
  const doc = { type: 'doc' as const, content };
  normalise(doc, makeId);
  return { doc, unplaced, skipped, warnings, metadata, sourceNumbers, strippedLabels, hasStructure };
}

/** Makes every node valid where the schema requires content (empty clauses, cells, notes, termEntry fields). */
function normalise(n: NodeJSON, makeId: () => string): void {
  for (const c of n.content ?? []) normalise(c, makeId);
  const kids = n.content ?? [];
  const needsBlock = ['note', 'example', 'listItem', 'sublistItem', 'tableCell', 'tableHeader', 'foreword', 'scope'];
  if (needsBlock.includes(n.type) && kids.length === 0) n.content = [{ type: 'paragraph', attrs: { id: makeId() }, content: [] }];
  if (/^clause[1-5]$/.test(n.type) && kids.length === 0) n.content = [{ type: 'paragraph', attrs: { id: makeId() }, content: [] }];
  // Text nodes never empty; containers without children lose the empty array (as the editor stores them).
  if (n.content) n.content = n.content.filter((c) => c.type !== 'text' || (c.text ?? '') !== '');
  if (n.content && n.content.length === 0) delete n.content;
}

function textOfNode(n: NodeJSON | undefined): string {
  if (!n) return '';
  if (n.type === 'text') return n.text ?? '';
  return (n.content ?? []).map(textOfNode).join('');
}

function flatParagraphs(t: SourceTable): SourceParagraph[] {
  const out: SourceParagraph[] = [];
  for (const r of t.rows) for (const c of r.cells) for (const b of c.blocks) {
    if (b.kind === 'p') out.push(b);
    else out.push(...flatParagraphs(b));
  }
  return out;
}

function tableText(t: SourceTable): string {
  return flatParagraphs(t).map((p) => p.text).join(' | ');
}

function coverLine(p: SourceParagraph, m: ImportMetadata): void {
  // A long title is broken over lines on the cover: Chinese lines join without a space.
  const t = (/[\u4e00-\u9fff]/.test(p.text) ? p.text.replace(/\n/g, '') : p.text.replace(/\n/g, ' ')).trim();
  const name = p.styleNames[0] ?? '';
  let x: RegExpExecArray | null;
  if ((x = /^ICS[\s\u3000]*(\S.*)$/.exec(t))) m.ics ??= x[1].trim();
  else if ((x = /^CCS[\s\u3000]*(\S.*)$/.exec(t))) m.ccs ??= x[1].trim();
  else if (/^DB\d{2}(\/T)?[\s\u3000]*\d/.test(t)) m.numbers.push(...t.split(/[、,，]/).map((s) => s.trim()).filter(Boolean));
  else if (name === '标准文件_文件名称') m.titleZh ??= t;
  else if (name === '标准文件_封面英文名称' || (/^[A-Za-z][A-Za-z\s,\-–—()'’]+$/.test(t) && t.length > 12)) m.titleEn ??= t;
  else if (!m.titleZh && p.centered && /[\u4e00-\u9fff]/.test(t) && t.length >= 6 && !/(发布|实施|标准$|征求意见稿|送审稿|报批稿)/.test(t)) m.titleZh = t;
}

function forewordLine(text: string, m: ImportMetadata): void {
  const t = text.trim();
  let x: RegExpExecArray | null;
  if ((x = /^本文件起草单位[：:](.+?)。?$/.exec(t))) m.draftingUnits = x[1].split(/[、,，]/).map((s) => s.trim()).filter(Boolean);
  else if ((x = /^本文件主要起草人[：:](.+?)。?$/.exec(t))) m.drafters = x[1].split(/[、,，]/).map((s) => s.trim()).filter(Boolean);
  else if ((x = /^本文件由(.+?)提出并归口。?$/.exec(t))) {
    m.proposer = x[1];
    m.technicalCommittee = x[1];
  } else if ((x = /^本文件由(.+?)提出。?$/.exec(t))) m.proposer = x[1];
  else if ((x = /^本文件由(.+?)归口。?$/.exec(t))) m.technicalCommittee = x[1];
}
