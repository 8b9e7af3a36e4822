// Structured logs of the collaboration server (pino): refusals and errors at warn/error, connection
// churn and storage timings at debug so a busy server does not log per keystroke.
import type { Logger } from '../../activities/infra/logger';
import type { CollabExtension } from './types';

export function createLoggingExtension(logger: Logger): CollabExtension {
  return {
    name: 'logging',
    onConnect: ({ connection }) => logger.debug({ conn: connection.id, doc: connection.docName, user: connection.principal.userId, access: connection.access }, 'collab connect'),
    onDisconnect: ({ connection, code }) => logger.debug({ conn: connection.id, doc: connection.docName, code }, 'collab disconnect'),
    onRefuse: ({ docName, code, reason, remoteAddress, principal }) =>
      logger.info({ doc: docName, code, reason, remoteAddress, user: principal?.userId }, 'collab connection refused'),
    onAccessChange: ({ connection, from, to }) => logger.info({ conn: connection.id, doc: connection.docName, from, to }, 'collab access changed'),
    onLoadDocument: ({ docName, storedUpdates, loadMs }) => logger.debug({ doc: docName, storedUpdates, loadMs: Math.round(loadMs) }, 'collab document loaded'),
    onStored: ({ docName, updates, bytes, ms }) => logger.trace({ doc: docName, updates, bytes, ms: Math.round(ms) }, 'collab updates stored'),
    onCompact: ({ docName, removedUpdates, snapshotBytes, ms }) => logger.debug({ doc: docName, removedUpdates, snapshotBytes, ms: Math.round(ms) }, 'collab document compacted'),
    onUnloadDocument: ({ docName }) => logger.debug({ doc: docName }, 'collab document unloaded'),
    onError: ({ docName, error, during }) => {
      // A client that sends garbage is its own problem: warn. Storage and load failures are ours: error.
      const level = during === 'message' || during === 'socket' || during === 'send' ? 'warn' : 'error';
      logger[level]({ doc: docName, err: error, during }, 'collab error');
    },
  };
}
