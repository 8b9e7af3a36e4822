// Word import: the ways drafters make their files (template styles, Heading 1–5 with typed numbers, no
// styles), tracked changes and comments, numbers that disagree with the structure, and the promise that
// every character of the body ends up in the model or the report.
import { importWordFile } from '../../../activities/import';
import { schema } from '../../../editor/schema';
import { isImportError } from '../../../editor/import';
import { headingStyledMessy, templateStyled, unstyled, wrongNumbers } from '../../fixtures/import/ooxml';
import { expectNothingLost, shape } from './shape';

let counter = 0;
const makeId = (): string => `i${(++counter).toString(36).padStart(11, '0')}`;

describe('Word import (hand-made drafts)', () => {
  it('reads the official template styles by name, with numbers from numbering bound to the styles', async () => {
    const r = await importWordFile(await templateStyled(), { makeId });
    schema.nodeFromJSON(r.doc).check();
    const lines = shape(r.doc);
    expect(lines).toEqual(
      expect.arrayContaining([
        '4 | chapter>heading | 点位布设',
        '4.2.1 | clause1>clause2>heading | 河流',
        '4.3 | chapter>clause1>paragraph | 监测点位应设立标志。',
        '3.1 | termsAndDefinitions>termEntry>term | 监测点位',
        '3.1 | termsAndDefinitions>termEntry>termEnglish | monitoring site',
        '3.1 | termsAndDefinitions>termEntry>termSource | HJ 91.2—2022，3.1',
        'GB 3838—2002 | normativeReferences>referenceEntry | GB 3838—2002 地表水环境质量标准',
        'HJ/T 164 | normativeReferences>referenceEntry | HJ/T 164 地下水环境监测技术规范',
        '表1 | clause2>table>caption | 跨界河流点位数量',
        'a) | list>listItem>paragraph | 具有代表性；',
        '附录A | annex:normative',
        'A.1 | annex>clause1>heading | 编码结构',
        '[1] | bibliography>bibliographyEntry | HJ 91.2—2022 地表水环境质量监测技术规范',
      ]),
    );
    expect(r.report.numbering.checked).toBeGreaterThan(8);
    expect(r.report.numbering.mismatches).toEqual([]);
    expect(r.report.unplaced).toEqual([]);
    expectNothingLost(r);
  });

  it('refuses tracked changes by default, naming how many and by whom; accepts or rejects them on request', async () => {
    const data = await headingStyledMessy();
    const refused = await importWordFile(data).catch((e: unknown) => e);
    expect(isImportError(refused) && refused.code).toBe('TRACKED_CHANGES');
    expect(isImportError(refused) && refused.messages.zh).toMatch(/3 处修订.*张三 2.*李四 1/);
    const accepted = await importWordFile(data, { changes: 'accept', makeId });
    const rejected = await importWordFile(data, { changes: 'reject', makeId });
    expect(shape(accepted.doc)).toContain('1 | scope>paragraph | 本文件规定了跨界河流的监测要求。');
    expect(shape(rejected.doc)).toContain('1 | scope>paragraph | 本文件规定了湖泊的监测要求。');
    expect(accepted.report.trackedChanges).toEqual({ total: 3, byAuthor: { 张三: 2, 李四: 1 }, applied: 'accepted' });
    expect(rejected.report.trackedChanges.applied).toBe('rejected');
    expect(accepted.report.comments).toEqual([{ id: '1', author: '王五', date: '2025-03-01T00:00:00Z', text: '请补充依据。', anchor: '点位应具有代表性。', start: { paragraph: expect.any(Number), offset: 0 } }]);
    // The anchor's start names the source paragraph (the report's index) and the offset in its text.
    const start = accepted.report.comments[0].start!;
    const anchored = accepted.blocks.find((b) => b.kind === 'p' && b.index === start.paragraph);
    expect(anchored?.kind === 'p' && anchored.text.slice(start.offset)).toMatch(/^点位应具有代表性。/);
    expectNothingLost(accepted);
    expectNothingLost(rejected);
  });

  it('reads Heading 1–5 with typed numbers, merged cells, a picture and an OMML formula', async () => {
    const r = await importWordFile(await headingStyledMessy(), { changes: 'accept', makeId });
    const lines = shape(r.doc);
    expect(lines).toEqual(
      expect.arrayContaining([
        '4.1 | chapter>clause1>heading | 布设原则',
        '4.2 | chapter>clause1>heading | 数量',
        '表1 | cell 2x1',
        '表1 | cell 1x2',
        '(1) | clause1>formula>formulaText | ρ=m/V0',
        '(1) | clause1>formula>formulaSymbol | ρ——密度；',
        '图1 | figure src:true',
        '图1 | clause1>figure>caption | 点位示意图',
      ]),
    );
    expect(JSON.stringify(r.doc)).toContain('{"type":"text","text":"0","marks":[{"type":"sub"}]}');
    const figure = JSON.stringify(r.doc).match(/"src":"(data:image\/png;base64,[^"]+)"/);
    expect(figure).not.toBeNull();
    expect(r.report.source).toMatchObject({ pictures: 1, formulas: 1, tables: 1 });
  });

  it('reads drafts without styles: bold typed numbers, 「a）」 lists, 「注：」, typed table titles, annex lines', async () => {
    const r = await importWordFile(await unstyled(), { makeId });
    const lines = shape(r.doc);
    expect(lines).toEqual(
      expect.arrayContaining([
        '4.1 | chapter>clause1>heading | 一般要求',
        'b) | list>listItem>paragraph | 采样时记录水温，包括：',
        '1) | sublist>sublistItem>paragraph | 表层水温；',
        '注 | clause1>note>paragraph | 节假日顺延。',
        '注 | termEntry>note>paragraph | 断面应垂直于水流方向。',
        '表1 | clause1>table>caption | 采样频次',
        '附录A | annex:informative',
        '附录A | annex>heading | 采样记录表',
        'GB/T 14581 | normativeReferences>referenceEntry | GB/T 14581 水质 湖泊和水库采样技术指导',
      ]),
    );
    expect(r.report.metadata).toMatchObject({ proposer: '上海市生态环境局', draftingUnits: ['上海市环境监测中心', '江苏省环境监测中心'] });
    // 4.3.1 typed right under 4.2 is placed one level below 4.2 and reported.
    expect(r.report.numbering.mismatches).toEqual([{ kind: 'clause', source: '4.3.1', computed: '4.2.1', title: '采样断面应设立标志。' }]);
    expect(r.report.warnings.some((w) => /annex/i.test(w.en))).toBe(false);
    expectNothingLost(r);
  });

  it('reports numbers that disagree with the structure instead of trusting them', async () => {
    const r = await importWordFile(await wrongNumbers(), { makeId });
    expect(r.report.numbering.mismatches).toEqual([
      { kind: 'clause', source: '5.1', computed: '4.1', title: '原则' },
      { kind: 'clause', source: '5.3', computed: '4.2', title: '数量' },
      { kind: 'chapter', source: '7', computed: '5', title: '评价' },
    ]);
    expectNothingLost(r);
  });
});
