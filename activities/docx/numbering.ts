// Multilevel numbering definitions bound to the named styles (spec §9 "Auto-numbering"): chapter and
// clause numbers, annex letters and annex clause/table/figure numbers, 表N, 图N, 注N, 示例N, list markers
// and 参考文献 [N]. Word generates every number from these, so the numbers stay right when someone edits
// the file; the generator never types a structural number.
import { AlignmentType, BuilderElement, LevelFormat, LevelSuffix, type Document, type ILevelsOptions, type INumberingOptions } from 'docx';
import { fontOf, IDEOGRAPHIC_SPACE as GAP } from './typography';
import { NUM, STYLE } from './styles';

export { NUM };

export type ListMarker = 'dash' | 'letter' | 'number';

/** The numbering reference of a two-level list whose first level is `first` and second level `second`. */
export function listReference(first: ListMarker, second: ListMarker): string {
  return `gbt-list-${first}-${second}`;
}

const hei = { font: fontOf('hei') };

function decimalChain(depth: number): string {
  let s = '%1';
  for (let i = 2; i <= depth; i++) s += `.%${i}`;
  return s;
}

function bodyLevels(): ILevelsOptions[] {
  const levels: ILevelsOptions[] = [
    { level: 0, format: LevelFormat.DECIMAL, text: `%1${GAP}`, suffix: LevelSuffix.NOTHING, alignment: AlignmentType.LEFT, style: { run: hei } },
  ];
  for (let l = 1; l <= 5; l++) {
    levels.push({ level: l, format: LevelFormat.DECIMAL, text: `${decimalChain(l + 1)}${GAP}`, suffix: LevelSuffix.NOTHING, alignment: AlignmentType.LEFT, style: { run: hei } });
  }
  return levels;
}

function annexLevels(): ILevelsOptions[] {
  const levels: ILevelsOptions[] = [
    { level: 0, format: LevelFormat.UPPER_LETTER, text: '附录%1', suffix: LevelSuffix.NOTHING, alignment: AlignmentType.CENTER, style: { run: hei } },
  ];
  for (let l = 1; l <= 5; l++) {
    levels.push({ level: l, format: LevelFormat.DECIMAL, text: `${decimalChain(l + 1)}${GAP}`, suffix: LevelSuffix.NOTHING, alignment: AlignmentType.LEFT, style: { run: hei } });
  }
  levels.push({ level: 6, format: LevelFormat.DECIMAL, text: `表%1.%7${GAP}`, suffix: LevelSuffix.NOTHING, alignment: AlignmentType.LEFT, style: { run: hei } });
  levels.push({ level: 7, format: LevelFormat.DECIMAL, text: `图%1.%8${GAP}`, suffix: LevelSuffix.NOTHING, alignment: AlignmentType.LEFT, style: { run: hei } });
  return levels;
}

function introductionLevels(): ILevelsOptions[] {
  return [0, 1, 2, 3, 4].map((l) => ({
    level: l,
    format: LevelFormat.DECIMAL,
    text: `0.${decimalChain(l + 1)}${GAP}`,
    suffix: LevelSuffix.NOTHING,
    alignment: AlignmentType.LEFT,
    style: { run: hei },
  }));
}

function single(text: string, format: (typeof LevelFormat)[keyof typeof LevelFormat], run = hei, indent?: { left: number; hanging: number }): ILevelsOptions[] {
  return [{ level: 0, format, text, suffix: LevelSuffix.NOTHING, alignment: AlignmentType.LEFT, style: { run, ...(indent ? { paragraph: { indent } } : {}) } }];
}

function listLevel(level: 0 | 1, marker: ListMarker): ILevelsOptions {
  const text = marker === 'dash' ? (level === 0 ? '——' : '·') : `%${level + 1})`;
  // 「——」 is two characters: a bullet level keeps only the first in LibreOffice (one bullet character per
  // level), so the dash is the literal level text of an unnumbered level (numFmt none), which Word and
  // LibreOffice both print whole. The one-character 「·」 stays a bullet.
  const format =
    marker === 'dash' ? (level === 0 ? LevelFormat.NONE : LevelFormat.BULLET) : marker === 'letter' ? LevelFormat.LOWER_LETTER : LevelFormat.DECIMAL;
  // Indents of the TCS template (spec §1.3): the marker after 2 汉字, wrapped lines aligned with the text.
  const indent = level === 0 ? { left: 851, hanging: 426 } : { left: 1276, hanging: 425 };
  return {
    level,
    format,
    text,
    // A tab to the hanging indent, so the item's text lines up after the marker (a)␣具有代表性).
    suffix: LevelSuffix.TAB,
    alignment: AlignmentType.LEFT,
    style: { run: { font: fontOf('song') }, paragraph: { indent } },
  };
}

const MARKERS: readonly ListMarker[] = ['dash', 'letter', 'number'];

/** All numbering definitions of a standard document. */
export function numberingOptions(): INumberingOptions {
  const config: { reference: string; levels: ILevelsOptions[] }[] = [
    { reference: NUM.body, levels: bodyLevels().map((l, i) => withStyle(l, i === 0 ? STYLE.chapter : STYLE.clause[i - 1])) },
    { reference: NUM.annex, levels: annexLevels().map((l, i) => withStyle(l, annexStyleAt(i))) },
    { reference: NUM.introduction, levels: introductionLevels() },
    { reference: NUM.table, levels: single(`表%1${GAP}`, LevelFormat.DECIMAL).map((l) => withStyle(l, STYLE.tableTitle)) },
    { reference: NUM.figure, levels: single(`图%1${GAP}`, LevelFormat.DECIMAL).map((l) => withStyle(l, STYLE.figureTitle)) },
    { reference: NUM.note, levels: single('注%1：', LevelFormat.DECIMAL, hei, { left: 907, hanging: 544 }) },
    { reference: NUM.example, levels: single('示例%1：', LevelFormat.DECIMAL, hei, { left: 1077, hanging: 714 }) },
    // 「[1]」 then a tab to the hanging indent, so the entry never runs on from the bracket (issue 13 item 8).
    { reference: NUM.bibliography, levels: single('[%1]', LevelFormat.DECIMAL, { font: fontOf('song') }, { left: 420, hanging: 420 }).map((l) => ({ ...l, suffix: LevelSuffix.TAB })) },
  ];
  for (const first of MARKERS) {
    for (const second of MARKERS) config.push({ reference: listReference(first, second), levels: [listLevel(0, first), listLevel(1, second)] });
  }
  return { config };
}

function withStyle(level: ILevelsOptions, styleId: string | undefined): ILevelsOptions {
  return styleId ? { ...level, style: { ...level.style, style: styleId } } : level;
}

function annexStyleAt(level: number): string | undefined {
  if (level === 0) return STYLE.annexId;
  if (level <= 5) return STYLE.annexClause[level - 1];
  if (level === 6) return STYLE.annexTableTitle;
  if (level === 7) return STYLE.annexFigureTitle;
  return undefined;
}

interface XmlNode {
  root?: unknown[];
}

/**
 * Annex table and figure numbers (levels 6–7 of the annex list) restart at each new annex only,
 * not at every annex clause: Word's `w:lvlRestart w:val="1"`. The docx library has no option for it, so
 * it is added to the built numbering definitions, right after `w:numFmt` as the schema orders it.
 */
export function addAnnexLevelRestarts(doc: Document): void {
  const numbering = (doc as unknown as { Numbering: { abstractNumberingMap: Map<string, XmlNode> } }).Numbering;
  const annex = numbering.abstractNumberingMap.get(NUM.annex);
  if (!annex?.root) throw new RangeError('annex numbering definition not found');
  for (const lvl of annex.root) {
    const root = (lvl as XmlNode).root;
    if (!root || (lvl as { rootKey?: string }).rootKey !== 'w:lvl') continue;
    const ilvl = levelIndexOf(root);
    if (ilvl === undefined || ilvl < 6) continue;
    const at = root.findIndex((c) => (c as { rootKey?: string }).rootKey === 'w:numFmt');
    root.splice(at + 1, 0, new BuilderElement({ name: 'w:lvlRestart', attributes: { val: { key: 'w:val', value: 1 } } }));
  }
}

function levelIndexOf(root: unknown[]): number | undefined {
  for (const c of root) {
    const attrs = (c as { root?: { ilvl?: string | number } }).root;
    if (attrs && typeof attrs === 'object' && 'ilvl' in attrs) return Number(attrs.ilvl);
  }
  return undefined;
}
