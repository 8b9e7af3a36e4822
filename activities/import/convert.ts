// Legacy Word (.doc) and WPS (.wps) files are converted to .docx by LibreOffice headless before import, in
// a private temporary folder with its own user profile (so concurrent conversions never share a lock),
// with a time limit. The test set-up installs LibreOffice (libreoffice-writer-nogui).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { ImportError } from '../../editor/import/errors';

const run = promisify(execFile);

export const CONVERT_TIMEOUT_MS = 120_000;

/** Converts legacy bytes (`ext` 'doc' or 'wps') to .docx bytes. */
export async function convertToDocx(data: Uint8Array, ext: 'doc' | 'wps', soffice = process.env.SOFFICE_PATH ?? 'soffice'): Promise<Buffer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tongbiao-import-'));
  try {
    const input = path.join(dir, `input.${ext}`);
    await writeFile(input, data);
    const profile = pathToFileURL(path.join(dir, 'profile')).href;
    await run(soffice, [`-env:UserInstallation=${profile}`, '--headless', '--norestore', '--convert-to', 'docx:MS Word 2007 XML', '--outdir', dir, input], { timeout: CONVERT_TIMEOUT_MS });
    return await readFile(path.join(dir, 'input.docx'));
  } catch (e) {
    throw new ImportError(
      'CONVERSION_FAILED',
      { zh: `无法用 LibreOffice 转换 .${ext} 文件，请在 Word 中另存为 .docx 后再导入。`, en: `The .${ext} file could not be converted with LibreOffice; save it as .docx in Word and import that.` },
      { cause: e },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
