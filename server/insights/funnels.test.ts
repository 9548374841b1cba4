import { describe, expect, it } from 'vitest';
import { duckdbDialect, trinoDialect } from './dialect';
import {
  compileFunnels,
  shapeFunnels,
  USER_EVENT_TIMES,
  ZFunnelsQuery,
  type FunnelsQuery,
  type FunnelsQueryInput,
} from './funnels';
import { OTHER } from './trends';

const parse = (q: Omit<FunnelsQueryInput, 'kind'>) =>
  ZFunnelsQuery.parse({ kind: 'funnels', ...q });
const week = { from: '2026-10-05', to: '2026-10-11' };
const onboarding = [
  { event: 'signed_up' },
  { event: 'onboarding_completed' },
  { event: 'project_created' },
];
const placeholders = (sql: string) => (sql.match(/\?/g) ?? []).length;

describe('compileFunnels', () => {
  // Protects the sequential shape: candidate events with epoch-microsecond times and no event_id
  // (materialized once, the event names pushed into the scan), the attempt start in the range,
  // one CTE per later step (earliest matching event after the previous step's time, within the
  // window from the first step, flagging ties on that time), the exact (ts, event_id) chain for
  // the tied users only, and the bounds (range end + window for later steps).
  it('compiles a sequential funnel for DuckDB', () => {
    const { sql, params } = compileFunnels(
      parse({ steps: onboarding, dateRange: week }),
      duckdbDialect,
    );
    expect(sql).toMatchSnapshot();
    expect(sql).toContain('ev as materialized (');
    expect(sql).toContain('e.t <= p.t0 + 1209600000000');
    expect(sql).toContain('list_contains([$6, $7, $8], e.event_name)');
    // The fast chain never reads event_id; only the fallback for tied users numbers by it.
    expect(sql.split('\namb as')[0]).not.toContain('event_id');
    expect(sql).toContain('e.user_id in (select user_id from amb)');
    const chain = [
      'signed_up',
      'onboarding_completed',
      'project_created',
      '2026-10-05T00:00:00.000Z',
      // Later steps may happen up to the window after the range's last day.
      '2026-10-26T00:00:00.000Z',
      'signed_up',
      'onboarding_completed',
      'project_created',
      '2026-10-05T00:00:00.000Z',
      '2026-10-12T00:00:00.000Z',
    ];
    // The fast chain's parameters, then the fallback chain's (bound again: never reused).
    expect(params).toEqual([...chain, ...chain]);
  });

  // Protects the path over the per-user event times (run has the accelerator, plain funnel):
  // no fact_events scan for the chain — the first step-1 time in range from one list per user,
  // then per step the first list element after the previous time and within the window, with a
  // tie when the list holds the previous time itself (twice for a repeated event) — and the
  // exact chain over fact_events for tied users only. Parameters in text order, never reused.
  it('walks agg_user_event_times for a plain funnel when the run has it', () => {
    const marts = { marts: new Set(['fact_events', USER_EVENT_TIMES]) };
    const q = parse({
      steps: [...onboarding, { event: 'project_created' }],
      dateRange: week,
    });
    const { sql, params } = compileFunnels(q, duckdbDialect, marts);
    expect(sql).toMatchSnapshot();
    const chain = sql.split('\namb as')[0]!;
    expect(chain).not.toContain('fact_events');
    expect(chain).toContain(
      'list_filter(a.times, lambda x: x > p.t and x <= p.t0 + 1209600000000)[1] as t',
    );
    expect(chain).toContain('list_contains(a.times, p.t) as tie');
    // Step 4 repeats step 3's event: its own previous event is in the list once, a tie is a
    // second copy (right after the first: the list is sorted).
    expect(chain).toContain(
      'coalesce(a.times[list_position(a.times, p.t) + 1] = p.t, false) as tie',
    );
    expect(params.slice(0, 6)).toEqual([
      '2026-10-05T00:00:00.000Z',
      '2026-10-12T00:00:00.000Z',
      'signed_up',
      'onboarding_completed',
      'project_created',
      'project_created',
    ]);
    const trino = compileFunnels(q, trinoDialect, marts);
    expect(trino.sql).toMatchSnapshot();
    expect(trino.sql).toContain('element_at(filter(a.times, x -> x > p.t and x <= ');
    expect(placeholders(trino.sql)).toBe(trino.params.length);
    // Without the table (a run from before it, or not yet built), the general path.
    expect(compileFunnels(q, duckdbDialect).sql).not.toContain(USER_EVENT_TIMES);
  });

  // Protects the Trino boundary: positional `?` bound in text order (a filter's JSON path before
  // its value, step filters before global filters before the breakdown), Trino's median and
  // JSON access, time keys as the timestamps themselves (the window added in milliseconds), no
  // materialization hint.
  it('compiles for Trino with parameters in textual order', () => {
    const { sql, params } = compileFunnels(
      parse({
        steps: [
          { event: 'signed_up' },
          {
            event: 'feature_used',
            filters: [
              {
                property: { source: 'event_property', name: 'feature_name' },
                op: 'eq',
                value: 'x',
              },
            ],
          },
        ],
        filters: [{ property: { source: 'event', name: 'platform' }, op: 'eq', value: 'web' }],
        breakdown: { property: { source: 'event_property', name: 'utm' }, limit: 5 },
        conversionWindow: { value: 2, unit: 'week' },
        dateRange: week,
      }),
      trinoDialect,
    );
    expect(sql).toMatchSnapshot();
    expect(sql).not.toMatch(/\$\d/);
    expect(placeholders(sql)).toBe(params.length);
    expect(sql).toContain("date_add('millisecond', 1209600000, p.t0)");
    expect(sql).not.toContain('materialized');
    // The exact median (Trino's approx_percentile would differ from DuckDB's median).
    expect(sql).not.toContain('approx_percentile(');
    expect(sql).toContain('element_at(array_sort(array_agg(rc.secs)');
    expect(params.slice(0, 7)).toEqual([
      'signed_up',
      'feature_used',
      '$."feature_name"',
      'x',
      'web',
      '$."utm"',
      '2026-10-05T00:00:00.000Z',
    ]);
  });

  // Protects strict order: every event of the user is numbered (no event-name prefilter) and a
  // step must be the very next event; exclusions become an anti-join between the two steps.
  it('compiles strict order and exclusions', () => {
    const { sql, params } = compileFunnels(
      parse({
        steps: onboarding,
        order: 'strict',
        exclusions: [{ event: 'error_occurred', fromStep: 0, toStep: 2 }],
        dateRange: week,
      }),
      trinoDialect,
    );
    expect(sql).toMatchSnapshot();
    expect(sql).toContain('e.seq = p.seq + 1');
    expect(sql).not.toContain('e.event_name in (');
    expect(sql).toContain('not exists');
    expect(placeholders(sql)).toBe(params.length);
  });

  // Protects 'any' order: one aggregation counting the distinct steps done in the window (90
  // minutes in epoch microseconds).
  it("compiles 'any' order as distinct steps within the window", () => {
    const { sql, params } = compileFunnels(
      parse({
        steps: onboarding,
        order: 'any',
        conversionWindow: { value: 90, unit: 'minute' },
        dateRange: week,
      }),
      duckdbDialect,
    );
    expect(sql).toMatchSnapshot();
    expect(sql).toContain('e.t <= p.t0 + 5400000000');
    expect(sql).toContain('where n >= 3');
    expect(params).toHaveLength(10);
  });

  // Protects linearity: a 20-step funnel is one CTE per step, not an N-way join.
  it('grows linearly with the number of steps', () => {
    const q = (n: number) =>
      parse({
        steps: Array.from({ length: n }, () => ({ event: 'page_viewed' })),
        dateRange: week,
      });
    const two = compileFunnels(q(2), trinoDialect);
    const twenty = compileFunnels(q(20), trinoDialect);
    expect(twenty.sql.length).toBeLessThan(12 * two.sql.length);
    expect(twenty.sql.match(/ join ev as e /g)).toHaveLength(19);
    expect(placeholders(twenty.sql)).toBe(twenty.params.length);
  });

  it('is pure: the same query compiles to the same SQL and parameters', () => {
    const q = parse({ steps: onboarding, dateRange: week });
    expect(compileFunnels(q, duckdbDialect)).toEqual(compileFunnels(q, duckdbDialect));
  });
});

describe('ZFunnelsQuery', () => {
  const ok = (q: Record<string, unknown>) =>
    ZFunnelsQuery.safeParse({ kind: 'funnels', dateRange: week, ...q }).success;
  it('refuses 1 or 21 steps, bad windows, reversed ranges and misplaced exclusions', () => {
    expect(ok({ steps: onboarding })).toBe(true);
    expect(ok({ steps: [{ event: 'a' }] })).toBe(false);
    expect(ok({ steps: Array.from({ length: 21 }, () => ({ event: 'a' })) })).toBe(false);
    expect(ok({ steps: Array.from({ length: 20 }, () => ({ event: 'a' })) })).toBe(true);
    expect(ok({ steps: onboarding, conversionWindow: { value: 0, unit: 'day' } })).toBe(false);
    expect(ok({ steps: onboarding, conversionWindow: { value: 366, unit: 'day' } })).toBe(false);
    expect(ok({ steps: onboarding, conversionWindow: { value: 1.5, unit: 'day' } })).toBe(false);
    expect(ok({ steps: onboarding, conversionWindow: { value: 1, unit: 'month' } })).toBe(false);
    expect(ok({ steps: onboarding, dateRange: { from: '2026-10-11', to: '2026-10-05' } })).toBe(
      false,
    );
    expect(ok({ steps: onboarding, exclusions: [{ event: 'x', fromStep: 1, toStep: 1 }] })).toBe(
      false,
    );
    expect(ok({ steps: onboarding, exclusions: [{ event: 'x', fromStep: 0, toStep: 3 }] })).toBe(
      false,
    );
    expect(
      ok({
        steps: onboarding,
        order: 'any',
        exclusions: [{ event: 'x', fromStep: 0, toStep: 1 }],
      }),
    ).toBe(false);
  });

  it('defaults to a sequential 14-day funnel without exclusions', () => {
    const q = parse({ steps: onboarding, dateRange: week });
    expect(q.order).toBe('sequential');
    expect(q.conversionWindow).toEqual({ value: 14, unit: 'day' });
    expect(q.exclusions).toEqual([]);
    expect(q.steps[0]!.filters).toEqual([]);
  });
});

describe('shapeFunnels', () => {
  const q: FunnelsQuery = parse({
    steps: [{ event: 'signed_up', label: 'Sign-up' }, ...onboarding.slice(1)],
    breakdown: { property: { source: 'user', name: 'plan' }, limit: 1 },
    dateRange: week,
  });

  it('computes conversions and drop-off, zero-filling steps nobody reached', () => {
    const res = shapeFunnels(q, [
      [null, 0, 200n, null],
      [null, 1, 50n, 3600.5],
      ['pro', 0, 120, null],
      ['pro', 1, 40, 60],
      [OTHER, 0, 70, null],
      [OTHER, 1, 10, 7200],
      ['$none', 0, 10, null],
    ]);
    expect(res.steps.map((s) => s.label)).toEqual([
      'Sign-up',
      'onboarding_completed',
      'project_created',
    ]);
    expect(res.steps.map((s) => s.users)).toEqual([200, 50, 0]);
    expect(res.steps.map((s) => s.conversionFromFirst)).toEqual([1, 0.25, 0]);
    expect(res.steps.map((s) => s.conversionFromPrevious)).toEqual([1, 0.25, 0]);
    expect(res.steps.map((s) => s.dropOff)).toEqual([0, 150, 50]);
    expect(res.steps.map((s) => s.medianSecondsFromPrevious)).toEqual([null, 3600.5, null]);
    // Top values first, then unset, then the rest.
    expect(res.breakdowns.map((b) => b.breakdown)).toEqual(['pro', '$none', OTHER]);
    expect(res.breakdowns[1]!.steps.map((s) => s.users)).toEqual([10, 0, 0]);
    expect(res.breakdowns[1]!.steps[1]!.conversionFromPrevious).toBe(0);
  });

  it('returns every step at zero when nobody entered', () => {
    const res = shapeFunnels(q, []);
    expect(res.steps).toHaveLength(3);
    expect(res.steps.every((s) => s.users === 0 && s.conversionFromFirst === 0)).toBe(true);
    expect(res.steps[0]!.conversionFromPrevious).toBe(0);
    expect(res.breakdowns).toEqual([]);
  });
});

describe('cohort filters', () => {
  // Protects the cohort filter in funnels: it joins the global filter flag `g`, so every step
  // and exclusion only counts the cohort's members, with its values bound in textual order.
  it('applies a resolved cohort to every step through the global flag', () => {
    const q = parse({
      steps: onboarding,
      filters: [
        {
          cohort: {
            id: 'c1',
            resolved: {
              name: 'Paid',
              asOf: '2026-10-11',
              definition: {
                match: 'all',
                groups: [
                  {
                    match: 'all',
                    conditions: [
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
                ],
              },
            },
          },
        },
      ],
      dateRange: week,
    });
    const { sql, params } = compileFunnels(q, trinoDialect);
    expect(sql).toContain(
      'coalesce(e.user_id in (select u.user_id from dim_users as u\n  where u.first_seen < from_iso8601_timestamp(?)\n    and coalesce(cast(u.plan as varchar) in (?, ?), false)), false) as g',
    );
    expect(placeholders(sql)).toBe(params.length);
    expect(params.slice(3, 6)).toEqual(['2026-10-12T00:00:00.000Z', 'pro', 'enterprise']);
  });
});

describe('funnel views', () => {
  // Protects time to convert: the two chosen steps' CTEs joined per user, equal-width bins from
  // the fastest to the slowest conversion, and a single bin when everyone took the same time.
  it('compiles time to convert as a histogram between two steps', () => {
    const { sql } = compileFunnels(
      parse({
        steps: onboarding,
        dateRange: week,
        view: 'time_to_convert',
        timeToConvert: { fromStep: 1, bins: 10 },
      }),
      duckdbDialect,
    );
    expect(sql).toContain('from f1 as fa\n  join f2 as fb on fb.user_id = fa.user_id');
    expect(sql).toMatch(
      /least\(cast\(floor\(\(c\.secs - s\.lo\) \/ \(\(s\.hi - s\.lo\) \/ 10\)\) as integer\), 9\)/,
    );
    expect(sql).toMatchSnapshot();
  });

  // Protects conversion over time: attempts bucketed by their first step, the last step's users
  // (or, for 'any', users with every step) as converted.
  it('compiles conversion over time for ordered and any-order funnels', () => {
    const ordered = compileFunnels(
      parse({ steps: onboarding, dateRange: week, view: 'trends', trendsInterval: 'week' }),
      trinoDialect,
    );
    expect(ordered.sql).toContain("date_trunc('week', f0.t0) as bucket");
    expect(ordered.sql).toContain('left join f2 as fl on fl.user_id = f0.user_id');
    expect(placeholders(ordered.sql)).toBe(ordered.params.length);
    const any = compileFunnels(
      parse({ steps: onboarding, dateRange: week, view: 'trends', order: 'any' }),
      duckdbDialect,
    );
    expect(any.sql).toContain('left join (select user_id from fa where n >= 3) as fl');
  });

  it('refuses a breakdown outside the steps view and time to convert without order', () => {
    const issues = (q: Omit<FunnelsQueryInput, 'kind'>) =>
      ZFunnelsQuery.safeParse({ kind: 'funnels', ...q }).error?.issues.map((i) => i.message);
    expect(
      issues({
        steps: onboarding,
        dateRange: week,
        view: 'trends',
        breakdown: { property: { source: 'event', name: 'platform' } },
      }),
    ).toEqual(['A breakdown applies to the steps view only']);
    expect(
      issues({ steps: onboarding, dateRange: week, view: 'time_to_convert', order: 'any' }),
    ).toEqual(['Time to convert needs ordered steps: use a sequential or strict funnel']);
    expect(
      issues({
        steps: onboarding,
        dateRange: week,
        view: 'time_to_convert',
        timeToConvert: { fromStep: 2, toStep: 1 },
      }),
    ).toEqual(['"fromStep" must be before "toStep", and both steps of the funnel (0–2)']);
  });

  it('shapes the histogram with every bin and the over-time series with every bucket', () => {
    const ttc = shapeFunnels(
      parse({
        steps: onboarding,
        dateRange: week,
        view: 'time_to_convert',
        timeToConvert: { bins: 4 },
      }),
      [
        [0, 3, 60, 460, 120, 180.5],
        [3, 1, 60, 460, 120, 180.5],
      ],
    );
    expect(ttc.steps).toEqual([]);
    expect(ttc.timeToConvert).toEqual({
      fromStep: 0,
      toStep: 2,
      users: 4,
      medianSeconds: 120,
      averageSeconds: 180.5,
      bins: [
        { fromSeconds: 60, toSeconds: 160, users: 3 },
        { fromSeconds: 160, toSeconds: 260, users: 0 },
        { fromSeconds: 260, toSeconds: 360, users: 0 },
        { fromSeconds: 360, toSeconds: 460, users: 1 },
      ],
    });
    const over = shapeFunnels(parse({ steps: onboarding, dateRange: week, view: 'trends' }), [
      ['2026-10-06T00:00:00.000Z', 4, 1],
    ]);
    expect(over.overTime!.buckets).toHaveLength(7);
    expect(over.overTime!.entered).toEqual([0, 4, 0, 0, 0, 0, 0]);
    expect(over.overTime!.rate).toEqual([0, 0.25, 0, 0, 0, 0, 0]);
  });
});
