// Structured logging (pino). One root logger; modules take a child with their own `module` field.
import pino from 'pino';

export type Logger = pino.Logger;

const level = process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' || process.env.JEST_WORKER_ID ? 'warn' : 'info');

export const rootLogger: Logger = pino({ level, base: { app: 'tongbiao' } });

export function createLogger(module: string): Logger {
  return rootLogger.child({ module });
}
