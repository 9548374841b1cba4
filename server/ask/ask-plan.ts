// The typed plan an Ask question becomes (by the offline planner, ask-planner.ts) and its
// compilation to one read-only SQL statement over the workspace's marts with a plain-English
// explanation (pure: compileAskPlan). The plan, not SQL, is what a planner produces, so every
// answer's SQL is written here from validated parts: names from the lexicon, values quoted.
import { z } from 'zod';
import { sqlString } from '../query/sql-quote';
import type { QueryDialect } from '../query/query-engine';
import { duckdbDialect, trinoDialect, type SqlDialect } from '../insights/dialect';
import { addDays } from './ask-periods';
import type { ColumnRef, MartTable } from './ask-lexicon';

export const METRICS = [
  'users',
  'events',
  'sessions',
  'avg_session_duration',
  'mrr',
  'subscriptions',
  'experiment_conversion',
  'user_count',
  'churned_users',
  'churn_rate',
  'share',
  'events_per_user',
  'funnel',
  'exposed_users',
  'converted_users',
  'property_avg',
  'session_avg',
  'avg_mrr',
  'user_avg',
  'time_between',
  'stickiness',
  'sessions_per_user',
] as const;
export type Metric = (typeof METRICS)[number];

const ZIdent = z.string().regex(/^[a-z_][a-z0-9_]*$/i, 'an identifier');
const ZDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');

export const ZColumnRef = z.object({
  table: z.enum([
    'fact_events',
    'dim_users',
    'fct_sessions',
    'fct_subscriptions',
    'fct_experiment_exposures',
    'dim_features',
  ]),
  column: ZIdent,
  property: z.object({ event: z.string().min(1).max(200), key: ZIdent }).optional(),
});

const ZFilter = z
  .object({
    column: ZColumnRef,
    values: z.array(z.string().max(500)).min(1).max(50),
    /** A comparison with one number ("lasted longer than 600 seconds"), not equality. */
    op: z.enum(['>', '>=', '<', '<=', '=']).optional(),
  })
  .refine((f) => !f.op || (f.values.length === 1 && /^-?\d+(\.\d+)?$/.test(f.values[0]!)), {
    message: 'a comparison takes one number',
  });

/** Metrics a `part` can divide: counts of rows or of users. */
export const PART_METRICS = new Set<Metric>([
  'users',
  'events',
  'sessions',
  'subscriptions',
  'user_count',
]);

export const ZAskPlan = z.object({
  metric: z.enum(METRICS),
  /** Only rows of this event (fact_events metrics); for `share`, the users who did it. */
  event: z.string().min(1).max(200).optional(),
  /** `share`: of the users who did `event` (in the period), those who did this (any time). */
  thenEvent: z.string().min(1).max(200).optional(),
  /**
   * `funnel`: the steps in order (users who did the first in the period, then each next one after
   * the previous, within 14 days of the first), and what to give: the users at each step, the
   * users who completed it, or the conversion from the first step to the last.
   */
  steps: z.array(z.string().min(1).max(200)).min(2).max(10).optional(),
  /**
   * `share`: when the second event must have happened ("… were active in October"): without it,
   * at any time in the data. Without `thenEvent`, any event ("active").
   */
  thenPeriod: z
    .object({ from: ZDate, to: ZDate.optional(), label: z.string().max(300) })
    .optional(),
  /**
   * `share`: the second event (or any) on a day this many days after the user's first day of
   * `event` in the period, inclusive ("any event 7 to 13 days after signup": week-1 retention).
   */
  thenDays: z
    .object({ from: z.number().int().min(0).max(366), to: z.number().int().min(0).max(366) })
    .refine((d) => d.from <= d.to, { message: 'from ≤ to' })
    .optional(),
  /** `share`: what the second event must have ("used the dashboards feature"): its own columns. */
  thenFilters: z.array(ZFilter).max(5).optional(),
  funnel: z.enum(['steps', 'completed', 'conversion', 'row']).optional(),
  /** `funnel`: the days after the first step every later step must fall in (default 14). */
  windowDays: z.number().int().min(1).max(366).optional(),
  filters: z.array(ZFilter),
  /**
   * A part of the whole: the share of what the metric counts (users, events, sessions,
   * subscriptions, all users) that also matches this filter ("what share of logins used Google").
   */
  part: ZFilter.optional(),
  /**
   * With a breakdown: each row's count as a share of the whole (every value, not only the rows
   * kept): "what share of exports were csv vs pdf". `keep`: the values whose rows are shown.
   */
  shareOfTotal: z
    .object({ keep: z.array(z.string().max(500)).min(1).max(50).optional() })
    .optional(),
  /**
   * `events_per_user`: distinct values of this column per user, not events ("how many distinct
   * features did they use on average").
   */
  distinctOf: ZColumnRef.optional(),
  /** `property_avg`: the numeric event property averaged (search_performed.results_count). */
  measure: ZColumnRef.optional(),
  /** `experiment_conversion`: the difference of two variants' rates, the first minus the second. */
  lift: z.tuple([z.string().min(1).max(200), z.string().min(1).max(200)]).optional(),
  /** With a grain: the average of the metric over the grain's buckets ("average DAU in October"). */
  average: z.boolean().optional(),
  /**
   * `share`: one share per week or month of the users' first `event` ("week-1 retention by
   * signup week").
   */
  cohortGrain: z.enum(['week', 'month']).optional(),
  /** With `average`: one average per this coarser unit ("average DAU per month"). */
  averageBy: z.enum(['week', 'month']).optional(),
  /**
   * `events_per_user`: per user of dim_users, those who never did it counting as zero ("users
   * with no errors count as zero"), not only per user who did it.
   */
  allUsers: z.boolean().optional(),
  /**
   * `users`: only those whose first `event` (with the filters, of each breakdown value) ever is
   * in the period ("used ai_summaries for the first time in October").
   */
  firstTime: z.boolean().optional(),
  /**
   * `users`: only those who did the event with every value of the filter that has several
   * ("used both gantt_chart and time_tracking"), not with any of them.
   */
  every: z.boolean().optional(),
  /**
   * `users`: only those whose rows (events, or distinct days) in the period compare so with
   * `n` ("active on 5 or more days", "exported more than 3 reports").
   */
  perUser: z
    .object({
      /** `values`: distinct values of `distinctOf` ("5 or more different features"). */
      of: z.enum(['events', 'days', 'values']),
      op: z.enum(['>', '>=', '<', '<=', '=']),
      n: z.number().int().min(0).max(1_000_000),
    })
    .optional(),
  /**
   * Only the rows of users who did `event` in `period` ("of the users who signed up in August,
   * how many were active in October"): `users` and `events` counts.
   */
  cohort: z
    .object({
      event: z.string().min(1).max(200),
      period: z
        .object({ from: ZDate, to: ZDate.optional(), label: z.string().max(300) })
        .optional(),
      /**
       * The counted rows within this many hours after the user's `event` ("completed onboarding
       * within 24 hours of signing up"), at or after it.
       */
      withinHours: z
        .number()
        .int()
        .min(1)
        .max(24 * 366)
        .optional(),
    })
    .optional(),
  /** `users`: the users themselves (their user_id), not their number ("list the users who…"). */
  list: z.boolean().optional(),
  /** Averages (session duration, a numeric property, per session, MRR): the median instead. */
  median: z.boolean().optional(),
  period: z.object({ from: ZDate, to: ZDate.optional(), label: z.string().max(300) }).optional(),
  grain: z.enum(['day', 'week', 'month']).optional(),
  breakdown: ZColumnRef.optional(),
  /**
   * `users`: the users of dim_users who did NOT do `event` (any event without one) in the
   * period ("users with no activity in the last 30 days", "pro users who never exported").
   */
  inactive: z.boolean().optional(),
  /**
   * `mrr` moved in the period rather than held: `new`, the starting MRR of the subscriptions
   * started in it; `churned`, the MRR of the subscriptions cancelled (ended) in it.
   */
  mrrFlow: z.enum(['new', 'churned']).optional(),
  /** A second breakdown: one row per pair of values ("by app version and platform"). */
  alsoBy: ZColumnRef.optional(),
  order: z.enum(['desc', 'asc']).optional(),
  limit: z.number().int().min(1).max(1000).optional(),
  unit: z.enum(['seconds', 'minutes', 'hours', 'days']).optional(),
  /** `time_between` in days: whole calendar days between the two dates (UTC), not 24-hour spans. */
  calendarDays: z.boolean().optional(),
  percent: z.boolean().optional(),
  /** A share of a part as a rate per this many rows ("errors per 1,000 events"). */
  perUnits: z.number().int().min(2).max(1_000_000).optional(),
  /**
   * Other metrics of the same rows, side by side after the metric ("sessions per day, with the
   * average length"; "users per variant and the share who converted"): one of COMPANIONS' groups.
   */
  also: z.array(z.enum(METRICS)).min(1).max(3).optional(),
  /**
   * Two periods compared: the metric in `period` and in this one, as a row each (earlier
   * first), the difference (`period`'s minus this one's) or the change from this one to
   * `period`'s (a fraction, or percent with `percent`).
   */
  versus: z
    .object({
      period: z.object({ from: ZDate, to: ZDate, label: z.string().max(300) }),
      /**
       * rows: a row per period; columns: one row (per breakdown value), a column per period;
       * both: `users` who are counted in both periods.
       */
      as: z.enum(['rows', 'columns', 'difference', 'change', 'both']),
    })
    .optional(),
});
export type AskPlan = z.infer<typeof ZAskPlan>;

/**
 * Metrics one statement computes together: each group reads the same table under the same
 * conditions (no metric of a group adds a row condition of its own), so they share a query.
 */
export const COMPANIONS: readonly (readonly Metric[])[] = [
  ['sessions', 'avg_session_duration', 'session_avg', 'sessions_per_user'],
  ['exposed_users', 'experiment_conversion', 'converted_users'],
  ['user_count', 'churn_rate'],
  // (Distinct users ignore the events without a user; the events count them.)
  ['events', 'users'],
];

/** "a", "a and b", "a; b and c" (the parts may hold commas of their own). */
const listed = (parts: string[]): string =>
  parts.length > 2 ? `${parts.slice(0, -1).join('; ')} and ${parts.at(-1)}` : parts.join(' and ');

const companionsOf = (m: Metric): readonly Metric[] =>
  COMPANIONS.find((group) => group.includes(m)) ?? [];

/** Each metric in a PM's words, for the messages of plans whose parts do not go together. */
const METRIC_WORDS: Record<Metric, string> = {
  users: 'a count of users',
  events: 'a count of events',
  sessions: 'a count of sessions',
  avg_session_duration: 'the average session length',
  mrr: 'MRR',
  subscriptions: 'a count of subscriptions',
  experiment_conversion: 'an experiment’s conversion',
  user_count: 'a count of all users',
  churned_users: 'a count of churned users',
  churn_rate: 'the churn rate',
  share: 'a share of users',
  events_per_user: 'events per user',
  funnel: 'a funnel',
  exposed_users: 'a count of users in an experiment',
  converted_users: 'a count of an experiment’s converted users',
  property_avg: 'an average of an event property',
  session_avg: 'an average per session',
  avg_mrr: 'the average MRR',
  user_avg: 'an average per user',
  time_between: 'the time between two events',
  stickiness: 'stickiness (DAU/MAU)',
  sessions_per_user: 'sessions per user',
};
export const metricWords = (m: Metric): string => METRIC_WORDS[m];
const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** The table each metric is computed from. */
export const METRIC_TABLE: Record<Metric, MartTable> = {
  users: 'fact_events',
  events: 'fact_events',
  share: 'fact_events',
  events_per_user: 'fact_events',
  funnel: 'fact_events',
  exposed_users: 'fct_experiment_exposures',
  converted_users: 'fct_experiment_exposures',
  property_avg: 'fact_events',
  session_avg: 'fct_sessions',
  user_avg: 'dim_users',
  time_between: 'fact_events',
  stickiness: 'fact_events',
  avg_mrr: 'fct_subscriptions',
  sessions: 'fct_sessions',
  sessions_per_user: 'fct_sessions',
  avg_session_duration: 'fct_sessions',
  mrr: 'fct_subscriptions',
  subscriptions: 'fct_subscriptions',
  experiment_conversion: 'fct_experiment_exposures',
  user_count: 'dim_users',
  churned_users: 'dim_users',
  churn_rate: 'dim_users',
};

/** Tables an answer reads: the marts plans name, and one read in their place (below). */
export type SourceTable = MartTable | 'fct_user_activity_daily';

const ALIAS: Record<SourceTable, string> = {
  fact_events: 'e',
  dim_users: 'u',
  fct_sessions: 's',
  fct_subscriptions: 'b',
  fct_experiment_exposures: 'x',
  fct_user_activity_daily: 'e',
  dim_features: 'f',
};

/** The column that dates each table's rows, and whether it is a timestamp. */
const TIME_COLUMN: Record<SourceTable, { column: string; timestamp: boolean; what: string }> = {
  fact_events: { column: 'event_date', timestamp: false, what: 'the event’s date' },
  dim_users: { column: 'signup_date', timestamp: false, what: 'the signup date' },
  fct_sessions: { column: 'started_at', timestamp: true, what: 'the session’s start' },
  fct_subscriptions: { column: 'started_at', timestamp: true, what: 'the subscription’s start' },
  fct_experiment_exposures: {
    column: 'first_exposed_at',
    timestamp: true,
    what: 'the first exposure',
  },
  fct_user_activity_daily: { column: 'event_date', timestamp: false, what: 'the event’s date' },
  dim_features: { column: 'launched_at', timestamp: false, what: 'the feature’s launch date' },
};

const BOOLEAN_COLUMNS = new Set(['is_churned', 'converted', 'is_premium']);
/** Count columns a plan filters as "any" ('true': > 0) or "none" ('false': = 0). */
const NONZERO_COLUMNS = new Set(['errors']);

export function columnSql(ref: ColumnRef, aliasOf: string = ALIAS[ref.table]): string {
  const alias = aliasOf;
  if (ref.property && ref.column === 'properties')
    return dialect.jsonText(`${alias}.properties`, sqlString(`$.${ref.property.key}`));
  // Derived from the event's time (UTC; Trino's timestamps from the lake are in UTC).
  const trino = dialect.name === 'trino';
  if (ref.table === 'fact_events' && ref.column === 'hour_of_day')
    return trino ? `hour(${alias}.ts)` : `extract(hour from timezone('UTC', ${alias}.ts))`;
  if (ref.table === 'fact_events' && ref.column === 'day_of_week')
    return trino
      ? `format_datetime(cast(${alias}.event_date as timestamp), 'EEEE')`
      : `dayname(${alias}.event_date)`;
  if (ref.table === 'fact_events' && ref.column === 'day_type')
    return `(case when ${trino ? 'day_of_week' : 'isodow'}(${alias}.event_date) in (6, 7) then 'weekend' else 'weekday' end)`;
  return `${alias}.${ref.column}`;
}

/** A short name for a result column. */
export function columnName(ref: ColumnRef): string {
  return ref.property ? ref.property.key : ref.column;
}

export interface CompiledAsk {
  sql: string;
  /** What was computed, in plain English: metric, period, filters, conventions. */
  explanation: string;
  /** The marts the SQL reads. */
  tables: SourceTable[];
}

const metricAlias = (plan: AskPlan): string => {
  if (plan.part && plan.perUnits) return `per_${plan.perUnits}`;
  if (plan.part || plan.shareOfTotal) return plan.percent ? 'percent' : 'share';
  if (plan.average) return `avg_${baseAlias(plan)}`;
  const base = baseAlias(plan);
  return plan.median && MEDIAN_METRICS.has(plan.metric) ? base.replace(/^avg_/, 'median_') : base;
};

/** The metrics that average a value per row, which can take the median instead. */
const MEDIAN_METRICS = new Set<Metric>([
  'avg_session_duration',
  'avg_mrr',
  'property_avg',
  'session_avg',
  'user_avg',
  'time_between',
]);

const baseAlias = (plan: AskPlan): string => {
  switch (plan.metric) {
    case 'users':
      return plan.event === 'signed_up' ? 'signups' : 'users';
    case 'events':
      return plan.event === 'error_occurred' ? 'errors' : 'events';
    case 'avg_session_duration':
      return `avg_${plan.unit ?? 'seconds'}`;
    case 'experiment_conversion':
      return plan.lift ? 'lift' : 'conversion_rate';
    case 'avg_mrr':
      return 'avg_mrr';
    case 'mrr':
      return plan.mrrFlow ? `${plan.mrrFlow}_mrr` : 'mrr';
    case 'exposed_users':
      return 'users';
    case 'converted_users':
      return 'converted_users';
    case 'user_avg':
      return `avg_${plan.measure?.column ?? 'value'}`;
    case 'session_avg':
      return `avg_${plan.measure?.column ?? 'value'}`;
    case 'property_avg':
      return `avg_${plan.measure?.property?.key ?? 'value'}${plan.unit && plan.unit !== 'seconds' ? `_${plan.unit}` : plan.unit ? '_seconds' : ''}`;
    case 'share':
      return plan.percent ? 'percent' : 'rate';
    case 'funnel':
      return plan.funnel === 'conversion' ? (plan.percent ? 'percent' : 'conversion') : 'users';
    case 'events_per_user':
      return plan.distinctOf ? `avg_distinct_${columnName(plan.distinctOf)}` : 'per_user';
    case 'sessions_per_user':
      return 'sessions_per_user';
    case 'time_between':
      return `avg_${plan.unit ?? 'hours'}`;
    case 'stickiness':
      return 'dau_mau';
    case 'churn_rate':
      return plan.percent ? 'churn_percent' : 'churn_rate';
    case 'user_count':
    case 'churned_users':
      return 'users';
    default:
      return plan.metric;
  }
};

/** "in October 2026", "since 2026-10-15 (…)": a label that says "since" takes no "in". */
const periodPhrase = (label: string) =>
  /^(since|last|yesterday|today)\b/.test(label) ? label : `in ${label}`;

function metricSql(plan: AskPlan): { expr: string; what: string } {
  const whole = countSql(plan);
  if (plan.part) {
    const part = filterCondition(plan.part);
    const counted = whole.replace(/\)$/, ') filter (where ' + part + ')');
    return {
      expr: `${plan.perUnits ? `${plan.perUnits}.0 * ` : plan.percent ? '100.0 * ' : ''}cast(${counted} as double) / nullif(${whole}, 0)`,
      what: plan.perUnits
        ? `the number of ${countedWhat(plan)} where ${describeFilter(plan.part)} per ${plan.perUnits.toLocaleString('en-US')} of them`
        : `the share of ${countedWhat(plan)} where ${describeFilter(plan.part)}${plan.percent ? ', in percent' : ' (a fraction from 0 to 1)'}`,
    };
  }
  const plain = plainMetricSql(plan);
  if (!plan.median || !MEDIAN_METRICS.has(plan.metric)) return plain;
  // The same value per row, its median: avg( → median( (each of these metrics is one avg).
  return {
    expr: medianOf(plain.expr),
    what: plain.what.replace(/^the average /, 'the median '),
  };
}

/** What a part's metric counts, as SQL (the whole of a share). */
function countSql(plan: AskPlan): string {
  return plan.metric === 'users' ? 'count(distinct e.user_id)' : 'count(*)';
}

function countedWhat(plan: AskPlan): string {
  switch (plan.metric) {
    case 'users':
      return plan.event ? `the users who did ${plan.event}` : 'the active users';
    case 'events':
      return plan.event ? `${plan.event} events` : 'events';
    case 'user_count':
      return 'all users';
    default:
      return plan.metric;
  }
}

function plainMetricSql(plan: AskPlan): { expr: string; what: string } {
  const pct = plan.percent ? ' * 100' : '';
  switch (plan.metric) {
    case 'users':
      return {
        expr: 'count(distinct e.user_id)',
        what: plan.event
          ? `the number of distinct users (user_id) who did ${plan.event}`
          : 'the number of distinct active users (user_id; active = did any event; anonymous-only activity is not a user)',
      };
    case 'events':
      return {
        expr: 'count(*)',
        what: plan.event ? `the number of ${plan.event} events` : 'the number of events',
      };
    case 'sessions':
      return { expr: 'count(*)', what: 'the number of sessions (30-minute inactivity rule)' };
    case 'sessions_per_user':
      return {
        expr: 'cast(count(*) as double) / count(distinct s.user_id)',
        what: 'the average number of sessions per user who had at least one session',
      };
    case 'avg_session_duration': {
      const div = plan.unit === 'minutes' ? ' / 60e0' : plan.unit === 'hours' ? ' / 3600e0' : '';
      return {
        expr: `avg(s.session_duration)${div}`,
        what: `the average session duration in ${plan.unit ?? 'seconds'}`,
      };
    }
    case 'mrr': {
      if (plan.mrrFlow === 'new')
        return {
          expr: 'sum(b.initial_mrr_usd)',
          what: 'new MRR (USD): the starting MRR (initial_mrr_usd) of the subscriptions started',
        };
      if (plan.mrrFlow === 'churned')
        return {
          expr: 'sum(b.mrr_usd)',
          what: 'churned MRR (USD): the MRR (mrr_usd) of the subscriptions cancelled',
        };
      const end = mrrAsOf(plan);
      return end
        ? {
            expr: 'sum(b.mrr_usd)',
            what: `monthly recurring revenue (USD) at the end of ${plan.period!.label}: subscriptions started before ${end} 00:00 UTC and not ended by then, each at the price of its plan on that date`,
          }
        : {
            expr: 'sum(b.mrr_usd)',
            what: 'monthly recurring revenue (sum of mrr_usd, USD) of active subscriptions',
          };
    }
    case 'subscriptions':
      return { expr: 'count(*)', what: 'the number of subscriptions' };
    case 'avg_mrr':
      return {
        expr: 'avg(b.mrr_usd)',
        what: 'the average MRR per subscription (mrr_usd, USD) of active subscriptions',
      };
    case 'experiment_conversion':
      if (plan.lift) {
        const [a, b] = plan.lift;
        const rate = (v: string) =>
          `avg(case when x.converted then 1e0 else 0e0 end) filter (where x.variant = ${sqlString(v)})`;
        return {
          expr: `(${rate(a)} - ${rate(b)})${pct}`,
          what: `the difference in conversion rate, ${a} minus ${b}${plan.percent ? ', in percentage points' : ' (fractions from 0 to 1)'}`,
        };
      }
      return {
        expr: `avg(case when x.converted then 1e0 else 0e0 end)${pct}`,
        what: `the conversion rate (share of exposed users who converted${plan.percent ? ', in percent' : ', a fraction from 0 to 1'})`,
      };
    case 'user_count':
      return { expr: 'count(*)', what: 'the number of users (dim_users, one row per user)' };
    case 'property_avg': {
      const m = plan.measure;
      if (!m?.property || m.table !== 'fact_events')
        throw new Error(
          'Only a numeric property of an event, such as a duration, can be averaged.',
        );
      // Milliseconds read in the unit asked for.
      const ms = m.property.key.endsWith('_ms');
      const div =
        ms && plan.unit === 'seconds'
          ? ' / 1000e0'
          : ms && plan.unit === 'minutes'
            ? ' / 60000e0'
            : ms && plan.unit === 'hours'
              ? ' / 3600000e0'
              : '';
      return {
        expr: `avg(cast(${columnSql(m)} as double))${div}`,
        what: `the average ${m.property.key}${div ? ` in ${plan.unit}` : ''} of ${m.property.event} events`,
      };
    }
    case 'user_avg': {
      const m = plan.measure;
      if (!m || m.table !== 'dim_users' || m.column !== 'lifetime_events')
        throw new Error(
          'An average per user over all users can only be of their lifetime number of events.',
        );
      return {
        expr: `avg(u.${m.column})`,
        what: 'the average lifetime events per user (dim_users.lifetime_events: all events a user has done)',
      };
    }
    case 'session_avg': {
      const m = plan.measure;
      if (
        !m ||
        m.table !== 'fct_sessions' ||
        !['event_count', 'page_views', 'errors'].includes(m.column)
      )
        throw new Error(
          'An average per session can only be of its length, events, page views or errors.',
        );
      return {
        expr: `avg(s.${m.column})`,
        what: `the average ${m.column.replace('_', ' ')} per session`,
      };
    }
    case 'exposed_users':
      return {
        expr: 'count(distinct x.user_id)',
        what: 'the number of distinct users exposed to the experiment',
      };
    case 'converted_users':
      return {
        expr: 'count(distinct x.user_id) filter (where x.converted)',
        what: 'the number of distinct exposed users who converted (fct_experiment_exposures.converted)',
      };
    case 'churned_users':
      return { expr: 'count(*)', what: 'the number of churned users (dim_users.is_churned)' };
    case 'churn_rate':
      return {
        expr: `avg(case when u.is_churned then 1e0 else 0e0 end)${pct}`,
        what: `the churn rate (share of users with dim_users.is_churned${plan.percent ? ', in percent' : ', a fraction from 0 to 1'})`,
      };
    case 'events_per_user':
      if (plan.distinctOf) {
        const col = columnSql(plan.distinctOf);
        if (plan.distinctOf.table === 'fact_events' && plan.distinctOf.column === 'event_date')
          return {
            expr: `cast(count(distinct e.user_id || chr(31) || cast(${col} as varchar)) as double) / count(distinct e.user_id)`,
            what: `the average number of days active per user${plan.event ? ` with ${plan.event}` : ''} (distinct days with ${plan.event ?? 'any event'}, over the users active in the period)`,
          };
        return {
          expr: `cast(count(distinct e.user_id || chr(31) || cast(${col} as varchar)) as double) / count(distinct e.user_id)`,
          what: `the average number of distinct ${columnName(plan.distinctOf)} values per user${plan.event ? ` who did ${plan.event}` : ''} (of ${plan.event ?? 'their events'})`,
        };
      }
      return {
        expr: 'cast(count(*) as double) / count(distinct e.user_id)',
        what: `the average number of ${plan.event ?? 'events'} per user who did it at least once`,
      };
    case 'share':
    case 'funnel':
    case 'time_between':
    case 'stickiness':
      return { expr: '', what: '' };
  }
}

/** The instant MRR is read at: the day after a closed period's last day (none: the current MRR). */
function mrrAsOf(plan: AskPlan): string | undefined {
  return plan.period?.to && !plan.mrrFlow ? addDays(plan.period.to, 1) : undefined;
}

/** The subscriptions live at an instant, each with the plan and price it had then. */
function subscriptionsAt(instant: string): string {
  const ts = `timestamp ${sqlString(instant)}`;
  const upgraded = `upgraded_at is not null and upgraded_at < ${ts}`;
  return (
    `(select subscription_id, user_id, billing_period, started_at, ended_at, status, cancel_reason,\n` +
    `    case when ${upgraded} then plan else initial_plan end as plan,\n` +
    `    case when ${upgraded} then mrr_usd else initial_mrr_usd end as mrr_usd\n` +
    `  from fct_subscriptions\n` +
    `  where started_at < ${ts} and (ended_at is null or ended_at >= ${ts}))`
  );
}

/** The column that dates what a plan counts: churned users by their churn date. */
function timeColumn(plan: AskPlan, table: SourceTable): (typeof TIME_COLUMN)[SourceTable] {
  return plan.metric === 'churned_users'
    ? { column: 'churned_at', timestamp: false, what: 'the churn date' }
    : plan.mrrFlow === 'churned' && table === 'fct_subscriptions'
      ? { column: 'ended_at', timestamp: true, what: 'the subscription’s end (its cancellation)' }
      : TIME_COLUMN[table];
}

function periodCondition(
  table: SourceTable,
  period: NonNullable<AskPlan['period']>,
  time = TIME_COLUMN[table],
): string {
  const { column, timestamp } = time;
  const col = `${ALIAS[table]}.${column}`;
  if (!timestamp)
    return period.to
      ? period.to === period.from
        ? `${col} = date ${sqlString(period.from)}`
        : `${col} between date ${sqlString(period.from)} and date ${sqlString(period.to)}`
      : `${col} >= date ${sqlString(period.from)}`;
  const upper = period.to ? ` and ${col} < ${timestampSql(addDays(period.to, 1))}` : '';
  return `${col} >= ${timestampSql(period.from)}${upper}`;
}

function filterCondition(
  filter: AskPlan['filters'][number],
  alias: string = ALIAS[filter.column.table],
): string {
  const { column } = filter;
  const expr = columnSql(column, alias);
  if (filter.op) {
    // A number (checked by ZFilter), compared with the value read as a number.
    const cmp = `try_cast(${expr} as double) ${filter.op} ${Number(filter.values[0])}`;
    return column.property
      ? `${alias}.event_name = ${sqlString(column.property.event)} and ${cmp}`
      : cmp;
  }
  if (BOOLEAN_COLUMNS.has(column.column) && !column.property)
    return filter.values[0] === 'false' ? `not ${expr}` : expr;
  if (NONZERO_COLUMNS.has(column.column) && !column.property)
    return `${expr} ${filter.values[0] === 'false' ? '= 0' : '> 0'}`;
  const cond =
    filter.values.length === 1
      ? `${expr} = ${sqlString(filter.values[0]!)}`
      : `${expr} in (${filter.values.map(sqlString).join(', ')})`;
  return column.property
    ? `${alias}.event_name = ${sqlString(column.property.event)} and ${cond}`
    : cond;
}

function describeFilter(filter: AskPlan['filters'][number]): string {
  const name = filter.column.property
    ? `${filter.column.property.event}.${filter.column.property.key}`
    : filter.column.column;
  if (filter.op) return `${name} ${filter.op} ${filter.values[0]}`;
  if (BOOLEAN_COLUMNS.has(filter.column.column))
    return filter.values[0] === 'false' ? `not ${name}` : name;
  if (NONZERO_COLUMNS.has(filter.column.column) && !filter.column.property)
    return `${name} ${filter.values[0] === 'false' ? '= 0' : '> 0'}`;
  return `${name} ${filter.values.length === 1 ? `= ${filter.values[0]}` : `in (${filter.values.join(', ')})`}`;
}

const BUCKET: Record<string, string> = { day: 'day', week: 'week', month: 'month' };

/** The funnel convention of shared/eval/README.md: each step within 14 days of the first. */
export const FUNNEL_WINDOW_DAYS = 14;

/**
 * A funnel: users who did the first step in the period (from their first time in it), then each
 * next step strictly after the previous one, all within 14 days of the first step.
 */
function compileFunnel(plan: AskPlan, join: string, tables: Set<MartTable>): CompiledAsk {
  const steps = plan.steps;
  if (!steps)
    throw new Error(
      'A funnel needs at least two steps, such as “signed up → completed onboarding”.',
    );
  if (plan.breakdown || plan.grain || plan.part || plan.average)
    throw new Error(
      'A funnel is answered step by step; it cannot also be broken down, trended over time or taken as a share.',
    );
  const days = plan.windowDays ?? FUNNEL_WINDOW_DAYS;
  const window = `interval '${days}' day`;
  const first = [`e.event_name = ${sqlString(steps[0]!)}`, 'e.user_id is not null'];
  if (plan.period) first.push(periodCondition('fact_events', plan.period));
  for (const f of plan.filters) first.push(filterCondition(f));
  const ctes = [
    `s1 as (select e.user_id, min(e.ts) as t1, min(e.ts) as at\n  from fact_events e${join}\n  where ${first.join(' and ')}\n  group by 1)`,
  ];
  for (let i = 1; i < steps.length; i++)
    ctes.push(
      `s${i + 1} as (select p.user_id, p.t1, min(e.ts) as at\n  from s${i} p join fact_events e on e.user_id = p.user_id and e.event_name = ${sqlString(steps[i]!)}\n    and e.ts > p.at and e.ts <= p.t1 + ${window}\n  group by 1, 2)`,
    );
  const last = `s${steps.length}`;
  const output = plan.funnel ?? 'steps';
  let select: string;
  // The steps in order: the event named (a bar per step), its users.
  if (output === 'steps')
    select =
      'select step, users from (\n' +
      steps
        .map(
          (step, i) =>
            `  select ${i + 1} as n, ${sqlString(step)} as step, count(*) as users from s${i + 1}`,
        )
        .join('\n  union all\n') +
      '\n) f\norder by n';
  else if (output === 'row')
    // The users at each step as one row, a column per step (named by its event).
    select = `select ${steps.map((step, i) => `(select count(*) from s${i + 1}) as ${/^[a-z_][a-z0-9_]*$/.test(step) ? step : `step_${i + 1}`}`).join(', ')}`;
  else if (output === 'completed') select = `select count(*) as users from ${last}`;
  else
    select = `select ${plan.percent ? '100.0 * ' : ''}cast((select count(*) from ${last}) as double) / nullif((select count(*) from s1), 0) as ${metricAlias(plan)}`;
  const sql = `with ${ctes.join(',\n')}\n${select}`;
  const gave =
    output === 'steps'
      ? 'the users at each step'
      : output === 'row'
        ? 'the users at each step, as one row'
        : output === 'completed'
          ? 'the users who completed every step'
          : `the conversion from the first step to the last${plan.percent ? ', in percent' : ' (a fraction from 0 to 1)'}`;
  const explanation =
    `Funnel ${steps.join(' → ')}: users who did ${steps[0]}${plan.period ? ` ${periodPhrase(plan.period.label)}` : ''}` +
    `${plan.filters.length ? ` (${plan.filters.map(describeFilter).join(', ')})` : ''}, from their first time then, ` +
    `and each next step after the previous one, within ${days} days of the first step (UTC timestamps). Gave ${gave}.`;
  return { sql, explanation, tables: [...tables] };
}

const SECONDS_IN: Record<NonNullable<AskPlan['unit']>, number> = {
  seconds: 1,
  minutes: 60,
  hours: 3600,
  days: 86400,
};

/** Per-user statements keep one value per user: a user attribute or a column of the event. */
function onlyUserOrEventBreakdown(plan: AskPlan, message: string): void {
  if (
    plan.breakdown &&
    plan.breakdown.table !== 'dim_users' &&
    plan.breakdown.table !== 'fact_events'
  )
    throw new Error(message);
}

/**
 * "Median time from signup to completing onboarding": per user who did `event` (in the period),
 * from their first time to their first `thenEvent` after it; the users who never did the second
 * are not counted. The average, or the median.
 */
function compileTimeBetween(plan: AskPlan, join: string, tables: Set<MartTable>): CompiledAsk {
  if (!plan.event || !plan.thenEvent)
    throw new Error(
      'The time between two events needs both events, such as “from signup to the first upgrade”.',
    );
  if (plan.grain || plan.part || plan.average || plan.shareOfTotal || plan.list)
    throw new Error(
      'The time between two events can be filtered and broken down, but not trended, listed or taken as a share.',
    );
  onlyUserOrEventBreakdown(
    plan,
    'The time between two events can be broken down only by a user attribute (such as plan or country) or a column of the first event.',
  );
  const unit = plan.unit ?? 'hours';
  const where = [`e.event_name = ${sqlString(plan.event)}`, 'e.user_id is not null'];
  if (plan.period) where.push(periodCondition('fact_events', plan.period));
  for (const f of plan.filters) where.push(filterCondition(f));
  const name = plan.breakdown ? columnName(plan.breakdown) : undefined;
  // The breakdown's value on the user's first event (a user attribute is the same on every row).
  const key = plan.breakdown ? `, min_by(${columnSql(plan.breakdown)}, e.ts) as ${name}` : '';
  const fn = plan.median ? (x: string) => dialect.median(x) : (x: string) => `avg(${x})`;
  const alias = `${plan.median ? 'median' : 'avg'}_${unit}`;
  const divisor = SECONDS_IN[unit] === 1 ? '' : ` / ${SECONDS_IN[unit]}e0`;
  const calendar = plan.calendarDays && unit === 'days';
  const between = calendar
    ? dialect.name === 'trino'
      ? `date_diff('day', cast(a.t as date), cast(b.t as date))`
      : `date_diff('day', cast(timezone('UTC', a.t) as date), cast(timezone('UTC', b.t) as date))`
    : `${dialect.name === 'trino' ? '(to_unixtime(b.t) - to_unixtime(a.t))' : 'epoch(b.t - a.t)'}${divisor}`;
  let sql =
    `with a as (select e.user_id, min(e.ts) as t${key}\n  from fact_events e${join}\n  where ${where.join(' and ')}\n  group by 1),\n` +
    `b as (select a.user_id, min(e.ts) as t\n  from a join fact_events e on e.user_id = a.user_id and e.event_name = ${sqlString(plan.thenEvent)} and e.ts >= a.t\n  group by 1)\n` +
    `select ${name ? `a.${name}, ` : ''}${fn(between)} as ${alias}\nfrom a join b using (user_id)`;
  if (name) {
    sql += '\ngroup by 1';
    sql += plan.order ? `\norder by ${alias} ${plan.order}, 1` : '\norder by 1';
    if (plan.limit) sql += `\nlimit ${plan.limit}`;
  }
  const explain = [
    `Computed the ${plan.median ? 'median' : 'average'} ${calendar ? 'number of calendar days (UTC dates)' : `time in ${unit}`}, per user, from their first ${plan.event}${plan.period ? ` ${periodPhrase(plan.period.label)}` : ''} to their first ${plan.thenEvent} after it (users who never did ${plan.thenEvent} are not counted)`,
  ];
  if (plan.filters.length) explain.push(`where ${plan.filters.map(describeFilter).join(' and ')}`);
  if (name) explain.push(`broken down by ${name}`);
  return {
    sql,
    explanation: `${explain.join(', ')}. Times are UTC timestamps.`,
    tables: [...tables],
  };
}

/**
 * Users who did the event for the first time in the period: each user's first day of the event
 * (of each breakdown value: "for each feature, first-time users") over all the data, counted
 * where it falls in the period.
 */
function compileFirstTime(plan: AskPlan, join: string, tables: Set<MartTable>): CompiledAsk {
  if (plan.metric !== 'users' || !plan.event)
    throw new Error(
      'First-time users are counted for one event, such as “used X for the first time”.',
    );
  if (
    plan.grain ||
    plan.part ||
    plan.average ||
    plan.shareOfTotal ||
    plan.list ||
    plan.perUser ||
    plan.alsoBy ||
    plan.every
  )
    throw new Error(
      'First-time users can be filtered and broken down, not trended, listed or taken as a share.',
    );
  onlyUserOrEventBreakdown(
    plan,
    'First-time users can be broken down by a user attribute or a column of the event.',
  );
  const where = [`e.event_name = ${sqlString(plan.event)}`, 'e.user_id is not null'];
  for (const f of plan.filters) where.push(filterCondition(f));
  const name = plan.breakdown ? columnName(plan.breakdown) : undefined;
  const key = plan.breakdown ? `, ${columnSql(plan.breakdown)} as ${name}` : '';
  let sql =
    `with f as (select e.user_id${key}, min(e.event_date) as first_day\n  from fact_events e${join}\n  where ${where.join(' and ')}\n  group by ${name ? '1, 2' : '1'})\n` +
    `select ${name ? `e.${name}, ` : ''}count(*) as users\nfrom f e` +
    (plan.period
      ? `\nwhere ${periodCondition('fact_events', plan.period, { column: 'first_day', timestamp: false, what: 'first day' })}`
      : '');
  if (name) {
    sql += '\ngroup by 1';
    sql += plan.order ? `\norder by users ${plan.order}, 1` : '\norder by 1';
    if (plan.limit) sql += `\nlimit ${plan.limit}`;
  }
  const explain = [
    `Counted the distinct users whose first ${plan.event}${name ? ` of each ${name}` : ''} in all the data${plan.period ? ` falls ${periodPhrase(plan.period.label)}` : ''}`,
  ];
  if (plan.filters.length) explain.push(`where ${plan.filters.map(describeFilter).join(' and ')}`);
  if (name) explain.push(`broken down by ${name}`);
  return {
    sql,
    explanation: `${explain.join(', ')}. Users are distinct user_id; days are UTC dates.`,
    tables: [...tables],
  };
}

/**
 * Stickiness (DAU/MAU): the users active on a day over the users active in the 30 days ending
 * that day (the period's last day; without a period, today), with the plan's filters.
 */
function compileStickiness(plan: AskPlan, join: string, tables: Set<MartTable>): CompiledAsk {
  if (plan.grain || plan.part || plan.average || plan.breakdown || plan.event || plan.list)
    throw new Error(
      'Stickiness (DAU/MAU) is one ratio for one day; it cannot be broken down, trended or limited to one event.',
    );
  const day = plan.period?.to ?? plan.period?.from;
  if (!day) throw new Error('Stickiness (DAU/MAU) needs the day it is measured on.');
  const scale = plan.percent ? '100.0 * ' : '';
  const name = plan.percent ? 'dau_mau_percent' : 'dau_mau';
  if (plan.period && plan.period.from < day) {
    // Over a period ("stickiness in October"): the average DAU of its days over the distinct
    // users active in it.
    const where = [
      'e.user_id is not null',
      `e.event_date between date ${sqlString(plan.period.from)} and date ${sqlString(day)}`,
      ...plan.filters.map((f) => filterCondition(f)),
    ];
    const rows = `from fact_events e${join}\nwhere ${where.join('\n  and ')}`;
    const sql =
      `select ${scale}(select avg(dau) from (select e.event_date, count(distinct e.user_id) as dau\n${rows}\ngroup by 1) per_day)\n` +
      `  / nullif((select count(distinct e.user_id)\n${rows}), 0) as ${name}`;
    const explain = [
      `Computed stickiness (DAU/MAU) over ${plan.period.label}: the average number of distinct users active per day (days with activity) over the distinct users active at any time in it${plan.percent ? ', in percent' : ' (a fraction from 0 to 1)'}`,
    ];
    if (plan.filters.length)
      explain.push(`where ${plan.filters.map(describeFilter).join(' and ')}`);
    return {
      sql,
      explanation: `${explain.join(', ')}. “Active” means did any event (UTC dates).`,
      tables: [...tables],
    };
  }
  const from = addDays(day, -29);
  const where = [
    'e.user_id is not null',
    `e.event_date between date ${sqlString(from)} and date ${sqlString(day)}`,
  ];
  for (const f of plan.filters) where.push(filterCondition(f));
  const sql =
    `select ${scale}cast(count(distinct e.user_id) filter (where e.event_date = date ${sqlString(day)}) as double) / nullif(count(distinct e.user_id), 0) as ${name}\n` +
    `from fact_events e${join}\nwhere ${where.join('\n  and ')}`;
  const explain = [
    `Computed stickiness (DAU/MAU): the distinct users active on ${day} over the distinct users active in the 30 days ending that day (${from} – ${day})${plan.percent ? ', in percent' : ' (a fraction from 0 to 1)'}`,
  ];
  if (plan.filters.length) explain.push(`where ${plan.filters.map(describeFilter).join(' and ')}`);
  return {
    sql,
    explanation: `${explain.join(', ')}. “Active” means did any event (UTC dates).`,
    tables: [...tables],
  };
}

/** A filter on a property of the cohort's event (not the counted one's): the cohort's own. */
/** dim_features is read for the part only: the rows without a feature stay in the whole. */
const featuresInPartOnly = (plan: AskPlan): boolean =>
  plan.part?.column.table === 'dim_features' &&
  ![...plan.filters.map((f) => f.column), plan.breakdown, plan.alsoBy].some(
    (c) => c?.table === 'dim_features',
  );

const ownedByCohort = (plan: AskPlan, f: AskPlan['filters'][number]): boolean =>
  plan.cohort !== undefined &&
  f.column.property !== undefined &&
  f.column.property.event === plan.cohort.event &&
  plan.event !== plan.cohort.event;

/** "Users with no activity in the last 14 days": users of dim_users without a matching event. */
function compileInactive(plan: AskPlan, tables: Set<MartTable>): CompiledAsk {
  if (
    plan.metric !== 'users' ||
    plan.grain ||
    plan.part ||
    plan.average ||
    plan.list ||
    plan.every ||
    plan.perUser ||
    plan.cohort ||
    plan.versus ||
    plan.shareOfTotal ||
    plan.also ||
    (plan.breakdown && plan.breakdown.table !== 'dim_users') ||
    (plan.alsoBy && plan.alsoBy.table !== 'dim_users') ||
    plan.filters.some((f) => f.column.table !== 'dim_users' && f.column.table !== 'fact_events')
  )
    throw new Error(
      'Users without activity can be broken down only by user attributes (such as plan or country), with filters on the users or their events.',
    );
  // What the users did not do: the event (with its own filters) in the period.
  const did: string[] = ['e.user_id = u.user_id'];
  if (plan.event) did.push(`e.event_name = ${sqlString(plan.event)}`);
  if (plan.period) did.push(periodCondition('fact_events', plan.period));
  const eventFilters = plan.filters.filter((f) => f.column.table === 'fact_events');
  for (const f of eventFilters) did.push(filterCondition(f));
  // Any activity is in fct_user_activity_daily (a row per user and active day), many times
  // smaller than the events.
  const source = plan.event || eventFilters.length ? 'fact_events' : 'fct_user_activity_daily';
  const where = plan.filters
    .filter((f) => f.column.table === 'dim_users')
    .map((f) => filterCondition(f));
  where.push(`not exists (select 1 from ${source} e where ${did.join(' and ')})`);
  const by = [plan.breakdown, plan.alsoBy].filter((c): c is ColumnRef => Boolean(c));
  const alias = metricAlias(plan);
  let sql = `select ${by.map((c) => `${columnSql(c)} as ${columnName(c)}, `).join('')}count(*) as ${alias}\nfrom dim_users u\nwhere ${where.join('\n  and ')}`;
  if (by.length) sql += `\ngroup by ${by.map((_, i) => i + 1).join(', ')}`;
  if (plan.order && by.length)
    sql += `\norder by ${alias} ${plan.order}${by.map((_, i) => `, ${i + 1}`).join('')}`;
  if (plan.limit && by.length) sql += `\nlimit ${plan.limit}`;
  const users = plan.filters.filter((f) => f.column.table === 'dim_users');
  const explain = [
    `Computed the number of users (dim_users, one row per user${users.length ? `, where ${users.map(describeFilter).join(' and ')}` : ''}) who did ${plan.event ? `no ${plan.event}` : 'no event at all'}${eventFilters.length ? ` with ${eventFilters.map(describeFilter).join(' and ')}` : ''}`,
    plan.period ? periodPhrase(plan.period.label) : 'in all the data',
  ];
  if (by.length) explain.push(`broken down by ${by.map(columnName).join(' and ')}`);
  return {
    sql,
    explanation: `${explain.join(', ')}. User attributes are each user’s current ones.`,
    tables: [
      ...new Set<SourceTable>([
        'dim_users',
        ...[...tables].filter((t) => t !== 'fact_events'),
        source,
      ]),
    ],
  };
}

/** "List the users who upgraded from pro to enterprise": their ids, in order. */
function compileUserList(
  plan: AskPlan,
  join: string,
  tables: Set<MartTable>,
  source: SourceTable,
): CompiledAsk {
  if (plan.metric !== 'users' || plan.grain || plan.breakdown || plan.part || plan.average)
    throw new Error(
      'A list of users shows the users who did something, with filters; it cannot also be broken down or trended.',
    );
  const where = ['e.user_id is not null'];
  if (plan.event) where.unshift(`e.event_name = ${sqlString(plan.event)}`);
  if (plan.period) where.push(periodCondition('fact_events', plan.period));
  for (const f of plan.filters) where.push(filterCondition(f));
  const sql =
    `select distinct e.user_id\nfrom ${source} e${join}\nwhere ${where.join('\n  and ')}\norder by 1` +
    (plan.limit ? `\nlimit ${plan.limit}` : '');
  const explain = [
    `Listed the distinct users (user_id) who ${plan.event ? `did ${plan.event}` : 'did any event'}`,
    plan.period ? periodPhrase(plan.period.label) : 'over all the data',
  ];
  if (plan.filters.length) explain.push(`where ${plan.filters.map(describeFilter).join(' and ')}`);
  return {
    sql,
    explanation: `${explain.join(', ')}, in user_id order.`,
    tables: [...tables].map((t) => (t === 'fact_events' ? source : t)),
  };
}

/** "Errors per user, users with none as zero": every user of dim_users, left-joined. */
function compileAllUsersAverage(plan: AskPlan): CompiledAsk {
  const userRefs = [
    ...plan.filters.map((f) => f.column),
    ...(plan.breakdown ? [plan.breakdown] : []),
  ];
  if (
    plan.metric !== 'events_per_user' ||
    plan.grain ||
    plan.part ||
    plan.average ||
    (plan.breakdown && plan.breakdown.table !== 'dim_users') ||
    userRefs.some((c) => c.table !== 'dim_users' && c.table !== 'fact_events')
  )
    throw new Error(
      'Events per user over all users can be broken down only by user attributes and filtered on users or their events.',
    );
  const on = ['e.user_id = u.user_id'];
  if (plan.event) on.push(`e.event_name = ${sqlString(plan.event)}`);
  if (plan.period) on.push(periodCondition('fact_events', plan.period));
  const where: string[] = [];
  for (const f of plan.filters)
    (f.column.table === 'dim_users' ? where : on).push(filterCondition(f));
  const name = plan.breakdown ? columnName(plan.breakdown) : undefined;
  const alias = metricAlias(plan);
  let sql =
    `select ${name ? `${columnSql(plan.breakdown!)} as ${name}, ` : ''}cast(count(e.user_id) as double) / count(distinct u.user_id) as ${alias}\n` +
    `from dim_users u left join fact_events e on ${on.join(' and ')}`;
  if (where.length) sql += `\nwhere ${where.join('\n  and ')}`;
  if (name) sql += '\ngroup by 1';
  if (plan.order && name) sql += `\norder by ${alias} ${plan.order}, 1`;
  if (plan.limit && name) sql += `\nlimit ${plan.limit}`;
  const explain = [
    `Computed the average number of ${plan.event ?? 'events'} per user over all users (dim_users; a user who never did it counts as zero)`,
    plan.period ? periodPhrase(plan.period.label) : 'over all the data',
  ];
  if (plan.filters.length) explain.push(`where ${plan.filters.map(describeFilter).join(' and ')}`);
  if (name) explain.push(`broken down by ${name}`);
  return {
    sql,
    explanation: `${explain.join(', ')}. User attributes are each user’s current ones, from dim_users.`,
    tables: ['dim_users', 'fact_events'],
  };
}

/** "How many users were active on 5 or more days": users whose rows compare so with n. */
function compilePerUser(plan: AskPlan, join: string, tables: Set<MartTable>): CompiledAsk {
  const per = plan.perUser!;
  if (
    plan.metric !== 'users' ||
    plan.grain ||
    plan.breakdown ||
    plan.part ||
    plan.average ||
    plan.every
  )
    throw new Error(
      'Users who did something at least (or at most) N times are counted with filters only; that count cannot also be broken down, trended or taken as a share.',
    );
  const where = ['e.user_id is not null'];
  if (plan.event) where.unshift(`e.event_name = ${sqlString(plan.event)}`);
  if (plan.period) where.push(periodCondition('fact_events', plan.period));
  for (const f of plan.filters) where.push(filterCondition(f));
  if (per.of === 'values' && plan.distinctOf?.table !== 'fact_events')
    throw new Error('Users with N or more different values count a column of their events.');
  const counted =
    per.of === 'days'
      ? 'count(distinct e.event_date)'
      : per.of === 'values'
        ? `count(distinct ${columnSql(plan.distinctOf!)})`
        : 'count(*)';
  const inner =
    `  select e.user_id\n  from fact_events e${join}\n  where ${where.join('\n    and ')}\n` +
    `  group by 1\n  having ${counted} ${per.op} ${per.n}`;
  const sql = plan.list
    ? `${inner.replace(/^ {2}/gm, '')}\norder by 1`
    : `select count(*) as users\nfrom (\n${inner}\n) x`;
  const what =
    per.of === 'days'
      ? 'distinct days (UTC) with'
      : per.of === 'values'
        ? `distinct ${columnName(plan.distinctOf!)} values of`
        : 'times they did';
  const explain = [
    `${plan.list ? 'Listed' : 'Computed the number of'} distinct users (user_id) whose ${what} ${plan.event ?? 'any event'} ${per.op} ${per.n}`,
    plan.period ? periodPhrase(plan.period.label) : 'over all the data',
  ];
  if (plan.filters.length) explain.push(`where ${plan.filters.map(describeFilter).join(' and ')}`);
  return { sql, explanation: `${explain.join(', ')}.`, tables: [...tables] };
}

/** "How many users used both X and Y": the users with a row for each of the values. */
function compileEveryValue(plan: AskPlan, join: string, tables: Set<MartTable>): CompiledAsk {
  const several = plan.filters.filter((f) => f.values.length > 1);
  if (
    plan.metric !== 'users' ||
    several.length !== 1 ||
    plan.grain ||
    plan.breakdown ||
    plan.part ||
    plan.average ||
    plan.list
  )
    throw new Error(
      '“Every one of” counts the users who did all of several values of one filter, and nothing more.',
    );
  const each = several[0]!;
  const where = ['e.user_id is not null'];
  if (plan.event) where.unshift(`e.event_name = ${sqlString(plan.event)}`);
  if (plan.period) where.push(periodCondition('fact_events', plan.period));
  for (const f of plan.filters) where.push(filterCondition(f));
  const sql = `select count(*) as users\nfrom (\n  select e.user_id\n  from fact_events e${join}\n  where ${where.join('\n    and ')}\n  group by 1\n  having count(distinct ${columnSql(each.column)}) = ${each.values.length}\n) x`;
  const explain = [
    `Computed the number of distinct users (user_id) who ${plan.event ? `did ${plan.event}` : 'did events'} with each of ${columnName(each.column)} ${each.values.join(', ')} (all of them, not any one)`,
    plan.period ? periodPhrase(plan.period.label) : 'over all the data',
  ];
  const others = plan.filters.filter((f) => f !== each);
  if (others.length) explain.push(`where ${others.map(describeFilter).join(' and ')}`);
  return { sql, explanation: `${explain.join(', ')}.`, tables: [...tables] };
}

/**
 * The dialect the plan being compiled is written in. Set by compileAskPlan for the (synchronous)
 * length of one compilation, so the helpers need not pass it along.
 */
let dialect: SqlDialect = duckdbDialect;

/**
 * The grouped SELECT of a two-period plan (its first column `p`: 1 for the plan's period, 2 for
 * the other) as the comparison asked for.
 */
function comparePeriods(grouped: string, plan: AskPlan, alias: string): string {
  const versus = plan.versus!;
  const by = plan.breakdown ? columnName(plan.breakdown) : undefined;
  if (versus.as === 'rows') {
    // Each period by its first day (a date: sortable, and a month's is its month); the
    // explanation names both.
    const label = `case when t.p = 1 then date ${sqlString(plan.period!.from)} else date ${sqlString(versus.period.from)} end`;
    const earlierFirst = plan.period!.from > versus.period.from ? 'desc' : 'asc';
    return `select ${label} as period_start${by ? `, t.${by}` : ''}, t.${alias}\nfrom (\n${grouped}\n) t\norder by t.p ${earlierFirst}${by ? ', 2' : ''}`;
  }
  if (versus.as === 'columns') {
    const column = (p: { from: string }) => `${alias}_${p.from.replace(/-/g, '_')}`;
    const [earlier, later]: [1 | 2, 1 | 2] =
      plan.period!.from < versus.period.from ? [1, 2] : [2, 1];
    const periods = { 1: plan.period!, 2: versus.period };
    const zero = PART_METRICS.has(plan.metric);
    const side = (p: 1 | 2) => {
      const v = `max(case when t.p = ${p} then t.${alias} end)`;
      return `${zero ? `coalesce(${v}, 0)` : v} as ${column(periods[p])}`;
    };
    return `select ${by ? `t.${by}, ` : ''}${side(earlier)}, ${side(later)}\nfrom (\n${grouped}\n) t${by ? '\ngroup by 1\norder by 1' : ''}`;
  }
  // A count with no rows in a period is 0 there; an average has none.
  const zero = PART_METRICS.has(plan.metric);
  const side = (p: 1 | 2) => {
    const v = `max(case when t.p = ${p} then t.${alias} end)`;
    return zero ? `coalesce(${v}, 0)` : v;
  };
  const expr =
    versus.as === 'difference'
      ? `${side(1)} - ${side(2)}`
      : `${plan.percent ? '100.0 * ' : ''}cast(${side(1)} - ${side(2)} as double) / nullif(${side(2)}, 0)`;
  const name =
    versus.as === 'difference' ? 'difference' : plan.percent ? 'percent_change' : 'change';
  return `select ${by ? `t.${by}, ` : ''}${expr} as ${name}\nfrom (\n${grouped}\n) t${by ? '\ngroup by 1' : ''}`;
}

/**
 * `avg(x)` → the dialect's median of x; `avg(x) / 60e0` (a unit change, e.g. seconds to minutes)
 * → the median of x over the same constant, since scaling by a constant commutes with the median.
 */
function medianOf(expr: string): string {
  let depth = 0;
  for (let i = 'avg'.length; i < expr.length; i++) {
    if (expr[i] === '(') depth++;
    else if (expr[i] === ')' && --depth === 0) {
      const scale = expr.slice(i + 1);
      if (expr.startsWith('avg(') && /^(\s*[*/]\s*\d+(\.\d+)?(e\d+)?)?$/.test(scale))
        return dialect.median(expr.slice('avg('.length, i)) + scale;
      break;
    }
  }
  throw new Error(
    `A median is taken of one value per row (such as session length or a duration), not of ${expr.startsWith('count') ? 'a count' : 'this measure'}.`,
  );
}

/** A UTC midnight as a literal comparable with the marts' TIMESTAMP WITH TIME ZONE columns. */
function timestampSql(day: string): string {
  return dialect.name === 'trino'
    ? `timestamp ${sqlString(`${day} 00:00:00 UTC`)}`
    : `timestamp ${sqlString(day)}`;
}

/** The SQL and explanation of a plan, for DuckDB (default) or Trino. */
export function compileAskPlan(input: AskPlan, engine: QueryDialect = 'duckdb'): CompiledAsk {
  const previous = dialect;
  dialect = engine === 'trino' ? trinoDialect : duckdbDialect;
  try {
    return compilePlan(input);
  } finally {
    dialect = previous;
  }
}

function compilePlan(input: AskPlan): CompiledAsk {
  const plan = ZAskPlan.parse(input);
  const base = METRIC_TABLE[plan.metric];
  const b = ALIAS[base];
  if (plan.part && !PART_METRICS.has(plan.metric))
    throw new Error(
      `A share of a part is computed for counts of users, events or sessions, not for ${metricWords(plan.metric)}.`,
    );
  if (plan.cohortGrain && plan.metric !== 'share')
    throw new Error('Cohorts by signup week or month are a share of users.');
  if (plan.perUnits && !plan.part)
    throw new Error('A rate per 1,000 is taken of a part, such as errors per 1,000 events.');
  if (
    plan.averageBy &&
    (!plan.average || !plan.grain || plan.grain === plan.averageBy || plan.grain === 'month')
  )
    throw new Error('An average per week or month is taken of daily (or weekly) counts.');
  if (plan.average && (!plan.grain || plan.part || !PART_METRICS.has(plan.metric)))
    throw new Error(
      'An average per day, week or month is taken of a daily, weekly or monthly count of users, events or sessions.',
    );
  if (
    plan.shareOfTotal &&
    (!plan.breakdown ||
      plan.grain ||
      plan.part ||
      plan.average ||
      plan.list ||
      plan.perUser ||
      plan.every ||
      !PART_METRICS.has(plan.metric))
  )
    throw new Error(
      'A share of the whole splits one count of users, events or sessions by the values of one breakdown.',
    );
  const refs = [
    ...plan.filters.map((f) => f.column),
    ...(plan.part ? [plan.part.column] : []),
    ...(plan.breakdown ? [plan.breakdown] : []),
    ...(plan.alsoBy ? [plan.alsoBy] : []),
  ];
  const tables = new Set<MartTable>([base]);
  for (const ref of refs) tables.add(ref.table);
  // Subscriptions of one experiment's exposed users (one exposure row per user and experiment,
  // so the experiment's key must be a filter: a user in two experiments would count twice).
  const exposures =
    base === 'fct_subscriptions' &&
    tables.has('fct_experiment_exposures') &&
    plan.filters.some(
      (f) =>
        f.column.table === 'fct_experiment_exposures' &&
        f.column.column === 'experiment_key' &&
        f.values.length === 1,
    );
  for (const t of tables)
    if (
      t !== base &&
      t !== 'dim_users' &&
      !(t === 'dim_features' && base === 'fact_events') &&
      !(t === 'fct_experiment_exposures' && exposures)
    )
      throw new Error(
        `${capitalise(metricWords(plan.metric))} cannot be filtered or broken down by columns of ${t}.`,
      );
  const join =
    (tables.has('dim_users') && base !== 'dim_users' ? ` join dim_users u using (user_id)` : '') +
    (exposures ? ` join fct_experiment_exposures x using (user_id)` : '') +
    // A feature's attributes (category, premium) for feature_used events.
    // (Named by the part only — "what share … used a premium feature" — every row stays in the
    // whole: a left join.)
    (tables.has('dim_features')
      ? ` ${featuresInPartOnly(plan) ? 'left join' : 'join'} dim_features f using (feature_name)`
      : '');
  // Active users with no event and only user attributes: fct_user_activity_daily has one row per
  // user and day with any event (same user_id and event_date columns), so the distinct users of
  // its days are those of fact_events, read from a table many times smaller (bench ask).
  const source: SourceTable =
    plan.metric === 'users' && !plan.event && refs.every((r) => r.table === 'dim_users')
      ? 'fct_user_activity_daily'
      : base;
  const explain: string[] = [];
  const conventions: string[] = [];

  if (plan.alsoBy && ['funnel', 'time_between', 'stickiness', 'share'].includes(plan.metric))
    throw new Error(
      `${capitalise(metricWords(plan.metric))} can be broken down by one column only.`,
    );
  if (plan.firstTime) return compileFirstTime(plan, join, tables);
  if (plan.metric === 'funnel') return compileFunnel(plan, join, tables);
  if (plan.metric === 'time_between') return compileTimeBetween(plan, join, tables);
  if (plan.metric === 'stickiness') return compileStickiness(plan, join, tables);

  if (plan.metric === 'share') {
    if (!plan.event || (!plan.thenEvent && !plan.thenPeriod && !plan.thenDays))
      throw new Error(
        'A share of users needs what they did first and what they did next (or when they came back).',
      );
    if (plan.thenFilters?.some((f) => f.column.table !== 'fact_events'))
      throw new Error(
        'The second step of a share can be filtered only by its own event properties.',
      );
    const conds = [`e.event_name = ${sqlString(plan.event)}`, 'e.user_id is not null'];
    if (plan.period) conds.push(periodCondition('fact_events', plan.period));
    for (const f of plan.filters) conds.push(filterCondition(f));
    const scale = plan.percent ? '100.0 * ' : '';
    // What the second event must be: its name, its own columns, its period.
    const then = plan.thenPeriod;
    const second =
      (plan.thenEvent ? ` and t.event_name = ${sqlString(plan.thenEvent)}` : '') +
      (plan.thenFilters ?? []).map((f) => ` and ${filterCondition(f, 't')}`).join('') +
      (then
        ? then.to
          ? ` and t.event_date between date ${sqlString(then.from)} and date ${sqlString(then.to)}`
          : ` and t.event_date >= date ${sqlString(then.from)}`
        : '') +
      (plan.thenDays
        ? // (A day interval, not an integer: Trino adds no integer to a date.)
          ` and t.event_date between a.d + interval '${plan.thenDays.from}' day and a.d + interval '${plan.thenDays.to}' day`
        : '');
    const first = `of the users who did ${plan.event}${plan.period ? ` ${periodPhrase(plan.period.label)}` : ''}${plan.filters.length ? ` (${plan.filters.map(describeFilter).join(', ')})` : ''}`;
    const did = plan.thenEvent
      ? `also did ${plan.thenEvent}${plan.thenFilters?.length ? ` (${plan.thenFilters.map(describeFilter).join(', ')})` : ''}`
      : 'were active (did any event)';
    const days = plan.thenDays;
    const when = days
      ? `${days.from === days.to ? `${days.from}` : `${days.from} to ${days.to}`} days after their first day of ${plan.event} (UTC dates)`
      : then
        ? periodPhrase(then.label)
        : 'at any time in the data';
    // With days after, each user's first day of the event is kept (a.d).
    const firstDay = days ? ', min(e.event_date) as d' : '';
    const grouped = (n: number) =>
      days ? ` group by ${Array.from({ length: n }, (_, i) => i + 1).join(', ')}` : '';
    const distinct = days ? '' : 'distinct ';
    const unit = plan.percent ? ', in percent' : ' (a fraction from 0 to 1)';
    if (plan.cohortGrain) {
      // One share per week (month) of each user's first day of the event: the weekly cohorts.
      if (plan.breakdown)
        throw new Error('A share by signup week or month has no other breakdown.');
      const g = plan.cohortGrain;
      const sql =
        `with a as (select e.user_id, min(e.event_date) as d from fact_events e${join} where ${conds.join(' and ')} group by 1)\n` +
        `select cast(date_trunc('${g}', a.d) as date) as ${g}, ${scale}cast(count(distinct t.user_id) as double) / count(distinct a.user_id) as ${metricAlias(plan)}\n` +
        `from a left join fact_events t on t.user_id = a.user_id${second}` +
        `\ngroup by 1\norder by 1`;
      explain.push(
        `For each ${g} of the users’ first ${plan.event}${g === 'week' ? ' (weeks start on Monday)' : ''}: ${first}, the share who ${did} ${when}${unit}.`,
      );
      return { sql, explanation: explain.join(' '), tables: [...tables] };
    }
    if (plan.breakdown) {
      // One share per group of the first event's users ("paid vs organic signups").
      const name = columnName(plan.breakdown);
      const sql =
        `with a as (select ${distinct}e.user_id, ${columnSql(plan.breakdown)} as ${name}${firstDay} from fact_events e${join} where ${conds.join(' and ')}${grouped(2)})\n` +
        `select a.${name}, ${scale}cast(count(distinct t.user_id) as double) / count(distinct a.user_id) as ${metricAlias(plan)}\n` +
        `from a left join fact_events t on t.user_id = a.user_id${second}` +
        `\ngroup by 1\norder by 2 ${plan.order === 'asc' ? 'asc' : 'desc'}` +
        (plan.limit ? `\nlimit ${plan.limit}` : '');
      explain.push(`For each ${name}: ${first}, the share who ${did} ${when}${unit}.`);
      return { sql, explanation: explain.join(' '), tables: [...tables] };
    }
    const sql =
      `with a as (select ${distinct}e.user_id${firstDay} from fact_events e${join} where ${conds.join(' and ')}${grouped(1)})\n` +
      `select ${scale}cast(count(distinct t.user_id) as double) / nullif((select count(*) from a), 0) as ${metricAlias(plan)}\n` +
      `from a join fact_events t on t.user_id = a.user_id${second}`;
    explain.push(
      `${first[0]!.toUpperCase()}${first.slice(1)}, the share who ${did} ${when}${unit}.`,
    );
    return { sql, explanation: explain.join(' '), tables: [...tables] };
  }

  // Companions, a second breakdown and a second period each extend a plain figure: none goes
  // with a share of the whole, an average over time, a lift, per-user counts or lists.
  const shaped = Boolean(
    plan.shareOfTotal ||
    plan.average ||
    plan.lift ||
    plan.perUser ||
    plan.allUsers ||
    plan.list ||
    plan.every,
  );
  const also = plan.also ?? [];
  if (
    also.length &&
    (also.some((m) => m === plan.metric || !companionsOf(plan.metric).includes(m)) ||
      new Set(also).size !== also.length ||
      plan.part ||
      shaped ||
      plan.cohort)
  )
    throw new Error(
      `${also.map(metricWords).join(', ')} cannot be shown alongside ${metricWords(plan.metric)}: only simple counts or averages of the same rows go side by side.`,
    );

  if (
    plan.alsoBy &&
    (!plan.breakdown ||
      columnName(plan.alsoBy) === columnName(plan.breakdown) ||
      shaped ||
      plan.versus)
  )
    throw new Error('A second breakdown needs a first one, on a simple count or average.');
  const versus = plan.versus;
  if (
    versus &&
    (!plan.period?.to ||
      plan.grain ||
      also.length ||
      plan.part ||
      shaped ||
      plan.cohort ||
      plan.limit ||
      ['mrr', 'user_count', 'churned_users', 'churn_rate'].includes(plan.metric))
  )
    throw new Error(
      'Two periods can be compared for a simple count or average, each period with a start and an end.',
    );

  if (plan.inactive) return compileInactive(plan, tables);
  if (plan.perUser) return compilePerUser(plan, join, tables);
  if (plan.allUsers) return compileAllUsersAverage(plan);
  if (plan.list) return compileUserList(plan, join, tables, source);
  if (plan.every) return compileEveryValue(plan, join, tables);

  const metric = metricSql(plan);
  const select: string[] = [];
  const group: string[] = [];
  if (plan.grain) {
    const { column } = timeColumn(plan, base);
    // A date on both engines (date_trunc of a DATE is a TIMESTAMP on DuckDB, a DATE on Trino).
    const expr = `date_trunc(${sqlString(BUCKET[plan.grain]!)}, ${b}.${column})`;
    select.push(`cast(${expr} as date) as ${plan.grain}`);
    group.push(plan.grain);
  }
  if (plan.breakdown) {
    const name = columnName(plan.breakdown);
    select.push(`${columnSql(plan.breakdown)} as ${name}`);
    group.push(name);
  }
  if (plan.alsoBy) {
    const name = columnName(plan.alsoBy);
    select.push(`${columnSql(plan.alsoBy)} as ${name}`);
    group.push(name);
  }
  if (versus) {
    // Which of the two periods a row is in: 1 for `period`, 2 for the other.
    const cond = periodCondition(base, plan.period!, timeColumn(plan, base));
    select.unshift(`case when ${cond} then 1 else 2 end as p`);
    group.unshift('p');
  }
  const alias = metricAlias(plan);
  const inner = plan.average ? baseAlias(plan) : alias;
  select.push(`${metric.expr} as ${inner}`);
  const companions = also.map((m) => {
    const other: AskPlan = {
      ...plan,
      metric: m,
      also: undefined,
      measure: m === 'session_avg' ? plan.measure : undefined,
    };
    const { expr, what } = metricSql(other);
    select.push(`${expr} as ${metricAlias(other)}`);
    return what;
  });

  const where: string[] = [];
  if (
    plan.metric === 'property_avg' &&
    plan.measure?.property &&
    plan.event !== plan.measure.property.event
  )
    throw new Error('An average of an event property is taken on the event that records it.');
  if (plan.event && base === 'fact_events') where.push(`e.event_name = ${sqlString(plan.event)}`);
  if (
    (plan.metric === 'users' && !also.includes('events')) ||
    plan.metric === 'events_per_user' ||
    (base === 'fact_events' && plan.breakdown?.column === 'user_id')
  )
    where.push('e.user_id is not null');
  const mrrEnd = plan.metric === 'mrr' ? mrrAsOf(plan) : undefined;
  if (plan.mrrFlow && plan.metric !== 'mrr')
    throw new Error('New or churned MRR is a measure of subscriptions only.');
  // (New MRR: every subscription started in the period, whatever it is now.)
  if (plan.mrrFlow === 'churned') where.push(`b.status = 'cancelled'`);
  else if (!plan.mrrFlow && (plan.metric === 'mrr' || plan.metric === 'avg_mrr') && !mrrEnd)
    where.push(`b.status = 'active'`);
  if (plan.metric === 'churned_users') where.push('u.is_churned');
  if (plan.cohort) {
    if (base !== 'fact_events' || (plan.metric !== 'users' && plan.metric !== 'events'))
      throw new Error(
        'A cohort (users who did something first) can narrow counts of users or events only.',
      );
    const c = plan.cohort;
    // The cohort event's own properties ("signed up with GitHub") narrow the cohort.
    const own = plan.filters
      .filter((f) => ownedByCohort(plan, f))
      .map((f) => ` and ${filterCondition(f, 'c')}`)
      .join('');
    const when =
      (c.period ? ` and ${periodCondition('fact_events', c.period).replace(/\be\./g, 'c.')}` : '') +
      own;
    where.push(
      c.withinHours
        ? `exists (select 1 from fact_events c where c.user_id = e.user_id and c.event_name = ${sqlString(c.event)}${when} and e.ts >= c.ts and e.ts <= c.ts + interval '${c.withinHours}' hour)`
        : `e.user_id in (select c.user_id from fact_events c where c.event_name = ${sqlString(c.event)}${when})`,
    );
  }
  if (plan.period && !mrrEnd && versus)
    where.push(
      `(${[plan.period, versus.period].map((p) => periodCondition(base, p, timeColumn(plan, base))).join(' or ')})`,
    );
  else if (plan.period && !mrrEnd)
    where.push(periodCondition(base, plan.period, timeColumn(plan, base)));
  for (const f of plan.filters) if (!ownedByCohort(plan, f)) where.push(filterCondition(f));

  const from = `from ${mrrEnd ? subscriptionsAt(mrrEnd) : source} ${b}${join}`;
  const whereSql = where.length ? `\nwhere ${where.join('\n  and ')}` : '';
  if (plan.shareOfTotal) {
    // Each value's count over the whole: the sum of the counts, or for users every distinct
    // user of the rows (a user with two values is in both, and once in the whole).
    const count = plan.metric === 'users' ? 'count(distinct e.user_id)' : 'count(*)';
    const whole =
      plan.metric === 'users'
        ? `(select count(distinct e.user_id) ${from}${whereSql})`
        : `sum(${count}) over ()`;
    select[select.length - 1] =
      `${plan.percent ? '100.0 * ' : ''}cast(${count} as double) / nullif(${whole}, 0) as ${alias}`;
  }
  let sql = `select ${select.join(', ')}\n${from}${whereSql}`;
  if (group.length) sql += `\ngroup by ${group.map((_, i) => i + 1).join(', ')}`;
  const keep = plan.shareOfTotal?.keep;
  if (keep && plan.breakdown)
    sql = `select *\nfrom (\n${sql}\n) t\nwhere ${columnName(plan.breakdown)} in (${keep.map(sqlString).join(', ')})`;
  if (plan.average) {
    // The average of the buckets the data has (a day with no rows is not a bucket), over the
    // period or per coarser unit (a week, a month).
    const by = plan.breakdown ? columnName(plan.breakdown) : undefined;
    const per = plan.averageBy;
    const keys = [
      ...(per ? [`cast(date_trunc('${per}', ${plan.grain}) as date) as ${per}`] : []),
      ...(by ? [by] : []),
    ];
    sql =
      `select ${keys.map((k) => `${k}, `).join('')}avg(${inner}) as ${alias}\nfrom (\n${sql}\n) per_${plan.grain}` +
      (keys.length ? `\ngroup by ${keys.map((_, i) => i + 1).join(', ')}` : '');
    if (plan.order)
      sql += `\norder by ${alias} ${plan.order}${keys.map((_, i) => `, ${i + 1}`).join('')}`;
    else if (per) sql += `\norder by ${keys.map((_, i) => i + 1).join(', ')}`;
  } else if (plan.order)
    sql += `\norder by ${alias} ${plan.order}${group.map((_, i) => `, ${i + 1}`).join('')}`;
  else if (plan.grain) sql += `\norder by ${group.map((_, i) => i + 1).join(', ')}`;
  if (plan.limit) sql += `\nlimit ${plan.limit}`;
  if (versus?.as === 'both') {
    // The users with rows in each of the two periods.
    if (plan.metric !== 'users') throw new Error('“In both periods” counts users only.');
    const inFirst = periodCondition(base, plan.period!, timeColumn(plan, base));
    const by = plan.breakdown ? columnName(plan.breakdown) : undefined;
    sql =
      `select ${by ? `${by}, ` : ''}count(*) as ${alias}\nfrom (\n` +
      `select ${by ? `${columnSql(plan.breakdown!)} as ${by}, ` : ''}e.user_id\n${from}${whereSql}\n` +
      `group by ${by ? '1, 2' : '1'}\nhaving count(distinct case when ${inFirst} then 1 else 2 end) = 2\n) t` +
      (by ? '\ngroup by 1' : '');
  } else if (versus) sql = comparePeriods(sql, plan, alias);

  explain.push(
    plan.average
      ? `Computed the average per ${plan.grain} of ${metric.what}${plan.averageBy ? `, for each ${plan.averageBy}` : ''}`
      : plan.shareOfTotal
        ? `Computed each ${columnName(plan.breakdown!)}’s share of ${metric.what.replace(/^the number of /, 'all ')}${plan.percent ? ', in percent' : ' (a fraction from 0 to 1)'}${keep ? `, showing ${keep.join(', ')}` : ''}`
        : `Computed ${listed([metric.what, ...companions])}`,
  );
  if (plan.period && !mrrEnd && versus) {
    const [a, b] = [plan.period.label, versus.period.label];
    explain.push(
      `${versus.as === 'both' ? `counting only users with rows in both ${b} and ${a}` : versus.as === 'columns' ? `in ${b} and in ${a}, side by side` : versus.as === 'rows' ? `in ${b} and in ${a}, one row each` : versus.as === 'difference' ? `in ${a} minus the same in ${b}` : `as the change from ${b} to ${a}${plan.percent ? ', in percent' : ' (a fraction: 0.1 is 10% more)'}`}, by ${timeColumn(plan, base).what} (UTC)`,
    );
  } else if (plan.period && !mrrEnd)
    explain.push(`${periodPhrase(plan.period.label)}, by ${timeColumn(plan, base).what} (UTC)`);
  else if (!plan.period) explain.push('over all the data');
  if (plan.filters.length) explain.push(`where ${plan.filters.map(describeFilter).join(' and ')}`);
  if (plan.cohort)
    explain.push(
      `counting only users who did ${plan.cohort.event}${plan.cohort.period ? ` ${periodPhrase(plan.cohort.period.label)}` : ''}${plan.cohort.withinHours ? `, and only what they did within ${plan.cohort.withinHours} hours after it` : ''}`,
    );
  if (plan.grain && !plan.average)
    explain.push(`per ${plan.grain}${plan.grain === 'week' ? ' (weeks start on Monday)' : ''}`);
  else if (plan.grain === 'week') conventions.push('Weeks start on Monday.');
  if (plan.breakdown)
    explain.push(
      `broken down by ${columnName(plan.breakdown)}${plan.alsoBy ? ` and ${columnName(plan.alsoBy)} (one row per pair of values)` : ''}`,
    );
  if (plan.order)
    explain.push(
      `ranked ${plan.order === 'desc' ? 'highest' : 'lowest'} first${plan.limit ? `, top ${plan.limit}` : ''}`,
    );
  if (tables.has('dim_users') && base !== 'dim_users')
    conventions.push(
      'User attributes (plan, company size, industry) are each user’s current ones, from dim_users.',
    );
  if (plan.metric === 'users' && !plan.event)
    conventions.push('“Active” means did any event in the period.');
  if (exposures)
    conventions.push(
      'The subscriptions are those of the users exposed to the experiment (fct_experiment_exposures, joined by user_id), each with the variant the user saw.',
    );
  return {
    sql,
    explanation: `${explain.join(', ')}.${conventions.length ? ` ${conventions.join(' ')}` : ''}`,
    tables: [...tables].map((t) => (t === base ? source : t)),
  };
}
