// `npm run docx:sample -- --out DIR` (scripts/docx-sample.ts) run once into a temporary folder, through its
// exported writeDocxSample: it writes every DOCX and its PDF, the redline and the 条文对照表, prints for each
// file a sha256 equal to the file's own, every DOCX validates against the ECMA-376 schemas, the 目次 of the
// standards prints the pages their headings are on, and LibreOffice's PDF of the redline shows the tracked
// changes. Two LibreOffice starts in all (the 目次 layout, then every PDF).
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeDocxSample } from '../../scripts/docx-sample';
import { formatSchemaErrors, validateOoxml } from '../../scripts/ooxml-validate';
import { pdfText } from '../../activities/pdf/toc-pages';
import { tocEntries } from '../../activities/docx/toc';
import { computeNumbering } from '../../editor/numbering';
import { richStandardBody } from '../../activities/docx/fixtures/rich-standard';
import { richStandardRevised } from '../../activities/docx/fixtures/revised';
import { tocMismatches } from '../activities/pdf/printed-toc';

jest.setTimeout(600_000);

const toolsDir = process.env.TONGBIAO_TOOLS_DIR ?? path.resolve(__dirname, '..', '..', '.tools');
const TITLE = '长三角生态绿色一体化发展示范区地表水环境质量监测技术规范';
let dir: string;
let lines: string[];
let names: string[];
const squash = (s: string): string => s.replace(/\s+/g, '');
const textOf = async (name: string): Promise<string> => (await pdfText(await readFile(path.join(dir, name)))) ?? '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tb-docx-sample-'));
  lines = [];
  await writeDocxSample(dir, { print: (l) => lines.push(l) });
  names = (await readdir(dir)).sort();
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('npm run docx:sample', () => {
  it('writes the four editions, the stage drafts, the 编制说明, the redline, the 条文对照表 and the disposition table, each DOCX with its PDF', () => {
    const docx = names.filter((n) => n.endsWith('.docx'));
    expect(docx).toHaveLength(10);
    for (const want of ['（长三角区域统一标准）.docx', 'DB31', 'DB32', 'DB33', '（征求意见稿）.docx', '（征求意见稿）编制说明.docx', '（送审稿）.docx', '修改对照稿', '条文对照表', '征求意见汇总处理表']) {
      expect({ want, found: docx.some((n) => n.includes(want)) }).toEqual({ want, found: true });
    }
    for (const n of docx) expect({ n, pdf: names.includes(n.replace(/\.docx$/, '.pdf')) }).toEqual({ n, pdf: true });
    expect(names.filter((n) => n.endsWith('.csv'))).toHaveLength(1);
  });

  it('prints every file it wrote with the sha256 of the file’s bytes', async () => {
    const printed = new Map(lines.map((l) => /^([0-9a-f]{64})\s+(\d+)\s+(.+)$/.exec(l)).map((m) => [path.basename(m![3]), { sha: m![1], bytes: Number(m![2]) }]));
    expect([...printed.keys()].sort()).toEqual(names);
    for (const n of names) {
      const data = await readFile(path.join(dir, n));
      expect({ n, ...printed.get(n) }).toEqual({ n, sha: createHash('sha256').update(data).digest('hex'), bytes: data.length });
    }
  });

  it('writes DOCX that validate against the ECMA-376 schemas with 0 errors', async () => {
    const files = names.filter((n) => n.endsWith('.docx')).map((n) => path.join(dir, n));
    const result = await validateOoxml(toolsDir, files);
    expect(formatSchemaErrors(result.errors)).toBe('');
    for (const f of files) expect(result.parts[f]).toBeGreaterThanOrEqual(8);
  });

  it('prints in the 目次 of the joint edition, the 征求意见稿 and the 送审稿 the pages their headings are on', async () => {
    const body = richStandardBody();
    const revised = richStandardRevised();
    const checks = [
      { name: `${TITLE}（长三角区域统一标准）.pdf`, entries: tocEntries(body, computeNumbering(body)) },
      { name: `${TITLE}（征求意见稿）.pdf`, entries: tocEntries(body, computeNumbering(body)) },
      { name: `${TITLE}（送审稿）.pdf`, entries: tocEntries(revised, computeNumbering(revised)) },
    ];
    for (const c of checks) expect({ name: c.name, mismatches: tocMismatches(await textOf(c.name), c.entries) }).toEqual({ name: c.name, mismatches: [] });
  });

  it('has LibreOffice show the redline’s tracked changes: the deleted clause and the inserted one both printed', async () => {
    const text = squash(await textOf(names.find((n) => n.includes('修改对照稿') && n.endsWith('.pdf'))!));
    expect(text).toContain('点位编码由省份代码和顺序号组成'); // clause 5.4, deleted in the 送审稿
    expect(text).toContain('点位布设应在丰水期前完成'); // clause 5.2 of the 送审稿, inserted
    expect(squash(await textOf(`${TITLE}（送审稿）.pdf`))).not.toContain('点位编码由省份代码和顺序号组成');
  });
});
