// A sample 征求意见汇总处理表 for `npm run docx:sample`: the rich fixture standard with a set of public
// comments on its clauses (each decision, a renumbered and a deleted clause, markup typed by a commenter,
// a hidden spam comment) rendered as DOCX and CSV.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { richStandardBody, richStandardRecord } from '../docx/fixtures/rich-standard';
import type { DocJSON, NodeJSON } from '../../editor/types';
import { clausesOf } from '../../editor/clauses';
import type { CommentRecord, CommenterProvince, CommentType, Decision } from './model';
import { commentTextHash } from './store';
import { dispositionTableCsv, dispositionTableDocx, type DispositionTableInput } from './disposition-table';

const AT = new Date('2025-03-20T08:00:00.000Z');

interface Spec {
  clause?: number;
  type: CommentType;
  comment: string;
  proposedChange?: string;
  name: string;
  organisation?: string;
  province: CommenterProvince;
  decision?: Decision;
  reason?: string;
  /** Anchor to the first clause whose text holds this word, quoting the phrase around it. */
  quoteWord?: string;
  hidden?: boolean;
}

const SPECS: Spec[] = [
  { clause: 5, type: 'technical', comment: '采样频次每月一次不足以反映汛期水质变化，建议汛期加密。', proposedChange: '汛期（6月—9月）每月采样两次。', name: '李明', organisation: '苏州市环境监测站', province: 'JS', decision: 'partiallyAccepted', reason: '汛期加密采样已在5.2中补充，但频次按每月两次执行存在人力困难，改为重点断面加密。' },
  { type: 'editorial', comment: '“顺序号”宜写作“顺序码”，与“省份代码”的写法一致。', name: '王芳', organisation: '', province: 'SH', decision: 'accepted', quoteWord: '顺序号' },
  { clause: 3, type: 'general', comment: '建议增加跨界断面数据共享的时限要求。', name: '赵强', organisation: '嘉兴市生态环境局', province: 'ZJ', decision: 'rejected', reason: '数据共享时限属于管理制度，不宜在技术规范中规定，将在联保共治工作机制中明确。' },
  { clause: 8, type: 'technical', comment: '<script>alert("x")</script> 质控样比例10%偏低。', proposedChange: '平行样比例不低于15%。', name: '陈伟', organisation: '某第三方检测公司', province: 'other', decision: 'rejected', reason: '现行HJ 91.2规定平行样不少于10%，本文件与之保持一致。' },
  { type: 'general', comment: '建议尽快发布实施。', name: '周敏', organisation: '示范区居民', province: 'SH', decision: 'accepted' },
  { type: 'general', comment: '点击领取优惠', name: 'spam', province: 'other', hidden: true },
];

/** The fixture body with one clause inserted before the first commented clause and one deleted, as a later version would. */
function laterVersion(body: DocJSON, insertBeforeId: string, deleteId: string): DocJSON {
  const copy = JSON.parse(JSON.stringify(body)) as DocJSON;
  const walk = (n: NodeJSON): void => {
    if (!n.content) return;
    const i = n.content.findIndex((c) => c.attrs?.id === insertBeforeId);
    if (i >= 0) n.content.splice(i, 0, { type: n.content[i].type, attrs: { id: 'sample-new-clause' }, content: [{ type: 'paragraph', attrs: { id: 'sample-new-p' }, content: [{ type: 'text', text: '（新增条款）' }] }] });
    n.content = n.content.filter((c) => c.attrs?.id !== deleteId);
    n.content.forEach(walk);
  };
  walk(copy);
  return copy;
}

/** Comments and the current text for the sample table. */
export function sampleDispositionInput(): DispositionTableInput {
  const record = richStandardRecord({ stage: 'publicComment' });
  const body = richStandardBody();
  const clauses = [...clausesOf(body).values()].filter((c) => /^clause[1-5]$/.test(c.type) && c.text.length > 10);
  const comments: CommentRecord[] = SPECS.map((s, i) => {
    const word = s.quoteWord;
    const c = word ? clauses.find((x) => x.text.includes(word)) : s.clause === undefined ? undefined : clauses[s.clause % clauses.length];
    // The whole phrase around the word: from the punctuation mark before it up to and with the one after it.
    const at = c && word ? c.text.indexOf(word) : -1;
    const start = at < 0 ? 0 : Math.max(...['，', '。', '；', '：'].map((m) => c?.text.lastIndexOf(m, at) ?? -1)) + 1;
    const quote = c && at >= 0 ? (/^[^，。；]*[，。；]?/.exec(c.text.slice(start))?.[0] ?? c.text.slice(start)) : undefined;
    const receipt = `SMPL${i}-${String(1000 + i).slice(-4)}A`;
    return {
      _id: `c${String(i).padStart(24, '0')}`,
      standardId: record._id,
      phase: 'publicComment',
      versionId: 'sample-draft-for-comment',
      submissionKey: `sample-${i}`,
      receipt,
      type: s.type,
      anchor: c ? { scope: quote ? 'passage' : 'clause', clauseId: c.id, clauseNumber: c.label, clauseTitle: c.title, ...(quote ? { quote, quoteOffset: start } : {}) } : { scope: 'document' },
      comment: s.comment,
      proposedChange: s.proposedChange ?? '',
      submitter: { name: s.name, organisation: s.organisation ?? '', province: s.province, contact: '', showName: true },
      createdAt: new Date(AT.getTime() + i * 3600_000),
      textHash: commentTextHash(record._id, c?.id, s.comment),
      textKey: `sample-${i}`,
      status: s.decision ? 'disposed' : 'pending',
      moderation: s.hidden ? 'hidden' : 'visible',
      moderationLog: [],
      ...(s.decision ? { disposition: { decision: s.decision, reason: s.reason ?? '', by: { userId: 'u-drafter', displayName: '王明', role: 'drafter' }, at: AT } } : {}),
      addressHash: 'sample',
    };
  });
  const first = clauses[SPECS[0].clause ?? 0];
  const deleted = clauses[SPECS[2].clause ?? 0];
  return {
    standard: { titleZh: record.titleZh, draftingUnits: record.draftingUnits },
    handler: { name: '王明', phone: '021-00000000' },
    sentTo: 12,
    date: new Date('2025-04-01T02:00:00.000Z'),
    comments,
    current: { versionId: 'sample-draft-for-review', json: laterVersion(body, first.id, deleted.id) },
  };
}

/** Writes 征求意见汇总处理表 DOCX and CSV for the fixture standard into `outDir`; returns their paths. */
export async function writeSampleDispositionTable(outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const input = sampleDispositionInput();
  const docxPath = path.join(outDir, `${input.standard.titleZh}征求意见汇总处理表.docx`);
  const csvPath = path.join(outDir, `${input.standard.titleZh}征求意见汇总处理表.csv`);
  await writeFile(docxPath, await dispositionTableDocx(input));
  await writeFile(csvPath, dispositionTableCsv(input), 'utf8');
  return [docxPath, csvPath];
}
