// Storage and delivery of generated files (GridFS bucket `files`).
export * from './store';
export { contentDisposition, contentTypeOf, sendStoredFile } from './download';
