// Test helper: a real Redis (Debian's redis-server through scripts/embedded/redis.ts, supervised and
// restarted like the other embedded servers) in a temporary directory, for the several-process tests.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchEmbeddedRedis, type EmbeddedRedis } from '../../scripts/embedded/redis';

export async function startTestRedis(name: string): Promise<EmbeddedRedis> {
  const dataDir = mkdtempSync(path.join(process.env.TONGBIAO_TEST_DATA_DIR ?? os.tmpdir(), `redis-${name}-`));
  // Quick restarts: the kill -9 tests wait for the supervisor to bring it back.
  return launchEmbeddedRedis({ dataDir, supervision: { probeIntervalMs: 200, backoffInitialMs: 100, orphanGuard: false } });
}
