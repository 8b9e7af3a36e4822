// OMML (Word equations) → the editor's formula text: plain linear text with em / sub / sup marks, the
// representation formulaText holds. Fractions become a/b (parenthesised when needed), radicals √(…),
// n-ary operators their sign with limits as sub/superscripts; anything else keeps its text in order.
import type { MarkTypeName } from '../types';
import { child, kids, onOff, textOf, val, type XEl } from './xml';

export interface MathRun {
  text: string;
  marks: MarkTypeName[];
  bold: boolean;
}

function plain(runs: MathRun[]): string {
  return runs.map((r) => r.text).join('');
}

function paren(runs: MathRun[]): MathRun[] {
  const t = plain(runs);
  return t.length > 1 && !/^[\w.]+$/.test(t) ? [{ text: '(', marks: [], bold: false }, ...runs, { text: ')', marks: [], bold: false }] : runs;
}

/** Constructs whose meaning the linear text loses (matrices, equation arrays, accents, bars, limits below/above …). */
const LINEAR_LOSES = new Set(['m:m', 'm:eqArr', 'm:acc', 'm:bar', 'm:limLow', 'm:limUpp', 'm:groupChr', 'm:sPre', 'm:phant']);

function withMark(runs: MathRun[], mark: MarkTypeName, lossy?: Set<string>): MathRun[] {
  // A script inside a script cannot be told apart once flattened.
  if (lossy && runs.some((r) => r.marks.includes('sub') || r.marks.includes('sup'))) lossy.add('nested script');
  return runs.map((r) => ({ ...r, marks: [...r.marks.filter((m) => m !== 'sub' && m !== 'sup'), mark] }));
}

function convert(el: XEl | undefined, lossy: Set<string>): MathRun[] {
  if (!el) return [];
  const out: MathRun[] = [];
  for (const c of kids(el)) {
    switch (c.name) {
      case 'm:r': {
        const t = child(c, 'm:t');
        if (!t) break;
        const rPr = child(c, 'm:rPr');
        // Math italic is the default for letters (m:sty p = plain).
        const plainStyle = val(rPr, 'm:sty') === 'p' || onOff(rPr, 'm:nor');
        const text = textOf(t);
        out.push({ text, marks: !plainStyle && /[A-Za-z\u0370-\u03ff]/.test(text) ? ['em'] : [], bold: false });
        break;
      }
      case 'm:f': {
        const num = convert(child(c, 'm:num'), lossy);
        const den = convert(child(c, 'm:den'), lossy);
        out.push(...paren(num), { text: '/', marks: [], bold: false }, ...paren(den));
        break;
      }
      case 'm:sSub':
        out.push(...convert(child(c, 'm:e'), lossy), ...withMark(convert(child(c, 'm:sub'), lossy), 'sub', lossy));
        break;
      case 'm:sSup':
        out.push(...convert(child(c, 'm:e'), lossy), ...withMark(convert(child(c, 'm:sup'), lossy), 'sup', lossy));
        break;
      case 'm:sSubSup':
        out.push(...convert(child(c, 'm:e'), lossy), ...withMark(convert(child(c, 'm:sub'), lossy), 'sub', lossy), ...withMark(convert(child(c, 'm:sup'), lossy), 'sup', lossy));
        break;
      case 'm:rad': {
        const deg = plain(convert(child(c, 'm:deg'), lossy));
        out.push({ text: deg ? `${deg}√(` : '√(', marks: [], bold: false }, ...convert(child(c, 'm:e'), lossy), { text: ')', marks: [], bold: false });
        break;
      }
      case 'm:nary': {
        const chr = child(child(c, 'm:naryPr'), 'm:chr')?.attrs['m:val'] ?? '∫';
        out.push({ text: chr, marks: [], bold: false }, ...withMark(convert(child(c, 'm:sub'), lossy), 'sub', lossy), ...withMark(convert(child(c, 'm:sup'), lossy), 'sup', lossy), ...convert(child(c, 'm:e'), lossy));
        break;
      }
      case 'm:d': {
        const pr = child(c, 'm:dPr');
        const beg = child(pr, 'm:begChr')?.attrs['m:val'] ?? '(';
        const end = child(pr, 'm:endChr')?.attrs['m:val'] ?? ')';
        const sep = child(pr, 'm:sepChr')?.attrs['m:val'] ?? ',';
        const parts = kids(c).filter((k) => k.name === 'm:e').map((e) => convert(e, lossy));
        out.push({ text: beg, marks: [], bold: false });
        parts.forEach((p, i) => {
          if (i > 0) out.push({ text: sep, marks: [], bold: false });
          out.push(...p);
        });
        out.push({ text: end, marks: [], bold: false });
        break;
      }
      case 'm:rPr':
      case 'm:ctrlPr':
      case 'm:oMathParaPr':
        break;
      default:
        if (LINEAR_LOSES.has(c.name)) lossy.add(c.name);
        if (!c.name.endsWith('Pr')) out.push(...convert(c, lossy));
        break;
    }
  }
  return out;
}

/** The runs of one m:oMath or m:oMathPara, adjacent runs with the same marks merged; constructs the linear
 *  text cannot express are added to `lossy` (the import reports the formula for checking). */
export function ommlToRuns(el: XEl, lossy: Set<string> = new Set()): MathRun[] {
  const merged: MathRun[] = [];
  for (const r of convert(el, lossy)) {
    const last = merged[merged.length - 1];
    if (last && last.marks.join() === r.marks.join()) last.text += r.text;
    else if (r.text) merged.push({ ...r });
  }
  return merged;
}
