// The suggestion marks and the block `suggestion` attribute are part of the shared schema (issue 15 contract).
import { schema, SUGGESTION_NODE_TYPES, type BlockSuggestion } from '../../editor/schema';

const author = { sid: 's1', by: 'u1', name: '张三', province: 'SH', at: '2026-12-03T06:00:00.000Z' };

describe('suggestion schema', () => {
  it('has both marks, not inclusive, excluding each other', () => {
    const ins = schema.marks.suggestInsert;
    const del = schema.marks.suggestDelete;
    expect(ins.spec.inclusive).toBe(false);
    expect(del.spec.inclusive).toBe(false);
    expect(ins.excludes(del)).toBe(true);
    expect(del.excludes(ins)).toBe(true);
    const m = ins.create(author);
    expect(m.attrs).toEqual(author);
    const set = del.create(author).addToSet([m]);
    expect(set.map((x) => x.type.name)).toEqual(['suggestDelete']);
  });

  it('allows the marks in references and formulas, whose other marks are restricted', () => {
    expect(schema.nodes.referenceEntry.allowsMarkType(schema.marks.suggestInsert)).toBe(true);
    expect(schema.nodes.referenceEntry.allowsMarkType(schema.marks.em)).toBe(false);
    expect(schema.nodes.formulaText.allowsMarkType(schema.marks.suggestDelete)).toBe(true);
    expect(schema.nodes.formulaText.allowsMarkType(schema.marks.strong)).toBe(false);
    for (const name of Object.keys(schema.nodes)) {
      const t = schema.nodes[name];
      if (t.inlineContent) expect([name, t.allowsMarkType(schema.marks.suggestInsert)]).toEqual([name, true]);
    }
  });

  it('gives every listed block a suggestion attribute defaulting to null, and round-trips it through JSON', () => {
    for (const name of SUGGESTION_NODE_TYPES) expect([name, schema.nodes[name].spec.attrs?.suggestion?.default]).toEqual([name, null]);
    const s: BlockSuggestion = { kind: 'delete', ...author };
    const para = schema.nodes.paragraph.create({ id: 'p1', suggestion: s }, schema.text('x', [schema.marks.suggestInsert.create(author)]));
    const back = schema.nodeFromJSON(para.toJSON());
    expect(back.eq(para)).toBe(true);
    expect(back.attrs.suggestion).toEqual(s);
  });
});

describe('suggestion schema in the DOM', () => {
  it('renders and parses back marks and block suggestions', () => {
    // jsdom is not available in this environment: check the DOM output spec instead.
    const s: BlockSuggestion = { kind: 'insert', ...author };
    const row = schema.nodes.tableRow.spec.toDOM?.(schema.nodes.tableRow.create({ suggestion: s }, []));
    expect(Array.isArray(row) && row[0] === 'tr' && (row[1] as Record<string, string>)['data-suggest']).toBe('insert');
    const p = schema.nodes.paragraph.spec.toDOM?.(schema.nodes.paragraph.create({ id: 'p', suggestion: s }));
    expect(JSON.parse((p as [string, Record<string, string>])[1]['data-suggestion'])).toEqual(s);
    const m = schema.marks.suggestDelete.spec.toDOM?.(schema.marks.suggestDelete.create(author), true);
    expect((m as [string, Record<string, string>])[0]).toBe('del');
    expect((m as [string, Record<string, string>])[1]['data-province']).toBe('SH');
  });
});
