import { describe, expect, it } from 'vitest';
import { duckdbDialect, trinoDialect } from './dialect';
import type { PropertyFilter } from './properties';
import {
  USER_EVENT_DAYS,
  bucketStarts,
  compileTrends,
  OTHER,
  previousRange,
  shapeTrends,
  ZTrendsQuery,
  type TrendsQueryInput,
} from './trends';

const parse = (q: Omit<TrendsQueryInput, 'kind'>) => ZTrendsQuery.parse({ kind: 'trends', ...q });
const week = { from: '2026-10-05', to: '2026-10-11' };

describe('compileTrends', () => {
  // Protects the pre-aggregated path: unfiltered totals read agg_event_counts_hourly (summing
  // hours into buckets, compare included) only when the run has it; unique users, filters and
  // breakdowns always read fact_events.
  it('reads hourly counts for unfiltered totals when the marts have them', () => {
    const marts = new Set(['fact_events', 'agg_event_counts_hourly']);
    const q = parse({
      series: [{ event: 'signed_up' }, { event: 'signed_up', math: 'unique_users' }],
      dateRange: week,
      interval: 'week',
      compare: true,
    });
    const { sql, params } = compileTrends(q, duckdbDialect, { marts });
    expect(sql).toMatchSnapshot();
    expect(sql.match(/from agg_event_counts_hourly as a/g)).toHaveLength(1);
    expect(sql.match(/from fact_events as e/g)).toHaveLength(1);
    expect(params).toHaveLength(8);
    expect(compileTrends(q, duckdbDialect).sql).not.toContain('agg_event_counts_hourly');
    const filtered = parse({
      series: [
        {
          event: 'signed_up',
          filters: [{ property: { source: 'event', name: 'platform' }, op: 'eq', value: 'web' }],
        },
      ],
      dateRange: week,
    });
    expect(compileTrends(filtered, duckdbDialect, { marts }).sql).not.toContain(
      'agg_event_counts_hourly',
    );
  });

  // Protects the per-day users path: unique users by day/week/month with no filter or breakdown
  // count distinct users over agg_user_event_days (whole UTC days, compared as DATEs, the period
  // split on the range's first day) when the run has it; hours and filters read fact_events.
  it('counts unique users from the per-day users when the run has them', () => {
    const marts = new Set(['fact_events', USER_EVENT_DAYS]);
    const q = parse({
      series: [{ event: 'page_viewed', math: 'unique_users' }],
      dateRange: week,
      interval: 'month',
      compare: true,
    });
    const { sql, params } = compileTrends(q, duckdbDialect, { marts });
    expect(sql).toMatchSnapshot();
    expect(sql).toContain('from agg_user_event_days as a');
    expect(sql).not.toContain('fact_events');
    expect(sql).toContain('count(distinct user_id)');
    // Period split on the range's first day, then event, scan start (previous week), end.
    expect(params).toEqual(['2026-10-05', 'page_viewed', '2026-09-28', '2026-10-12']);
    expect(compileTrends(q, duckdbDialect).sql).not.toContain(USER_EVENT_DAYS);
    for (const other of [
      parse({
        series: [{ event: 'page_viewed', math: 'unique_users' }],
        dateRange: week,
        interval: 'hour',
      }),
      parse({
        series: [{ event: 'page_viewed', math: 'unique_users' }],
        dateRange: week,
        breakdown: { property: { source: 'event', name: 'platform' }, limit: 5 },
      }),
      parse({
        series: [{ event: 'page_viewed', math: 'unique_users' }],
        dateRange: week,
        filters: [{ property: { source: 'user', name: 'plan' }, op: 'eq', value: 'pro' }],
      }),
    ])
      expect(compileTrends(other, duckdbDialect, { marts }).sql).not.toContain(USER_EVENT_DAYS);
  });

  // Protects compare mode: one scan from the previous period's start, a period column that
  // splits it, and the breakdown's top N chosen on the current period only.
  it('scans the previous period too when comparing', () => {
    const { sql, params } = compileTrends(
      parse({
        series: [{ event: 'signed_up' }],
        breakdown: { property: { source: 'event', name: 'platform' } },
        dateRange: week,
        compare: true,
      }),
      duckdbDialect,
    );
    expect(sql).toMatchSnapshot();
    expect(sql).toContain('where period = 0 group by breakdown');
    expect(params).toEqual([
      '2026-10-05T00:00:00.000Z',
      'signed_up',
      '2026-09-28T00:00:00.000Z',
      '2026-10-12T00:00:00.000Z',
    ]);
  });

  // Protects the basic shape: one CTE per series, bucketed in UTC, bounds and event name bound.
  it('compiles one series of total events per day', () => {
    const { sql, params } = compileTrends(
      parse({ series: [{ event: 'signed_up' }], dateRange: week }),
      duckdbDialect,
    );
    expect(sql).toMatchSnapshot();
    expect(params).toEqual(['signed_up', '2026-10-05T00:00:00.000Z', '2026-10-12T00:00:00.000Z']);
  });

  // Protects: unique users use a distinct count, filters are bound (never inlined), a user
  // property joins dim_users, a JSON property key travels as a bound JSON path.
  it('binds every filter value and joins dim_users only for user properties', () => {
    const q = parse({
      series: [
        {
          event: 'feature_used',
          math: 'unique_users',
          filters: [{ property: { source: 'event_property', name: "it's" }, op: 'eq', value: 'x' }],
        },
      ],
      filters: [
        { property: { source: 'user', name: 'plan' }, op: 'in', value: ['pro', 'enterprise'] },
      ],
      dateRange: week,
      interval: 'week',
    });
    const { sql, params } = compileTrends(q, duckdbDialect);
    expect(sql).toMatchSnapshot();
    expect(sql).toContain('left join dim_users as u');
    expect(sql).not.toContain("it's");
    expect(params).toContain('$."it\'s"');
    expect(params).toEqual(expect.arrayContaining(['pro', 'enterprise', 'x', 'feature_used']));
  });

  // Protects the breakdown: per-series top N by event count, the rest folded into OTHER.
  it('breaks down by the top N values of a property', () => {
    const { sql } = compileTrends(
      parse({
        series: [{ event: 'page_viewed' }, { event: 'error_occurred' }],
        breakdown: { property: { source: 'event', name: 'platform' }, limit: 3 },
        dateRange: week,
      }),
      duckdbDialect,
    );
    expect(sql).toMatchSnapshot();
    expect(sql.match(/limit 3/g)).toHaveLength(2);
  });

  // Protects the dialect boundary: Trino placeholders and JSON access come from the dialect.
  it('compiles for Trino through the same dialect interface', () => {
    const { sql } = compileTrends(
      parse({
        series: [
          {
            event: 'feature_used',
            filters: [
              { property: { source: 'event_property', name: 'feature_name' }, op: 'is_set' },
            ],
          },
        ],
        dateRange: week,
      }),
      trinoDialect,
    );
    expect(sql).toMatchSnapshot();
    expect(sql).not.toMatch(/\$\d/);
  });
});

describe('ZTrendsQuery', () => {
  it('refuses a reversed range, hourly trends over long ranges and unknown columns', () => {
    const bad = (q: unknown) => ZTrendsQuery.safeParse(q).success;
    expect(
      bad({
        kind: 'trends',
        series: [{ event: 'a' }],
        dateRange: { from: '2026-10-05', to: '2026-10-01' },
      }),
    ).toBe(false);
    expect(
      bad({
        kind: 'trends',
        series: [{ event: 'a' }],
        interval: 'hour',
        dateRange: { from: '2026-01-01', to: '2026-03-01' },
      }),
    ).toBe(false);
    expect(
      bad({
        kind: 'trends',
        series: [{ event: 'a' }],
        dateRange: week,
        breakdown: { property: { source: 'event', name: 'properties; drop table x' } },
      }),
    ).toBe(false);
    expect(
      bad({
        kind: 'trends',
        series: [
          {
            event: 'a',
            filters: [{ property: { source: 'event', name: 'country' }, op: 'in', value: 'DE' }],
          },
        ],
        dateRange: week,
      }),
    ).toBe(false);
  });
});

describe('bucketStarts', () => {
  it('covers the range with UTC buckets; weeks start on Monday, months on the 1st', () => {
    expect(bucketStarts({ from: '2026-10-01', to: '2026-10-03' }, 'day')).toEqual([
      '2026-10-01T00:00:00.000Z',
      '2026-10-02T00:00:00.000Z',
      '2026-10-03T00:00:00.000Z',
    ]);
    // 2026-10-01 is a Thursday: its week starts on Monday 2026-09-28.
    expect(bucketStarts({ from: '2026-10-01', to: '2026-10-12' }, 'week')).toEqual([
      '2026-09-28T00:00:00.000Z',
      '2026-10-05T00:00:00.000Z',
      '2026-10-12T00:00:00.000Z',
    ]);
    expect(bucketStarts({ from: '2026-10-15', to: '2026-11-02' }, 'month')).toHaveLength(2);
    expect(bucketStarts({ from: '2026-10-01', to: '2026-10-01' }, 'hour')).toHaveLength(24);
  });
});

describe('shapeTrends', () => {
  it('fills gaps with zeros, names series, keeps OTHER last and empty series visible', () => {
    const q = parse({
      series: [{ event: 'page_viewed' }, { event: 'error_occurred', math: 'unique_users' }],
      breakdown: { property: { source: 'event', name: 'platform' }, limit: 1 },
      dateRange: { from: '2026-10-01', to: '2026-10-03' },
    });
    const result = shapeTrends(q, [
      [0, 0, '2026-10-01T00:00:00.000Z', OTHER, 4],
      [0, 0, '2026-10-01T00:00:00.000Z', 'web', 10],
      [0, 0, '2026-10-03T00:00:00.000Z', 'web', 5],
    ]);
    expect(result.buckets).toHaveLength(3);
    expect(result.previousBuckets).toBeNull();
    expect(result.series.map((s) => [s.label, s.values, s.total])).toEqual([
      ['page_viewed · web', [10, 0, 5], 15],
      [`page_viewed · ${OTHER}`, [4, 0, 0], 4],
      ['error_occurred (users)', [0, 0, 0], 0],
    ]);
  });

  // Protects compare mode: the previous period's buckets line up by position under the range's,
  // and its series are labelled and ordered after the current ones.
  it('aligns the previous period bucket by bucket', () => {
    const q = parse({
      series: [{ event: 'page_viewed' }],
      dateRange: { from: '2026-10-04', to: '2026-10-06' },
      compare: true,
    });
    expect(previousRange(q.dateRange)).toEqual({ from: '2026-10-01', to: '2026-10-03' });
    const result = shapeTrends(q, [
      [0, 0, '2026-10-04T00:00:00.000Z', null, 7],
      [0, 1, '2026-10-01T00:00:00.000Z', null, 3],
      [0, 1, '2026-10-03T00:00:00.000Z', null, 5],
    ]);
    expect(result.previousBuckets).toEqual([
      '2026-10-01T00:00:00.000Z',
      '2026-10-02T00:00:00.000Z',
      '2026-10-03T00:00:00.000Z',
    ]);
    expect(result.series.map((s) => [s.label, s.period, s.values])).toEqual([
      ['page_viewed', 'current', [7, 0, 0]],
      ['page_viewed (previous period)', 'previous', [3, 0, 5]],
    ]);
  });

  // Protects formulas: computed per bucket and per breakdown value, a missing breakdown value
  // reads as 0, division by zero is a gap (null), not Infinity.
  it('computes formulas per bucket and breakdown value', () => {
    const q = parse({
      series: [{ event: 'error_occurred' }, { event: 'page_viewed' }],
      breakdown: { property: { source: 'event', name: 'platform' } },
      formulas: [{ expression: 'A / B * 100', label: 'Errors per 100 views' }],
      dateRange: { from: '2026-10-01', to: '2026-10-02' },
    });
    const result = shapeTrends(q, [
      [0, 0, '2026-10-01T00:00:00.000Z', 'web', 2],
      [1, 0, '2026-10-01T00:00:00.000Z', 'web', 50],
      [1, 0, '2026-10-02T00:00:00.000Z', 'ios', 10],
    ]);
    expect(result.formulas.map((f) => [f.label, f.values])).toEqual([
      ['Errors per 100 views · web', [4, null]],
      ['Errors per 100 views · ios', [null, 0]],
    ]);
  });

  // Protects the schema: a formula naming a series that does not exist is refused precisely.
  it('refuses formulas over missing series or with bad syntax', () => {
    const bad = (expression: string) =>
      ZTrendsQuery.safeParse({
        kind: 'trends',
        series: [{ event: 'a' }, { event: 'b' }],
        dateRange: week,
        formulas: [{ expression }],
      }).error?.issues[0]?.message;
    expect(bad('A/C')).toBe('Series C does not exist: this insight has 2 series (A–B)');
    expect(bad('A/(B')).toBe('A "(" is not closed');
    expect(bad('AB')).toBe('"AB" is not a series: use single letters (A, B, …)');
    expect(bad('A;B')).toBe('Unexpected ";" at position 2');
    expect(bad('A/B')).toBeUndefined();
  });
});

describe('filters', () => {
  // Protects positional parameters: every operator names its property exactly once.
  it('binds one value per placeholder for every operator on a JSON property', () => {
    const ops: { op: PropertyFilter['op']; value?: PropertyFilter['value'] }[] = [
      { op: 'eq', value: 'a' },
      { op: 'neq', value: 'a' },
      { op: 'in', value: ['a', 'b'] },
      { op: 'not_in', value: ['a', 'b'] },
      { op: 'contains', value: 'a' },
      { op: 'gt', value: 3 },
      { op: 'lt', value: 'm' },
      { op: 'is_set' },
      { op: 'is_not_set' },
    ];
    for (const f of ops) {
      const { sql, params } = compileTrends(
        parse({
          series: [
            { event: 'e', filters: [{ property: { source: 'event_property', name: 'k' }, ...f }] },
          ],
          dateRange: week,
        }),
        trinoDialect,
      );
      expect(sql.match(/\?/g), f.op).toHaveLength(params.length);
    }
  });
});

describe('cohort filters and breakdowns', () => {
  // A cohort as the InsightService embeds it (resolved from its id before compiling).
  const resolved = {
    name: 'Exporters',
    asOf: '2026-10-11',
    definition: {
      match: 'all' as const,
      groups: [
        {
          match: 'all' as const,
          conditions: [
            {
              type: 'performed' as const,
              event: 'report_exported',
              filters: [],
              operator: 'at_least' as const,
              count: 2,
              window: { last: 7, unit: 'day' as const },
            },
          ],
        },
      ],
    },
  };

  // Protects the cohort filter: the compiler turns the embedded definition into
  // `e.user_id in (<cohort subquery>)` (negated with `not in`), binding its values in textual
  // order between the series' bounds and the series filters; a property filter beside it is
  // unchanged.
  it('filters by a resolved cohort with a semi-join on the cohort subquery', () => {
    const q = parse({
      series: [
        {
          event: 'page_viewed',
          filters: [{ property: { source: 'event', name: 'platform' }, op: 'eq', value: 'web' }],
        },
      ],
      filters: [
        { cohort: { id: 'c1', resolved } },
        { cohort: { id: 'c1', negate: true, resolved } },
      ],
      dateRange: week,
    });
    for (const dialect of [duckdbDialect, trinoDialect]) {
      const { sql, params } = compileTrends(q, dialect);
      expect(sql).toContain('and e.user_id in (select u.user_id from dim_users as u');
      expect(sql).toContain('and e.user_id not in (select u.user_id from dim_users as u');
      expect(sql).toContain('having count(*) >= 2');
      // The cohort reads dim_users in its own scope: the insight does not join it.
      expect(sql).not.toContain('left join dim_users');
      const cohortParams = [
        '2026-10-12T00:00:00.000Z',
        'report_exported',
        '2026-10-05T00:00:00.000Z',
        '2026-10-12T00:00:00.000Z',
      ];
      expect(params.slice(-9)).toEqual([...cohortParams, ...cohortParams, 'web']);
      if (dialect === trinoDialect) expect(sql.match(/\?/g)).toHaveLength(params.length);
    }
  });

  // Protects the cohort breakdown: members are labelled with the cohort's name (bound), the
  // rest fall into NONE.
  it('breaks down by a cohort: its name for members, NONE for the rest', () => {
    const { sql, params } = compileTrends(
      parse({
        series: [{ event: 'page_viewed' }],
        breakdown: { cohort: { id: 'c1', resolved } },
        dateRange: week,
      }),
      trinoDialect,
    );
    expect(sql).toContain('coalesce(cast(case when e.user_id in (select u.user_id from dim_users');
    expect(sql).toContain("then ? end as varchar), '$none')");
    expect(params).toContain('Exporters');
    expect(sql.match(/\?/g)).toHaveLength(params.length);
  });

  // Protects purity: an unresolved cohort reference is a programming error, not a silent no-op.
  it('refuses to compile a cohort the service did not resolve', () => {
    const q = parse({
      series: [{ event: 'e' }],
      filters: [{ cohort: { id: 'c9' } }],
      dateRange: week,
    });
    expect(() => compileTrends(q, duckdbDialect)).toThrow(/cohort "c9" was not resolved/);
  });
});
