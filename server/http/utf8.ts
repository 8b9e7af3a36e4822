// Refuses request bodies that are not valid UTF-8, for the body parsers' `verify` hook. Without it the
// JSON parser turns bad bytes into U+FFFD and the form parser keeps an undecodable `%FF` as those three
// characters: either way what is stored is not what was sent.

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The body-parser error type the error middleware maps to 400. */
export const INVALID_UTF8 = 'encoding.invalid.utf8';

/** Throws (as a body-parser error) unless `buf` is valid UTF-8; form bodies are checked after percent-decoding. */
export function assertUtf8(buf: Buffer, form: boolean): void {
  const bytes = form ? Buffer.from(buf.toString('latin1').replace(/\+/g, ' ').replace(/%([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1') : buf;
  try {
    UTF8.decode(bytes);
  } catch {
    throw Object.assign(new Error('invalid UTF-8'), { type: INVALID_UTF8, status: 400 });
  }
}
