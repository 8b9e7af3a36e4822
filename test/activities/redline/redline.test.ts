// The redline copy (修改对照稿): the newer version of the rich sample on the stage-draft layout with Word's
// tracked changes against the older: w:ins / w:del with w:author and w:date in document.xml, opened by
// LibreOffice (its PDF export succeeds), and 0 schema errors (scripts/ooxml-validate).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { richStandardBody, richStandardRecord } from '../../../activities/docx/fixtures/rich-standard';
import { generateRedlineDocx, mergeForRedline } from '../../../activities/redline/redline';
import { REDLINE_DEL, REDLINE_INS } from '../../../activities/docx/inline';
import type { DocJSON, NodeJSON } from '../../../editor/types';
import { itIsSchemaValidAndOpensInLibreOffice } from './docx-checks';

jest.setTimeout(300_000);

/** Plain paragraphs (only unmarked text) with their parent, in document order. */
function paragraphs(n: NodeJSON, parent: NodeJSON | null = null, out: { node: NodeJSON; parent: NodeJSON }[] = []) {
  if (n.type === 'paragraph' && parent && (n.content ?? []).length > 0 && (n.content ?? []).every((c) => c.type === 'text' && !(c.marks ?? []).length)) out.push({ node: n, parent });
  for (const c of n.content ?? []) paragraphs(c, n, out);
  return out;
}
const text = (n: NodeJSON): string => (n.content ?? []).map((c) => c.text ?? '').join('');

function edited(): { older: DocJSON; newer: DocJSON; changedFrom: string; deleted: string } {
  const older = richStandardBody();
  const newer = JSON.parse(JSON.stringify(older)) as DocJSON;
  const ps = paragraphs(newer as NodeJSON);
  const a = ps[5];
  const changedFrom = text(a.node);
  a.node.content = [{ type: 'text', text: `${changedFrom.slice(0, 4)}（修改后）${changedFrom.slice(4)}` }];
  // A plain paragraph of a clause or chapter (an example's or note's label is printed by the renderer, not tracked).
  const b = ps.slice(9).find((p) => p.parent.type === 'chapter' || p.parent.type.startsWith('clause'))!;
  const deleted = text(b.node);
  b.parent.content = b.parent.content!.filter((x) => x !== b.node);
  const c = ps[12];
  c.parent.content!.splice(c.parent.content!.indexOf(c.node) + 1, 0, { type: 'paragraph', content: [{ type: 'text', text: '新增加的一段要求文字。' }] });
  return { older, newer, changedFrom, deleted };
}

describe('redline copy', () => {
  let dir: string;
  let docx: Buffer;
  let xml: string;
  const e = edited();
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tb-redline-'));
    docx = await generateRedlineDocx({ older: e.older, newer: e.newer, author: '起草组', date: '2026-03-01T08:00:00Z', record: richStandardRecord(), edition: 'joint', stageLabel: 'draftForReview', completedOn: '2026-03-01' });
    xml = await (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string');
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('merges: unchanged text kept, changed text diffed, deleted and inserted paragraphs marked whole', () => {
    const merged = JSON.stringify(mergeForRedline(e.older, e.newer));
    expect(merged).toContain(`"text":"（修改后）","marks":[{"type":"${REDLINE_INS}"}]`);
    expect(merged).toContain(`"text":${JSON.stringify(e.deleted)},"marks":[{"type":"${REDLINE_DEL}"}]`);
    expect(merged).toContain(`"text":"新增加的一段要求文字。","marks":[{"type":"${REDLINE_INS}"}]`);
    expect(JSON.stringify(mergeForRedline(e.older, e.older))).not.toMatch(/redline/);
  });

  it('document.xml has w:ins and w:del with w:author and w:date', () => {
    const ins = [...xml.matchAll(/<w:ins [^>]*>/g)].map((m) => m[0]);
    const del = [...xml.matchAll(/<w:del [^>]*>/g)].map((m) => m[0]);
    expect(ins.length).toBeGreaterThanOrEqual(2);
    expect(del.length).toBeGreaterThanOrEqual(1);
    for (const t of [...ins, ...del]) {
      expect(t).toContain('w:author="起草组"');
      expect(t).toContain('w:date="2026-03-01T08:00:00Z"');
    }
    expect(xml).toMatch(/<w:delText[^>]*>[^<]*<\/w:delText>/);
    expect(xml).toContain('（修改后）');
    // Whole deleted / inserted paragraphs have their paragraph mark tracked too.
    expect(xml).toMatch(/<w:pPr>(?:(?!<\/w:pPr>).)*<w:rPr><w:del [^>]*w:author="起草组"/);
    expect(xml).toMatch(/<w:pPr>(?:(?!<\/w:pPr>).)*<w:rPr><w:ins [^>]*w:author="起草组"/);
  });

  itIsSchemaValidAndOpensInLibreOffice('redline.docx', () => ({ docx, dir }));
});
