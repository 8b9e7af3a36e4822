// Cost of the drafting-rule check in the editor on a large standard (`npx tsx bench/editor-checker.ts`):
// one check as the findings pane runs it after a pause in typing (document → JSON → checkDraft → marks),
// side by side with the reference of a full numbering recomputation (what the editor already pays on every
// structural edit), and the cost the marks add to a keystroke between two checks (mapping them).
import { EditorState } from 'prosemirror-state';
import type { Node } from 'prosemirror-model';
import { foreword, normativeReferences, p, scope, termsAndDefinitions } from '../editor/builders';
import { bigStandard as bigStandardOf, PARA } from './big-standard';
import { computeNumbering } from '../editor/numbering';
import { checkDraft } from '../editor/checker';
import type { DocJSON } from '../editor/types';
import { findingDecorations, findingsKey, findingsPlugin } from '../editor/browser/findings';

// Every fifth clause breaks a rule (必须 in a provision), so the marks are many, as in a poor first draft.
const BAD = '监测单位必须按本条要求采样，采样记录必须保存。';

function bigStandard(chapters: number): Node {
  return bigStandardOf(chapters, {
    leadParagraph: (k) => (k % 5 === 0 ? BAD : PARA),
    front: [foreword(p('前言')), scope(p('本文件规定了示范区水质监测。')), normativeReferences(), termsAndDefinitions(p('本文件没有需要界定的术语和定义。'))],
  });
}

function timeMs(reps: number, f: () => void): { mean: number; max: number } {
  f();
  let max = 0;
  const t = performance.now();
  for (let i = 0; i < reps; i++) {
    const s = performance.now();
    f();
    max = Math.max(max, performance.now() - s);
  }
  return { mean: (performance.now() - t) / reps, max };
}

const d = bigStandard(Number(process.env.BENCH_CHAPTERS ?? 39));
const bytes = JSON.stringify(d.toJSON()).length;

let findings = checkDraft(d.toJSON() as DocJSON);
const check = timeMs(20, () => {
  findings = checkDraft(d.toJSON() as DocJSON);
  findingDecorations(d, findings, 'zh');
});
const toJSON = timeMs(20, () => d.toJSON());
const checkerOnly = timeMs(20, () => checkDraft(d.toJSON() as DocJSON));
const numbering = timeMs(20, () => computeNumbering(d));

let textPos = 0;
d.descendants((node, pos) => {
  if (!textPos && node.isTextblock && node.textContent === PARA) textPos = pos + 5;
  return !textPos;
});
let marked = EditorState.create({ doc: d, plugins: [findingsPlugin()] });
marked = marked.apply(marked.tr.setMeta(findingsKey, (n: Node) => findingDecorations(n, findings, 'zh')));
const marks = findingsKey.getState(marked)!.find().length;
let plain = EditorState.create({ doc: d });
const keyMarked = timeMs(300, () => {
  marked = marked.apply(marked.tr.insertText('字', textPos));
});
const keyPlain = timeMs(300, () => {
  plain = plain.apply(plain.tr.insertText('字', textPos));
});
const keystrokeExtra = Math.max(0, keyMarked.mean - keyPlain.mean);

console.log(`document: ${(bytes / 1e6).toFixed(2)} MB of JSON, ${findings.length} findings, ${marks} marks`);
console.log('| operation | mean (ms) | max (ms) |');
console.log('| --- | ---: | ---: |');
console.log(`| one check: toJSON + checkDraft + marks (ours) | ${check.mean.toFixed(1)} | ${check.max.toFixed(1)} |`);
console.log(`| of which doc.toJSON() | ${toJSON.mean.toFixed(1)} | ${toJSON.max.toFixed(1)} |`);
console.log(`| of which toJSON + checkDraft | ${checkerOnly.mean.toFixed(1)} | ${checkerOnly.max.toFixed(1)} |`);
console.log(`| reference: full numbering recomputation | ${numbering.mean.toFixed(1)} | ${numbering.max.toFixed(1)} |`);
console.log(`| keystroke with ${marks} marks mapped | ${keyMarked.mean.toFixed(3)} | ${keyMarked.max.toFixed(3)} |`);
console.log(`| keystroke without marks | ${keyPlain.mean.toFixed(3)} | ${keyPlain.max.toFixed(3)} |`);
console.log(`RESULT editor-check-ms ${check.mean.toFixed(1)} goal 100 ${check.mean <= 100 ? 'met' : 'missed'}`);
console.log(`RESULT editor-findings-keystroke-extra-ms ${keystrokeExtra.toFixed(3)} goal 1 ${keystrokeExtra <= 1 ? 'met' : 'missed'}`);
