// Word import, the pure part: the XML parts of a .docx → the GB/T 1.1 document model (ProseMirror JSON,
// valid against editor/schema.ts) and the import report. No I/O: activities/import unzips the file and
// hands the parts and a media reader in, so the same code serves the upload, the CLI and the tests.
import { schema } from '../schema';
import { computeNumbering, FIXED_TITLES } from '../numbering';
import { newId } from '../ids';
import type { DocJSON, NodeJSON } from '../types';
import { ImportError } from './errors';
import { parseXml, type XEl } from './xml';
import { readDocument, type ChangeMode, type DocxParts, type SourceBlock } from './reader';
import { buildModel } from './structure';
import { linkCrossReferences } from './xrefs';
import { keepSuggestions } from './suggestions';
import type { ElementKind, FormulaIssueReport, ImportReport, NumberMismatch, RecognisedElement } from './report';

export { ImportError, isImportError, type ImportErrorCode } from './errors';
export type { ImportReport } from './report';
export type { ChangeMode, DocxParts } from './reader';

export interface ImportOptions {
  /** What to do with tracked changes; 'refuse' (the default) refuses a document that has any; 'keep' makes them
   *  suggested changes (保留为修订建议) by their Word authors, proposed through `suggestionsBy`. */
  changes?: ChangeMode;
  /** The importing user's id, the `by` of kept suggestions (mode 'keep'). */
  suggestionsBy?: string;
  /** Import a document without recognisable GB/T 1.1 structure anyway (the user confirmed). */
  allowNonStandard?: boolean;
  /** Bytes of a package part (pictures). */
  media?: (path: string) => Uint8Array | undefined;
  /** URL of a picture part stored by the caller (activities/import stores them by hash); else a data: URL. */
  pictureSrc?: (path: string) => string | undefined;
  /** Id maker (default: the editor's random ids); tests pass a counter. */
  makeId?: () => string;
}

export interface ImportResult {
  doc: DocJSON;
  report: ImportReport;
  /** Label text the import removed from paragraphs because the structure computes it (for checks). */
  strippedLabels: string[];
  /** The source blocks, for tests that check nothing was lost. */
  blocks: SourceBlock[];
}

const COMPARE_KINDS: readonly ElementKind[] = ['chapter', 'clause', 'term', 'annex', 'table', 'figure', 'bibliography'];

/** Imports the parts of a .docx. Throws ImportError (TRACKED_CHANGES, NOT_A_STANDARD, UNSAFE_XML, MALFORMED). */
export function importDocxParts(parts: DocxParts, options: ImportOptions = {}): ImportResult {
  const mode = options.changes ?? 'refuse';
  const parse = (xml: string, part: string): XEl => parseXml(xml, part);
  const read = readDocument(parts, { changes: mode, media: options.media ?? (() => undefined), parse, pictureSrc: options.pictureSrc });
  if (mode === 'refuse' && read.changes.total > 0) {
    const who = Object.entries(read.changes.byAuthor).map(([a, n]) => `${a || '（未署名）'} ${n}`).join('，');
    throw new ImportError(
      'TRACKED_CHANGES',
      {
        zh: `文档含有 ${read.changes.total} 处修订（${who}）。请选择全部接受或全部拒绝修订后再导入。`,
        en: `The document has ${read.changes.total} tracked changes (${who}). Choose to accept or reject all of them to import.`,
      },
      { details: read.changes },
    );
  }
  const built = buildModel(read.blocks, options.makeId ?? newId);
  if (!built.hasStructure && !options.allowNonStandard) {
    throw new ImportError('NOT_A_STANDARD', {
      zh: '文档中没有可识别的 GB/T 1.1 结构（前言、章标题或附录），不像是标准文本（例如编制说明）。确认后仍可导入。',
      en: 'No recognisable GB/T 1.1 structure (前言, chapter headings or annexes) was found; this does not look like a standard (e.g. an explanatory note). It can still be imported after confirmation.',
    });
  }
  const doc = built.doc as DocJSON;
  const kept = mode === 'keep' ? keepSuggestions(doc as NodeJSON, { by: options.suggestionsBy ?? '', makeId: options.makeId ?? newId }) : null;
  if (kept && (read.notKept.formatting > 0 || read.notKept.paragraphMarks > 0)) {
    built.warnings.push({
      zh: `${read.notKept.formatting} 处格式修订和 ${read.notKept.paragraphMarks} 处段落拆分或合并无法保留为修订建议，已按接受处理。`,
      en: `${read.notKept.formatting} formatting changes and ${read.notKept.paragraphMarks} paragraph splits or joins cannot be kept as suggestions and were accepted.`,
    });
  }
  if (kept && kept.notKept > 0) {
    built.warnings.push({
      zh: `${kept.notKept} 处修订位于不能标记修订建议的文字中（如术语来源、缩略语），已按拒绝处理（保留原文）。`,
      en: `${kept.notKept} tracked changes are in text that cannot carry suggestions (e.g. a term source or abbreviation) and were rejected there (the original text kept).`,
    });
  }
  // Typed references (见5.2, 按表3, 见附录A) become xref nodes; their text is computed from now on.
  const xrefs = linkCrossReferences(doc);
  built.strippedLabels.push(...xrefs.linkedTexts);
  if (xrefs.unresolved.length > 0) {
    built.warnings.push({
      zh: `${xrefs.unresolved.length} 处引用在文件中找不到对应的章条、表、图、公式或附录，保留为文字（见 crossReferences.unresolved）。`,
      en: `${xrefs.unresolved.length} references have no target in the file and were kept as text (see crossReferences.unresolved).`,
    });
  }
  // The result must be a document the editor accepts as it is.
  schema.nodeFromJSON(doc).check();

  const numbering = computeNumbering(doc);
  const elements: RecognisedElement[] = [];
  const mismatches: NumberMismatch[] = [];
  let checked = 0;
  const titleOf = (n: NodeJSON): string => {
    if (n.type === 'termEntry') return plain(n.content?.find((c) => c.type === 'term'));
    if (n.type === 'table' || n.type === 'figure') return plain(n.content?.find((c) => c.type === 'caption'));
    if (n.type === 'formula') return plain(n.content?.find((c) => c.type === 'formulaText'));
    if (n.type === 'bibliographyEntry') return plain(n);
    if (n.type === 'scope' || n.type === 'normativeReferences' || n.type === 'termsAndDefinitions' || n.type === 'foreword' || n.type === 'introduction') return FIXED_TITLES[n.type];
    const h = n.content?.find((c) => c.type === 'heading');
    return h ? plain(h) : plain(n).slice(0, 24);
  };
  const kindOf = (n: NodeJSON): ElementKind | null => {
    switch (n.type) {
      case 'foreword':
      case 'introduction':
      case 'annex':
      case 'bibliography':
      case 'table':
      case 'figure':
      case 'formula':
        return n.type;
      case 'scope':
      case 'normativeReferences':
      case 'termsAndDefinitions':
      case 'chapter':
        return 'chapter';
      case 'termEntry':
        return 'term';
      default:
        return /^clause[1-5]$/.test(n.type) ? 'clause' : null;
    }
  };
  const counts: Record<string, number> = {};
  const walk = (n: NodeJSON): void => {
    counts[n.type] = (counts[n.type] ?? 0) + 1;
    const kind = kindOf(n);
    const id = typeof n.attrs?.id === 'string' ? n.attrs.id : null;
    if (kind && id) {
      const label = numbering.byId[id];
      const number = kind === 'annex' ? (label?.number ?? '') : kind === 'formula' ? (label?.label ?? '') : (label?.number ?? '');
      const source = built.sourceNumbers.get(n);
      const e: RecognisedElement = { kind, number, title: titleOf(n) };
      if (source) e.sourceNumber = source.number;
      elements.push(e);
      if (source && COMPARE_KINDS.includes(kind)) {
        checked++;
        if (source.number !== number) mismatches.push({ kind, source: source.number, computed: number, title: e.title });
      }
    }
    for (const c of n.content ?? []) walk(c);
  };
  for (const c of doc.content) walk(c);
  delete counts.text;
  if (mismatches.length > 0) {
    built.warnings.push({
      zh: `文件中的 ${mismatches.length} 处编号与识别出的结构不一致，已按结构重新编号（见 numbering.mismatches）。`,
      en: `${mismatches.length} numbers in the file disagree with the recognised structure; numbers follow the structure (see numbering.mismatches).`,
    });
  }
  let pictures = 0;
  let formulas = 0;
  let tables = 0;
  const countSource = (bs: readonly SourceBlock[]): void => {
    for (const b of bs) {
      if (b.kind === 'p') {
        pictures += b.images.length;
        formulas += b.math.length;
      } else {
        tables++;
        for (const r of b.rows) for (const c of r.cells) countSource(c.blocks);
      }
    }
  };
  countSource(read.blocks);
  const formulaIssues: FormulaIssueReport[] = read.formulaIssues.map((f) =>
    f.kind === 'oleEquation'
      ? {
          index: f.index,
          kind: f.kind,
          text: f.text,
          ...(f.progId ? { progId: f.progId } : {}),
          src: f.picture?.src ?? '',
          zh: f.picture?.src
            ? `公式对象（${f.progId ?? ''}）无法转换为公式文字：草案中保留其位置和编号，以其图片显示（文字为“${f.text}”），图片见此处；如需编辑请重新录入。`
            : `公式对象（${f.progId ?? ''}）无法转换为公式文字：草案中保留其位置和编号（显示为“${f.text}”），其预览图无法显示，请重新录入。`,
          en: f.picture?.src
            ? `Equation object (${f.progId ?? ''}) cannot be converted to formula text: the draft keeps its place and number and shows its picture (text “${f.text}”), shown here; please retype it to edit it.`
            : `Equation object (${f.progId ?? ''}) cannot be converted to formula text: the draft keeps its place and number (shown as “${f.text}”); its preview cannot be shown; please retype it.`,
        }
      : {
          index: f.index,
          kind: f.kind,
          text: f.text,
          constructs: f.constructs ?? [],
          zh: `公式含有线性文字无法准确表示的结构（${(f.constructs ?? []).join('、')}），已按近似文字导入，请核对。`,
          en: `The formula uses constructs linear text cannot express exactly (${(f.constructs ?? []).join(', ')}); imported as approximate text, please check it.`,
        },
  );
  if (formulaIssues.length > 0) {
    built.warnings.push({
      zh: `${formulaIssues.length} 个公式需要核对（公式对象保留为图片，或近似转换），见 formulaIssues。`,
      en: `${formulaIssues.length} formulas need checking (equation objects kept as pictures, or converted approximately); see formulaIssues.`,
    });
  }
  const report: ImportReport = {
    elements,
    counts,
    numbering: { checked, mismatches },
    unplaced: built.unplaced,
    skipped: built.skipped,
    warnings: built.warnings,
    trackedChanges: { ...read.changes, applied: read.changes.total === 0 ? 'none' : mode === 'reject' ? 'rejected' : mode === 'keep' ? 'kept' : 'accepted', ...(kept ? { suggestions: kept } : {}) },
    comments: read.comments,
    formulaIssues,
    crossReferences: { linked: xrefs.linked, unresolved: xrefs.unresolved },
    metadata: built.metadata,
    source: { paragraphs: read.paragraphs, tables, pictures, formulas },
  };
  return { doc, report, strippedLabels: built.strippedLabels, blocks: read.blocks };
}

function plain(n: NodeJSON | undefined): string {
  if (!n) return '';
  if (n.type === 'text') return n.text ?? '';
  return (n.content ?? []).map(plain).join('');
}
