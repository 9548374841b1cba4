// Cohorts end to end: generated Orbit data → a real dbt build → cohorts.* and insights.run
// through tRPC with real sessions. CRUD and role checks (viewers read, analysts write), sizes
// against hand-written correlated-subquery references, and trends filtered and broken down by
// a cohort against a reference; a changed cohort changes the (cached) insight.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '@/server/api/root';
import { startInsightsFixture, type InsightsFixture } from '@/test/insights-fixture';
import type { CohortDefinitionInput } from './cohorts';
import type { InsightResponse } from './insight-service';
import type { TrendsQueryInput, TrendsResult } from './trends';

// Paid users who used features 3+ times in the last 14 days, or anyone with no error in the
// last 30 days. As of the data's last day (2026-10-17): 14 days = 2026-10-04 …, 30 days =
// 2026-09-18 ….
const DEFINITION: CohortDefinitionInput = {
  match: 'any',
  groups: [
    {
      match: 'all',
      conditions: [
        {
          type: 'performed',
          event: 'feature_used',
          operator: 'at_least',
          count: 3,
          window: { last: 14, unit: 'day' },
        },
        {
          type: 'property',
          filter: {
            property: { source: 'user', name: 'plan' },
            op: 'in',
            value: ['pro', 'enterprise'],
          },
        },
      ],
    },
    {
      conditions: [
        { type: 'not_performed', event: 'error_occurred', window: { last: 30, unit: 'day' } },
      ],
    },
  ],
};

const REFERENCE_MEMBERS = (asOf: string) => `
  select u.user_id from dim_users u
  where u.first_seen < date '${asOf}' + interval 1 day
    and (
      (u.plan in ('pro', 'enterprise')
        and (select count(*) from fact_events e
             where e.user_id = u.user_id and e.event_name = 'feature_used'
               and e.event_date between date '${asOf}' - interval 13 day and date '${asOf}') >= 3)
      or not exists (select 1 from fact_events e
             where e.user_id = u.user_id and e.event_name = 'error_occurred'
               and e.event_date between date '${asOf}' - interval 29 day and date '${asOf}')
    )`;

describe('cohorts on generated data (pglite)', () => {
  let ctx: InsightsFixture;
  let analyst: ReturnType<typeof createCaller>;
  let id: string;
  const window = { from: '2026-09-03', to: '2026-10-17' };
  const count = async (sql: string) => Number((await ctx.sql(sql))[0]![0]);
  const trends = async (q: Omit<TrendsQueryInput, 'kind'>) =>
    (await ctx.viewer.insights.run({ kind: 'trends', ...q })) as InsightResponse<TrendsResult>;

  beforeAll(async () => {
    ctx = await startInsightsFixture();
    analyst = createCaller(
      await ctx.fx.context({
        cookie: await ctx.fx.cookieFor(ctx.fx.users.analyst.email),
        workspace: ctx.fx.workspace.slug,
      }),
    );
  }, 240_000);
  afterAll(async () => {
    await ctx?.dispose();
  });

  it('lets analysts create, rename and list cohorts; viewers only read', async () => {
    await expect(
      ctx.viewer.cohorts.create({ name: 'Nope', definition: DEFINITION }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const created = await analyst.cohorts.create({
      name: 'Engaged',
      description: 'Paid and busy, or error-free',
      definition: DEFINITION,
    });
    id = created.id;
    expect(created).toMatchObject({
      name: 'Engaged',
      createdBy: { email: ctx.fx.users.analyst.email },
    });
    expect(created.definition.groups[1]!.match).toBe('all');
    await expect(
      analyst.cohorts.create({ name: 'Engaged', definition: DEFINITION }),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/already exists/) });
    await expect(
      analyst.cohorts.create({
        name: 'Ghosts',
        definition: {
          groups: [
            {
              conditions: [
                { type: 'performed', event: 'no_such_event', window: { last: 1, unit: 'day' } },
              ],
            },
          ],
        },
      }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/no_such_event/),
    });
    expect((await ctx.viewer.cohorts.list()).map((c) => c.name)).toEqual(['Engaged']);
    expect((await ctx.viewer.cohorts.get({ id })).description).toBe('Paid and busy, or error-free');
    await expect(ctx.viewer.cohorts.delete({ id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('sizes the cohort now and over time like a hand-written reference', async () => {
    const size = await ctx.viewer.cohorts.size({ id });
    expect(size.asOf).toBe('2026-10-17');
    const expected = await count(`select count(*) from (${REFERENCE_MEMBERS('2026-10-17')})`);
    expect(expected).toBeGreaterThan(10);
    expect(size.users).toBe(expected);

    const over = await ctx.viewer.cohorts.sizeOverTime({
      id,
      dateRange: { from: '2026-10-01', to: '2026-10-17' },
      interval: 'week',
    });
    // Weeks from Monday 2026-09-28, each evaluated as of its last day within the range.
    expect(over.points.map((p) => p.asOf)).toEqual(['2026-10-04', '2026-10-11', '2026-10-17']);
    for (const p of over.points)
      expect(p.users, p.asOf).toBe(
        await count(`select count(*) from (${REFERENCE_MEMBERS(p.asOf)})`),
      );
    expect(over.points.at(-1)!.users).toBe(size.users);
  });

  it('filters and breaks down trends by the cohort like a reference', async () => {
    const q = {
      series: [{ event: 'page_viewed', math: 'unique_users' as const }],
      interval: 'week' as const,
      dateRange: window,
    };
    const inside = await trends({ ...q, filters: [{ cohort: { id } }] });
    const outside = await trends({ ...q, filters: [{ cohort: { id, negate: true } }] });
    const all = await trends(q);
    const reference = new Map(
      (
        await ctx.sql(
          `select strftime(date_trunc('week', e.ts), '%Y-%m-%dT%H:%M:%S.000Z'), count(distinct e.user_id)
           from fact_events e join (${REFERENCE_MEMBERS('2026-10-17')}) m on m.user_id = e.user_id
           where e.event_name = 'page_viewed' group by 1`,
        )
      ).map(([b, c]) => [String(b), Number(c)]),
    );
    const values = inside.result.series[0]!.values;
    expect(values.some((v) => v > 0)).toBe(true);
    inside.result.buckets.forEach((b, i) => expect(values[i], b).toBe(reference.get(b) ?? 0));
    // Members and non-members partition the users of each week.
    all.result.series[0]!.values.forEach((v, i) =>
      expect(values[i]! + outside.result.series[0]!.values[i]!).toBe(v),
    );
    const byCohort = await trends({ ...q, breakdown: { cohort: { id } } });
    const member = byCohort.result.series.find((s) => s.breakdown === 'Engaged')!;
    expect(member.values).toEqual(values);
    expect(byCohort.result.series.find((s) => s.breakdown === '$none')!.values).toEqual(
      outside.result.series[0]!.values,
    );
  });

  it('answers from a new cache entry when the cohort changes, and NOT_FOUND once deleted', async () => {
    const q = {
      series: [{ event: 'page_viewed' }],
      dateRange: window,
      filters: [{ cohort: { id } }],
    };
    const before = await trends(q);
    expect((await trends(q)).cached).toBe(true);
    await analyst.cohorts.update({
      id,
      name: 'Enterprise',
      definition: {
        groups: [
          {
            conditions: [
              {
                type: 'property',
                filter: {
                  property: { source: 'user', name: 'plan' },
                  op: 'eq',
                  value: 'enterprise',
                },
              },
            ],
          },
        ],
      },
    });
    const after = await trends(q);
    expect(after.cached).toBe(false);
    expect(after.result.series[0]!.total).toBeLessThan(before.result.series[0]!.total);
    expect(after.result.series[0]!.total).toBe(
      await count(
        `select count(*) from fact_events e join dim_users u using (user_id)
         where e.event_name = 'page_viewed' and u.plan = 'enterprise'`,
      ),
    );

    await analyst.cohorts.delete({ id });
    await expect(ctx.viewer.cohorts.get({ id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(trends(q)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(new RegExp(`No cohort with id "${id}"`)),
    });
  });
});
