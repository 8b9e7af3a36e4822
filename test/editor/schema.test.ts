// The schema enforces the GB/T 1.1 element order, the clause depth and the list depth.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { schema, clauseLevel, clauseTypeAt, ID_NODE_TYPES } from '../../editor/schema';
import {
  annex, bibliography, bib, chapter, clause, doc, docJSON, foreword, h, li, list, minimalDoc, normativeReferences, p, scope,
  sublist, termsAndDefinitions,
} from '../../editor/builders';
import { sampleStandard, sampleStandardJSON } from '../../editor/fixtures/sample-standard';
import type { NodeJSON } from '../../editor/types';

const fixed = () => [foreword(p('前言')), scope(p('范围')), normativeReferences(), termsAndDefinitions()];

function isValid(json: unknown): boolean {
  try {
    schema.nodeFromJSON(json).check();
    return true;
  } catch {
    return false;
  }
}

describe('document schema', () => {
  it('fills a new document with foreword and chapters 1–3, in that order', () => {
    const empty = schema.topNodeType.createAndFill();
    expect(empty?.content.content.map((n) => n.type.name)).toEqual(['foreword', 'scope', 'normativeReferences', 'termsAndDefinitions']);
  });

  it('rejects a document without chapter 1 范围', () => {
    const json = docJSON(...fixed());
    json.content = json.content.filter((n) => n.type !== 'scope');
    expect(isValid(json)).toBe(false);
  });

  it('rejects a chapter placed before 术语和定义', () => {
    const json = docJSON(...fixed());
    const ch = docJSON(...fixed(), chapter(h('要求'), p('x'))).content[4];
    json.content.splice(2, 0, ch);
    expect(isValid(json)).toBe(false);
  });

  it('tolerates an annex after the bibliography, an order concurrent inserts can produce', () => {
    const json = docJSON(...fixed(), annex(h('附录'), p('x')), bibliography(bib('文献')));
    json.content.push(json.content.splice(4, 1)[0]);
    expect(isValid(json)).toBe(true);
  });

  it('rejects a second 范围', () => {
    const json = docJSON(...fixed());
    json.content.push(json.content[1]);
    expect(isValid(json)).toBe(false);
  });

  it('allows chapter plus five clause levels and no more', () => {
    const deep = clause(h('5'), p('五级条'));
    const nested = clause(h('1'), clause(h('2'), clause(h('3'), clause(h('4'), deep))));
    const d = doc(...fixed(), chapter(h('要求'), nested));
    let depth = 0;
    d.descendants((n) => {
      depth = Math.max(depth, clauseLevel(n.type.name));
      return true;
    });
    expect(depth).toBe(5);
    expect(clauseTypeAt(6)).toBeNull();
    expect(() => doc(...fixed(), chapter(h('要求'), clause(h('1'), clause(h('2'), clause(h('3'), clause(h('4'), clause(h('5'), clause(p('6')))))))))).toThrow(RangeError);
    // A fifth-level clause cannot hold a sub-clause even when built by hand.
    const json = docJSON(...fixed(), chapter(h('要求'), nested));
    const five = findType(json, 'clause5');
    five?.content?.push({ type: 'clause1', attrs: { id: 'x' }, content: [{ type: 'paragraph' }] });
    expect(isValid(json)).toBe(false);
  });

  it('accepts titled and untitled clauses, and rejects an empty clause', () => {
    expect(() => doc(...fixed(), chapter(h('要求'), clause(h('标题'), p('正文')), clause(p('无标题条'))))).not.toThrow();
    const json = docJSON(...fixed(), chapter(h('要求'), clause(p('x'))));
    const c = findType(json, 'clause1');
    if (c) c.content = [];
    expect(isValid(json)).toBe(false);
  });

  it('allows two list levels and no third', () => {
    expect(() => doc(...fixed(), chapter(h('要求'), list({ kind: 'letter' }, li('一', sublist('甲', '乙')))))).not.toThrow();
    const json = docJSON(...fixed(), chapter(h('要求'), list({ kind: 'letter' }, li('一', sublist('甲')))));
    const item = findType(json, 'sublistItem');
    item?.content?.push({ type: 'sublist', attrs: { id: 's', kind: 'number' }, content: [{ type: 'sublistItem', content: [{ type: 'paragraph' }] }] });
    expect(isValid(json)).toBe(false);
  });

  it('keeps tables, figures and formulas out of the foreword', () => {
    const json = docJSON(...fixed());
    json.content[0].content?.push({ type: 'formula', content: [{ type: 'formulaText' }] });
    expect(isValid(json)).toBe(false);
  });

  it('gives every clause, term, annex, table, figure, formula, note and paragraph an id attribute', () => {
    for (const name of ['chapter', 'clause1', 'clause5', 'annex', 'termEntry', 'table', 'figure', 'formula', 'note', 'example', 'paragraph', 'listItem', 'referenceEntry', 'bibliographyEntry']) {
      expect(ID_NODE_TYPES).toContain(name);
      expect(schema.nodes[name].spec.attrs).toHaveProperty('id');
    }
  });

  it('builds a minimal document that passes the schema check', () => {
    expect(() => minimalDoc().check()).not.toThrow();
  });

  it('ships a sample standard whose JSON file equals the builder output and uses every node type', () => {
    const file = JSON.parse(readFileSync(path.join(__dirname, '../../editor/fixtures/sample-standard.json'), 'utf8')) as unknown;
    expect(file).toEqual(sampleStandardJSON());
    const used = new Set<string>();
    sampleStandard().descendants((n) => {
      used.add(n.type.name);
      return true;
    });
    const unused = Object.keys(schema.nodes).filter((n) => n !== 'doc' && !used.has(n));
    expect(unused).toEqual([]);
    expect(sampleStandard().content.content.filter((n) => n.type.name === 'annex')).toHaveLength(2);
  });
});

function findType(node: NodeJSON, type: string): NodeJSON | undefined {
  if (node.type === type) return node;
  for (const c of node.content ?? []) {
    const f = findType(c, type);
    if (f) return f;
  }
  return undefined;
}
