// Debian packages that some tests need (Chromium for browser tests, LibreOffice and poppler for rendering
// tests, pandoc for the DOCX benchmark, redis-server for the several-process tests and start:cluster).
// Installed by the test set-up when missing and we are root.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { createLogger } from '../../activities/infra/logger';

const run = promisify(execFile);
const log = createLogger('system-packages');

/** Debian package → a file it installs, used to tell whether it is there. */
export const SYSTEM_PACKAGES: Record<string, string> = {
  chromium: '/usr/bin/chromium',
  'libreoffice-writer-nogui': '/usr/bin/soffice',
  'fonts-noto-cjk': '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  'poppler-utils': '/usr/bin/pdftotext',
  pandoc: '/usr/bin/pandoc',
  'redis-server': '/usr/bin/redis-server',
};

export function missingSystemPackages(): string[] {
  return Object.entries(SYSTEM_PACKAGES)
    .filter(([, file]) => !existsSync(file))
    .map(([pkg]) => pkg);
}

/** Installs the missing packages with apt-get; returns those still missing (not root, or apt failed). */
export async function ensureSystemPackages(): Promise<string[]> {
  const missing = missingSystemPackages();
  if (missing.length === 0) return [];
  if (process.getuid?.() !== 0) {
    log.warn({ missing }, 'system packages missing and not root; tests that need them will fail');
    return missing;
  }
  log.warn({ missing }, 'installing system packages with apt-get');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    await run('apt-get', ['update', '-qq'], { env, timeout: 600_000, maxBuffer: 64 << 20 });
    await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env, timeout: 1_200_000, maxBuffer: 64 << 20 });
  } catch (e) {
    log.error({ err: e }, 'apt-get failed');
  }
  return missingSystemPackages();
}
