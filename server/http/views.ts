// The nunjucks environment for server-rendered pages (templates/, autoescape on) and the values every
// page gets: language, translator, signed-in user, CSRF token, one-time flash message, labels.
import path from 'node:path';
import type { Express, RequestHandler } from 'express';
import nunjucks from 'nunjucks';
import { PROVINCES, PROVINCE_INFO, ROLE_LABELS, STAGE_LABELS, STANDARD_KIND_LABELS, EXECUTIVE_COMMITTEE } from '../../workflows/domain';
import { STEP_LABELS } from '../../workflows/messages';
import { ACTION_LABELS, EVENT_LABELS, OPTION_LABELS, createTranslator } from '../i18n';
import { csrfTokenOf } from './csrf';

export const TEMPLATES_DIR = path.resolve(__dirname, '..', '..', 'templates');

const CHINA_TIME = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** `2026-11-29 21:30` in China time; empty for nothing. */
export function formatChinaTime(v: unknown): string {
  if (v === undefined || v === null || v === '') return '';
  const d = v instanceof Date ? v : new Date(String(v));
  return Number.isNaN(d.getTime()) ? String(v) : CHINA_TIME.format(d);
}

/** A stage and its step in words, e.g. 起草·编辑中 / Drafting · editing; the code itself never. */
export function stageInWords(stage: unknown, step: unknown, lang: unknown): string {
  const l = lang === 'en' ? 'en' : 'zh';
  const st = (STAGE_LABELS as Record<string, { zh: string; en: string }>)[String(stage)];
  const sp = (STEP_LABELS as Record<string, { zh: string; en: string }>)[String(step)];
  const stageWords = st ? st[l] : '';
  // A step that only repeats the stage (ended, active) adds nothing.
  if (!sp || step === 'ended' || step === 'active' || step === 'running' || step === 'deciding') return stageWords;
  return stageWords ? `${stageWords}${l === 'zh' ? '·' : ' · '}${sp[l]}` : sp[l];
}

/**
 * A timeline reason in words. The lifecycle records some reasons as references (`event <id>` for a
 * publicity event, `documents <id>,<id>` for the release editions); people read the event's title and
 * the number of editions instead. Reasons people wrote are shown as written.
 */
export function timelineReasonInWords(reason: string | undefined, eventTitles: ReadonlyMap<string, string>): { zh: string; en: string } | null {
  if (!reason) return null;
  const event = /^event ([0-9a-f-]{8,})$/i.exec(reason);
  if (event) {
    const title = eventTitles.get(event[1]);
    return title ? { zh: `宣贯活动：${title}`, en: `Publicity event: ${title}` } : { zh: '已登记宣贯活动', en: 'Publicity event recorded' };
  }
  const docs = /^documents ([\w,-]*)$/.exec(reason);
  if (docs) {
    const n = docs[1].split(',').filter(Boolean).length;
    return { zh: `已生成${n}份发布文件`, en: `${n} release edition${n === 1 ? '' : 's'} generated` };
  }
  return { zh: reason, en: reason };
}

export function createViews(app: Express, opts: { watch?: boolean } = {}): nunjucks.Environment {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(TEMPLATES_DIR, { noCache: Boolean(opts.watch) }), {
    autoescape: true,
    throwOnUndefined: false,
  });
  env.addFilter('chinaTime', formatChinaTime);
  env.addFilter('stageWords', (stage: unknown, step: unknown, lang: unknown) => stageInWords(stage, step, lang));
  env.addGlobal('STEP_LABELS', STEP_LABELS);
  env.addGlobal('PROVINCES', PROVINCES);
  env.addGlobal('PROVINCE_INFO', PROVINCE_INFO);
  env.addGlobal('STAGE_LABELS', STAGE_LABELS);
  env.addGlobal('ROLE_LABELS', ROLE_LABELS);
  env.addGlobal('KIND_LABELS', STANDARD_KIND_LABELS);
  env.addGlobal('ACTION_LABELS', ACTION_LABELS);
  env.addGlobal('OPTION_LABELS', OPTION_LABELS);
  env.addGlobal('EVENT_LABELS', EVENT_LABELS);
  env.addGlobal('EXECUTIVE_COMMITTEE', EXECUTIVE_COMMITTEE);
  env.express(app);
  app.set('view engine', 'njk');
  return env;
}

function withLang(url: string, lang: string): string {
  const u = new URL(url, 'http://x');
  u.searchParams.set('lang', lang);
  return u.pathname + u.search;
}

/** Page locals; the CSRF token is created only when a session exists or the page has a form. */
export const pageLocals: RequestHandler = (req, res, next) => {
  const tr = createTranslator(req.lang ?? 'zh');
  res.locals.lang = tr.lang;
  res.locals.htmlLang = tr.lang === 'zh' ? 'zh-CN' : 'en';
  res.locals.t = tr.t;
  res.locals.pick = tr.pick;
  res.locals.user = req.user;
  res.locals.currentPath = req.originalUrl;
  res.locals.otherLangUrl = withLang(req.originalUrl, tr.lang === 'zh' ? 'en' : 'zh');
  res.locals.csrfToken = () => csrfTokenOf(req);
  // Taken only by a page that renders the layout, so a stray request (a favicon, an image) cannot eat it.
  res.locals.takeFlash = () => {
    const f = req.session?.flash;
    if (f) delete req.session.flash;
    return f;
  };
  next();
};
