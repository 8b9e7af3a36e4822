// Bad input to the Word import: each refused with a typed error carrying a zh/en message and the HTTP
// status the upload answers with — not a Word file (by content), encrypted, macro-enabled, ZIP bombs
// (too many parts, abnormal ratio, a directory that lies about sizes), XML with a DOCTYPE or deep nesting,
// over 50 MB, pictures that are not pictures, a document with no GB/T 1.1 structure. Also a legacy .doc, converted by LibreOffice.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { createConversionCache, importWordFile, sniff, toAppError } from '../../../activities/import';
import { isAppError } from '../../../activities/infra/errors';
import { isImportError, type ImportErrorCode } from '../../../editor/import';
import { generateExplanatoryNoteDocx, sampleExplanatoryNote } from '../../../activities/docx/explanatory-note';
import { richStandardRecord } from '../../../activities/docx/fixtures/rich-standard';
import { docx, p, picture, templateStyled } from '../../fixtures/import/ooxml';
import { emfRectangle, wmfFormula } from '../../fixtures/import/metafiles';
import { lieAboutSize } from '../../fixtures/import/bad-files';
import { looksLikeImage } from '../../../activities/import/media-check';

jest.setTimeout(120_000);

async function refusal(data: Uint8Array): Promise<{ code: ImportErrorCode; status: number; zh: string; en: string }> {
  const e = await importWordFile(data).then(
    () => null,
    (x: unknown) => x,
  );
  if (!isImportError(e)) throw new Error(`expected an ImportError, got ${String(e)}`);
  const app = toAppError(e);
  if (!isAppError(app)) throw new Error('not mapped to an AppError');
  expect(e.messages.zh).toMatch(/[\u4e00-\u9fff]/);
  expect(e.messages.en).toMatch(/[a-z]/);
  return { code: e.code, status: app.status, zh: e.messages.zh, en: e.messages.en };
}

describe('Word import: bad input', () => {
  it('refuses a file that is not a Word document, by content not name', async () => {
    expect(await refusal(Buffer.from('%PDF-1.7\n'))).toMatchObject({ code: 'NOT_WORD', status: 415 });
    const zip = new JSZip();
    zip.file('hello.txt', 'not a document');
    expect(await refusal(await zip.generateAsync({ type: 'nodebuffer' }))).toMatchObject({ code: 'NOT_WORD', status: 415 });
  });

  it('refuses an encrypted (password-protected) file', async () => {
    const ole = Buffer.alloc(4096);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(ole);
    Buffer.from('EncryptedPackage', 'utf16le').copy(ole, 1024);
    expect(await refusal(ole)).toMatchObject({ code: 'ENCRYPTED', status: 415 });
  });

  it('refuses a password-protected legacy .doc (the FIB says it is encrypted) before LibreOffice sees it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tb-doc-enc-'));
    try {
      writeFileSync(path.join(dir, 'draft.docx'), await templateStyled());
      execFileSync('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'doc:MS Word 97', '--outdir', dir, path.join(dir, 'draft.docx')], { timeout: 120_000 });
      const doc = readFileSync(path.join(dir, 'draft.doc'));
      expect(sniff(doc)).toBe('doc');
      // The WordDocument stream starts on a sector boundary with the FIB's wIdent 0xA5EC; Word sets fEncrypted
      // (bit 8 of the flags at offset 0x0A) when the file has an open password.
      const locked = Buffer.from(doc);
      let fib = -1;
      for (let i = 512; i + 12 < locked.length; i += 512) if (locked.readUInt16LE(i) === 0xa5ec) fib = i;
      expect(fib).toBeGreaterThan(0);
      locked.writeUInt16LE(locked.readUInt16LE(fib + 0x0a) | 0x0100, fib + 0x0a);
      expect(sniff(locked)).toBe('encrypted');
      const conversions = createConversionCache();
      const e = await importWordFile(locked, { conversions }).then(() => null, (x: unknown) => x);
      expect(isImportError(e) && e.code).toBe('ENCRYPTED');
      expect(conversions.conversions).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a macro-enabled .docm', async () => {
    const docm = await docx({ body: p('x'), mainContentType: 'application/vnd.ms-word.document.macroEnabled.main+xml', extraParts: { 'word/vbaProject.bin': new Uint8Array(16) } });
    expect(await refusal(docm)).toMatchObject({ code: 'MACROS', status: 415 });
  });

  it('refuses ZIP bombs before and while inflating', async () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 2100; i++) many[`word/x${i}.xml`] = '<a/>';
    expect(await refusal(await docx({ body: p('x'), extraParts: many }))).toMatchObject({ code: 'TOO_LARGE', status: 413 });
    const ratio = await docx({ body: p('x'), extraParts: { 'word/media/zeros.bin': new Uint8Array(30 * 1024 * 1024) } });
    expect(await refusal(ratio)).toMatchObject({ code: 'TOO_LARGE', status: 413 });
    // The directory claims 100 bytes for a document.xml that inflates to much more: stopped while inflating.
    const liar = lieAboutSize(await templateStyled(), 'word/document.xml', 100);
    expect(await refusal(liar)).toMatchObject({ code: 'TOO_LARGE', status: 413 });
  });

  it('refuses XML with a DOCTYPE (external entities) or nested too deeply', async () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>`;
    expect(await refusal(await docx({ body: '', documentXml: xxe }))).toMatchObject({ code: 'UNSAFE_XML', status: 400 });
    const deep = `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${'<w:customXml>'.repeat(500)}${'</w:customXml>'.repeat(500)}</w:body></w:document>`;
    expect(await refusal(await docx({ body: '', documentXml: deep }))).toMatchObject({ code: 'UNSAFE_XML', status: 400 });
  });

  it('refuses pictures that are not pictures (by content), and keeps metafiles, BMP and SVG', async () => {
    const fake = await docx({ body: p('1 范围', { bold: true }) + picture('示意图'), picture: true, extraParts: { 'word/media/image1.png': Buffer.from('<html><script>alert(1)</script></html>') } });
    const r = await refusal(fake);
    expect(r).toMatchObject({ code: 'NOT_AN_IMAGE', status: 415 });
    expect(r.zh).toContain('image1.png');
    const exe = await docx({ body: p('x'), extraParts: { 'word/media/image2.jpeg': Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]) } });
    expect(await refusal(exe)).toMatchObject({ code: 'NOT_AN_IMAGE', status: 415 });
    // Real pictures in other formats Word embeds pass the check (the importer reports what it cannot show).
    expect(looksLikeImage(wmfFormula('x'))).toBe(true);
    expect(looksLikeImage(emfRectangle())).toBe(true);
    expect(looksLikeImage(Buffer.concat([Buffer.from('BM'), Buffer.alloc(60)]))).toBe(true);
    expect(looksLikeImage(Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe(true);
    expect(looksLikeImage(Buffer.from('<html><svg/></html>'))).toBe(false);
  });

  it('refuses files over 50 MB', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024 + 1);
    Buffer.from([0x50, 0x4b, 0x03, 0x04]).copy(big);
    expect(await refusal(big)).toMatchObject({ code: 'TOO_LARGE', status: 413 });
  });

  it('refuses a document with no GB/T 1.1 structure (an explanatory note) unless confirmed', async () => {
    const note = await generateExplanatoryNoteDocx({ record: richStandardRecord(), note: sampleExplanatoryNote(), stage: 'draftForComment' });
    expect(await refusal(note)).toMatchObject({ code: 'NOT_A_STANDARD', status: 422 });
    const forced = await importWordFile(note, { allowNonStandard: true });
    expect(forced.doc.type).toBe('doc');
  });

  it('converts a legacy .doc with LibreOffice and imports it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tb-doc-'));
    try {
      writeFileSync(path.join(dir, 'draft.docx'), await templateStyled());
      execFileSync('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'doc:MS Word 97', '--outdir', dir, path.join(dir, 'draft.docx')], { timeout: 120_000 });
      const doc = readFileSync(path.join(dir, 'draft.doc'));
      // Upload, preview and confirmation import the same bytes: LibreOffice runs once.
      const conversions = createConversionCache();
      const r = await importWordFile(doc, { conversions });
      const again = await importWordFile(doc, { conversions });
      await importWordFile(doc, { conversions });
      expect(conversions.conversions).toBe(1);
      expect(again.report.elements).toEqual(r.report.elements);
      expect(r.format).toBe('doc');
      const text = JSON.stringify(r.doc);
      expect(text).toContain('点位布设');
      expect(text).toContain('跨界河流点位数量');
      expect(r.report.elements.filter((e) => e.kind === 'chapter').map((e) => e.title)).toEqual(expect.arrayContaining(['范围', '点位布设']));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
