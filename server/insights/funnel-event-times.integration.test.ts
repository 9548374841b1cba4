// The funnel path over agg_user_event_times (per user and event, the times in order) must give
// exactly what the general path over fact_events gives — including the cases the lists cannot
// settle alone: events of consecutive steps at the same instant, and repeated steps of one event
// with duplicate times, where event_id decides the order. Events here are drawn from a few
// instants on purpose so that such ties are common; the accelerator table is built with the very
// statement the app uses (ACCELERATORS).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTieEngine, tieEvents, type TieEngine } from '@/test/tie-events';
import { duckdbDialect } from './dialect';
import {
  compileFunnels,
  compileFunnelUsers,
  USER_EVENT_TIMES,
  usesEventTimes,
  ZFunnelsQuery,
  type FunnelsQueryInput,
} from './funnels';

let db: TieEngine;
const SCHEMA = 'tie_cases';

beforeAll(async () => {
  db = await startTieEngine({
    schema: SCHEMA,
    // Days 0–9 (the range is days 0–6, so some attempts convert after it), and within a day one
    // of six instants: most users have two events at the same instant somewhere.
    events: tieEvents({
      seed: 20261126,
      users: 300,
      maxEvents: 14,
      names: ['A', 'B', 'C'],
      days: 10,
      instants: 6,
    }),
    // What the users list joins for its columns.
    extra: [
      `create table ${SCHEMA}.dim_users as select distinct user_id, 'free' as plan, 'DE' as country, '1-10' as company_size, date '2026-09-01' as signup_date from ${SCHEMA}.fact_events where user_id is not null`,
    ],
    accelerators: [USER_EVENT_TIMES],
  });
}, 60_000);

afterAll(async () => {
  await db?.dispose();
});

const rows = (c: { sql: string; params: unknown[] }) => db.rows(c);
const withTimes = { marts: new Set(['fact_events', USER_EVENT_TIMES]) };
type Input = Omit<FunnelsQueryInput, 'kind' | 'dateRange'>;
const funnel = (q: Input) =>
  ZFunnelsQuery.parse({
    kind: 'funnels',
    dateRange: { from: '2026-10-01', to: '2026-10-07' },
    ...q,
  });

describe('funnels over agg_user_event_times', () => {
  it('has ties to settle: events of one user at the same instant', async () => {
    const [[tied]] = (
      await db.engine.execute(
        `select count(*) from (select user_id, ts from fact_events where user_id is not null group by all having count(*) > 1)`,
        { schema: SCHEMA },
      )
    ).rows as [[bigint]];
    expect(Number(tied)).toBeGreaterThan(50);
  });

  const cases: [string, Input][] = [
    ['three different events', { steps: [{ event: 'A' }, { event: 'B' }, { event: 'C' }] }],
    ['a repeated event', { steps: [{ event: 'A' }, { event: 'A' }, { event: 'A' }] }],
    ['an event coming back', { steps: [{ event: 'A' }, { event: 'B' }, { event: 'A' }] }],
    // Runs of one event are read from one list by position (times[i + r]), not a scan per step.
    ['a long run of one event', { steps: Array.from({ length: 6 }, () => ({ event: 'A' })) }],
    [
      'runs after a change of event, in a short window',
      {
        steps: ['B', 'A', 'A', 'A', 'C', 'C'].map((event) => ({ event })),
        conversionWindow: { value: 2, unit: 'day' },
      },
    ],
    [
      'a short window',
      {
        steps: [{ event: 'B' }, { event: 'C' }, { event: 'C' }, { event: 'A' }],
        conversionWindow: { value: 30, unit: 'minute' },
      },
    ],
    [
      'time to convert',
      {
        steps: [{ event: 'A' }, { event: 'B' }, { event: 'C' }],
        view: 'time_to_convert',
        timeToConvert: { fromStep: 0, bins: 5 },
      },
    ],
    [
      'conversion over time',
      { steps: [{ event: 'C' }, { event: 'A' }], view: 'trends', trendsInterval: 'day' },
    ],
  ];
  for (const [name, input] of cases)
    it(`gives the general path's rows: ${name}`, async () => {
      const q = funnel(input);
      expect(usesEventTimes(q)).toBe(true);
      const fast = compileFunnels(q, duckdbDialect, withTimes);
      expect(fast.sql).toContain(`from ${USER_EVENT_TIMES} as a`);
      const general = compileFunnels(q, duckdbDialect);
      expect(general.sql).not.toContain(USER_EVENT_TIMES);
      const expected = await rows(general);
      expect(expected.length).toBeGreaterThan(0);
      expect(await rows(fast)).toEqual(expected);
    });

  it('lists the same dropped-off and converted users', async () => {
    const q = funnel({ steps: [{ event: 'A' }, { event: 'A' }, { event: 'B' }] });
    for (const who of [
      { step: 1, outcome: 'dropped', limit: 500 },
      { step: 2, outcome: 'converted', limit: 500 },
    ] as const) {
      const expected = await rows(compileFunnelUsers(q, duckdbDialect, who));
      expect(expected.length).toBeGreaterThan(0);
      expect(await rows(compileFunnelUsers(q, duckdbDialect, who, withTimes))).toEqual(expected);
    }
  });

  it('keeps the general path for what the lists cannot answer', () => {
    const steps = [{ event: 'A' }, { event: 'B' }];
    for (const q of [
      funnel({ steps, order: 'strict' }),
      funnel({ steps, order: 'any' }),
      funnel({
        steps: [
          {
            event: 'A',
            filters: [
              { property: { source: 'event', name: 'plan_at_event' }, op: 'eq', value: 'pro' },
            ],
          },
          { event: 'B' },
        ],
      }),
      funnel({
        steps,
        breakdown: { property: { source: 'event', name: 'plan_at_event' }, limit: 5 },
      }),
      funnel({
        steps: [...steps, { event: 'C' }],
        exclusions: [{ event: 'C', fromStep: 0, toStep: 1 }],
      }),
    ]) {
      expect(usesEventTimes(q)).toBe(false);
      expect(compileFunnels(q, duckdbDialect, withTimes).sql).not.toContain(USER_EVENT_TIMES);
    }
  });
});
