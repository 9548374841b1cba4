// Stickiness end to end: generated Orbit data → bronze → a real dbt build → insights.run through
// tRPC, each result checked against a hand-written count of distinct date_trunc'd days (or
// weeks) per user on fact_events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInsightsFixture, type InsightsFixture } from '@/test/insights-fixture';
import type { InsightResponse } from './insight-service';
import type { StickinessQueryInput, StickinessResult } from './stickiness';

describe('stickiness on generated data (pglite)', () => {
  let ctx: InsightsFixture;
  let run: (q: Omit<StickinessQueryInput, 'kind'>) => Promise<InsightResponse<StickinessResult>>;
  const sql = async (text: string) =>
    (await ctx.sql(text)).map((row) => row.map((v) => (typeof v === 'bigint' ? Number(v) : v)));

  beforeAll(async () => {
    ctx = await startInsightsFixture();
    run = async (q) =>
      (await ctx.viewer.insights.run({
        kind: 'stickiness',
        ...q,
      })) as InsightResponse<StickinessResult>;
  }, 240_000);
  afterAll(async () => {
    await ctx?.dispose();
  });

  /** Users per number of distinct buckets, as an array indexed by N (1…k), zeros included. */
  async function reference(perUser: string, k: number): Promise<number[]> {
    const rows = await sql(`select n, count(*) from (${perUser}) group by n`);
    const out = Array.from({ length: k }, () => 0);
    for (const [n, users] of rows) out[Number(n) - 1] = Number(users);
    return out;
  }

  it('matches a hand-written count of distinct days of feature_used per user', async () => {
    const res = await run({
      event: { event: 'feature_used' },
      interval: 'day',
      dateRange: { from: '2026-10-01', to: '2026-10-14' },
    });
    expect(res.kind).toBe('stickiness');
    const expected = await reference(
      `select user_id, count(distinct date_trunc('day', ts)) as n from fact_events
       where event_name = 'feature_used'
         and ts >= timestamptz '2026-10-01 00:00:00+00' and ts < timestamptz '2026-10-15 00:00:00+00'
       group by user_id`,
      14,
    );
    expect(res.result.points.map((p) => p.users)).toEqual(expected);
    // Some users are sticky and some are not: the distribution is not degenerate.
    expect(expected[0]).toBeGreaterThan(0);
    expect(expected.slice(2).some((v) => v > 0)).toBe(true);
    // Cumulative: at least N = exact N + at least N+1.
    const p = res.result.points;
    for (let n = 0; n < p.length - 1; n++)
      expect(p[n]!.atLeast).toBe(p[n]!.users + p[n + 1]!.atLeast);
    expect(res.result.totalUsers).toBe(expected.reduce((a, v) => a + v, 0));
  });

  it('matches the reference for whole weeks of any event of web users', async () => {
    const res = await run({
      event: { event: null },
      interval: 'week',
      dateRange: { from: '2026-09-10', to: '2026-10-17' },
      filters: [{ property: { source: 'user', name: 'platform' }, op: 'eq', value: 'web' }],
    });
    expect(res.sql).toContain('fct_user_activity_daily');
    // Whole weeks: from Monday 2026-09-07, not from the 10th.
    const expected = await reference(
      `select e.user_id, count(distinct date_trunc('week', e.ts)) as n
       from fact_events e join dim_users u on u.user_id = e.user_id
       where u.platform = 'web'
         and e.ts >= timestamptz '2026-09-07 00:00:00+00' and e.ts < timestamptz '2026-10-18 00:00:00+00'
       group by e.user_id`,
      6,
    );
    expect(res.result.points.map((p) => p.users)).toEqual(expected);
    expect(res.result.points.map((p) => p.label)).toEqual([
      '1 week',
      '2 weeks',
      '3 weeks',
      '4 weeks',
      '5 weeks',
      '6 weeks',
    ]);
  });

  it('applies event and insight filters like the reference WHERE', async () => {
    const res = await run({
      event: {
        event: 'page_viewed',
        filters: [{ property: { source: 'event_property', name: 'page' }, op: 'is_set' }],
      },
      interval: 'day',
      dateRange: { from: '2026-10-08', to: '2026-10-17' },
      filters: [{ property: { source: 'event', name: 'device_type' }, op: 'neq', value: 'mobile' }],
    });
    const expected = await reference(
      `select user_id, count(distinct date_trunc('day', ts)) as n from fact_events
       where event_name = 'page_viewed' and json_extract_string(properties, '$.page') is not null
         and device_type is distinct from 'mobile'
         and ts >= timestamptz '2026-10-08 00:00:00+00' and ts < timestamptz '2026-10-18 00:00:00+00'
       group by user_id`,
      10,
    );
    expect(res.result.points.map((p) => p.users)).toEqual(expected);
    expect(res.result.totalUsers).toBeGreaterThan(0);
  });
});
