// Keeps the lifecycle worker running across Temporal outages. The SDK worker retries its polls for a while
// when the server goes away, then fails (run() rejects) and stays failed; Worker.create fails outright while
// the server is down. This loop re-creates the worker on a fresh native connection, with exponential
// back-off, until the server answers again, and stops for good only on stop().
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { Logger } from '../../activities/infra/logger';
import { settlesWithin } from '../../activities/infra/settles-within';

export interface WorkerSupervisorOptions {
  /** A new native connection (the previous one is closed after its worker failed). */
  connect(): Promise<NativeConnection>;
  /** Builds a worker on that connection (not yet running). */
  create(connection: NativeConnection): Promise<Worker>;
  logger: Logger;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** A worker that ran this long before failing starts the back-off again from backoffInitialMs. */
  healthyResetMs?: number;
}

export interface WorkerSupervisor {
  /** The worker running now (undefined between a failure and its replacement). */
  current(): Worker | undefined;
  /** How many times the worker was re-created after a failure. */
  restarts(): number;
  /** Resolves once the first worker runs again after a failure (tests, the soak benchmark). */
  onRestarted(listener: (restarts: number) => void): () => void;
  /** Shuts the worker down (waiting for it at most `graceMs`) and ends supervision. */
  stop(graceMs?: number): Promise<void>;
}

/** Creates the first worker (failing like Worker.create if it cannot), runs it and supervises it. */
export async function superviseWorker(opts: WorkerSupervisorOptions): Promise<WorkerSupervisor> {
  const initialMs = opts.backoffInitialMs ?? 500;
  const maxMs = opts.backoffMaxMs ?? 5000;
  const healthyResetMs = opts.healthyResetMs ?? 60_000;
  const listeners = new Set<(n: number) => void>();
  let stopping = false;
  let restarts = 0;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  let connection: NativeConnection | undefined;
  let wake: (() => void) | undefined;

  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const closeConnection = async (): Promise<void> => {
    const c = connection;
    connection = undefined;
    await c?.close().catch((err: unknown) => opts.logger.warn({ err }, 'closing the failed worker connection'));
  };

  const startOne = async (): Promise<void> => {
    connection = await opts.connect();
    worker = await opts.create(connection);
    running = worker.run();
  };

  // The first worker: a failure here is a start-up failure, as before.
  await startOne();

  const loop = (async () => {
    let delay = initialMs;
    for (;;) {
      const startedAt = Date.now();
      try {
        await running;
        if (stopping) return;
        opts.logger.error('lifecycle worker stopped by itself; starting a new one');
      } catch (err) {
        if (stopping) return;
        opts.logger.error({ err }, 'lifecycle worker stopped with an error; starting a new one');
      }
      worker = undefined;
      running = undefined;
      await closeConnection();
      if (Date.now() - startedAt > healthyResetMs) delay = initialMs;
      for (;;) {
        await pause(delay);
        if (stopping) return;
        delay = Math.min(maxMs, delay * 2);
        try {
          await startOne();
          break;
        } catch (err) {
          await closeConnection();
          opts.logger.warn({ err, nextDelayMs: delay }, 'lifecycle worker not created (Temporal unreachable?); retrying');
        }
      }
      restarts += 1;
      opts.logger.warn({ restarts }, 'lifecycle worker running again');
      for (const l of [...listeners]) l(restarts);
    }
  })();

  return {
    current: () => worker,
    restarts: () => restarts,
    onRestarted: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: async (graceMs = 15_000) => {
      stopping = true;
      wake?.();
      const w = worker;
      if (w && w.getState() === 'RUNNING') w.shutdown();
      // Shutting down against an unreachable server (or with local activities stuck on a store that went
      // away) can hang in the SDK; do not hold the process for it. The loop ends when the worker's run does,
      // so it is waited for within the same grace: a start that failed and stopped its runtime once waited
      // six minutes here in the soak.
      const ended = await settlesWithin(loop, graceMs);
      if (!ended) opts.logger.warn({ graceMs }, 'lifecycle worker did not shut down within the grace; leaving it');
      await closeConnection();
    },
  };
}
