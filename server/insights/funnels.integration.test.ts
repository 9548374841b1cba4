// Funnels end to end: generated Orbit data → bronze → a real dbt build → insights.run through
// tRPC (validation, authorisation, the compiler, DuckDB, shaping). Counts are checked against an
// independent hand-written query on the same marts and against the generator's ground truth.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInsightsFixture, type InsightsFixture } from '@/test/insights-fixture';
import type { FunnelsQueryInput, FunnelsResult } from './funnels';
import type { InsightResponse } from './insight-service';

interface GroundTruth {
  funnel: { steps: string[]; users_any_time: number[]; users_within_14_days: number[] };
}

const ONBOARDING = ['signed_up', 'onboarding_completed', 'project_created'];

describe('funnels on generated data (pglite)', () => {
  let ctx: InsightsFixture;
  let truth: GroundTruth;
  let run: (q: Omit<FunnelsQueryInput, 'kind'>) => Promise<InsightResponse<FunnelsResult>>;
  const sql = (text: string, params: unknown[] = []) => ctx.sql(text, params);
  const window = { from: '2026-09-03', to: '2026-10-17' };
  const users = (r: InsightResponse<FunnelsResult>) => r.result.steps.map((s) => s.users);

  beforeAll(async () => {
    ctx = await startInsightsFixture();
    truth = ctx.truth as GroundTruth;
    run = async (q) =>
      (await ctx.viewer.insights.run({ kind: 'funnels', ...q })) as InsightResponse<FunnelsResult>;
  }, 240_000);
  afterAll(async () => {
    await ctx?.dispose();
  });

  // Reference onboarding funnel, as (user_id, t0, t1, t2) per user entering: per user the first
  // signed_up in range, then for each later step the earliest occurrence at or after the
  // previous step's time and within 14 days of the first — nested correlated min() subqueries,
  // no window functions, no CTE chain.
  const ONBOARDING_TIMES = `
    select s0.*, (select min(e.ts) from fact_events e
                  where e.user_id = s0.user_id and e.event_name = 'project_created'
                    and e.ts >= s0.t1 and e.ts <= s0.t0 + interval 14 day) as t2
    from (
      select f.*, (select min(e.ts) from fact_events e
                   where e.user_id = f.user_id and e.event_name = 'onboarding_completed'
                     and e.ts >= f.t0 and e.ts <= f.t0 + interval 14 day) as t1
      from (
        select user_id, min(ts) as t0 from fact_events
        where event_name = 'signed_up' and user_id is not null
          and ts >= timestamptz '2026-09-03 00:00:00+00' and ts < timestamptz '2026-10-18 00:00:00+00'
        group by user_id
      ) f
    ) s0`;

  it('counts the onboarding funnel like a hand-written correlated query', async () => {
    const res = await run({
      steps: ONBOARDING.map((event) => ({ event })),
      conversionWindow: { value: 14, unit: 'day' },
      dateRange: window,
    });
    expect(res.kind).toBe('funnels');
    // A plain funnel walks the per-user event times built after the dbt run.
    expect(res.sql).toContain('from agg_user_event_times');
    const [ref] = await sql(`select count(*), count(t1), count(t2) from (${ONBOARDING_TIMES})`);
    const expected = ref!.map(Number);
    expect(expected[0]).toBeGreaterThan(100);
    expect(users(res)).toEqual(expected);
    const [first, second, third] = res.result.steps;
    expect(second!.conversionFromFirst).toBeCloseTo(expected[1]! / expected[0]!, 10);
    expect(third!.conversionFromPrevious).toBeCloseTo(expected[2]! / expected[1]!, 10);
    expect(second!.dropOff).toBe(expected[0]! - expected[1]!);
    expect(first!.medianSecondsFromPrevious).toBeNull();
    expect(second!.medianSecondsFromPrevious).toBeGreaterThan(0);
  });

  it("matches ground_truth.json's ordered funnel (any time) with a long sequential window", async () => {
    // The generator's users_any_time counts, per user (from their first signed_up), each funnel
    // step once, after the previous one, with no window. Every user's events lie in the 45
    // generated days, so a 365-day window over the whole range is the same rule: exact match.
    const long = { value: 365, unit: 'day' } as const;
    const steps = truth.funnel.steps.map((event) => ({ event }));
    const seq = await run({ steps, conversionWindow: long, dateRange: window });
    expect(users(seq)).toEqual(truth.funnel.users_any_time);
    // The 14-day figure of the generator is the same rule with the default window.
    const d14 = await run({ steps, dateRange: window });
    expect(users(d14)).toEqual(truth.funnel.users_within_14_days);
    // 'any' order can only count more at each step: a user who did k steps in order did k steps.
    const any = await run({ steps, order: 'any', conversionWindow: long, dateRange: window });
    users(any).forEach((u, k) => expect(u).toBeGreaterThanOrEqual(truth.funnel.users_any_time[k]!));
  });

  it('breaks down by a user property, summing to the whole funnel at every step', async () => {
    const base = { steps: ONBOARDING.map((event) => ({ event })), dateRange: window };
    const whole = await run(base);
    const res = await run({
      ...base,
      breakdown: { property: { source: 'user', name: 'plan' }, limit: 2 },
    });
    expect(res.result.steps.map((s) => s.users)).toEqual(users(whole));
    const labels = res.result.breakdowns.map((b) => b.breakdown);
    expect(labels.length).toBeGreaterThanOrEqual(2);
    expect(labels.length).toBeLessThanOrEqual(3);
    if (labels.length === 3) expect(labels.at(-1)).toBe('$other');
    ONBOARDING.forEach((_, k) =>
      expect(res.result.breakdowns.reduce((a, b) => a + b.steps[k]!.users, 0)).toBe(
        users(whole)[k],
      ),
    );
  });

  it('runs a 20-step funnel of repeated events with non-increasing counts', async () => {
    const res = await run({
      steps: Array.from({ length: 20 }, () => ({ event: 'page_viewed' })),
      conversionWindow: { value: 30, unit: 'day' },
      dateRange: window,
    });
    const u = users(res);
    expect(u).toHaveLength(20);
    expect(u[0]).toBeGreaterThan(0);
    for (let k = 1; k < u.length; k++) expect(u[k]).toBeLessThanOrEqual(u[k - 1]!);
    // Each page view fills at most one step: step k needs k + 1 page views, so the last step is
    // at most the users with 20 identified page views in the range plus the window.
    const [[many]] = (await sql(
      `select count(*) from (select user_id from fact_events where event_name = 'page_viewed'
       and user_id is not null group by 1 having count(*) >= 20)`,
    )) as unknown[][] as [[unknown]];
    expect(u[19]).toBeLessThanOrEqual(Number(many));
  });

  it('counts no more in strict order than in sequential order (and strict like lead())', async () => {
    const base = { steps: ONBOARDING.map((event) => ({ event })), dateRange: window };
    const seq = users(await run(base));
    const strict = users(await run({ ...base, order: 'strict' }));
    expect(strict[0]).toBe(seq[0]);
    strict.forEach((u, k) => expect(u).toBeLessThanOrEqual(seq[k]!));
    // Every new user is exposed to the onboarding experiment right after signing up: a strict
    // two-step funnel that is not empty, checked against lead() over all the user's events.
    const exposed = users(
      await run({
        steps: [{ event: 'signed_up' }, { event: 'experiment_exposed' }],
        order: 'strict',
        dateRange: window,
      }),
    );
    const [ref] = await sql(
      `select count(*), count(*) filter (where nxt = 'experiment_exposed' and nts <= ts + interval 14 day)
       from (
         select * from (
           select user_id, event_name, ts,
                  lead(event_name) over (partition by user_id order by ts, event_id) as nxt,
                  lead(ts) over (partition by user_id order by ts, event_id) as nts
           from fact_events
           where user_id is not null and ts >= timestamptz '2026-09-03 00:00:00+00'
         )
         where event_name = 'signed_up' and ts < timestamptz '2026-10-18 00:00:00+00'
         qualify row_number() over (partition by user_id order by ts) = 1
       )`,
    );
    expect(exposed).toEqual(ref!.map(Number));
    expect(exposed[1]).toBeGreaterThan(0);
  });

  it('drops users who did an exclusion event between two steps, like a NOT EXISTS reference', async () => {
    const base = { steps: ONBOARDING.map((event) => ({ event })), dateRange: window };
    const seq = users(await run(base));
    const excluded = users(
      await run({ ...base, exclusions: [{ event: 'feature_used', fromStep: 1, toStep: 2 }] }),
    );
    // Reference: the correlated min() chain of the first test, then NOT EXISTS a feature_used
    // strictly between the onboarding_completed and project_created times.
    const [ref] = await sql(
      `select count(*), count(t1),
              count(*) filter (where t2 is not null and not exists (
                select 1 from fact_events x where x.user_id = s1.user_id
                  and x.event_name = 'feature_used' and x.ts > s1.t1 and x.ts < s1.t2))
       from (
         select s0.*, (select min(e.ts) from fact_events e
                       where e.user_id = s0.user_id and e.event_name = 'project_created'
                         and e.ts >= s0.t1 and e.ts <= s0.t0 + interval 14 day) as t2
         from (
           select f.*, (select min(e.ts) from fact_events e
                        where e.user_id = f.user_id and e.event_name = 'onboarding_completed'
                          and e.ts >= f.t0 and e.ts <= f.t0 + interval 14 day) as t1
           from (
             select user_id, min(ts) as t0 from fact_events
             where event_name = 'signed_up' and user_id is not null
               and ts >= timestamptz '2026-09-03 00:00:00+00' and ts < timestamptz '2026-10-18 00:00:00+00'
             group by user_id
           ) f
         ) s0
       ) s1`,
    );
    expect(excluded).toEqual(ref!.map(Number));
    expect(excluded.slice(0, 2)).toEqual(seq.slice(0, 2));
    expect(excluded[2]).toBeLessThanOrEqual(seq[2]!);
  });

  it('measures time to convert like the reference, in bins that hold every converter', async () => {
    const res = await run({
      steps: ONBOARDING.map((event) => ({ event })),
      dateRange: window,
      view: 'time_to_convert',
      timeToConvert: { bins: 8 },
    });
    const ttc = res.result.timeToConvert!;
    const [ref] = await sql(
      `select count(*), min(secs), max(secs), median(secs) from (
         select epoch(t2) - epoch(t0) as secs from (${ONBOARDING_TIMES}) where t2 is not null)`,
    );
    const [n, lo, hi, med] = ref!.map(Number);
    expect(n).toBeGreaterThan(10);
    expect(ttc.users).toBe(n);
    expect(ttc.bins).toHaveLength(8);
    expect(ttc.bins.reduce((a, b) => a + b.users, 0)).toBe(n);
    expect(ttc.bins[0]!.fromSeconds).toBeCloseTo(lo!, 3);
    expect(ttc.bins.at(-1)!.toSeconds).toBeCloseTo(hi!, 3);
    expect(ttc.medianSeconds).toBeCloseTo(med!, 3);
    expect(res.result.steps).toEqual([]);
  });

  it('shows conversion over time: per week of the first step, entered and converted', async () => {
    const res = await run({
      steps: ONBOARDING.map((event) => ({ event })),
      dateRange: window,
      view: 'trends',
      trendsInterval: 'week',
    });
    const over = res.result.overTime!;
    const ref = await sql(
      `select date_trunc('week', t0 at time zone 'UTC') as wk, count(*), count(t2)
       from (${ONBOARDING_TIMES}) group by 1 order by 1`,
    );
    const expected = new Map(
      ref.map(([wk, e, c]) => [
        new Date(`${String(wk).slice(0, 10)}T00:00:00Z`).toISOString(),
        [Number(e), Number(c)],
      ]),
    );
    expect(over.buckets.length).toBeGreaterThanOrEqual(7);
    over.buckets.forEach((b, i) =>
      expect([over.entered[i], over.converted[i]]).toEqual(expected.get(b) ?? [0, 0]),
    );
    expect(over.entered.reduce((a, v) => a + v, 0)).toBeGreaterThan(100);
  });

  it('lists the users who dropped off at a step, and those who converted', async () => {
    const query = {
      kind: 'funnels' as const,
      steps: ONBOARDING.map((event) => ({ event })),
      dateRange: window,
    };
    const dropped = await ctx.viewer.insights.funnelUsers({
      query,
      step: 1,
      outcome: 'dropped',
      limit: 1000,
    });
    const ref = await sql(`select user_id from (${ONBOARDING_TIMES}) where t1 is null order by 1`);
    expect(dropped.total).toBe(ref.length);
    expect(dropped.users.map((u) => u.userId)).toEqual(ref.slice(0, 1000).map((r) => String(r[0])));
    expect(dropped.users[0]!.plan).not.toBeNull();
    const converted = await ctx.viewer.insights.funnelUsers({
      query,
      step: 2,
      outcome: 'converted',
      limit: 5,
    });
    const [[n]] = (await sql(`select count(t2) from (${ONBOARDING_TIMES})`)) as unknown[][] as [
      [unknown],
    ];
    expect(converted.total).toBe(Number(n));
    expect(converted.users).toHaveLength(5);
    await expect(
      ctx.viewer.insights.funnelUsers({ query, step: 3, outcome: 'dropped', limit: 5 }),
    ).rejects.toThrow('Step 3 does not exist: this funnel has steps 0–2');
  });

  it('refuses a funnel step the workspace never received', async () => {
    await expect(
      run({ steps: [{ event: 'signed_up' }, { event: 'no_such_event' }], dateRange: window }),
    ).rejects.toThrow(/No event named "no_such_event"/);
  });
});
