// The secret that signs session cookies: SESSION_SECRET when configured, else one generated on first
// start and kept (mode 0600) in the data directory, so sessions survive a restart of `npm start`.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../infra/config';

const FILE_NAME = 'session-secret';

export async function resolveSessionSecret(config: Pick<Config, 'SESSION_SECRET' | 'TONGBIAO_DATA_DIR'>): Promise<string> {
  if (config.SESSION_SECRET) return config.SESSION_SECRET;
  const file = path.join(config.TONGBIAO_DATA_DIR, FILE_NAME);
  try {
    const existing = (await readFile(file, 'utf8')).trim();
    if (existing.length >= 32) return existing;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await mkdir(config.TONGBIAO_DATA_DIR, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  // 'wx' fails when another process created the file first; then read theirs.
  try {
    await writeFile(file, secret + '\n', { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return (await readFile(file, 'utf8')).trim();
  }
}
