// generateStandardDocx: a standard record and its body (ProseMirror JSON) → a GB/T 1.1—2020 DOCX of one
// edition (joint or one province), optionally as a stage draft. Pure apart from the clock-free docx
// packing: the same input gives the same bytes. The body XML is the same for all four editions; only the
// cover and the header line differ (checklist 42).
import {
  Document, Footer, Header, NumberFormat, Packer, PageNumber, Paragraph, SectionType, TextRun,
  DocumentGridType, type FileChild, type ICommentOptions, type ISectionOptions,
} from 'docx';
import type { StandardRecord } from '../../workflows/domain';
import type { DocJSON, NodeJSON } from '../../editor/types';
import { computeNumbering, type Numbering } from '../../editor/numbering';
import { createContext, endLine, renderIntroduction, renderTopLevel, SPACED_TITLES, type ImageMap } from './body';
import { coverChildren } from './cover';
import { editionInfo, type DraftStage, type EditionName } from './edition';
import { forewordLines, type ForewordLine } from './foreword';
import { plainText } from './inline';
import { agreedText } from './agreed-text';
import { decodeDataUrl, type ImageData } from './images';
import { addAnnexLevelRestarts, listReference, numberingOptions } from './numbering';
import { STYLE, stylesOptions } from './styles';
import { estimatePages } from './pagination';
import { tableOfContents, tocEntries } from './toc';
import { mm, PAGE } from './typography';

export type ProgressPhase = 'prepare' | 'cover' | 'frontMatter' | 'body' | 'pack' | 'done';
export type ProgressCallback = (fraction: number, phase: ProgressPhase) => void;

export interface GenerateOptions {
  record: StandardRecord;
  body: DocJSON;
  edition: EditionName;
  /** Present for the 征求意见稿 / 送审稿 / 报批稿; absent for the published edition. */
  stageLabel?: DraftStage;
  /** The 本稿完成日期 of a draft (ISO date). */
  completedOn?: string;
  onProgress?: ProgressCallback;
  /** Loads figure images that are not data URLs (e.g. uploads); missing images print as a framed placeholder. */
  resolveImage?: (src: string) => Promise<ImageData | null>;
  /** Word comments (comments.xml) whose ranges the body marks with COMMENT_MARK (activities/docx/inline.ts). */
  comments?: ICommentOptions[];
  /** Printed page of each 目次 entry by outline id, read from a real layout (activities/pdf/toc-pages.ts); estimated when absent. */
  tocPages?: ReadonlyMap<string, string>;
  /** The numbers to print; computed from the body when absent. A redline's (activities/redline/redline.ts) numbers each element as in the version it belongs to. */
  numbering?: Numbering;
}

const margins = { ...PAGE.margin };

function pageSetup(pageNumbers?: { start: number; formatType: (typeof NumberFormat)[keyof typeof NumberFormat] }): ISectionOptions['properties'] {
  return {
    type: SectionType.NEXT_PAGE,
    page: { size: { width: PAGE.width, height: PAGE.height }, margin: margins, ...(pageNumbers ? { pageNumbers } : {}) },
    grid: { type: DocumentGridType.LINES, linePitch: PAGE.linePitch },
  };
}

function headersFor(text: string): Pick<ISectionOptions, 'headers' | 'footers'> {
  const page = (style: string): Paragraph => new Paragraph({ style, children: [new TextRun({ children: [PageNumber.CURRENT] })] });
  return {
    headers: {
      default: new Header({ children: [new Paragraph({ style: STYLE.headerOdd, children: [new TextRun(text)] })] }),
      even: new Header({ children: [new Paragraph({ style: STYLE.headerEven, children: [new TextRun(text)] })] }),
    },
    footers: { default: new Footer({ children: [page(STYLE.footerOdd)] }), even: new Footer({ children: [page(STYLE.footerEven)] }) },
  };
}

function forewordParagraphs(lines: ForewordLine[]): Paragraph[] {
  const dash = listReference('dash', 'dash');
  return lines.map((l) =>
    l.kind === 'dash'
      ? new Paragraph({ style: STYLE.listDash, numbering: { reference: dash, level: 0, instance: 0 }, children: [new TextRun(l.text)] })
      : new Paragraph({ style: STYLE.segment, children: [new TextRun(l.text)] }),
  );
}

function bodyForewordLines(foreword: NodeJSON | undefined): ForewordLine[] {
  const out: ForewordLine[] = [];
  for (const c of foreword?.content ?? []) {
    if (c.type === 'paragraph') out.push({ kind: 'paragraph', text: plainText(c) });
    else if (c.type === 'list') for (const item of c.content ?? []) out.push({ kind: 'dash', text: plainText(item.content?.[0]) });
  }
  return out.filter((l) => l.text.trim() !== '');
}

async function resolveImages(body: DocJSON, resolve: GenerateOptions['resolveImage']): Promise<ImageMap> {
  const map = new Map<string, ImageData>();
  const walk = async (n: NodeJSON): Promise<void> => {
    // Figures, and formulas kept as pictures (an imported equation object's preview).
    if (n.type === 'figure' || n.type === 'formula') {
      const src = String(n.attrs?.src ?? '');
      if (src && !map.has(src)) {
        const img = decodeDataUrl(src) ?? (resolve ? await resolve(src) : null);
        if (img) map.set(src, img);
      }
      return;
    }
    for (const c of n.content ?? []) await walk(c);
  };
  await walk(body);
  return map;
}

/** Builds the docx Document (exposed for tests that inspect it before packing). */
export async function buildStandardDocument(opts: GenerateOptions): Promise<Document> {
  const progress: ProgressCallback = opts.onProgress ?? (() => undefined);
  progress(0, 'prepare');
  const { record } = opts;
  // Suggested changes are proposals: every generated document prints the agreed text (agreed-text.ts).
  const body = agreedText(opts.body);
  const info = editionInfo(record, opts.edition);
  const numbering = opts.numbering ?? computeNumbering(body);
  const images = await resolveImages(body, opts.resolveImage);
  const ctx = createContext(numbering, images, estimatePages(body, 0).tableParts);
  progress(0.05, 'cover');

  const cover: ISectionOptions = {
    properties: {
      page: { size: { width: PAGE.width, height: PAGE.height }, margin: { top: mm(10), bottom: mm(8), left: mm(25), right: mm(15), header: 0, footer: 0, gutter: 0 } },
    },
    children: coverChildren(record, info, opts.stageLabel, opts.completedOn),
  };

  progress(0.1, 'frontMatter');
  const top = body.content;
  const foreword = top.find((n) => n.type === 'foreword');
  const introduction = top.find((n) => n.type === 'introduction');
  const front: FileChild[] = [
    new Paragraph({ style: STYLE.tocTitle, children: [new TextRun(SPACED_TITLES.toc)] }),
    tableOfContents(tocEntries(body, numbering, opts.tocPages)),
    new Paragraph({ style: STYLE.frontTitle, pageBreakBefore: true, children: [new TextRun(SPACED_TITLES.foreword)] }),
    ...forewordParagraphs(forewordLines(record, bodyForewordLines(foreword))),
  ];
  if (introduction) front.push(...renderIntroduction(introduction, ctx));

  const main: FileChild[] = [new Paragraph({ style: STYLE.bodyTitle, children: [new TextRun(record.titleZh)] })];
  const rest = top.filter((n) => n.type !== 'foreword' && n.type !== 'introduction');
  rest.forEach((n, i) => {
    main.push(...renderTopLevel(n, ctx));
    progress(0.1 + (0.4 * (i + 1)) / rest.length, 'body');
  });
  main.push(endLine());

  const doc = new Document({
    creator: record.draftingUnits[0] ?? 'Tongbiao',
    title: record.titleZh,
    subject: info.headerText,
    description: opts.stageLabel ?? 'published',
    features: { updateFields: true },
    evenAndOddHeaderAndFooters: true,
    defaultTabStop: 420,
    styles: stylesOptions(),
    numbering: numberingOptions(),
    ...(opts.comments?.length ? { comments: { children: opts.comments } } : {}),
    sections: [
      cover,
      { properties: pageSetup({ start: 1, formatType: NumberFormat.UPPER_ROMAN }), ...headersFor(info.headerText), children: front },
      { properties: pageSetup({ start: 1, formatType: NumberFormat.DECIMAL }), ...headersFor(info.headerText), children: main },
    ],
  });
  addAnnexLevelRestarts(doc);
  return doc;
}

/** Generates one edition (or stage draft) of a standard as DOCX bytes. */
export async function generateStandardDocx(opts: GenerateOptions): Promise<Buffer> {
  const progress: ProgressCallback = opts.onProgress ?? (() => undefined);
  const doc = await buildStandardDocument(opts);
  progress(0.5, 'pack');
  const buffer = await Packer.toBuffer(doc);
  progress(1, 'done');
  return buffer;
}

/**
 * Generates a small standard once so V8 compiles and optimises the generator before the first real
 * request (the first generation in a process costs about 1.5× a warm one). Call it when a worker or
 * server starts; it resolves with the milliseconds it took.
 */
export async function warmUpGenerator(): Promise<number> {
  const { richStandardBody, richStandardRecord } = await import('./fixtures/rich-standard');
  const started = performance.now();
  await generateStandardDocx({ record: richStandardRecord(), body: richStandardBody(), edition: 'joint' });
  return performance.now() - started;
}
