// The 前言 assembled from the standard record with the fixed sentences of GB/T 1.1—2020 8.3 (spec §2.1,
// checklist 4–6), in the order the standard gives: drafting basis, the drafters' own paragraphs from the
// body (relation to other documents, technical changes …), patent notice, proposer and 归口, drafting
// units, drafters, version history. Pure: returns lines, the renderer lays them out.
import { PROVINCES, PROVINCE_INFO, type StandardRecord } from '../../workflows/domain';

export const DRAFTING_BASIS = '本文件按照GB/T 1.1—2020《标准化工作导则\u3000第1部分：标准化文件的结构和起草规则》的规定起草。';
export const PATENT_NOTICE = '请注意本文件的某些内容可能涉及专利。本文件的发布机构不承担识别专利的责任。';
export const FIRST_EDITION = '本文件为首次发布。';

/**
 * Sentences whose content comes from the record (drafting basis, patent notice, proposer/归口, units,
 * drafters, version line): when drafters typed them into the 前言 too, the record's version is kept.
 */
function isRecordSentence(t: string): boolean {
  return (
    /^本文件按照GB\/T ?1\.1/.test(t) ||
    /^请注意本文件的某些内容可能涉及专利/.test(t) ||
    /^本文件由.+(提出|归口)/.test(t) ||
    /^本文件(主要)?起草(单位|人)：/.test(t) ||
    /^本文件为首次发布/.test(t) ||
    /^本文件及其所代替文件的历次版本发布情况/.test(t)
  );
}

/** A 前言 line: a paragraph, or an item of a dash list (「——」). */
export interface ForewordLine {
  kind: 'paragraph' | 'dash';
  text: string;
}

function sentence(s: string): ForewordLine {
  return { kind: 'paragraph', text: s };
}

/** The 提出 and 归口 sentences; one sentence when both bodies are the same. */
export function proposerSentences(record: StandardRecord): string[] {
  const proposer = record.proposer?.trim() || PROVINCES.map((p) => PROVINCE_INFO[p].ecoEnvDepartmentZh).join('、');
  const committee = record.technicalCommittee?.trim() || proposer;
  return proposer === committee ? [`本文件由${proposer}提出并归口。`] : [`本文件由${proposer}提出。`, `本文件由${committee}归口。`];
}

/**
 * The lines of the 前言. `bodyLines` are the drafters' paragraphs of the `foreword` node; any that repeat a
 * sentence the generator writes itself are dropped so the fixed sentences appear once and in order.
 */
export function forewordLines(record: StandardRecord, bodyLines: ForewordLine[]): ForewordLine[] {
  const generated = new Set([DRAFTING_BASIS, PATENT_NOTICE, FIRST_EDITION, ...proposerSentences(record)]);
  const own = bodyLines.filter((l) => !generated.has(l.text.trim()) && !isRecordSentence(l.text.trim()));
  const lines: ForewordLine[] = [sentence(DRAFTING_BASIS), ...own];
  const replaces = record.replaces ?? [];
  if (replaces.length > 0 && !own.some((l) => l.text.includes('代替'))) lines.push(sentence(`本文件代替${replaces.join('、')}。`));
  lines.push(sentence(PATENT_NOTICE));
  for (const s of proposerSentences(record)) lines.push(sentence(s));
  const units = record.draftingUnits.length > 0 ? record.draftingUnits : [...record.leadUnits, ...record.participatingUnits];
  lines.push(sentence(`本文件起草单位：${units.join('、')}。`));
  lines.push(sentence(`本文件主要起草人：${record.drafters.join('、')}。`));
  if (replaces.length > 0) {
    lines.push(sentence('本文件及其所代替文件的历次版本发布情况为：'));
    replaces.forEach((r, i) => lines.push({ kind: 'dash', text: `${r}${i === replaces.length - 1 ? '；' : '；'}` }));
    lines.push({ kind: 'dash', text: '本次为第一次修订。' });
  } else {
    lines.push(sentence(FIRST_EDITION));
  }
  return lines;
}
