// Zod issues said in words: each field by the label its form shows, each problem in Chinese and English
// built here (never zod's own text, which names types and operators: "期望 number <=60"). A schema's own
// bilingual message (`params.i18n` of workflows/payloads.ts, `params.textRule` of the text rule) wins.
import type { z } from 'zod';

type Bi = { zh: string; en: string };

/** Labels of the fields of every form and query, as the pages name them. */
export const FIELD_LABELS: Record<string, Bi> = {
  reason: { zh: '理由', en: 'Reason' },
  number: { zh: '标准编号', en: 'Number' },
  province: { zh: '省（市）', en: 'Province' },
  decision: { zh: '意见', en: 'Decision' },
  outcome: { zh: '结论', en: 'Outcome' },
  newDeadline: { zh: '新的截止时间', en: 'New deadline' },
  releaseDate: { zh: '发布日期', en: 'Release date' },
  implementationDate: { zh: '实施日期', en: 'Implementation date' },
  eventId: { zh: '宣贯活动', en: 'Publicity event' },
  titleZh: { zh: '中文名称', en: 'Title (Chinese)' },
  titleEn: { zh: '英文名称', en: 'Title (English)' },
  kind: { zh: '标准类别', en: 'Kind' },
  mandatory: { zh: '性质', en: 'Type' },
  field: { zh: '领域', en: 'Field' },
  scope: { zh: '适用范围', en: 'Scope' },
  leadUnits: { zh: '牵头单位', en: 'Lead units' },
  participatingUnits: { zh: '参与单位', en: 'Participating units' },
  draftingUnits: { zh: '起草单位', en: 'Drafting units' },
  drafters: { zh: '主要起草人', en: 'Principal drafters' },
  drafterUsernames: { zh: '起草组账号', en: 'Drafting group accounts' },
  usernames: { zh: '用户名', en: 'Usernames' },
  plannedYear: { zh: '计划完成年份', en: 'Planned year' },
  batch: { zh: '批次', en: 'Batch' },
  ics: { zh: 'ICS 分类号', en: 'ICS code' },
  ccs: { zh: 'CCS 分类号', en: 'CCS code' },
  proposer: { zh: '提出单位', en: 'Proposed by' },
  technicalCommittee: { zh: '归口单位', en: 'Technical committee' },
  proposalCommentDays: { zh: '立项公开征求意见天数', en: 'Days of public comment on the proposal' },
  title: { zh: '活动名称', en: 'Event title' },
  date: { zh: '日期', en: 'Date' },
  location: { zh: '地点', en: 'Location' },
  description: { zh: '内容简介', en: 'Description' },
  username: { zh: '用户名', en: 'Username' },
  password: { zh: '密码', en: 'Password' },
  stage: { zh: '阶段', en: 'Stage' },
  q: { zh: '搜索', en: 'Search' },
  page: { zh: '页码', en: 'Page' },
  pageSize: { zh: '每页条数', en: 'Page size' },
  lang: { zh: '语言', en: 'Language' },
  id: { zh: '标识', en: 'Id' },
  action: { zh: '操作', en: 'Action' },
  content: { zh: '意见内容', en: 'Comment' },
  clause: { zh: '章条编号', en: 'Clause' },
  name: { zh: '姓名', en: 'Name' },
  organization: { zh: '单位', en: 'Organisation' },
  email: { zh: '电子邮箱', en: 'E-mail' },
  phone: { zh: '电话', en: 'Phone' },
  response: { zh: '处理意见', en: 'Response' },
  summary: { zh: '汇总意见', en: 'Summary' },
};

/** The label of an issue's field: the last named (non-index) segment of its path. */
export function fieldLabel(path: readonly PropertyKey[]): Bi | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    const k = path[i];
    if (typeof k === 'string') return FIELD_LABELS[k] ?? { zh: k, en: k };
  }
  return undefined;
}

const TYPE_WORDS: Record<string, Bi> = {
  string: { zh: '文字', en: 'text' },
  number: { zh: '数字', en: 'a number' },
  int: { zh: '整数', en: 'a whole number' },
  boolean: { zh: '是或否', en: 'yes or no' },
  array: { zh: '列表', en: 'a list' },
  object: { zh: '一组字段', en: 'a set of fields' },
  date: { zh: '日期', en: 'a date' },
};

const FORMAT_WORDS: Record<string, Bi> = {
  date: { zh: '应为日期（年-月-日）', en: 'must be a date (yyyy-mm-dd)' },
  datetime: { zh: '应为日期和时间', en: 'must be a date and time' },
  email: { zh: '应为电子邮箱地址', en: 'must be an e-mail address' },
};

/** Fields checked by a pattern: what the pattern wants, as an example. */
const PATTERN_WORDS: Record<string, Bi> = {
  number: { zh: '应如 DB31/T 310003—2021', en: 'must look like DB31/T 310003—2021' },
  username: { zh: '只能由字母、数字和 . _ - 组成（2–40 个）', en: 'may contain letters, digits and . _ - (2–40)' },
  usernames: { zh: '只能由字母、数字和 . _ - 组成（2–40 个）', en: 'may contain letters, digits and . _ - (2–40)' },
  drafterUsernames: { zh: '只能由字母、数字和 . _ - 组成（2–40 个）', en: 'may contain letters, digits and . _ - (2–40)' },
};

type Issue = z.core.$ZodIssue;

function own(iss: Issue): Bi | undefined {
  const params = (iss as { params?: { textRule?: Partial<Bi>; i18n?: Partial<Bi> } }).params;
  const m = params?.textRule ?? params?.i18n;
  return typeof m?.zh === 'string' && typeof m.en === 'string' ? { zh: m.zh, en: m.en } : undefined;
}

/** What is wrong, without the field's name. */
function problem(iss: Issue): Bi {
  switch (iss.code) {
    case 'invalid_type': {
      if (iss.input === undefined || iss.input === null || iss.input === '') return { zh: '必填', en: 'is required' };
      const w = TYPE_WORDS[iss.expected] ?? { zh: '有效的值', en: 'a valid value' };
      return { zh: `应为${w.zh}`, en: `must be ${w.en}` };
    }
    case 'too_small': {
      const n = Number(iss.minimum);
      if (iss.origin === 'string') return n <= 1 ? { zh: '必填', en: 'is required' } : { zh: `至少 ${n} 个字`, en: `must have at least ${n} characters` };
      if (iss.origin === 'array' || iss.origin === 'set') return n <= 1 ? { zh: '至少填写一项', en: 'needs at least one entry' } : { zh: `至少 ${n} 项`, en: `needs at least ${n} entries` };
      if (iss.origin === 'date') return { zh: `不能早于 ${String(iss.minimum)}`, en: `cannot be before ${String(iss.minimum)}` };
      return { zh: `不能小于 ${n}`, en: `must be at least ${n}` };
    }
    case 'too_big': {
      const n = Number(iss.maximum);
      if (iss.origin === 'string') return { zh: `最多 ${n} 个字`, en: `must have at most ${n} characters` };
      if (iss.origin === 'array' || iss.origin === 'set') return { zh: `最多 ${n} 项`, en: `may have at most ${n} entries` };
      if (iss.origin === 'date') return { zh: `不能晚于 ${String(iss.maximum)}`, en: `cannot be after ${String(iss.maximum)}` };
      return { zh: `不能大于 ${n}`, en: `must be at most ${n}` };
    }
    case 'invalid_value':
      return { zh: '请从给出的选项中选择', en: 'must be one of the options offered' };
    case 'invalid_format': {
      const key = iss.path[iss.path.length - 1];
      return (iss.format === 'regex' && typeof key === 'string' ? PATTERN_WORDS[key] : undefined) ?? FORMAT_WORDS[iss.format] ?? { zh: '格式不正确', en: 'is not in the expected form' };
    }
    case 'not_multiple_of':
      return { zh: '应为整数', en: 'must be a whole number' };
    case 'unrecognized_keys':
      return { zh: `不应包含这些字段：${iss.keys.join('、')}`, en: `unknown field(s): ${iss.keys.join(', ')}` };
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
    case 'custom':
    default:
      return { zh: '无效', en: 'is invalid' };
  }
}

export interface IssueWords {
  /** The field's label, when the issue is about a field. */
  label?: Bi;
  /** What is wrong, without the field's name (a schema's own message as it is). */
  problem: Bi;
  /** Both together, as a sentence for a page: 「理由必填」, "Reason is required". */
  message: Bi;
}

/** The issue in words, naming the field by its label. */
export function issueWords(iss: Issue): IssueWords {
  const label = fieldLabel(iss.path);
  const o = own(iss);
  const problemWords = o ?? problem(iss);
  let message: Bi;
  if (!label) message = o ?? { zh: `内容${problemWords.zh}`, en: `The request ${problemWords.en}` };
  else if (o) message = o.zh.includes(label.zh) ? o : { zh: `${label.zh}：${o.zh}`, en: `${label.en}: ${o.en}` };
  else message = { zh: `${label.zh}${problemWords.zh.startsWith('请') ? '：' : ''}${problemWords.zh}`, en: `${label.en} ${problemWords.en}` };
  return { label, problem: problemWords, message };
}
