// The insight a page shows lives in its URL: `?q=<the query object as JSON>` (exactly what
// `insights.run` receives, so a shared link restores the same numbers) and `?chart=<chart type>`
// (how it is drawn). Decoding validates the object with its kind's zod schema; a link that no
// longer parses (edited by hand, or from an older schema) says why instead of failing silently.
import type { z } from 'zod';

export const QUERY_PARAM = 'q';
export const CHART_PARAM = 'chart';

export type DecodedQuery<Q> =
  { status: 'none' } | { status: 'ok'; query: Q } | { status: 'invalid'; message: string };

/** The query as the `q` parameter's value (URLSearchParams does the percent-encoding). */
export function encodeQuery(query: { kind: string }): string {
  return JSON.stringify(query);
}

/**
 * Reads `q`: JSON with a `kind` that one of `schemas` knows and that its schema accepts (defaults
 * are applied, so the result is the full query object).
 */
export function decodeQuery<Q = unknown>(
  raw: string | null | undefined,
  schemas: Readonly<Record<string, z.ZodType | undefined>>,
): DecodedQuery<Q> {
  if (raw === null || raw === undefined || raw === '') return { status: 'none' };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { status: 'invalid', message: 'The link’s insight is not valid JSON.' };
  }
  const kind =
    typeof value === 'object' && value !== null && 'kind' in value
      ? String((value as { kind: unknown }).kind)
      : undefined;
  const schema = kind === undefined ? undefined : schemas[kind];
  if (!schema)
    return {
      status: 'invalid',
      message:
        kind === undefined
          ? 'The link’s insight has no type.'
          : `This version does not know insights of type "${kind}".`,
    };
  const parsed = schema.safeParse(value);
  if (!parsed.success) return { status: 'invalid', message: describeIssues(parsed.error.issues) };
  return { status: 'ok', query: parsed.data as Q };
}

/** Search params with `q` (and `chart`) set, every other parameter kept. */
export function withQuery(
  current: URLSearchParams | string,
  query: { kind: string },
  chartType?: string,
): URLSearchParams {
  const next = new URLSearchParams(current.toString());
  next.set(QUERY_PARAM, encodeQuery(query));
  if (chartType) next.set(CHART_PARAM, chartType);
  else next.delete(CHART_PARAM);
  return next;
}

/** zod issues as one sentence a PM can act on: "steps.2.event: Too small…" → "Step 3 event: …". */
export function describeIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): string {
  return issues
    .slice(0, 3)
    .map((i) => {
      const where = describePath(i.path);
      return where ? `${where}: ${i.message}` : i.message;
    })
    .join('; ');
}

const NAMES: Record<string, string> = {
  series: 'Series',
  steps: 'Step',
  filters: 'Filter',
  exclusions: 'Exclusion',
  dateRange: 'Date range',
  breakdown: 'Breakdown',
  interval: 'Interval',
  conversionWindow: 'Conversion window',
  formulas: 'Formula',
};

export function describePath(path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const key = String(path[i]);
    const next = path[i + 1];
    const name = NAMES[key] ?? key;
    if (typeof next === 'number') {
      parts.push(
        key === 'series' ? `${name} ${String.fromCharCode(65 + next)}` : `${name} ${next + 1}`,
      );
      i++;
    } else parts.push(name);
  }
  return parts.join(' › ');
}
