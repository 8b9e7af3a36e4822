// A restart of `npm start` (after a crash, a kill, a deploy of the same code) reuses the workflow bundle of
// the previous start instead of running webpack again: 2–3 s of CPU on a loaded 2-core machine, which is
// most of what stands between a killed app and serving again. The cache key is the content of every
// workflow source (the bundle's entry folder, recursively) and the lockfile (the versions of what the bundle
// pulls from node_modules: @temporalio/workflow, zod), so a changed line or package rebuilds; a cache file
// that cannot be read is rebuilt too. Written to a temporary name and renamed, so a crash mid-write never
// leaves a truncated bundle under the real name.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowBundle } from '@temporalio/worker';
import type { Logger } from '../../activities/infra/logger';

const PREFIX = 'workflow-bundle-';

function sourcesOf(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourcesOf(full));
    else if (/\.(ts|js|json)$/.test(name)) out.push(full);
  }
  return out;
}

/** The key of a bundle of `workflowsPath`: its folder's sources and the lockfile at `rootDir`. */
export function bundleKey(workflowsPath: string, rootDir: string): string {
  const hash = createHash('sha256');
  hash.update(path.relative(rootDir, workflowsPath));
  for (const file of sourcesOf(path.dirname(workflowsPath))) {
    hash.update(`\0${path.relative(rootDir, file)}\0`);
    hash.update(readFileSync(file));
  }
  for (const lock of ['package-lock.json', 'package.json']) {
    try {
      hash.update(readFileSync(path.join(rootDir, lock)));
    } catch {
      hash.update(`no ${lock}`);
    }
  }
  return hash.digest('hex').slice(0, 32);
}

/** The cached bundle for `key`, or what `build` makes (then stored, older bundles removed). */
export async function cachedBundle(opts: { cacheDir: string; key: string; build: () => Promise<WorkflowBundle>; logger: Logger }): Promise<WorkflowBundle> {
  const file = path.join(opts.cacheDir, `${PREFIX}${opts.key}.js`);
  try {
    const code = readFileSync(file, 'utf8');
    if (code.length > 0) {
      opts.logger.debug({ file }, 'workflow bundle reused');
      return { code };
    }
  } catch {
    // not cached yet (or unreadable): built below
  }
  const bundle = await opts.build();
  try {
    mkdirSync(opts.cacheDir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, bundle.code);
    renameSync(tmp, file);
    for (const name of readdirSync(opts.cacheDir)) {
      if (name.startsWith(PREFIX) && path.join(opts.cacheDir, name) !== file) rmSync(path.join(opts.cacheDir, name), { force: true });
    }
  } catch (err) {
    // The bundle in hand is good; only the next start pays for the rebuild.
    opts.logger.warn({ err }, 'workflow bundle not cached');
  }
  return bundle;
}
