import { describe, expect, it } from 'vitest';
import { duckdbDialect, trinoDialect } from './dialect';
import type { InsightFilter } from './insight-filters';
import {
  compilePaths,
  shapePaths,
  EVENT_CODES,
  USER_TIMELINE,
  usesTimeline,
  ZPathsQuery,
  type PathsQueryInput,
} from './paths';

const parse = (q: Omit<PathsQueryInput, 'kind'>) => ZPathsQuery.parse({ kind: 'paths', ...q });
const week = { from: '2026-10-05', to: '2026-10-11' };
const placeholders = (sql: string) => (sql.match(/\?/g) ?? []).length;

describe('compilePaths', () => {
  // Protects the plan: the anchor times by one aggregation whose scan reads only the anchor's
  // events (name pushed into the scan); tier 1 orders by time only the events within 3 days of
  // the anchor (no event_id), tier 2 all events of the users tier 1 did not settle, and only
  // users with a timestamp tie reach the exact (ts, event_id) passes; one grouping-sets
  // aggregation over the three disjoint sets of paths for nodes, drop-offs and links.
  it('compiles paths after a start event for DuckDB', () => {
    const { sql, params } = compilePaths(
      parse({
        start: {
          event: 'signed_up',
          filters: [{ property: { source: 'event', name: 'platform' }, op: 'eq', value: 'web' }],
        },
        depth: 4,
        minUsers: 5,
        exclude: ['page_viewed'],
        dateRange: week,
      }),
      duckdbDialect,
    );
    expect(sql).toMatchInlineSnapshot(`
      "with f as (
        select e.user_id, min(epoch_us(e.ts)) as t0
        from fact_events as e
        where e.user_id is not null
          and list_contains([$1], e.event_name)
          and e.ts >= cast($2 as timestamp with time zone)
          and e.ts < cast($3 as timestamp with time zone)
          and cast(e.platform as varchar) = $4
          and e.event_name not in ($5)
        group by e.user_id
      ),
      r1 as (
        select e.user_id, epoch_us(e.ts) as t, e.event_name, coalesce(e.event_name = $6 and cast(e.platform as varchar) = $7, false) as a
        from fact_events as e join f on f.user_id = e.user_id
        where e.user_id is not null
          and e.ts >= cast($8 as timestamp with time zone)
          and e.ts < cast($9 as timestamp with time zone)
          and e.event_name not in ($10)
          and epoch_us(e.ts) >= f.t0
          and epoch_us(e.ts) <= f.t0 + 259200000000
      ),
      c1 as materialized (
        select user_id, t, event_name, a,
          lag(event_name) over (partition by user_id order by t) as prev_name,
          lag(a) over (partition by user_id order by t) as prev_a,
          lag(t) over (partition by user_id order by t) = t as tie
        from r1
      ),
      s1 as (
        select user_id, event_name,
          row_number() over (partition by user_id order by t) as n,
          count(*) over (partition by user_id order by t rows between unbounded preceding and unbounded following) as kept,
          lead(event_name) over (partition by user_id order by t) as next_name
        from c1
        where prev_name is null or prev_name <> event_name or (a and not prev_a)
      ),
      u2 as materialized (
        select f.user_id, f.t0 from f
        join s1 on s1.user_id = f.user_id and s1.n = 1 and s1.kept < 4
        where f.user_id not in (select user_id from c1 where tie)
      ),
      r2 as (
        select e.user_id, epoch_us(e.ts) as t, e.event_name, coalesce(e.event_name = $11 and cast(e.platform as varchar) = $12, false) as a
        from fact_events as e join u2 as f on f.user_id = e.user_id
        where e.user_id is not null
          and e.ts >= cast($13 as timestamp with time zone)
          and e.ts < cast($14 as timestamp with time zone)
          and e.event_name not in ($15)
          and epoch_us(e.ts) >= f.t0
      ),
      c2 as materialized (
        select user_id, t, event_name, a,
          lag(event_name) over (partition by user_id order by t) as prev_name,
          lag(a) over (partition by user_id order by t) as prev_a,
          lag(t) over (partition by user_id order by t) = t as tie
        from r2
      ),
      s2 as (
        select user_id, event_name,
          row_number() over (partition by user_id order by t) as n,
          count(*) over (partition by user_id order by t rows between unbounded preceding and unbounded following) as kept,
          lead(event_name) over (partition by user_id order by t) as next_name
        from c2
        where prev_name is null or prev_name <> event_name or (a and not prev_a)
      ),
      amb as materialized (
        select user_id from c1 where tie
        union
        select user_id from c2 where tie
      ),
      u3 as materialized (
        select f.user_id, f.t0 from f
        where f.user_id in (select user_id from amb)
      ),
      xr as (
        select e.user_id, e.event_id, e.ts, e.event_name, coalesce(e.event_name = $16 and cast(e.platform as varchar) = $17, false) as a
        from fact_events as e join u3 as f on f.user_id = e.user_id
        where e.user_id is not null
          and e.ts >= cast($18 as timestamp with time zone)
          and e.ts < cast($19 as timestamp with time zone)
          and e.event_name not in ($20)
      ),
      xf as (
        select user_id, min(ts) as t0 from xr where a group by user_id
      ),
      xf0 as (
        select r.user_id, f.t0, min(r.event_id) as e0
        from xr as r
        join xf as f on f.user_id = r.user_id and r.ts = f.t0
        where r.a
        group by r.user_id, f.t0
      ),
      xw as (
        select r.* from xr as r
        join xf0 as f0 on f0.user_id = r.user_id
        where r.ts > f0.t0 or (r.ts = f0.t0 and r.event_id >= f0.e0)
      ),
      xc as (
        select user_id, event_id, ts, event_name, a,
          lag(event_name) over (partition by user_id order by ts, event_id) as prev_name,
          lag(a) over (partition by user_id order by ts, event_id) as prev_a
        from xw
      ),
      xs as (
        select user_id, event_name,
          row_number() over (partition by user_id order by ts, event_id) as n,
          lead(event_name) over (partition by user_id order by ts, event_id) as next_name
        from xc
        where prev_name is null or prev_name <> event_name or (a and not prev_a)
      ),
      xp as (
        select user_id, event_name, next_name, n as step
        from xs
        where n <= 4
      ),
      p as (
        select user_id, event_name, next_name, n as step from s1
        where n <= 4 and kept >= 4 and user_id not in (select user_id from amb)
        union all
        select user_id, event_name, next_name, n as step from s2
        where n <= 4 and user_id not in (select user_id from amb)
        union all
        select user_id, event_name, next_name, step from xp
      )
      select grouping(next_name) as node, step, event_name, next_name as next_event, count(*) as users, count(case when next_name is null and step < 4 then 1 end) as dropped
      from p
      group by grouping sets ((step, event_name, next_name), (step, event_name))
      having grouping(next_name) = 1 or (next_name is not null and step < 4 and count(*) >= 5)
      order by node desc, step, users desc, event_name, next_event"
    `);
    // event_id is read by the exact tier only (the tie fallback).
    expect(sql.match(/event_id/g)?.length).toBeGreaterThan(0);
    expect(sql.slice(0, sql.indexOf('xr as'))).not.toContain('event_id');
    expect(sql).toContain('list_contains([$1], e.event_name)');
    // A user is settled in the prefix with at least `depth` kept events.
    expect(sql).toContain('s1.kept < 4');
    expect(sql).toContain('kept >= 4');
    expect(params).toEqual([
      'signed_up',
      '2026-10-05T00:00:00.000Z',
      '2026-10-12T00:00:00.000Z',
      'web',
      'page_viewed',
      ...Array.from({ length: 3 }, () => [
        'signed_up',
        'web',
        '2026-10-05T00:00:00.000Z',
        '2026-10-12T00:00:00.000Z',
        'page_viewed',
      ]).flat(),
    ]);
  });

  // Protects the end anchor on Trino: steps counted back from the anchor (at step `depth`),
  // numbered backwards in time from the anchor, drop-offs are paths starting at a step, the
  // prefix (the 3 days before the anchor) settles a user only with depth + 1 kept events (whether
  // the path starts at its earliest one depends on the event before it), placeholders
  // positional, plain CTEs and `in` (no DuckDB hints); without collapsing there is no collapse
  // filter.
  it('compiles paths before an end event for Trino without collapsing', () => {
    const { sql, params } = compilePaths(
      parse({
        end: { event: 'subscription_started' },
        collapseRepeats: false,
        filters: [
          { property: { source: 'user', name: 'plan' }, op: 'neq', value: 'free' },
          { property: { source: 'event_property', name: 'k' }, op: 'is_set' },
        ],
        dateRange: week,
      }),
      trinoDialect,
    );
    expect(sql).toMatchInlineSnapshot(`
      "with f as (
        select e.user_id, min(e.ts) as t0
        from fact_events as e left join dim_users as u on u.user_id = e.user_id
        where e.user_id is not null
          and e.event_name in (?)
          and e.ts >= from_iso8601_timestamp(?)
          and e.ts < from_iso8601_timestamp(?)
          and cast(u.plan as varchar) is distinct from ?
          and json_extract_scalar(e.properties, ?) is not null
        group by e.user_id
      ),
      r1 as (
        select e.user_id, e.ts as t, e.event_name, coalesce(e.event_name = ?, false) as a
        from fact_events as e join f on f.user_id = e.user_id left join dim_users as u on u.user_id = e.user_id
        where e.user_id is not null
          and e.ts >= from_iso8601_timestamp(?)
          and e.ts < from_iso8601_timestamp(?)
          and cast(u.plan as varchar) is distinct from ?
          and json_extract_scalar(e.properties, ?) is not null
          and e.ts <= f.t0
          and e.ts >= date_add('millisecond', -259200000, f.t0)
      ),
      c1 as (
        select user_id, t, event_name, a,
          lag(event_name) over (partition by user_id order by t) as prev_name,
          lag(a) over (partition by user_id order by t) as prev_a,
          lag(t) over (partition by user_id order by t) = t as tie
        from r1
      ),
      s1 as (
        select user_id, event_name,
          row_number() over (partition by user_id order by t desc) as n,
          count(*) over (partition by user_id order by t desc rows between unbounded preceding and unbounded following) as kept,
          lag(event_name) over (partition by user_id order by t desc) as next_name,
          lead(event_name) over (partition by user_id order by t desc) is null as is_first
        from c1
      ),
      u2 as (
        select f.user_id, f.t0 from f
        join s1 on s1.user_id = f.user_id and s1.n = 1 and s1.kept < 6
        where f.user_id not in (select user_id from c1 where tie)
      ),
      r2 as (
        select e.user_id, e.ts as t, e.event_name, coalesce(e.event_name = ?, false) as a
        from fact_events as e join u2 as f on f.user_id = e.user_id left join dim_users as u on u.user_id = e.user_id
        where e.user_id is not null
          and e.ts >= from_iso8601_timestamp(?)
          and e.ts < from_iso8601_timestamp(?)
          and cast(u.plan as varchar) is distinct from ?
          and json_extract_scalar(e.properties, ?) is not null
          and e.ts <= f.t0
      ),
      c2 as (
        select user_id, t, event_name, a,
          lag(event_name) over (partition by user_id order by t) as prev_name,
          lag(a) over (partition by user_id order by t) as prev_a,
          lag(t) over (partition by user_id order by t) = t as tie
        from r2
      ),
      s2 as (
        select user_id, event_name,
          row_number() over (partition by user_id order by t desc) as n,
          count(*) over (partition by user_id order by t desc rows between unbounded preceding and unbounded following) as kept,
          lag(event_name) over (partition by user_id order by t desc) as next_name,
          lead(event_name) over (partition by user_id order by t desc) is null as is_first
        from c2
      ),
      amb as (
        select user_id from c1 where tie
        union
        select user_id from c2 where tie
      ),
      u3 as (
        select f.user_id, f.t0 from f
        where f.user_id in (select user_id from amb)
      ),
      xr as (
        select e.user_id, e.event_id, e.ts, e.event_name, coalesce(e.event_name = ?, false) as a
        from fact_events as e join u3 as f on f.user_id = e.user_id left join dim_users as u on u.user_id = e.user_id
        where e.user_id is not null
          and e.ts >= from_iso8601_timestamp(?)
          and e.ts < from_iso8601_timestamp(?)
          and cast(u.plan as varchar) is distinct from ?
          and json_extract_scalar(e.properties, ?) is not null
      ),
      xf as (
        select user_id, min(ts) as t0 from xr where a group by user_id
      ),
      xf0 as (
        select r.user_id, f.t0, min(r.event_id) as e0
        from xr as r
        join xf as f on f.user_id = r.user_id and r.ts = f.t0
        where r.a
        group by r.user_id, f.t0
      ),
      xw as (
        select r.* from xr as r
        join xf0 as f0 on f0.user_id = r.user_id
        where r.ts < f0.t0 or (r.ts = f0.t0 and r.event_id <= f0.e0)
      ),
      xs as (
        select user_id, event_name,
          row_number() over (partition by user_id order by ts desc, event_id desc) as n,
          lag(event_name) over (partition by user_id order by ts desc, event_id desc) as next_name,
          lead(event_name) over (partition by user_id order by ts desc, event_id desc) is null as is_first
        from xw
      ),
      xp as (
        select user_id, event_name, next_name, is_first, 6 - n as step
        from xs
        where n <= 5
      ),
      p as (
        select user_id, event_name, next_name, is_first, 6 - n as step from s1
        where n <= 5 and kept >= 6 and user_id not in (select user_id from amb)
        union all
        select user_id, event_name, next_name, is_first, 6 - n as step from s2
        where n <= 5 and user_id not in (select user_id from amb)
        union all
        select user_id, event_name, next_name, is_first, step from xp
      )
      select grouping(next_name) as node, step, event_name, next_name as next_event, count(*) as users, count(case when is_first and step > 1 then 1 end) as dropped
      from p
      group by grouping sets ((step, event_name, next_name), (step, event_name))
      having grouping(next_name) = 1 or (next_name is not null and step < 5 and count(*) >= 1)
      order by node desc, step, users desc, event_name, next_event"
    `);
    expect(sql).not.toContain('prev_name <> event_name');
    expect(sql).not.toContain('materialized');
    expect(sql).not.toContain('list_contains');
    expect(sql).toContain('left join dim_users as u');
    expect(sql).toContain('s1.kept < 6');
    expect(placeholders(sql)).toBe(params.length);
    const scanParams = (flag: boolean) => [
      ...(flag ? ['subscription_started'] : []),
      '2026-10-05T00:00:00.000Z',
      '2026-10-12T00:00:00.000Z',
      'free',
      // Trino's JSON path for the property (it refuses `$."k"`).
      '$["k"]',
    ];
    expect(params).toEqual([
      'subscription_started',
      ...scanParams(false),
      ...scanParams(true),
      ...scanParams(true),
      ...scanParams(true),
    ]);
  });

  // Protects the anchor-less path: the anchor time is each user's first event (an aggregation
  // over all their events), no anchor flag, no anchor event in the exact tier.
  it('starts from each user first event without an anchor', () => {
    const { sql } = compilePaths(parse({ dateRange: week, depth: 3 }), duckdbDialect);
    expect(sql).not.toContain('xf0 as');
    expect(sql).not.toContain('list_contains');
    expect(sql).toContain('where n <= 3');
    expect(sql).toContain('true as a');
  });
});

describe('compilePaths over agg_user_timeline', () => {
  const withTimeline = { marts: new Set(['fact_events', EVENT_CODES, USER_TIMELINE]) };

  // Protects the plan: one row per user from the timeline text, string functions only (no
  // window, no fact_events); the day lists are searched only when the user's first or last
  // active day is outside the range (days as integers since 1970-01-01); users need an active
  // day in the range (k1 < k2); the anchor's character by strpos from the range start; the path
  // from the anchor, at most `depth` characters; the steps by a join with their numbers; the
  // codes turned back into names after the aggregation, before the order by.
  it('compiles paths after a start event for DuckDB', () => {
    const q = parse({ start: { event: 'signed_up' }, depth: 4, minUsers: 5, dateRange: week });
    expect(usesTimeline(q)).toBe(true);
    const { sql, params } = compilePaths(q, duckdbDialect, withTimeline);
    expect(sql).toMatchInlineSnapshot(`
      "with b as (
        select user_id, runs as x,
          run_first[k1 + 1] as x_lo,
          run_last[k2] as x_hi
        from (
          select user_id, runs, run_first, run_last, case when days[1] >= $1 then 0 else len(list_filter(days, lambda x: x < $2)) end as k1, case when days[-1] <= $3 then len(days) else len(list_filter(days, lambda x: x <= $4)) end as k2
          from agg_user_timeline
        ) as t
        where k1 < k2
      ),
      a as (
        select user_id, x, x_lo, x_hi,
          case when r1 = 0 then null when r1 >= x_lo then r1 else x_lo - 1 + nullif(strpos(substr(x, x_lo), c), 0) end as r
        from (
          select b.*, k.c, strpos(b.x, k.c) as r1
          from b
          cross join (select code as c from agg_event_codes where event_name = $5) as k
        ) as b
      ),
      w as materialized (
        select user_id, substr(x, r, least(4, x_hi - r + 1)) as path
        from a
        where r <= x_hi
      ),
      p as (
        select w.user_id, substr(w.path, s.n, 1) as event_name, nullif(substr(w.path, s.n + 1, 1), '') as next_name, s.n as step
        from w
        join (values (1), (2), (3), (4)) as s (n) on s.n <= length(w.path)
      ),
      g as (
      select grouping(next_name) as node, step, event_name, next_name as next_event, count(*) as users, count(case when next_name is null and step < 4 then 1 end) as dropped
      from p
      group by grouping sets ((step, event_name, next_name), (step, event_name))
      having grouping(next_name) = 1 or (next_name is not null and step < 4 and count(*) >= 5)
      )
      select g.node, g.step, c.event_name, n.event_name as next_event, g.users, g.dropped
      from g
      join agg_event_codes as c on c.code = g.event_name
      left join agg_event_codes as n on n.code = g.next_event
      order by node desc, step, users desc, event_name, next_event"
    `);
    // 2026-10-05 and 2026-10-11 as days since 1970-01-01.
    expect(params).toEqual([20731, 20731, 20737, 20737, 'signed_up']);
  });

  // Protects the end anchor for Trino: the path up to the anchor (at most depth + 1 characters,
  // so whether its first one is the user's first in the range is known), read backwards from
  // the anchor (step = depth); `events`, not `runs`, without collapsing; positional
  // placeholders bound in text order.
  it('compiles paths before an end event for Trino without collapsing', () => {
    const q = parse({
      end: { event: 'subscription_started' },
      depth: 3,
      collapseRepeats: false,
      dateRange: week,
    });
    const { sql, params } = compilePaths(q, trinoDialect, withTimeline);
    expect(sql).toMatchInlineSnapshot(`
      "with b as (
        select user_id, events as x,
          element_at(ev_first, k1 + 1) as x_lo,
          element_at(ev_last, k2) as x_hi
        from (
          select user_id, events, ev_first, ev_last, case when element_at(days, 1) >= ? then 0 else cardinality(filter(days, x -> x < ?)) end as k1, case when element_at(days, -1) <= ? then cardinality(days) else cardinality(filter(days, x -> x <= ?)) end as k2
          from agg_user_timeline
        ) as t
        where k1 < k2
      ),
      a as (
        select user_id, x, x_lo, x_hi,
          case when r1 = 0 then null when r1 >= x_lo then r1 else x_lo - 1 + nullif(strpos(substr(x, x_lo), c), 0) end as r
        from (
          select b.*, k.c, strpos(b.x, k.c) as r1
          from b
          cross join (select code as c from agg_event_codes where event_name = ?) as k
        ) as b
      ),
      w as (
        select user_id, substr(x, greatest(x_lo, r - 3), r - greatest(x_lo, r - 3) + 1) as path
        from a
        where r <= x_hi
      ),
      p as (
        select w.user_id, substr(w.path, length(w.path) - s.n + 1, 1) as event_name,
          case when s.n > 1 then substr(w.path, length(w.path) - s.n + 2, 1) end as next_name,
          s.n = length(w.path) as is_first, 4 - s.n as step
        from w
        join (values (1), (2), (3)) as s (n) on s.n <= length(w.path)
      ),
      g as (
      select grouping(next_name) as node, step, event_name, next_name as next_event, count(*) as users, count(case when is_first and step > 1 then 1 end) as dropped
      from p
      group by grouping sets ((step, event_name, next_name), (step, event_name))
      having grouping(next_name) = 1 or (next_name is not null and step < 3 and count(*) >= 1)
      )
      select g.node, g.step, c.event_name, n.event_name as next_event, g.users, g.dropped
      from g
      join agg_event_codes as c on c.code = g.event_name
      left join agg_event_codes as n on n.code = g.next_event
      order by node desc, step, users desc, event_name, next_event"
    `);
    expect(placeholders(sql)).toBe(params.length);
    expect(params.slice(4)).toEqual(['subscription_started']);
  });

  it('starts from the range start without an anchor', () => {
    const { sql } = compilePaths(parse({ dateRange: week, depth: 3 }), duckdbDialect, withTimeline);
    expect(sql).toContain('substr(x, x_lo, least(3, x_hi - x_lo + 1))');
    expect(sql).not.toContain('strpos');
    expect(sql).toContain('(values (1), (2), (3))');
  });

  it('keeps the general path for property and cohort filters and exclusions', () => {
    const platform = {
      property: { source: 'event', name: 'platform' },
      op: 'eq',
      value: 'web',
    } as const;
    const cohort: InsightFilter = {
      cohort: {
        id: 'c1',
        negate: false,
        resolved: {
          name: 'Paid',
          asOf: '2026-10-11',
          definition: {
            match: 'all',
            groups: [
              {
                match: 'all',
                conditions: [
                  {
                    type: 'property',
                    filter: { property: { source: 'user', name: 'plan' }, op: 'eq', value: 'pro' },
                  },
                ],
              },
            ],
          },
        },
      },
    };
    for (const q of [
      parse({ start: { event: 'signed_up', filters: [platform] }, dateRange: week }),
      parse({ end: { event: 'signed_up', filters: [platform] }, dateRange: week }),
      parse({ filters: [platform], dateRange: week }),
      parse({ start: { event: 'signed_up' }, filters: [cohort], dateRange: week }),
      parse({ start: { event: 'signed_up' }, exclude: ['page_viewed'], dateRange: week }),
    ]) {
      expect(usesTimeline(q)).toBe(false);
      expect(compilePaths(q, duckdbDialect, withTimeline).sql).not.toContain(USER_TIMELINE);
    }
    // Without the accelerator (not built yet, or Trino): the general path.
    const plain = parse({ start: { event: 'signed_up' }, dateRange: week });
    expect(compilePaths(plain, duckdbDialect).sql).not.toContain(USER_TIMELINE);
  });
});

describe('ZPathsQuery', () => {
  it('refuses two anchors, an excluded anchor, depths out of 2–10 and a reversed range', () => {
    const messages = (q: unknown) => {
      const r = ZPathsQuery.safeParse(q);
      return r.success ? [] : r.error.issues.map((i) => i.message);
    };
    expect(
      messages({ kind: 'paths', start: { event: 'a' }, end: { event: 'b' }, dateRange: week }),
    ).toEqual([expect.stringMatching(/one anchor/)]);
    expect(
      messages({ kind: 'paths', start: { event: 'a' }, exclude: ['a'], dateRange: week }),
    ).toEqual([expect.stringMatching(/cannot be excluded/)]);
    expect(messages({ kind: 'paths', depth: 1, dateRange: week })).toHaveLength(1);
    expect(messages({ kind: 'paths', depth: 11, dateRange: week })).toHaveLength(1);
    expect(
      messages({ kind: 'paths', dateRange: { from: '2026-10-11', to: '2026-10-05' } }),
    ).toEqual([expect.stringMatching(/after/)]);
  });
});

describe('shapePaths', () => {
  it('builds Sankey nodes and links, prunes below minUsers, keeps step totals unpruned', () => {
    const q = parse({ start: { event: 'a' }, depth: 3, minUsers: 2, dateRange: week });
    const result = shapePaths(q, [
      [1, 1, 'a', null, 10, 0],
      [1, 2, 'b', null, 6, 3],
      [1, 2, 'c', null, 4, 1],
      [1, 3, 'c', null, 3, 0],
      [1, 3, 'd', null, 1, 0],
      [0, 1, 'a', 'b', 6, 0],
      [0, 1, 'a', 'c', 4, 0],
      [0, 2, 'b', 'c', 3, 0],
    ]);
    expect(result.users).toBe(10);
    expect(result.nodes).toEqual([
      { id: '1:a', step: 1, event: 'a', users: 10, dropped: 0 },
      { id: '2:b', step: 2, event: 'b', users: 6, dropped: 3 },
      { id: '2:c', step: 2, event: 'c', users: 4, dropped: 1 },
      { id: '3:c', step: 3, event: 'c', users: 3, dropped: 0 },
    ]);
    expect(result.links).toEqual([
      { source: '1:a', target: '2:b', users: 6 },
      { source: '1:a', target: '2:c', users: 4 },
      { source: '2:b', target: '3:c', users: 3 },
    ]);
    expect(result.steps).toEqual([
      { step: 1, users: 10, dropped: 0 },
      { step: 2, users: 10, dropped: 4 },
      { step: 3, users: 4, dropped: 0 },
    ]);
  });

  it('counts the users of an end-anchored path at the last step', () => {
    const q = parse({ end: { event: 'z' }, depth: 2, dateRange: week });
    const result = shapePaths(q, [
      [1, 1, 'y', null, 2, 0],
      [1, 2, 'z', null, 5, 3],
    ]);
    expect(result.users).toBe(5);
    expect(result.steps[1]).toEqual({ step: 2, users: 5, dropped: 3 });
  });
});
