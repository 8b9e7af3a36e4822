// Typographic constants of a GB/T 1.1—2020 document (spec §0, §3, §4.1): Chinese type sizes in docx
// half-points, the two East Asian faces, and page geometry in twips. One place, so styles, cover and
// tests agree on every number.

/** Chinese type sizes as docx half-points (`size`). */
export const SIZE = {
  一号: 52,
  小二: 36,
  三号: 32,
  四号: 28,
  小四: 24,
  五号: 21,
  小五: 18,
} as const;

/** Font names: 宋体 / 黑体 for East Asian text, Times New Roman for Latin (spec §3.2). */
export const FONT = {
  song: 'SimSun',
  hei: 'SimHei',
  latin: 'Times New Roman',
} as const;

export type Face = 'song' | 'hei';

/** The run font of a face: East Asian 宋体 or 黑体, Latin Times New Roman. */
export function fontOf(face: Face): { ascii: string; hAnsi: string; eastAsia: string; cs: string } {
  return { ascii: FONT.latin, hAnsi: FONT.latin, eastAsia: face === 'song' ? FONT.song : FONT.hei, cs: FONT.latin };
}

/** twips per millimetre (1 mm = 56.7 twip). */
export const mm = (v: number): number => Math.round(v * 56.7);

/** A4 portrait and the TCS-style margins (spec §4.1, checklist 34–35). */
export const PAGE = {
  width: 11906,
  height: 16838,
  margin: { top: 1928, bottom: 1134, left: 1134, right: 1134, header: 1418, footer: 1134, gutter: 284 },
  /** Document grid: lines, 15.6 pt pitch (五号 single line). */
  linePitch: 312,
} as const;

/** Width of the text block in twips. */
export const TEXT_WIDTH = PAGE.width - PAGE.margin.left - PAGE.margin.right - PAGE.margin.gutter;

/** One 汉字 gap between a number and its title (checklist 15). */
export const IDEOGRAPHIC_SPACE = '\u3000';
