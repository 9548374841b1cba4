// DuckDB errors -> AppError. The engine runs with `errors_as_json=true`, so its messages are
// JSON ({exception_type, exception_message, position, …}) — sometimes behind a prefix such as
// `Failed to extract statements: Parser Error: `. Parsing that JSON gives the character offset
// of a mistake, which becomes the line/column the SQL editor highlights.
import { AppError } from '../errors';
import { typoHint as hintFor, withHint, type MissingName } from './typo-hint';

export interface DuckDbErrorInfo {
  /** DuckDB's exception type, e.g. `Parser`, `Binder`, `Catalog`, `Permission`, `INTERRUPT`. */
  type: string;
  message: string;
  /** 0-based character offset into the SQL, when DuckDB reports one. */
  position?: number;
  /** A name DuckDB could not find (a column, a function) and what it offers instead. */
  missing?: MissingName;
}

export function parseDuckDbError(error: unknown): DuckDbErrorInfo {
  const raw = error instanceof Error ? error.message : String(error);
  const start = raw.indexOf('{');
  if (start >= 0) {
    try {
      const parsed = JSON.parse(raw.slice(start)) as Record<string, unknown>;
      if (typeof parsed.exception_message === 'string') {
        const position = Number(parsed.position);
        return {
          type: typeof parsed.exception_type === 'string' ? parsed.exception_type : 'Unknown',
          message: parsed.exception_message,
          ...(parsed.position !== undefined && Number.isInteger(position) && position >= 0
            ? { position }
            : {}),
          ...missingName(parsed),
        };
      }
    } catch {
      // Not JSON after all (a message that merely contains a brace): use the text below.
    }
  }
  const typed = /^(?:[\w ]+: )?([A-Za-z ]+) Error: ([\s\S]*)$/.exec(raw);
  if (typed?.[1] && typed[2] !== undefined) return { type: typed[1], message: typed[2] };
  return { type: 'Unknown', message: raw };
}

/**
 * The missing name and DuckDB's candidates: the JSON's `name` and `candidates` fields when it has
 * them (a column not found in FROM, a function that does not exist), else the message of
 * `alias.column` ("Table "f" does not have a column named "x" … Candidate bindings: : "y"").
 */
function missingName(parsed: Record<string, unknown>): Pick<DuckDbErrorInfo, 'missing'> {
  const { name, candidates, error_subtype: subtype, type } = parsed;
  if (typeof name === 'string' && typeof candidates === 'string') {
    const list = candidates.split(',').filter(Boolean);
    if (subtype === 'COLUMN_NOT_FOUND')
      return { missing: { kind: 'column', name, candidates: list } };
    if (subtype === 'MISSING_ENTRY' && typeof type === 'string' && /function/i.test(type))
      return { missing: { kind: 'function', name, candidates: list } };
    return {};
  }
  const message = String(parsed.exception_message);
  const column = /does not have a column named "([^"]+)"/.exec(message)?.[1];
  const bindings = /Candidate bindings:[\s:]*(.*)$/.exec(message)?.[1];
  if (!column || !bindings) return {};
  const list = [...bindings.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
  return { missing: { kind: 'column', name: column, candidates: list } };
}

/** The plain hint for a misspelt column or function (typo-hint.ts), when DuckDB named one. */
export function typoHint(info: DuckDbErrorInfo): string | undefined {
  return info.missing ? hintFor(info.missing) : undefined;
}

/** 0-based character offset -> 1-based line and column. */
export function lineAndColumn(sql: string, position: number): { line: number; column: number } {
  const before = sql.slice(0, Math.max(0, Math.min(position, sql.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/** `Parser` -> `Parser Error: …`, the wording DuckDB users know from its shell. */
export function formatDuckDbMessage(info: DuckDbErrorInfo): string {
  const label = info.type === 'INTERRUPT' ? 'Interrupt' : info.type;
  return `${label} Error: ${info.message}`;
}

/**
 * A DuckDB error raised while checking or running user SQL. Permission errors come from the
 * instance lockdown (file access outside the lake folder), so they are a rejection, not a bug
 * in the query; everything else is QUERY_FAILED with the position when DuckDB gave one.
 */
export function toQueryError(error: unknown, sql: string): AppError {
  if (error instanceof AppError) return error;
  const info = parseDuckDbError(error);
  const details: Record<string, unknown> = { engineErrorType: info.type };
  if (info.position !== undefined) {
    Object.assign(details, { position: info.position }, lineAndColumn(sql, info.position));
  }
  if (info.type === 'Parser' && /memory exhausted/i.test(info.message)) {
    return new AppError('QUERY_REJECTED', tooDeeplyNested(info.message), details, {
      cause: error,
    });
  }
  if (info.type === 'Permission') {
    return new AppError(
      'QUERY_REJECTED',
      `${formatDuckDbMessage(info)}. Queries may only read files inside the lake folder.`,
      details,
      { cause: error },
    );
  }
  return withHint(
    new AppError('QUERY_FAILED', formatDuckDbMessage(info), details, { cause: error }),
    typoHint(info),
  );
}

/** The parser gave up on nesting (its stack or its depth limit): what to tell the user. */
export function tooDeeplyNested(parserMessage: string): string {
  return `The query is nested too deeply for the parser (${parserMessage}). Flatten it: fewer nested parentheses or subqueries, CTEs instead.`;
}
