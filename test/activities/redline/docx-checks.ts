// Test helper: the two checks each document of the redline family gets (修改对照稿, the review copy with
// comments): it validates against the ECMA-376 schemas with 0 errors, and LibreOffice opens it. Called
// inside a describe; `get` reads the document and a scratch folder once the describe's beforeAll has run.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatSchemaErrors, validateOoxml } from '../../../scripts/ooxml-validate';
import { renderPdf } from '../../../activities/pdf/render';

const toolsDir = process.env.TONGBIAO_TOOLS_DIR ?? path.resolve(__dirname, '..', '..', '..', '.tools');

export function itIsSchemaValidAndOpensInLibreOffice(fileName: string, get: () => { docx: Buffer; dir: string }): void {
  it('validates against the ECMA-376 schemas with 0 errors', async () => {
    const { docx, dir } = get();
    const file = path.join(dir, fileName);
    await writeFile(file, docx);
    const result = await validateOoxml(toolsDir, [file]);
    expect(formatSchemaErrors(result.errors)).toBe('');
  });

  it('LibreOffice opens it (PDF export succeeds)', async () => {
    const pdf = await renderPdf(get().docx);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });
}
