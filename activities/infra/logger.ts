// Structured logging (pino). The composition root (server/runtime.ts) creates one root logger at the
// validated config's LOG_LEVEL and hands each part a child with its own `module` field; factories take it
// in their deps. `createLogger` is the fallback for code run without a composition root (scripts, tests,
// a factory called without a logger): a child of a process-wide root at LOG_LEVEL (default info; the test
// setup sets warn).
import pino from 'pino';

export type Logger = pino.Logger;

const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** A root logger at `level` (a pino level; the config validates LOG_LEVEL against the same list). */
export function createRootLogger(level: string): Logger {
  return pino({ level, base: { app: 'tongbiao' } });
}

let fallbackRoot: Logger | undefined;

/** A child logger of the process-wide fallback root, for code that was not handed one. */
export function createLogger(module: string): Logger {
  if (!fallbackRoot) {
    const level = process.env.LOG_LEVEL;
    fallbackRoot = createRootLogger(level && LEVELS.has(level) ? level : 'info');
  }
  return fallbackRoot.child({ module });
}
