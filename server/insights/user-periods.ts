// Users' active periods: the CTE retention, lifecycle and stickiness start from — one row per
// (user, period number) with one boolean per insight event ("did it in that period"). Each event
// is read from the cheapest mart that can answer it: "any event" without event-level filters
// comes from fct_user_activity_daily (one row per user and active day, an order of magnitude
// fewer rows than fact_events); a named event without event-level filters from the per-day users
// accelerator agg_user_event_days when the run has it (one row per user, day and event); the
// rest from one scan of fact_events restricted to the named events. Period numbers (dialect.periodNumber) are integers, so later steps compare
// periods with `p + 1` instead of interval arithmetic on TIMESTAMPTZ; they and the bounds come
// from `event_date` (the UTC date of `ts`), not `ts`: periods are whole days, and the DATE
// column is a fraction of the bytes of the timestamp column to read (`ts` is read only to find
// the first event of a period for an event-property breakdown).
import { z } from 'zod';
import type { Params, PeriodUnit, SqlDialect } from './dialect';
import {
  filterExpr,
  propertyExpr,
  usesUserProperty,
  ZPropertyFilter,
  type PropertyFilter,
  type PropertyRef,
} from './properties';
import { daysOf } from './periods';
import { NONE, USER_EVENT_DAYS } from './trends';

export const ZDay = z.iso.date().describe('UTC day, YYYY-MM-DD');

/** An event of a user-level insight: a named event or any event (null), with its filters. */
export const ZActivityEvent = z.object({
  event: z
    .string()
    .min(1)
    .max(200)
    .nullable()
    .describe('Event name, e.g. "logged_in"; null for any event'),
  filters: z.array(ZPropertyFilter).max(20).default([]),
});
export type ActivityEvent = z.infer<typeof ZActivityEvent>;

/** Range checks shared by the user-level insights (for a zod superRefine). */
export function checkRange(range: { from: string; to: string }, ctx: z.RefinementCtx): void {
  if (range.from > range.to)
    ctx.addIssue({ code: 'custom', path: ['dateRange'], message: '"from" is after "to"' });
  if (daysOf(range) > 3660)
    ctx.addIssue({ code: 'custom', path: ['dateRange'], message: 'At most 10 years' });
}

/** The label of an event in results. */
export const eventLabel = (e: ActivityEvent): string => e.event ?? 'Any event';

export interface UserPeriodsOptions {
  unit: PeriodUnit;
  /** One flag column `f<i>` per event; `since` (a UTC day): its events before it are not read. */
  events: Array<{ event: ActivityEvent; since?: string }>;
  /** Exclusive end (a UTC day): nothing from this day on is read. */
  until: string;
  /** Filters on every event. */
  filters: PropertyFilter[];
  /**
   * An event-level property (`event` or `event_property` source) read from the first event
   * `events[event]` of each period: column `breakdown` (NONE when unset). User properties do not
   * vary by period: callers join dim_users on the result instead.
   */
  breakdown?: { property: PropertyRef; event: number };
  /** The run has the per-day users accelerator (USER_EVENT_DAYS): named events may read it. */
  userEventDays?: boolean;
}

type Source = 'events' | 'activity' | 'days';

const all = (exprs: string[]) => (exprs.length ? exprs.join(' and ') : 'true');

/**
 * `up(user_id, p, f0…, [breakdown])`: one row per user and period in which the user did at least
 * one of the events; `f<i>` says whether they did event i. Binds in text order.
 */
export function userPeriodsCte(o: UserPeriodsOptions, params: Params, dialect: SqlDialect): string {
  const userFiltersOnly = o.filters.every((f) => f.property.source === 'user');
  // Where each event's (user, day) rows come from: fct_user_activity_daily for "any event", the
  // per-day users accelerator for a named event, fact_events for the rest (event filters, an
  // event-level breakdown on it, or event-level global filters).
  const sources: Source[] = o.events.map((x, i) =>
    x.event.filters.length === 0 && userFiltersOnly && o.breakdown?.event !== i
      ? x.event.event === null
        ? 'activity'
        : o.userEventDays
          ? 'days'
          : 'events'
      : 'events',
  );
  const flags = o.events.map((_, i) => `f${i}`);
  const scans: string[] = [];
  const since = (source: Source) => {
    const days = o.events.filter((_, i) => sources[i] === source).map((x) => x.since);
    return days.some((d) => d === undefined) ? undefined : days.sort()[0];
  };
  const withUsers = (table: string) =>
    usesUserProperty(o.filters.map((f) => f.property))
      ? `${table} as a left join dim_users as u on u.user_id = a.user_id`
      : `${table} as a`;

  if (sources.includes('events')) {
    const refs = [
      ...o.filters.map((f) => f.property),
      ...o.events.flatMap((x, i) =>
        sources[i] === 'events' ? x.event.filters.map((f) => f.property) : [],
      ),
      ...(o.breakdown ? [o.breakdown.property] : []),
    ];
    const from = usesUserProperty(refs)
      ? 'fact_events as e left join dim_users as u on u.user_id = e.user_id'
      : 'fact_events as e';
    const select = [
      'e.user_id',
      `${dialect.periodNumber(o.unit, 'e.event_date')} as p`,
      ...o.events.map((x, i) =>
        sources[i] !== 'events'
          ? `false as f${i}`
          : `coalesce(${all([
              ...(x.event.event === null ? [] : [`e.event_name = ${params.bind(x.event.event)}`]),
              ...x.event.filters.map((f) => filterExpr(f, params, dialect)),
            ])}, false) as f${i}`,
      ),
    ];
    if (o.breakdown)
      select.push(
        `coalesce(cast(${propertyExpr(o.breakdown.property, params, dialect)} as varchar), '${NONE}') as breakdown`,
        'e.ts',
      );
    const start = since('events');
    const where = [
      `e.event_date < cast(${params.bind(o.until)} as date)`,
      ...(start ? [`e.event_date >= cast(${params.bind(start)} as date)`] : []),
    ];
    const named = o.events.filter((_, i) => sources[i] === 'events').map((x) => x.event.event);
    if (!named.includes(null))
      where.push(`e.event_name in (${[...new Set(named)].map((n) => params.bind(n)).join(', ')})`);
    where.push(...o.filters.map((f) => filterExpr(f, params, dialect)));
    scans.push(
      `select ${select.join(', ')}\n    from ${from}\n    where ${where.join('\n      and ')}`,
    );
  }

  // The two pre-aggregated sources: one row per user and day (and event, for the accelerator).
  const aggregated = (source: 'activity' | 'days', table: string, day: string) => {
    if (!sources.includes(source)) return;
    const select = [
      'a.user_id',
      `${dialect.periodNumber(o.unit, `a.${day}`)} as p`,
      ...o.events.map((x, i) =>
        sources[i] !== source
          ? `false as f${i}`
          : source === 'activity'
            ? `true as f${i}`
            : `a.event_name = ${params.bind(x.event.event)} as f${i}`,
      ),
    ];
    if (o.breakdown)
      select.push(
        'cast(null as varchar) as breakdown',
        'cast(null as timestamp with time zone) as ts',
      );
    const start = since(source);
    const where = [
      `a.${day} < cast(${params.bind(o.until)} as date)`,
      ...(start ? [`a.${day} >= cast(${params.bind(start)} as date)`] : []),
    ];
    if (source === 'days') {
      const named = o.events.filter((_, i) => sources[i] === 'days').map((x) => x.event.event!);
      where.push(`a.event_name in (${[...new Set(named)].map((n) => params.bind(n)).join(', ')})`);
    }
    where.push(...o.filters.map((f) => filterExpr(f, params, dialect)));
    scans.push(
      `select ${select.join(', ')}\n    from ${withUsers(table)}\n    where ${where.join('\n      and ')}`,
    );
  };
  aggregated('activity', 'fct_user_activity_daily', 'event_date');
  aggregated('days', USER_EVENT_DAYS, 'day');

  const aggregates = flags.map((f) => `bool_or(${f}) as ${f}`);
  if (o.breakdown) {
    const f = `f${o.breakdown.event}`;
    aggregates.push(
      `min_by(case when ${f} then breakdown end, case when ${f} then ts end) as breakdown`,
    );
  }
  return `up as (\n  select user_id, p, ${aggregates.join(', ')}\n  from (\n    ${scans.join('\n    union all\n    ')}\n  ) as s\n  group by user_id, p\n  having ${flags.map((f) => `bool_or(${f})`).join(' or ')}\n)`;
}
