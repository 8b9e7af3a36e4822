// The synthetic scoring corpus (scripts/import-variants.ts, scripts/import-score-keys.ts): the rich fixture
// re-typed as drafters do — Heading styles with typed numbers; no styles, typed labels, formulas typed as
// text, tables without header marks; the same more carelessly (plain headings, ASCII spaces, 「表 1」, empty
// paragraphs, formula numbers after spaces) — imports with every scored element and all its text; and the score
// itself notices a changed note and a table of the wrong size.
import { generateStandardDocx } from '../../../activities/docx/generate';
import { richStandardBody, richStandardRecord } from '../../../activities/docx/fixtures/rich-standard';
import { importWordFile } from '../../../activities/import';
import { openDocx } from '../../../activities/import/package';
import { readDocument } from '../../../editor/import/reader';
import { parseXml } from '../../../editor/import/xml';
import type { DocJSON, NodeJSON } from '../../../editor/types';
import { retype, withoutHeaderMarks } from '../../../scripts/import-variants';
import { score, scoreKeys } from '../../../scripts/import-score-keys';
import { expectNothingLost } from './shape';

jest.setTimeout(120_000);

const body = richStandardBody();
let generated: Buffer;

beforeAll(async () => {
  generated = await generateStandardDocx({ record: richStandardRecord(), body, edition: 'joint' });
});

async function variant(kind: 'headings' | 'typed' | 'sloppy' | 'noheader'): Promise<Buffer> {
  if (kind === 'noheader') return withoutHeaderMarks(generated);
  const pkg = await openDocx(generated);
  return retype(readDocument(pkg.parts, { changes: 'accept', media: (p) => pkg.media.get(p), parse: parseXml }).blocks, kind);
}

function find(doc: DocJSON, pred: (n: NodeJSON) => boolean): NodeJSON[] {
  const out: NodeJSON[] = [];
  const walk = (n: NodeJSON): void => {
    if (pred(n)) out.push(n);
    for (const c of n.content ?? []) walk(c);
  };
  for (const c of doc.content) walk(c);
  return out;
}

describe('import scoring on synthetic variants', () => {
  it.each([['headings'], ['typed'], ['sloppy'], ['noheader']] as const)('the %s variant scores every element', async (kind) => {
    const data = await variant(kind);
    if (kind === 'typed' || kind === 'sloppy') expect(data.toString('latin1')).not.toContain('tblHeader');
    const r = await importWordFile(data, { changes: 'accept' });
    const s = score(scoreKeys(body), scoreKeys(r.doc));
    expect(s.missing).toEqual([]);
    expect(s.byKind.formula).toEqual({ expected: 5, found: 5 });
    expectNothingLost(r);
  });

  it('merges a continued table whose header row has no mark, and marks that row as the header', async () => {
    const r = await importWordFile(await variant('noheader'), { changes: 'accept' });
    const t2 = find(r.doc, (n) => n.type === 'table' && JSON.stringify(n).includes('示范区跨界断面清单'));
    expect(t2).toHaveLength(1);
    const rows = t2[0].content?.find((c) => c.type === 'tableGrid')?.content ?? [];
    expect(rows).toHaveLength(61);
    expect((rows[0].content ?? []).every((c) => c.type === 'tableHeader')).toBe(true);
    expect((rows[1].content ?? []).every((c) => c.type === 'tableCell')).toBe(true);
  });

  it('counts a note with other text and a table of the wrong size as not found', () => {
    const want = scoreKeys(body);
    const broken = JSON.parse(JSON.stringify(body)) as DocJSON;
    const tables = find(broken, (n) => n.type === 'table');
    const grid = tables[0].content?.find((c) => c.type === 'tableGrid');
    grid?.content?.pop();
    const notes = find(broken, (n) => n.type === 'note');
    notes[0].content = [{ type: 'paragraph', content: [{ type: 'text', text: '改过的注' }] }];
    const s = score(want, scoreKeys(broken));
    expect(s.found).toBe(s.expected - 2);
    expect(s.missing.map((m) => m.kind).sort()).toEqual(['note', 'table']);
  });
});
