// Paths over agg_user_timeline (per user, every event's name and time in (ts, event_id) order)
// must give exactly what the general path over fact_events gives, for every kind of anchor and
// option — including what the general path settles in its exact tier: events at the same
// instant, where event_id decides the order (and which event is the anchor), and a range that
// cuts users' histories on both sides. Events here are drawn from a few instants and three names
// on purpose, so that ties and repeats are common; the accelerator table is built with the very
// statement the app uses (ACCELERATORS).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTieEngine, tieEvents, type TieEngine } from '@/test/tie-events';
import { duckdbDialect } from './dialect';
import {
  compilePaths,
  EVENT_CODES,
  USER_TIMELINE,
  usesTimeline,
  ZPathsQuery,
  type PathsQueryInput,
} from './paths';

let db: TieEngine;

beforeAll(async () => {
  db = await startTieEngine({
    schema: 'timeline_cases',
    // D is rare, so some users never have it (no anchor) and some only outside the range. Days
    // 0–9 around ranges inside them, and within a day one of four instants.
    events: tieEvents({
      seed: 20261127,
      users: 400,
      maxEvents: 18,
      names: ['A', 'A', 'B', 'C', 'C', 'D'],
      days: 10,
      instants: 4,
    }),
    accelerators: [EVENT_CODES, USER_TIMELINE],
  });
}, 60_000);

afterAll(async () => {
  await db?.dispose();
});

const rows = (c: { sql: string; params: unknown[] }) => db.rows(c);
const withTimeline = { marts: new Set(['fact_events', EVENT_CODES, USER_TIMELINE]) };
type Input = Omit<PathsQueryInput, 'kind' | 'dateRange'>;
const paths = (q: Input) =>
  ZPathsQuery.parse({ kind: 'paths', dateRange: { from: '2026-10-03', to: '2026-10-07' }, ...q });

describe('paths over agg_user_timeline', () => {
  it('has cases to settle: ties at the anchor, anchors before the range, repeats', async () => {
    const count = async (sql: string) =>
      Number(((await db.engine.execute(sql, { schema: 'timeline_cases' })).rows[0] as [bigint])[0]);
    // Users with two events at one instant, one of them an A.
    expect(
      await count(
        `select count(distinct user_id) from (select user_id, ts from fact_events where user_id is not null group by all having count(*) > 1 and bool_or(event_name = 'A'))`,
      ),
    ).toBeGreaterThan(50);
    // Users whose first D is before the range and who have another one inside it.
    expect(
      await count(
        `select count(*) from (select user_id from fact_events where event_name = 'D' group by user_id having min(ts) < timestamptz '2026-10-03 00:00:00+00' and max(ts) >= timestamptz '2026-10-03 00:00:00+00' and min(ts) filter (where ts >= timestamptz '2026-10-03 00:00:00+00') < timestamptz '2026-10-08 00:00:00+00')`,
      ),
    ).toBeGreaterThan(5);
  });

  const cases: [string, Input][] = [
    ['after a start event', { start: { event: 'A' }, depth: 5 }],
    ['after a rare start event', { start: { event: 'D' }, depth: 4 }],
    [
      'after a start event, without repeats dropped',
      { start: { event: 'C' }, depth: 6, collapseRepeats: false },
    ],
    ['before an end event', { end: { event: 'B' }, depth: 5 }],
    ['before a rare end event, depth 10', { end: { event: 'D' }, depth: 10 }],
    [
      'before an end event, without repeats dropped',
      { end: { event: 'A' }, collapseRepeats: false, depth: 4 },
    ],
    ['from the first event in the range', { depth: 4 }],
    [
      'from the first event, without repeats dropped, pruned',
      { depth: 3, minUsers: 5, collapseRepeats: false },
    ],
    ['two steps', { start: { event: 'C' }, depth: 2 }],
  ];
  // Days 2–6 cut most users' histories on both sides (events are on days 0–9); 0–9 holds them
  // all (the day lists are not searched); 8–9 is the end of them.
  const ranges = [
    { from: '2026-10-03', to: '2026-10-07' },
    { from: '2026-09-20', to: '2026-10-31' },
    { from: '2026-10-09', to: '2026-10-12' },
  ];
  for (const [name, input] of cases)
    it(`gives the general path's rows: ${name}`, async () => {
      for (const dateRange of ranges) {
        const q = ZPathsQuery.parse({ kind: 'paths', ...input, dateRange });
        const fast = compilePaths(q, duckdbDialect, withTimeline);
        expect(fast.sql).toContain(`from ${USER_TIMELINE}`);
        expect(fast.sql).not.toContain('fact_events');
        const general = compilePaths(q, duckdbDialect);
        expect(general.sql).not.toContain(USER_TIMELINE);
        const expected = await rows(general);
        expect(expected.length, JSON.stringify(dateRange)).toBeGreaterThan(3);
        expect(await rows(fast), JSON.stringify(dateRange)).toEqual(expected);
      }
    });

  it('keeps the general path for exclusions', () => {
    const q = paths({ start: { event: 'A' }, exclude: ['C'] });
    expect(usesTimeline(q)).toBe(false);
    expect(compilePaths(q, duckdbDialect, withTimeline).sql).not.toContain(USER_TIMELINE);
  });

  it('gives no rows for a range without events, nor for an event nobody did', async () => {
    for (const [dateRange, event] of [
      [{ from: '2026-11-01', to: '2026-11-05' }, 'A'],
      [{ from: '2026-10-03', to: '2026-10-07' }, 'Z'],
    ] as const) {
      const q = ZPathsQuery.parse({ kind: 'paths', start: { event }, depth: 4, dateRange });
      expect(await rows(compilePaths(q, duckdbDialect))).toEqual([]);
      expect(await rows(compilePaths(q, duckdbDialect, withTimeline))).toEqual([]);
    }
  });
});
