// Clause-by-clause comparison of two versions, on documents built with the editor's builders.
import { chapter, clause, docJSON, foreword, h, normativeReferences, p, scope, termsAndDefinitions, xref } from '../../../editor/builders';
import { computeNumbering } from '../../../editor/numbering';
import type { DocJSON } from '../../../editor/types';
import { compareVersions, type ClauseChange } from '../../../activities/versions/compare';

const side = (json: DocJSON) => ({ json, numbering: computeNumbering(json) });
const front = () => [foreword(p('本文件按照GB/T 1.1—2020的规定起草。')), scope(p('本文件规定了水污染物排放限值。')), normativeReferences(), termsAndDefinitions(p('下列术语和定义适用于本文件。'))];

function byId(changes: ClauseChange[], id: string): ClauseChange {
  const c = changes.find((x) => x.id === id);
  if (!c) throw new Error(`no change for ${id}`);
  return c;
}

const v1 = docJSON(
  ...front(),
  chapter({ id: 'ch4' }, h('排放控制要求'), clause({ id: 'c41' }, h('一般要求'), p('应当达标排放。')), clause({ id: 'c42' }, h('限值'), p('化学需氧量限值为50 mg/L。'))),
  chapter({ id: 'ch5' }, h('监测要求'), clause({ id: 'c51' }, h('采样'), p('按照', xref('c42'), '执行。'))),
);

test('identical versions compare as unchanged clause by clause', () => {
  const { changes, summary } = compareVersions(side(v1), side(v1));
  expect(summary.changed + summary.added + summary.removed).toBe(0);
  expect(byId(changes, 'c42')).toMatchObject({ status: 'unchanged', renumbered: false, parts: [{ type: 'equal', text: '限值\n化学需氧量限值为50 mg/L。' }] });
});

test('a clause inserted between 4.1 and 4.2 is added, and 4.2 is the same clause renumbered to 4.3', () => {
  const v2 = docJSON(
    ...front(),
    chapter({ id: 'ch4' }, h('排放控制要求'), clause({ id: 'c41' }, h('一般要求'), p('应当达标排放。')), clause({ id: 'cNew' }, h('预处理'), p('应设置预处理设施。')), clause({ id: 'c42' }, h('限值'), p('化学需氧量限值为50 mg/L。'))),
    chapter({ id: 'ch5' }, h('监测要求'), clause({ id: 'c51' }, h('采样'), p('按照', xref('c42'), '执行。'))),
  );
  const { changes, summary } = compareVersions(side(v1), side(v2));
  expect(byId(changes, 'cNew')).toMatchObject({ status: 'added', after: { label: '4.2', title: '预处理' }, parts: [{ type: 'insert', text: '预处理\n应设置预处理设施。' }] });
  expect(byId(changes, 'c42')).toMatchObject({ status: 'unchanged', renumbered: true, before: { label: '4.2' }, after: { label: '4.3' } });
  // The cross-reference in 5.1 now reads 4.3: what the reader sees changed.
  const c51 = byId(changes, 'c51');
  expect(c51.status).toBe('changed');
  expect(c51.parts.filter((x) => x.type === 'delete').map((x) => x.text).join('')).toBe('2');
  expect(c51.parts.filter((x) => x.type === 'insert').map((x) => x.text).join('')).toBe('3');
  expect(changes.map((c) => c.id).indexOf('cNew')).toBe(changes.map((c) => c.id).indexOf('c41') + 1);
  expect(summary).toMatchObject({ added: 1, removed: 0, changed: 1, renumbered: 1 });
});

test('edited text is marked as insertions and deletions, character by character', () => {
  const v2 = docJSON(
    ...front(),
    chapter({ id: 'ch4' }, h('排放控制要求'), clause({ id: 'c41' }, h('一般要求'), p('应当达标排放。')), clause({ id: 'c42' }, h('排放限值'), p('化学需氧量限值为30 mg/L。'))),
    chapter({ id: 'ch5' }, h('监测要求'), clause({ id: 'c51' }, h('采样'), p('按照', xref('c42'), '执行。'))),
  );
  const c42 = byId(compareVersions(side(v1), side(v2)).changes, 'c42');
  expect(c42.status).toBe('changed');
  expect(c42.after?.title).toBe('排放限值');
  const rebuilt = (keep: 'insert' | 'delete') => c42.parts.filter((x) => x.type !== keep).map((x) => x.text).join('');
  expect(rebuilt('insert')).toBe('限值\n化学需氧量限值为50 mg/L。');
  expect(rebuilt('delete')).toBe('排放限值\n化学需氧量限值为30 mg/L。');
  expect(c42.parts).toContainEqual({ type: 'insert', text: '排放' });
});

test('a removed clause is listed where it stood, after the clause that preceded it', () => {
  const v2 = docJSON(
    ...front(),
    chapter({ id: 'ch4' }, h('排放控制要求'), clause({ id: 'c42' }, h('限值'), p('化学需氧量限值为50 mg/L。'))),
    chapter({ id: 'ch5' }, h('监测要求'), clause({ id: 'c51' }, h('采样'), p('按照', xref('c42'), '执行。'))),
  );
  const { changes } = compareVersions(side(v1), side(v2));
  const ids = changes.map((c) => c.id);
  expect(byId(changes, 'c41')).toMatchObject({ status: 'removed', before: { label: '4.1' }, parts: [{ type: 'delete', text: '一般要求\n应当达标排放。' }] });
  expect(ids.indexOf('c41')).toBe(ids.indexOf('ch4') + 1);
  expect(byId(changes, 'c42')).toMatchObject({ renumbered: true, after: { label: '4.1' } });
});

test('a clause moved to another chapter keeps its identity and is marked as moved', () => {
  const v2 = docJSON(
    ...front(),
    chapter({ id: 'ch4' }, h('排放控制要求'), clause({ id: 'c41' }, h('一般要求'), p('应当达标排放。'))),
    chapter({ id: 'ch5' }, h('监测要求'), clause({ id: 'c51' }, h('采样'), p('按照', xref('c42'), '执行。')), clause({ id: 'c42' }, h('限值'), p('化学需氧量限值为50 mg/L。'))),
  );
  const c42 = byId(compareVersions(side(v1), side(v2)).changes, 'c42');
  expect(c42).toMatchObject({ status: 'unchanged', moved: true, renumbered: true, before: { label: '4.2' }, after: { label: '5.2' } });
});
