// The WebSocket close codes the collaboration server uses, by name. Clients read `event.code` on close:
// 44xx codes mean "do not reconnect blindly" (the browser editor stops retrying on 4401/4403/4404 and
// backs off on 4429); 1001/1011/4408/4503 are transient and a reconnect resynchronises.

export const CloseCode = {
  /** Normal closure (the client or the server is done). */
  NORMAL: 1000,
  /** The server is shutting down; reconnect later. */
  GOING_AWAY: 1001,
  /** A frame larger than `limits.maxMessageBytes` (sent by `ws` itself, before buffering the frame). */
  MESSAGE_TOO_BIG: 1009,
  /** An unexpected server error; reconnecting resynchronises. */
  INTERNAL_ERROR: 1011,
  /** A message that is not valid y-websocket protocol (bad framing, a corrupt Yjs update). */
  BAD_MESSAGE: 4400,
  /** No valid session on the upgrade request. */
  UNAUTHORIZED: 4401,
  /** Authenticated, but `authorize` answered 'none' for this document (also sent when access is withdrawn). */
  FORBIDDEN: 4403,
  /**
   * An update of a suggest-only user (expert, bureau) that is not a suggestion and could not be repaired into
   * one: refused, nothing of it stored or relayed. Same code as FORBIDDEN (the socket must not resend it), its
   * own reason so the editor can keep the author's words and reload the room (editor/browser/refused-edit.ts).
   */
  NOT_A_SUGGESTION: 4403,
  /** The document name is malformed or names no document. */
  UNKNOWN_DOCUMENT: 4404,
  /** The client did not read its messages fast enough (send buffer over `limits.maxBufferedBytes`). */
  SLOW_CONSUMER: 4408,
  /** Too many connections (per address or per document) or too many messages per second. */
  TOO_MANY: 4429,
  /** The document could not be loaded from storage; retry later. */
  UNAVAILABLE: 4503,
} as const;

export type CloseCodeName = keyof typeof CloseCode;

/** Short reasons sent with each close code (the close reason is limited to 123 bytes). */
export const closeReason: Record<CloseCodeName, string> = {
  NORMAL: 'normal',
  GOING_AWAY: 'server shutting down',
  MESSAGE_TOO_BIG: 'message too big',
  INTERNAL_ERROR: 'internal error',
  BAD_MESSAGE: 'bad message',
  UNAUTHORIZED: 'unauthorized',
  FORBIDDEN: 'forbidden',
  NOT_A_SUGGESTION: 'not a suggestion',
  UNKNOWN_DOCUMENT: 'unknown document',
  SLOW_CONSUMER: 'slow consumer',
  TOO_MANY: 'too many',
  UNAVAILABLE: 'document unavailable',
};
