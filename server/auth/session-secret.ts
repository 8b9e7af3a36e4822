// The secret that signs session cookies: SESSION_SECRET when configured, else one generated on first
// start and kept (mode 0600) in the data directory, so sessions survive a restart of `npm start`.
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
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
  // Written in full under a private name, then linked into place: link() fails when another process got
  // there first, and nobody ever reads a half-written file.
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(tmp, secret + '\n', { mode: 0o600 });
  try {
    await link(tmp, file);
    return secret;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return (await readFile(file, 'utf8')).trim();
  } finally {
    await unlink(tmp);
  }
}
