// Feature adoption end to end: generated Orbit data → a real dbt build → insights.run through
// tRPC. The matrix is checked against a hand-written reference that counts active users from
// fact_events (not fct_user_activity_daily) and weeks with date_trunc (not epoch arithmetic).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInsightsFixture, type InsightsFixture } from '@/test/insights-fixture';
import type { FeatureAdoptionQueryInput, FeatureAdoptionResult } from './adoption';
import type { InsightResponse } from './insight-service';

describe('feature adoption on generated data (pglite)', () => {
  let ctx: InsightsFixture;
  let run: (
    q: Omit<FeatureAdoptionQueryInput, 'kind'>,
  ) => Promise<InsightResponse<FeatureAdoptionResult>>;
  const range = { from: '2026-09-20', to: '2026-10-17' };
  const ts = `ts >= timestamptz '2026-09-20 00:00:00+00' and ts < timestamptz '2026-10-18 00:00:00+00'`;

  beforeAll(async () => {
    ctx = await startInsightsFixture();
    run = async (q) =>
      (await ctx.viewer.insights.run({
        kind: 'feature_adoption',
        ...q,
      })) as InsightResponse<FeatureAdoptionResult>;
  }, 240_000);
  afterAll(async () => {
    await ctx?.dispose();
  });

  /** (feature, segment) → [users, adopters, kept] from the reference query. */
  async function reference(population: string) {
    const rows = await ctx.sql(
      `with pop as (${population}),
       seg as (select segment, count(*) as users from pop group by segment),
       used as (
         select user_id, feature_name, count(distinct date_trunc('week', ts)) as weeks
         from fact_events where event_name = 'feature_used' and feature_name is not null and ${ts}
         group by all
       )
       select f.feature_name, s.segment, s.users,
         (select count(*) from used join pop using (user_id)
          where used.feature_name = f.feature_name and pop.segment = s.segment),
         (select count(*) from used join pop using (user_id)
          where used.feature_name = f.feature_name and pop.segment = s.segment and used.weeks > 1)
       from dim_features f, seg s`,
    );
    return new Map(
      rows.map(([f, s, users, adopters, kept]) => [
        `${String(f)}|${String(s)}`,
        [Number(users), Number(adopters), Number(kept)],
      ]),
    );
  }

  function cells(res: FeatureAdoptionResult) {
    const out = new Map<string, number[]>();
    for (const f of res.features)
      f.cells.forEach((c, i) =>
        out.set(`${f.feature}|${res.segments[i]!.segment}`, [c.users, c.adopters, c.kept]),
      );
    return out;
  }

  it('matches a reference by plan among active users, with rates and kept users', async () => {
    const res = await run({ dateRange: range, segment: 'plan' });
    const ref = await reference(
      `select u.user_id, coalesce(u.plan, '$none') as segment from dim_users u
       where exists (select 1 from fact_events e where e.user_id = u.user_id and e.${ts})`,
    );
    expect(cells(res.result)).toEqual(ref);
    expect(res.result.features).toHaveLength(
      Number((await ctx.sql('select count(*) from dim_features'))[0]![0]),
    );
    expect(res.result.segments.map((s) => s.segment).sort()).toEqual(
      expect.arrayContaining(['free', 'pro']),
    );
    const top = res.result.features[0]!;
    expect(top.total.adopters).toBeGreaterThan(0);
    expect(top.total.rate).toBeCloseTo(top.total.adopters / top.total.users, 12);
    expect(top.total.kept).toBeLessThanOrEqual(top.total.adopters);
  });

  it('matches a reference by signup cohort month over every user of the segment', async () => {
    const res = await run({
      dateRange: range,
      segment: 'cohort_month',
      denominator: 'segment_users',
      features: ['kanban_board', 'ai_summaries'],
      filters: [{ property: { source: 'user', name: 'platform' }, op: 'eq', value: 'web' }],
    });
    const ref = await reference(
      `select user_id, coalesce(cast(cohort_month as varchar), '$none') as segment from dim_users
       where first_seen < timestamptz '2026-10-18 00:00:00+00' and platform = 'web'`,
    );
    const expected = new Map(
      [...ref].filter(([k]) => k.startsWith('kanban_board|') || k.startsWith('ai_summaries|')),
    );
    expect(expected.size).toBeGreaterThan(2);
    expect(cells(res.result)).toEqual(expected);
    expect(res.result.segments.every((s) => /^\d{4}-\d{2}-01$/.test(s.segment))).toBe(true);
  });
});
