// The Temporal side of the server: connection, worker, lifecycle service.
export { connectTemporal, type TemporalConnection, type TemporalConfig } from './connect';
export { createWorker, bundleLifecycleWorkflows, type CreateWorkerOptions } from './worker';
export { createLifecycleService, appErrorFromTemporal, type LifecycleService, type LifecycleServiceOptions } from './lifecycle-service';
export { durationsFromConfig } from './durations';
export { ensureLifecycleIndexes } from './indexes';
