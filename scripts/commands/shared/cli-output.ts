// Output helpers shared by the `tl` commands: stdout is the command's result (machine-readable
// with --json), and a write is awaited so that an exit right after it never cuts it short.
import { isAppError, type AppErrorCode } from '../../../server/errors';

export function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

export interface CliErrorBody {
  code: AppErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/** Any thrown value -> the `{"error": …}` body: AppErrors keep code and details. */
export function toCliError(error: unknown): CliErrorBody {
  if (isAppError(error)) {
    return error.details
      ? { code: error.code, message: error.message, details: error.details }
      : { code: error.code, message: error.message };
  }
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

const MAX_CELL = 60;

function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const oneLine = text.replace(/\s*\n\s*/g, ' ');
  return oneLine.length > MAX_CELL ? `${oneLine.slice(0, MAX_CELL - 1)}…` : oneLine;
}

/** A plain-text table for humans; numbers right-aligned, long cells cut with an ellipsis. */
export function formatTable(
  columns: readonly { name: string; type: string }[],
  rows: readonly (readonly unknown[])[],
): string {
  const numeric = columns.map((c) => ['integer', 'float', 'decimal'].includes(c.type));
  const cells = rows.map((row) => columns.map((_, i) => cellText(row[i])));
  const widths = columns.map((c, i) =>
    Math.max(c.name.length, ...cells.map((row) => row[i]?.length ?? 0)),
  );
  const pad = (text: string, i: number) =>
    numeric[i] ? text.padStart(widths[i] ?? 0) : text.padEnd(widths[i] ?? 0);
  const line = (parts: string[]) => parts.map(pad).join(' │ ').trimEnd();
  return [
    line(columns.map((c) => c.name)),
    widths.map((w) => '─'.repeat(w)).join('─┼─'),
    ...cells.map(line),
  ].join('\n');
}
