// The Temporal client's gRPC retry, made closable. The SDK's own retry interceptor (@temporalio/client
// grpc-retry.ts) waits out its backoff on a bare setTimeout that nothing can clear: neither cancelling the
// call (an AbortSignal) nor closing the connection stops it, and when it fires after `connection.close()`
// grpc-js throws "Channel has been shut down" inside the timer, an uncaught exception (CI saw it kill a
// jest worker after a runtime's stop()). This one retries the same statuses with the same backoff, but
// each call can be ended at any moment: a cancel (AbortSignal via `withAbortSignal`) clears the pending
// retry, and `closeAll()`, which the connection calls before closing the channel, ends every call: one
// in backoff at once with the failure it is retrying, one on the wire cancelled. No retry starts after.
import * as grpc from '@grpc/grpc-js';
import { defaultGrpcRetryOptions, type GrpcRetryOptions } from '@temporalio/client';

export interface ClosableRetry {
  /** For `ConnectionOptions.interceptors` (in place of the SDK's default retry interceptor). */
  interceptor: grpc.Interceptor;
  /** Ends every call still going; later calls are not retried. Call before closing the connection. */
  closeAll(): void;
  /** Calls neither answered nor ended (tests). */
  pending(): number;
}

/** One call as `closeAll` sees it. */
interface LiveCall {
  end(details: string): void;
}

export function closableRetry(retryOptions: GrpcRetryOptions = defaultGrpcRetryOptions()): ClosableRetry {
  const live = new Set<LiveCall>();
  let closing = false;

  const interceptor: grpc.Interceptor = (options, nextCall) => {
    let attempt = 1;
    let current = nextCall(options);
    let request: unknown;
    let response: { message: unknown } | undefined;
    let upper: grpc.InterceptingListener | undefined;
    let timer: NodeJS.Timeout | undefined;
    let lastStatus: grpc.StatusObject | undefined;
    let finished = false;
    let startMetadata: grpc.Metadata | undefined;

    /** Hands the caller its answer once, whatever happens after. */
    const finish = (status: grpc.StatusObject): void => {
      if (finished) return;
      finished = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      live.delete(call);
      // Straight to the caller's listener: the message first (a unary answer), then the status.
      if (response && status.code === grpc.status.OK) upper?.onReceiveMessage(response.message);
      upper?.onReceiveStatus(status);
    };
    const withNote = (status: grpc.StatusObject, note: string): grpc.StatusObject => ({ ...status, details: `${status.details} (${note})` });

    const onStatus = (status: grpc.StatusObject): void => {
      if (finished) return;
      lastStatus = status;
      if (!closing && retryOptions.retryableDecider(attempt, status)) {
        timer = setTimeout(retry, retryOptions.delayFunction(attempt, status));
      } else {
        finish(status);
      }
    };
    const attemptListener: Partial<grpc.InterceptingListener> = {
      onReceiveMessage(message: unknown) {
        response = { message };
      },
      onReceiveStatus: onStatus,
    };

    function retry(): void {
      timer = undefined;
      if (finished) return;
      if (closing) return finish(withNote(lastStatus as grpc.StatusObject, 'not retried: the connection closed'));
      attempt += 1;
      response = undefined;
      try {
        current = nextCall(options);
        // The caller's metadata again (namespace and auth headers); the deadline lives in `options`.
        current.start((startMetadata as grpc.Metadata).clone(), attemptListener);
        current.sendMessage(request);
        current.halfClose();
      } catch (err) {
        // The channel closed under us by another path: the call fails with what it was retrying, not the process.
        finish(withNote(lastStatus as grpc.StatusObject, `not retried: ${err instanceof Error ? err.message : String(err)}`));
      }
    }

    const call: LiveCall = {
      end(details) {
        if (finished) return;
        // In backoff: nothing on the wire, answer now with the failure being retried.
        if (timer && lastStatus) return finish(withNote(lastStatus, details));
        // On the wire: its CANCELLED status comes back through onStatus and is not retried.
        current.cancelWithStatus(grpc.status.CANCELLED, details);
        // The cancelled status may come back later (or not at all from a call still waiting for a pick): the caller is answered now.
        finish({ code: grpc.status.CANCELLED, details, metadata: new grpc.Metadata() });
      },
    };

    const requester = new grpc.RequesterBuilder()
      .withStart((metadata, listener, next) => {
        upper = listener;
        // Kept for the retries: a copy, whatever the lower layers do with the one they send.
        startMetadata = metadata.clone();
        live.add(call);
        // The first attempt's metadata (headers) reaches the caller as usual; its message and status go through us.
        next(metadata, {
          onReceiveMetadata: (md: grpc.Metadata, nextMd: (md: grpc.Metadata) => void) => nextMd(md),
          onReceiveMessage: (message: unknown) => attemptListener.onReceiveMessage?.(message),
          onReceiveStatus: (status: grpc.StatusObject) => onStatus(status),
        });
      })
      .withSendMessage((message, next) => {
        request = message;
        next(message);
      })
      .withCancel(() => {
        // The caller cancelled (AbortSignal): a pending retry must not fire, the current attempt ends.
        if (finished) return;
        if (timer) return finish({ code: grpc.status.CANCELLED, details: 'Cancelled on client', metadata: new grpc.Metadata() });
        current.cancelWithStatus(grpc.status.CANCELLED, 'Cancelled on client');
      })
      .build();
    return new grpc.InterceptingCall(current, requester);
  };

  return {
    interceptor,
    closeAll() {
      closing = true;
      for (const call of [...live]) call.end('the Temporal connection closed');
    },
    pending: () => live.size,
  };
}
