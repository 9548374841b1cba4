// Trends: events or unique users over time, several series, an optional breakdown (top N values
// plus "other"), property filters per series and for the whole insight. The query object
// (ZTrendsQuery) is what URLs, dashboard tiles and the Ask feature store; compileTrends turns it
// into one SQL statement for a dialect (pure: same input, same SQL and parameters), and
// shapeTrends turns the rows into chart-ready series (every bucket of the range present, zeros
// in the gaps, a total per series).
import { z } from 'zod';
import { Params, type SqlDialect, type TimeUnit } from './dialect';
import { evaluateFormula, FormulaError, parseFormula } from './formula';
import type { CompileContext, CompiledQuery, InsightKind } from './kind';
import {
  breakdownExpr,
  breakdownRefs,
  filterRefs,
  insightFilterExpr,
  ZInsightBreakdown,
  ZInsightFilter,
} from './insight-filters';
import { filterExpr, usesUserProperty, ZPropertyFilter, type PropertyRef } from './properties';

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
    filters: z.array(ZInsightFilter).max(20).default([]),
    /** A property (top N values) or a cohort (its name for members, NONE for the rest). */
    breakdown: ZInsightBreakdown.optional(),
    /** Formulas between series, letters in series order ("A/B"); computed per bucket. */
    formulas: z
      .array(
        z.object({
          expression: z.string().min(1).max(200).describe('e.g. "A/B*100"'),
          label: z.string().max(100).optional(),
        }),
      )
      .max(5)
      .default([]),
    /** Also compute every series over the period of equal length just before the range. */
    compare: z.boolean().default(false),
  })
  .superRefine((q, ctx) => {
    q.formulas.forEach((f, i) => {
      try {
        parseFormula(f.expression, q.series.length);
      } catch (e) {
        if (!(e instanceof FormulaError)) throw e;
        ctx.addIssue({ code: 'custom', path: ['formulas', i, 'expression'], message: e.message });
      }
    });
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

/** The range of equal length that ends the day before `range` starts (compare mode). */
export function previousRange(range: { from: string; to: string }): { from: string; to: string } {
  const days = (Date.parse(range.to) - Date.parse(range.from)) / 86_400_000 + 1;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return {
    from: day(Date.parse(range.from) - days * 86_400_000),
    to: day(Date.parse(range.from) - 86_400_000),
  };
}

/** Start (inclusive) and end (exclusive) of the range as ISO instants. */
export function rangeBounds(range: { from: string; to: string }): { start: string; end: string } {
  const end = new Date(Date.parse(range.to) + 86_400_000).toISOString();
  return { start: new Date(Date.parse(range.from)).toISOString(), end };
}

/**
 * One statement: per series, the matching events in the range (series and insight filters),
 * then — with a breakdown — the series' top N values by event count; rows are
 * (series, period, bucket, breakdown, value). Period 0 is the range; with `compare`, period 1
 * is the previous range (its events bucketed in their own time, aligned by the shaper), and the
 * breakdown's top N are chosen on the range alone.
 */
/** The mart of events per name and UTC hour (dbt/models/marts/agg_event_counts_hourly.sql). */
export const HOURLY_COUNTS = 'agg_event_counts_hourly';

/**
 * Whether a series can be answered from HOURLY_COUNTS: total events with no property filter and
 * no breakdown (every bucket is a whole number of UTC hours, so its sums are exact).
 */
export const usesHourlyCounts = (q: TrendsQuery, s: TrendsQuery['series'][number]) =>
  s.math === 'total' && !s.filters.length && !q.filters.length && !q.breakdown;

/** Per event name, UTC day and user, one row (an accelerator: server/pipelines/accelerators.ts). */
export const USER_EVENT_DAYS = 'agg_user_event_days';

/**
 * Whether a series can be answered from USER_EVENT_DAYS: unique users by day, week or month with
 * no property filter and no breakdown (every such bucket is a whole number of UTC days).
 */
export const usesUserEventDays = (q: TrendsQuery, s: TrendsQuery['series'][number]) =>
  s.math === 'unique_users' &&
  q.interval !== 'hour' &&
  !s.filters.length &&
  !q.filters.length &&
  !q.breakdown;

export function compileTrends(
  q: TrendsQuery,
  dialect: SqlDialect,
  ctx: CompileContext = {},
): CompiledQuery {
  // Parameters are bound in the order their placeholders appear in the text and never reused:
  // Trino's placeholders are positional `?`.
  const params = new Params(dialect);
  const { start, end } = rangeBounds(q.dateRange);
  const scanStart = q.compare ? rangeBounds(previousRange(q.dateRange)).start : start;
  const refs: PropertyRef[] = [
    ...filterRefs(q.filters),
    ...q.series.flatMap((s) => s.filters.map((f) => f.property)),
    ...breakdownRefs(q.breakdown),
  ];
  const from = usesUserProperty(refs)
    ? 'fact_events as e left join dim_users as u on u.user_id = e.user_id'
    : 'fact_events as e';

  const ctes: string[] = [];
  const selects: string[] = [];
  q.series.forEach((s, i) => {
    if (ctx.marts?.has(HOURLY_COUNTS) && usesHourlyCounts(q, s)) {
      // Text order: period, then the where clause.
      const period = q.compare
        ? `case when a.hour >= ${dialect.timestampParam(params.bind(start))} then 0 else 1 end`
        : '0';
      const where = [
        `a.event_name = ${params.bind(s.event)}`,
        `a.hour >= ${dialect.timestampParam(params.bind(scanStart))}`,
        `a.hour < ${dialect.timestampParam(params.bind(end))}`,
      ];
      ctes.push(
        `s${i} as (\n  select ${dialect.truncate(q.interval, 'a.hour')} as bucket, ${period} as period, a.events, cast(null as varchar) as breakdown\n  from ${HOURLY_COUNTS} as a\n  where ${where.join('\n    and ')}\n)`,
      );
      selects.push(
        `select ${i} as series, period, bucket, breakdown, cast(sum(events) as bigint) as value\nfrom s${i}\ngroup by 2, 3, 4`,
      );
      return;
    }
    if (ctx.marts?.has(USER_EVENT_DAYS) && usesUserEventDays(q, s)) {
      // The range's bounds are UTC midnights: compare whole days. Text order as above.
      const day = (iso: string) => `cast(${params.bind(iso.slice(0, 10))} as date)`;
      const period = q.compare ? `case when a.day >= ${day(start)} then 0 else 1 end` : '0';
      const where = [
        `a.event_name = ${params.bind(s.event)}`,
        `a.day >= ${day(scanStart)}`,
        `a.day < ${day(end)}`,
      ];
      ctes.push(
        `s${i} as (\n  select ${dialect.truncate(q.interval, 'a.day')} as bucket, ${period} as period, a.user_id, cast(null as varchar) as breakdown\n  from ${USER_EVENT_DAYS} as a\n  where ${where.join('\n    and ')}\n)`,
      );
      selects.push(
        `select ${i} as series, period, bucket, breakdown, ${dialect.countDistinct('user_id')} as value\nfrom s${i}\ngroup by 2, 3, 4`,
      );
      return;
    }
    // Text order: period, breakdown, then the where clause.
    const period = q.compare
      ? `case when e.ts >= ${dialect.timestampParam(params.bind(start))} then 0 else 1 end`
      : '0';
    const breakdown = q.breakdown
      ? `coalesce(cast(${breakdownExpr(q.breakdown, params, dialect)} as varchar), '${NONE}')`
      : `cast(null as varchar)`;
    const where = [
      `e.event_name = ${params.bind(s.event)}`,
      `e.ts >= ${dialect.timestampParam(params.bind(scanStart))}`,
      `e.ts < ${dialect.timestampParam(params.bind(end))}`,
      ...q.filters.map((f) => insightFilterExpr(f, params, dialect)),
      ...s.filters.map((f) => filterExpr(f, params, dialect)),
    ];
    ctes.push(
      `s${i} as (\n  select ${dialect.truncate(q.interval, 'e.ts')} as bucket, ${period} as period, e.user_id, ${breakdown} as breakdown\n  from ${from}\n  where ${where.join('\n    and ')}\n)`,
    );
    const value = s.math === 'unique_users' ? dialect.countDistinct('user_id') : 'count(*)';
    if (q.breakdown) {
      ctes.push(
        `s${i}_top as (\n  select breakdown from s${i}${q.compare ? ' where period = 0' : ''} group by breakdown order by count(*) desc, breakdown limit ${q.breakdown.limit}\n)`,
      );
      selects.push(
        `select ${i} as series, period, bucket, case when breakdown in (select breakdown from s${i}_top) then breakdown else '${OTHER}' end as breakdown, ${value} as value\nfrom s${i}\ngroup by 2, 3, 4`,
      );
    } else
      selects.push(
        `select ${i} as series, period, bucket, breakdown, ${value} as value\nfrom s${i}\ngroup by 2, 3, 4`,
      );
  });
  const sql = `with ${ctes.join(',\n')}\n${selects.join('\nunion all\n')}\norder by series, period, bucket, breakdown`;
  return { sql, params: params.values };
}

export interface TrendsSeriesResult {
  /** Index into the query's series. */
  series: number;
  label: string;
  /** The breakdown value (OTHER / NONE for the rest / unset), null without a breakdown. */
  breakdown: string | null;
  /** 'previous': the same series over the previous period (compare), aligned bucket by bucket. */
  period: 'current' | 'previous';
  /** One value per bucket, aligned with `buckets`. */
  values: number[];
  total: number;
}

export interface TrendsFormulaResult {
  /** Index into the query's formulas. */
  formula: number;
  expression: string;
  label: string;
  breakdown: string | null;
  period: 'current' | 'previous';
  /** Null where the formula divides by zero. */
  values: Array<number | null>;
}

export interface TrendsResult {
  /** Bucket starts as ISO instants (UTC), every bucket of the range. */
  buckets: string[];
  /** With `compare`: the previous period's bucket starts, index-aligned with `buckets`. */
  previousBuckets: string[] | null;
  series: TrendsSeriesResult[];
  formulas: TrendsFormulaResult[];
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

const seriesName = (spec: TrendsQuery['series'][number]) =>
  spec.label ?? `${spec.event}${spec.math === 'unique_users' ? ' (users)' : ''}`;
const PREVIOUS = ' (previous period)';

/**
 * Rows of compileTrends (series, period, bucket, breakdown, value) → chart-ready series: every
 * bucket present (zeros in the gaps), the previous period's buckets aligned by position with the
 * range's (the first previous bucket under the first bucket), then the formulas per breakdown
 * value and period.
 */
export function shapeTrends(q: TrendsQuery, rows: readonly unknown[][]): TrendsResult {
  const buckets = bucketStarts(q.dateRange, q.interval);
  const previousBuckets = q.compare ? bucketStarts(previousRange(q.dateRange), q.interval) : null;
  const indexes = [buckets, previousBuckets ?? []].map(
    (list) => new Map(list.map((b, i) => [b, i])),
  );
  const periods = q.compare ? (['current', 'previous'] as const) : (['current'] as const);
  const byKey = new Map<string, TrendsSeriesResult>();
  const entry = (s: number, p: 0 | 1, b: string | null) => {
    const key = `${s}\u0000${p}\u0000${b ?? ''}`;
    let e = byKey.get(key);
    if (!e) {
      const name = seriesName(q.series[s]!) + (p === 1 ? PREVIOUS : '');
      e = {
        series: s,
        label: b === null ? name : `${name} · ${b}`,
        breakdown: b,
        period: p === 1 ? 'previous' : 'current',
        values: buckets.map(() => 0),
        total: 0,
      };
      byKey.set(key, e);
    }
    return e;
  };
  for (const [series, period, bucket, breakdown, value] of rows) {
    const p = Number(period) === 1 ? 1 : 0;
    const b = breakdown === null || breakdown === undefined ? null : String(breakdown);
    const e = entry(Number(series), p, b);
    const at = indexes[p]!.get(new Date(String(bucket)).toISOString());
    // A previous period with one more bucket than the range (weeks, months) loses its last.
    if (at === undefined || at >= buckets.length) continue;
    e.values[at] = Number(value);
  }
  // A series with no rows at all still shows (as zeros), so the legend matches the query.
  q.series.forEach((_, s) =>
    periods.forEach((_, p) => {
      const has = [...byKey.values()].some(
        (e) => e.series === s && e.period === (p === 1 ? 'previous' : 'current'),
      );
      if (!has) entry(s, p as 0 | 1, null);
    }),
  );
  const series = [...byKey.values()].map((e) => ({
    ...e,
    // For unique users the total is not the sum of buckets (a user active on two days counts
    // once); the sum is what the chart's legend shows and is labelled as such by the UI.
    total: e.values.reduce((a, v) => a + v, 0),
  }));
  series.sort(
    (a, b) =>
      a.series - b.series ||
      Number(a.period === 'previous') - Number(b.period === 'previous') ||
      rank(a.breakdown) - rank(b.breakdown) ||
      b.total - a.total ||
      String(a.breakdown).localeCompare(String(b.breakdown)),
  );

  // Formulas: per period and breakdown value, each letter reads its series' value in the same
  // bucket (0 where that series has no such breakdown value).
  const formulas: TrendsFormulaResult[] = [];
  q.formulas.forEach((f, fi) => {
    const tree = parseFormula(f.expression, q.series.length);
    for (const period of periods) {
      const groups = [
        ...new Set(series.filter((e) => e.period === period).map((e) => e.breakdown)),
      ];
      for (const b of groups) {
        const of = (i: number) =>
          series.find((e) => e.series === i && e.period === period && e.breakdown === b);
        const name = (f.label ?? f.expression) + (period === 'previous' ? PREVIOUS : '');
        formulas.push({
          formula: fi,
          expression: f.expression,
          label: b === null ? name : `${name} · ${b}`,
          breakdown: b,
          period,
          values: buckets.map((_, at) => evaluateFormula(tree, (i) => of(i)?.values[at] ?? 0)),
        });
      }
    }
  });
  return { buckets, previousBuckets, series, formulas };
}

const rank = (b: string | null) => (b === OTHER ? 2 : b === NONE ? 1 : 0);

export const trendsKind: InsightKind<TrendsQuery, TrendsResult> = {
  kind: 'trends',
  schema: ZTrendsQuery,
  compile: compileTrends,
  shape: shapeTrends,
  events: (q) => q.series.map((s) => s.event),
};
