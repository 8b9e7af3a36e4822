// Real-world-like variants of a generated standard for measuring the Word import (npm run import:score).
// The only corpus the project has is its own generated editions, which use the official template's styles
// and numbering bound to them — the easy case. Drafters' files are messier, so the generated file is read
// back (editor/import/reader) and written again as a drafter without the template would have typed it:
//   headings  Word's Heading 1–6 styles, numbers typed by hand (「5.1　布设原则」), lists typed 「a)」
//   typed     no styles at all: bold paragraphs with typed numbers, 「a）」 with full-width parentheses,
//             typed 「注1：」「表1　…」「图1　…」, tables without header-row marks
//   sloppy    like typed, more carelessly: plain (not bold) headings, an ASCII space after numbers, 「表 1」
//             「图 1」 with a space, an empty paragraph after each heading, formulas' numbers after spaces
//   noheader  the generated file with every header-row mark (w:tblHeader) removed
// Text, runs (italic, sub/superscript), pictures, tables with merged cells are kept as they were.
import JSZip from 'jszip';
import type { SourceBlock, SourceParagraph, SourceRun, SourceTable } from '../editor/import/reader';

export type VariantKind = 'headings' | 'typed' | 'sloppy' | 'noheader';
export const VARIANTS: readonly VariantKind[] = ['headings', 'typed', 'sloppy', 'noheader'];

const NS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"`;
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface Out {
  kind: Exclude<VariantKind, 'noheader'>;
  media: { name: string; data: Buffer; ext: string }[];
}

function runXml(text: string, rPr: string): string {
  const pieces = text.split(/(\t|\n)/).filter((s) => s !== '');
  const inner = pieces.map((s) => (s === '\t' ? '<w:tab/>' : s === '\n' ? '<w:br/>' : `<w:t xml:space="preserve">${esc(s)}</w:t>`)).join('');
  return inner ? `<w:r>${rPr ? `<w:rPr>${rPr}</w:rPr>` : ''}${inner}</w:r>` : '';
}

function runsXml(runs: readonly SourceRun[], bold: boolean): string {
  return runs
    .map((r) => {
      const rPr = `${bold || r.marks.includes('strong') ? '<w:b/>' : ''}${r.marks.includes('em') ? '<w:i/>' : ''}${r.marks.includes('sub') ? '<w:vertAlign w:val="subscript"/>' : ''}${r.marks.includes('sup') ? '<w:vertAlign w:val="superscript"/>' : ''}`;
      return runXml(r.text, rPr);
    })
    .join('');
}

function para(content: string, o: { style?: string; bold?: boolean; center?: boolean } = {}): string {
  const pPr = `${o.style ? `<w:pStyle w:val="${o.style}"/>` : ''}${o.center ? '<w:jc w:val="center"/>' : ''}`;
  return `<w:p>${pPr ? `<w:pPr>${pPr}</w:pPr>` : ''}${content}</w:p>`;
}

function pictureXml(out: Out, src: string, alt: string): string {
  const m = /^data:image\/(png|jpeg|gif);base64,(.*)$/s.exec(src);
  if (!m) return '';
  const ext = m[1] === 'jpeg' ? 'jpg' : m[1];
  const n = out.media.length + 1;
  out.media.push({ name: `image${n}.${ext}`, data: Buffer.from(m[2], 'base64'), ext });
  return `<w:r><w:drawing><wp:inline><wp:extent cx="3600000" cy="2000000"/><wp:docPr id="${n}" name="Picture ${n}" descr="${esc(alt)}"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:blipFill><a:blip r:embed="rIdImg${n}"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>`;
}

const styleOf = (p: SourceParagraph): string => p.styleNames.find((n) => n.startsWith('标准文件_')) ?? '';

/** The number a drafter would type: '5.1　' → '5.1'; lists a) → a） in the typed variant. */
function typedLabel(p: SourceParagraph, kind: Out['kind']): string {
  const label = (p.numbering?.label ?? '').trim();
  if (kind === 'typed') return label.replace(/^([a-z0-9]+)\)$/, '$1）');
  if (kind === 'sloppy') return label.replace(/^([表图])/, '$1 ');
  return label;
}

function paragraphXml(p: SourceParagraph, out: Out): string {
  const style = styleOf(p);
  const label = typedLabel(p, out.kind);
  const pictures = p.images.map((i) => pictureXml(out, i.src, i.alt)).join('');
  const headingDepth = label ? label.split('.').length : 1;
  const isHeading = /条标题$|章标题$/.test(style);
  if (style === '标准文件_前言、引言标题') {
    return out.kind === 'headings' ? para(runsXml(p.runs, false), { style: 'Heading1' }) : para(runsXml(p.runs, true), { center: true });
  }
  if (isHeading) {
    if (out.kind === 'sloppy') return para(runXml(`${label} `, '') + runsXml(p.runs, false)) + para('');
    const content = runXml(`${label}\u3000`, out.kind === 'typed' ? '<w:b/>' : '') + runsXml(p.runs, out.kind === 'typed');
    return out.kind === 'headings' ? para(content, { style: `Heading${Math.min(6, headingDepth)}` }) : para(content);
  }
  if (style === '标准文件_附录标识') {
    const lines = `${label}${p.text}`.split('\n').filter((l) => l.trim() !== '');
    return lines.map((l, i) => para(runXml(l, i === 1 ? '' : '<w:b/>'), { center: true })).join('');
  }
  if (style.startsWith('标准文件_术语条') || style === '标准文件_术语') return para(runXml(label, '<w:b/>') + runsXml(p.runs, true));
  const center = /图标题$|表标题$|标准文件_图$|表格续$/.test(style);
  const gap = /表标题$|图标题$/.test(style) ? (out.kind === 'sloppy' ? ' ' : '\u3000') : '';
  if (out.kind === 'sloppy' && style === '标准文件_正文公式') return para(runXml(p.text.replace(/^\t/, '').replace(/\t/g, '    '), ''));
  const prefix = label ? runXml(`${label}${gap}`, '') : '';
  return para(prefix + runsXml(p.runs, false) + pictures, { center });
}

function tableXml(t: SourceTable, out: Out): string {
  const pending: { left: number; span: number }[] = Array.from({ length: t.columns }, () => ({ left: 0, span: 1 }));
  const rows = t.rows
    .map((row) => {
      let col = 0;
      let k = 0;
      let cells = '';
      while (col < t.columns) {
        const pend = pending[col];
        if (pend.left > 0) {
          pend.left--;
          cells += `<w:tc><w:tcPr>${pend.span > 1 ? `<w:gridSpan w:val="${pend.span}"/>` : ''}<w:vMerge/></w:tcPr><w:p/></w:tc>`;
          col += pend.span;
          continue;
        }
        const cell = row.cells[k++];
        if (!cell) break;
        const tcPr = `${cell.colspan > 1 ? `<w:gridSpan w:val="${cell.colspan}"/>` : ''}${cell.rowspan > 1 ? '<w:vMerge w:val="restart"/>' : ''}`;
        if (cell.rowspan > 1) pending[col] = { left: cell.rowspan - 1, span: cell.colspan };
        const inner = blocksXml(cell.blocks, out) || '<w:p/>';
        cells += `<w:tc>${tcPr ? `<w:tcPr>${tcPr}</w:tcPr>` : ''}${inner}</w:tc>`;
        col += cell.colspan;
      }
      const header = row.header && out.kind === 'headings' ? '<w:trPr><w:tblHeader/></w:trPr>' : '';
      return `<w:tr>${header}${cells}</w:tr>`;
    })
    .join('');
  return `<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders><w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/><w:bottom w:val="single" w:sz="4"/><w:right w:val="single" w:sz="4"/><w:insideH w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/></w:tblBorders></w:tblPr><w:tblGrid>${'<w:gridCol w:w="1500"/>'.repeat(t.columns)}</w:tblGrid>${rows}</w:tbl>`;
}

function blocksXml(blocks: readonly SourceBlock[], out: Out): string {
  return blocks.map((b) => (b.kind === 'p' ? paragraphXml(b, out) : tableXml(b, out))).join('');
}

const HEADING_STYLES = [1, 2, 3, 4, 5, 6].map((n) => `<w:style w:type="paragraph" w:styleId="Heading${n}"><w:name w:val="heading ${n}"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="${n - 1}"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>`).join('');

/** A drafter's re-typing of the source blocks as a .docx (variants 'headings' and 'typed'). */
export async function retype(blocks: readonly SourceBlock[], kind: Exclude<VariantKind, 'noheader'>): Promise<Buffer> {
  const out: Out = { kind, media: [] };
  const body = blocksXml(blocks, out);
  const zip = new JSZip();
  const exts = [...new Set(out.media.map((m) => m.ext))];
  const mime: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', gif: 'image/gif' };
  zip.file(
    '[Content_Types].xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>${exts.map((e) => `<Default Extension="${e}" ContentType="${mime[e]}"/>`).join('')}<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>`,
  );
  zip.file('_rels/.rels', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`);
  const rels = [
    '<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>',
    ...out.media.map((m, i) => `<Relationship Id="rIdImg${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/${m.name}"/>`),
  ];
  zip.file('word/_rels/document.xml.rels', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join('')}</Relationships>`);
  zip.file('word/styles.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles ${NS}><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>${kind === 'headings' ? HEADING_STYLES : ''}</w:styles>`);
  zip.file('word/document.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ${NS}><w:body>${body}<w:sectPr/></w:body></w:document>`);
  for (const m of out.media) zip.file(`word/media/${m.name}`, m.data);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** The generated file with its header-row marks removed (tables "without header marks"). */
export async function withoutHeaderMarks(docx: Uint8Array): Promise<Buffer> {
  const zip = await JSZip.loadAsync(docx);
  const doc = zip.file('word/document.xml');
  if (!doc) throw new Error('word/document.xml missing');
  zip.file('word/document.xml', (await doc.async('string')).replace(/<w:tblHeader\/>/g, ''));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
