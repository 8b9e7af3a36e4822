// The Temporal worker of the lifecycle: the workflows of workflows/index.ts and the activities built by
// `createWorkerActivities` (activities/worker.ts), the same for `npm start`, the tests and the benchmarks.
import path from 'node:path';
import { Worker, bundleWorkflowCode, type NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import type { WorkerActivities } from '../../activities/worker';
import type { Logger } from '../../activities/infra/logger';
import { bundleKey, cachedBundle } from './bundle-cache';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const WORKFLOWS_PATH = path.join(PROJECT_ROOT, 'workflows', 'index.ts');

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** From `createWorkerActivities(deps)`. */
  activities: WorkerActivities;
  logger: Logger;
  /** A pre-built bundle (tests and the benchmark build it once for several workers). */
  workflowBundle?: WorkflowBundle;
  /**
   * Lifecycles kept in the workflow thread between their tasks (TEMPORAL_MAX_CACHED_WORKFLOWS); unset: the SDK's
   * default, which grows with the heap limit (≈ 2,300 on a machine with 16 GiB or more).
   */
  maxCachedWorkflows?: number;
  /** Sizing; defaults suit one machine. */
  maxConcurrentWorkflowTaskExecutions?: number;
  maxConcurrentActivityTaskExecutions?: number;
  maxConcurrentLocalActivityExecutions?: number;
  maxConcurrentWorkflowTaskPolls?: number;
  /** Share of workflow-task pollers on the shared queue; see DEFAULT_NON_STICKY_POLL_RATIO. */
  nonStickyToStickyPollRatio?: number;
}

/**
 * Any of the workflow-task pollers may serve the task queue shared by all workers (first tasks of new
 * lifecycles, lifecycles no longer cached), not at most one in five as by the SDK's default (0.2), beside
 * this worker's sticky queue. With the default, sticky work of busy lifecycles starved the shared queue: in
 * bench:lifecycle a standard proposed while 200 others were moving waited about 40 s for its first
 * workflow task (0.5 still left 24 s; 1 brought it under 10 s).
 */
export const DEFAULT_NON_STICKY_POLL_RATIO = 1;

/**
 * Bundles the workflow code once (a few seconds); pass the result as `workflowBundle` to several workers.
 * The benchmark passes its own entry (bench/workflows.ts: these plus its floor workflow).
 */
export async function bundleLifecycleWorkflows(workflowsPath = WORKFLOWS_PATH, cache?: { dir: string; logger: Logger }): Promise<WorkflowBundle> {
  const build = (): Promise<WorkflowBundle> =>
    bundleWorkflowCode({ workflowsPath, logger: { log: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined, trace: () => undefined } });
  if (!cache) return build();
  return cachedBundle({ cacheDir: cache.dir, key: bundleKey(workflowsPath, PROJECT_ROOT), build, logger: cache.logger });
}

export async function createWorker(opts: CreateWorkerOptions): Promise<Worker> {
  opts.logger.info({ taskQueue: opts.taskQueue }, 'creating lifecycle worker');
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: opts.activities,
    ...(opts.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: opts.maxCachedWorkflows } : {}),
    ...(opts.maxConcurrentWorkflowTaskExecutions ? { maxConcurrentWorkflowTaskExecutions: opts.maxConcurrentWorkflowTaskExecutions } : {}),
    ...(opts.maxConcurrentActivityTaskExecutions ? { maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivityTaskExecutions } : {}),
    ...(opts.maxConcurrentLocalActivityExecutions ? { maxConcurrentLocalActivityExecutions: opts.maxConcurrentLocalActivityExecutions } : {}),
    ...(opts.maxConcurrentWorkflowTaskPolls ? { maxConcurrentWorkflowTaskPolls: opts.maxConcurrentWorkflowTaskPolls } : {}),
    nonStickyToStickyPollRatio: opts.nonStickyToStickyPollRatio ?? DEFAULT_NON_STICKY_POLL_RATIO,
  });
}
