// The 编制说明 (explanatory note) that goes with the 征求意见稿, 送审稿 and 报批稿: its structured form (zod
// schema, validated wherever it is written) and its DOCX. The sections are the customary ones of a local
// standard's explanatory note: 工作简况, 编制原则和依据, 主要技术内容及确定依据, 试验验证, 与国际、国外同类
// 标准水平的对比, 涉及专利的有关说明, 与法律法规和其他标准的关系, 重大分歧意见的处理, 实施建议, 其他. Body in
// 小四 (12 pt), as these notes are usually set; the subtitle names the standard's numbers, not the prefixes.
import { AlignmentType, Document, DocumentGridType, Footer, Packer, PageNumber, Paragraph, TextRun } from 'docx';
import { z } from 'zod';
import { PROVINCES, type StandardRecord } from '../../workflows/domain';
import { normaliseNewlines, textRefinement } from '../../workflows/text-rule';
import { VERSION_KIND_NAMES, type DraftStage } from '../../workflows/version-kinds';
import { JOINT_BANNER, numberOf } from './edition';
import { numberingOptions } from './numbering';
import { STYLE, stylesOptions } from './styles';
import { fontOf, PAGE, SIZE } from './typography';

// The one text rule of every surface (workflows/text-rule.ts), checked before trimming.
const ruled = () => z.string().overwrite(normaliseNewlines).superRefine(textRefinement()).trim();
const text = ruled().max(50_000);
const requiredText = text.min(1);

export const explanatoryNoteSchema = z
  .object({
    workOverview: z
      .object({
        /** 任务来源: plan, batch, who proposed it. */
        taskSource: requiredText,
        /** 主要工作过程: drafting meetings, surveys, comment rounds … */
        process: requiredText,
        /** 主要起草单位和起草人及其所做的工作; defaults to the record's units and drafters. */
        draftersAndRoles: text.optional(),
      })
      .strict(),
    principlesAndBasis: requiredText,
    /** 主要技术内容及确定依据: one entry per chapter or topic. */
    mainTechnicalContent: z
      .array(z.object({ topic: ruled().min(1).max(200), rationale: requiredText }).strict())
      .min(1)
      .max(200),
    /** 试验验证的分析、综述报告，技术经济论证，预期效益. */
    verification: requiredText,
    /** 采用国际标准和国外先进标准的程度，以及与国际、国外同类标准水平的对比情况; 「无。」 when left out. */
    internationalComparison: text.optional(),
    /** 涉及专利的有关说明; 「无。」 when left out. */
    patents: text.optional(),
    /** 与有关的现行法律、法规和强制性国家标准及其他标准的关系. */
    relationToLawsAndStandards: requiredText,
    /** 重大分歧意见的处理经过和依据; 「无。」 when there were none. */
    majorDivergences: requiredText,
    /** 实施标准的要求和措施建议. */
    implementationSuggestions: requiredText,
    /** 其他应予说明的事项. */
    other: text.optional(),
  })
  .strict();

export type ExplanatoryNote = z.infer<typeof explanatoryNoteSchema>;

export const EXPLANATORY_NOTE_SECTIONS = [
  '一、工作简况',
  '二、编制原则和依据',
  '三、主要技术内容及确定依据',
  '四、试验验证的分析、综述报告，技术经济论证，预期的经济效益、社会效益和生态效益',
  '五、采用国际标准和国外先进标准的程度，以及与国际、国外同类标准水平的对比情况',
  '六、涉及专利的有关说明',
  '七、与有关的现行法律、法规和强制性国家标准及其他标准的关系',
  '八、重大分歧意见的处理经过和依据',
  '九、实施标准的要求和措施建议',
  '十、其他应予说明的事项',
] as const;

export type NoteStage = DraftStage;

function paragraphs(s: string): Paragraph[] {
  return s
    .split(/\n+/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => new Paragraph({ style: STYLE.segment, spacing: { line: 360 }, indent: { firstLine: 480 }, children: [new TextRun({ text: l, size: SIZE.小四 })] }));
}

function heading(t: string): Paragraph {
  return new Paragraph({ spacing: { before: 240, after: 120 }, keepNext: true, children: [new TextRun({ text: t, font: fontOf('hei'), size: SIZE.四号 })] });
}

function subheading(t: string): Paragraph {
  return new Paragraph({ spacing: { before: 120 }, indent: { firstLineChars: 200, firstLine: 480 }, keepNext: true, children: [new TextRun({ text: t, font: fontOf('hei'), size: SIZE.小四 })] });
}

const ZH_ORDINALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
function ordinal(i: number): string {
  return i < 10 ? ZH_ORDINALS[i] : String(i + 1);
}

/** The 编制说明 of a stage as DOCX. Throws a zod error when the form is incomplete. */
export async function generateExplanatoryNoteDocx(input: { record: StandardRecord; note: unknown; stage: NoteStage }): Promise<Buffer> {
  const note = explanatoryNoteSchema.parse(input.note);
  const { record } = input;
  const drafters =
    note.workOverview.draftersAndRoles ?? `本文件起草单位：${record.draftingUnits.join('、')}。主要起草人：${record.drafters.join('、')}。`;
  const children: Paragraph[] = [
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 480 }, children: [new TextRun({ text: `《${record.titleZh}》`, font: fontOf('hei'), size: SIZE.小二 })] }),
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [new TextRun({ text: `（${VERSION_KIND_NAMES[input.stage].zh}）编制说明`, font: fontOf('hei'), size: SIZE.三号 })] }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 360 },
      // The three numbers (placeholders shaped like them while none is assigned), as on the joint cover.
      children: [new TextRun({ text: `${JOINT_BANNER}　${PROVINCES.map((p) => numberOf(record, p)).join('、')}`, size: SIZE.小四 })],
    }),
    heading(EXPLANATORY_NOTE_SECTIONS[0]),
    subheading('（一）任务来源'),
    ...paragraphs(note.workOverview.taskSource),
    subheading('（二）主要工作过程'),
    ...paragraphs(note.workOverview.process),
    subheading('（三）主要起草单位、起草人及其所做的工作'),
    ...paragraphs(drafters),
    heading(EXPLANATORY_NOTE_SECTIONS[1]),
    ...paragraphs(note.principlesAndBasis),
    heading(EXPLANATORY_NOTE_SECTIONS[2]),
    ...note.mainTechnicalContent.flatMap((c, i) => [subheading(`（${ordinal(i)}）${c.topic}`), ...paragraphs(c.rationale)]),
    heading(EXPLANATORY_NOTE_SECTIONS[3]),
    ...paragraphs(note.verification),
    heading(EXPLANATORY_NOTE_SECTIONS[4]),
    ...paragraphs(note.internationalComparison ?? '无。'),
    heading(EXPLANATORY_NOTE_SECTIONS[5]),
    ...paragraphs(note.patents ?? '无。'),
    heading(EXPLANATORY_NOTE_SECTIONS[6]),
    ...paragraphs(note.relationToLawsAndStandards),
    heading(EXPLANATORY_NOTE_SECTIONS[7]),
    ...paragraphs(note.majorDivergences),
    heading(EXPLANATORY_NOTE_SECTIONS[8]),
    ...paragraphs(note.implementationSuggestions),
    heading(EXPLANATORY_NOTE_SECTIONS[9]),
    ...paragraphs(note.other ?? '无。'),
  ];
  const doc = new Document({
    title: `${record.titleZh}编制说明`,
    styles: stylesOptions(),
    // The shared styles are bound to the standard's lists (标准文件_章标题 → gbt-body …): the note defines
    // them too, or its styles.xml would point at numbering it does not have (unfilled {gbt-…} numIds).
    numbering: numberingOptions(),
    sections: [
      {
        properties: { page: { size: { width: PAGE.width, height: PAGE.height }, margin: { ...PAGE.margin } }, grid: { type: DocumentGridType.LINES, linePitch: PAGE.linePitch } },
        footers: { default: new Footer({ children: [new Paragraph({ style: STYLE.footerOdd, alignment: AlignmentType.CENTER, children: [new TextRun({ children: [PageNumber.CURRENT] })] })] }) },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** A complete sample form (for the sample command and tests). */
export function sampleExplanatoryNote(): ExplanatoryNote {
  return {
    workOverview: {
      taskSource: '根据长三角生态绿色一体化发展示范区执行委员会与两省一市市场监督管理局联合下达的年度标准制修订计划，由上海市生态环境局牵头，会同江苏省生态环境厅、浙江省生态环境厅组织制定本文件。',
      process: '2024年3月成立起草组，开展资料调研和现场踏勘。\n2024年6月至9月在青浦、吴江、嘉善开展对比监测。\n2024年10月形成工作组讨论稿，经三地联合研讨后形成征求意见稿。',
    },
    principlesAndBasis: '遵循统一立项、统一编制、统一发布、统一实施的原则，按照GB/T 1.1—2020的规定起草，技术内容以HJ 91.2—2022为基础，结合示范区跨界水体特点确定。',
    mainTechnicalContent: [
      { topic: '点位布设', rationale: '依据三地现有国控、省控断面分布和跨界河流水文特征确定点位布设原则和数量。' },
      { topic: '样品采集与分析', rationale: '采样频次兼顾丰、平、枯水期变化；分析方法采用现行国家环境保护标准。' },
    ],
    verification: '在12个跨界断面开展了为期6个月的对比监测，三地实验室间比对结果相对偏差均小于10%。',
    internationalComparison: '本文件未采用国际标准。点位布设和采样频次与美国环境保护署和欧盟水框架指令的地表水监测要求相比，频次不低于其要求。',
    patents: '本文件不涉及专利。',
    relationToLawsAndStandards: '本文件与《中华人民共和国水污染防治法》等法律法规相协调，与GB 3838—2002等强制性国家标准不冲突。',
    majorDivergences: '无。',
    implementationSuggestions: '建议发布后由三地生态环境部门联合组织宣贯培训，并在示范区先行启动区率先实施。',
  };
}
