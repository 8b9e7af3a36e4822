// Text tests the checker applies: provision verbs, forbidden words, document designations in running text.

/** 应 / 宜 / 可 used as provision verbs (not inside words such as 应用, 相应, 可能, 适宜). */
const MODAL = /(?<![相对反供响适效回感答顺理呼照])应(?![用急变答对该当力])|(?<![适便事])宜|(?<![许认不])可(?![能靠行见是知视燃吸])/;
/** 必须 always; 需要 except in the fixed 「需要界定的」. */
const FORBIDDEN = /必须|需要(?!界定)/;

export function hasProvisionVerb(text: string): boolean {
  return MODAL.test(text);
}

export function forbiddenWord(text: string): string | null {
  const m = FORBIDDEN.exec(text);
  return m ? m[0] : null;
}

/** Codes of Chinese and international documents, longest first so GB/T wins over GB. */
const CODES = ['GB/T', 'GB/Z', 'GB', 'HJ/T', 'HJ', 'DB31/T', 'DB32/T', 'DB33/T', 'DB34/T', 'DB31', 'DB32', 'DB33', 'DB34', 'CJ/T', 'CJ', 'SL', 'DZ/T', 'HG/T', 'JJG', 'JJF', 'ISO', 'IEC', 'EN'];
const DESIGNATION = new RegExp(`(${CODES.map((c) => c.replace('/', '\\/')).join('|')})\\s*(\\d+(?:\\.\\d+)*)(?:—(\\d{4}))?`, 'g');

export interface Citation {
  code: string;
  number: string;
  year: string;
  /** The whole designation as written. */
  text: string;
  /** Informative pointer (「见…」) rather than a normative reference. */
  informative: boolean;
}

/** Designations of documents written in a text, e.g. 「应符合GB 3838—2002的规定」. */
export function citationsIn(text: string): Citation[] {
  const out: Citation[] = [];
  for (const m of text.matchAll(DESIGNATION)) {
    const before = text.slice(Math.max(0, (m.index ?? 0) - 3), m.index ?? 0);
    out.push({ code: m[1], number: m[2], year: m[3] ?? '', text: m[0], informative: /见|参考/.test(before) });
  }
  return out;
}

/** Normalised key of a document: code and number, without the year. */
export function documentKey(code: string, number: string): string {
  return `${code.replace(/\s+/g, '').toUpperCase()} ${number.trim()}`;
}

/** Characters that are bullets, not GB/T 1.1 list markers. */
export const BULLET_START = /^\s*[•●○◦■□◆◇▪▫►▶★☆※\-*·]/;
/** A marker typed by hand in front of an item whose marker the list already generates. */
export const TYPED_MARKER = /^\s*(——|[a-z]\)|\d+\)|[（(]\d+[)）])/;
