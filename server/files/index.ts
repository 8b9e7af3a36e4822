// Storage and delivery of generated files (GridFS bucket `files`).
export * from './store';
export { contentDisposition, contentTypeOf, sendStoredFile } from './download';
export { createGenerationJobs, type GenerationJobs, type JobStatus, type ProgressReporter } from './jobs';
