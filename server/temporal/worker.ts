// The Temporal worker of the lifecycle: the workflows of workflows/index.ts and the activities composed
// from their factories (the lifecycle's own plus the seams other modules fill).
import path from 'node:path';
import type { Db } from 'mongodb';
import { Worker, bundleWorkflowCode, type NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import { createLifecycleActivities } from '../../activities/lifecycle';
import type { SeamActivities } from '../../activities/lifecycle/seams';
import { createLogger, type Logger } from '../infra/logger';
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
  nonStickyToStickyPollRatio?: number;
}

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
    ...(opts.nonStickyToStickyPollRatio ? { nonStickyToStickyPollRatio: opts.nonStickyToStickyPollRatio } : {}),
  });
}
