// Editor typing cost on a large standard (`npx tsx bench/editor-typing.ts`): one keystroke applied to an
// EditorState carrying the id and numbering plugins (as in the browser), against the reference of
// recomputing ids, numbers and decorations from scratch on every change, which is what the plugins did
// before they learnt to skip pure typing. Also the full recomputation itself, paid on structural edits.
import { EditorState, TextSelection } from 'prosemirror-state';
import { bigStandard } from './big-standard';
import { computeNumbering } from '../editor/numbering';
import { numberDecorations, numberingKey, numberingPlugin } from '../editor/decorations';
import { fixIds, idPlugin } from '../editor/ids';
import { insertClauseAfter } from '../editor/commands';

function timeMs(reps: number, f: () => void): number {
  f();
  const t = performance.now();
  for (let i = 0; i < reps; i++) f();
  return (performance.now() - t) / reps;
}

const d = bigStandard(40);
const bytes = JSON.stringify(d.toJSON()).length;
let nodes = 0;
d.descendants(() => {
  nodes++;
  return true;
});
let typed = EditorState.create({ doc: d, plugins: [idPlugin(), numberingPlugin()] });
void numberingKey.getState(typed)?.decorations;
const textPos = 8; // inside the 范围 paragraph
// The view reads the decorations after every update; the numbering plugin computes lazily, so do the same.
const settle = (state: EditorState): EditorState => {
  void numberingKey.getState(state)?.decorations;
  return state;
};
const ours = timeMs(200, () => {
  typed = settle(typed.apply(typed.tr.insertText('字', textPos)));
});
let plain = EditorState.create({ doc: d });
const reference = timeMs(10, () => {
  plain = plain.apply(plain.tr.insertText('字', textPos));
  fixIds(plain);
  numberDecorations(plain.doc, computeNumbering(plain.doc));
});
let structural = settle(EditorState.create({ doc: d, plugins: [idPlugin(), numberingPlugin()] }));
let clausePos = 0;
structural.doc.descendants((node, pos) => {
  if (!clausePos && node.type.name === 'clause1') clausePos = pos + 3;
  return !clausePos;
});
structural = structural.apply(structural.tr.setSelection(TextSelection.near(structural.doc.resolve(clausePos))));
const insertClause = timeMs(5, () => {
  insertClauseAfter(true)(structural, (tr) => {
    structural = settle(structural.apply(tr));
  });
});

let splitting = settle(EditorState.create({ doc: d, plugins: [idPlugin(), numberingPlugin()] }));
const enter = timeMs(10, () => {
  splitting = settle(splitting.apply(splitting.tr.split(textPos)));
});

console.log(`document: ${(bytes / 1e6).toFixed(2)} MB of JSON, ${nodes} nodes`);
console.log('| operation | ours (ms) | reference: full recomputation (ms) | ratio |');
console.log('| --- | --- | --- | --- |');
console.log(`| one keystroke | ${ours.toFixed(3)} | ${reference.toFixed(1)} | ${(reference / ours).toFixed(0)}× |`);
console.log(`| Enter in a paragraph (structural, no number changes) | ${enter.toFixed(1)} | — | — |`);
console.log(`| insert a clause (structural, numbers change) | ${insertClause.toFixed(1)} | — | — |`);
console.log(`RESULT editor-keystroke-ms ${ours.toFixed(3)} goal 2 ${ours <= 2 ? 'met' : 'missed'}`);
console.log(`RESULT editor-structural-edit-ms ${insertClause.toFixed(1)} goal 100 ${insertClause <= 100 ? 'met' : 'missed'}`);
