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

function withMark(runs: MathRun[], mark: MarkTypeName): MathRun[] {
  return runs.map((r) => ({ ...r, marks: [...r.marks.filter((m) => m !== 'sub' && m !== 'sup'), mark] }));
}

function convert(el: XEl | undefined): MathRun[] {
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
        const num = convert(child(c, 'm:num'));
        const den = convert(child(c, 'm:den'));
        out.push(...paren(num), { text: '/', marks: [], bold: false }, ...paren(den));
        break;
      }
      case 'm:sSub':
        out.push(...convert(child(c, 'm:e')), ...withMark(convert(child(c, 'm:sub')), 'sub'));
        break;
      case 'm:sSup':
        out.push(...convert(child(c, 'm:e')), ...withMark(convert(child(c, 'm:sup')), 'sup'));
        break;
      case 'm:sSubSup':
        out.push(...convert(child(c, 'm:e')), ...withMark(convert(child(c, 'm:sub')), 'sub'), ...withMark(convert(child(c, 'm:sup')), 'sup'));
        break;
      case 'm:rad': {
        const deg = plain(convert(child(c, 'm:deg')));
        out.push({ text: deg ? `${deg}√(` : '√(', marks: [], bold: false }, ...convert(child(c, 'm:e')), { text: ')', marks: [], bold: false });
        break;
      }
      case 'm:nary': {
        const chr = child(child(c, 'm:naryPr'), 'm:chr')?.attrs['m:val'] ?? '∫';
        out.push({ text: chr, marks: [], bold: false }, ...withMark(convert(child(c, 'm:sub')), 'sub'), ...withMark(convert(child(c, 'm:sup')), 'sup'), ...convert(child(c, 'm:e')));
        break;
      }
      case 'm:d': {
        const pr = child(c, 'm:dPr');
        const beg = child(pr, 'm:begChr')?.attrs['m:val'] ?? '(';
        const end = child(pr, 'm:endChr')?.attrs['m:val'] ?? ')';
        const sep = child(pr, 'm:sepChr')?.attrs['m:val'] ?? ',';
        const parts = kids(c).filter((k) => k.name === 'm:e').map(convert);
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
        if (!c.name.endsWith('Pr')) out.push(...convert(c));
        break;
    }
  }
  return out;
}

/** The runs of one m:oMath or m:oMathPara, adjacent runs with the same marks merged. */
export function ommlToRuns(el: XEl): MathRun[] {
  const merged: MathRun[] = [];
  for (const r of convert(el)) {
    const last = merged[merged.length - 1];
    if (last && last.marks.join() === r.marks.join()) last.text += r.text;
    else if (r.text) merged.push({ ...r });
  }
  return merged;
}
