// One workflow bundle for the whole suite: the runtimes and harnesses of some forty test files each ran
// webpack over the workflow code (several seconds of CPU each, minutes of the suite on 2 cores). They share
// the app's on-disk cache (server/temporal/bundle-cache.ts, keyed by the workflow sources and the lockfile)
// under the suite's data directory, so the first file builds and the rest read it.
import os from 'node:os';
import path from 'node:path';
import { createLogger, type Logger } from '../../activities/infra/logger';

export function testBundleCacheDir(): string {
  return path.join(process.env.TONGBIAO_TEST_DATA_DIR ?? os.tmpdir(), 'workflow-bundle-cache');
}

export function testBundleCache(): { dir: string; logger: Logger } {
  return { dir: testBundleCacheDir(), logger: createLogger('test-workflow-bundle') };
}
