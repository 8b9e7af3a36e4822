// Starting while a dependency is away: `npm start` (and the cluster's processes) start the runtime again,
// with a growing pause, as long as what failed says the store or Temporal could not be reached — a server
// killed during the start comes back under the embedded supervisor (or its own orchestrator) within
// seconds. Any other failure (bad configuration, a port in use) ends the start at once with its message.
import type { Logger } from '../activities/infra/logger';
import { unreachableDependency } from '../server/infra/availability';
import { isServiceUnavailable } from '../server/http/error-middleware';

export interface RetryOptions {
  logger: Logger;
  /** Give up after this long (default 5 minutes): a dependency that never returns is a failed start. */
  budgetMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export async function retryWhileUnreachable<T>(start: () => Promise<T>, opts: RetryOptions): Promise<T> {
  const deadline = Date.now() + (opts.budgetMs ?? 5 * 60_000);
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await start();
    } catch (e) {
      const dependency = unreachableDependency(e) ?? (isServiceUnavailable(e) ? 'store or Temporal' : null);
      if (!dependency || Date.now() >= deadline) throw e;
      const pauseMs = Math.min(500 * 2 ** (attempt - 1), 5000);
      opts.logger.warn({ err: e, dependency, attempt, pauseMs }, 'a dependency went away during the start; starting again');
      await sleep(pauseMs);
    }
  }
}
