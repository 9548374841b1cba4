// The funnel path over agg_user_event_times (per user and event, the times in order) must give
// exactly what the general path over fact_events gives — including the cases the lists cannot
// settle alone: events of consecutive steps at the same instant, and repeated steps of one event
// with duplicate times, where event_id decides the order. Events here are drawn from a few
// instants on purpose so that such ties are common; the accelerator table is built with the very
// statement the app uses (ACCELERATORS).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCELERATORS } from '../pipelines/accelerators';
import { createDuckDbEngine, type DuckDbEngine } from '../query/duckdb-engine';
import { duckdbDialect } from './dialect';
import {
  compileFunnels,
  compileFunnelUsers,
  USER_EVENT_TIMES,
  usesEventTimes,
  ZFunnelsQuery,
  type FunnelsQueryInput,
} from './funnels';

let dir: string;
let engine: DuckDbEngine;
const SCHEMA = 'tie_cases';

/** A small deterministic PRNG (mulberry32), so a failure reproduces. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function events(): string[] {
  const rand = prng(20261126);
  const rows: string[] = [];
  const base = Date.parse('2026-10-01T00:00:00Z');
  for (let u = 0; u < 300; u++) {
    const n = Math.floor(rand() * 14);
    for (let i = 0; i < n; i++) {
      const name = ['A', 'B', 'C'][Math.floor(rand() * 3)]!;
      // Days 0–9 (the range is days 0–6, so some attempts convert after it), and within a day
      // one of six instants: most users have two events at the same instant somewhere.
      const ts = base + Math.floor(rand() * 10) * 86_400_000 + Math.floor(rand() * 6) * 600_000;
      const id = `${Math.floor(rand() * 1e9)
        .toString(36)
        .padStart(6, '0')}-${u}-${i}`;
      rows.push(`('${id}', '${name}', 'u${u}', to_timestamp(${ts / 1000}))`);
    }
  }
  return rows;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tl-funnel-times-'));
  engine = await createDuckDbEngine({
    lakeDir: path.join(dir, 'lake'),
    tempDir: path.join(dir, 'tmp'),
    threads: 2,
    memoryLimit: '1GB',
    poolSize: 2,
    queueMax: 8,
    defaultTimeoutMs: 20_000,
    defaultMaxRows: 10_000,
    setup: async (conn) => {
      await conn.run(`create schema ${SCHEMA}`);
      await conn.run(
        `create table ${SCHEMA}.fact_events (event_id varchar, event_name varchar, user_id varchar, ts timestamptz)`,
      );
      await conn.run(`insert into ${SCHEMA}.fact_events values ${events().join(',\n')}`);
      // Anonymous events are in fact_events too; neither path may count them.
      await conn.run(
        `insert into ${SCHEMA}.fact_events values ('anon-1', 'A', null, timestamptz '2026-10-02 00:00:00+00')`,
      );
      // What the users list joins for its columns.
      await conn.run(
        `create table ${SCHEMA}.dim_users as select distinct user_id, 'free' as plan, 'DE' as country, '1-10' as company_size, date '2026-09-01' as signup_date from ${SCHEMA}.fact_events where user_id is not null`,
      );
      const times = ACCELERATORS.find((a) => a.name === USER_EVENT_TIMES)!;
      await conn.run(
        `create table ${SCHEMA}.${USER_EVENT_TIMES} as ${times.select(`${SCHEMA}.fact_events`)}`,
      );
    },
  });
}, 60_000);

afterAll(async () => {
  await engine?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const rows = async (c: { sql: string; params: unknown[] }) =>
  (await engine.execute(c.sql, { params: c.params, schema: SCHEMA })).rows;
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
      await engine.execute(
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
