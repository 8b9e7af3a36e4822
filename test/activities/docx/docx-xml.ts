// Test helpers: unzip a generated DOCX and read its paragraphs with their style and text.
import JSZip from 'jszip';

export interface Part {
  document: string;
  styles: string;
  numbering: string;
  settings: string;
  headers: string[];
  footers: string[];
}

export async function unzipDocx(data: Buffer): Promise<Part> {
  const zip = await JSZip.loadAsync(data);
  const read = async (p: string): Promise<string> => (await zip.file(p)?.async('string')) ?? '';
  const names = Object.keys(zip.files);
  return {
    document: await read('word/document.xml'),
    styles: await read('word/styles.xml'),
    numbering: await read('word/numbering.xml'),
    settings: await read('word/settings.xml'),
    headers: await Promise.all(names.filter((n) => /^word\/header\d+\.xml$/.test(n)).sort().map(read)),
    footers: await Promise.all(names.filter((n) => /^word\/footer\d+\.xml$/.test(n)).sort().map(read)),
  };
}

export interface Para {
  index: number;
  style: string;
  text: string;
  xml: string;
}

function unescape(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** Paragraphs in document order (table cells included), each with its style id and its text. */
export function paragraphs(xml: string): Para[] {
  const out: Para[] = [];
  for (const m of xml.matchAll(/<w:p(?: [^>]*)?>[\s\S]*?<\/w:p>/g)) {
    const p = m[0];
    const style = /<w:pStyle w:val="([^"]+)"/.exec(p)?.[1] ?? '';
    const text = unescape([...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>|<w:tab\/>/g)].map((t) => (t[0] === '<w:tab/>' ? '\t' : t[1])).join(''));
    out.push({ index: m.index ?? 0, style, text, xml: p });
  }
  return out;
}

/** The `<w:style>` element of a style id. */
export function styleXml(styles: string, id: string): string {
  const m = new RegExp(`<w:style [^>]*w:styleId="${id}"[^>]*>[\\s\\S]*?</w:style>`).exec(styles);
  if (!m) throw new Error(`style ${id} not found`);
  return m[0];
}

/** The abstract numbering level `ilvl` of the list a style is bound to. */
export function levelOfStyle(numbering: string, styles: string, id: string): string {
  const style = styleXml(styles, id);
  const numId = /<w:numId w:val="(\d+)"/.exec(style)?.[1];
  const ilvl = /<w:ilvl w:val="(\d+)"/.exec(style)?.[1];
  if (!numId || ilvl === undefined) throw new Error(`style ${id} has no numbering`);
  const abstractId = new RegExp(`<w:num w:numId="${numId}"[^>]*>\\s*<w:abstractNumId w:val="(\\d+)"`).exec(numbering)?.[1];
  const abstract = new RegExp(`<w:abstractNum [^>]*w:abstractNumId="${abstractId}"[^>]*>[\\s\\S]*?</w:abstractNum>`).exec(numbering)?.[0] ?? '';
  const lvl = new RegExp(`<w:lvl w:ilvl="${ilvl}"[^>]*>[\\s\\S]*?</w:lvl>`).exec(abstract)?.[0];
  if (!lvl) throw new Error(`level ${ilvl} of numId ${numId} not found`);
  return lvl;
}

/** The section properties in document order. */
export function sections(document: string): string[] {
  return [...document.matchAll(/<w:sectPr[\s\S]*?<\/w:sectPr>/g)].map((m) => m[0]);
}
