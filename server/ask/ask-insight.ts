// An Ask answer as an editable trends insight (pure: askPlanToInsight). "Open as insight" must
// show the numbers the answer showed, so a plan converts only when the trends query computes
// exactly what compileAskPlan's SQL computes; otherwise the result says why, in words a PM reads,
// and points to the SQL editor (which opens the answer's own SQL).
//
// What makes the two agree (see server/insights/trends.ts, properties.ts, insight-filters.ts):
// - Rows: Ask reads fact_events by event_date (the UTC date of ts) between inclusive days; trends
//   reads e.ts in [from, to + 1 day) UTC — the same rows. fact_events.user_id is never null and
//   dim_users has one row per user_id of fact_events (dbt/models/marts/_marts.yml), so Ask's inner
//   join to dim_users and trends' left join keep the same events, and both read a user's
//   current attributes.
// - Metrics: `events` is count(*) = trends `total`; `users` is count(distinct user_id) = trends
//   `unique_users`, per bucket. A trends series needs an event: there is no "any event".
// - Totals: shapeTrends' total is the SUM of the buckets. For events that is the count over the
//   range whatever the interval; for unique users it counts a user once per bucket, so an Ask
//   total of distinct users converts only when the whole range is one bucket (one day, one
//   Monday-week or one calendar month — events outside the range are filtered out, so a partial
//   bucket holds exactly the range).
// - Breakdowns: trends keeps the top `limit` (at most 50) values by EVENT COUNT over the range
//   (ties by value) and folds the rest into "Other"; unset values are "(not set)". The named
//   values' numbers are exact; which values get named is Ask's only when Ask ranks by events
//   (highest first) or when every value fits.
import { columnSql, ZAskPlan, type AskPlan, type Metric } from './ask-plan';
import type { ColumnRef } from './ask-lexicon';
import {
  EVENT_COLUMNS,
  USER_COLUMNS,
  type PropertyFilter,
  type PropertyRef,
} from '../insights/properties';
import { ZTrendsQuery, type TrendsQuery, type TrendsQueryInput } from '../insights/trends';

/** The trends chart types (components/insights/kinds/trends.tsx) an answer opens as. */
export type AskInsightChartType = 'line' | 'bar' | 'number';

export type AskInsight =
  | { ok: true; query: TrendsQuery; chartType: AskInsightChartType; notes?: string[] }
  | { ok: false; reason: string };

export interface AskInsightOptions {
  /** First and last UTC day of the workspace's events: the range of "all the data". */
  dataRange: { from: string; to: string };
}

type Interval = TrendsQuery['interval'];
type Range = { from: string; to: string };

/** The most values a trends breakdown names (ZInsightBreakdown's limit, insight-filters.ts). */
export const MAX_BREAKDOWN_VALUES = 50;
/** The longest trends range (ZTrendsQuery), in days. */
const MAX_RANGE_DAYS = 3660;

/** As ask-plan.ts (not exported there): columns a plan filters by truth, not by value. */
const BOOLEAN_COLUMNS = new Set(['is_churned', 'converted']);
/** dim_users DATE columns: Ask compares them as dates, trends as 'YYYY-MM-DD' text. */
const DATE_COLUMNS = new Set(['signup_date', 'cohort_month']);
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const GRAIN_ADJECTIVE = { day: 'daily', week: 'weekly', month: 'monthly' } as const;

const SQL_EDITOR = 'open it in the SQL editor instead.';
const no = (why: string): AskInsight => ({ ok: false, reason: `${why}; ${SQL_EDITOR}` });

/** Why each metric other than users/events has no trends equivalent. */
const METRIC_REASONS: Record<Exclude<Metric, 'users' | 'events'>, string> = {
  sessions:
    'Sessions are counted from the sessions table, not from events, so they are not a trends insight',
  avg_session_duration: 'An average session length is not a trends insight',
  sessions_per_user:
    'Sessions per user come from the sessions table, so they are not a trends insight',
  mrr: 'Revenue (MRR) comes from subscriptions, not events, so it is not a trends insight',
  subscriptions:
    'Subscriptions are counted from the subscriptions table, not from events, so they are not a trends insight',
  experiment_conversion: 'An experiment’s conversion rate is not a trends insight',
  user_count:
    'A count of all users is not a trends insight (trends counts the users who did an event)',
  churned_users: 'A count of churned users is a current figure, not a trends insight',
  churn_rate: 'A churn rate is a current figure, not a trends insight',
  share: 'Shares between two events are not a trends insight',
  events_per_user: 'Events per user is a ratio, not a trends insight',
  funnel: 'A funnel answer follows the 14-day convention of Ask, not a trends insight',
  converted_users:
    'Converted users of an experiment come from the exposures table, not a trends insight',
  exposed_users:
    'Users exposed to an experiment come from the exposures table, not a trends insight',
  property_avg: 'An average of an event property is not a trends insight',
  session_avg: 'A per-session average is not a trends insight',
  user_avg: 'An average of a user attribute is not a trends insight',
  avg_mrr: 'Average MRR comes from subscriptions, not events, so it is not a trends insight',
  time_between: 'The time between two events per user is not a trends insight',
  stickiness: 'Stickiness (DAU/MAU) is a ratio for one day, not a trends insight',
};

const isEventColumn = (c: string): c is (typeof EVENT_COLUMNS)[number] =>
  (EVENT_COLUMNS as readonly string[]).includes(c);
const isUserColumn = (c: string): c is (typeof USER_COLUMNS)[number] =>
  (USER_COLUMNS as readonly string[]).includes(c);

const describeColumn = (c: ColumnRef) =>
  c.property ? `${c.property.event}.${c.property.key}` : c.column;

/** The trends property of a plan column, or why there is none. */
function propertyOf(c: ColumnRef): { ref: PropertyRef } | { reason: string } {
  if (c.property && c.table === 'fact_events')
    return { ref: { source: 'event_property', name: c.property.key } };
  if (!c.property && c.table === 'fact_events' && isEventColumn(c.column))
    return { ref: { source: 'event', name: c.column } };
  if (!c.property && c.table === 'dim_users' && isUserColumn(c.column))
    return { ref: { source: 'user', name: c.column } };
  return {
    reason: `A trends insight cannot filter or break down by “${describeColumn(c)}” (${c.table})`,
  };
}

type PlanFilter = AskPlan['filters'][number];

/** A plan filter as a trends filter, or why it has none. */
function filterOf(f: PlanFilter, event: string): { filter: PropertyFilter } | { reason: string } {
  const c = f.column;
  // Ask reads a property filter as "an event of that name with that value": on another event
  // than the one counted it matches nothing, which trends (keyed by name only) would not say.
  if (c.property && c.property.event !== event)
    return {
      reason: `The filter on ${describeColumn(c)} is about ${c.property.event} events, not the ${event} events counted here, so a trends insight would not give the same numbers`,
    };
  const mapped = propertyOf(c);
  if ('reason' in mapped) return mapped;
  const property = mapped.ref;
  if (f.op) {
    // A comparison with a number: trends compares greater or less than, or equal.
    const value = Number(f.values[0]);
    if (f.op === '>') return { filter: { property, op: 'gt', value } };
    if (f.op === '<') return { filter: { property, op: 'lt', value } };
    if (f.op === '=') return { filter: { property, op: 'eq', value: f.values[0]! } };
    return {
      reason: `A trends filter compares greater or less than a number, not “${f.op}”`,
    };
  }
  // As compileAskPlan: only the first value counts, and anything but 'false' means true.
  if (!c.property && BOOLEAN_COLUMNS.has(c.column))
    return { filter: { property, op: 'eq', value: f.values[0] !== 'false' } };
  if (!c.property && DATE_COLUMNS.has(c.column) && !f.values.every((v) => ISO_DAY.test(v)))
    return {
      reason: `The ${c.column} filter is not a list of days (YYYY-MM-DD), so a trends insight would compare it differently`,
    };
  return {
    filter:
      f.values.length === 1
        ? { property, op: 'eq', value: f.values[0]! }
        : { property, op: 'in', value: [...f.values] },
  };
}

/**
 * How many values the breakdown can take, when the plan says: a true/false column (with unset),
 * the event name (the plan counts one event), or a filter on the same column.
 */
function knownValueCount(plan: AskPlan, breakdown: ColumnRef): number | undefined {
  const counts: number[] = [];
  if (!breakdown.property && BOOLEAN_COLUMNS.has(breakdown.column)) counts.push(3);
  if (!breakdown.property && breakdown.table === 'fact_events' && breakdown.column === 'event_name')
    counts.push(1);
  const expr = columnSql(breakdown);
  for (const f of plan.filters)
    if (columnSql(f.column) === expr)
      counts.push(
        !f.column.property && BOOLEAN_COLUMNS.has(f.column.column) ? 1 : new Set(f.values).size,
      );
  return counts.length ? Math.min(...counts) : undefined;
}

const DAY_MS = 86_400_000;
const dayCount = (r: Range) => (Date.parse(r.to) - Date.parse(r.from)) / DAY_MS + 1;
const mondayOf = (day: string) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
};

/** The finest interval whose one bucket holds the whole range, if any. */
function singleBucket(r: Range): Interval | undefined {
  if (r.from === r.to) return 'day';
  if (mondayOf(r.from) === mondayOf(r.to)) return 'week';
  if (r.from.slice(0, 7) === r.to.slice(0, 7)) return 'month';
  return undefined;
}

/** An interval that keeps a long range readable if the chart is switched to a line. */
const readableInterval = (r: Range): Interval =>
  dayCount(r) <= 31 ? 'day' : dayCount(r) <= 183 ? 'week' : 'month';

/**
 * The plan as a trends query that computes the same numbers as compileAskPlan's SQL, with the
 * chart to show it in (a trend: line; one figure: number; one figure per value: bar), or why
 * there is none. `notes` say where the insight shows more than the answer (an "Other" value,
 * summed totals) without changing the answer's numbers.
 */
export function askPlanToInsight(input: AskPlan, options: AskInsightOptions): AskInsight {
  const parsed = ZAskPlan.safeParse(input);
  if (!parsed.success) return no('This answer’s plan is not valid');
  const plan = parsed.data;
  if (plan.metric !== 'users' && plan.metric !== 'events') return no(METRIC_REASONS[plan.metric]);
  if (plan.also?.length)
    return no('Two figures of the same rows side by side are not one trends insight');
  if (plan.versus) return no('Two periods compared are not one trends insight');
  if (plan.inactive)
    return no('Users who did not do something are not a trends insight (it counts what was done)');
  if (plan.alsoBy)
    return no('A trends insight breaks down by one property, and this answer by two');
  if (plan.list) return no('A list of users is not a trends insight');
  if (plan.cohort)
    return no(
      'A count narrowed to the users who did another event in another period is not a trends insight',
    );
  if (plan.perUser)
    return no('Users counted by how many times or days they did something is not a trends insight');
  if (plan.every)
    return no('Users who did the event with every one of several values is not a trends insight');
  if (plan.firstTime)
    return no('Users counted on their first time doing something is not a trends insight');
  if (plan.part)
    return no('A share of a part of the counted events or users is not a trends insight');
  if (plan.shareOfTotal) return no('Each value’s share of the whole is not a trends insight');
  if (plan.average) return no('An average over days, weeks or months is not a trends insight');
  const counted = plan.metric === 'users' ? 'users' : 'events';
  if (!plan.event)
    return no(
      `A trends insight counts one event, and this answer counts ${counted === 'users' ? 'users active in any event' : 'all events together'}`,
    );
  const event = plan.event;
  const notes: string[] = [];

  // Filters: event properties belong to the counted event, so they go on its series (the
  // editor offers that event's properties there); columns apply to the whole insight. With one
  // series both mean the same rows.
  const seriesFilters: PropertyFilter[] = [];
  const insightFilters: PropertyFilter[] = [];
  for (const f of plan.filters) {
    const converted = filterOf(f, event);
    if ('reason' in converted) return no(converted.reason);
    (f.column.property ? seriesFilters : insightFilters).push(converted.filter);
  }

  // Ask's `limit` keeps the first rows of its ranking: with a grain those are (bucket, value)
  // rows, which a trends chart (every bucket) cannot keep; with neither grain nor breakdown
  // there is one row and it does nothing.
  if (plan.grain && plan.limit !== undefined)
    return no(
      `This answer keeps only the top ${plan.limit} of its ${GRAIN_ADJECTIVE[plan.grain]} figures, and a trends insight shows every ${plan.grain}`,
    );

  let breakdown: TrendsQueryInput['breakdown'];
  if (plan.breakdown) {
    const mapped = propertyOf(plan.breakdown);
    if ('reason' in mapped) return no(mapped.reason);
    const known = knownValueCount(plan, plan.breakdown);
    const fits = (n: number) => known !== undefined && known <= n;
    let limit: number;
    if (plan.limit === undefined) {
      // Every value, up to trends' most; the named values are exact whatever the rest.
      limit = MAX_BREAKDOWN_VALUES;
      if (!fits(MAX_BREAKDOWN_VALUES))
        notes.push(
          `The insight names the ${MAX_BREAKDOWN_VALUES} values with the most events; if there are more, the rest are grouped as “Other” (this answer lists each one).`,
        );
    } else if (fits(Math.min(plan.limit, MAX_BREAKDOWN_VALUES))) {
      // Every value is in the answer anyway: the ranking picks nothing out.
      limit = Math.min(plan.limit, MAX_BREAKDOWN_VALUES);
    } else if (
      plan.order === 'desc' &&
      plan.metric === 'events' &&
      plan.limit <= MAX_BREAKDOWN_VALUES
    ) {
      // Trends' top N is by event count, highest first, ties by value: Ask's ranking of events
      // (`order by events desc, 1`). Only a tie at the cut involving the unset value could
      // differ (trends sorts it as '$none', first; Ask's null sorts last).
      limit = plan.limit;
      notes.push(
        `Values outside the top ${plan.limit} are grouped as “Other” in the insight; the top ${plan.limit} are this answer’s.`,
      );
    } else if (plan.limit > MAX_BREAKDOWN_VALUES) {
      return no(
        `A trends breakdown names at most ${MAX_BREAKDOWN_VALUES} values, and this answer lists up to ${plan.limit}`,
      );
    } else if (plan.order === 'desc') {
      return no(
        `A trends breakdown keeps the values with the most events, not the most users, so its top ${plan.limit} could differ from this answer’s`,
      );
    } else if (plan.order === 'asc') {
      return no(
        `A trends breakdown keeps the values with the most events, not the fewest, so it cannot show this answer’s bottom ${plan.limit}`,
      );
    } else {
      return no(`This answer keeps ${plan.limit} values without ranking them`);
    }
    breakdown = { property: mapped.ref, limit };
  }

  // Dates: inclusive UTC days in both. An open-ended period runs to the last day of data.
  const dateRange: Range = plan.period
    ? { from: plan.period.from, to: plan.period.to ?? options.dataRange.to }
    : { ...options.dataRange };
  if (dateRange.from > dateRange.to)
    return plan.period && !plan.period.to
      ? {
          ok: false,
          reason:
            'This period starts after the last day of data, so there is nothing to chart yet.',
        }
      : no('The period ends before it starts');
  if (dayCount(dateRange) > MAX_RANGE_DAYS)
    return no('A trends insight covers at most 10 years, and this period is longer');

  let interval: Interval;
  if (plan.grain) {
    interval = plan.grain;
    if (plan.metric === 'users')
      notes.push(
        `Each ${plan.grain}’s users are this answer’s; the insight’s totals add them up, so a user active in several ${plan.grain}s counts more than once there.`,
      );
  } else if (plan.metric === 'users') {
    const one = singleBucket(dateRange);
    if (!one)
      return no(
        'Over this period a trends insight adds up each month’s users, counting a user active in two months twice, while this answer counts each user once',
      );
    interval = one;
  } else {
    // A sum of buckets is the count over the range whatever the interval.
    interval = singleBucket(dateRange) ?? readableInterval(dateRange);
  }

  const query: TrendsQueryInput = {
    kind: 'trends',
    series: [
      { event, math: plan.metric === 'users' ? 'unique_users' : 'total', filters: seriesFilters },
    ],
    interval,
    dateRange,
    filters: insightFilters,
    ...(breakdown ? { breakdown } : {}),
  };
  const checked = ZTrendsQuery.safeParse(query);
  if (!checked.success)
    return no(
      `This answer cannot be opened as a trends insight (${checked.error.issues[0]?.message ?? 'invalid query'})`,
    );
  const chartType: AskInsightChartType = plan.grain ? 'line' : plan.breakdown ? 'bar' : 'number';
  return { ok: true, query: checked.data, chartType, ...(notes.length ? { notes } : {}) };
}
