// Trends end to end: generated Orbit data → bronze → a real dbt build → insights.run through
// tRPC (validation, authorisation, the compiler, DuckDB, shaping, the cache). Each result is
// checked against an independent hand-written query on the same marts and, where the generator
// knows the answer, against ground_truth.json.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInsightsFixture, type InsightsFixture } from '@/test/insights-fixture';
import type { InsightResponse } from './insight-service';
import { previousRange, type TrendsQueryInput, type TrendsResult } from './trends';

interface GroundTruth {
  counts: { events_by_name: Record<string, number> };
}

describe('trends on generated data (pglite)', () => {
  let ctx: InsightsFixture;
  let truth: GroundTruth;
  let run: (q: Omit<TrendsQueryInput, 'kind'>) => Promise<InsightResponse<TrendsResult>>;
  const sql = (text: string, params: unknown[] = []) => ctx.sql(text, params);
  const window = { from: '2026-09-03', to: '2026-10-17' };

  beforeAll(async () => {
    ctx = await startInsightsFixture();
    truth = ctx.truth as GroundTruth;
    run = async (q) =>
      (await ctx.viewer.insights.run({ kind: 'trends', ...q })) as InsightResponse<TrendsResult>;
  }, 240_000);
  afterAll(async () => {
    await ctx?.dispose();
  });

  it('counts events per day like a hand-written query, and the ground truth in total', async () => {
    const res = await run({ series: [{ event: 'signed_up' }], dateRange: window });
    expect(res.result.buckets).toHaveLength(45);
    const reference = new Map(
      (
        await sql(
          `select cast(date_trunc('day', ts) as varchar), count(*) from fact_events
           where event_name = 'signed_up' group by 1`,
        )
      ).map(([d, c]) => [new Date(`${String(d).slice(0, 10)}T00:00:00Z`).toISOString(), Number(c)]),
    );
    // Unfiltered totals come from the hourly pre-aggregate, checked here against fact_events.
    expect(res.sql).toContain('from agg_event_counts_hourly');
    const series = res.result.series[0]!;
    res.result.buckets.forEach((b, i) => expect(series.values[i], b).toBe(reference.get(b) ?? 0));
    // Every signed_up event carries a user_id, so none is lost to attribution.
    expect(series.total).toBe(truth.counts.events_by_name.signed_up);
  });

  it('compares with the previous period and computes formulas like a direct query', async () => {
    const range = { from: '2026-10-04', to: '2026-10-17' };
    const res = await run({
      series: [{ event: 'error_occurred' }, { event: 'page_viewed' }],
      dateRange: range,
      compare: true,
      formulas: [{ expression: 'A / B * 1000', label: 'errors per 1000 views' }],
    });
    const perDay = async (event: string, from: string, to: string) => {
      const rows = await sql(
        `select cast(ts as date)::varchar, count(*) from fact_events
         where event_name = $1 and ts >= cast($2 as timestamptz) and ts < cast($3 as timestamptz) + interval 1 day
         group by 1`,
        [event, `${from}T00:00:00Z`, `${to}T00:00:00Z`],
      );
      const m = new Map(rows.map(([d, c]) => [String(d), Number(c)]));
      const days = Array.from({ length: 14 }, (_, i) =>
        new Date(Date.parse(from) + i * 86_400_000).toISOString().slice(0, 10),
      );
      return days.map((d) => m.get(d) ?? 0);
    };
    const pick = (series: number, period: string) =>
      res.result.series.find((x) => x.series === series && x.period === period)!.values;
    expect(res.result.previousBuckets![0]).toBe('2026-09-20T00:00:00.000Z');
    expect(pick(0, 'current')).toEqual(await perDay('error_occurred', '2026-10-04', '2026-10-17'));
    expect(pick(0, 'previous')).toEqual(await perDay('error_occurred', '2026-09-20', '2026-10-03'));
    expect(pick(1, 'previous')).toEqual(await perDay('page_viewed', '2026-09-20', '2026-10-03'));
    const errors = pick(0, 'current');
    const views = pick(1, 'current');
    const formula = res.result.formulas.find((f) => f.period === 'current')!;
    expect(formula.label).toBe('errors per 1000 views');
    formula.values.forEach((v, i) =>
      views[i] === 0
        ? expect(v).toBeNull()
        : expect(v).toBeCloseTo((errors[i]! / views[i]!) * 1000, 9),
    );
    expect(res.result.formulas).toHaveLength(2);
  });

  it('counts unique users per week with a user-property filter', async () => {
    const res = await run({
      series: [{ event: 'feature_used', math: 'unique_users' }],
      filters: [
        { property: { source: 'user', name: 'plan' }, op: 'in', value: ['pro', 'enterprise'] },
      ],
      interval: 'week',
      dateRange: window,
    });
    const reference = new Map(
      (
        await sql(
          `select cast(date_trunc('week', e.ts) as varchar), count(distinct e.user_id)
           from fact_events e join dim_users u using (user_id)
           where e.event_name = 'feature_used' and u.plan in ('pro', 'enterprise')
           group by 1`,
        )
      ).map(([d, c]) => [new Date(`${String(d).slice(0, 10)}T00:00:00Z`).toISOString(), Number(c)]),
    );
    const values = res.result.series[0]!.values;
    expect(values.some((v) => v > 0)).toBe(true);
    res.result.buckets.forEach((b, i) => expect(values[i], b).toBe(reference.get(b) ?? 0));
  });

  it('counts unique users by day, week and month from the per-day users, like fact_events', async () => {
    // No filter or breakdown: the accelerator agg_user_event_days answers (built after the run).
    const range = { from: '2026-09-10', to: '2026-10-17' };
    for (const interval of ['day', 'week', 'month'] as const) {
      const res = await run({
        series: [{ event: 'page_viewed', math: 'unique_users' }],
        interval,
        dateRange: range,
        compare: interval === 'week',
      });
      expect(res.sql).toContain('from agg_user_event_days');
      const reference = async (from: string, to: string) =>
        new Map(
          (
            await sql(
              `select cast(date_trunc('${interval}', ts) as varchar), count(distinct user_id)
               from fact_events where event_name = 'page_viewed'
                 and ts >= cast($1 as timestamptz) and ts < cast($2 as timestamptz) + interval 1 day
               group by 1`,
              [`${from}T00:00:00Z`, `${to}T00:00:00Z`],
            )
          ).map(([d, c]) => [
            new Date(`${String(d).slice(0, 10)}T00:00:00Z`).toISOString(),
            Number(c),
          ]),
        );
      const current = res.result.series.find((x) => x.period === 'current')!.values;
      const expected = await reference(range.from, range.to);
      expect(current.some((v) => v > 0)).toBe(true);
      res.result.buckets.forEach((b, i) =>
        expect(current[i], `${interval} ${b}`).toBe(expected.get(b) ?? 0),
      );
      if (interval === 'week') {
        const prev = previousRange(range);
        const previous = res.result.series.find((x) => x.period === 'previous')!.values;
        const before = await reference(prev.from, prev.to);
        expect(previous.some((v) => v > 0)).toBe(true);
        res.result.previousBuckets!.forEach((b, i) =>
          expect(previous[i], `previous ${b}`).toBe(before.get(b) ?? 0),
        );
      }
    }
  });

  it('breaks down by a JSON property into the top N and "other", summing to the whole', async () => {
    const whole = await run({ series: [{ event: 'feature_used' }], dateRange: window });
    const res = await run({
      series: [{ event: 'feature_used' }],
      breakdown: { property: { source: 'event_property', name: 'feature_name' }, limit: 3 },
      dateRange: window,
    });
    const labels = res.result.series.map((s) => s.breakdown);
    expect(labels).toHaveLength(4);
    expect(labels.at(-1)).toBe('$other');
    const top = await sql(
      `select json_extract_string(properties, '$.feature_name') f from fact_events
       where event_name = 'feature_used' group by 1 order by count(*) desc, f limit 3`,
    );
    expect(labels.slice(0, 3).sort()).toEqual(top.map(([f]) => String(f)).sort());
    const sum = res.result.series.reduce((a, s) => a + s.total, 0);
    expect(sum).toBe(whole.result.series[0]!.total);
  });

  // The DuckDB dialect buckets by epoch arithmetic (date_trunc on TIMESTAMPTZ is slow): every
  // interval must agree with date_trunc in UTC.
  it('buckets by hour, week and month exactly like date_trunc in UTC', async () => {
    for (const [interval, range] of [
      ['hour', { from: '2026-10-10', to: '2026-10-12' }],
      ['week', window],
      ['month', window],
    ] as const) {
      const res = await run({ series: [{ event: 'page_viewed' }], interval, dateRange: range });
      const reference = new Map(
        (
          await sql(
            `select strftime(date_trunc('${interval}', ts), '%Y-%m-%dT%H:%M:%S.000Z'), count(*)
             from fact_events where event_name = 'page_viewed'
               and ts >= cast($1 as timestamptz) and ts < cast($2 as timestamptz)
             group by 1`,
            [`${range.from}T00:00:00Z`, new Date(Date.parse(range.to) + 86_400_000).toISOString()],
          )
        ).map(([b, c]) => [String(b), Number(c)]),
      );
      const values = res.result.series[0]!.values;
      expect(
        values.some((v) => v > 0),
        interval,
      ).toBe(true);
      res.result.buckets.forEach((b, i) =>
        expect(values[i], `${interval} ${b}`).toBe(reference.get(b) ?? 0),
      );
    }
  });

  it('answers a repeated query from the cache until the next dbt run', async () => {
    const q = { series: [{ event: 'page_viewed' }], dateRange: window };
    const first = await run(q);
    const again = await run(q);
    expect(again.cached).toBe(true);
    expect(again.result).toEqual(first.result);
    expect(again.runId).toBe(first.runId);
  });

  it('refuses an event the workspace never received, and malformed queries, precisely', async () => {
    await expect(run({ series: [{ event: 'no_such_event' }], dateRange: window })).rejects.toThrow(
      /No event named "no_such_event"/,
    );
    await expect(
      run({
        series: [{ event: 'signed_up' }],
        dateRange: { from: '2026-10-17', to: '2026-09-03' },
      }),
    ).rejects.toThrow(/from\W* is after \W*to/);
  });
});
