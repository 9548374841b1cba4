// The argument array of a `dbt build`, built from allowlisted parts only. dbt is spawned without
// a shell, so nothing here is ever interpreted by one; the allowlist additionally keeps a
// selector to dbt's selector grammar (names, paths, tags, graph operators, unions and
// intersections), so no option can be smuggled in as a selector.
import { AppError } from '../errors';

/** One selector term: `fact_events`, `+fact_events+`, `2+dim_users`, `tag:daily`, `path:models/marts`, `a,b`. */
const TERM =
  /^(\d*\+)?@?[A-Za-z0-9_][A-Za-z0-9_.:/*-]*(\+\d*)?(,(\d*\+)?@?[A-Za-z0-9_][A-Za-z0-9_.:/*-]*(\+\d*)?)*$/;
const MAX_SELECTOR_LENGTH = 500;

/**
 * Splits a user's selector into dbt `--select` terms (space-separated terms are a union, as in
 * dbt itself). Empty or blank means everything.
 */
export function parseSelector(input: string | null | undefined): string[] {
  const text = (input ?? '').trim();
  if (!text) return [];
  if (text.length > MAX_SELECTOR_LENGTH)
    throw new AppError(
      'BAD_REQUEST',
      `The selector is longer than ${MAX_SELECTOR_LENGTH} characters; select fewer models or use a tag.`,
    );
  const terms = text.split(/\s+/);
  for (const term of terms) {
    if (!TERM.test(term))
      throw new AppError(
        'BAD_REQUEST',
        `"${term}" is not a dbt selector term. Use model names, tag:…, path:…, graph operators (+model, model+, @model) and commas for intersections, e.g. "+fact_events tag:daily".`,
      );
  }
  return terms;
}

export interface DbtBuildArgs {
  projectDir: string;
  targetPath: string;
  logPath: string;
  target: 'duckdb' | 'trino';
  select: string[];
}

export function dbtBuildArgs(a: DbtBuildArgs): string[] {
  return [
    'build',
    '--project-dir',
    a.projectDir,
    '--profiles-dir',
    a.projectDir,
    '--target',
    a.target,
    '--target-path',
    a.targetPath,
    '--log-path',
    a.logPath,
    // One JSON object per line on stdout: progress and results without scraping text.
    '--log-format',
    'json',
    '--no-use-colors',
    ...(a.select.length ? ['--select', ...a.select] : []),
  ];
}
