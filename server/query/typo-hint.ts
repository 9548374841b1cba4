// "did you mean …?" for a misspelt column or function, whichever engine noticed it: DuckDB names
// its candidates (duckdb-errors.ts), Trino does not and the TrinoEngine lists the schema's
// columns. The hint follows the engine's own message, on a line of its own.
import { AppError } from '../errors';
import { closest } from './scope';

export interface MissingName {
  kind: 'column' | 'function';
  name: string;
  /** What the name could have been: the engine's candidates, or every name of its kind. */
  candidates: readonly string[];
}

/**
 * "column evnt_name not found — did you mean event_name?", when one candidate is near enough to
 * be a typo (engines offer candidates for any name: DuckDB offers `event_name` for `xyz`).
 * A qualified candidate (`u.plan`) is compared by its last part and suggested whole.
 */
export function typoHint({ kind, name, candidates }: MissingName): string | undefined {
  if (candidates.length === 0) return undefined;
  const byLastPart = new Map(candidates.map((c) => [c.split('.').at(-1)!, c]));
  const near = closest(name.split('.').at(-1)!, byLastPart.keys());
  if (near === undefined) return undefined;
  const verb = kind === 'function' ? 'does not exist' : 'not found';
  return `${kind} ${name} ${verb} — did you mean ${byLastPart.get(near)}?`;
}

/** `error` with the hint after its message (and in details.hint); itself without a hint. */
export function withHint(error: AppError, hint: string | undefined): AppError {
  if (!hint) return error;
  return new AppError(
    error.code,
    `${error.message}\nHint: ${hint}`,
    { ...error.details, hint },
    { cause: error.cause ?? error },
  );
}
