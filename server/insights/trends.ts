// Trends: events or unique users over time, several series, an optional breakdown (top N values
// plus "other"), property filters per series and for the whole insight. The query object
// (ZTrendsQuery) is what URLs, dashboard tiles and the Ask feature store; compileTrends turns it
// into one SQL statement for a dialect (pure: same input, same SQL and parameters), and
// shapeTrends turns the rows into chart-ready series (every bucket of the range present, zeros
// in the gaps, a total per series).
import { z } from 'zod';
import { Params, type SqlDialect, type TimeUnit } from './dialect';
import type { CompiledQuery, InsightKind } from './kind';
import {
  filterExpr,
  propertyExpr,
  usesUserProperty,
  ZPropertyFilter,
  ZPropertyRef,
  type PropertyRef,
} from './properties';

const ZDay = z.iso.date().describe('UTC day, YYYY-MM-DD');

export const ZTrendsSeries = z.object({
  event: z.string().min(1).max(200).describe('Event name, e.g. "signed_up"'),
  math: z.enum(['total', 'unique_users']).default('total'),
  filters: z.array(ZPropertyFilter).max(20).default([]),
  label: z.string().max(100).optional(),
});

export const ZTrendsQuery = z
  .object({
    kind: z.literal('trends'),
    series: z.array(ZTrendsSeries).min(1).max(10),
    interval: z.enum(['hour', 'day', 'week', 'month']).default('day'),
    /** Inclusive UTC days. */
    dateRange: z.object({ from: ZDay, to: ZDay }),
    filters: z.array(ZPropertyFilter).max(20).default([]),
    breakdown: z
      .object({ property: ZPropertyRef, limit: z.number().int().min(1).max(50).default(10) })
      .optional(),
  })
  .superRefine((q, ctx) => {
    if (q.dateRange.from > q.dateRange.to)
      ctx.addIssue({ code: 'custom', path: ['dateRange'], message: '"from" is after "to"' });
    const days = (Date.parse(q.dateRange.to) - Date.parse(q.dateRange.from)) / 86_400_000 + 1;
    if (q.interval === 'hour' && days > 31)
      ctx.addIssue({
        code: 'custom',
        path: ['interval'],
        message: 'Hourly trends cover at most 31 days; pick a shorter range or a daily interval',
      });
    if (days > 3660)
      ctx.addIssue({ code: 'custom', path: ['dateRange'], message: 'At most 10 years' });
  });
export type TrendsQuery = z.infer<typeof ZTrendsQuery>;
/** What callers send (defaults not yet applied). */
export type TrendsQueryInput = z.input<typeof ZTrendsQuery>;

/** The label of the rows outside a breakdown's top N. */
export const OTHER = '$other';
/** The label of rows whose breakdown property is not set. */
export const NONE = '$none';

export type { CompiledQuery } from './kind';

/** Start (inclusive) and end (exclusive) of the range as ISO instants. */
export function rangeBounds(range: { from: string; to: string }): { start: string; end: string } {
  const end = new Date(Date.parse(range.to) + 86_400_000).toISOString();
  return { start: new Date(Date.parse(range.from)).toISOString(), end };
}

/**
 * One statement: per series, the matching events in the range (series and insight filters),
 * then — with a breakdown — the series' top N values by event count; rows are
 * (series, bucket, breakdown, value).
 */
export function compileTrends(q: TrendsQuery, dialect: SqlDialect): CompiledQuery {
  // Parameters are bound in the order their placeholders appear in the text and never reused:
  // Trino's placeholders are positional `?`.
  const params = new Params(dialect);
  const { start, end } = rangeBounds(q.dateRange);
  const refs: PropertyRef[] = [
    ...q.filters.map((f) => f.property),
    ...q.series.flatMap((s) => s.filters.map((f) => f.property)),
    ...(q.breakdown ? [q.breakdown.property] : []),
  ];
  const from = usesUserProperty(refs)
    ? 'fact_events as e left join dim_users as u on u.user_id = e.user_id'
    : 'fact_events as e';

  const ctes: string[] = [];
  const selects: string[] = [];
  q.series.forEach((s, i) => {
    const breakdown = q.breakdown
      ? `coalesce(cast(${propertyExpr(q.breakdown.property, params, dialect)} as varchar), '${NONE}')`
      : `cast(null as varchar)`;
    const where = [
      `e.event_name = ${params.bind(s.event)}`,
      `e.ts >= ${dialect.timestampParam(params.bind(start))}`,
      `e.ts < ${dialect.timestampParam(params.bind(end))}`,
      ...q.filters.map((f) => filterExpr(f, params, dialect)),
      ...s.filters.map((f) => filterExpr(f, params, dialect)),
    ];
    ctes.push(
      `s${i} as (\n  select ${dialect.truncate(q.interval, 'e.ts')} as bucket, e.user_id, ${breakdown} as breakdown\n  from ${from}\n  where ${where.join('\n    and ')}\n)`,
    );
    const value = s.math === 'unique_users' ? dialect.countDistinct('user_id') : 'count(*)';
    if (q.breakdown) {
      ctes.push(
        `s${i}_top as (\n  select breakdown from s${i} group by breakdown order by count(*) desc, breakdown limit ${q.breakdown.limit}\n)`,
      );
      selects.push(
        `select ${i} as series, bucket, case when breakdown in (select breakdown from s${i}_top) then breakdown else '${OTHER}' end as breakdown, ${value} as value\nfrom s${i}\ngroup by 2, 3`,
      );
    } else
      selects.push(
        `select ${i} as series, bucket, breakdown, ${value} as value\nfrom s${i}\ngroup by 2, 3`,
      );
  });
  const sql = `with ${ctes.join(',\n')}\n${selects.join('\nunion all\n')}\norder by series, bucket, breakdown`;
  return { sql, params: params.values };
}

export interface TrendsSeriesResult {
  /** Index into the query's series. */
  series: number;
  label: string;
  /** The breakdown value (OTHER / NONE for the rest / unset), null without a breakdown. */
  breakdown: string | null;
  /** One value per bucket, aligned with `buckets`. */
  values: number[];
  total: number;
}

export interface TrendsResult {
  /** Bucket starts as ISO instants (UTC), every bucket of the range. */
  buckets: string[];
  series: TrendsSeriesResult[];
}

/** Every bucket start of the range for the interval (weeks start on Monday, UTC). */
export function bucketStarts(range: { from: string; to: string }, interval: TimeUnit): string[] {
  const { start, end } = rangeBounds(range);
  const endMs = Date.parse(end);
  const first = new Date(start);
  if (interval === 'week') first.setUTCDate(first.getUTCDate() - ((first.getUTCDay() + 6) % 7));
  if (interval === 'month') first.setUTCDate(1);
  const out: string[] = [];
  for (const d = first; d.getTime() < endMs;) {
    out.push(d.toISOString());
    if (interval === 'hour') d.setUTCHours(d.getUTCHours() + 1);
    else if (interval === 'day') d.setUTCDate(d.getUTCDate() + 1);
    else if (interval === 'week') d.setUTCDate(d.getUTCDate() + 7);
    else d.setUTCMonth(d.getUTCMonth() + 1);
  }
  return out;
}

/** Rows of compileTrends (series, bucket, breakdown, value) → chart-ready series. */
export function shapeTrends(q: TrendsQuery, rows: readonly unknown[][]): TrendsResult {
  const buckets = bucketStarts(q.dateRange, q.interval);
  const index = new Map(buckets.map((b, i) => [b, i]));
  const byKey = new Map<string, TrendsSeriesResult>();
  for (const [series, bucket, breakdown, value] of rows) {
    const s = Number(series);
    const b = breakdown === null || breakdown === undefined ? null : String(breakdown);
    const key = `${s}\u0000${b ?? ''}`;
    let entry = byKey.get(key);
    if (!entry) {
      const spec = q.series[s]!;
      const name = spec.label ?? `${spec.event}${spec.math === 'unique_users' ? ' (users)' : ''}`;
      entry = {
        series: s,
        label: b === null ? name : `${name} · ${b}`,
        breakdown: b,
        values: buckets.map(() => 0),
        total: 0,
      };
      byKey.set(key, entry);
    }
    const at = index.get(new Date(String(bucket)).toISOString());
    if (at === undefined) continue;
    entry.values[at] = Number(value);
  }
  // A series with no rows at all still shows (as zeros), so the legend matches the query.
  q.series.forEach((spec, s) => {
    if ([...byKey.values()].some((e) => e.series === s)) return;
    const name = spec.label ?? `${spec.event}${spec.math === 'unique_users' ? ' (users)' : ''}`;
    byKey.set(`${s}\u0000`, {
      series: s,
      label: name,
      breakdown: null,
      values: buckets.map(() => 0),
      total: 0,
    });
  });
  const series = [...byKey.values()].map((e) => ({
    ...e,
    // For unique users the total is not the sum of buckets (a user active on two days counts
    // once); the sum is what the chart's legend shows and is labelled as such by the UI.
    total: e.values.reduce((a, v) => a + v, 0),
  }));
  series.sort(
    (a, b) =>
      a.series - b.series ||
      rank(a.breakdown) - rank(b.breakdown) ||
      b.total - a.total ||
      String(a.breakdown).localeCompare(String(b.breakdown)),
  );
  return { buckets, series };
}

const rank = (b: string | null) => (b === OTHER ? 2 : b === NONE ? 1 : 0);

export const trendsKind: InsightKind<TrendsQuery, TrendsResult> = {
  kind: 'trends',
  schema: ZTrendsQuery,
  compile: compileTrends,
  shape: shapeTrends,
  events: (q) => q.series.map((s) => s.event),
};
