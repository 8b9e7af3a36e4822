// The soak's determinism check: every lifecycle's history, as the Temporal server holds it after the kills,
// replayed on the workflow code. A replay that diverges is a workflow that a restarted worker cannot resume
// (its workflow task fails forever), whether or not the traffic happened to touch it again; each such
// history is saved (SOAK_HISTORY_DIR) so test/workflows/replay.test.ts can be given it.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { createLogger } from '../../activities/infra/logger';
import { bundleLifecycleWorkflows } from '../../server/temporal/worker';
import { lifecycleWorkflowId } from '../../workflows/domain';

export function historyDir(): string {
  const dir = process.env.SOAK_HISTORY_DIR ?? path.join(os.tmpdir(), 'tongbiao-soak-histories');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Lifecycles whose history does not replay on the current code, each with the error and the saved file.
 * `bundleCacheDir`: the app's workflow bundle cache (the same code), so the check does not run webpack again.
 */
export async function replayFailures(temporalAddress: string, standardIds: string[], bundleCacheDir?: string): Promise<string[]> {
  const connection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection });
  try {
    const bundle = await bundleLifecycleWorkflows(undefined, bundleCacheDir ? { dir: bundleCacheDir, logger: createLogger('soak-replay') } : undefined);
    const failures: string[] = [];
    for (const id of standardIds) {
      const workflowId = lifecycleWorkflowId(id);
      let history;
      try {
        history = await client.workflow.getHandle(workflowId).fetchHistory();
      } catch (e) {
        failures.push(`${workflowId}: history unread: ${(e as Error).message}`);
        continue;
      }
      try {
        await Worker.runReplayHistory({ workflowBundle: bundle }, history, workflowId);
      } catch (e) {
        const file = path.join(historyDir(), `${workflowId}-replay-${Date.now()}.json`);
        writeFileSync(file, JSON.stringify(history));
        failures.push(`${workflowId}: ${(e as Error).message.slice(0, 300)} (history saved to ${file})`);
      }
    }
    return failures;
  } finally {
    await connection.close();
  }
}
