import { describe, expect, it } from 'vitest';
import {
  compileFeatureAdoption,
  shapeFeatureAdoption,
  ZFeatureAdoptionQuery,
  type FeatureAdoptionQueryInput,
} from './adoption';
import { duckdbDialect, trinoDialect } from './dialect';
import { NONE } from './trends';

const parse = (q: Omit<FeatureAdoptionQueryInput, 'kind'>) =>
  ZFeatureAdoptionQuery.parse({ kind: 'feature_adoption', ...q });
const month = { from: '2026-09-01', to: '2026-09-30' };
const placeholders = (sql: string) => (sql.match(/\?/g) ?? []).length;

describe('compileFeatureAdoption', () => {
  // Protects the plan: the denominator from dim_users (+ fct_user_activity_daily for active
  // users), per (user, feature) distinct weeks by the dialect's epoch truncation (no ICU
  // date_trunc on DuckDB), every feature × segment present (cross join), bounds bound.
  it('compiles adoption by plan among active users for DuckDB', () => {
    const { sql, params } = compileFeatureAdoption(parse({ dateRange: month }), duckdbDialect);
    expect(sql).toMatchInlineSnapshot(`
      "with pop as (
        select u.user_id, coalesce(cast(u.plan as varchar), '$none') as segment
        from dim_users as u
        where u.first_seen < cast($1 as timestamp with time zone)
          and u.user_id in (select d.user_id from fct_user_activity_daily as d where d.event_date >= cast($2 as date) and d.event_date <= cast($3 as date))
      ),
      usage as (
        select e.user_id, e.feature_name, count(distinct to_timestamp((((epoch_us(e.ts) // 86400000000) + 3) // 7 * 7 - 3) * 86400)) as weeks
        from fact_events as e
        where e.event_name = 'feature_used'
          and e.feature_name is not null
          and e.user_id is not null
          and e.ts >= cast($4 as timestamp with time zone)
          and e.ts < cast($5 as timestamp with time zone)
        group by e.user_id, e.feature_name
      ),
      features as (
        select feature_name, category, is_premium, launched_at from dim_features
      ),
      segments as (
        select segment, count(*) as users from pop group by segment
      ),
      cells as (
        select g.feature_name, p.segment, count(*) as adopters, count(case when g.weeks >= 2 then 1 end) as kept
        from usage as g
        join pop as p on p.user_id = g.user_id
        group by g.feature_name, p.segment
      )
      select f.feature_name, f.category, f.is_premium, cast(f.launched_at as varchar) as launched_at, s.segment, s.users, coalesce(c.adopters, 0) as adopters, coalesce(c.kept, 0) as kept
      from features as f
      cross join segments as s
      left join cells as c on c.feature_name = f.feature_name and c.segment = s.segment
      order by f.feature_name, s.segment"
    `);
    expect(sql).not.toContain("date_trunc('week'");
    expect(params).toEqual([
      '2026-10-01T00:00:00.000Z',
      '2026-09-01',
      '2026-09-30',
      '2026-09-01T00:00:00.000Z',
      '2026-10-01T00:00:00.000Z',
    ]);
  });

  // Protects the Trino boundary and the options: all users of the segment (no activity table),
  // user-property and cohort filters on the population, a feature list, positional `?`.
  it('compiles for Trino with filters, a cohort and a feature list', () => {
    const { sql, params } = compileFeatureAdoption(
      parse({
        dateRange: month,
        segment: 'cohort_month',
        denominator: 'segment_users',
        features: ['kanban_board', 'ai_summaries'],
        filters: [
          { property: { source: 'user', name: 'country' }, op: 'eq', value: 'DE' },
          {
            cohort: {
              id: 'c1',
              negate: true,
              resolved: {
                name: 'Churn risk',
                asOf: '2026-10-17',
                definition: {
                  match: 'all',
                  groups: [
                    {
                      match: 'all',
                      conditions: [
                        {
                          type: 'not_performed',
                          event: 'logged_in',
                          filters: [],
                          window: { last: 14, unit: 'day' },
                        },
                      ],
                    },
                  ],
                },
              },
            },
          },
        ],
      }),
      trinoDialect,
    );
    expect(sql).toMatchInlineSnapshot(`
      "with pop as (
        select u.user_id, coalesce(cast(u.cohort_month as varchar), '$none') as segment
        from dim_users as u
        where u.first_seen < from_iso8601_timestamp(?)
          and cast(u.country as varchar) = ?
          and u.user_id not in (select u.user_id from dim_users as u
        where u.first_seen < from_iso8601_timestamp(?)
          and u.user_id not in (select e.user_id from fact_events as e where e.event_name = ? and e.ts >= from_iso8601_timestamp(?) and e.ts < from_iso8601_timestamp(?) and e.user_id is not null group by e.user_id))
      ),
      usage as (
        select e.user_id, e.feature_name, count(distinct date_trunc('week', e.ts)) as weeks
        from fact_events as e
        where e.event_name = 'feature_used'
          and e.feature_name is not null
          and e.user_id is not null
          and e.ts >= from_iso8601_timestamp(?)
          and e.ts < from_iso8601_timestamp(?)
        group by e.user_id, e.feature_name
      ),
      features as (
        select feature_name, category, is_premium, launched_at from dim_features
        where feature_name in (?, ?)
      ),
      segments as (
        select segment, count(*) as users from pop group by segment
      ),
      cells as (
        select g.feature_name, p.segment, count(*) as adopters, count(case when g.weeks >= 2 then 1 end) as kept
        from usage as g
        join pop as p on p.user_id = g.user_id
        group by g.feature_name, p.segment
      )
      select f.feature_name, f.category, f.is_premium, cast(f.launched_at as varchar) as launched_at, s.segment, s.users, coalesce(c.adopters, 0) as adopters, coalesce(c.kept, 0) as kept
      from features as f
      cross join segments as s
      left join cells as c on c.feature_name = f.feature_name and c.segment = s.segment
      order by f.feature_name, s.segment"
    `);
    expect(sql).not.toContain('fct_user_activity_daily');
    expect(sql).toContain('u.user_id not in (select u.user_id from dim_users as u');
    expect(placeholders(sql)).toBe(params.length);
    expect(params.slice(-2)).toEqual(['kanban_board', 'ai_summaries']);
  });
});

describe('ZFeatureAdoptionQuery', () => {
  it('refuses event filters, unknown segments and a reversed range', () => {
    const ok = (q: unknown) => ZFeatureAdoptionQuery.safeParse(q).success;
    const base = { kind: 'feature_adoption', dateRange: month };
    expect(ok(base)).toBe(true);
    expect(
      ok({
        ...base,
        filters: [{ property: { source: 'event', name: 'platform' }, op: 'eq', value: 'web' }],
      }),
    ).toBe(false);
    expect(ok({ ...base, segment: 'properties; drop table x' })).toBe(false);
    expect(ok({ ...base, dateRange: { from: '2026-09-30', to: '2026-09-01' } })).toBe(false);
  });
});

describe('shapeFeatureAdoption', () => {
  it('builds the features × segments matrix with rates, kept rates and totals', () => {
    const q = parse({ dateRange: month });
    const result = shapeFeatureAdoption(q, [
      ['bulk_edit', 'productivity', false, '2026-01-01', 'free', 100, 10, 4],
      ['bulk_edit', 'productivity', false, '2026-01-01', 'pro', 50, 20, 10],
      ['bulk_edit', 'productivity', false, '2026-01-01', NONE, 0, 0, 0],
      ['api_access', 'platform', true, '2026-01-01', 'free', 100, 0, 0],
      ['api_access', 'platform', true, '2026-01-01', 'pro', 50, 25, 5],
      ['api_access', 'platform', true, '2026-01-01', NONE, 0, 0, 0],
    ]);
    expect(result.segments).toEqual([
      { segment: 'free', users: 100 },
      { segment: 'pro', users: 50 },
      { segment: NONE, users: 0 },
    ]);
    expect(result.features.map((f) => f.feature)).toEqual(['bulk_edit', 'api_access']);
    const bulk = result.features[0]!;
    expect(bulk.cells[1]).toEqual({ users: 50, adopters: 20, rate: 0.4, kept: 10, keptRate: 0.5 });
    expect(bulk.cells[2]!.rate).toBe(0);
    expect(bulk.total).toEqual({
      users: 150,
      adopters: 30,
      rate: 0.2,
      kept: 14,
      keptRate: 14 / 30,
    });
    expect(result.features[1]).toMatchObject({ isPremium: true, category: 'platform' });
  });
});
