import { describe, expect, it } from 'vitest';
import { duckdbDialect, trinoDialect } from './dialect';
import { compilePaths, shapePaths, ZPathsQuery, type PathsQueryInput } from './paths';

const parse = (q: Omit<PathsQueryInput, 'kind'>) => ZPathsQuery.parse({ kind: 'paths', ...q });
const week = { from: '2026-10-05', to: '2026-10-11' };
const placeholders = (sql: string) => (sql.match(/\?/g) ?? []).length;

describe('compilePaths', () => {
  // Protects the plan: one scan of the range, each user's first anchor found by aggregation and
  // only its events from the anchor on kept, repeats collapsed by a lag pass, ONE ordered window
  // pass numbering events and reading the next one (no self-join per step), one grouping-sets
  // aggregation for nodes, drop-offs and links pruned to minUsers.
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
      "with r as (
        select e.user_id, e.event_id, e.ts, e.event_name, coalesce(e.event_name = $1 and cast(e.platform as varchar) = $2, false) as a
        from fact_events as e
        where e.user_id is not null
          and e.ts >= cast($3 as timestamp with time zone)
          and e.ts < cast($4 as timestamp with time zone)
          and e.event_name not in ($5)
      ),
      f as (
        select user_id, min(ts) as t0 from r where a group by user_id
      ),
      f0 as (
        select r.user_id, f.t0, min(r.event_id) as e0
        from r
        join f on f.user_id = r.user_id and r.ts = f.t0
        where r.a
        group by r.user_id, f.t0
      ),
      w as (
        select r.* from r
        join f0 on f0.user_id = r.user_id
        where r.ts > f0.t0 or (r.ts = f0.t0 and r.event_id >= f0.e0)
      ),
      c as (
        select user_id, event_id, ts, event_name, a,
          lag(event_name) over (partition by user_id order by ts, event_id) as prev_name,
          lag(a) over (partition by user_id order by ts, event_id) as prev_a
        from w
      ),
      s as (
        select user_id, event_name,
          row_number() over (partition by user_id order by ts, event_id) as n,
          lead(event_name) over (partition by user_id order by ts, event_id) as next_name
        from c
        where prev_name is null or prev_name <> event_name or (a and not prev_a)
      ),
      p as (
        select user_id, event_name, next_name, n as step
        from s
        where n <= 4
      )
      select grouping(next_name) as node, step, event_name, next_name as next_event, count(*) as users, count(case when next_name is null and step < 4 then 1 end) as dropped
      from p
      group by grouping sets ((step, event_name, next_name), (step, event_name))
      having grouping(next_name) = 1 or (next_name is not null and step < 4 and count(*) >= 5)
      order by node desc, step, users desc, event_name, next_event"
    `);
    expect(sql).not.toMatch(/join fact_events/);
    // One aggregation over the path rows, never a union re-reading them.
    expect(sql).not.toContain('union');
    expect(sql.match(/ over \(/g)).toHaveLength(4);
    expect(params).toEqual([
      'signed_up',
      'web',
      '2026-10-05T00:00:00.000Z',
      '2026-10-12T00:00:00.000Z',
      'page_viewed',
    ]);
  });

  // Protects the end anchor on Trino: steps counted back from the anchor (at step `depth`),
  // numbered backwards in time from the anchor, drop-offs are paths starting at a step,
  // placeholders positional; without collapsing there is no collapse pass.
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
      "with r as (
        select e.user_id, e.event_id, e.ts, e.event_name, coalesce(e.event_name = ?, false) as a
        from fact_events as e left join dim_users as u on u.user_id = e.user_id
        where e.user_id is not null
          and e.ts >= from_iso8601_timestamp(?)
          and e.ts < from_iso8601_timestamp(?)
          and cast(u.plan as varchar) is distinct from ?
          and json_extract_scalar(e.properties, ?) is not null
      ),
      f as (
        select user_id, min(ts) as t0 from r where a group by user_id
      ),
      f0 as (
        select r.user_id, f.t0, min(r.event_id) as e0
        from r
        join f on f.user_id = r.user_id and r.ts = f.t0
        where r.a
        group by r.user_id, f.t0
      ),
      w as (
        select r.* from r
        join f0 on f0.user_id = r.user_id
        where r.ts < f0.t0 or (r.ts = f0.t0 and r.event_id <= f0.e0)
      ),
      s as (
        select user_id, event_name,
          row_number() over (partition by user_id order by ts desc, event_id desc) as n,
          lag(event_name) over (partition by user_id order by ts desc, event_id desc) as next_name,
          lead(event_name) over (partition by user_id order by ts desc, event_id desc) is null as is_first
        from w
      ),
      p as (
        select user_id, event_name, next_name, is_first, 6 - n as step
        from s
        where n <= 5
      )
      select grouping(next_name) as node, step, event_name, next_name as next_event, count(*) as users, count(case when is_first and step > 1 then 1 end) as dropped
      from p
      group by grouping sets ((step, event_name, next_name), (step, event_name))
      having grouping(next_name) = 1 or (next_name is not null and step < 5 and count(*) >= 1)
      order by node desc, step, users desc, event_name, next_event"
    `);
    expect(sql).not.toContain('prev_name');
    expect(sql).toContain('left join dim_users as u');
    expect(placeholders(sql)).toBe(params.length);
    expect(params).toEqual([
      'subscription_started',
      '2026-10-05T00:00:00.000Z',
      '2026-10-12T00:00:00.000Z',
      'free',
      '$."k"',
    ]);
  });

  // Protects the anchor-less path: each user's first events, no anchor aggregation.
  it('starts from each user first event without an anchor', () => {
    const { sql } = compilePaths(parse({ dateRange: week, depth: 3 }), duckdbDialect);
    expect(sql).not.toContain('f0 as');
    expect(sql).toContain('where n <= 3');
    expect(sql).toContain('true as a');
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
