// Released editions, stage drafts and their PDFs never show suggested changes (issue 15): the generator prints
// the agreed text, every suggestion rejected (activities/docx/agreed-text.ts). A draft with suggestions gives
// the same DOCX body text as the draft written without them — inserted text and an inserted clause left out,
// deleted text and a deleted paragraph kept — and no tracked change. The redline of two versions holding
// suggestions compares their agreed texts.
import JSZip from 'jszip';
import { richStandardRecord } from '../../../activities/docx/fixtures/rich-standard';
import { generateStandardDocx } from '../../../activities/docx/generate';
import { agreedText } from '../../../activities/docx/agreed-text';
import { generateRedlineDocx } from '../../../activities/redline/redline';
import { chapter, clause, docJSON, foreword, h, normativeReferences, p, scope, termsAndDefinitions, type Built } from '../../../editor/builders';
import type { SuggestionAuthor } from '../../../editor/schema';

jest.setTimeout(120_000);

const A: SuggestionAuthor = { sid: 's1', by: 'u1', name: '张三', province: 'JS', at: '2026-11-30T09:00:00Z' };
const B: SuggestionAuthor = { sid: 's2', by: 'u2', name: '李四', province: 'ZJ', at: '2026-11-30T10:00:00Z' };
const ins = (text: string): Built => ({ type: 'text', text, marks: [{ type: 'suggestInsert', attrs: { ...A } }] });
const del = (text: string): Built => ({ type: 'text', text, marks: [{ type: 'suggestDelete', attrs: { ...B } }] });

const front = (): Built[] => [foreword(p('本文件按照GB/T 1.1—2020的规定起草。')), scope(p('本文件规定了示范区地表水环境质量监测要求。')), normativeReferences(), termsAndDefinitions(p('本文件没有需要界定的术语和定义。'))];

const withSuggestions = docJSON(
  ...front(),
  chapter(
    h('采样'),
    clause(h('采样方法'), p('采样应在', ins('河流'), '中泓线处进行', del('，水深大于5 m时分层采样'), '。')),
    clause({ suggestion: { kind: 'insert', ...A } }, h('样品运输'), p('样品应避光运输。')),
    clause(h('样品保存'), p('样品应在4 ℃下冷藏保存。'), p({ suggestion: { kind: 'delete', ...B } }, '保存时间不超过24 h。')),
  ),
);
const agreed = docJSON(
  ...front(),
  chapter(h('采样'), clause(h('采样方法'), p('采样应在中泓线处进行，水深大于5 m时分层采样。')), clause(h('样品保存'), p('样品应在4 ℃下冷藏保存。'), p('保存时间不超过24 h。'))),
);

async function bodyText(body: typeof agreed): Promise<{ text: string; xml: string }> {
  const docx = await generateStandardDocx({ record: richStandardRecord(), body, edition: 'joint', completedOn: '2026-12-01' });
  const xml = await (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string');
  const text = [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) => [...m[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((x) => x[1]).join('')).join('\n');
  return { text, xml };
}

describe('generated documents print the agreed text', () => {
  it('a draft with suggestions gives the same body text as the draft without them, with no tracked change', async () => {
    const [a, b] = await Promise.all([bodyText(withSuggestions), bodyText(agreed)]);
    expect(a.text).toContain('采样应在中泓线处进行，水深大于5 m时分层采样。');
    expect(a.text).toContain('保存时间不超过24 h。');
    expect(a.text).not.toContain('样品运输');
    expect(a.text).not.toContain('河流中泓线');
    expect(a.text).toBe(b.text);
    expect(a.xml).not.toMatch(/<w:(ins|del) /);
  });

  it('the redline of two versions with suggestions tracks only what changed between their agreed texts', async () => {
    const older = docJSON(...front(), chapter(h('采样'), clause(h('采样方法'), p('采样应在中泓线处进行。', ins('（建议）')))));
    const docx = await generateRedlineDocx({ older, newer: withSuggestions, author: '起草组', date: '2026-12-01T08:00:00Z', record: richStandardRecord(), edition: 'joint' });
    const xml = await (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string');
    const tracked = [...xml.matchAll(/<w:(ins|del) w:id="\d+" w:author="([^"]*)"[^>]*>([\s\S]*?)<\/w:\1>/g)].map((m) => `${m[1]} ${m[2]} ${[...m[3].matchAll(/<w:(?:t|delText)(?: [^>]*)?>([^<]*)</g)].map((x) => x[1]).join('')}`);
    expect(tracked).toEqual(expect.arrayContaining(['ins 起草组 ，水深大于5 m时分层采样', 'ins 起草组 样品保存']));
    // Suggested text of either version is not in the comparison, nor its proposers.
    expect(xml).not.toContain('（建议）');
    expect(xml).not.toContain('样品运输');
    expect(xml).not.toMatch(/w:author="(张三|李四)"/);
  });

  it('leaves a body without suggestions untouched (the same object)', () => {
    expect(agreedText(agreed)).toBe(agreed);
  });
});
