import { describe, expect, it } from 'vitest';
import { duckdbDialect, trinoDialect } from './dialect';
import {
  compileFunnels,
  compileFunnelUsers,
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
    // Step 4 repeats step 3's event: step 3's list is joined once (l2, with the position of
    // step 3's time in it) and step 4 is the next time in that sorted list, within the window —
    // an equal next time included (in (ts, event_id) order it is the next event): no tie.
    expect(chain).toContain(
      'l2 as materialized (\n  select p.user_id, p.t0, a.times, coalesce(list_position(a.times, p.t), 0) as i\n  from s2 as p',
    );
    expect(chain).toContain(
      'select user_id, t0, case when times[i + 1] <= t0 + 1209600000000 then times[i + 1] end as t, times[i] as prev_t\n  from l2\n)',
    );
    expect(chain).not.toContain('select user_id from c3 where tie');
    expect(params.slice(0, 6)).toEqual([
      '2026-10-05T00:00:00.000Z',
      '2026-10-12T00:00:00.000Z',
      'signed_up',
      'onboarding_completed',
      'project_created',
      'project_created',
    ]);
    // Trino never has the table (accelerators are DuckDB's): it walks fact_events whatever.
    const trino = compileFunnels(q, trinoDialect, marts);
    expect(trino.sql).not.toContain(USER_EVENT_TIMES);
    expect(trino.sql).toContain('from fact_events as e');
    // Without the table (a run from before it, or not yet built), the general path.
    expect(compileFunnels(q, duckdbDialect).sql).not.toContain(USER_EVENT_TIMES);
  });

  // Protects the Trino boundary and its one-pass shape (funnel-walk.ts): positional `?` bound in
  // text order (the range end of the "starts an attempt" flag first, then a filter's JSON path
  // before its value, step filters before global filters before the breakdown), Trino's JSON
  // path (bracketed) and median, time keys as the timestamps themselves (the window added in
  // milliseconds), fact_events read once into per-user lists in (ts, event_id) order, one fold
  // per user, the top-N breakdown by window functions and grouping sets (the walk is referenced
  // once: Trino would plan it again at every reference).
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
    expect(sql).toContain(
      "element_at(ts, x) <= date_add('millisecond', 1209600000, element_at(ts, element_at(acc, 1)))",
    );
    expect(sql).not.toContain('materialized');
    expect(sql.match(/fact_events/g)).toHaveLength(1);
    expect(sql.match(/\bwalks\b/g)).toHaveLength(2);
    expect(sql).toContain('array_agg(t order by t, event_id) as ts');
    expect(sql).toContain('array_agg(breakdown order by t, event_id) as bds');
    expect(sql).toContain('group by grouping sets ((rc.breakdown, rc.step), (rc.step))');
    expect(sql).toContain("case when w.br <= 5 then w.breakdown else '$other' end");
    // The exact median (Trino's approx_percentile would differ from DuckDB's median).
    expect(sql).not.toContain('approx_percentile(');
    expect(sql).toContain('element_at(array_sort(array_agg(rc.secs)');
    expect(params).toEqual([
      '2026-10-12T00:00:00.000Z',
      'signed_up',
      'feature_used',
      '$["feature_name"]',
      'x',
      'web',
      '$["utm"]',
      '2026-10-05T00:00:00.000Z',
      '2026-10-26T00:00:00.000Z',
      'signed_up',
      'feature_used',
    ]);
  });

  // Protects strict order and exclusions on both paths. Every event of the user counts (no
  // event-name prefilter). DuckDB's chain: a step must be the very next event by number, an
  // exclusion is an anti-join between the two steps. Trino's walk: the fold fills a step only
  // with the event right after the previous step's (list indexes), and an exclusion event
  // (its own mask bit, 20 + j) strictly between the fromStep and toStep events caps the user at
  // toStep − 1 — after the fold, without another read.
  it('compiles strict order and exclusions', () => {
    const q = parse({
      steps: onboarding,
      order: 'strict',
      exclusions: [{ event: 'error_occurred', fromStep: 0, toStep: 2 }],
      dateRange: week,
    });
    const duck = compileFunnels(q, duckdbDialect).sql;
    expect(duck).toContain('e.seq = p.seq + 1');
    expect(duck).not.toContain('list_contains([');
    expect(duck).toContain('not exists');
    const { sql, params } = compileFunnels(q, trinoDialect);
    expect(sql).toMatchSnapshot();
    expect(sql).toContain('x = element_at(acc, -1) + 1');
    expect(sql).not.toContain('e.event_name in (');
    expect(sql).not.toContain('where mask <> 0');
    expect(sql).toContain('+ case when rx0 and g then 1048576 else 0 end');
    expect(sql).toContain(
      'case when cardinality(idx) > 2 and cardinality(filter(sequence(1, cardinality(ts)), x -> x > element_at(idx, 1) and x < element_at(idx, 3) and bitwise_and(bitwise_right_shift(element_at(masks, x), 20), 1) = 1)) > 0 then 2 else 3 end',
    );
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

  // Protects 'any' order on Trino: the attempt starts at the first listed event with the start
  // bit (any step, in range); per step whether an event from there within the window has its
  // bit, summed and capped by the number of those events — passes over the user's lists, no join.
  it("compiles 'any' order for Trino as passes over each user's lists", () => {
    const { sql, params } = compileFunnels(
      parse({
        steps: onboarding,
        order: 'any',
        conversionWindow: { value: 90, unit: 'minute' },
        dateRange: week,
      }),
      trinoDialect,
    );
    expect(sql).toMatchSnapshot();
    expect(sql).toContain(
      'element_at(filter(sequence(1, cardinality(ts)), x -> bitwise_and(bitwise_right_shift(element_at(masks, x), 30), 1) = 1), 1) as i0',
    );
    expect(sql).toContain(
      "cardinality(filter(sequence(i0, cardinality(ts)), x -> element_at(ts, x) <= date_add('millisecond', 5400000, element_at(ts, i0))))\n    ) as reached",
    );
    expect(sql).toContain('case when (r0 or r1 or r2) and g and in_range then 1073741824');
    expect(sql).toContain('select s.step, cast(null as double) as secs');
    expect(placeholders(sql)).toBe(params.length);
  });

  // Protects linearity: on DuckDB a 20-step funnel is one CTE per step, not an N-way join; on
  // Trino one read of fact_events and one walk whatever the steps (they only lengthen the mask
  // and the steps' values), for every order.
  it('grows linearly with the number of steps', () => {
    const q = (n: number, order: 'sequential' | 'strict' | 'any' = 'sequential') =>
      parse({
        steps: Array.from({ length: n }, () => ({ event: 'page_viewed' })),
        order,
        dateRange: week,
      });
    const two = compileFunnels(q(2), duckdbDialect);
    const twenty = compileFunnels(q(20), duckdbDialect);
    expect(twenty.sql.length).toBeLessThan(12 * two.sql.length);
    expect(twenty.sql.match(/ join ev as e /g)).toHaveLength(19);
    for (const order of ['sequential', 'strict', 'any'] as const) {
      const short = compileFunnels(q(2, order), trinoDialect);
      const long = compileFunnels(q(20, order), trinoDialect);
      expect(long.sql.length).toBeLessThan(
        order === 'any' ? 6 * short.sql.length : 2 * short.sql.length,
      );
      expect(long.sql.match(/fact_events/g)).toHaveLength(1);
      expect(long.sql.match(/ join /g)).toHaveLength(1); // the steps' values
      expect(placeholders(long.sql)).toBe(long.params.length);
    }
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
      // (indented: the candidates are nested in the walk's subqueries)
      'coalesce(e.user_id in (select u.user_id from dim_users as u\n          where u.first_seen < from_iso8601_timestamp(?)\n            and coalesce(cast(u.plan as varchar) in (?, ?), false)), false) as g',
    );
    expect(placeholders(sql)).toBe(params.length);
    // After the range end (the start flag's) and the three step names.
    expect(params.slice(4, 7)).toEqual(['2026-10-12T00:00:00.000Z', 'pro', 'enterprise']);
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
    // Trino: the converters' seconds (the two steps' list entries) aggregated once — their list
    // and statistics — then unnested into the bins (no second read of the walk).
    const trino = compileFunnels(
      parse({
        steps: onboarding,
        dateRange: week,
        view: 'time_to_convert',
        timeToConvert: { fromStep: 1, bins: 10 },
      }),
      trinoDialect,
    );
    expect(trino.sql).toMatchSnapshot();
    expect(trino.sql).toContain(
      "select cast(date_diff('millisecond', element_at(ts, element_at(idx, 2)), element_at(ts, element_at(idx, 3))) as double) / 1000 as secs from walks where reached > 2",
    );
    expect(trino.sql).toContain('cross join unnest(s.all_secs) as c(secs)');
    expect(trino.sql.match(/\bwalks\b/g)).toHaveLength(2);
  });

  // Protects conversion over time: attempts bucketed by their first step, the last step's users
  // (or, for 'any', users with every step) as converted — on Trino one aggregation of the walk.
  it('compiles conversion over time for ordered and any-order funnels', () => {
    const q = parse({ steps: onboarding, dateRange: week, view: 'trends', trendsInterval: 'week' });
    expect(compileFunnels(q, duckdbDialect).sql).toContain(
      'left join f2 as fl on fl.user_id = f0.user_id',
    );
    const ordered = compileFunnels(q, trinoDialect);
    expect(ordered.sql).toMatchSnapshot();
    expect(ordered.sql).toContain(
      "select date_trunc('week', w.t0) as bucket, count(*) as entered, count(case when w.reached >= 3 then 1 end) as converted\nfrom walks as w",
    );
    expect(placeholders(ordered.sql)).toBe(ordered.params.length);
    const any = compileFunnels(
      parse({ steps: onboarding, dateRange: week, view: 'trends', order: 'any' }),
      duckdbDialect,
    );
    expect(any.sql).toContain('left join (select user_id from fa where n >= 3) as fl');
  });

  // Protects the users behind a step on Trino: the walk filtered on how many steps each user
  // reached (dropping at step k: reached exactly k), then their properties and the total.
  it('compiles the dropped-off users for Trino from the walk', () => {
    const q = parse({ steps: onboarding, dateRange: week });
    const { sql, params } = compileFunnelUsers(q, trinoDialect, {
      step: 2,
      outcome: 'dropped',
      limit: 100,
    });
    expect(sql).toMatchSnapshot();
    expect(sql).toContain('where w.reached = 2\norder by w.user_id\nlimit 100');
    expect(placeholders(sql)).toBe(params.length);
    const converted = compileFunnelUsers(q, trinoDialect, {
      step: 2,
      outcome: 'converted',
      limit: 5,
    });
    expect(converted.sql).toContain('where w.reached > 2\n');
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
