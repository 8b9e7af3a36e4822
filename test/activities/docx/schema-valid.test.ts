// Every generated document is a valid OOXML package: no unfilled numbering placeholder, every list a
// style or paragraph refers to is defined, and every XML part validates against the ECMA-376 transitional
// schemas (scripts/ooxml-validate: Apache POI's poi-ooxml-full, built with Maven into .tools/).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { formatSchemaErrors, validateOoxml } from '../../../scripts/ooxml-validate';
import { generateAllDocuments, type GeneratedDocument } from './all-documents';

jest.setTimeout(300_000);

const toolsDir = process.env.TONGBIAO_TOOLS_DIR ?? path.resolve(__dirname, '..', '..', '..', '.tools');
let dir: string;
let docs: GeneratedDocument[];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tb-schema-'));
  docs = await generateAllDocuments();
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function xmlParts(data: Buffer): Promise<Record<string, string>> {
  const zip = await JSZip.loadAsync(data);
  const out: Record<string, string> = {};
  for (const name of Object.keys(zip.files)) if (/\.(xml|rels)$/.test(name)) out[name] = await zip.file(name)!.async('string');
  return out;
}

describe('every generated document', () => {
  it('covers the 4 editions, 3 stage drafts, 3 编制说明, the 征求意见汇总处理表 and the 条文对照表', () => {
    expect(docs.map((d) => d.name)).toEqual([
      'edition-joint', 'edition-SH', 'edition-JS', 'edition-ZJ',
      'draft-draftForComment', 'note-draftForComment', 'draft-draftForReview', 'note-draftForReview', 'draft-draftForApproval', 'note-draftForApproval',
      'disposition-table', 'clause-table',
    ]);
  });

  it('has no unfilled {gbt-…} numbering placeholder in any part', async () => {
    const found: string[] = [];
    for (const d of docs) {
      for (const [part, xml] of Object.entries(await xmlParts(d.data))) {
        for (const m of xml.matchAll(/\{gbt-[^}]*\}/g)) found.push(`${d.name} ${part} ${m[0]}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('defines every w:numId that styles and document refer to in numbering.xml', async () => {
    const missing: string[] = [];
    for (const d of docs) {
      const parts = await xmlParts(d.data);
      const numbering = parts['word/numbering.xml'] ?? '';
      const defined = new Set([...numbering.matchAll(/<w:num w:numId="(\d+)"/g)].map((m) => m[1]));
      const abstract = new Set([...numbering.matchAll(/<w:abstractNum [^>]*w:abstractNumId="(\d+)"/g)].map((m) => m[1]));
      for (const m of numbering.matchAll(/<w:num w:numId="(\d+)"[^>]*>\s*<w:abstractNumId w:val="(\d+)"/g)) {
        if (!abstract.has(m[2])) missing.push(`${d.name} numbering.xml num ${m[1]} → abstractNum ${m[2]}`);
      }
      for (const part of ['word/styles.xml', 'word/document.xml']) {
        for (const m of (parts[part] ?? '').matchAll(/<w:numId w:val="([^"]*)"/g)) {
          // 0 means "no numbering" (ECMA-376 §17.9.18).
          if (m[1] !== '0' && !defined.has(m[1])) missing.push(`${d.name} ${part} numId ${m[1]}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('validates against the ECMA-376 transitional schemas: all parts, 0 errors', async () => {
    const files: string[] = [];
    for (const d of docs) {
      const file = path.join(dir, `${d.name}.docx`);
      await writeFile(file, d.data);
      files.push(file);
    }
    const result = await validateOoxml(toolsDir, files);
    expect(formatSchemaErrors(result.errors)).toBe('');
    // document, styles, numbering, settings, headers, footers, footnotes, comments, fontTable, rels, …
    for (const f of files) expect(result.parts[f]).toBeGreaterThanOrEqual(10);
  });

  it('the validator reports a schema error with its part and position (it is not vacuous)', async () => {
    const zip = await JSZip.loadAsync(docs[0].data);
    const document = await zip.file('word/document.xml')!.async('string');
    // An unknown element in w:body and an mc:Ignorable namespace's attribute (which must be ignored, not reported).
    zip.file('word/document.xml', document.replace('<w:body>', '<w:body><w:bogus/>').replace('<w:p>', '<w:p w14:paraId="0A0B0C0D">'));
    const file = path.join(dir, 'broken.docx');
    await writeFile(file, await zip.generateAsync({ type: 'nodebuffer' }));
    const result = await validateOoxml(toolsDir, [file]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ part: 'word/document.xml', line: 1 });
    expect(result.errors[0].message).toMatch(/bogus/);
  });
});
