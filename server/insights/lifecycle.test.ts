import { describe, expect, it } from 'vitest';
import { duckdbDialect, trinoDialect } from './dialect';
import {
  compileLifecycle,
  lifecycleKind,
  shapeLifecycle,
  ZLifecycleQuery,
  type LifecycleQueryInput,
} from './lifecycle';
import { periodOfDay } from './periods';

const parse = (q: Omit<LifecycleQueryInput, 'kind'>) =>
  ZLifecycleQuery.parse({ kind: 'lifecycle', ...q });
const week = { from: '2026-10-05', to: '2026-10-11' };

describe('compileLifecycle', () => {
  // Protects the plan: every active period of every user up to `to` with no lower bound (new
  // and resurrecting need all history), one lag/lead pass, dormant rows in the bucket after the
  // last active one, one row per bucket (a 10-year daily range stays within the row cap).
  it('compiles a daily lifecycle of a named event', () => {
    const { sql, params } = compileLifecycle(
      parse({
        event: {
          event: 'report_exported',
          filters: [
            { property: { source: 'event_property', name: 'format' }, op: 'eq', value: 'pdf' },
          ],
        },
        dateRange: week,
      }),
      duckdbDialect,
    );
    expect(params).toEqual([
      'report_exported',
      '$."format"',
      'pdf',
      '2026-10-12',
      'report_exported',
    ]);
    expect(sql).not.toContain('e.ts >=');
    expect(sql).toMatchInlineSnapshot(`
      "with up as (
        select user_id, p, bool_or(f0) as f0
        from (
          select e.user_id, (epoch_us(e.event_date) // 86400000000) as p, coalesce(e.event_name = $1 and cast(json_extract_string(e.properties, $2) as varchar) = $3, false) as f0
          from fact_events as e
          where e.event_date < cast($4 as date)
            and e.event_name in ($5)
        ) as s
        group by user_id, p
        having bool_or(f0)
      ),
      st as (
        select p,
          lag(p) over (partition by user_id order by p) as prev_p,
          lead(p) over (partition by user_id order by p) as next_p
        from up
      ),
      statuses as (
        select p as bucket, case when prev_p is null then 'new' when prev_p = p - 1 then 'returning' else 'resurrecting' end as status
        from st
        where p >= 20731
        union all
        select p + 1, 'dormant'
        from st
        where p + 1 >= 20731 and p + 1 <= 20737 and (next_p is null or next_p > p + 1)
      )
      select bucket, count(case when status = 'new' then 1 end) as new_users, count(case when status = 'returning' then 1 end) as returning_users, count(case when status = 'resurrecting' then 1 end) as resurrecting_users, count(case when status = 'dormant' then 1 end) as dormant_users
      from statuses
      group by bucket
      order by bucket"
    `);
  });

  // Protects the fast path for "any event" (the daily activity mart) and user filters there.
  it('reads any event from the activity mart', () => {
    const { sql, params } = compileLifecycle(
      parse({
        event: { event: null },
        interval: 'week',
        dateRange: week,
        filters: [{ property: { source: 'user', name: 'plan' }, op: 'eq', value: 'pro' }],
      }),
      duckdbDialect,
    );
    expect(sql).not.toContain('fact_events');
    expect(params).toEqual(['2026-10-12', 'pro']);
    expect(sql).toContain('fct_user_activity_daily as a left join dim_users as u');
  });

  // Protects the dialect boundary: Trino placeholders and period numbers (months via date_diff).
  it('compiles for Trino through the same dialect interface', () => {
    const { sql, params } = compileLifecycle(
      parse({
        event: { event: 'logged_in' },
        interval: 'month',
        dateRange: { from: '2026-01-01', to: '2026-06-30' },
        filters: [{ property: { source: 'event', name: 'platform' }, op: 'neq', value: 'ios' }],
      }),
      trinoDialect,
    );
    expect(sql).not.toMatch(/\$\d/);
    expect(sql.match(/\?/g)).toHaveLength(params.length);
    expect(sql).toMatchInlineSnapshot(`
      "with up as (
        select user_id, p, bool_or(f0) as f0
        from (
          select e.user_id, date_diff('month', DATE '1970-01-01', cast(e.event_date as date)) as p, coalesce(e.event_name = ?, false) as f0
          from fact_events as e
          where e.event_date < cast(? as date)
            and e.event_name in (?)
            and cast(e.platform as varchar) is distinct from ?
        ) as s
        group by user_id, p
        having bool_or(f0)
      ),
      st as (
        select p,
          lag(p) over (partition by user_id order by p) as prev_p,
          lead(p) over (partition by user_id order by p) as next_p
        from up
      ),
      statuses as (
        select p as bucket, case when prev_p is null then 'new' when prev_p = p - 1 then 'returning' else 'resurrecting' end as status
        from st
        where p >= 672
        union all
        select p + 1, 'dormant'
        from st
        where p + 1 >= 672 and p + 1 <= 677 and (next_p is null or next_p > p + 1)
      )
      select bucket, count(case when status = 'new' then 1 end) as new_users, count(case when status = 'returning' then 1 end) as returning_users, count(case when status = 'resurrecting' then 1 end) as resurrecting_users, count(case when status = 'dormant' then 1 end) as dormant_users
      from statuses
      group by bucket
      order by bucket"
    `);
  });
});

describe('ZLifecycleQuery', () => {
  it('says what is wrong with a bad query', () => {
    const issues = (q: Record<string, unknown>) => {
      const r = ZLifecycleQuery.safeParse({ kind: 'lifecycle', event: { event: 'a' }, ...q });
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(issues({ dateRange: { from: '2026-10-05', to: '2026-10-01' } })).toEqual([
      'dateRange: "from" is after "to"',
    ]);
    expect(issues({ dateRange: { from: '2010-01-01', to: '2026-10-01' } })).toEqual([
      'dateRange: At most 10 years',
    ]);
    expect(issues({ dateRange: week, interval: 'hour' })[0]).toMatch(/^interval: /);
    expect(issues({ dateRange: { from: '2026-10-05' } })[0]).toMatch(/^dateRange\.to: /);
    expect(
      issues({
        dateRange: week,
        filters: [{ property: { source: 'event', name: 'country' }, op: 'in', value: 'DE' }],
      }),
    ).toEqual(['filters.0.value: "in" needs a list of values']);
  });
});

describe('shapeLifecycle', () => {
  it('fills every bucket, keeps all four series and reports dormant users as negative', () => {
    const q = parse({ event: { event: 'a' }, dateRange: { from: '2026-10-01', to: '2026-10-03' } });
    const first = periodOfDay('day', '2026-10-01');
    const result = shapeLifecycle(q, [
      [first, 5, 0, 0, 0],
      [first + 2, 1, 2, 3, 4],
    ]);
    expect(result.buckets).toEqual([
      '2026-10-01T00:00:00.000Z',
      '2026-10-02T00:00:00.000Z',
      '2026-10-03T00:00:00.000Z',
    ]);
    expect(result.series.map((s) => [s.label, s.values, s.total])).toEqual([
      ['a · new', [5, 0, 1], 6],
      ['a · returning', [0, 0, 2], 2],
      ['a · resurrecting', [0, 0, 3], 3],
      ['a · dormant', [0, 0, -4], -4],
    ]);
  });

  it('starts weekly buckets on the Monday of the week containing `from`', () => {
    const q = parse({ event: { event: null }, interval: 'week', dateRange: week });
    const result = shapeLifecycle(q, []);
    expect(result.buckets).toEqual(['2026-10-05T00:00:00.000Z']);
    expect(result.series[0]!.label).toBe('Any event · new');
    expect(lifecycleKind.events(q)).toEqual([]);
  });
});
