// Funnels: of the users who did step 1, how many went on to do step 2, then step 3, … within a
// conversion window. ZFunnelsQuery is the serialisable query object; compileFunnels turns it into
// one SQL statement for a dialect (pure), linear in the number of steps: one flag column and one
// CTE per step (two for sequential funnels: the fast chain and its exact fallback), each joining
// the previous step's users to the events of its own step only (never an N-way self-join); shapeFunnels turns the rows into per-step counts and conversions.
// A dialect that plans a CTE again at every reference (Trino) gets the same semantics and rows
// as one walk over each user's events instead (funnel-walk.ts): the chain would be hundreds of
// stages there.
//
// Semantics (what a count means):
// - Attempt: one per user. It starts at the user's FIRST event matching step 1 whose time is in
//   the date range (inclusive UTC days). Later steps may happen after `to`, as long as they are
//   within the conversion window (PostHog's rule: the first step decides the range).
// - Window: every step of the attempt happens at most `conversionWindow` after the attempt's
//   first step (inclusive bound).
// - Order of events: a user's events are ordered by (ts, event_id); one event fills at most one
//   step of an attempt (so `page_viewed` × 3 needs three page views). event_id only breaks ties
//   on ts: sequential funnels compare times alone (no event_id read, no numbering sort) and
//   recompute exactly, by (ts, event_id), only the users with a tie where it could matter.
// - sequential: step k is the earliest matching event after step k-1's event (other events may
//   happen in between). Taking the earliest is optimal: it leaves the most room for later steps.
// - strict: step k must be the user's very next event after step k-1's event — any event of the
//   user (whatever its name or properties, insight filters notwithstanding) in between breaks the
//   attempt.
// - any: the attempt starts at the user's first event in range matching ANY step; the user
//   reaches step k (1-based) if, within the window from that event, they did at least k
//   different steps. "Different steps" is the number of steps with at least one matching event,
//   capped by the number of matching events — exact when steps do not share events (distinct
//   event names or disjoint filters), an upper bound otherwise (no event-to-step matching).
//   Median times to convert are not computed for 'any' (steps have no order).
// - exclusions (sequential and strict only): if the user did the exclusion event strictly
//   between their fromStep event and their toStep event, the user does not reach toStep (nor,
//   therefore, any later step); they still count up to toStep − 1.
// - Global filters apply to every step's events and to exclusion events; step filters to their
//   step only. A breakdown value is read from the attempt's first event; the top N values by
//   users entering the funnel are kept, the rest fold into OTHER, unset values are NONE.
import { z } from 'zod';
import { Params, type SqlDialect } from './dialect';
import {
  breakdownExpr,
  breakdownRefs,
  filterRefs,
  insightFilterExpr,
  ZInsightBreakdown,
  ZInsightFilter,
} from './insight-filters';
import {
  filterExpr,
  usesUserProperty,
  ZPropertyFilter,
  type PropertyFilter,
  type PropertyRef,
} from './properties';
import { compileFunnelWalk } from './funnel-walk';
import type { CompiledQuery, CompileContext, InsightKind } from './kind';
import { bucketStarts, NONE, OTHER, rangeBounds } from './trends';

const ZDay = z.iso.date().describe('UTC day, YYYY-MM-DD');

export const ZFunnelStep = z.object({
  event: z.string().min(1).max(200).describe('Event name, e.g. "signed_up"'),
  filters: z.array(ZPropertyFilter).max(20).default([]),
  label: z.string().max(100).optional(),
});

export const ZFunnelExclusion = z.object({
  event: z.string().min(1).max(200),
  filters: z.array(ZPropertyFilter).max(20).default([]),
  /** 0-based step indexes: the exclusion counts strictly between these steps' events. */
  fromStep: z.number().int().min(0).max(19),
  toStep: z.number().int().min(1).max(19),
});

const WINDOW_UNITS = ['minute', 'hour', 'day', 'week'] as const;
const UNIT_MS: Record<(typeof WINDOW_UNITS)[number], number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
};

export const ZFunnelsQuery = z
  .object({
    kind: z.literal('funnels'),
    steps: z.array(ZFunnelStep).min(2).max(20),
    order: z.enum(['sequential', 'strict', 'any']).default('sequential'),
    conversionWindow: z
      .object({ value: z.number().int().min(1).max(365), unit: z.enum(WINDOW_UNITS) })
      .default({ value: 14, unit: 'day' }),
    /** Inclusive UTC days; the first step must happen in the range. */
    dateRange: z.object({ from: ZDay, to: ZDay }),
    filters: z.array(ZInsightFilter).max(20).default([]),
    /** A property (top N values) or a cohort (its name for members, NONE for the rest). */
    breakdown: ZInsightBreakdown.optional(),
    exclusions: z.array(ZFunnelExclusion).max(10).default([]),
    /**
     * steps: users per step; time_to_convert: how long converting users took between two steps
     * (a histogram); trends: conversion of the attempts started in each interval.
     */
    view: z.enum(['steps', 'time_to_convert', 'trends']).default('steps'),
    timeToConvert: z
      .object({
        fromStep: z.number().int().min(0).max(19).default(0),
        /** Defaults to the last step. */
        toStep: z.number().int().min(1).max(19).optional(),
        bins: z.number().int().min(2).max(60).default(20),
      })
      .default({ fromStep: 0, bins: 20 }),
    trendsInterval: z.enum(['day', 'week', 'month']).default('day'),
  })
  .superRefine((q, ctx) => {
    if (q.view !== 'steps' && q.breakdown)
      ctx.addIssue({
        code: 'custom',
        path: ['breakdown'],
        message: 'A breakdown applies to the steps view only',
      });
    if (q.view === 'time_to_convert') {
      if (q.order === 'any')
        ctx.addIssue({
          code: 'custom',
          path: ['view'],
          message: 'Time to convert needs ordered steps: use a sequential or strict funnel',
        });
      const to = q.timeToConvert.toStep ?? q.steps.length - 1;
      if (q.timeToConvert.fromStep >= to || to >= q.steps.length)
        ctx.addIssue({
          code: 'custom',
          path: ['timeToConvert'],
          message: `"fromStep" must be before "toStep", and both steps of the funnel (0–${q.steps.length - 1})`,
        });
    }
    if (q.dateRange.from > q.dateRange.to)
      ctx.addIssue({ code: 'custom', path: ['dateRange'], message: '"from" is after "to"' });
    const days = (Date.parse(q.dateRange.to) - Date.parse(q.dateRange.from)) / 86_400_000 + 1;
    if (days > 3660)
      ctx.addIssue({ code: 'custom', path: ['dateRange'], message: 'At most 10 years' });
    q.exclusions.forEach((x, i) => {
      if (q.order === 'any')
        ctx.addIssue({
          code: 'custom',
          path: ['exclusions', i],
          message: 'Exclusions need ordered steps: use a sequential or strict funnel',
        });
      if (x.fromStep >= x.toStep || x.toStep >= q.steps.length)
        ctx.addIssue({
          code: 'custom',
          path: ['exclusions', i],
          message: `"fromStep" must be before "toStep", and both steps of the funnel (0–${q.steps.length - 1})`,
        });
    });
  });
export type FunnelsQuery = z.infer<typeof ZFunnelsQuery>;
/** What callers send (defaults not yet applied). */
export type FunnelsQueryInput = z.input<typeof ZFunnelsQuery>;

const all = (exprs: string[]) => (exprs.length ? exprs.join(' and ') : 'true');

/**
 * One statement. `ev`: the candidate events (from the range start to the range end plus the
 * window) with a flag per step (`m0…`) and exclusion (`x0…`); `f0`: each user's attempt start;
 * `f1…`: per step, the users reaching it (one aggregation over that step's events); `reached`:
 * (user, step, seconds since the previous step). Sequential funnels compare times only and fall
 * back to the (ts, event_id) numbering for users whose events tie (sequentialCtes); strict and
 * 'any' number events (orderedCtes). Rows are (breakdown, step, users, median_seconds), plus
 * rows with a null breakdown for the whole funnel when there is a breakdown. On a dialect that
 * inlines CTEs, the same rows from walkFunnels.
 */
export function compileFunnels(
  q: FunnelsQuery,
  dialect: SqlDialect,
  ctx: CompileContext = {},
): CompiledQuery {
  if (dialect.inlinesCtes) return walkFunnels(q, dialect);
  const { params, ctes } = funnelCtes(q, dialect, ctx);
  const n = q.steps.length;
  const last = q.order === 'any' ? `(select user_id from fa where n >= ${n})` : `f${n - 1}`;
  let sql: string;
  if (q.view === 'time_to_convert') {
    // Converters' seconds between the two steps, in `bins` equal-width bins from the fastest to
    // the slowest; rows are (bin, users, lo, hi, median, mean).
    const a = q.timeToConvert.fromStep;
    const b = q.timeToConvert.toStep ?? n - 1;
    const bins = q.timeToConvert.bins;
    ctes.push(
      `conv as (\n  select cast(${dialect.timeKeyDiffMs('fa.t', 'fb.t')} as double) / 1000 as secs\n  from f${a} as fa\n  join f${b} as fb on fb.user_id = fa.user_id\n)`,
      `stats as (\n  select min(secs) as lo, max(secs) as hi, ${dialect.median('secs')} as med, avg(secs) as mean from conv\n)`,
    );
    sql = `with ${ctes.join(',\n')}\nselect case when s.hi = s.lo then 0 else least(cast(floor((c.secs - s.lo) / ((s.hi - s.lo) / ${bins})) as integer), ${bins - 1}) end as bin, count(*) as users, min(s.lo) as lo, min(s.hi) as hi, min(s.med) as med, min(s.mean) as mean\nfrom conv as c\ncross join stats as s\ngroup by 1\norder by 1`;
  } else if (q.view === 'trends') {
    // Attempts by the interval their first step fell in; rows are (bucket, entered, converted).
    sql = `with ${ctes.join(',\n')}\nselect ${dialect.truncate(q.trendsInterval, dialect.timeKeyToTimestamp('f0.t0'))} as bucket, count(*) as entered, count(fl.user_id) as converted\nfrom f0\nleft join ${last} as fl on fl.user_id = f0.user_id\ngroup by 1\norder by 1`;
  } else {
    const aggregates = `count(*) as users, ${dialect.median('rc.secs')} as median_seconds`;
    const whole = `select cast(null as varchar) as breakdown, rc.step, ${aggregates}\nfrom reached as rc\ngroup by rc.step`;
    if (q.breakdown) {
      ctes.push(
        `top_breakdowns as (\n  select breakdown from f0 group by breakdown order by count(*) desc, breakdown limit ${q.breakdown.limit}\n)`,
      );
      sql = `with ${ctes.join(',\n')}\nselect case when f0.breakdown in (select breakdown from top_breakdowns) then f0.breakdown else '${OTHER}' end as breakdown, rc.step, ${aggregates}\nfrom reached as rc\njoin f0 on f0.user_id = rc.user_id\ngroup by 1, 2\nunion all\n${whole}\norder by 2, 1`;
    } else sql = `with ${ctes.join(',\n')}\n${whole}\norder by 2, 1`;
  }
  return { sql, params: params.values };
}

/** Which users compileFunnelUsers lists. */
export interface FunnelUsersPick {
  step: number;
  outcome: 'converted' | 'dropped';
  limit: number;
}

/**
 * The users who reached `step` (outcome 'converted') or reached the step before it and not
 * `step` ('dropped'), with their current properties: at most `limit` rows of (user_id, plan,
 * country, company_size, signup_date, total) where total is the count of all such users.
 */
export function compileFunnelUsers(
  q: FunnelsQuery,
  dialect: SqlDialect,
  who: FunnelUsersPick,
  ctx: CompileContext = {},
): CompiledQuery {
  if (dialect.inlinesCtes) return walkFunnels(q, dialect, who);
  const { params, ctes } = funnelCtes(q, dialect, ctx);
  const at = (k: number) =>
    q.order === 'any' ? `(select user_id from fa where n >= ${k + 1})` : `f${k}`;
  const picked =
    who.outcome === 'converted' || who.step === 0
      ? `select user_id from ${at(who.step)}`
      : `select p.user_id from ${at(who.step - 1)} as p where p.user_id not in (select user_id from ${at(who.step)})`;
  ctes.push(`picked as (\n  ${picked}\n)`);
  const sql = `with ${ctes.join(',\n')}\nselect p.user_id, u.plan, u.country, u.company_size, u.signup_date, count(*) over () as total\nfrom picked as p\nleft join dim_users as u on u.user_id = p.user_id\norder by p.user_id\nlimit ${who.limit}`;
  return { sql, params: params.values };
}

/**
 * compileFunnels' statement (no `who`) or compileFunnelUsers' as one walk over each user's events
 * (funnel-walk.ts): what dialects that inline CTEs get. Exported so tests can run it on DuckDB
 * against the chain below.
 */
export function walkFunnels(
  q: FunnelsQuery,
  dialect: SqlDialect,
  who?: FunnelUsersPick,
): CompiledQuery {
  const scan = scanOf(q);
  return compileFunnelWalk(
    q,
    dialect,
    {
      windowMs: q.conversionWindow.value * UNIT_MS[q.conversionWindow.unit],
      end: rangeBounds(q.dateRange).end,
      select: (params, head) => candidateSelect(q, dialect, params, scan, head, []),
    },
    who,
  );
}

/**
 * The CTEs every view shares and their parameters. Every chain ends in `f0…` (or `fa` for 'any')
 * with times as dialect time keys — f0: (user_id, t0, t, breakdown); f1…: (user_id, t0, t,
 * prev_t) — and `reached`.
 */
function funnelCtes(
  q: FunnelsQuery,
  dialect: SqlDialect,
  ctx: CompileContext,
): { params: Params; ctes: string[] } {
  // Parameters are bound in the order their placeholders appear in the text and never reused:
  // Trino's placeholders are positional `?`. Every fragment below is therefore built in text order.
  const params = new Params(dialect);
  const n = q.steps.length;
  const ctes: string[] = [];
  if (q.order === 'sequential') {
    ctes.push(
      ...sequentialCtes(
        q,
        dialect,
        params,
        !!ctx.marts?.has(USER_EVENT_TIMES) && usesEventTimes(q),
      ),
    );
  } else ctes.push(...orderedCtes(q, dialect, params, ''));

  const diff = (a: string, b: string) => `cast(${dialect.timeKeyDiffMs(a, b)} as double) / 1000`;
  const reached: string[] = [];
  if (q.order === 'any')
    q.steps.forEach((_, k) =>
      reached.push(
        `select user_id, ${k} as step, cast(null as double) as secs from fa where n >= ${k + 1}`,
      ),
    );
  else {
    reached.push(`select user_id, 0 as step, cast(null as double) as secs from f0`);
    for (let k = 1; k < n; k++)
      reached.push(`select user_id, ${k} as step, ${diff('prev_t', 't')} as secs from f${k}`);
  }
  ctes.push(`reached as (\n  ${reached.join('\n  union all\n  ')}\n)`);
  return { params, ctes };
}

/** Per (event, user), the user's event times in order (an accelerator: server/pipelines/accelerators.ts). */
export const USER_EVENT_TIMES = 'agg_user_event_times';

/**
 * Whether a funnel can walk USER_EVENT_TIMES instead of fact_events: sequential order and no
 * property or cohort filter, breakdown or exclusion (the lists carry times only).
 */
export const usesEventTimes = (q: FunnelsQuery) =>
  q.order === 'sequential' &&
  !q.breakdown &&
  q.exclusions.length === 0 &&
  q.filters.length === 0 &&
  q.steps.every((s) => s.filters.length === 0);

interface Scan {
  /** `from` clause of the events. */
  from: string;
  refs: PropertyRef[];
  /** Any global, step or exclusion filter (else a flag is just the event name). */
  filtered: boolean;
}

function scanOf(q: FunnelsQuery): Scan {
  const refs: PropertyRef[] = [
    ...filterRefs(q.filters),
    ...q.steps.flatMap((s) => s.filters.map((f) => f.property)),
    ...q.exclusions.flatMap((x) => x.filters.map((f) => f.property)),
    ...breakdownRefs(q.breakdown),
  ];
  return {
    from: usesUserProperty(refs)
      ? 'fact_events as e left join dim_users as u on u.user_id = e.user_id'
      : 'fact_events as e',
    refs,
    filtered:
      q.filters.length > 0 || [...q.steps, ...q.exclusions].some((s) => s.filters.length > 0),
  };
}

/**
 * The candidate events' select list (text order: step flags, exclusion flags, global flag,
 * breakdown) and where clause, over `fact_events as e`. Flags are r0…, rx0…, g.
 */
function candidateSelect(
  q: FunnelsQuery,
  dialect: SqlDialect,
  params: Params,
  scan: Scan,
  head: string[],
  extraWhere: string[],
): string {
  const { start, end } = rangeBounds(q.dateRange);
  const windowMs = q.conversionWindow.value * UNIT_MS[q.conversionWindow.unit];
  const horizon = new Date(Date.parse(end) + windowMs).toISOString();
  // Without filters the event-name filter below makes every flag non-null.
  const match = (event: string, filters: PropertyFilter[]) =>
    scan.filtered || q.order === 'strict'
      ? `coalesce(${all([
          `e.event_name = ${params.bind(event)}`,
          ...filters.map((f) => filterExpr(f, params, dialect)),
        ])}, false)`
      : `e.event_name = ${params.bind(event)}`;
  const cols = [...head];
  q.steps.forEach((s, k) => cols.push(`${match(s.event, s.filters)} as r${k}`));
  q.exclusions.forEach((x, j) => cols.push(`${match(x.event, x.filters)} as rx${j}`));
  cols.push(
    q.filters.length
      ? `coalesce(${all(q.filters.map((f) => insightFilterExpr(f, params, dialect)))}, false) as g`
      : 'true as g',
  );
  cols.push(
    q.breakdown
      ? `coalesce(cast(${breakdownExpr(q.breakdown, params, dialect)} as varchar), '${NONE}') as breakdown`
      : 'cast(null as varchar) as breakdown',
  );
  const where = [
    'e.user_id is not null',
    `e.ts >= ${dialect.timestampParam(params.bind(start))}`,
    `e.ts <= ${dialect.timestampParam(params.bind(horizon))}`,
  ];
  // Strict order numbers ALL the user's events (so "next event" means next of any kind); the
  // other orders only need the events that can fill a step or an exclusion.
  if (q.order !== 'strict') {
    const names = [...new Set([...q.steps, ...q.exclusions].map((s) => s.event))];
    where.push(
      dialect.oneOf(
        'e.event_name',
        names.map((v) => params.bind(v)),
      ),
    );
  }
  where.push(...extraWhere);
  return `  select ${cols.join(',\n    ')}\n  from ${scan.from}\n  where ${where.join('\n    and ')}`;
}

const flagColumns = (q: FunnelsQuery) => [
  ...q.steps.map((_, k) => `r${k} and g as m${k}`),
  ...q.exclusions.map((_, j) => `rx${j} and g as x${j}`),
];
const anyFlag = (q: FunnelsQuery) => [
  ...q.steps.map((_, k) => `m${k}`),
  ...q.exclusions.map((_, j) => `x${j}`),
];

/**
 * The exact chain over events numbered by (ts, event_id) — strict and 'any' orders, and the
 * sequential fallback for the users whose events tie on ts (`restrict`: their user ids). Names
 * are prefixed with `x`: `${x}ev` (candidates with their per-user order `seq`), `${x}f0` (the
 * attempt's first event), `${x}f1…` (per step, the users reaching it: one aggregation over that
 * step's events joined to the previous step's users) or `fa` ('any').
 */
function orderedCtes(
  q: FunnelsQuery,
  dialect: SqlDialect,
  params: Params,
  x: '' | 'x',
  restrict?: string,
): string[] {
  const { start, end } = rangeBounds(q.dateRange);
  const windowMs = q.conversionWindow.value * UNIT_MS[q.conversionWindow.unit];
  const n = q.steps.length;
  const scan = scanOf(q);
  const head = [
    'e.user_id',
    `${dialect.timeKey('e.ts')} as t`,
    'row_number() over (partition by e.user_id order by e.ts, e.event_id) as seq',
  ];
  const ctes: string[] = [
    `${x}r as (\n${candidateSelect(q, dialect, params, scan, head, restrict ? [`e.user_id in (select user_id from ${restrict})`] : [])}\n)`,
    dialect.materializedCte(
      `${x}ev`,
      `  select * from (\n    select user_id, t, seq, breakdown, ${flagColumns(q).join(', ')}\n    from ${x}r\n  ) as c\n  where ${anyFlag(q).join(' or ')}`,
    ),
  ];
  const ev = `${x}ev`;
  const key = (p: string) => dialect.timeKey(dialect.timestampParam(params.bind(p)));

  // f0: the attempt's first event, in the range.
  const first = q.order === 'any' ? `(${q.steps.map((_, k) => `m${k}`).join(' or ')})` : 'm0';
  ctes.push(
    `${x}f0 as (\n  select ev.user_id, ev.t as t0, ev.seq, ev.t, ev.breakdown\n  from ${ev} as ev\n  join (\n    select user_id, min(seq) as seq from ${ev}\n    where ${first} and t >= ${key(start)} and t < ${key(end)}\n    group by user_id\n  ) as s on s.user_id = ev.user_id and s.seq = ev.seq\n)`,
  );
  const within = dialect.timeKeyPlus('p.t0', windowMs);
  if (q.order === 'any') {
    const distinctSteps = q.steps.map((_, k) => `max(case when e.m${k} then 1 else 0 end)`);
    ctes.push(
      `fa as (\n  select p.user_id, least(${distinctSteps.join(' + ')}, count(*)) as n\n  from f0 as p\n  join ev as e on e.user_id = p.user_id and e.seq >= p.seq and e.t <= ${within}\n    and (${q.steps.map((_, k) => `e.m${k}`).join(' or ')})\n  group by p.user_id\n)`,
    );
    return ctes;
  }
  for (let k = 1; k < n; k++) {
    const next = q.order === 'strict' ? 'e.seq = p.seq + 1' : 'e.seq > p.seq';
    const exclusions = q.exclusions.map((e, j) => ({ ...e, j })).filter((e) => e.toStep === k);
    const name = exclusions.length ? `${x}c${k}` : `${x}f${k}`;
    ctes.push(
      `${name} as (\n  select p.user_id, p.t0, min(e.seq) as seq, min(e.t) as t, p.t as prev_t\n  from ${x}f${k - 1} as p\n  join ${ev} as e on e.user_id = p.user_id and e.m${k} and ${next} and e.t <= ${within}\n  group by p.user_id, p.t0, p.t\n)`,
    );
    if (exclusions.length)
      ctes.push(
        `${x}f${k} as (\n  select c.* from ${x}c${k} as c\n  where ${exclusions
          .map(
            (e) =>
              `not exists (\n    select 1 from ${x}f${e.fromStep} as a join ${ev} as x on x.user_id = a.user_id\n    where a.user_id = c.user_id and x.x${e.j} and x.seq > a.seq and x.seq < c.seq\n  )`,
          )
          .join('\n    and ')}\n)`,
      );
  }
  return ctes;
}

/**
 * Sequential order without numbering events: ordering by (ts, event_id) needs event_id (long
 * strings, the costliest column to read) and a sort of every candidate; comparing times alone
 * gives the same answer unless a user has two candidate events at the same instant where it
 * matters. So: `ev` (candidates with time key `t`, no event_id, no order), `s0` (each user's
 * first step-1 event in range), per step `c${k}` (the earliest step-k event after the previous
 * step's time, within the window, and `tie`: whether another candidate shares the previous
 * step's time — the only case where event_id could change the answer) and `s${k}` (those who
 * reached it, exclusions applied). `amb`: the users with a tie (a previous step's time shared,
 * or an exclusion event at either end of its interval); `x…`: the exact chain (orderedCtes) for
 * them only — it reads nothing when there are none. `f${k}` = s${k} for the others ∪ x-chain.
 */
function sequentialCtes(
  q: FunnelsQuery,
  dialect: SqlDialect,
  params: Params,
  eventTimes: boolean,
): string[] {
  if (eventTimes) return eventTimesCtes(q, dialect, params);
  const { start, end } = rangeBounds(q.dateRange);
  const windowMs = q.conversionWindow.value * UNIT_MS[q.conversionWindow.unit];
  const n = q.steps.length;
  const scan = scanOf(q);
  const head = ['e.user_id', `${dialect.timeKey('e.ts')} as t`];
  const inner = candidateSelect(q, dialect, params, scan, head, []).replace(/^/gm, '  ');
  const breakdown = q.breakdown ? 'breakdown, ' : '';
  const ctes: string[] = [
    dialect.materializedCte(
      'ev',
      `  select user_id, t, ${breakdown}${flagColumns(q).join(', ')}\n  from (\n${inner}\n  ) as c${scan.filtered ? `\n  where ${anyFlag(q).join(' or ')}` : ''}`,
    ),
  ];
  const key = (p: string) => dialect.timeKey(dialect.timestampParam(params.bind(p)));
  ctes.push(
    `s0 as (\n  select user_id, min(t) as t0, min(t) as t, ${q.breakdown ? 'min_by(breakdown, t)' : 'cast(null as varchar)'} as breakdown\n  from ev\n  where m0 and t >= ${key(start)} and t < ${key(end)}\n  group by user_id\n)`,
  );
  const within = dialect.timeKeyPlus('p.t0', windowMs);
  const ambiguous: string[] = [];
  for (let k = 1; k < n; k++) {
    // A candidate at the previous step's time is a tie, except the previous step's own event:
    // it is among the rows counted when it can match this step too (same event name; the same
    // flag when neither step has filters), or when ties on step 1's event matter for the
    // breakdown.
    const prev = q.steps[k - 1]!;
    const step = q.steps[k]!;
    const same = prev.event === step.event && !prev.filters.length && !step.filters.length;
    const withPrev = same || prev.event === step.event || (k === 1 && !!q.breakdown);
    const rows = withPrev && !same ? `(e.m${k} or (e.m${k - 1} and e.t = p.t))` : `e.m${k}`;
    ctes.push(
      `c${k} as (\n  select p.user_id, p.t0, min(e.t) filter (where e.m${k} and e.t > p.t) as t, p.t as prev_t,\n    count(*) filter (where e.t = p.t) > ${withPrev ? 1 : 0} as tie\n  from s${k - 1} as p\n  join ev as e on e.user_id = p.user_id and ${rows} and e.t >= p.t and e.t <= ${within}\n  group by p.user_id, p.t0, p.t\n)`,
    );
    ambiguous.push(`select user_id from c${k} where tie`);
    const exclusions = q.exclusions.map((x, j) => ({ ...x, j })).filter((x) => x.toStep === k);
    const excluded = exclusions.map(
      (x) =>
        `not exists (\n    select 1 from s${x.fromStep} as a join ev as x on x.user_id = a.user_id\n    where a.user_id = c.user_id and x.x${x.j} and x.t > a.t and x.t < c.t\n  )`,
    );
    exclusions.forEach((x) =>
      ambiguous.push(
        `select c.user_id from c${k} as c join s${x.fromStep} as a on a.user_id = c.user_id join ev as x on x.user_id = c.user_id and x.x${x.j} and (x.t = a.t or x.t = c.t) where c.t is not null`,
      ),
    );
    ctes.push(
      `s${k} as (\n  select c.user_id, c.t0, c.t, c.prev_t from c${k} as c\n  where ${['c.t is not null', ...excluded].join('\n    and ')}\n)`,
    );
  }
  return [...ctes, ...exactForTies(q, dialect, params, ambiguous)];
}

/**
 * `amb` (the users of the `ambiguous` selects, whose events tie on time where it matters), the
 * exact chain for them (orderedCtes, prefix `x`; it reads nothing when there are none), and
 * `f${k}` = `s${k}` for everyone else ∪ `xf${k}`.
 */
function exactForTies(
  q: FunnelsQuery,
  dialect: SqlDialect,
  params: Params,
  ambiguous: string[],
): string[] {
  const ctes = [
    dialect.materializedCte(
      'amb',
      `  ${ambiguous.length ? ambiguous.join('\n  union\n  ') : 'select user_id from s0 where false'}`,
    ),
    ...orderedCtes(q, dialect, params, 'x', 'amb'),
  ];
  for (let k = 0; k < q.steps.length; k++) {
    const cols = k === 0 ? 'user_id, t0, t, breakdown' : 'user_id, t0, t, prev_t';
    ctes.push(
      `f${k} as (\n  select ${cols} from s${k} where user_id not in (select user_id from amb)\n  union all\n  select ${cols} from xf${k}\n)`,
    );
  }
  return ctes;
}

/**
 * The sequential chain over USER_EVENT_TIMES (see usesEventTimes): `s0` is each user's first
 * step-1 time in the range, read from one list per user; `c${k}` is the first time in the user's
 * step-k list after the previous step's time and within the window, with `tie` when the list
 * holds the previous step's time itself — then event_id decides the order, and the user goes to
 * the exact chain as in sequentialCtes. Steps that repeat the event before them (a run) read the
 * run's list once, by position (below). A step reads one row per user that ever did its event,
 * not every event: a 5-step funnel over 10M events reads ~500k list rows instead of 3.7M events.
 */
function eventTimesCtes(q: FunnelsQuery, dialect: SqlDialect, params: Params): string[] {
  const { start, end } = rangeBounds(q.dateRange);
  const windowMs = q.conversionWindow.value * UNIT_MS[q.conversionWindow.unit];
  const key = (p: string) => dialect.timeKey(dialect.timestampParam(params.bind(p)));
  const within = dialect.timeKeyPlus('p.t0', windowMs);
  const ctes = [
    `s0 as (\n  select user_id, t0, t0 as t, cast(null as varchar) as breakdown\n  from (\n    select a.user_id, ${dialect.firstWhere('a.times', (x) => `${x} >= ${key(start)} and ${x} < ${key(end)}`)} as t0\n    from ${USER_EVENT_TIMES} as a\n    where a.event_name = ${params.bind(q.steps[0]!.event)}\n  ) as f\n  where t0 is not null\n)`,
  ];
  const ambiguous: string[] = [];
  // The step that starts the current run of steps on the same event (a 20-step funnel of page
  // views is one run): its list is joined once (`l${base}`), and step base + r is the r-th time
  // after base's in that sorted list — times[i + r] — instead of a join and a scan per step.
  let base = 0;
  for (let k = 1; k < q.steps.length; k++) {
    const same = q.steps[k - 1]!.event === q.steps[k]!.event;
    if (!same) {
      base = k;
      ctes.push(
        `c${k} as (\n  select p.user_id, p.t0, ${dialect.firstWhere('a.times', (x) => `${x} > p.t and ${x} <= ${within}`)} as t, p.t as prev_t,\n    ${dialect.listContains('a.times', 'p.t')} as tie\n  from s${k - 1} as p\n  join ${USER_EVENT_TIMES} as a on a.user_id = p.user_id and a.event_name = ${params.bind(q.steps[k]!.event)}\n)`,
      );
    } else {
      if (k === base + 1)
        ctes.push(
          dialect.materializedCte(
            `l${base}`,
            `  select p.user_id, p.t0, a.times, ${dialect.listPosition('a.times', 'p.t')} as i\n  from s${base} as p\n  join ${USER_EVENT_TIMES} as a on a.user_id = p.user_id and a.event_name = ${params.bind(q.steps[k]!.event)}`,
          ),
        );
      // times[i] is base's own time (the first copy of it: s0 and a step on another event take
      // the first time past the step before). Rows of users who did not reach the step before
      // are left out: their times[i + r − 1] is past the window or the list's end. No tie to
      // settle: in (ts, event_id) order the next event of a run is the next time in its sorted
      // list, a second copy of the same time included — the copies differ in event_id only.
      const at = (offset: number) => dialect.listAt('times', offset === 0 ? 'i' : `i + ${offset}`);
      const r = k - base;
      const inWindow = (x: string) => `${x} <= ${dialect.timeKeyPlus('t0', windowMs)}`;
      ctes.push(
        `c${k} as (\n  select user_id, t0, case when ${inWindow(at(r))} then ${at(r)} end as t, ${at(r - 1)} as prev_t\n  from l${base}${r > 1 ? `\n  where ${inWindow(at(r - 1))}` : ''}\n)`,
      );
    }
    ctes.push(
      `s${k} as (\n  select c.user_id, c.t0, c.t, c.prev_t from c${k} as c\n  where c.t is not null\n)`,
    );
    if (!same) ambiguous.push(`select user_id from c${k} where tie`);
  }
  return [...ctes, ...exactForTies(q, dialect, params, ambiguous)];
}

export interface FunnelStepResult {
  /** 0-based index into the query's steps. */
  index: number;
  label: string;
  users: number;
  /** users / users at step 0 (0 when nobody entered). */
  conversionFromFirst: number;
  /** users / users at the previous step (1 for step 0 when anyone entered, else 0). */
  conversionFromPrevious: number;
  /** Users of the previous step who did not reach this one (0 for step 0). */
  dropOff: number;
  /** Median seconds from the previous step's event to this one's (null for step 0, 'any'). */
  medianSecondsFromPrevious: number | null;
}

export interface FunnelTimeToConvert {
  fromStep: number;
  toStep: number;
  /** Users who converted from fromStep to toStep. */
  users: number;
  medianSeconds: number | null;
  averageSeconds: number | null;
  /** Equal-width bins from the fastest to the slowest conversion (every bin present). */
  bins: Array<{ fromSeconds: number; toSeconds: number; users: number }>;
}

export interface FunnelOverTime {
  /** Bucket starts (ISO, UTC) of the attempts' first steps, every bucket of the range. */
  buckets: string[];
  entered: number[];
  converted: number[];
  /** converted / entered (0 where nobody entered). */
  rate: number[];
}

export interface FunnelsResult {
  view: FunnelsQuery['view'];
  /** The steps view (empty for the other views). */
  steps: FunnelStepResult[];
  /** Per breakdown value (top N by users entering, then NONE, then OTHER); empty without one. */
  breakdowns: Array<{ breakdown: string; steps: FunnelStepResult[] }>;
  timeToConvert: FunnelTimeToConvert | null;
  overTime: FunnelOverTime | null;
}

function stepResults(
  q: FunnelsQuery,
  counts: Map<number, { users: number; median: number | null }>,
): FunnelStepResult[] {
  const users = q.steps.map((_, k) => counts.get(k)?.users ?? 0);
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  return q.steps.map((s, k) => ({
    index: k,
    label: s.label ?? s.event,
    users: users[k]!,
    conversionFromFirst: ratio(users[k]!, users[0]!),
    conversionFromPrevious: k === 0 ? (users[0]! > 0 ? 1 : 0) : ratio(users[k]!, users[k - 1]!),
    dropOff: k === 0 ? 0 : users[k - 1]! - users[k]!,
    medianSecondsFromPrevious: k === 0 ? null : (counts.get(k)?.median ?? null),
  }));
}

/** Rows of compileFunnels → the view's chart-ready result. */
export function shapeFunnels(q: FunnelsQuery, rows: readonly unknown[][]): FunnelsResult {
  const none = { view: q.view, steps: [], breakdowns: [], timeToConvert: null, overTime: null };
  if (q.view === 'time_to_convert') return { ...none, timeToConvert: shapeTimeToConvert(q, rows) };
  if (q.view === 'trends') return { ...none, overTime: shapeOverTime(q, rows) };
  return { ...none, ...shapeSteps(q, rows) };
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** Rows (bin, users, lo, hi, median, mean) → every bin with its bounds. */
function shapeTimeToConvert(q: FunnelsQuery, rows: readonly unknown[][]): FunnelTimeToConvert {
  const { bins, fromStep } = q.timeToConvert;
  const toStep = q.timeToConvert.toStep ?? q.steps.length - 1;
  const first = rows[0];
  if (!first)
    return { fromStep, toStep, users: 0, medianSeconds: null, averageSeconds: null, bins: [] };
  const lo = Number(first[2]);
  const hi = Number(first[3]);
  const width = hi > lo ? (hi - lo) / bins : 0;
  const counts = new Map(rows.map((r) => [Number(r[0]), Number(r[1])]));
  const count = width === 0 ? 1 : bins;
  return {
    fromStep,
    toStep,
    users: [...counts.values()].reduce((a, v) => a + v, 0),
    medianSeconds: num(first[4]),
    averageSeconds: num(first[5]),
    bins: Array.from({ length: count }, (_, i) => ({
      fromSeconds: lo + i * width,
      toSeconds: width === 0 ? hi : lo + (i + 1) * width,
      users: counts.get(i) ?? 0,
    })),
  };
}

/** Rows (bucket, entered, converted) → every bucket of the range, zeros in the gaps. */
function shapeOverTime(q: FunnelsQuery, rows: readonly unknown[][]): FunnelOverTime {
  const buckets = bucketStarts(q.dateRange, q.trendsInterval);
  const index = new Map(buckets.map((b, i) => [b, i]));
  const entered = buckets.map(() => 0);
  const converted = buckets.map(() => 0);
  for (const [bucket, e, c] of rows) {
    const at = index.get(new Date(String(bucket)).toISOString());
    if (at === undefined) continue;
    entered[at] = Number(e);
    converted[at] = Number(c);
  }
  return {
    buckets,
    entered,
    converted,
    rate: entered.map((e, i) => (e === 0 ? 0 : converted[i]! / e)),
  };
}

/** Rows (breakdown, step, users, median_seconds) → per-step results. */
function shapeSteps(
  q: FunnelsQuery,
  rows: readonly unknown[][],
): Pick<FunnelsResult, 'steps' | 'breakdowns'> {
  const groups = new Map<string | null, Map<number, { users: number; median: number | null }>>();
  for (const [breakdown, step, users, median] of rows) {
    const b = breakdown === null || breakdown === undefined ? null : String(breakdown);
    let g = groups.get(b);
    if (!g) groups.set(b, (g = new Map()));
    g.set(Number(step), {
      users: Number(users),
      median: median === null || median === undefined ? null : Number(median),
    });
  }
  const steps = stepResults(q, groups.get(null) ?? new Map());
  const breakdowns = [...groups.entries()]
    .filter(
      (e): e is [string, Map<number, { users: number; median: number | null }>] => e[0] !== null,
    )
    .map(([breakdown, g]) => ({ breakdown, steps: stepResults(q, g) }));
  breakdowns.sort(
    (a, b) =>
      rank(a.breakdown) - rank(b.breakdown) ||
      b.steps[0]!.users - a.steps[0]!.users ||
      a.breakdown.localeCompare(b.breakdown),
  );
  return { steps, breakdowns };
}

const rank = (b: string) => (b === OTHER ? 2 : b === NONE ? 1 : 0);

export const funnelsKind: InsightKind<FunnelsQuery, FunnelsResult> = {
  kind: 'funnels',
  schema: ZFunnelsQuery,
  compile: compileFunnels,
  shape: shapeFunnels,
  events: (q) => [...q.steps, ...q.exclusions].map((s) => s.event),
};
