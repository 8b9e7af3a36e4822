// XML-level checks of the generated DOCX against the checklist of gbt-1.1-format.md §11 (rule numbers in
// the test titles). The rich fixture standard is generated once per edition.
import { generateStandardDocx } from '../../../activities/docx/generate';
import { DRAFTING_BASIS, PATENT_NOTICE } from '../../../activities/docx/foreword';
import { NORMATIVE_REFERENCES_LEAD_IN } from '../../../activities/docx/body';
import { PATENT_REQUEST } from '../../../activities/docx/cover';
import type { EditionName } from '../../../activities/docx/edition';
import { richStandardBody, richStandardRecord } from '../../../activities/docx/fixtures/rich-standard';
import { levelOfStyle, paragraphs, sections, styleXml, unzipDocx, type Part } from './docx-xml';

const record = richStandardRecord();
const body = richStandardBody();
const parts = {} as Record<EditionName | 'draft', Part>;
const progress: [number, string][] = [];

beforeAll(async () => {
  for (const edition of ['joint', 'SH', 'JS', 'ZJ'] as const) {
    parts[edition] = await unzipDocx(await generateStandardDocx({ record, body, edition, onProgress: edition === 'joint' ? (f, p) => progress.push([f, p]) : undefined }));
  }
  parts.draft = await unzipDocx(await generateStandardDocx({ record, body, edition: 'joint', stageLabel: 'draftForComment', completedOn: '2025-03-01' }));
});

const texts = (e: EditionName | 'draft'): string[] => paragraphs(parts[e].document).map((p) => p.text);
const byStyle = (e: EditionName | 'draft', style: string) => paragraphs(parts[e].document).filter((p) => p.style === style);
/** The document from the body title on: what must be the same in every edition. */
const bodyXml = (e: EditionName): string => {
  const d = parts[e].document;
  return d.slice(d.indexOf('<w:pStyle w:val="GBBodyTitle"/>'));
};

describe('structure', () => {
  it('(1) orders cover, 目次, 前言, 引言, body title, chapters 1–3, technical chapters, annexes, 参考文献, 终结线', () => {
    const ps = paragraphs(parts.joint.document);
    const at = (pred: (p: (typeof ps)[number]) => boolean): number => ps.findIndex(pred);
    const order = [
      at((p) => p.text === '长江三角洲区域统一标准'),
      at((p) => p.text === '目\u3000\u3000次'),
      at((p) => p.text === '前\u3000\u3000言'),
      at((p) => p.text === '引\u3000\u3000言'),
      at((p) => p.style === 'GBBodyTitle'),
      at((p) => p.style === 'GBChapter' && p.text === '范围'),
      at((p) => p.style === 'GBChapter' && p.text === '规范性引用文件'),
      at((p) => p.style === 'GBChapter' && p.text === '术语和定义'),
      at((p) => p.style === 'GBChapter' && p.text === '总体要求'),
      at((p) => p.style === 'GBAnnexId' && p.text.includes('（规范性）')),
      at((p) => p.style === 'GBAnnexId' && p.text.includes('（资料性）')),
      at((p) => p.text === '参\u3000考\u3000文\u3000献'),
      at((p) => p.style === 'GBEndLine'),
    ];
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(ps[ps.length - 1].style).toBe('GBEndLine');
  });

  it('(2) titles chapters 1, 2, 3 范围, 规范性引用文件, 术语和定义 in the chapter style, numbered by Word', () => {
    expect(byStyle('joint', 'GBChapter').slice(0, 3).map((p) => p.text)).toEqual(['范围', '规范性引用文件', '术语和定义']);
    // The number is not typed: no chapter heading text starts with a digit.
    expect(byStyle('joint', 'GBChapter').every((p) => !/^\d/.test(p.text))).toBe(true);
  });

  it('(3–6) writes the 前言 from the record: drafting basis first, patent notice, 提出/归口, units, drafters, first edition — in order', () => {
    const t = texts('joint');
    const start = t.indexOf('前\u3000\u3000言');
    const foreword = t.slice(start + 1, t.indexOf('引\u3000\u3000言'));
    expect(foreword[0]).toBe(DRAFTING_BASIS);
    expect(DRAFTING_BASIS).toContain('GB/T 1.1—2020《标准化工作导则\u3000第1部分');
    const idx = (re: RegExp): number => foreword.findIndex((s) => re.test(s));
    const seq = [idx(/^请注意本文件的某些内容可能涉及专利/), idx(/^本文件由.+提出/), idx(/^本文件由.+归口/), idx(/^本文件起草单位：/), idx(/^本文件主要起草人：/), idx(/^本文件为首次发布。$/)];
    expect(seq.every((i) => i > 0)).toBe(true);
    expect([...seq].sort((a, b) => a - b)).toEqual(seq);
    expect(foreword).toContain(PATENT_NOTICE);
    expect(foreword.filter((s) => s === DRAFTING_BASIS)).toHaveLength(1);
  });

  it('(8) opens chapter 2 with the fixed lead-in and lists references unnumbered, undated ones without a year', () => {
    const refs = byStyle('joint', 'GBNormativeReference');
    expect(texts('joint')).toContain(NORMATIVE_REFERENCES_LEAD_IN);
    expect(refs.map((p) => p.text)).toEqual(['GB 3838—2002\u3000地表水环境质量标准', 'HJ 91.2—2022\u3000地表水环境质量监测技术规范', 'HJ/T 164\u3000地下水环境监测技术规范']);
    expect(refs.every((p) => !p.xml.includes('<w:numPr>'))).toBe(true);
    expect(styleXml(parts.joint.styles, 'GBNormativeReference')).not.toContain('<w:numPr>');
  });

  it('(10–12) writes chapter 3 with a permitted lead-in and entries as number line, term + English, definition, [来源：…]', () => {
    const ps = paragraphs(parts.joint.document);
    expect(ps.some((p) => p.text === '下列术语和定义适用于本文件。')).toBe(true);
    const n = ps.findIndex((p) => p.style === 'GBTermNumber');
    expect(ps[n].text).toBe('');
    expect(ps[n].xml).toMatch(/<w:numPr><w:ilvl w:val="1"\/>/);
    expect(ps[n + 1]).toMatchObject({ style: 'GBTerm', text: '监测点位\u3000monitoring site' });
    expect(ps[n + 2]).toMatchObject({ style: 'GBTermDefinition', text: '用于采集水样并开展现场测定的具体位置' });
    expect(ps.some((p) => p.text === '[来源：HJ 91.2—2022，3.1，有修改]')).toBe(true);
    expect(ps.some((p) => p.text === '跨界断面\u3000cross-boundary section; CBS')).toBe(true);
  });

  it('(14, 15) binds chapter and clause styles to one multilevel list: 1, 1.1 … 1.1.1.1.1.1, each followed by U+3000, no tab', () => {
    const { numbering, styles } = parts.joint;
    const expected = ['%1\u3000', '%1.%2\u3000', '%1.%2.%3\u3000', '%1.%2.%3.%4\u3000', '%1.%2.%3.%4.%5\u3000', '%1.%2.%3.%4.%5.%6\u3000'];
    const ids = ['GBChapter', 'GBClause1', 'GBClause2', 'GBClause3', 'GBClause4', 'GBClause5'];
    ids.forEach((id, i) => {
      const lvl = levelOfStyle(numbering, styles, id);
      expect(lvl).toContain(`<w:lvlText w:val="${expected[i]}"/>`);
      expect(lvl).toContain('<w:suff w:val="nothing"/>');
      expect(lvl).toContain(`<w:pStyle w:val="${id}"/>`);
    });
    expect(styleXml(styles, 'GBClause1')).toContain('<w:name w:val="标准文件_一级条标题"/>');
    expect(styleXml(styles, 'GBClause5')).toContain('<w:name w:val="标准文件_五级条标题"/>');
    // Deepest clause of the fixture: 6.1.1.1.1.1 uses the fifth clause style.
    expect(byStyle('joint', 'GBClause5').map((p) => p.text)).toEqual(['汛期加密', '非汛期']);
  });

  it('(16) generates list markers —— / a) / 1) / · from list definitions, never typed', () => {
    const { numbering } = parts.joint;
    // Booleans, so a failure does not print the whole numbering part.
    expect(numbering.includes('<w:numFmt w:val="none"/><w:suff w:val="tab"/><w:lvlText w:val="——"/>')).toBe(true);
    // Never a bullet level (LibreOffice would print only its first character, issue 13 item 6).
    expect(numbering.includes('<w:numFmt w:val="bullet"/><w:suff w:val="tab"/><w:lvlText w:val="——"/>')).toBe(false);
    expect(numbering.includes('<w:lvlText w:val="·"/>')).toBe(true);
    expect(/<w:numFmt w:val="lowerLetter"\/><w:suff w:val="tab"\/><w:lvlText w:val="%1\)"\/>/.test(numbering)).toBe(true);
    expect(/<w:numFmt w:val="decimal"\/><w:suff w:val="tab"\/><w:lvlText w:val="%2\)"\/>/.test(numbering)).toBe(true);
    const items = paragraphs(parts.joint.document).filter((p) => p.style === 'GBListLetter' || p.style === 'GBListDash');
    expect(items.length).toBeGreaterThan(3);
    expect(items.every((p) => p.xml.includes('<w:numPr>') && !/^(——|[a-z]\)|•)/.test(p.text))).toBe(true);
  });

  it('(18) sets notes in 9 pt: a single one labelled 注：, several numbered 注1：注2： by Word', () => {
    expect(styleXml(parts.joint.styles, 'GBNote')).toContain('<w:sz w:val="18"/>');
    expect(styleXml(parts.joint.styles, 'GBNoteNumbered')).toContain('<w:sz w:val="18"/>');
    expect(styleXml(parts.joint.styles, 'GBExample')).toContain('<w:sz w:val="18"/>');
    expect(parts.joint.numbering.includes('<w:lvlText w:val="注%1："/>')).toBe(true);
    expect(byStyle('joint', 'GBNote').some((p) => p.text.startsWith('注：'))).toBe(true);
    expect(byStyle('joint', 'GBNoteNumbered').every((p) => !p.text.startsWith('注'))).toBe(true);
  });

  it('(19) puts table titles above tables, repeats header rows, and continues long tables as 表2（续）', () => {
    const d = parts.joint.document;
    const title = d.indexOf('跨界河流监测点位数量');
    expect(title).toBeGreaterThan(0);
    expect(d.indexOf('<w:tbl>', title)).toBeGreaterThan(title);
    expect(levelOfStyle(parts.joint.numbering, parts.joint.styles, 'GBTableTitle')).toContain('<w:lvlText w:val="表%1\u3000"/>');
    expect(styleXml(parts.joint.styles, 'GBTableTitle')).toMatch(/<w:jc w:val="center"\/>[\s\S]*w:eastAsia="SimHei"[\s\S]*<w:sz w:val="21"\/>/);
    const continued = byStyle('joint', 'GBTableContinued').map((p) => p.text);
    // Parts are sized to the pages (pagination.ts); 表2 (60 rows) continues at least twice.
    expect(continued.filter((t) => t === '表2（续）').length).toBeGreaterThanOrEqual(2);
    expect(continued.every((t) => /^表\d+（续）$/.test(t))).toBe(true);
    expect((d.match(/<w:tblHeader\/>/g) ?? []).length).toBeGreaterThanOrEqual(3);
    expect(styleXml(parts.joint.styles, 'GBTable')).toContain('<w:sz w:val="18"/>');
  });

  it('(19) writes merged cells with gridSpan and vMerge so spanning headers survive', async () => {
    const { docJSON, foreword, scope, normativeReferences, termsAndDefinitions, chapter, h, p } = await import('../../../editor/builders');
    const cell = (type: 'tableHeader' | 'tableCell', text: string, colspan = 1, rowspan = 1) => ({ type, attrs: { colspan, rowspan, colwidth: null }, content: [{ type: 'paragraph' as const, content: [{ type: 'text' as const, text }] }] });
    const merged = {
      type: 'table' as const,
      attrs: { id: 'tm' },
      content: [
        { type: 'caption' as const, content: [{ type: 'text' as const, text: '合并单元格' }] },
        {
          type: 'tableGrid' as const,
          content: [
            { type: 'tableRow' as const, content: [cell('tableHeader', '项目', 1, 2), cell('tableHeader', '限值', 2)] },
            { type: 'tableRow' as const, content: [cell('tableHeader', '一级'), cell('tableHeader', '二级')] },
            { type: 'tableRow' as const, content: [cell('tableCell', 'COD'), cell('tableCell', '20'), cell('tableCell', '30')] },
          ],
        },
      ],
    };
    const doc = docJSON(foreword(p('前言。')), scope(p('本文件规定了要求。')), normativeReferences(), termsAndDefinitions(), chapter(h('要求'), p('见表1。'), merged as never));
    const xml = (await unzipDocx(await generateStandardDocx({ record, body: doc, edition: 'SH' }))).document;
    const tbl = /<w:tbl>[\s\S]*?<\/w:tbl>/.exec(xml.slice(xml.indexOf('合并单元格')))![0];
    const rows = tbl.match(/<w:tr>[\s\S]*?<\/w:tr>/g)!;
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain('<w:vMerge w:val="restart"/>');
    expect(rows[0]).toContain('<w:gridSpan w:val="2"/>');
    expect(rows[1]).toContain('<w:vMerge/>');
    expect((rows[1].match(/<w:tc>/g) ?? []).length).toBe(3);
    expect(rows.slice(0, 2).every((r) => r.includes('<w:tblHeader/>'))).toBe(true);
    expect(rows[2]).not.toContain('<w:tblHeader/>');
  });

  it('(19) never cuts a long table inside a cell that spans rows', async () => {
    const { docJSON, foreword, scope, normativeReferences, termsAndDefinitions, chapter, h, p } = await import('../../../editor/builders');
    const cell = (type: 'tableHeader' | 'tableCell', text: string, rowspan = 1) => ({ type, attrs: { colspan: 1, rowspan, colwidth: null }, content: [{ type: 'paragraph' as const, content: [{ type: 'text' as const, text }] }] });
    const rows = [{ type: 'tableRow' as const, content: [cell('tableHeader', '序号'), cell('tableHeader', '组')] }];
    // 120 body rows; every seventh starts a group of three rows merged in the second column, so whatever the
    // page-sized cuts (pagination.ts), some fall next to a group.
    for (let i = 0; i < 120; i++) {
      if (i % 7 === 0 && i + 2 < 120) rows.push({ type: 'tableRow', content: [cell('tableCell', `${i}`), cell('tableCell', '合并', 3)] });
      else if (i % 7 === 1 || i % 7 === 2) rows.push({ type: 'tableRow', content: [cell('tableCell', `${i}`)] });
      else rows.push({ type: 'tableRow', content: [cell('tableCell', `${i}`), cell('tableCell', '单')] });
    }
    const long = { type: 'table' as const, attrs: { id: 'tl' }, content: [{ type: 'caption' as const, content: [{ type: 'text' as const, text: '长表' }] }, { type: 'tableGrid' as const, content: rows }] };
    const doc = docJSON(foreword(p('前言。')), scope(p('本文件规定了要求。')), normativeReferences(), termsAndDefinitions(), chapter(h('要求'), p('见表1。'), long as never));
    const xml = (await unzipDocx(await generateStandardDocx({ record, body: doc, edition: 'SH' }))).document;
    const tables = xml.match(/<w:tbl>[\s\S]*?<\/w:tbl>/g)!.filter((tb) => tb.includes('序号'));
    const rowCounts = tables.map((tb) => (tb.match(/<w:tr>/g) ?? []).length - 1);
    expect(tables.length).toBeGreaterThanOrEqual(3);
    expect(rowCounts.reduce((a, b) => a + b, 0)).toBe(120);
    for (const tb of tables) {
      // Each part's merged cells start in that part: 3 rows per restart, no continuation without its start.
      const restarts = (tb.match(/<w:vMerge w:val="restart"\/>/g) ?? []).length;
      const continues = (tb.match(/<w:vMerge\/>/g) ?? []).length;
      expect(continues).toBe(2 * restarts);
      // Every part but the first begins on a new page under 表1（续）, and its rows keep together.
      expect(tb).toContain('<w:keepNext/>');
    }
    expect(xml.match(/表1（续）/g)).toHaveLength(tables.length - 1);
  });

  it('(20) puts figure titles below the image, numbered 图N by Word', () => {
    const d = parts.joint.document;
    const img = d.indexOf('<w:drawing>');
    const title = paragraphs(d).find((p) => p.style === 'GBFigureTitle');
    expect(img).toBeGreaterThan(0);
    expect(title!.index).toBeGreaterThan(img);
    expect(levelOfStyle(parts.joint.numbering, parts.joint.styles, 'GBFigureTitle')).toContain('<w:lvlText w:val="图%1\u3000"/>');
  });

  it('(21) centers formulas with a right-aligned (N) after a dot leader, counted by a SEQ field, then 式中：', () => {
    const f = byStyle('joint', 'GBFormula');
    expect(f[0].xml).toContain('<w:tab w:val="center"');
    expect(f[0].xml).toMatch(/<w:tab w:val="right" w:leader="dot"|<w:tab w:val="right"[^>]*w:leader="dot"/);
    expect(f[0].xml).toContain('SEQ 公式');
    expect(f[0].text).toBe('\tn = W / w\t(1)');
    expect(texts('joint')).toContain('式中：');
    expect(byStyle('joint', 'GBFormula').some((p) => p.text.endsWith('(A.1)'))).toBe(true);
  });

  it('(22) starts annexes on a new page with 附录A from the list, （规范性）/（资料性） and the title; annex tables restart per annex', () => {
    const annexes = byStyle('joint', 'GBAnnexId');
    expect(annexes.map((p) => p.text)).toEqual(['（规范性）质量控制要求', '（资料性）点位信息表示例']);
    expect(annexes.every((p) => p.xml.includes('<w:pageBreakBefore/>') && (p.xml.match(/<w:br\/>/g) ?? []).length === 2)).toBe(true);
    const lvl0 = levelOfStyle(parts.joint.numbering, parts.joint.styles, 'GBAnnexId');
    expect(lvl0).toContain('<w:numFmt w:val="upperLetter"/>');
    expect(lvl0).toContain('<w:lvlText w:val="附录%1"/>');
    const tableLvl = levelOfStyle(parts.joint.numbering, parts.joint.styles, 'GBAnnexTableTitle');
    expect(tableLvl).toContain('<w:lvlText w:val="表%1.%7\u3000"/>');
    expect(tableLvl).toContain('<w:lvlRestart w:val="1"/>');
    expect(levelOfStyle(parts.joint.numbering, parts.joint.styles, 'GBAnnexClause1')).toContain('<w:lvlText w:val="%1.%2\u3000"/>');
  });

  it('(23) writes the 目次 as a TOC field over the named styles, with entries and page numbers (Roman in the front matter)', () => {
    const d = parts.joint.document;
    expect(d).toContain('<w:fldChar w:fldCharType="begin" w:dirty="true"/>');
    expect(d).toMatch(/<w:instrText xml:space="preserve">TOC [^<]*标准文件_章标题,1[^<]*标准文件_附录标识,1/);
    expect(parts.joint.settings).toContain('<w:updateFields/>');
    const toc = paragraphs(d).filter((p) => p.style === 'TOC1' || p.style === 'TOC2').map((p) => p.text);
    expect(toc).toEqual(expect.arrayContaining(['前言\tIII', '1\u3000范围\t1', '附录A（规范性）\u3000质量控制要求\t' + toc.find((t) => t.startsWith('附录A'))!.split('\t')[1]]));
    expect(toc.find((t) => t.startsWith('参考文献'))).toMatch(/\t\d+$/);
    expect(toc.find((t) => t.startsWith('5.1\u3000'))).toMatch(/\t\d+$/);
  });
});

describe('typography', () => {
  it('(24–28) lays out the joint cover: ICS/CCS 黑体 10.5, three numbers, banner, title 26 pt, dates, six issuers 联合发布', () => {
    const t = texts('joint');
    expect(t).toEqual(expect.arrayContaining(['ICS 13.060.10', 'CCS Z 16', 'DB31/T 310021—2025、', 'DB32/T 310021—2025、', 'DB33/T 310021—2025', '长江三角洲区域统一标准']));
    expect(t).toContain('2025-06-18发布\t2025-09-01实施');
    expect(t).toEqual(expect.arrayContaining(['上海市市场监督管理局、上海市生态环境局', '江苏省市场监督管理局、江苏省生态环境厅\t联合发布', '浙江省市场监督管理局、浙江省生态环境厅']));
    expect(styleXml(parts.joint.styles, 'GBCoverCodes')).toMatch(/w:eastAsia="SimHei"[\s\S]*<w:sz w:val="21"\/>/);
    expect(styleXml(parts.joint.styles, 'GBDocumentNumber')).toMatch(/<w:jc w:val="right"\/>[\s\S]*w:eastAsia="SimHei"[\s\S]*<w:sz w:val="28"\/>/);
    expect(styleXml(parts.joint.styles, 'GBDocumentTitle')).toMatch(/<w:jc w:val="center"\/>[\s\S]*<w:sz w:val="52"\/>/);
    expect(styleXml(parts.joint.styles, 'GBCoverEnglishTitle')).toContain('<w:sz w:val="28"/>');
    // Two rules: under the banner and under the dates.
    const cover = parts.joint.document.slice(0, parts.joint.document.indexOf('</w:tbl>'));
    expect((cover.match(/<w:bottom w:val="single"/g) ?? []).length).toBe(2);
  });

  it('(28, 41) gives each province edition its banner, its number and its bureau; /T marks a recommended standard', () => {
    const expected = { SH: ['上海市地方标准', 'DB31/T 310021—2025', '\t上海市市场监督管理局\t发布'], JS: ['江苏省地方标准', 'DB32/T 310021—2025', '\t江苏省市场监督管理局\t发布'], ZJ: ['浙江省地方标准', 'DB33/T 310021—2025', '\t浙江省市场监督管理局\t发布'] } as const;
    for (const [p, want] of Object.entries(expected)) {
      expect(texts(p as EditionName)).toEqual(expect.arrayContaining([...want]));
      expect(texts(p as EditionName)).not.toContain('长江三角洲区域统一标准');
    }
    expect(texts('SH')).toContain('DB31');
  });

  it('(29–33) sets titles in 黑体 16 pt, headings 黑体 10.5 pt flush left, body 宋体 10.5 pt justified with a 2-character first-line indent', () => {
    const s = parts.joint.styles;
    for (const id of ['GBFrontTitle', 'GBTocTitle', 'GBBodyTitle']) expect(styleXml(s, id)).toMatch(/<w:jc w:val="center"\/>[\s\S]*w:eastAsia="SimHei"[\s\S]*<w:sz w:val="32"\/>/);
    for (const id of ['GBChapter', 'GBClause1', 'GBClause3']) expect(styleXml(s, id)).toMatch(/<w:jc w:val="left"\/>[\s\S]*w:ascii="Times New Roman"[\s\S]*w:eastAsia="SimHei"[\s\S]*<w:sz w:val="21"\/>/);
    expect(styleXml(s, 'GBSegment')).toMatch(/<w:ind [^>]*w:firstLineChars="200"[\s\S]*<w:jc w:val="both"\/>[\s\S]*w:eastAsia="SimSun"[\s\S]*<w:sz w:val="21"\/>/);
    expect(styleXml(s, 'GBSegment')).toContain('<w:name w:val="标准文件_段"/>');
    expect(styleXml(s, 'GBNote')).toContain('<w:name w:val="标准文件_注："/>');
  });
});

describe('page layout', () => {
  it('(34, 35) uses A4 portrait with the same margins in the front matter and the body', () => {
    const [, front, main] = sections(parts.joint.document);
    for (const s of [front, main]) {
      expect(s).toContain('<w:pgSz w:w="11906" w:h="16838" w:orient="portrait"/>');
      expect(s).toContain('<w:pgMar w:top="1928" w:right="1134" w:bottom="1134" w:left="1134" w:header="1418" w:footer="1134" w:gutter="284"/>');
      expect(s).toContain('<w:docGrid w:type="lines" w:linePitch="312"/>');
    }
  });

  it('(36, 37) gives the cover no header or footer, numbers the front matter Ⅰ Ⅱ Ⅲ and restarts the body at Arabic 1', () => {
    const [cover, front, main] = sections(parts.joint.document);
    expect(cover).not.toContain('headerReference');
    expect(cover).not.toContain('footerReference');
    expect(front).toContain('<w:pgNumType w:start="1" w:fmt="upperRoman"/>');
    expect(main).toContain('<w:pgNumType w:start="1" w:fmt="decimal"/>');
    expect(front).toMatch(/<w:headerReference w:type="even"/);
  });

  it('(38, 39) heads odd pages with the number(s) on the right and even pages on the left; footers carry PAGE', () => {
    expect(parts.joint.settings).toContain('<w:evenAndOddHeaders/>');
    const headers = parts.joint.headers.join('');
    expect(headers).toContain('DB31/T 310021—2025、DB32/T 310021—2025、DB33/T 310021—2025');
    expect(headers).toContain('GBHeaderOdd');
    expect(headers).toContain('GBHeaderEven');
    expect(styleXml(parts.joint.styles, 'GBHeaderOdd')).toMatch(/<w:jc w:val="right"\/>[\s\S]*SimHei[\s\S]*<w:sz w:val="21"\/>/);
    expect(styleXml(parts.joint.styles, 'GBHeaderEven')).toContain('<w:jc w:val="left"/>');
    expect(styleXml(parts.joint.styles, 'GBHeaderOdd')).not.toContain('<w:pBdr>');
    expect(parts.joint.footers.every((f) => f.includes('PAGE'))).toBe(true);
    expect(styleXml(parts.joint.styles, 'GBFooterOdd')).toMatch(/<w:jc w:val="right"\/>[\s\S]*<w:sz w:val="18"\/>/);
    expect(parts.SH.headers.join('')).toContain('DB31/T 310021—2025');
    expect(parts.SH.headers.join('')).not.toContain('DB32');
  });

  it('(40) ends with a short centered rule', () => {
    expect(styleXml(parts.joint.styles, 'GBEndLine')).toMatch(/<w:top w:val="single"/);
  });
});

describe('editions and drafts', () => {
  it('(42) writes byte-identical body XML in all four editions', () => {
    const joint = bodyXml('joint');
    expect(joint.length).toBeGreaterThan(50_000);
    for (const e of ['SH', 'JS', 'ZJ'] as const) {
      const other = bodyXml(e);
      // Compare without printing 100 kB on failure: report where they part.
      const at = [...joint].findIndex((c, i) => other[i] !== c);
      expect({ edition: e, firstDifference: at === -1 && other.length === joint.length ? null : joint.slice(Math.max(0, at - 80), at + 80) }).toEqual({ edition: e, firstDifference: null });
    }
  });

  it('(43) labels a draft cover （征求意见稿） with the patent request and placeholder dates; the release has neither', () => {
    expect(texts('draft')).toEqual(expect.arrayContaining(['（征求意见稿）', PATENT_REQUEST, '本稿完成日期：2025-03-01', '××××-××-××发布\t××××-××-××实施']));
    expect(texts('joint')).not.toContain('（征求意见稿）');
    expect(texts('joint')).not.toContain(PATENT_REQUEST);
  });

  it('writes a mandatory standard without /T and shows placeholders for numbers not yet assigned', async () => {
    const mandatory = richStandardRecord({ mandatory: true, provinces: { SH: {}, JS: {}, ZJ: {} } });
    const p = await unzipDocx(await generateStandardDocx({ record: mandatory, body, edition: 'JS', stageLabel: 'draftForReview' }));
    const t = paragraphs(p.document).map((x) => x.text);
    expect(t).toContain('DB32 ××××××—2025');
    expect(t).toContain('（送审稿）');
  });

  it('generates a new draft skeleton with the fixed sentences of empty chapters 2 and 3', async () => {
    const { newStandardJSON } = await import('../../../editor/template');
    const { NO_NORMATIVE_REFERENCES, NO_TERMS } = await import('../../../activities/docx/body');
    const p = await unzipDocx(await generateStandardDocx({ record, body: newStandardJSON(), edition: 'joint', stageLabel: 'draftForComment' }));
    const t = paragraphs(p.document).map((x) => x.text);
    expect(t).toEqual(expect.arrayContaining([NO_NORMATIVE_REFERENCES, NO_TERMS, '本文件规定了']));
    expect(t).not.toContain('下列术语和定义适用于本文件。');
    expect(t.filter((x) => x === DRAFTING_BASIS)).toHaveLength(1);
  });

  it('warms up by generating the sample standard once', async () => {
    const { warmUpGenerator } = await import('../../../activities/docx/generate');
    await expect(warmUpGenerator()).resolves.toBeGreaterThan(0);
  });

  it('reports progress from 0 to 1 through its phases', () => {
    expect(progress[0]).toEqual([0, 'prepare']);
    expect(progress[progress.length - 1]).toEqual([1, 'done']);
    const fractions = progress.map(([f]) => f);
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions);
    expect(new Set(progress.map(([, p]) => p))).toEqual(new Set(['prepare', 'cover', 'frontMatter', 'body', 'pack', 'done']));
  });
});
