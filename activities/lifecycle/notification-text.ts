// Notifications in words: what happened, what to do and where, in the reader's language, rendered when they
// are shown or mailed from the stored structured fields (kind, event, action, stage, province, reason) and
// the standard's title. Never an id or an action code: the workflow's own reminders stored a sentence with
// both, so those are rendered from their kind and action too.
import { PROVINCE_INFO, STAGE_LABELS, type Province } from '../../workflows/domain';
import type { Action } from '../../workflows/messages';
import type { NotificationEvent, NotificationRecord } from '../data/notifications';

export type Lang = 'zh' | 'en';

export interface NotificationText {
  /** One line: the standard and what happened (or that it waits on the reader). */
  headline: string;
  /** What the reader is asked to do, when anything. */
  todo?: string;
  /** The reason given by whoever acted, when one was. */
  reason?: string;
  /** Path of the standard's page, or its draft page for a thread mention (absolute when a base URL is given). */
  href: string;
}

type Words = { zh: string; en: string };

const bureau = (p: Province | undefined): Words =>
  p ? { zh: PROVINCE_INFO[p].marketRegulatorZh, en: PROVINCE_INFO[p].marketRegulatorEn } : { zh: '一个市场监督管理局', en: 'A market regulation bureau' };

function eventWords(e: NotificationEvent, n: Pick<NotificationRecord, 'province' | 'stage'>): Words {
  const b = bureau(n.province);
  switch (e) {
    case 'proposalSubmitted':
      return { zh: '新的立项申请已提交，等待三地市场监督管理局审核', en: 'A new proposal was submitted and awaits the three market regulation bureaus' };
    case 'proposalReturned':
      return { zh: `${b.zh}退回了立项申请`, en: `${b.en} returned the proposal` };
    case 'proposalRejected':
      return { zh: `${b.zh}否决了立项申请，本标准不再立项`, en: `${b.en} rejected the proposal; the standard will not go ahead` };
    case 'proposalApproved':
      return { zh: '三地市场监督管理局均已批准立项，起草阶段开始，草案已开放编辑', en: 'All three market regulation bureaus approved the proposal; drafting has begun and the draft is open for editing' };
    case 'proposalResubmitted':
      return { zh: '立项申请已修改后重新提交', en: 'The proposal was revised and resubmitted' };
    case 'provinceApproved':
      return { zh: `${b.zh}已批准`, en: `${b.en} approved` };
    case 'draftOpened':
      return { zh: '草案已开放编辑', en: 'The draft is open for editing' };
    case 'draftLocked':
      return { zh: '征求意见稿已提交并公开征求意见，草案已锁定', en: 'The draft for comment was submitted and published for comment; the draft is now locked' };
    case 'commentPeriodClosed':
      return { zh: '征求意见期已结束，需对每条意见给出处理意见；草案已重新开放编辑，可落实采纳的意见', en: 'The comment period has closed; every comment now needs a disposition, and the draft is open again to work accepted comments in' };
    case 'commentPeriodExtended':
      return { zh: '征求意见期已延长', en: 'The comment period was extended' };
    case 'reviewStarted':
      return { zh: '意见处理已完成，送审稿进入技术审查，草案已锁定', en: 'Comment handling is complete; the draft for review is in technical review and the draft is locked' };
    case 'reviewPassed':
      return { zh: '技术审查已通过，草案重新开放编辑以形成报批稿', en: 'Technical review passed; the draft is open again to prepare the draft for approval' };
    case 'sentBackToDrafting':
      return { zh: '技术审查退回起草，草案重新开放编辑', en: 'Technical review sent the standard back to drafting; the draft is open again' };
    case 'approvalStarted':
      return { zh: '报批稿已提交报批，草案已锁定', en: 'The draft for approval was submitted; the draft is now locked' };
    case 'approvalReturned':
      return { zh: `${b.zh}退回了报批稿`, en: `${b.en} returned the draft for approval` };
    case 'releaseScheduled':
      return { zh: '三地均已批准并确定发布日期，将按期发布', en: 'All three bureaus approved and the dates are set; it will be released on the release date' };
    case 'published':
      return { zh: '已发布', en: 'has been published' };
    case 'publicityDone':
      return { zh: '宣贯已完成，等待实施日期', en: 'Publicity is complete; waiting for the implementation date' };
    case 'inForce':
      return { zh: '已开始实施', en: 'is now in force' };
    case 'reviewDue':
      return { zh: '复审已开始', en: 'The periodic review has begun' };
    case 'withdrawn':
      return { zh: '已撤销', en: 'has been withdrawn' };
    case 'abolished':
      return { zh: '已废止', en: 'has been abolished' };
    case 'mentionedInThread':
      return { zh: '有人在草案的批注中提到了您', en: 'You were mentioned in a comment thread of the draft' };
    case 'stageChanged':
      return n.stage ? { zh: `进入${STAGE_LABELS[n.stage].zh}阶段`, en: `moved to ${STAGE_LABELS[n.stage].en}` } : { zh: '状态已更新', en: 'was updated' };
  }
}

const TODO: Record<Action, Words> = {
  decideInitiation: { zh: '请代表贵局作出立项决定（批准、退回或否决）', en: "Please give your bureau's decision on the proposal (approve, return or reject)" },
  resubmit: { zh: '请按退回理由修改后重新提交', en: 'Please revise it as the reason asks and resubmit' },
  submitForComment: { zh: '请编辑草案，完成后提交征求意见稿及编制说明', en: 'Please edit the draft and, when ready, submit the draft for comment with its explanatory note' },
  extendCommentPeriod: { zh: '如需要，可延长征求意见期', en: 'You may extend the comment period if needed' },
  completeCommentHandling: { zh: '请对每条意见给出处理意见，然后完成意见处理', en: 'Please give every comment a disposition, then complete comment handling' },
  recordReviewResult: { zh: '请审查送审稿并登记审查结论', en: 'Please review the draft for review and record the result' },
  submitForApproval: { zh: '请修改形成报批稿并提交报批', en: 'Please prepare the draft for approval and submit it' },
  decideApproval: { zh: '请代表贵局作出报批决定（批准并给出编号，或退回）', en: "Please give your bureau's approval decision (approve with a number, or return)" },
  setReleaseDates: { zh: '请确定统一的发布日期和实施日期', en: 'Please set the common release and implementation dates' },
  recordPublicityEvent: { zh: '请登记宣贯活动', en: 'Please record the publicity events' },
  completePublicity: { zh: '宣贯完成后，请确认宣贯完成', en: 'When publicity is done, please mark it complete' },
  startReview: { zh: '可启动复审', en: 'You may start the review' },
  decideReview: { zh: '请作出复审结论（继续有效、修订或废止）', en: 'Please decide the review (continue, revise or abolish)' },
  withdraw: { zh: '可撤销本标准', en: 'You may withdraw the standard' },
};

/** The title of a standard in the language, quoted as a sentence would. */
function quoted(titles: { zh: string; en: string } | undefined, lang: Lang): string {
  if (!titles) return lang === 'zh' ? '一项标准' : 'A standard';
  return lang === 'zh' ? `《${titles.zh}》` : `“${titles.en || titles.zh}”`;
}

/** Joins the title and an event phrase: English phrases in lower case follow the title as a predicate. */
function sentence(title: string, w: Words, lang: Lang): string {
  if (lang === 'zh') return `${title}：${w.zh}`;
  return /^[a-z]/.test(w.en) ? `${title} ${w.en}` : `${title}: ${w.en}`;
}

export function renderNotification(n: NotificationRecord, titles: { zh: string; en: string } | undefined, lang: Lang, baseUrl = ''): NotificationText {
  const title = quoted(titles, lang);
  // A mention in a draft's comment thread links to the draft page (the editor with its threads panel).
  const page = n.event === 'mentionedInThread' ? '/draft' : '';
  const href = `${baseUrl.replace(/\/+$/, '')}/standards/${encodeURIComponent(n.standardId)}${page}`;
  const todo = n.action && (n.kind === 'actionDue' || n.kind === 'reminder') ? TODO[n.action as Action]?.[lang] : undefined;
  const reason = n.reason && (n.kind === 'actionDue' || n.kind === 'news') ? n.reason : undefined;
  let headline: string;
  switch (n.kind) {
    case 'actionDue':
    case 'news':
      headline = n.event ? sentence(title, eventWords(n.event, n), lang) : sentence(title, { zh: '轮到您处理', en: 'it is your turn' }, lang);
      break;
    case 'reminder':
      headline = lang === 'zh' ? `${title}仍在等待您处理` : `${title} is still waiting for you`;
      break;
    case 'filingReminder':
      headline = lang === 'zh' ? `${title}已发布，请办理备案` : `${title} has been published: please file it with the national registry (备案)`;
      break;
    case 'releaseBlocked':
      headline = lang === 'zh' ? `${title}的发布暂停：发布文本未能生成，系统将自动重试` : `${title}: release is on hold because the release documents could not be generated; it will be retried`;
      break;
    case 'versionNotFrozen':
      headline = lang === 'zh' ? `${title}：阶段版本未能冻结，请检查草案` : `${title}: a stage version could not be frozen; please check the draft`;
      break;
  }
  return { headline, ...(todo ? { todo } : {}), ...(reason ? { reason } : {}), href };
}

/** Plain text of a notification for e-mail: both languages, Chinese first, with an absolute link. */
export function notificationEmail(n: NotificationRecord, titles: { zh: string; en: string } | undefined, baseUrl: string): { subject: string; text: string } {
  const zh = renderNotification(n, titles, 'zh', baseUrl);
  const en = renderNotification(n, titles, 'en', baseUrl);
  const lines = [zh.headline, ...(zh.reason ? [`理由：${zh.reason}`] : []), ...(zh.todo ? [zh.todo] : []), `详情：${zh.href}`, '', en.headline, ...(en.reason ? [`Reason: ${en.reason}`] : []), ...(en.todo ? [en.todo] : []), `Details: ${en.href}`];
  return { subject: `统标 Tongbiao：${zh.headline}`.slice(0, 200), text: lines.join('\n') };
}
