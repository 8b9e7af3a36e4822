// The text of notification mails in the reader's language: the standard, what happened, the reason, what
// to do and an absolute link (PUBLIC_URL), never an id or a code; and where to change the mail settings.
import type { NotificationText } from '../lifecycle/notification-text';

type Lang = 'zh' | 'en';

function block(n: NotificationText, lang: Lang): string[] {
  return [
    `• ${n.headline}`,
    ...(n.reason ? [lang === 'zh' ? `  理由：${n.reason}` : `  Reason: ${n.reason}`] : []),
    ...(n.todo ? [`  ${n.todo}`] : []),
    lang === 'zh' ? `  查看：${n.href}` : `  Open: ${n.href}?lang=en`,
  ];
}

function footer(lang: Lang, baseUrl: string): string[] {
  const base = baseUrl.replace(/\/+$/, '');
  const q = lang === 'en' ? '?lang=en' : '';
  return lang === 'zh'
    ? ['', `全部提醒：${base}/notifications`, `更改邮件提醒设置：${base}/notifications/settings`]
    : ['', `All notifications: ${base}/notifications${q}`, `Change your e-mail settings: ${base}/notifications/settings${q}`];
}

/** One digest: every notice listed, newest first (nothing is cut off). */
export function composeDigest(items: NotificationText[], o: { day: string; lang: Lang; baseUrl: string }): { subject: string; text: string } {
  const subject =
    o.lang === 'zh' ? `统标：${o.day} 您有 ${items.length} 条未读提醒` : `Tongbiao: ${items.length} unread notification${items.length === 1 ? '' : 's'} (${o.day})`;
  const intro = o.lang === 'zh' ? `以下是您尚未阅读的提醒（共 ${items.length} 条）：` : `These are the notifications you have not read yet (${items.length}):`;
  return { subject, text: [intro, '', ...items.flatMap((n) => [...block(n, o.lang), '']), ...footer(o.lang, o.baseUrl)].join('\n') };
}

/** One notice, sent as it happens. */
export function composeImmediate(n: NotificationText, o: { lang: Lang; baseUrl: string }): { subject: string; text: string } {
  const subject = `${o.lang === 'zh' ? '统标：' : 'Tongbiao: '}${n.headline}`.slice(0, 200);
  return { subject, text: [...block(n, o.lang), ...footer(o.lang, o.baseUrl)].join('\n') };
}
