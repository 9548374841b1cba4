import { describe, expect, it } from 'vitest';
import { duckdbDialect, trinoDialect } from './dialect';
import type { PropertyFilter } from './properties';
import {
  bucketStarts,
  compileTrends,
  OTHER,
  shapeTrends,
  ZTrendsQuery,
  type TrendsQueryInput,
} from './trends';

const parse = (q: Omit<TrendsQueryInput, 'kind'>) => ZTrendsQuery.parse({ kind: 'trends', ...q });
const week = { from: '2026-10-05', to: '2026-10-11' };

describe('compileTrends', () => {
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
      [0, '2026-10-01T00:00:00.000Z', OTHER, 4],
      [0, '2026-10-01T00:00:00.000Z', 'web', 10],
      [0, '2026-10-03T00:00:00.000Z', 'web', 5],
    ]);
    expect(result.buckets).toHaveLength(3);
    expect(result.series.map((s) => [s.label, s.values, s.total])).toEqual([
      ['page_viewed · web', [10, 0, 5], 15],
      [`page_viewed · ${OTHER}`, [4, 0, 0], 4],
      ['error_occurred (users)', [0, 0, 0], 0],
    ]);
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
