// The collaboration server's public surface.
export { createCollabServer, DOC_NAME_PATTERN, type CollabServerOptions } from './server';
export { CloseCode, closeReason, type CloseCodeName } from '../../editor/collab/close-codes';
export { createMongoDocumentStore, COLLECTIONS as COLLAB_COLLECTIONS, type DocumentStore, type LoadedDocument } from '../../activities/data/documents';
export { createLoggingExtension } from './logging-extension';
export {
  collabLimitsSchema,
  UnknownDocumentError,
  type Access,
  type AuthenticateHook,
  type AuthorizeHook,
  type CollabExtension,
  type CollabLimits,
  type CollabLimitsInput,
  type CollabServer,
  type ConnectionInfo,
  type Permission,
  type Principal,
} from './types';
export * from '../../editor/collab/wire';
