// The messages on a collaboration WebSocket, and their encoders. Pure (lib0 only): the server, the tests,
// the benchmark and the browser editor share it.
//
// Every message is one binary WebSocket frame that starts with a varUint message type (lib0 encoding):
//
//   0   sync        y-protocols/sync, exactly as y-websocket speaks it:
//                   [0][varUint 0 step1][varUint8Array stateVector]
//                   [0][varUint 1 step2][varUint8Array update]
//                   [0][varUint 2 update][varUint8Array update]
//   1   awareness   [1][varUint8Array awarenessUpdate]  (y-protocols/awareness). The server coalesces these
//                   per document: one frame may carry the states of many clients.
//   3   query awareness (client → server) [3]: the server answers with every known awareness state.
//
// Tongbiao's own messages (the stock y-websocket provider ignores them with a console message unless the
// page registers handlers in `provider.messageHandlers[100]` / `[101]`; see ./client.ts):
//
//   100 save barrier (client → server)  [100][varUint token]
//       "Tell me when everything I sent on this socket before this message is durable."
//   100 stored (server → client)        [100][varUint token][varUint status]
//       Answers the barrier with the same token, sent only after MongoDB acknowledged the write of every
//       update this socket sent before the barrier (writeConcern majority, journaled). status 0 = stored;
//       status 1 = some of those updates were refused because the socket is read-only (nothing to store).
//       Tokens are chosen by the client (an increasing counter); the server answers in order.
//       "Saved" in the editor = the answer to the latest barrier arrived with status 0 and nothing was
//       typed since that barrier was sent.
//   101 access (server → client)        [101][varString 'edit' | 'read']
//       Sent right after the connection is accepted and again whenever `refreshPermissions` changes it.
//       A 'read' socket may still receive updates and awareness; its own updates are dropped, never
//       applied nor relayed. Access 'none' is a close with code 4403 instead.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export const MessageType = {
  SYNC: 0,
  AWARENESS: 1,
  AUTH: 2,
  QUERY_AWARENESS: 3,
  SAVE_BARRIER: 100,
  ACCESS: 101,
} as const;

export const SyncType = { STEP1: 0, STEP2: 1, UPDATE: 2 } as const;

export type Access = 'edit' | 'read';

export const StoredStatus = { STORED: 0, REFUSED_READ_ONLY: 1 } as const;
export type StoredStatusCode = (typeof StoredStatus)[keyof typeof StoredStatus];

function encodeSync(type: (typeof SyncType)[keyof typeof SyncType], payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.SYNC);
  encoding.writeVarUint(e, type);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

export const encodeSyncStep1 = (stateVector: Uint8Array): Uint8Array => encodeSync(SyncType.STEP1, stateVector);
export const encodeSyncStep2 = (update: Uint8Array): Uint8Array => encodeSync(SyncType.STEP2, update);
export const encodeSyncUpdate = (update: Uint8Array): Uint8Array => encodeSync(SyncType.UPDATE, update);

export function encodeAwareness(awarenessUpdate: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.AWARENESS);
  encoding.writeVarUint8Array(e, awarenessUpdate);
  return encoding.toUint8Array(e);
}

export function encodeSaveBarrier(token: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.SAVE_BARRIER);
  encoding.writeVarUint(e, token);
  return encoding.toUint8Array(e);
}

export function encodeStored(token: number, status: StoredStatusCode): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.SAVE_BARRIER);
  encoding.writeVarUint(e, token);
  encoding.writeVarUint(e, status);
  return encoding.toUint8Array(e);
}

export function encodeAccess(access: Access): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.ACCESS);
  encoding.writeVarString(e, access);
  return encoding.toUint8Array(e);
}

/** Reads the body of a `stored` message after its type: `{ token, status }`. */
export function readStored(decoder: decoding.Decoder): { token: number; status: StoredStatusCode } {
  const token = decoding.readVarUint(decoder);
  const status = decoding.readVarUint(decoder) === StoredStatus.REFUSED_READ_ONLY ? StoredStatus.REFUSED_READ_ONLY : StoredStatus.STORED;
  return { token, status };
}

/** Reads the body of an `access` message after its type. */
export function readAccess(decoder: decoding.Decoder): Access {
  return decoding.readVarString(decoder) === 'edit' ? 'edit' : 'read';
}
