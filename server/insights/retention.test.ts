import { describe, expect, it } from 'vitest';
import { duckdbDialect, trinoDialect } from './dialect';
import { periodOfDay } from './periods';
import type { PropertyFilter } from './properties';
import {
  compileRetention,
  retentionKind,
  shapeRetention,
  ZRetentionQuery,
  type RetentionQueryInput,
} from './retention';
import { OTHER, USER_EVENT_DAYS } from './trends';

const parse = (q: Omit<RetentionQueryInput, 'kind'>) =>
  ZRetentionQuery.parse({ kind: 'retention', ...q });
// Three Monday-weeks: 2026-09-28, 2026-10-05, 2026-10-12.
const weeks = { from: '2026-10-01', to: '2026-10-14' };

describe('compileRetention', () => {
  // Protects the fast path: "any event" without event-level filters reads only the daily
  // activity mart (never fact_events), periods are integers from epoch arithmetic (no ICU
  // date_trunc), first-time cohorts read all history (no lower bound) and period 0 is not a
  // return (r.p > x.c).
  it('answers any-event first-time retention from fct_user_activity_daily alone', () => {
    const { sql, params } = compileRetention(
      parse({ startEvent: { event: null }, dateRange: weeks, periods: 4 }),
      duckdbDialect,
    );
    expect(sql).not.toContain('fact_events');
    expect(sql).not.toContain('date_trunc');
    expect(params).toEqual(['2026-10-15']);
    expect(sql).toMatchInlineSnapshot(`
      "with up as (
        select user_id, p, bool_or(f0) as f0
        from (
          select a.user_id, (((epoch_us(a.event_date) // 86400000000) + 3) // 7) as p, true as f0
          from fct_user_activity_daily as a
          where a.event_date < cast($1 as date)
        ) as s
        group by user_id, p
        having bool_or(f0)
      ),
      entries as (
        select x.user_id, x.c
        from (
          select user_id, min(p) as c
          from up where f0 group by user_id
        ) as x
        where x.c >= 2961
      ),
      returns as (
        select x.c, r.p - x.c as n
        from entries as x
        join up as r on r.user_id = x.user_id and r.f0 and r.p > x.c and r.p <= x.c + 4
      )
      select 'size' as part, cast(null as varchar) as breakdown, c as period, 0 as n, count(*) as users
      from entries
      group by c
      union all
      select 'returned', cast(null as varchar), c, n, count(*)
      from returns
      group by c, n
      order by 1, 2, 3, 4"
    `);
  });

  // Protects mixing sources and text-order binding: a filtered named start event scans
  // fact_events (restricted to its name), the unfiltered any-event return comes from the
  // activity mart from the second cohort period on; user-property filters apply to both scans;
  // an event-property breakdown is read from the cohort's first start event and folded to top N.
  // Protects the per-day users path: with the accelerator, a named event without event-level
  // filters is read from agg_user_event_days (flag = its event name, the day bounds, the names
  // pushed into the scan), "any event" still from the activity mart, and nothing from
  // fact_events; parameters bound in text order.
  it('reads named events from agg_user_event_days when the run has it', () => {
    const q = parse({
      startEvent: { event: 'signed_up' },
      returnEvent: { event: null },
      dateRange: { from: '2026-10-05', to: '2026-10-18' },
      periods: 2,
    });
    const marts = { marts: new Set([USER_EVENT_DAYS]) };
    const { sql, params } = compileRetention(q, duckdbDialect, marts);
    expect(sql).toMatchSnapshot();
    expect(sql).toContain(`from ${USER_EVENT_DAYS} as a`);
    expect(sql).toContain('from fct_user_activity_daily as a');
    expect(sql).not.toContain('fact_events');
    expect(sql).toContain('a.event_name = $3 as f0');
    expect(params[2]).toBe('signed_up');
    expect(params).toContain('2026-10-19');
    expect(compileRetention(q, duckdbDialect).sql).toContain('from fact_events as e');
  });

  it('reads a filtered start event from fact_events and any-event returns from the activity mart', () => {
    const { sql, params } = compileRetention(
      parse({
        startEvent: {
          event: 'signed_up',
          filters: [
            { property: { source: 'event_property', name: 'channel' }, op: 'eq', value: 'paid' },
          ],
        },
        returnEvent: { event: null },
        dateRange: weeks,
        filters: [{ property: { source: 'user', name: 'plan' }, op: 'eq', value: 'pro' }],
        breakdown: { property: { source: 'event', name: 'platform' }, limit: 3 },
      }),
      duckdbDialect,
    );
    expect(params).toEqual([
      'signed_up',
      '$."channel"',
      'paid',
      '2026-10-15',
      'signed_up',
      'pro',
      '2026-10-15',
      '2026-10-05',
      'pro',
    ]);
    expect(sql).toMatchInlineSnapshot(`
      "with up as (
        select user_id, p, bool_or(f0) as f0, bool_or(f1) as f1, min_by(case when f0 then breakdown end, case when f0 then ts end) as breakdown
        from (
          select e.user_id, (((epoch_us(e.event_date) // 86400000000) + 3) // 7) as p, coalesce(e.event_name = $1 and cast(json_extract_string(e.properties, $2) as varchar) = $3, false) as f0, false as f1, coalesce(cast(e.platform as varchar), '$none') as breakdown, e.ts
          from fact_events as e left join dim_users as u on u.user_id = e.user_id
          where e.event_date < cast($4 as date)
            and e.event_name in ($5)
            and cast(u.plan as varchar) = $6
          union all
          select a.user_id, (((epoch_us(a.event_date) // 86400000000) + 3) // 7) as p, false as f0, true as f1, cast(null as varchar) as breakdown, cast(null as timestamp with time zone) as ts
          from fct_user_activity_daily as a left join dim_users as u on u.user_id = a.user_id
          where a.event_date < cast($7 as date)
            and a.event_date >= cast($8 as date)
            and cast(u.plan as varchar) = $9
        ) as s
        group by user_id, p
        having bool_or(f0) or bool_or(f1)
      ),
      entries as (
        select x.user_id, x.c, x.breakdown
        from (
          select user_id, min(p) as c, min_by(breakdown, p) as breakdown
          from up where f0 group by user_id
        ) as x
        where x.c >= 2961
      ),
      returns as (
        select x.c, r.p - x.c as n, x.breakdown
        from entries as x
        join up as r on r.user_id = x.user_id and r.f1 and r.p > x.c and r.p <= x.c + 12
      ),
      top_breakdowns as (
        select breakdown from entries group by breakdown order by count(*) desc, breakdown limit 3
      )
      select 'size' as part, cast(null as varchar) as breakdown, c as period, 0 as n, count(*) as users
      from entries
      group by c
      union all
      select 'returned', cast(null as varchar), c, n, count(*)
      from returns
      group by c, n
      union all
      select 'breakdown_size', case when breakdown in (select breakdown from top_breakdowns) then breakdown else '$other' end, least(2963 - c, 12), 0, count(*)
      from entries
      group by 2, 3
      union all
      select 'breakdown_returned', case when breakdown in (select breakdown from top_breakdowns) then breakdown else '$other' end, 0, n, count(*)
      from returns
      group by 2, 4
      order by 1, 2, 3, 4"
    `);
  });

  // Protects the dialect boundary: the same plan for Trino has one positional `?` per bound
  // value and its period numbers come from date_diff on dates.
  it('compiles for Trino through the same dialect interface', () => {
    const { sql, params } = compileRetention(
      parse({
        startEvent: { event: 'signed_up' },
        returnEvent: { event: 'feature_used' },
        cohortType: 'recurring',
        returnCounting: 'on_or_after',
        period: 'month',
        dateRange: weeks,
        filters: [
          { property: { source: 'event', name: 'country' }, op: 'in', value: ['DE', 'FR'] },
        ],
      }),
      trinoDialect,
    );
    expect(sql).not.toMatch(/\$\d/);
    expect(sql.match(/\?/g)).toHaveLength(params.length);
    expect(sql).toMatchInlineSnapshot(`
      "with up as (
        select user_id, p, bool_or(f0) as f0, bool_or(f1) as f1
        from (
          select e.user_id, date_diff('month', DATE '1970-01-01', cast(e.event_date as date)) as p, coalesce(e.event_name = ?, false) as f0, coalesce(e.event_name = ?, false) as f1
          from fact_events as e
          where e.event_date < cast(? as date)
            and e.event_date >= cast(? as date)
            and e.event_name in (?, ?)
            and cast(e.country as varchar) in (?, ?)
        ) as s
        group by user_id, p
        having bool_or(f0) or bool_or(f1)
      ),
      entries as (
        select x.user_id, x.p as c
        from up as x
        where x.f0 and x.p >= 681
      ),
      returns as (
        select x.c, max(r.p) - x.c as n
        from entries as x
        join up as r on r.user_id = x.user_id and r.f1 and r.p > x.c and r.p <= x.c + 12
        group by x.user_id, x.c
      )
      select 'size' as part, cast(null as varchar) as breakdown, c as period, 0 as n, count(*) as users
      from entries
      group by c
      union all
      select 'returned', cast(null as varchar), c, n, count(*)
      from returns
      group by c, n
      order by 1, 2, 3, 4"
    `);
  });

  // Protects recurring cohorts and on_or_after: the start event read from the first cohort
  // period on, one flag when the return event is the start event, and the last return offset
  // per cohort entry (the shaper sums "N or later").
  it('uses one flag for a return event equal to the start event and keeps the last offset', () => {
    const { sql, params } = compileRetention(
      parse({
        startEvent: { event: 'logged_in' },
        cohortType: 'recurring',
        returnCounting: 'on_or_after',
        period: 'day',
        periods: 7,
        dateRange: { from: '2026-10-01', to: '2026-10-07' },
      }),
      duckdbDialect,
    );
    expect(sql).not.toContain('f1');
    expect(sql).toContain('max(r.p) - x.c as n');
    expect(params).toEqual(['logged_in', '2026-10-08', '2026-10-01', 'logged_in']);
    expect(sql).toMatchInlineSnapshot(`
      "with up as (
        select user_id, p, bool_or(f0) as f0
        from (
          select e.user_id, (epoch_us(e.event_date) // 86400000000) as p, coalesce(e.event_name = $1, false) as f0
          from fact_events as e
          where e.event_date < cast($2 as date)
            and e.event_date >= cast($3 as date)
            and e.event_name in ($4)
        ) as s
        group by user_id, p
        having bool_or(f0)
      ),
      entries as (
        select x.user_id, x.p as c
        from up as x
        where x.f0 and x.p >= 20727
      ),
      returns as (
        select x.c, max(r.p) - x.c as n
        from entries as x
        join up as r on r.user_id = x.user_id and r.f0 and r.p > x.c and r.p <= x.c + 7
        group by x.user_id, x.c
      )
      select 'size' as part, cast(null as varchar) as breakdown, c as period, 0 as n, count(*) as users
      from entries
      group by c
      union all
      select 'returned', cast(null as varchar), c, n, count(*)
      from returns
      group by c, n
      order by 1, 2, 3, 4"
    `);
  });

  // Protects correctness of "any event" under an event-level filter: the activity mart cannot
  // answer it, so every event of the range is scanned (no event_name restriction).
  it('scans fact_events for any event when an insight filter is an event property', () => {
    const { sql } = compileRetention(
      parse({
        startEvent: { event: null },
        dateRange: weeks,
        filters: [{ property: { source: 'event', name: 'platform' }, op: 'eq', value: 'ios' }],
      }),
      duckdbDialect,
    );
    expect(sql).not.toContain('fct_user_activity_daily');
    expect(sql).not.toContain('event_name in');
    expect(sql).toContain('cast(e.platform as varchar) = $2');
  });

  // Protects user-property breakdowns: the user's current value, joined once per cohort entry
  // (not per event), so the activity path still applies.
  it('joins dim_users on the cohort entries for a user-property breakdown', () => {
    const { sql } = compileRetention(
      parse({
        startEvent: { event: null },
        dateRange: weeks,
        breakdown: { property: { source: 'user', name: 'plan' } },
      }),
      duckdbDialect,
    );
    expect(sql).not.toContain('fact_events');
    expect(sql).toContain(
      "coalesce(cast(u.plan as varchar), '$none') as breakdown\n  from (\n    select user_id, min(p) as c",
    );
    expect(sql).toContain('left join dim_users as u on u.user_id = x.user_id');
  });

  // Protects positional parameters: every filter operator on a JSON property, in both events
  // and the insight filters, binds exactly one value per placeholder.
  it('binds one value per placeholder for every operator', () => {
    const ops: { op: PropertyFilter['op']; value?: PropertyFilter['value'] }[] = [
      { op: 'eq', value: 'a' },
      { op: 'neq', value: 'a' },
      { op: 'in', value: ['a', 'b'] },
      { op: 'not_in', value: ['a', 'b'] },
      { op: 'contains', value: 'a' },
      { op: 'gt', value: 3 },
      { op: 'is_set' },
    ];
    for (const f of ops) {
      const filter = { property: { source: 'event_property' as const, name: 'k' }, ...f };
      const { sql, params } = compileRetention(
        parse({
          startEvent: { event: 'a', filters: [filter] },
          returnEvent: { event: 'b', filters: [filter] },
          filters: [filter],
          dateRange: weeks,
        }),
        trinoDialect,
      );
      expect(sql.match(/\?/g), f.op).toHaveLength(params.length);
    }
  });
});

describe('ZRetentionQuery', () => {
  const issues = (q: Record<string, unknown>) => {
    const r = ZRetentionQuery.safeParse({ kind: 'retention', startEvent: { event: 'a' }, ...q });
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('says what is wrong with a bad query', () => {
    expect(issues({ dateRange: { from: '2026-10-05', to: '2026-10-01' } })).toEqual([
      'dateRange: "from" is after "to"',
    ]);
    expect(
      issues({ period: 'day', periods: 60, dateRange: { from: '2026-01-01', to: '2026-12-31' } }),
    ).toEqual([
      'periods: 365 cohorts × 61 periods is more than 6000 cells: use a longer period, fewer periods or a shorter range',
    ]);
    expect(issues({ periods: 61, dateRange: weeks })[0]).toMatch(/^periods: Too big/);
    expect(issues({ periods: 0, dateRange: weeks })[0]).toMatch(/^periods: Too small/);
    expect(issues({ cohortType: 'sometimes', dateRange: weeks })[0]).toMatch(/^cohortType: /);
    expect(issues({ startEvent: { event: '' }, dateRange: weeks })[0]).toMatch(
      /^startEvent\.event: Too small/,
    );
    expect(
      issues({
        dateRange: weeks,
        breakdown: { property: { source: 'event', name: 'properties; drop table x' } },
      }),
    ).not.toEqual([]);
  });

  it('defaults to first-time weekly retention over 12 periods, counted "on"', () => {
    const q = parse({ startEvent: { event: 'a' }, dateRange: weeks });
    expect(q).toMatchObject({
      cohortType: 'first_time',
      returnCounting: 'on',
      period: 'week',
      periods: 12,
      filters: [],
    });
    expect(q.returnEvent).toBeUndefined();
  });
});

describe('shapeRetention', () => {
  const first = periodOfDay('week', '2026-09-28');
  const q = parse({ startEvent: { event: 'a' }, dateRange: weeks, periods: 3 });

  it('fills every cohort of the range, reports future cells as null and weights the curve', () => {
    const result = shapeRetention(q, [
      ['size', null, first, 0, 10],
      ['returned', null, first, 1, 5],
      ['returned', null, first, 2, 2],
      // The 2026-10-05 cohort is empty (no rows at all); the 2026-10-12 cohort is the last.
      ['size', null, first + 2, 0, 4],
    ]);
    expect(result.cohorts.map((c) => [c.periodStart, c.size, c.counts])).toEqual([
      ['2026-09-28T00:00:00.000Z', 10, [10, 5, 2, null]],
      ['2026-10-05T00:00:00.000Z', 0, [0, 0, null, null]],
      ['2026-10-12T00:00:00.000Z', 4, [4, null, null, null]],
    ]);
    expect(result.cohorts[0]!.rates).toEqual([1, 0.5, 0.2, null]);
    expect(result.cohorts[1]!.rates).toEqual([0, 0, null, null]);
    // Period 1: cohorts 09-28 and 10-05 reach it (5 of 10 + 0); period 3: none does.
    expect(result.curve).toEqual([
      { period: 0, users: 14, cohortUsers: 14, rate: 1 },
      { period: 1, users: 5, cohortUsers: 10, rate: 0.5 },
      { period: 2, users: 2, cohortUsers: 10, rate: 0.2 },
      { period: 3, users: 0, cohortUsers: 0, rate: null },
    ]);
    expect(result.breakdowns).toEqual([]);
  });

  it('sums "on or after" from the last offset of each entry', () => {
    const cumulative = { ...q, returnCounting: 'on_or_after' as const };
    const result = shapeRetention(cumulative, [
      ['size', null, first, 0, 10],
      // 3 users last returned in period 1, 2 in period 2.
      ['returned', null, first, 1, 3],
      ['returned', null, first, 2, 2],
    ]);
    expect(result.cohorts[0]!.counts).toEqual([10, 5, 2, null]);
  });

  it('builds one curve per breakdown value, OTHER last, from sizes by reach', () => {
    const result = shapeRetention(q, [
      ['size', null, first, 0, 10],
      // web: 6 users in a cohort followable for 2 periods, 2 in one followable for 0.
      ['breakdown_size', 'web', 2, 0, 6],
      ['breakdown_size', 'web', 0, 0, 2],
      ['breakdown_returned', 'web', 0, 1, 3],
      ['breakdown_size', OTHER, 2, 0, 9],
      ['breakdown_returned', OTHER, 0, 2, 1],
      ['breakdown_size', 'ios', 2, 0, 4],
    ]);
    expect(result.breakdowns.map((b) => [b.breakdown, b.size])).toEqual([
      ['web', 8],
      ['ios', 4],
      [OTHER, 9],
    ]);
    expect(result.breakdowns[0]!.curve.map((p) => [p.users, p.cohortUsers, p.rate])).toEqual([
      [8, 8, 1],
      [3, 6, 0.5],
      [0, 6, 0],
      [0, 0, null],
    ]);
  });
});

describe('retentionKind', () => {
  it('checks the named events only (any event has no name)', () => {
    expect(
      retentionKind.events(
        parse({ startEvent: { event: 'a' }, returnEvent: { event: null }, dateRange: weeks }),
      ),
    ).toEqual(['a']);
    expect(retentionKind.events(parse({ startEvent: { event: 'a' }, dateRange: weeks }))).toEqual([
      'a',
    ]);
  });
});
