// Retention end to end: generated Orbit data → bronze → a real dbt build → insights.run through
// tRPC (validation, the registry check, the compiler, DuckDB, shaping). Every matrix is checked
// against an independent hand-written query on fact_events: date_trunc'd timestamps, DISTINCT
// and correlated EXISTS instead of the compiler's period numbers, activity mart and max offsets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInsightsFixture, type InsightsFixture } from '@/test/insights-fixture';
import type { InsightResponse } from './insight-service';
import {
  compileRetention,
  ZRetentionQuery,
  type RetentionQueryInput,
  type RetentionResult,
} from './retention';
import { duckdbDialect } from './dialect';
import { USER_TIMELINE } from './paths';
import { USER_EVENT_DAYS } from './trends';

interface GroundTruth {
  counts: { users: number };
}

/** The expected matrix: per cohort start (YYYY-MM-DD) its size and counts, null in the future. */
function expectedMatrix(
  cohortStarts: string[],
  periods: number,
  sizes: Map<string, number>,
  cells: Map<string, number>,
): Array<[string, number, Array<number | null>]> {
  return cohortStarts.map((c, i) => {
    const size = sizes.get(c) ?? 0;
    const counts = Array.from({ length: periods + 1 }, (_, n) =>
      i + n >= cohortStarts.length ? null : n === 0 ? size : (cells.get(`${c}|${n}`) ?? 0),
    );
    return [c, size, counts];
  });
}

const matrixOf = (r: InsightResponse<RetentionResult>) =>
  r.result.cohorts.map((c) => [c.periodStart.slice(0, 10), c.size, c.counts]);

describe('retention on generated data (pglite)', () => {
  let ctx: InsightsFixture;
  let truth: GroundTruth;
  let run: (q: Omit<RetentionQueryInput, 'kind'>) => Promise<InsightResponse<RetentionResult>>;
  const sql = async (text: string, params: unknown[] = []) =>
    (await ctx.sql(text, params)).map((row) =>
      row.map((v) => (typeof v === 'bigint' ? Number(v) : v)),
    );
  const window = { from: '2026-09-03', to: '2026-10-17' };
  // The Monday-weeks the window touches.
  const weeks = [
    '2026-08-31',
    '2026-09-07',
    '2026-09-14',
    '2026-09-21',
    '2026-09-28',
    '2026-10-05',
    '2026-10-12',
  ];

  beforeAll(async () => {
    ctx = await startInsightsFixture();
    truth = ctx.truth as GroundTruth;
    run = async (q) =>
      (await ctx.viewer.insights.run({
        kind: 'retention',
        ...q,
      })) as InsightResponse<RetentionResult>;
  }, 240_000);
  afterAll(async () => {
    await ctx?.dispose();
  });

  /** Reference sizes and cells of weekly first-time signed_up → any event retention. */
  async function firstTimeReference(extraWhere = '') {
    const sizes = await sql(
      `select strftime(c, '%Y-%m-%d'), count(*) from (
         select user_id, date_trunc('week', min(ts)) as c from fact_events
         where event_name = 'signed_up' ${extraWhere} group by user_id
       ) where c >= timestamptz '2026-08-31 00:00:00+00' group by 1`,
    );
    const cells = await sql(
      `with cohort as (
         select user_id, date_trunc('week', min(ts)) as c from fact_events
         where event_name = 'signed_up' ${extraWhere} group by user_id
       ),
       active as (
         select distinct user_id, date_trunc('week', ts) as w from fact_events
         where ts < timestamptz '2026-10-18 00:00:00+00' ${extraWhere}
       )
       select strftime(cohort.c, '%Y-%m-%d'), date_diff('day', cohort.c, active.w) // 7 as n,
              count(distinct cohort.user_id)
       from cohort join active on active.user_id = cohort.user_id and active.w > cohort.c
       where cohort.c >= timestamptz '2026-08-31 00:00:00+00'
       group by 1, 2`,
    );
    return {
      sizes: new Map(sizes.map(([c, v]) => [String(c), Number(v)])),
      cells: new Map(cells.map(([c, n, v]) => [`${String(c)}|${Number(n)}`, Number(v)])),
    };
  }

  it('matches a hand-written first-time weekly matrix (signed_up → any event)', async () => {
    const res = await run({
      startEvent: { event: 'signed_up' },
      returnEvent: { event: null },
      period: 'week',
      periods: 8,
      dateRange: window,
    });
    expect(res.kind).toBe('retention');
    const { sizes, cells } = await firstTimeReference();
    expect(matrixOf(res)).toEqual(expectedMatrix(weeks, 8, sizes, cells));
    expect(res.result.cohorts.reduce((a, c) => a + c.size, 0)).toBeGreaterThan(300);
    // Period 1 of the first cohort is a real, non-trivial rate.
    expect(res.result.cohorts[0]!.rates[1]).toBeGreaterThan(0);
    expect(res.result.cohorts[0]!.rates[1]).toBeLessThan(1);
    // The curve is the size-weighted column average over the cohorts that reach each period.
    const reach = (n: number) => res.result.cohorts.filter((c) => c.counts[n] !== null);
    const users = reach(2).reduce((a, c) => a + c.counts[2]!, 0);
    const eligible = reach(2).reduce((a, c) => a + c.size, 0);
    expect(res.result.curve[2]).toEqual({
      period: 2,
      users,
      cohortUsers: eligible,
      rate: users / eligible,
    });
    expect(res.result.curve[7]!.rate).toBeNull();
  });

  it('reads any-event returns from the per-user timeline with the general plan’s rows', async () => {
    const marts = new Set(['fact_events', 'fct_user_activity_daily', USER_EVENT_DAYS, 'dim_users']);
    const withTimeline = new Set([...marts, USER_TIMELINE]);
    const shapes: RetentionQueryInput[] = [];
    for (const period of ['day', 'week'] as const)
      for (const cohortType of ['first_time', 'recurring'] as const)
        for (const returnCounting of ['on', 'on_or_after'] as const)
          shapes.push({
            kind: 'retention',
            startEvent: { event: 'signed_up' },
            returnEvent: { event: null },
            period,
            periods: period === 'day' ? 10 : 6,
            cohortType,
            returnCounting,
            // A range that ends mid-week and starts after the data does: both edges cut.
            dateRange: { from: '2026-09-09', to: '2026-10-14' },
          });
    shapes.push(
      {
        kind: 'retention',
        startEvent: { event: 'project_created' },
        returnEvent: { event: null },
        period: 'week',
        periods: 4,
        dateRange: window,
        breakdown: { property: { source: 'user', name: 'plan' } },
      },
      {
        kind: 'retention',
        startEvent: { event: 'signed_up' },
        returnEvent: { event: null },
        period: 'week',
        periods: 4,
        dateRange: window,
        breakdown: { property: { source: 'event', name: 'platform' } },
      },
    );
    let compared = 0;
    for (const input of shapes) {
      const q = ZRetentionQuery.parse(input);
      const fast = compileRetention(q, duckdbDialect, { marts: withTimeline });
      const general = compileRetention(q, duckdbDialect, { marts });
      expect(fast.sql, JSON.stringify(input)).toContain(USER_TIMELINE);
      expect(general.sql).not.toContain(USER_TIMELINE);
      const rows = await sql(fast.sql, fast.params);
      expect(rows, JSON.stringify(input)).toEqual(await sql(general.sql, general.params));
      expect(rows.some((r) => r[0] === 'returned')).toBe(true);
      compared++;
    }
    expect(compared).toBe(10);
    // Not for a named return event, filters, or months (the general plan then).
    const named = ZRetentionQuery.parse({ ...shapes[0]!, returnEvent: { event: 'page_viewed' } });
    expect(compileRetention(named, duckdbDialect, { marts: withTimeline }).sql).not.toContain(
      USER_TIMELINE,
    );
    const monthly = ZRetentionQuery.parse({ ...shapes[0]!, period: 'month', periods: 2 });
    expect(compileRetention(monthly, duckdbDialect, { marts: withTimeline }).sql).not.toContain(
      USER_TIMELINE,
    );
  });

  it('gives the same answer from fact_events when an event-level filter forces that path', async () => {
    // event_name is always set: the filter changes nothing but the source (no activity mart).
    const base = {
      startEvent: { event: 'signed_up' },
      returnEvent: { event: null },
      periods: 8,
      dateRange: window,
    };
    const viaActivity = await run(base);
    const viaEvents = await run({
      ...base,
      filters: [{ property: { source: 'event', name: 'event_name' }, op: 'is_set' }],
    });
    // With the accelerators built, any-event returns read the per-user timeline.
    expect(viaActivity.sql).toContain(USER_TIMELINE);
    expect(viaEvents.sql).not.toContain('fct_user_activity_daily');
    expect(viaEvents.result).toEqual(viaActivity.result);
  });

  it('applies insight filters to both events, like the reference with the same WHERE', async () => {
    const res = await run({
      startEvent: { event: 'signed_up' },
      returnEvent: { event: null },
      periods: 8,
      dateRange: window,
      filters: [{ property: { source: 'event', name: 'platform' }, op: 'eq', value: 'web' }],
    });
    const { sizes, cells } = await firstTimeReference(`and platform = 'web'`);
    expect(matrixOf(res)).toEqual(expectedMatrix(weeks, 8, sizes, cells));
  });

  it('matches a correlated-EXISTS reference for recurring daily "on or after" retention', async () => {
    const days = Array.from({ length: 14 }, (_, i) =>
      new Date(Date.parse('2026-10-01') + i * 86_400_000).toISOString().slice(0, 10),
    );
    const res = await run({
      startEvent: {
        event: 'logged_in',
        filters: [{ property: { source: 'event', name: 'platform' }, op: 'eq', value: 'web' }],
      },
      returnEvent: { event: 'feature_used' },
      cohortType: 'recurring',
      returnCounting: 'on_or_after',
      period: 'day',
      periods: 7,
      dateRange: { from: days[0]!, to: days.at(-1)! },
    });
    // An entry (user, day c) counts at N when a feature_used day in [c + N, c + 7] exists,
    // up to the end of the range.
    const sizes = await sql(
      `select strftime(c, '%Y-%m-%d'), count(*) from (
         select distinct user_id, date_trunc('day', ts) as c from fact_events
         where event_name = 'logged_in' and platform = 'web'
           and ts >= timestamptz '2026-10-01 00:00:00+00' and ts < timestamptz '2026-10-15 00:00:00+00'
       ) group by 1`,
    );
    const cells = await sql(
      `with entries as (
         select distinct user_id, date_trunc('day', ts) as c from fact_events
         where event_name = 'logged_in' and platform = 'web'
           and ts >= timestamptz '2026-10-01 00:00:00+00' and ts < timestamptz '2026-10-15 00:00:00+00'
       )
       select strftime(x.c, '%Y-%m-%d'), k.n, count(*)
       from entries x cross join range(1, 8) as k(n)
       where exists (
         select 1 from fact_events r
         where r.user_id = x.user_id and r.event_name = 'feature_used'
           and r.ts >= x.c + k.n * interval 1 day and r.ts < x.c + interval 8 day
           and r.ts < timestamptz '2026-10-15 00:00:00+00'
       )
       group by 1, 2`,
    );
    const expected = expectedMatrix(
      days,
      7,
      new Map(sizes.map(([c, v]) => [String(c), Number(v)])),
      new Map(cells.map(([c, n, v]) => [`${String(c)}|${Number(n)}`, Number(v)])),
    );
    expect(matrixOf(res)).toEqual(expected);
    expect(expected[0]![1]).toBeGreaterThan(20);
    // "On or after" never increases with N.
    for (const c of res.result.cohorts)
      for (let n = 2; n < c.counts.length && c.counts[n] !== null; n++)
        expect(c.counts[n]).toBeLessThanOrEqual(c.counts[n - 1]!);
  });

  it('breaks down by the first start event’s platform, each curve like its own reference', async () => {
    const res = await run({
      startEvent: { event: 'signed_up' },
      returnEvent: { event: 'logged_in' },
      periods: 6,
      dateRange: window,
      breakdown: { property: { source: 'event', name: 'platform' }, limit: 2 },
    });
    const whole = await run({
      startEvent: { event: 'signed_up' },
      returnEvent: { event: 'logged_in' },
      periods: 6,
      dateRange: window,
    });
    expect(res.result.cohorts).toEqual(whole.result.cohorts);
    // Reference: each entry's platform is the one on the user's first signed_up (a self-join on
    // its time); entries per (platform, cohort week) and returns per (platform, offset) by plain
    // GROUP BY; the top two platforms by entries, the rest as $other.
    const cohort = `with firsts as (
         select user_id, min(ts) as t from fact_events where event_name = 'signed_up' group by user_id
       ),
       cohort as (
         select f.user_id, date_trunc('week', f.t) as c, coalesce(e.platform, '$none') as platform
         from firsts f join fact_events e
           on e.user_id = f.user_id and e.ts = f.t and e.event_name = 'signed_up'
         where f.t >= timestamptz '2026-08-31 00:00:00+00'
       )`;
    const entries = await sql(
      `${cohort} select platform, strftime(c, '%Y-%m-%d'), count(*) from cohort group by 1, 2`,
    );
    const returns = await sql(
      `${cohort},
       back as (
         select distinct user_id, date_trunc('week', ts) as w from fact_events
         where event_name = 'logged_in' and ts < timestamptz '2026-10-18 00:00:00+00'
       )
       select cohort.platform, date_diff('day', cohort.c, back.w) // 7, count(*)
       from cohort join back on back.user_id = cohort.user_id and back.w > cohort.c
         and back.w <= cohort.c + interval 42 day
       group by 1, 2`,
    );
    const byPlatform = new Map<string, number>();
    for (const [p, , v] of entries)
      byPlatform.set(String(p), (byPlatform.get(String(p)) ?? 0) + Number(v));
    const top = [...byPlatform.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 2)
      .map(([p]) => p);
    const expected = new Map<string, { size: number; users: number[]; eligible: number[] }>();
    const slot = (p: string) => {
      const key = top.includes(p) ? p : '$other';
      let s = expected.get(key);
      if (!s)
        expected.set(key, (s = { size: 0, users: Array(7).fill(0), eligible: Array(7).fill(0) }));
      return s;
    };
    for (const [p, c, v] of entries) {
      const s = slot(String(p));
      s.size += Number(v);
      s.users[0]! += Number(v);
      // A cohort can be followed up to the last week of the range.
      const reach = weeks.length - 1 - weeks.indexOf(String(c));
      for (let n = 0; n <= Math.min(6, reach); n++) s.eligible[n]! += Number(v);
    }
    for (const [p, n, v] of returns) slot(String(p)).users[Number(n)]! += Number(v);
    expect(res.result.breakdowns.map((b) => b.breakdown).sort()).toEqual(
      [...expected.keys()].sort(),
    );
    for (const b of res.result.breakdowns) {
      const e = expected.get(b.breakdown)!;
      expect(b.size, b.breakdown).toBe(e.size);
      expect(
        b.curve.map((p) => [p.users, p.cohortUsers]),
        b.breakdown,
      ).toEqual(e.users.map((u, n) => [u, e.eligible[n]]));
    }
    expect(res.result.breakdowns.reduce((a, b) => a + b.size, 0)).toBe(
      whole.result.cohorts.reduce((a, c) => a + c.size, 0),
    );
    expect(top).toHaveLength(2);
  });

  it('counts every generated user once in daily first-time any-event cohorts (ground truth)', async () => {
    const res = await run({
      startEvent: { event: null },
      period: 'day',
      periods: 1,
      dateRange: window,
    });
    expect(res.result.cohorts.reduce((a, c) => a + c.size, 0)).toBe(truth.counts.users);
  });

  it('refuses an event the workspace never received and a matrix too large to draw', async () => {
    await expect(
      run({ startEvent: { event: 'no_such_event' }, dateRange: window }),
    ).rejects.toThrow(/No event named "no_such_event"/);
    await expect(
      run({
        startEvent: { event: 'signed_up' },
        period: 'day',
        periods: 60,
        dateRange: { from: '2026-01-01', to: '2026-12-31' },
      }),
    ).rejects.toThrow(/more than 6000 cells/);
  });
});
