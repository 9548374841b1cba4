import { describe, expect, it } from 'vitest';
import { askPlanToInsight, type AskInsight } from './ask-insight';
import { compileAskPlan, METRICS, type AskPlan } from './ask-plan';
import { ZTrendsQuery } from '../insights/trends';

const DATA = { from: '2026-03-02', to: '2026-11-15' };
const convert = (plan: AskPlan, dataRange = DATA) => askPlanToInsight(plan, { dataRange });
const signups: AskPlan = { metric: 'users', event: 'signed_up', filters: [] };
const october = { from: '2026-10-01', to: '2026-10-31', label: 'October 2026' };

/** The reason of a refusal (fails the test when the plan converted). */
function reasonOf(result: AskInsight): string {
  if (result.ok) throw new Error(`converted: ${JSON.stringify(result.query)}`);
  return result.reason;
}

describe('askPlanToInsight: convertible plans', () => {
  it('opens weekly signups by plan as a weekly line of unique users per plan', () => {
    const plan: AskPlan = {
      ...signups,
      period: october,
      grain: 'week',
      breakdown: { table: 'dim_users', column: 'plan' },
    };
    expect(() => compileAskPlan(plan)).not.toThrow();
    expect(convert(plan)).toEqual({
      ok: true,
      query: {
        kind: 'trends',
        series: [{ event: 'signed_up', math: 'unique_users', filters: [] }],
        interval: 'week',
        dateRange: { from: '2026-10-01', to: '2026-10-31' },
        filters: [],
        breakdown: { property: { source: 'user', name: 'plan' }, limit: 50 },
        formulas: [],
        compare: false,
      },
      chartType: 'line',
      notes: [
        'The insight names the 50 values with the most events; if there are more, the rest are grouped as “Other” (this answer lists each one).',
        'Each week’s users are this answer’s; the insight’s totals add them up, so a user active in several weeks counts more than once there.',
      ],
    });
  });

  it('maps filters of each source, runs an open period to the last day of data, shows a number', () => {
    const plan: AskPlan = {
      metric: 'events',
      event: 'report_exported',
      filters: [
        { column: { table: 'fact_events', column: 'platform' }, values: ['web'] },
        { column: { table: 'dim_users', column: 'plan' }, values: ['pro', 'enterprise'] },
        { column: { table: 'dim_users', column: 'is_churned' }, values: ['false'] },
        {
          column: {
            table: 'fact_events',
            column: 'properties',
            property: { event: 'report_exported', key: 'format' },
          },
          values: ['pdf', 'csv'],
        },
      ],
      period: { from: '2026-10-01', label: 'since October 2026' },
    };
    expect(() => compileAskPlan(plan)).not.toThrow();
    expect(convert(plan)).toEqual({
      ok: true,
      query: {
        kind: 'trends',
        series: [
          {
            event: 'report_exported',
            math: 'total',
            filters: [
              {
                property: { source: 'event_property', name: 'format' },
                op: 'in',
                value: ['pdf', 'csv'],
              },
            ],
          },
        ],
        // 46 days: weekly buckets (the total is their sum, the count over the range).
        interval: 'week',
        dateRange: { from: '2026-10-01', to: '2026-11-15' },
        filters: [
          { property: { source: 'event', name: 'platform' }, op: 'eq', value: 'web' },
          { property: { source: 'user', name: 'plan' }, op: 'in', value: ['pro', 'enterprise'] },
          { property: { source: 'user', name: 'is_churned' }, op: 'eq', value: false },
        ],
        formulas: [],
        compare: false,
      },
      chartType: 'number',
    });
  });

  it('reads a churned filter as true unless it says false, as the Ask SQL does', () => {
    const churned = convert({
      ...signups,
      period: october,
      filters: [{ column: { table: 'dim_users', column: 'is_churned' }, values: ['true'] }],
    });
    expect(churned.ok && churned.query.filters).toEqual([
      { property: { source: 'user', name: 'is_churned' }, op: 'eq', value: true },
    ]);
  });

  it('covers all the data without a period; event totals take any interval', () => {
    const result = convert({ metric: 'events', event: 'error_occurred', filters: [] });
    expect(result).toEqual({
      ok: true,
      query: {
        kind: 'trends',
        series: [{ event: 'error_occurred', math: 'total', filters: [] }],
        interval: 'month',
        dateRange: DATA,
        filters: [],
        formulas: [],
        compare: false,
      },
      chartType: 'number',
    });
    const short = convert(
      { metric: 'events', event: 'error_occurred', filters: [] },
      { from: '2026-10-01', to: '2026-10-20' },
    );
    expect(short.ok && short.query.interval).toBe('month');
    const weeks = convert(
      { metric: 'events', event: 'error_occurred', filters: [] },
      { from: '2026-10-20', to: '2026-11-10' },
    );
    expect(weeks.ok && weeks.query.interval).toBe('day');
  });

  it('counts distinct users without a grain only when the range is one bucket', () => {
    const interval = (period: AskPlan['period']) => {
      const r = convert({ ...signups, period });
      return r.ok ? { interval: r.query.interval, chart: r.chartType } : r.reason;
    };
    expect(interval({ from: '2026-10-07', to: '2026-10-07', label: 'x' })).toEqual({
      interval: 'day',
      chart: 'number',
    });
    // Monday to Sunday across two months: one week.
    expect(interval({ from: '2026-09-28', to: '2026-10-04', label: 'x' })).toEqual({
      interval: 'week',
      chart: 'number',
    });
    // A partial week (Wednesday–Friday) is one week bucket too: the range cuts the events.
    expect(interval({ from: '2026-10-07', to: '2026-10-09', label: 'x' })).toEqual({
      interval: 'week',
      chart: 'number',
    });
    expect(interval(october)).toEqual({ interval: 'month', chart: 'number' });
    expect(interval({ from: '2026-10-15', to: '2026-10-31', label: 'x' })).toEqual({
      interval: 'month',
      chart: 'number',
    });
    const reason =
      'Over this period a trends insight adds up each month’s users, counting a user active in two months twice, while this answer counts each user once; open it in the SQL editor instead.';
    // Sunday to Monday: two weeks, two months.
    expect(interval({ from: '2026-09-27', to: '2026-10-05', label: 'x' })).toBe(reason);
    expect(interval({ from: '2026-10-01', to: '2026-11-30', label: 'x' })).toBe(reason);
    expect(interval(undefined)).toBe(reason);
  });

  it('opens a ranked top N of events as that breakdown limit, in a bar chart', () => {
    const plan: AskPlan = {
      metric: 'events',
      event: 'feature_used',
      filters: [],
      period: october,
      breakdown: { table: 'fact_events', column: 'feature_name' },
      order: 'desc',
      limit: 5,
    };
    expect(() => compileAskPlan(plan)).not.toThrow();
    expect(convert(plan)).toEqual({
      ok: true,
      query: {
        kind: 'trends',
        series: [{ event: 'feature_used', math: 'total', filters: [] }],
        interval: 'month',
        dateRange: { from: '2026-10-01', to: '2026-10-31' },
        filters: [],
        breakdown: { property: { source: 'event', name: 'feature_name' }, limit: 5 },
        formulas: [],
        compare: false,
      },
      chartType: 'bar',
      notes: [
        'Values outside the top 5 are grouped as “Other” in the insight; the top 5 are this answer’s.',
      ],
    });
  });

  it('shows every value when the plan bounds them, whatever the ranking', () => {
    // Users by two plans, top 3: both plans are in the answer, so trends' event ranking is moot.
    const bounded = convert({
      ...signups,
      period: october,
      filters: [{ column: { table: 'dim_users', column: 'plan' }, values: ['pro', 'team'] }],
      breakdown: { table: 'dim_users', column: 'plan' },
      order: 'desc',
      limit: 3,
    });
    expect(bounded).toEqual({
      ok: true,
      query: {
        kind: 'trends',
        series: [{ event: 'signed_up', math: 'unique_users', filters: [] }],
        interval: 'month',
        dateRange: { from: '2026-10-01', to: '2026-10-31' },
        filters: [{ property: { source: 'user', name: 'plan' }, op: 'in', value: ['pro', 'team'] }],
        breakdown: { property: { source: 'user', name: 'plan' }, limit: 3 },
        formulas: [],
        compare: false,
      },
      chartType: 'bar',
    });
    // Churned or not (or unset): at most three values, no "Other" note.
    const churn = convert({
      ...signups,
      period: october,
      breakdown: { table: 'dim_users', column: 'is_churned' },
    });
    expect(churn.ok && [churn.query.breakdown, churn.notes]).toEqual([
      { property: { source: 'user', name: 'is_churned' }, limit: 50 },
      undefined,
    ]);
  });

  it('breaks down by an event property by its key', () => {
    const result = convert({
      metric: 'events',
      event: 'report_exported',
      filters: [],
      period: october,
      grain: 'day',
      breakdown: {
        table: 'fact_events',
        column: 'properties',
        property: { event: 'report_exported', key: 'format' },
      },
      order: 'desc',
    });
    expect(result.ok && [result.query.breakdown, result.query.interval, result.chartType]).toEqual([
      { property: { source: 'event_property', name: 'format' }, limit: 50 },
      'day',
      'line',
    ]);
  });

  it('ignores a limit on a single figure (the answer has one row)', () => {
    const result = convert({ ...signups, period: october, order: 'desc', limit: 1 });
    expect(result.ok && [result.query.interval, result.query.breakdown, result.chartType]).toEqual([
      'month',
      undefined,
      'number',
    ]);
  });

  it('returns a query that ZTrendsQuery accepts as it is', () => {
    const result = convert({
      ...signups,
      period: october,
      grain: 'day',
      filters: [{ column: { table: 'dim_users', column: 'cohort_month' }, values: ['2026-09-01'] }],
      breakdown: { table: 'fact_events', column: 'country' },
    });
    if (!result.ok) throw new Error(result.reason);
    expect(ZTrendsQuery.parse(result.query)).toEqual(result.query);
    expect(result.query.filters).toEqual([
      { property: { source: 'user', name: 'cohort_month' }, op: 'eq', value: '2026-09-01' },
    ]);
  });
});

describe('askPlanToInsight: plans a trends insight would answer differently', () => {
  it('refuses every metric but users and events, each with a reason', () => {
    const others = METRICS.filter((m) => m !== 'users' && m !== 'events');
    expect(others).toHaveLength(20);
    for (const metric of others) {
      const reason = reasonOf(
        convert({ metric, event: 'signed_up', thenEvent: 'logged_in', filters: [] }),
      );
      expect(reason, metric).toMatch(
        / not a trends insight.*; open it in the SQL editor instead\.$/,
      );
    }
    expect(
      reasonOf(
        convert({ metric: 'share', event: 'signed_up', thenEvent: 'logged_in', filters: [] }),
      ),
    ).toBe(
      'Shares between two events are not a trends insight; open it in the SQL editor instead.',
    );
  });

  it('refuses a list of users, and users with every one of several values', () => {
    const used: AskPlan = {
      metric: 'users',
      event: 'feature_used',
      filters: [
        {
          column: { table: 'fact_events', column: 'feature_name' },
          values: ['gantt_chart', 'time_tracking'],
        },
      ],
    };
    expect(reasonOf(convert({ ...used, list: true }))).toMatch(/^A list of users/);
    // A trends insight would count the users of either feature, not of both.
    expect(reasonOf(convert({ ...used, every: true }))).toMatch(/every one of several values/);
    // A trends insight would count every user of the feature, not the first-timers.
    expect(reasonOf(convert({ ...used, firstTime: true }))).toMatch(/first time/);
  });

  it('refuses a share of a part and an average over days', () => {
    const logins: AskPlan = { metric: 'events', event: 'logged_in', filters: [] };
    expect(
      reasonOf(
        convert({
          ...logins,
          part: { column: { table: 'fact_events', column: 'platform' }, values: ['ios'] },
        }),
      ),
    ).toMatch(/^A share of a part .* not a trends insight/);
    expect(reasonOf(convert({ ...logins, grain: 'day', average: true }))).toMatch(
      /^An average over days, weeks or months is not a trends insight/,
    );
  });

  it('refuses counts with no event: trends has no "any event"', () => {
    expect(reasonOf(convert({ metric: 'users', filters: [], period: october }))).toBe(
      'A trends insight counts one event, and this answer counts users active in any event; open it in the SQL editor instead.',
    );
    expect(reasonOf(convert({ metric: 'events', filters: [], grain: 'day' }))).toBe(
      'A trends insight counts one event, and this answer counts all events together; open it in the SQL editor instead.',
    );
  });

  it('refuses rankings trends would pick differently', () => {
    const byFeature: AskPlan = {
      ...signups,
      event: 'feature_used',
      period: october,
      breakdown: { table: 'fact_events', column: 'feature_name' },
    };
    expect(reasonOf(convert({ ...byFeature, order: 'desc', limit: 3 }))).toBe(
      'A trends breakdown keeps the values with the most events, not the most users, so its top 3 could differ from this answer’s; open it in the SQL editor instead.',
    );
    expect(reasonOf(convert({ ...byFeature, metric: 'events', order: 'asc', limit: 3 }))).toBe(
      'A trends breakdown keeps the values with the most events, not the fewest, so it cannot show this answer’s bottom 3; open it in the SQL editor instead.',
    );
    expect(reasonOf(convert({ ...byFeature, metric: 'events', order: 'desc', limit: 60 }))).toBe(
      'A trends breakdown names at most 50 values, and this answer lists up to 60; open it in the SQL editor instead.',
    );
    expect(reasonOf(convert({ ...byFeature, metric: 'events', limit: 3 }))).toBe(
      'This answer keeps 3 values without ranking them; open it in the SQL editor instead.',
    );
    expect(
      reasonOf(convert({ ...signups, period: october, grain: 'day', order: 'desc', limit: 5 })),
    ).toBe(
      'This answer keeps only the top 5 of its daily figures, and a trends insight shows every day; open it in the SQL editor instead.',
    );
  });

  it('refuses filters and breakdowns trends cannot express the same way', () => {
    // A property of another event: Ask matches no row, trends would match by key.
    expect(
      reasonOf(
        convert({
          metric: 'events',
          event: 'feature_used',
          filters: [
            {
              column: {
                table: 'fact_events',
                column: 'properties',
                property: { event: 'report_exported', key: 'format' },
              },
              values: ['pdf'],
            },
          ],
        }),
      ),
    ).toBe(
      'The filter on report_exported.format is about report_exported events, not the feature_used events counted here, so a trends insight would not give the same numbers; open it in the SQL editor instead.',
    );
    expect(
      reasonOf(
        convert({
          ...signups,
          filters: [{ column: { table: 'fact_events', column: 'session_id' }, values: ['s1'] }],
        }),
      ),
    ).toBe(
      'A trends insight cannot filter or break down by “session_id” (fact_events); open it in the SQL editor instead.',
    );
    expect(
      reasonOf(convert({ ...signups, breakdown: { table: 'fct_sessions', column: 'platform' } })),
    ).toBe(
      'A trends insight cannot filter or break down by “platform” (fct_sessions); open it in the SQL editor instead.',
    );
    expect(
      reasonOf(
        convert({
          ...signups,
          period: october,
          filters: [{ column: { table: 'dim_users', column: 'signup_date' }, values: ['2026-10'] }],
        }),
      ),
    ).toBe(
      'The signup_date filter is not a list of days (YYYY-MM-DD), so a trends insight would compare it differently; open it in the SQL editor instead.',
    );
  });

  it('refuses periods a trends range cannot hold', () => {
    expect(
      reasonOf(
        convert({
          ...signups,
          grain: 'day',
          period: { from: '2026-12-01', label: 'since December' },
        }),
      ),
    ).toBe('This period starts after the last day of data, so there is nothing to chart yet.');
    expect(
      reasonOf(convert({ ...signups, grain: 'day', period: { ...october, to: '2026-09-30' } })),
    ).toBe('The period ends before it starts; open it in the SQL editor instead.');
    expect(
      reasonOf(
        convert({
          ...signups,
          grain: 'month',
          period: { from: '2010-01-01', to: '2026-10-31', label: 'x' },
        }),
      ),
    ).toBe(
      'A trends insight covers at most 10 years, and this period is longer; open it in the SQL editor instead.',
    );
    // Not a calendar day: the plan's pattern accepts it, a trends range does not.
    expect(
      reasonOf(
        convert({
          ...signups,
          grain: 'day',
          period: { from: '2026-02-30', to: '2026-03-02', label: 'x' },
        }),
      ),
    ).toMatch(
      /^This answer cannot be opened as a trends insight \(.+\); open it in the SQL editor instead\.$/,
    );
  });
});

describe('askPlanToInsight: two figures', () => {
  it('does not open two periods, users without an event or two breakdowns as a trends insight', () => {
    const base: AskPlan = { metric: 'users', event: 'logged_in', filters: [], period: october };
    const plans: [AskPlan, RegExp][] = [
      [
        {
          ...base,
          versus: {
            period: { from: '2026-09-01', to: '2026-09-30', label: 'September 2026' },
            as: 'difference',
          },
        },
        /Two periods/,
      ],
      [{ ...base, inactive: true }, /did not do something/],
      [
        {
          ...base,
          breakdown: { table: 'dim_users', column: 'plan' },
          alsoBy: { table: 'dim_users', column: 'country' },
        },
        /by two/,
      ],
    ];
    for (const [plan, reason] of plans) {
      expect(() => compileAskPlan(plan)).not.toThrow();
      expect(reasonOf(convert(plan))).toMatch(reason);
    }
  });

  it('does not open events beside users as one trends series', () => {
    const plan: AskPlan = { metric: 'events', also: ['users'], event: 'signed_up', filters: [] };
    expect(() => compileAskPlan(plan)).not.toThrow();
    expect(reasonOf(convert(plan))).toMatch(/Two figures/);
  });
});
