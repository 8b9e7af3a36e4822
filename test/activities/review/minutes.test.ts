// The 审查会议纪要: its XML carries the standard, the form, the panel as a signature table and every opinion
// with its handling; it validates against the ECMA-376 schemas; stored as `reviewMinutes`, it goes into the
// 报批 package (and is named as missing when no round has concluded).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { formatSchemaErrors, validateOoxml } from '../../../scripts/ooxml-validate';
import { storeGeneratedFile, sha256Of } from '../../../activities/files/store';
import { planStagePackage } from '../../../activities/packages/stage-package';
import { reviewMinutesDocx } from '../../../activities/review/minutes';
import type { TechnicalReviewState } from '../../../workflows/technical-review-messages';
import { DEFAULT_REVIEW_RULE } from '../../../workflows/technical-review-rules';
import { freshMongo } from '../../support/mongo';

jest.setTimeout(240_000);

const toolsDir = process.env.TONGBIAO_TOOLS_DIR ?? path.resolve(__dirname, '..', '..', '..', '.tools');
const standard = { _id: 'min-1', titleZh: '太湖流域污水处理厂水污染物排放标准' };
const review: TechnicalReviewState = {
  standardId: standard._id, round: 2, phase: 'concluded', rule: DEFAULT_REVIEW_RULE, units: [], revision: 9,
  panel: [
    { expertId: 'e1', userId: 'u1', name: '张一', organisation: '同济大学', province: 'SH', title: '教授' },
    { expertId: 'e2', userId: 'u2', name: '李二', organisation: '南京大学', province: 'JS', title: '研究员' },
    { expertId: 'e3', userId: 'u3', name: '王三', organisation: '浙江大学 & <实验室>', province: 'ZJ', title: '高级工程师' },
  ],
  form: { kind: 'meeting', date: '2026-12-20', place: '嘉善县 会议中心 3 楼' },
  opinions: [
    { userId: 'u1', text: '建议补充总磷限值的依据。\n第二行', vote: 'passWithChanges', at: '2026-12-20T02:00:00Z', afterReminders: 0 },
    { userId: 'u2', text: '同意。', vote: 'pass', at: '2026-12-20T02:00:00Z', afterReminders: 1 },
  ],
  reminders: { u2: 1, u3: 2 }, late: ['u3'], conclusion: 'passWithChanges', yesVotes: 2, votesNeeded: 3,
  handling: { u1: '采纳，已在编制说明第三章补充。', u2: '—' }, summary: '专家组同意修改后通过。',
  organiser: { userId: 'u-sh-eco', displayName: '上海市生态环境局', role: 'ecoEnvDepartment', province: 'SH' }, concludedAt: '2026-12-20T08:00:00Z',
};

let data: Buffer;
let xml: string;
beforeAll(async () => {
  data = await reviewMinutesDocx({ standard, review });
  xml = await (await JSZip.loadAsync(data)).file('word/document.xml')!.async('string');
});

test('the XML carries standard, form, panel with a signature column, conclusion, opinions and handling', () => {
  for (const s of ['审查会议纪要', standard.titleZh, '第 2 轮', '会审', '2026年12月20日', '嘉善县 会议中心 3 楼', '签名', '职称/职务', '张一', '同济大学', '研究员', '浙江大学 &amp; &lt;实验室&gt;']) expect(xml).toContain(s);
  for (const s of ['审查结论：修改后通过', '专家组同意修改后通过。', '建议补充总磷限值的依据。', '第二行', '采纳，已在编制说明第三章补充。', '未按期提交意见的专家：王三', '专家意见汇总处理表']) expect(xml).toContain(s);
  // 专家签名表: one row per member plus the header, the last cell of each left empty to sign.
  const panelTable = xml.slice(xml.indexOf('一、专家组'), xml.indexOf('二、审查结论'));
  expect((panelTable.match(/<w:tr>/g) ?? []).length).toBe(4);
  // 黑体 三号 title (gbt-1.1-format.md: SimHei, 16 pt = 32 half-points).
  expect(xml).toMatch(/<w:rFonts[^>]*w:eastAsia="SimHei"[^>]*\/><w:sz w:val="32"\/>[^]*?审查会议纪要/);
});

test('validates against the ECMA-376 transitional schemas', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'tb-minutes-'));
  try {
    const file = path.join(dir, 'minutes.docx');
    await writeFile(file, data);
    const result = await validateOoxml(toolsDir, [file]);
    expect(formatSchemaErrors(result.errors)).toBe('');
    expect(result.parts[file]).toBeGreaterThan(3);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the 报批 package names the minutes as missing, then carries the stored minutes', async () => {
  const mongo = await freshMongo('minutes');
  try {
    const before = await planStagePackage(mongo.db, standard, 'approval', { dispositionTable: async () => null });
    expect(before.missing.join('\n')).toContain('审查会议纪要');
    await storeGeneratedFile(mongo.db, { filename: 'm.docx', data, metadata: { standardId: standard._id, kind: 'reviewMinutes', stage: 'technicalReview', province: 'joint', format: 'docx' } });
    const after = await planStagePackage(mongo.db, standard, 'approval', { dispositionTable: async () => null });
    const entry = after.entries.find((e) => e.name.includes('审查会议纪要'));
    expect(entry && 'sha256' in entry ? entry.sha256 : undefined).toBe(sha256Of(data));
    expect(after.missing.filter((m) => m.startsWith('审查会议纪要：'))).toEqual([]);
  } finally {
    await mongo.drop();
  }
});
