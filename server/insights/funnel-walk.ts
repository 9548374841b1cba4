// Funnels in one pass per user, for engines that plan a CTE again at every reference (Trino):
// there, funnels.ts's chain — a CTE per step, each read by the next step, by the ties fallback
// and by the result — becomes hundreds of stages. Here the candidate events are scanned once and
// grouped per user into lists in (ts, event_id) order: their time keys, a bit mask of what each
// event matches (steps, exclusions, "starts an attempt") and, for a breakdown, their values. Each
// user's lists are then walked once; the statement grows with the number of steps only in the
// size of its expressions. The semantics are funnels.ts's (its header), exactly: the order is
// (ts, event_id) itself, so ties need no fallback.
//
// The walk (sequential and strict) folds the user's events into the indexes of the events that
// fill the steps: an event fills step 0 when it starts an attempt (step 0's event, in the date
// range), step k > 0 when it matches step k within the window from step 0's event — in strict
// order only when it is also the event right after step k − 1's (so any other event ends the
// attempt: nothing later can be right after). Exclusions do not change which events fill the
// steps before their toStep, so they apply after the fold: an exclusion event strictly between
// the fromStep and toStep events caps the user at toStep − 1. 'any': from the first event in
// range matching any step, the distinct steps matched within the window, capped by the number of
// those events.
import { Params, type SqlDialect } from './dialect';
import type { FunnelsQuery, FunnelUsersPick } from './funnels';
import type { CompiledQuery } from './kind';
import { OTHER } from './trends';

/** Mask bits: step k is bit k (at most 20 steps), exclusion j bit 20 + j (at most 10). */
const EXCLUSION_BIT = 20;
/** The event can start an attempt: step 0's event (any step's for 'any') in the date range. */
const START_BIT = 30;

export interface FunnelScan {
  /** The conversion window in milliseconds. */
  windowMs: number;
  /** The date range's end (exclusive), ISO. */
  end: string;
  /**
   * The candidate events (user id non-null, from the range start to its end plus the window,
   * the steps' event names unless strict) with `head` as their first columns, then the flags
   * r0…, rx0…, g and `breakdown`; binds its parameters after `head`'s.
   */
  select(params: Params, head: string[]): string;
}

/** The statement of compileFunnels (no `who`) or compileFunnelUsers (`who`) as one walk. */
export function compileFunnelWalk(
  q: FunnelsQuery,
  dialect: SqlDialect,
  scan: FunnelScan,
  who?: FunnelUsersPick,
): CompiledQuery {
  const params = new Params(dialect);
  const breakdown = !who && q.view === 'steps' && !!q.breakdown;
  const walks = `with walks as (\n${indent(walksSelect(q, dialect, params, scan, breakdown))}\n)`;
  let sql: string;
  if (who) sql = `${walks}\n${usersSelect(q, who)}`;
  else if (q.view === 'time_to_convert') sql = `${walks}\n${timeToConvertSelect(q, dialect)}`;
  else if (q.view === 'trends') sql = `${walks}\n${overTimeSelect(q, dialect)}`;
  else sql = `${walks}\n${stepsSelect(q, dialect)}`;
  return { sql, params: params.values };
}

const indent = (text: string, by = '  ') => text.replace(/^/gm, by);

/**
 * One row per user who started an attempt: user_id, `reached` (how many steps), `t0` (step 0's
 * time key), `breakdown` (step 0's event's value), and for ordered funnels `ts` (the user's
 * candidate time keys in order) and `idx` (1-based indexes into ts of the steps' events).
 */
function walksSelect(
  q: FunnelsQuery,
  d: SqlDialect,
  params: Params,
  scan: FunnelScan,
  breakdown: boolean,
): string {
  const n = q.steps.length;
  const at = (list: string, i: string) => d.listAt(list, i);
  const within = (t0: string) => d.timeKeyPlus(t0, scan.windowMs);
  const lists = listsSelect(q, d, params, scan, breakdown);
  const bd = (i: string) => (breakdown ? at('bds', i) : 'cast(null as varchar)');
  if (q.order === 'any') {
    // i0: the attempt's first event. Every listed event matches a step (the scan keeps no other).
    const t0 = at('ts', 'i0');
    const inWindow = (x: string) => `${at('ts', x)} <= ${within(t0)}`;
    const span = d.listRange('i0', d.listLength('ts'));
    const distinct = q.steps.map(
      (_, k) =>
        `case when ${d.listCount(span, (x) => `${inWindow(x)} and ${d.bitSet(at('masks', x), String(k))}`)} > 0 then 1 else 0 end`,
    );
    const i0 = d.firstWhere(d.listRange('1', d.listLength('ts')), (x) =>
      d.bitSet(at('masks', x), String(START_BIT)),
    );
    return [
      'select user_id,',
      '  least(',
      `    ${distinct.join('\n    + ')},`,
      `    ${d.listCount(span, inWindow)}`,
      '  ) as reached,',
      `  ${t0} as t0, ${bd('i0')} as breakdown`,
      'from (',
      `  select user_id, ts, masks${breakdown ? ', bds' : ''}, ${i0} as i0`,
      '  from (',
      indent(lists, '    '),
      '  ) as u',
      ') as w',
    ].join('\n');
  }
  const fold = d.listFold(d.listRange('1', d.listLength('ts')), d.emptyBigintList(), (acc, x) => {
    const k = d.listLength(acc);
    const next = [
      `${k} < ${n}`,
      d.bitSet(at('masks', x), k),
      `${at('ts', x)} <= ${within(at('ts', at(acc, '1')))}`,
    ];
    if (q.order === 'strict') next.push(`${x} = ${at(acc, '-1')} + 1`);
    const fills = `case when ${k} = 0 then ${d.bitSet(at('masks', x), String(START_BIT))} else ${next.join(' and ')} end`;
    return `case when ${fills} then ${d.listAppend(acc, x)} else ${acc} end`;
  });
  // An exclusion j caps the user at its toStep when its event lies strictly between the
  // fromStep and toStep events (indexes into the lists, so ties on ts are ordered by event_id).
  const caps = q.exclusions.map((x, j) => {
    const between = d.listCount(
      d.listRange('1', d.listLength('ts')),
      (i) =>
        `${i} > ${at('idx', String(x.fromStep + 1))} and ${i} < ${at('idx', String(x.toStep + 1))} and ${d.bitSet(at('masks', i), String(EXCLUSION_BIT + j))}`,
    );
    return `case when ${d.listLength('idx')} > ${x.toStep} and ${between} > 0 then ${x.toStep} else ${n} end`;
  });
  const reached = caps.length
    ? `least(${[d.listLength('idx'), ...caps].join(',\n    ')})`
    : d.listLength('idx');
  return [
    `select user_id, ${reached} as reached,`,
    `  ${at('ts', at('idx', '1'))} as t0, ${bd(at('idx', '1'))} as breakdown, ts, idx`,
    'from (',
    `  select user_id, ts, masks${breakdown ? ', bds' : ''},`,
    `    ${fold} as idx`,
    '  from (',
    indent(lists, '    '),
    '  ) as u',
    ') as w',
  ].join('\n');
}

/**
 * Per user with an event that starts an attempt, the lists in (ts, event_id) order: `ts` (time
 * keys), `masks` (the bits above) and `bds` (breakdown values). Strict order keeps every event of
 * the user (any of them breaks a strict attempt); the others only events that match something.
 */
function listsSelect(
  q: FunnelsQuery,
  d: SqlDialect,
  params: Params,
  scan: FunnelScan,
  breakdown: boolean,
): string {
  const bit = (flag: string, b: number) => `case when ${flag} then ${2 ** b} else 0 end`;
  const start = q.order === 'any' ? `(${q.steps.map((_, k) => `r${k}`).join(' or ')})` : 'r0';
  const mask = [
    ...q.steps.map((_, k) => bit(`r${k} and g`, k)),
    ...q.exclusions.map((_, j) => bit(`rx${j} and g`, EXCLUSION_BIT + j)),
    bit(`${start} and g and in_range`, START_BIT),
  ];
  const order = 'order by t, event_id';
  const lists = ['user_id', `array_agg(t ${order}) as ts`, `array_agg(mask ${order}) as masks`];
  if (breakdown) lists.push(`array_agg(breakdown ${order}) as bds`);
  const head = [
    'e.user_id',
    `${d.timeKey('e.ts')} as t`,
    'e.event_id',
    `e.ts < ${d.timestampParam(params.bind(scan.end))} as in_range`,
  ];
  return `select ${lists.join(', ')}\nfrom (\n  select user_id, t, event_id, breakdown,\n    ${mask.join('\n    + ')} as mask\n  from (\n${indent(scan.select(params, head), '  ')}\n  ) as c\n) as c\n${q.order === 'strict' ? '' : 'where mask <> 0\n'}group by user_id\nhaving bool_or(${d.bitSet('mask', String(START_BIT))})`;
}

/** `(values (0), (1), …)`: the steps, to join each user to the ones they reached. */
const stepValues = (q: FunnelsQuery) =>
  `(values ${q.steps.map((_, k) => `(${k})`).join(', ')}) as s(step)`;

/**
 * Rows (breakdown, step, users, median_seconds) as funnels.ts's: per step, the users who reached
 * it and the median seconds from the previous step; with a breakdown, also per value (the top N
 * values by users entering, the rest as OTHER), the whole funnel being the rows with a null
 * breakdown (grouping sets: one aggregation, no second read of the walk).
 */
function stepsSelect(q: FunnelsQuery, d: SqlDialect): string {
  const at = (list: string, i: string) => d.listAt(list, i);
  const secs =
    q.order === 'any'
      ? 'cast(null as double)'
      : // (greatest: no index 0, even were the engine to evaluate the branch for step 0)
        `case when s.step = 0 then cast(null as double) else cast(${d.timeKeyDiffMs(at('w.ts', at('w.idx', 'greatest(s.step, 1)')), at('w.ts', at('w.idx', 's.step + 1')))} as double) / 1000 end`;
  const aggregates = `count(*) as users, ${d.median('rc.secs')} as median_seconds`;
  if (!q.breakdown)
    return `select cast(null as varchar) as breakdown, rc.step, ${aggregates}\nfrom (\n  select s.step, ${secs} as secs\n  from walks as w\n  join ${stepValues(q)} on s.step < w.reached\n) as rc\ngroup by rc.step\norder by 2, 1`;
  // bn: the users entering with the user's value; br: the value's rank (count desc, value).
  const ranked = `select w.*, dense_rank() over (order by w.bn desc, w.breakdown) as br\n    from (select w.*, count(*) over (partition by w.breakdown) as bn from walks as w) as w`;
  return `select rc.breakdown, rc.step, ${aggregates}\nfrom (\n  select case when w.br <= ${q.breakdown.limit} then w.breakdown else '${OTHER}' end as breakdown, s.step, ${secs} as secs\n  from (\n    ${ranked}\n  ) as w\n  join ${stepValues(q)} on s.step < w.reached\n) as rc\ngroup by grouping sets ((rc.breakdown, rc.step), (rc.step))\norder by 2, 1`;
}

/**
 * Rows (bin, users, lo, hi, median, mean) as funnels.ts's: the converters' seconds between the
 * two steps are aggregated once (their list and statistics), then unnested into the bins.
 */
function timeToConvertSelect(q: FunnelsQuery, d: SqlDialect): string {
  const a = q.timeToConvert.fromStep;
  const b = q.timeToConvert.toStep ?? q.steps.length - 1;
  const bins = q.timeToConvert.bins;
  const at = (k: number) => d.listAt('ts', d.listAt('idx', String(k + 1)));
  const secs = `cast(${d.timeKeyDiffMs(at(a), at(b))} as double) / 1000`;
  return `select case when s.hi = s.lo then 0 else least(cast(floor((c.secs - s.lo) / ((s.hi - s.lo) / ${bins})) as integer), ${bins - 1}) end as bin, count(*) as users, min(s.lo) as lo, min(s.hi) as hi, min(s.med) as med, min(s.mean) as mean\nfrom (\n  select array_agg(secs) as all_secs, min(secs) as lo, max(secs) as hi, ${d.median('secs')} as med, avg(secs) as mean\n  from (select ${secs} as secs from walks where reached > ${b}) as conv\n) as s\ncross join unnest(s.all_secs) as c(secs)\ngroup by 1\norder by 1`;
}

/** Rows (bucket, entered, converted) as funnels.ts's: attempts by their first step's interval. */
function overTimeSelect(q: FunnelsQuery, d: SqlDialect): string {
  return `select ${d.truncate(q.trendsInterval, d.timeKeyToTimestamp('w.t0'))} as bucket, count(*) as entered, count(case when w.reached >= ${q.steps.length} then 1 end) as converted\nfrom walks as w\ngroup by 1\norder by 1`;
}

/** compileFunnelUsers' rows: (user_id, plan, country, company_size, signup_date, total). */
function usersSelect(q: FunnelsQuery, who: FunnelUsersPick): string {
  // Reaching step k is reached > k; dropping at it, reaching k − 1 only (step 0: everyone).
  const picked =
    who.outcome === 'converted' || who.step === 0
      ? `w.reached > ${who.step}`
      : `w.reached = ${who.step}`;
  return `select w.user_id, u.plan, u.country, u.company_size, u.signup_date, count(*) over () as total\nfrom walks as w\nleft join dim_users as u on u.user_id = w.user_id\nwhere ${picked}\norder by w.user_id\nlimit ${who.limit}`;
}
