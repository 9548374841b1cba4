// Retention, lifecycle and stickiness read a named event's (user, day) rows from the per-day
// users accelerator (agg_user_event_days) when the run has it, instead of scanning fact_events.
// Every query here is compiled both ways and run on the same generated marts: the rows must be
// identical — with user-property filters and breakdowns, "any event" mixed in (read from
// fct_user_activity_daily), and an event-level filter that sends one event back to fact_events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInsightsFixture, type InsightsFixture } from '@/test/insights-fixture';
import { duckdbDialect } from './dialect';
import type { CompiledQuery } from './kind';
import { compileLifecycle, ZLifecycleQuery, type LifecycleQueryInput } from './lifecycle';
import { compileRetention, ZRetentionQuery, type RetentionQueryInput } from './retention';
import { compileStickiness, ZStickinessQuery, type StickinessQueryInput } from './stickiness';
import { USER_EVENT_DAYS } from './trends';

describe('user periods from agg_user_event_days (pglite)', () => {
  let ctx: InsightsFixture;
  const window = { from: '2026-09-03', to: '2026-10-17' };
  const marts = { marts: new Set(['fact_events', 'fct_user_activity_daily', USER_EVENT_DAYS]) };

  beforeAll(async () => {
    ctx = await startInsightsFixture();
  }, 240_000);
  afterAll(async () => {
    await ctx?.dispose();
  });

  const same = async (fast: CompiledQuery, general: CompiledQuery) => {
    expect(fast.sql).toContain(`from ${USER_EVENT_DAYS} as a`);
    expect(general.sql).not.toContain(USER_EVENT_DAYS);
    const expected = await ctx.sql(general.sql, general.params);
    expect(expected.length).toBeGreaterThan(0);
    expect(await ctx.sql(fast.sql, fast.params)).toEqual(expected);
  };
  const plan = { property: { source: 'user', name: 'plan' }, op: 'in', value: ['pro', 'free'] };

  const retention: [string, Omit<RetentionQueryInput, 'kind' | 'dateRange'>][] = [
    ['first-time weekly, any event back', { startEvent: { event: 'signed_up' } }],
    [
      'recurring daily, a named event back, on or after',
      {
        startEvent: { event: 'project_created' },
        returnEvent: { event: 'report_exported' },
        cohortType: 'recurring',
        returnCounting: 'on_or_after',
        period: 'day',
        periods: 10,
      },
    ],
    [
      'a user filter and a user breakdown',
      {
        startEvent: { event: 'signed_up' },
        returnEvent: { event: 'feature_used' },
        filters: [plan as never],
        breakdown: { property: { source: 'user', name: 'country' }, limit: 5 },
      },
    ],
    [
      'an event-level filter on the return event (that one from fact_events)',
      {
        startEvent: { event: 'signed_up' },
        returnEvent: {
          event: 'feature_used',
          filters: [
            { property: { source: 'event', name: 'feature_name' }, op: 'eq', value: 'reports' },
          ],
        },
        period: 'month',
        periods: 2,
      },
    ],
  ];
  for (const [name, input] of retention)
    it(`retention: ${name}`, async () => {
      const q = ZRetentionQuery.parse({ kind: 'retention', dateRange: window, ...input });
      await same(compileRetention(q, duckdbDialect, marts), compileRetention(q, duckdbDialect));
    });

  const lifecycle: [string, Omit<LifecycleQueryInput, 'kind' | 'dateRange'>][] = [
    ['daily', { event: { event: 'feature_used' } }],
    [
      'weekly with a user filter',
      { event: { event: 'page_viewed' }, interval: 'week', filters: [plan as never] },
    ],
  ];
  for (const [name, input] of lifecycle)
    it(`lifecycle: ${name}`, async () => {
      const q = ZLifecycleQuery.parse({ kind: 'lifecycle', dateRange: window, ...input });
      await same(compileLifecycle(q, duckdbDialect, marts), compileLifecycle(q, duckdbDialect));
    });

  const stickiness: [string, Omit<StickinessQueryInput, 'kind' | 'dateRange'>][] = [
    ['days', { event: { event: 'feature_used' } }],
    ['weeks', { event: { event: 'search_performed' }, interval: 'week' }],
  ];
  for (const [name, input] of stickiness)
    it(`stickiness: ${name}`, async () => {
      const q = ZStickinessQuery.parse({ kind: 'stickiness', dateRange: window, ...input });
      await same(compileStickiness(q, duckdbDialect, marts), compileStickiness(q, duckdbDialect));
    });
});
