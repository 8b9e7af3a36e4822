// Test helper: the subject and plain text of one RFC 5322 message as received by the SMTP sink (single
// part, as nodemailer sends a text-only mail): headers unfolded, encoded words (B and Q) and the body's
// quoted-printable or base64 transfer encoding decoded as UTF-8.
function decodeQ(s: string, header: boolean): Buffer {
  const t = header ? s.replace(/_/g, ' ') : s.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < t.length; i += 1) {
    if (t[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(t.slice(i + 1, i + 3))) {
      bytes.push(parseInt(t.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(t[i], 'utf8'));
  }
  return Buffer.from(bytes);
}

function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([BQ])\?([^?]*)\?=/gi, (_m, enc: string, data: string) => (enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : decodeQ(data, true)).toString('utf8'));
}

export function simpleParser(raw: string): { subject: string; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const header = (name: string): string => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1] ?? '';
  const cte = header('Content-Transfer-Encoding').toLowerCase();
  const text = cte === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : cte === 'quoted-printable' ? decodeQ(body, false).toString('utf8') : body;
  return { subject: decodeWords(header('Subject')), text: text.replace(/\r\n/g, '\n').replace(/\n\.\n?$/, '') };
}
