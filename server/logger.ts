// Structured JSON logs (pino). The server logs to stdout and to <data dir>/logs/server.log;
// the CLI logs to stderr so its stdout stays machine-readable.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  name?: string;
  /** Also append to <logDir>/server.log. */
  logDir?: string;
  stream?: 'stdout' | 'stderr';
}

export function createLogger(level: string, options: string | LoggerOptions = {}): Logger {
  const opts: LoggerOptions = typeof options === 'string' ? { name: options } : options;
  const base = { name: opts.name ?? 'tl', level, base: { pid: process.pid } };
  const console = pino.destination(opts.stream === 'stderr' ? 2 : 1);
  if (!opts.logDir || level === 'silent') return pino(base, console);
  mkdirSync(opts.logDir, { recursive: true });
  const file = pino.destination({
    dest: path.join(opts.logDir, 'server.log'),
    mkdir: true,
    sync: false,
  });
  const lvl = level as pino.Level;
  return pino(
    base,
    pino.multistream([
      { level: lvl, stream: console },
      { level: lvl, stream: file },
    ]),
  );
}
