// The Temporal worker of the lifecycle: the workflows of workflows/index.ts and the activities composed
// from their factories (the lifecycle's own plus the seams other modules fill).
import path from 'node:path';
import type { Db } from 'mongodb';
import { Worker, bundleWorkflowCode, type NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import { createLifecycleActivities } from '../../activities/lifecycle';
import type { SeamActivities } from '../../activities/lifecycle/seams';
import { createLogger, type Logger } from '../../activities/infra/logger';
import { resolveSeams } from './seams-loader';
import type { CollabServer } from '../collab/types';

export const WORKFLOWS_PATH = path.resolve(__dirname, '..', '..', 'workflows', 'index.ts');

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: Db;
  logger?: Logger;
  /** Real implementations of seams (version freezing, release documents, collaboration). */
  seams?: Partial<SeamActivities>;
  /** Handed to the versions module when it is installed. */
  collab?: Pick<CollabServer, 'getDoc' | 'flush'>;
  /** A pre-built bundle (tests and the benchmark build it once for several workers). */
  workflowBundle?: WorkflowBundle;
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

/** Bundles the workflow code once (a few seconds); pass the result as `workflowBundle` to several workers. */
export async function bundleLifecycleWorkflows(): Promise<WorkflowBundle> {
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: { log: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined, trace: () => undefined } });
}

export async function createWorker(opts: CreateWorkerOptions): Promise<Worker> {
  const logger = opts.logger ?? createLogger('worker');
  const seams = resolveSeams({ db: opts.db, logger, collab: opts.collab, provided: opts.seams });
  logger.info({ taskQueue: opts.taskQueue, installedSeams: seams.installed }, 'creating lifecycle worker');
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: { ...createLifecycleActivities({ db: opts.db, logger }), ...seams.activities },
    ...(opts.maxConcurrentWorkflowTaskExecutions ? { maxConcurrentWorkflowTaskExecutions: opts.maxConcurrentWorkflowTaskExecutions } : {}),
    ...(opts.maxConcurrentActivityTaskExecutions ? { maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivityTaskExecutions } : {}),
    ...(opts.maxConcurrentLocalActivityExecutions ? { maxConcurrentLocalActivityExecutions: opts.maxConcurrentLocalActivityExecutions } : {}),
    ...(opts.maxConcurrentWorkflowTaskPolls ? { maxConcurrentWorkflowTaskPolls: opts.maxConcurrentWorkflowTaskPolls } : {}),
    nonStickyToStickyPollRatio: opts.nonStickyToStickyPollRatio ?? DEFAULT_NON_STICKY_POLL_RATIO,
  });
}
