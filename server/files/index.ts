// Delivery of generated files over HTTP and generation jobs; the storage (GridFS bucket `files`) is
// activities/files/store.ts.
export { contentDisposition, contentTypeOf, sendStoredFile } from './download';
export { createGenerationJobs, type GenerationJobs, type JobStatus, type ProgressReporter } from './jobs';
