// Translation helpers for pages: `t(key, vars)` for page wording, `pick({zh,en})` for bilingual values.
import { UI, type UiKey } from './messages';
import type { Lang } from './lang';

export type { Lang } from './lang';
export { LANGS, LANG_COOKIE, resolveLang } from './lang';
export { UI, ACTION_LABELS, EVENT_LABELS, OPTION_LABELS } from './messages';

export interface Translator {
  lang: Lang;
  t(key: UiKey | string, vars?: Record<string, string | number>): string;
  pick(value: { zh: string; en: string } | undefined | null): string;
}

export function createTranslator(lang: Lang): Translator {
  return {
    lang,
    t(key, vars) {
      const entry = (UI as Record<string, { zh: string; en: string }>)[key];
      let s = entry ? entry[lang] : key;
      if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
      return s;
    },
    pick(value) {
      return value ? value[lang] : '';
    },
  };
}
