// Client side of Tongbiao's messages for a stock y-websocket `WebsocketProvider`: sends save barriers after
// local edits and reads `stored` and `access` answers (wire format in ./wire.ts). The browser editor uses
// it for its "saved" indicator and read-only switch; tests and the benchmark use it to know what the
// server acknowledged. No Node APIs: it bundles for the browser.
import type * as decoding from 'lib0/decoding';
import type { WebsocketProvider } from 'y-websocket';
import { MessageType, StoredStatus, encodeSaveBarrier, readAccess, readStored, type Access, type StoredStatusCode } from './wire';

export interface SaveState {
  /** True when the server stored every local edit made so far (false while edits are in flight). */
  saved: boolean;
  /** The socket's access as last announced by the server; null before the first announcement. */
  access: Access | null;
}

export interface SaveTracker {
  readonly state: SaveState;
  /** Called on every change of `state`. Returns an unsubscribe function. */
  subscribe(listener: (state: SaveState) => void): () => void;
  /** Called with each acknowledged barrier token (tests use it to learn which edits are durable). */
  onStored(listener: (token: number, status: StoredStatusCode) => void): () => void;
  /** Called with each barrier token right after it is sent: the edits made before it are what its answer covers. */
  onBarrier(listener: (token: number) => void): () => void;
  /** Sends a barrier now (if connected and synced); returns its token, or null when it could not be sent. */
  barrier(): number | null;
  destroy(): void;
}

export interface SaveTrackerOptions {
  /** Edits within this window share one barrier (ms). Default 100. */
  barrierDelayMs?: number;
}

type MessageHandler = (encoder: unknown, decoder: decoding.Decoder, provider: WebsocketProvider, emitSynced: boolean, messageType: number) => void;

export function trackSaveState(provider: WebsocketProvider, options: SaveTrackerOptions = {}): SaveTracker {
  const delay = options.barrierDelayMs ?? 100;
  const state: SaveState = { saved: true, access: null };
  const listeners = new Set<(s: SaveState) => void>();
  const storedListeners = new Set<(token: number, status: StoredStatusCode) => void>();
  const barrierListeners = new Set<(token: number) => void>();
  let nextToken = 1;
  let lastSent = 0;
  let lastAnswered = 0;
  let lastStatus: StoredStatusCode = StoredStatus.STORED;
  /** Local edits made since the last barrier was sent. */
  let dirty = false;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const publish = (): void => {
    const saved = !dirty && lastAnswered === lastSent && lastStatus === StoredStatus.STORED;
    if (saved === state.saved) return;
    state.saved = saved;
    for (const l of listeners) l({ ...state });
  };

  const barrier = (): number | null => {
    const ws = provider.ws;
    // Before 'synced' the edits made offline may not have been sent yet (they go in sync step 2): a
    // barrier then would be answered without covering them. The 'sync' handler sends one instead.
    if (!provider.wsconnected || !provider.synced || !ws || ws.readyState !== 1) return null;
    const token = nextToken++;
    ws.send(encodeSaveBarrier(token));
    lastSent = token;
    dirty = false;
    for (const l of barrierListeners) l(token);
    publish();
    return token;
  };

  const handlers = provider.messageHandlers as unknown as MessageHandler[];
  handlers[MessageType.SAVE_BARRIER] = (_e, decoder) => {
    const { token, status } = readStored(decoder);
    // Answers to barriers of an earlier socket may still arrive; only the newest counts for `saved`.
    if (token > lastAnswered) {
      lastAnswered = token;
      lastStatus = status;
    }
    for (const l of storedListeners) l(token, status);
    publish();
  };
  handlers[MessageType.ACCESS] = (_e, decoder) => {
    state.access = readAccess(decoder);
    for (const l of listeners) l({ ...state });
  };

  const onUpdate = (_update: Uint8Array, origin: unknown): void => {
    if (origin === provider) return;
    dirty = true;
    publish();
    if (timer === null) {
      timer = setTimeout(() => {
        timer = null;
        barrier();
      }, delay);
    }
  };
  // After a (re)connection the provider sends its offline edits in sync step 2 before it reports 'sync':
  // a barrier sent then covers them.
  const onSync = (synced: boolean): void => {
    if (synced) barrier();
  };
  provider.doc.on('update', onUpdate);
  provider.on('sync', onSync);

  return {
    state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onStored(listener) {
      storedListeners.add(listener);
      return () => storedListeners.delete(listener);
    },
    onBarrier(listener) {
      barrierListeners.add(listener);
      return () => barrierListeners.delete(listener);
    },
    barrier,
    destroy() {
      if (timer !== null) clearTimeout(timer);
      provider.doc.off('update', onUpdate);
      provider.off('sync', onSync);
      listeners.clear();
      storedListeners.clear();
      barrierListeners.clear();
    },
  };
}
