// The nunjucks environment of the comment pages (autoescape on), with the labels and date formatting the
// templates share. Pages are rendered to strings here so the router does not depend on how the app
// configures its own view engine.
import nunjucks from 'nunjucks';
import { TEMPLATES_DIR } from '../http/views';
import { PROVINCE_INFO, STAGE_LABELS } from '../../workflows/domain';
import { COMMENT_TYPE_LABELS, COMMENTER_PROVINCE_LABELS, DECISION_LABELS } from '../../activities/comments/model';

const CHINA_TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
});

/** `2026-12-31 23:59:59` in China time. */
export function chinaTime(d: Date | string | undefined): string {
  if (!d) return '';
  const date = typeof d === 'string' ? new Date(d) : d;
  if (Number.isNaN(date.getTime())) return '';
  const parts = Object.fromEntries(CHINA_TIME.formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

export function createViews(templatesDir = TEMPLATES_DIR): nunjucks.Environment {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(templatesDir, { noCache: process.env.NODE_ENV === 'development' }), {
    autoescape: true,
    throwOnUndefined: false,
  });
  env.addFilter('chinaTime', chinaTime);
  env.addGlobal('TYPE_LABELS', COMMENT_TYPE_LABELS);
  env.addGlobal('DECISION_LABELS', DECISION_LABELS);
  env.addGlobal('PROVINCE_LABELS', COMMENTER_PROVINCE_LABELS);
  env.addGlobal('PROVINCE_INFO', PROVINCE_INFO);
  env.addGlobal('STAGE_LABELS', STAGE_LABELS);
  return env;
}
