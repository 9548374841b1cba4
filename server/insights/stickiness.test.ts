import { describe, expect, it } from 'vitest';
import { duckdbDialect, trinoDialect } from './dialect';
import {
  compileStickiness,
  shapeStickiness,
  stickinessKind,
  ZStickinessQuery,
  type StickinessQueryInput,
} from './stickiness';

const parse = (q: Omit<StickinessQueryInput, 'kind'>) =>
  ZStickinessQuery.parse({ kind: 'stickiness', ...q });
const week = { from: '2026-10-05', to: '2026-10-11' };

describe('compileStickiness', () => {
  // Protects the plan: the event's active days from the start of the first interval to the end
  // of `to` (both bound), counted per user, then users per count — one row per N.
  it('compiles daily stickiness of a filtered event', () => {
    const { sql, params } = compileStickiness(
      parse({
        event: {
          event: 'feature_used',
          filters: [
            { property: { source: 'event', name: 'feature_name' }, op: 'eq', value: 'gantt_chart' },
          ],
        },
        dateRange: week,
        filters: [{ property: { source: 'user', name: 'plan' }, op: 'neq', value: 'free' }],
      }),
      duckdbDialect,
    );
    expect(params).toEqual([
      'feature_used',
      'gantt_chart',
      '2026-10-12',
      '2026-10-05',
      'feature_used',
      'free',
    ]);
    expect(sql).toMatchInlineSnapshot(`
      "with up as (
        select user_id, p, bool_or(f0) as f0
        from (
          select e.user_id, (epoch_us(e.event_date) // 86400000000) as p, coalesce(e.event_name = $1 and cast(e.feature_name as varchar) = $2, false) as f0
          from fact_events as e left join dim_users as u on u.user_id = e.user_id
          where e.event_date < cast($3 as date)
            and e.event_date >= cast($4 as date)
            and e.event_name in ($5)
            and cast(u.plan as varchar) is distinct from $6
        ) as s
        group by user_id, p
        having bool_or(f0)
      ),
      per_user as (
        select user_id, count(*) as intervals from up group by user_id
      )
      select intervals, count(*) as users
      from per_user
      group by intervals
      order by intervals"
    `);
  });

  // Protects weekly intervals on the activity mart (any event): whole Monday-weeks, so the
  // lower bound is the Monday of `from`'s week, as a DATE.
  it('reads whole weeks of any event from the activity mart', () => {
    const { sql, params } = compileStickiness(
      parse({
        event: { event: null },
        interval: 'week',
        dateRange: { from: '2026-10-01', to: '2026-10-20' },
      }),
      duckdbDialect,
    );
    expect(sql).not.toContain('fact_events');
    expect(params).toEqual(['2026-10-21', '2026-09-28']);
  });

  // Protects the dialect boundary: Trino placeholders and period numbers.
  it('compiles for Trino through the same dialect interface', () => {
    const { sql, params } = compileStickiness(
      parse({
        event: {
          event: 'page_viewed',
          filters: [
            {
              property: { source: 'event_property', name: 'page' },
              op: 'contains',
              value: 'board',
            },
          ],
        },
        interval: 'week',
        dateRange: week,
      }),
      trinoDialect,
    );
    expect(sql).not.toMatch(/\$\d/);
    expect(sql.match(/\?/g)).toHaveLength(params.length);
    expect(sql).toMatchInlineSnapshot(`
      "with up as (
        select user_id, p, bool_or(f0) as f0
        from (
          select e.user_id, date_diff('week', DATE '1969-12-29', cast(e.event_date as date)) as p, coalesce(e.event_name = ? and strpos(lower(cast(json_extract_scalar(e.properties, ?) as varchar)), lower(?)) > 0, false) as f0
          from fact_events as e
          where e.event_date < cast(? as date)
            and e.event_date >= cast(? as date)
            and e.event_name in (?)
        ) as s
        group by user_id, p
        having bool_or(f0)
      ),
      per_user as (
        select user_id, count(*) as intervals from up group by user_id
      )
      select intervals, count(*) as users
      from per_user
      group by intervals
      order by intervals"
    `);
  });
});

describe('ZStickinessQuery', () => {
  it('says what is wrong with a bad query', () => {
    const issues = (q: Record<string, unknown>) => {
      const r = ZStickinessQuery.safeParse({ kind: 'stickiness', event: { event: 'a' }, ...q });
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(issues({ dateRange: { from: '2026-10-05', to: '2026-10-01' } })).toEqual([
      'dateRange: "from" is after "to"',
    ]);
    expect(issues({ dateRange: week, interval: 'month' })[0]).toMatch(/^interval: /);
    expect(issues({ dateRange: { from: '2026-10-05', to: '2026-13-01' } })[0]).toMatch(
      /^dateRange\.to: /,
    );
    expect(
      issues({
        event: {
          event: 'a',
          filters: [{ property: { source: 'event', name: 'a' }, op: 'is_set' }],
        },
        dateRange: week,
      })[0],
    ).toMatch(/^event\.filters\.0\.property\.name: /);
  });
});

describe('shapeStickiness', () => {
  it('reports every N of the range with zeros in the gaps and cumulative "at least N"', () => {
    const q = parse({ event: { event: 'a' }, dateRange: week });
    const result = shapeStickiness(q, [
      [1, 10],
      [3, 4],
      [7, 1],
    ]);
    expect(result.points.map((p) => [p.intervals, p.label, p.users, p.atLeast])).toEqual([
      [1, '1 day', 10, 15],
      [2, '2 days', 0, 5],
      [3, '3 days', 4, 5],
      [4, '4 days', 0, 1],
      [5, '5 days', 0, 1],
      [6, '6 days', 0, 1],
      [7, '7 days', 1, 1],
    ]);
    expect(result.totalUsers).toBe(15);
    expect(stickinessKind.events(q)).toEqual(['a']);
  });

  it('counts the whole weeks a range touches', () => {
    const q = parse({
      event: { event: null },
      interval: 'week',
      dateRange: { from: '2026-10-01', to: '2026-10-20' },
    });
    const result = shapeStickiness(q, []);
    expect(result.points.map((p) => p.label)).toEqual(['1 week', '2 weeks', '3 weeks', '4 weeks']);
    expect(result.totalUsers).toBe(0);
    expect(result.label).toBe('Any event');
  });
});
