// The named paragraph and character styles of a standard document, with the TCS-style Chinese names
// reviewers look for (spec §9) and the fonts and sizes of spec §3. Style ids are ASCII (what paragraphs
// reference); the Chinese `name` is what Word shows and what the TOC `\t` switch names.
import { AlignmentType, TabStopType, LeaderType, type IParagraphStyleOptions, type ICharacterStyleOptions, type IStylesOptions } from 'docx';
import { fontOf, SIZE, TEXT_WIDTH, type Face } from './typography';

/** Numbering definition references (see numbering.ts). */
export const NUM = {
  /** Chapters 1 … and clauses 1.1 … 1.1.1.1.1.1 (levels 0–5). */
  body: 'gbt-body',
  /** 附录A, A.1 … (levels 0–5), 表A.1 (6), 图A.1 (7). */
  annex: 'gbt-annex',
  table: 'gbt-table',
  figure: 'gbt-figure',
  note: 'gbt-note',
  example: 'gbt-example',
  bibliography: 'gbt-bibliography',
  /** 引言 clauses 0.1, 0.1.1 … (levels 0–4). */
  introduction: 'gbt-introduction',
} as const;

type Numbered = { numbering: { reference: string; level: number } };
const num = (reference: string, level: number): Numbered => ({ numbering: { reference, level } });

/** Style ids by role. */
export const STYLE = {
  segment: 'GBSegment',
  chapter: 'GBChapter',
  clause: ['GBClause1', 'GBClause2', 'GBClause3', 'GBClause4', 'GBClause5'],
  untitled: ['GBUntitled1', 'GBUntitled2', 'GBUntitled3', 'GBUntitled4', 'GBUntitled5'],
  annexId: 'GBAnnexId',
  annexClause: ['GBAnnexClause1', 'GBAnnexClause2', 'GBAnnexClause3', 'GBAnnexClause4', 'GBAnnexClause5'],
  annexUntitled: ['GBAnnexUntitled1', 'GBAnnexUntitled2', 'GBAnnexUntitled3', 'GBAnnexUntitled4', 'GBAnnexUntitled5'],
  tableTitle: 'GBTableTitle',
  annexTableTitle: 'GBAnnexTableTitle',
  tableContinued: 'GBTableContinued',
  tableUnit: 'GBTableUnit',
  table: 'GBTable',
  figureTitle: 'GBFigureTitle',
  annexFigureTitle: 'GBAnnexFigureTitle',
  figure: 'GBFigure',
  formula: 'GBFormula',
  formulaWhere: 'GBFormulaWhere',
  note: 'GBNote',
  noteNumbered: 'GBNoteNumbered',
  example: 'GBExample',
  exampleNumbered: 'GBExampleNumbered',
  listDash: 'GBListDash',
  listLetter: 'GBListLetter',
  listNumber: 'GBListNumber',
  termNumber: 'GBTermNumber',
  term: 'GBTerm',
  termDefinition: 'GBTermDefinition',
  normativeReference: 'GBNormativeReference',
  bibliographyEntry: 'GBBibliographyEntry',
  frontTitle: 'GBFrontTitle',
  tocTitle: 'GBTocTitle',
  bodyTitle: 'GBBodyTitle',
  documentNumber: 'GBDocumentNumber',
  documentTitle: 'GBDocumentTitle',
  coverCodes: 'GBCoverCodes',
  coverBanner: 'GBCoverBanner',
  coverEnglishTitle: 'GBCoverEnglishTitle',
  coverStage: 'GBCoverStage',
  coverDates: 'GBCoverDates',
  coverIssuer: 'GBCoverIssuer',
  headerOdd: 'GBHeaderOdd',
  headerEven: 'GBHeaderEven',
  footerOdd: 'GBFooterOdd',
  footerEven: 'GBFooterEven',
  endLine: 'GBEndLine',
  toc1: 'TOC1',
  toc2: 'TOC2',
  toc3: 'TOC3',
  sourceChar: 'GBSource',
} as const;

const LEVEL_ZH = ['一', '二', '三', '四', '五'];
/** Annex clause names: A.1 is the annex's 章, A.1.1 its 一级条 … */
const ANNEX_LEVEL_NAMES = ['附录章标题', '附录一级条标题', '附录二级条标题', '附录三级条标题', '附录四级条标题'];
const ANNEX_UNTITLED_NAMES = ['附录章无标题', '附录一级无标题', '附录二级无标题', '附录三级无标题', '附录四级无标题'];

/** Half a line and one line of the 15.6 pt grid, in twips. */
const HALF_LINE = 156;
const LINE = 312;

function run(face: Face, size: number): { font: ReturnType<typeof fontOf>; size: number } {
  return { font: fontOf(face), size };
}

function p(id: string, name: string, opts: Omit<IParagraphStyleOptions, 'id' | 'name'>): IParagraphStyleOptions {
  return { id, name, quickFormat: true, ...opts };
}

/** Body text paragraph settings shared by 段 and the untitled clauses. */
const bodyParagraph = { alignment: AlignmentType.JUSTIFIED, indent: { firstLineChars: 200, firstLine: 420 } } as const;

function headingStyles(): IParagraphStyleOptions[] {
  const out: IParagraphStyleOptions[] = [
    p(STYLE.chapter, '标准文件_章标题', {
      run: run('hei', SIZE.五号),
      paragraph: { ...num(NUM.body, 0), outlineLevel: 0, keepNext: true, keepLines: true, spacing: { before: LINE, after: LINE }, alignment: AlignmentType.LEFT },
    }),
  ];
  for (let i = 0; i < 5; i++) {
    out.push(
      p(STYLE.clause[i], `标准文件_${LEVEL_ZH[i]}级条标题`, {
        run: run('hei', SIZE.五号),
        paragraph: { ...num(NUM.body, i + 1), outlineLevel: i + 1, keepNext: true, keepLines: true, spacing: { before: HALF_LINE, after: HALF_LINE }, alignment: AlignmentType.LEFT },
      }),
      p(STYLE.untitled[i], `标准文件_${LEVEL_ZH[i]}级无标题`, { run: run('song', SIZE.五号), paragraph: { ...num(NUM.body, i + 1), alignment: AlignmentType.JUSTIFIED } }),
      p(STYLE.annexClause[i], `标准文件_${ANNEX_LEVEL_NAMES[i]}`, {
        run: run('hei', SIZE.五号),
        paragraph: { ...num(NUM.annex, i + 1), outlineLevel: i + 1, keepNext: true, keepLines: true, spacing: { before: HALF_LINE, after: HALF_LINE }, alignment: AlignmentType.LEFT },
      }),
      p(STYLE.annexUntitled[i], `标准文件_${ANNEX_UNTITLED_NAMES[i]}`, { run: run('song', SIZE.五号), paragraph: { ...num(NUM.annex, i + 1), alignment: AlignmentType.JUSTIFIED } }),
    );
  }
  out.push(
    p(STYLE.annexId, '标准文件_附录标识', {
      run: run('hei', SIZE.五号),
      paragraph: { ...num(NUM.annex, 0), outlineLevel: 0, keepNext: true, alignment: AlignmentType.CENTER, spacing: { before: 0, after: LINE } },
    }),
  );
  return out;
}

function captionStyles(): IParagraphStyleOptions[] {
  const caption = { run: run('hei', SIZE.五号), paragraph: { alignment: AlignmentType.CENTER, spacing: { before: HALF_LINE, after: HALF_LINE } } };
  return [
    p(STYLE.tableTitle, '标准文件_正文表标题', { ...caption, paragraph: { ...caption.paragraph, ...num(NUM.table, 0), keepNext: true } }),
    p(STYLE.annexTableTitle, '标准文件_附录表标题', { ...caption, paragraph: { ...caption.paragraph, ...num(NUM.annex, 6), keepNext: true } }),
    p(STYLE.tableContinued, '标准文件_表格续', { ...caption, paragraph: { ...caption.paragraph, keepNext: true } }),
    p(STYLE.tableUnit, '标准文件_表格单位', { run: run('song', SIZE.小五), paragraph: { alignment: AlignmentType.RIGHT, keepNext: true } }),
    p(STYLE.figureTitle, '标准文件_正文图标题', { ...caption, paragraph: { ...caption.paragraph, ...num(NUM.figure, 0) } }),
    p(STYLE.annexFigureTitle, '标准文件_附录图标题', { ...caption, paragraph: { ...caption.paragraph, ...num(NUM.annex, 7) } }),
    p(STYLE.table, '标准文件_表格', { run: run('song', SIZE.小五), paragraph: { alignment: AlignmentType.CENTER } }),
    p(STYLE.figure, '标准文件_图', { run: run('song', SIZE.小五), paragraph: { alignment: AlignmentType.CENTER, keepNext: true } }),
  ];
}

function blockStyles(): IParagraphStyleOptions[] {
  const small = run('song', SIZE.小五);
  // Notes and examples: indented 2 汉字 with the text hanging after the label (spec §2.7).
  const hang = { alignment: AlignmentType.JUSTIFIED, indent: { left: 737, hanging: 374 } };
  return [
    p(STYLE.segment, '标准文件_段', { run: run('song', SIZE.五号), paragraph: bodyParagraph }),
    p(STYLE.note, '标准文件_注：', { run: small, paragraph: hang }),
    p(STYLE.noteNumbered, '标准文件_注×：', { run: small, paragraph: { ...hang, indent: { left: 907, hanging: 544 } } }),
    p(STYLE.example, '标准文件_示例', { run: small, paragraph: { alignment: AlignmentType.JUSTIFIED, indent: { firstLineChars: 200, firstLine: 360 } } }),
    p(STYLE.exampleNumbered, '标准文件_示例×：', { run: small, paragraph: { alignment: AlignmentType.JUSTIFIED, indent: { firstLineChars: 200, firstLine: 360 } } }),
    p(STYLE.listDash, '标准文件_破折号列项', { run: run('song', SIZE.五号), paragraph: { alignment: AlignmentType.JUSTIFIED, indent: { left: 851, hanging: 426 } } }),
    p(STYLE.listLetter, '标准文件_字母编号列项（一级）', { run: run('song', SIZE.五号), paragraph: { alignment: AlignmentType.JUSTIFIED, indent: { left: 851, hanging: 426 } } }),
    p(STYLE.listNumber, '标准文件_数字编号列项（二级）', { run: run('song', SIZE.五号), paragraph: { alignment: AlignmentType.JUSTIFIED, indent: { left: 1276, hanging: 425 } } }),
    p(STYLE.formula, '标准文件_正文公式', {
      run: run('song', SIZE.五号),
      paragraph: {
        alignment: AlignmentType.LEFT,
        spacing: { before: HALF_LINE, after: HALF_LINE },
      },
    }),
    p(STYLE.formulaWhere, '标准文件_式中', { run: run('song', SIZE.五号), paragraph: { alignment: AlignmentType.JUSTIFIED, indent: { left: 1260, hanging: 840 } } }),
    p(STYLE.termNumber, '标准文件_术语条一', { run: run('hei', SIZE.五号), paragraph: { ...num(NUM.body, 1), keepNext: true, spacing: { before: HALF_LINE } } }),
    p(STYLE.term, '标准文件_术语', { run: run('hei', SIZE.五号), paragraph: { keepNext: true, indent: { firstLineChars: 200, firstLine: 420 } } }),
    p(STYLE.termDefinition, '标准文件_术语定义', { run: run('song', SIZE.五号), paragraph: bodyParagraph }),
    p(STYLE.normativeReference, '标准文件_规范性引用文件条目', { run: run('song', SIZE.五号), paragraph: { indent: { firstLineChars: 200, firstLine: 420 } } }),
    p(STYLE.bibliographyEntry, '标准文件_参考文献条目', { run: run('song', SIZE.五号), paragraph: { ...num(NUM.bibliography, 0), alignment: AlignmentType.JUSTIFIED, indent: { left: 420, hanging: 420 } } }),
    p(STYLE.endLine, '标准文件_终结线', {
      run: run('song', SIZE.五号),
      // About a quarter of the text width, centered (checklist 40).
      paragraph: {
        indent: { left: Math.round((TEXT_WIDTH * 3) / 8), right: Math.round((TEXT_WIDTH * 3) / 8) },
        spacing: { before: LINE * 2 },
        border: { top: { style: 'single', size: 6, color: '000000', space: 1 } },
      },
    }),
  ];
}

function frameStyles(): IParagraphStyleOptions[] {
  return [
    p(STYLE.frontTitle, '标准文件_前言、引言标题', {
      run: run('hei', SIZE.三号),
      paragraph: { outlineLevel: 0, alignment: AlignmentType.CENTER, spacing: { before: 480, after: 468 }, keepNext: true },
    }),
    p(STYLE.tocTitle, '标准文件_目录标题', { run: run('hei', SIZE.三号), paragraph: { alignment: AlignmentType.CENTER, spacing: { before: 480, after: 468 } } }),
    p(STYLE.bodyTitle, '标准文件_正文标准名称', { run: run('hei', SIZE.三号), paragraph: { alignment: AlignmentType.CENTER, spacing: { before: 560, after: 640 } } }),
    p(STYLE.documentNumber, '标准文件_文件编号', { run: run('hei', SIZE.四号), paragraph: { alignment: AlignmentType.RIGHT } }),
    p(STYLE.documentTitle, '标准文件_文件名称', { run: run('hei', SIZE.一号), paragraph: { alignment: AlignmentType.CENTER, spacing: { line: 700, lineRule: 'exact' } } }),
    p(STYLE.coverCodes, '标准文件_封面ICS和CCS', { run: run('hei', SIZE.五号), paragraph: { alignment: AlignmentType.LEFT } }),
    p(STYLE.coverBanner, '标准文件_封面标准称谓', { run: { ...run('hei', SIZE.一号), bold: true }, paragraph: { alignment: AlignmentType.DISTRIBUTE } }),
    p(STYLE.coverEnglishTitle, '标准文件_封面英文名称', { run: run('hei', SIZE.四号), paragraph: { alignment: AlignmentType.CENTER, spacing: { before: 320 } } }),
    p(STYLE.coverStage, '标准文件_封面标准文稿类别', { run: run('song', SIZE.小四), paragraph: { alignment: AlignmentType.CENTER, spacing: { before: 480 } } }),
    p(STYLE.coverDates, '标准文件_发布日期和实施日期', { run: run('hei', SIZE.四号) }),
    p(STYLE.coverIssuer, '标准文件_发布部门', { run: run('hei', SIZE.小二), paragraph: { alignment: AlignmentType.CENTER } }),
    p(STYLE.headerOdd, '标准文件_页眉奇数页', { run: run('hei', SIZE.五号), paragraph: { alignment: AlignmentType.RIGHT, spacing: { after: 120 } } }),
    p(STYLE.headerEven, '标准文件_页眉偶数页', { run: run('hei', SIZE.五号), paragraph: { alignment: AlignmentType.LEFT, spacing: { after: 120 } } }),
    p(STYLE.footerOdd, '标准文件_页脚奇数页', { run: run('song', SIZE.小五), paragraph: { alignment: AlignmentType.RIGHT, indent: { right: 227 } } }),
    p(STYLE.footerEven, '标准文件_页脚偶数页', { run: run('song', SIZE.小五), paragraph: { alignment: AlignmentType.LEFT, indent: { left: 198 } } }),
    p(STYLE.toc1, 'toc 1', { run: run('song', SIZE.五号), paragraph: { spacing: { line: 320, lineRule: 'exact' } } }),
    p(STYLE.toc2, 'toc 2', { run: run('song', SIZE.五号), paragraph: { indent: { left: 210 }, spacing: { line: 320, lineRule: 'exact' } } }),
    p(STYLE.toc3, 'toc 3', { run: run('song', SIZE.五号), paragraph: { indent: { left: 420 }, spacing: { line: 320, lineRule: 'exact' } } }),
  ];
}

function characterStyles(): ICharacterStyleOptions[] {
  return [{ id: STYLE.sourceChar, name: '标准文件_来源', run: { font: fontOf('song') } }];
}

/** All styles of a standard document; the document default is 宋体 五号. */
export function stylesOptions(): IStylesOptions {
  return {
    // zh-CN for East Asian text: Word and WPS then apply Chinese line-breaking and punctuation rules.
    default: { document: { run: { font: fontOf('song'), size: SIZE.五号, language: { value: 'en-US', eastAsia: 'zh-CN' } } } },
    paragraphStyles: [...headingStyles(), ...captionStyles(), ...blockStyles(), ...frameStyles()],
    characterStyles: characterStyles(),
  };
}

/** Tab stops of a formula line: the formula centered, its number flush right after a dot leader (spec §2.10). */
export const FORMULA_TABS = [
  { type: TabStopType.CENTER, position: Math.round(TEXT_WIDTH / 2) },
  { type: TabStopType.RIGHT, position: TEXT_WIDTH, leader: LeaderType.DOT },
];

/** The TOC `\t` switch: which styles feed which 目次 level (spec §1.1 "What the 目次 must list"). */
export const TOC_STYLES: { styleName: string; level: number }[] = [
  { styleName: '标准文件_前言、引言标题', level: 1 },
  { styleName: '标准文件_章标题', level: 1 },
  { styleName: '标准文件_附录标识', level: 1 },
  { styleName: '标准文件_一级条标题', level: 2 },
  { styleName: '标准文件_附录章标题', level: 2 },
];
