// The workflow bundle kept between starts: reused while the sources and the lockfile are the same, rebuilt
// when a line changes, when the cached file is empty, and only one bundle kept on disk.
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleKey, cachedBundle } from '../../../server/temporal/bundle-cache';
import { createLogger } from '../../../activities/infra/logger';

const logger = createLogger('bundle-cache-test');

function project(): { root: string; entry: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'tb-bundle-'));
  mkdirSync(path.join(root, 'workflows', 'lifecycle'), { recursive: true });
  writeFileSync(path.join(root, 'workflows', 'index.ts'), 'export * from "./lifecycle/run";\n');
  writeFileSync(path.join(root, 'workflows', 'lifecycle', 'run.ts'), 'export const a = 1;\n');
  writeFileSync(path.join(root, 'package-lock.json'), '{"v":1}');
  return { root, entry: path.join(root, 'workflows', 'index.ts') };
}

test('the key follows every workflow source, nested ones included, and the lockfile', () => {
  const { root, entry } = project();
  const k1 = bundleKey(entry, root);
  expect(bundleKey(entry, root)).toBe(k1);
  writeFileSync(path.join(root, 'workflows', 'lifecycle', 'run.ts'), 'export const a = 2;\n');
  const k2 = bundleKey(entry, root);
  expect(k2).not.toBe(k1);
  writeFileSync(path.join(root, 'package-lock.json'), '{"v":2}');
  expect(bundleKey(entry, root)).not.toBe(k2);
});

test('builds once, reuses after, rebuilds an empty cache file, keeps one bundle', async () => {
  const { root, entry } = project();
  const cacheDir = path.join(root, 'cache');
  let builds = 0;
  const build = async () => ({ code: `// bundle ${++builds}` });
  const key = bundleKey(entry, root);
  expect((await cachedBundle({ cacheDir, key, build, logger })).code).toBe('// bundle 1');
  expect((await cachedBundle({ cacheDir, key, build, logger })).code).toBe('// bundle 1');
  expect(builds).toBe(1);
  writeFileSync(path.join(cacheDir, `workflow-bundle-${key}.js`), '');
  expect((await cachedBundle({ cacheDir, key, build, logger })).code).toBe('// bundle 2');
  writeFileSync(path.join(root, 'workflows', 'lifecycle', 'run.ts'), 'export const a = 3;\n');
  const next = bundleKey(entry, root);
  expect((await cachedBundle({ cacheDir, key: next, build, logger })).code).toBe('// bundle 3');
  expect(readdirSync(cacheDir)).toEqual([`workflow-bundle-${next}.js`]);
});
