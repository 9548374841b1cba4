// Lifecycle end to end: generated Orbit data → bronze → a real dbt build → insights.run through
// tRPC. Every status count is checked against an independent hand-written query on fact_events:
// DISTINCT (user, date_trunc'd bucket) pairs and one correlated EXISTS / NOT EXISTS subquery per
// status and bucket, instead of the compiler's period numbers and lag/lead pass.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInsightsFixture, type InsightsFixture } from '@/test/insights-fixture';
import type { InsightResponse } from './insight-service';
import type { LifecycleQueryInput, LifecycleResult } from './lifecycle';

interface GroundTruth {
  counts: { users: number };
}

describe('lifecycle on generated data (pglite)', () => {
  let ctx: InsightsFixture;
  let truth: GroundTruth;
  let run: (q: Omit<LifecycleQueryInput, 'kind'>) => Promise<InsightResponse<LifecycleResult>>;
  const sql = async (text: string) =>
    (await ctx.sql(text)).map((row) => row.map((v) => (typeof v === 'bigint' ? Number(v) : v)));

  beforeAll(async () => {
    ctx = await startInsightsFixture();
    truth = ctx.truth as GroundTruth;
    run = async (q) =>
      (await ctx.viewer.insights.run({
        kind: 'lifecycle',
        ...q,
      })) as InsightResponse<LifecycleResult>;
  }, 240_000);
  afterAll(async () => {
    await ctx?.dispose();
  });

  /**
   * Reference rows (bucket day, new, returning, resurrecting, dormant) for the distinct
   * (user_id, b) pairs of `active` (a query with those columns, b a date_trunc'd timestamp),
   * over the buckets from `first` to `last` stepping by `step`.
   */
  async function reference(active: string, first: string, last: string, step: string) {
    return sql(
      `with act as (${active}),
       firsts as (select user_id, min(b) as f from act group by user_id),
       buckets as (
         select range as b from range(timestamptz '${first} 00:00:00+00', timestamptz '${last} 00:00:00+00' + ${step}, ${step})
       )
       select strftime(buckets.b, '%Y-%m-%d'),
         (select count(*) from act a join firsts f on f.user_id = a.user_id
           where a.b = buckets.b and f.f = buckets.b),
         (select count(*) from act a where a.b = buckets.b and exists (
           select 1 from act p where p.user_id = a.user_id and p.b = buckets.b - ${step})),
         (select count(*) from act a join firsts f on f.user_id = a.user_id
           where a.b = buckets.b and f.f < buckets.b and not exists (
             select 1 from act p where p.user_id = a.user_id and p.b = buckets.b - ${step})),
         (select count(*) from act p where p.b = buckets.b - ${step} and not exists (
           select 1 from act a where a.user_id = p.user_id and a.b = buckets.b))
       from buckets
       order by 1`,
    );
  }

  const columns = (r: InsightResponse<LifecycleResult>) =>
    r.result.buckets.map((b, i) => [
      b.slice(0, 10),
      // Dormant values are negative in the result; the reference counts them.
      ...r.result.series.map((s) => (s.status === 'dormant' ? 0 - s.values[i]! : s.values[i]!)),
    ]);

  it('matches a hand-written daily lifecycle of logged_in', async () => {
    const res = await run({
      event: { event: 'logged_in' },
      interval: 'day',
      dateRange: { from: '2026-09-20', to: '2026-10-17' },
    });
    expect(res.kind).toBe('lifecycle');
    expect(res.result.series.map((s) => s.status)).toEqual([
      'new',
      'returning',
      'resurrecting',
      'dormant',
    ]);
    const expected = await reference(
      `select distinct user_id, date_trunc('day', ts) as b from fact_events
       where event_name = 'logged_in' and ts < timestamptz '2026-10-18 00:00:00+00'`,
      '2026-09-20',
      '2026-10-17',
      'interval 1 day',
    );
    expect(columns(res)).toEqual(expected);
    // Every status occurs: the comparison is not between zeros.
    for (const s of res.result.series) expect(Math.abs(s.total), s.status).toBeGreaterThan(0);
    expect(res.result.series[3]!.values.every((v) => v <= 0)).toBe(true);
  });

  it('matches the reference weekly for any event of pro users (the activity mart path)', async () => {
    const res = await run({
      event: { event: null },
      interval: 'week',
      dateRange: { from: '2026-09-10', to: '2026-10-17' },
      filters: [{ property: { source: 'user', name: 'plan' }, op: 'eq', value: 'pro' }],
    });
    expect(res.sql).toContain('fct_user_activity_daily');
    const expected = await reference(
      `select distinct e.user_id, date_trunc('week', e.ts) as b
       from fact_events e join dim_users u on u.user_id = e.user_id
       where u.plan = 'pro' and e.ts < timestamptz '2026-10-18 00:00:00+00'`,
      '2026-09-07',
      '2026-10-12',
      'interval 7 day',
    );
    expect(columns(res)).toEqual(expected);
    expect(res.result.buckets).toHaveLength(6);
  });

  it('applies event filters: feature_used of one feature, like the reference', async () => {
    const res = await run({
      event: {
        event: 'feature_used',
        filters: [
          { property: { source: 'event', name: 'feature_name' }, op: 'eq', value: 'kanban_board' },
        ],
      },
      interval: 'day',
      dateRange: { from: '2026-10-01', to: '2026-10-17' },
    });
    const expected = await reference(
      `select distinct user_id, date_trunc('day', ts) as b from fact_events
       where event_name = 'feature_used' and feature_name = 'kanban_board'
         and ts < timestamptz '2026-10-18 00:00:00+00'`,
      '2026-10-01',
      '2026-10-17',
      'interval 1 day',
    );
    expect(columns(res)).toEqual(expected);
  });

  it('matches the reference monthly (month numbers from DATE arithmetic, not the calendar)', async () => {
    const res = await run({
      event: { event: 'report_exported' },
      interval: 'month',
      dateRange: { from: '2026-09-15', to: '2026-10-17' },
    });
    const expected = await reference(
      `select distinct user_id, date_trunc('month', ts) as b from fact_events
       where event_name = 'report_exported' and ts < timestamptz '2026-10-18 00:00:00+00'`,
      '2026-09-01',
      '2026-10-01',
      'interval 1 month',
    );
    expect(columns(res)).toEqual(expected);
    expect(res.result.buckets).toEqual(['2026-09-01T00:00:00.000Z', '2026-10-01T00:00:00.000Z']);
  });

  it('finds every generated user new exactly once over the whole window (ground truth)', async () => {
    const res = await run({
      event: { event: null },
      interval: 'week',
      dateRange: { from: '2026-09-03', to: '2026-10-17' },
    });
    expect(res.result.series[0]!.total).toBe(truth.counts.users);
    // The first bucket has nobody before it: everyone active in it is new.
    expect(res.result.series.slice(1).map((s) => s.values[0])).toEqual([0, 0, 0]);
  });
});
