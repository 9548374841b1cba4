// Structured JSON logs (pino). One root logger per process; modules take a child.
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, name = 'tl'): Logger {
  return pino({ name, level, base: { pid: process.pid } });
}
