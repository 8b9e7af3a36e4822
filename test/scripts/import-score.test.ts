// `npm run import:score -- DIR` on a folder like the real-world collection: a draft with a hand-written
// answer key (NAME.key.json) is scored element by element against it (a wrong element in the key is
// reported missing), a draft without any key still reports the elements found and the text kept, an
// invalid key is named and makes the exit status 1. Runs the script itself, as others will.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { importWordFile } from '../../activities/import';
import { answerKeySchema, scoreAgainstKey } from '../../scripts/import-score-answer-key';
import { headingStyledMessy, templateStyled } from '../fixtures/import/ooxml';

jest.setTimeout(180_000);
const run = promisify(execFile);

const key = {
  file: '标准文件样式起草的草案',
  elements: [
    { kind: 'clause', number: '1', title: '范围' },
    { kind: 'clause', number: '4', title: '点位布设' },
    { kind: 'clause', number: '4.1', title: '布设原则' },
    { kind: 'clause', number: '4.2.1', title: '河流' },
    { kind: 'clause', number: '4.3' },
    { kind: 'term', number: '3.1', term: '监测点位', definition: '用于采集水样的具体位置' },
    { kind: 'table', number: '表1', title: '跨界河流点位数量', rows: 3, columns: 2 },
    { kind: 'annex', number: '附录A', type: '规范性', title: '点位编码规则' },
    // Not in the draft: must be reported missing.
    { kind: 'figure', number: '图1', title: '点位示意图' },
  ],
};

describe('import:score on drafts with and without an answer key', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tb-score-'));
    await writeFile(path.join(dir, 'styled.docx'), await templateStyled());
    await writeFile(path.join(dir, 'styled.key.json'), JSON.stringify(key, null, 1));
    await writeFile(path.join(dir, 'messy.docx'), await headingStyledMessy());
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('scores a hand-written key field by field: numbers as printed or bare, only the fields given', async () => {
    const doc = (await importWordFile(await templateStyled())).doc;
    const s = scoreAgainstKey(answerKeySchema.parse(key), doc);
    expect([s.found, s.expected]).toEqual([8, 9]);
    expect(s.byKind.figure).toEqual({ expected: 1, found: 0 });
    expect(s.missing.map((m) => m.kind)).toEqual(['figure']);
    // Bare numbers mean the same; a wrong title or size is not found.
    const bare = answerKeySchema.parse({ elements: [{ kind: 'table', number: 1, rows: 3 }, { kind: 'annex', number: 'A' }, { kind: 'table', number: '表1', columns: 3 }, { kind: 'clause', number: '4.1', title: '布设数量' }] });
    expect(scoreAgainstKey(bare, doc).found).toBe(2);
    // A refused draft finds nothing; a key with an unknown field is refused by the schema.
    expect(scoreAgainstKey(answerKeySchema.parse(key), null).found).toBe(0);
    expect(answerKeySchema.safeParse({ elements: [{ kind: 'clause', number: '1', heading: 'x' }] }).success).toBe(false);
  });

  it('runs on the folder: keyed file scored, unkeyed file reported, text kept for both', async () => {
    const { stdout } = await run('npx', ['tsx', 'scripts/import-score.ts', dir], { cwd: path.join(__dirname, '../..'), timeout: 170_000 });
    expect(stdout).toMatch(/styled\.docx: key — elements 8\/9 88\.9%; text kept \(file → draft \+ report\) 100\.0%/);
    expect(stdout).toContain('missing figure: {"kind":"figure","number":"图1","title":"点位示意图"}');
    expect(stdout).toMatch(/messy\.docx: no key — elements found [^\n]*chapter \d+[^\n]*table 1[^\n]*; text kept \(file → draft \+ report\) 100\.0%/);
    expect(stdout).toContain('files: 2 (1 with a key or model, 1 without, 0 refused)');
    expect(stdout).toContain('RESULT import_score_elements_pct 88.9 goal >=95 not met (1 files, 9 elements)');
    expect(stdout).toContain('RESULT import_text_kept_pct 100.00 goal 100 met (2 files');
  });

  it('names an invalid key and exits with 1', async () => {
    await writeFile(path.join(dir, 'broken.docx'), await templateStyled());
    await writeFile(path.join(dir, 'broken.key.json'), JSON.stringify({ elements: [{ kind: 'chapter', number: '4' }] }));
    const e = await run('npx', ['tsx', 'scripts/import-score.ts', dir], { cwd: path.join(__dirname, '../..'), timeout: 170_000 }).then(
      () => null,
      (x: unknown) => x as { code: number; stdout: string },
    );
    expect(e?.code).toBe(1);
    expect(e?.stdout).toMatch(/broken\.docx: 答案键无效 invalid key \(broken\.key\.json\): elements\.0\.kind/);
    expect(e?.stdout).toContain('broken.docx: no key — elements found');
  });
});
