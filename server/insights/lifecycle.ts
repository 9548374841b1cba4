// Lifecycle (PostHog's): per bucket of the range, the users who did the event split by how they
// relate to the previous bucket. ZLifecycleQuery is the serialisable query object;
// compileLifecycle turns it into one SQL statement for a dialect (pure) over the users' active
// periods (user-periods.ts) with one lag/lead pass per user; shapeLifecycle returns four series
// over every bucket of the range.
//
// Semantics, for a user and a bucket B (a whole UTC day, Monday-week or month; "active" = did the
// event, with its filters and the insight's, in that bucket):
// - new: active in B, and B holds their first-ever such event (in all the data, not only the
//   range);
// - returning: active in B and in the bucket before B;
// - resurrecting: active in B, not in the bucket before, but active some time before that;
// - dormant: active in the bucket before B but not in B — reported as a negative count, as
//   PostHog does, so the stacked chart shows losses below the axis.
// The buckets are every period containing a day of the range (the first may start before
// `from`, and the bucket before the first is read too); nothing after `to` is read, so a partial
// last bucket shows its users so far (and its dormant count is provisional).
import { z } from 'zod';
import { Params, type SqlDialect } from './dialect';
import { USER_EVENT_DAYS } from './trends';
import type { CompiledQuery, InsightKind, CompileContext } from './kind';
import { nextDay, periodSpan, periodStart } from './periods';
import { ZPropertyFilter } from './properties';
import { checkRange, eventLabel, userPeriodsCte, ZActivityEvent, ZDay } from './user-periods';

export const ZLifecycleQuery = z
  .object({
    kind: z.literal('lifecycle'),
    event: ZActivityEvent,
    interval: z.enum(['day', 'week', 'month']).default('day'),
    /** Inclusive UTC days. */
    dateRange: z.object({ from: ZDay, to: ZDay }),
    filters: z.array(ZPropertyFilter).max(20).default([]),
  })
  .superRefine((q, ctx) => checkRange(q.dateRange, ctx));
export type LifecycleQuery = z.infer<typeof ZLifecycleQuery>;
/** What callers send (defaults not yet applied). */
export type LifecycleQueryInput = z.input<typeof ZLifecycleQuery>;

export const LIFECYCLE_STATUSES = ['new', 'returning', 'resurrecting', 'dormant'] as const;
export type LifecycleStatus = (typeof LIFECYCLE_STATUSES)[number];

/**
 * One statement: `up` (every active period of every user, all history up to `to`), `st` (each
 * with the user's previous and next active period), `statuses` (one row per user and bucket of
 * the range with a status; dormant rows sit in the bucket after the last active one). Rows are
 * (bucket, new, returning, resurrecting, dormant) — one per bucket with any user, counts ≥ 0.
 */
export function compileLifecycle(
  q: LifecycleQuery,
  dialect: SqlDialect,
  ctx: CompileContext = {},
): CompiledQuery {
  // Parameters are bound in the order their placeholders appear in the text and never reused:
  // Trino's placeholders are positional `?`.
  const params = new Params(dialect);
  const { first, last } = periodSpan(q.dateRange, q.interval);
  const up = userPeriodsCte(
    {
      unit: q.interval,
      events: [{ event: q.event }],
      until: nextDay(q.dateRange.to),
      filters: q.filters,
      userEventDays: !!ctx.marts?.has(USER_EVENT_DAYS),
    },
    params,
    dialect,
  );
  const st = `st as (\n  select p,\n    lag(p) over (partition by user_id order by p) as prev_p,\n    lead(p) over (partition by user_id order by p) as next_p\n  from up\n)`;
  const statuses = `statuses as (\n  select p as bucket, case when prev_p is null then 'new' when prev_p = p - 1 then 'returning' else 'resurrecting' end as status\n  from st\n  where p >= ${first}\n  union all\n  select p + 1, 'dormant'\n  from st\n  where p + 1 >= ${first} and p + 1 <= ${last} and (next_p is null or next_p > p + 1)\n)`;
  const counts = LIFECYCLE_STATUSES.map(
    (s) => `count(case when status = '${s}' then 1 end) as ${s}_users`,
  );
  const sql = `with ${up},\n${st},\n${statuses}\nselect bucket, ${counts.join(', ')}\nfrom statuses\ngroup by bucket\norder by bucket`;
  return { sql, params: params.values };
}

export interface LifecycleSeries {
  status: LifecycleStatus;
  label: string;
  /** One value per bucket, aligned with `buckets`; dormant values are ≤ 0. */
  values: number[];
  total: number;
}

export interface LifecycleResult {
  /** Bucket starts as ISO instants (UTC), every bucket of the range. */
  buckets: string[];
  /** new, returning, resurrecting, dormant — always all four. */
  series: LifecycleSeries[];
}

/** Rows of compileLifecycle (bucket, new, returning, resurrecting, dormant) → four series. */
export function shapeLifecycle(q: LifecycleQuery, rows: readonly unknown[][]): LifecycleResult {
  const { first, last } = periodSpan(q.dateRange, q.interval);
  const buckets: string[] = [];
  for (let b = first; b <= last; b++) buckets.push(periodStart(q.interval, b));
  const series = LIFECYCLE_STATUSES.map((status): LifecycleSeries => ({
    status,
    label: `${eventLabel(q.event)} · ${status}`,
    values: buckets.map(() => 0),
    total: 0,
  }));
  for (const [bucket, ...counts] of rows) {
    const at = Number(bucket) - first;
    if (at < 0 || at >= buckets.length) continue;
    series.forEach((s, i) => {
      const v = Number(counts[i] ?? 0);
      s.values[at] = s.status === 'dormant' && v !== 0 ? -v : v;
    });
  }
  for (const s of series) s.total = s.values.reduce((a, v) => a + v, 0);
  return { buckets, series };
}

export const lifecycleKind: InsightKind<LifecycleQuery, LifecycleResult> = {
  kind: 'lifecycle',
  schema: ZLifecycleQuery,
  compile: compileLifecycle,
  shape: shapeLifecycle,
  events: (q) => (q.event.event === null ? [] : [q.event.event]),
};
