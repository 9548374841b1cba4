// Paths: the journeys users take after a start event, before an end event, or from their first
// event in the range — for a Sankey chart. ZPathsQuery is the serialisable query object;
// compilePaths turns it into one SQL statement (pure). When the run has the per-user timelines
// (accelerators) and the query no filter or exclusion: string functions over one row per user
// (timelineCtes). Otherwise ordered window passes over few events, never a self-join per step:
// each user's anchor time comes from one aggregation (its scan reads only the anchor's events);
// the events within 3 days of it are ordered by time alone (no event_id), which settles most
// users; the others' events from (up to) the anchor go through the same passes; users with a
// timestamp tie — the only case where event_id matters — through the exact (ts, event_id)
// passes. shapePaths turns the rows into nodes, links and per-step drop-offs.
//
// Semantics:
// - Events: the user's events in the date range (inclusive UTC days) that pass the insight's
//   filters, minus the excluded event names, ordered by (ts, event_id). With collapseRepeats
//   (default) an event with the same name as the user's previous one is dropped, so
//   `page_viewed ×3` is one step (an anchor-matching event after a non-matching one of the same
//   name still starts a new step, so anchor filters are never lost to collapsing).
// - Anchor: the user's FIRST event in the range matching `start` (path = it and the next
//   depth − 1 events, steps 1…depth) or `end` (path = the depth − 1 events before it and it, the
//   anchor at step `depth`); without an anchor, each user's first depth events (steps 1…depth).
// - Node `${step}:${event}`: users whose path has that event at that step. Link: users going from
//   a node to the next step's node. Links with fewer than minUsers users are pruned, and so are
//   nodes with fewer than minUsers users; step totals and drop-offs count every user.
// - Dropped: for start/no anchor, users whose path ends at that step (no later event in range);
//   for an end anchor, users whose path starts at that step (no earlier event in range).
import { z } from 'zod';
import { Params, type SqlDialect } from './dialect';
import { filterRefs, insightFilterExpr, ZInsightFilter } from './insight-filters';
import type { CompileContext, CompiledQuery, InsightKind } from './kind';
import { filterExpr, usesUserProperty, ZPropertyFilter, type PropertyRef } from './properties';
import { rangeBounds } from './trends';

const ZDay = z.iso.date().describe('UTC day, YYYY-MM-DD');
const ZEventName = z.string().min(1).max(200).describe('Event name, e.g. "signed_up"');

export const ZPathAnchor = z.object({
  event: ZEventName,
  filters: z.array(ZPropertyFilter).max(20).default([]),
});

export const ZPathsQuery = z
  .object({
    kind: z.literal('paths'),
    start: ZPathAnchor.optional().describe('Paths after the first occurrence of this event'),
    end: ZPathAnchor.optional().describe('Paths before the first occurrence of this event'),
    depth: z.number().int().min(2).max(10).default(5).describe('Steps per path'),
    minUsers: z
      .number()
      .int()
      .min(1)
      .max(1_000_000_000)
      .default(1)
      .describe('Links and nodes with fewer users are pruned'),
    exclude: z.array(ZEventName).max(50).default([]).describe('Event names left out of paths'),
    collapseRepeats: z.boolean().default(true),
    /** Inclusive UTC days. */
    dateRange: z.object({ from: ZDay, to: ZDay }),
    filters: z.array(ZInsightFilter).max(20).default([]),
  })
  .superRefine((q, ctx) => {
    if (q.start && q.end)
      ctx.addIssue({
        code: 'custom',
        path: ['end'],
        message: 'A path has one anchor: give a start event or an end event, not both',
      });
    const anchor = q.start ?? q.end;
    if (anchor && q.exclude.includes(anchor.event))
      ctx.addIssue({
        code: 'custom',
        path: ['exclude'],
        message: `"${anchor.event}" is the anchor of the path and cannot be excluded`,
      });
    if (q.dateRange.from > q.dateRange.to)
      ctx.addIssue({ code: 'custom', path: ['dateRange'], message: '"from" is after "to"' });
    const days = (Date.parse(q.dateRange.to) - Date.parse(q.dateRange.from)) / 86_400_000 + 1;
    if (days > 3660)
      ctx.addIssue({ code: 'custom', path: ['dateRange'], message: 'At most 10 years' });
  });
export type PathsQuery = z.infer<typeof ZPathsQuery>;
/** What callers send (defaults not yet applied). */
export type PathsQueryInput = z.input<typeof ZPathsQuery>;

const ASC = 'partition by user_id order by ts, event_id';
const DESC = 'partition by user_id order by ts desc, event_id desc';
/** How far from the anchor tier 1 looks (see compilePaths): at 10M events, 1 day leaves 23% of
 * users to tier 2, 3 days 12% — fewest events ordered in all (2.6M vs 3.0M). */
const PREFIX_MS = 3 * 86_400_000;

/**
 * One statement, in three tiers that each settle a disjoint set of users; none reads event_id
 * (the costliest column to read and to sort on) but the last, which reads nothing when no user
 * needs it. `f`: each user's anchor time `t0` (first anchor event, or first event without an
 * anchor) by one aggregation whose scan only reads the anchor's events. Tier 1 (`r1`, `c1`,
 * `s1`): the events within PREFIX_MS after (before, for an end anchor) `t0`, ordered by time,
 * with the previous event's name and flag (collapse) and whether it shares its time (`tie`),
 * then the kept events numbered from the anchor with their count. A user is settled there when
 * the prefix holds at least `depth` kept events (`depth` + 1 for an end anchor: the earliest
 * one's collapse and "path starts here" depend on the event before it). Tier 2 (`u2`, `r2`, `c2`,
 * `s2`): the same over ALL the events from (up to) the anchor of the users tier 1 did not
 * settle. Tier 3 (`amb`, `x…`): users with a timestamp tie in either tier — the only case where
 * event_id could change the answer — go through the exact window passes ordered by
 * (ts, event_id). `p`: the first `depth` steps of every user. Rows come from ONE aggregation
 * over `p` with grouping sets: (node = 1, step, event, null, users, dropped) per node and
 * (node = 0, step, event, next_event, users, 0) per link with at least minUsers users.
 */
export function compilePaths(
  q: PathsQuery,
  dialect: SqlDialect,
  ctx: CompileContext = {},
): CompiledQuery {
  // Parameters are bound in the order their placeholders appear in the text and never reused:
  // Trino's placeholders are positional `?`. Each fragment is built in text order.
  const params = new Params(dialect);
  if (ctx.marts?.has(USER_TIMELINE) && ctx.marts.has(EVENT_CODES) && usesTimeline(q))
    return { sql: codedSelect(q, timelineCtes(q, dialect, params)), params: params.values };
  const depth = q.depth;
  const t = dialect.timeKey('e.ts');
  const side = (bound: string) => (q.end ? `${t} <= ${bound}` : `${t} >= ${bound}`);
  const far = dialect.timeKeyPlus('f.t0', q.end ? -PREFIX_MS : PREFIX_MS);
  // An end anchor's earliest event in the prefix may be a repeat of the one before it, and the
  // path starts there only if there is none.
  const enough = q.end ? depth + 1 : depth;
  const anchor = q.start ?? q.end;
  const ctes = [
    `f as (\n${scan(q, dialect, params, {
      head: ['e.user_id', `min(${t}) as t0`],
      anchorOnly: true,
      tail: '\n  group by e.user_id',
    })}\n)`,
    `r1 as (\n${scan(q, dialect, params, {
      head: ['e.user_id', `${t} as t`],
      join: 'f',
      where: [side('f.t0'), q.end ? `${t} >= ${far}` : `${t} <= ${far}`],
    })}\n)`,
    ...timeOrdered(q, dialect, '1', 'r1'),
    dialect.materializedCte(
      'u2',
      `  select f.user_id, f.t0 from f\n  join s1 on s1.user_id = f.user_id and s1.n = 1 and s1.kept < ${enough}\n  where f.user_id not in (select user_id from c1 where tie)`,
    ),
    `r2 as (\n${scan(q, dialect, params, {
      head: ['e.user_id', `${t} as t`],
      join: 'u2',
      where: [side('f.t0')],
    })}\n)`,
    ...timeOrdered(q, dialect, '2', 'r2'),
    dialect.materializedCte(
      'amb',
      `  select user_id from c1 where tie\n  union\n  select user_id from c2 where tie`,
    ),
    // Through f, whose size the planner knows, so the events' scan stays the probe side (and is
    // not read at all when there is no tie).
    dialect.materializedCte(
      'u3',
      `  select f.user_id, f.t0 from f\n  where f.user_id in (select user_id from amb)`,
    ),
    ...exactCtes(q, dialect, params, anchor !== undefined),
  ];
  const cols = `user_id, event_name, next_name, ${q.end ? 'is_first, ' : ''}step`;
  const step = q.end ? `${depth + 1} - n as step` : 'n as step';
  const head = `user_id, event_name, next_name, ${q.end ? 'is_first, ' : ''}${step}`;
  ctes.push(
    `p as (\n  select ${head} from s1\n  where n <= ${depth} and kept >= ${enough} and user_id not in (select user_id from amb)\n  union all\n  select ${head} from s2\n  where n <= ${depth} and user_id not in (select user_id from amb)\n  union all\n  select ${cols} from xp\n)`,
  );
  return { sql: finalSelect(q, ctes), params: params.values };
}

/**
 * The statement over CTEs ending in `p` (user_id, event_name, next_name, [is_first,] step: the
 * first `depth` steps of every user): ONE aggregation with grouping sets, (node = 1, step,
 * event, null, users, dropped) per node and (node = 0, step, event, next_event, users, 0) per
 * link with at least minUsers users.
 */
function finalSelect(q: PathsQuery, ctes: string[]): string {
  return `with ${ctes.join(',\n')}\n${aggregate(q)}\norder by node desc, step, users desc, event_name, next_event`;
}

function aggregate(q: PathsQuery): string {
  const dropped = q.end ? 'is_first and step > 1' : `next_name is null and step < ${q.depth}`;
  return `select grouping(next_name) as node, step, event_name, next_name as next_event, count(*) as users, count(case when ${dropped} then 1 end) as dropped\nfrom p\ngroup by grouping sets ((step, event_name, next_name), (step, event_name))\nhaving grouping(next_name) = 1 or (next_name is not null and step < ${q.depth} and count(*) >= ${q.minUsers})`;
}

/** finalSelect over a `p` of event codes (timelineCtes): the same rows, codes turned back into names. */
function codedSelect(q: PathsQuery, ctes: string[]): string {
  return `with ${ctes.join(',\n')},\ng as (\n${aggregate(q)}\n)\nselect g.node, g.step, c.event_name, n.event_name as next_event, g.users, g.dropped\nfrom g\njoin ${EVENT_CODES} as c on c.code = g.event_name\nleft join ${EVENT_CODES} as n on n.code = g.next_event\norder by node desc, step, users desc, event_name, next_event`;
}

/**
 * Per user, the whole event history as text, one character per event (server/pipelines/
 * accelerators.ts): `events` (every event in (ts, event_id) order), `runs` (the same with each
 * repeat of the previous event dropped), and per UTC day the user was active, ascending: `days`
 * (days since 1970-01-01), `ev_first`/`ev_last` (positions in `events` of the day's first and
 * last event) and `run_first`/`run_last` (positions in `runs` of the runs holding them).
 */
export const USER_TIMELINE = 'agg_user_timeline';
/** The character (`code`) that stands for each event name (`event_name`) in USER_TIMELINE. */
export const EVENT_CODES = 'agg_event_codes';

/**
 * Whether paths can read USER_TIMELINE instead of fact_events: no property or cohort filter on
 * the events or the anchor (the text holds names only), and no excluded event (dropping repeats
 * after an exclusion — `A X A` without X is one step — is not a prefix of `runs`).
 */
export const usesTimeline = (q: PathsQuery) =>
  q.filters.length === 0 &&
  q.exclude.length === 0 &&
  ((q.start ?? q.end)?.filters.length ?? 0) === 0;

/**
 * The paths over USER_TIMELINE (see usesTimeline): one row per user, string functions only — no
 * window and no per-event lambda; reading one string per user is most of the cost. `b`: the
 * users with an active day in the range (`k1` days before it, `k2` up to its end) and the
 * positions `x_lo`…`x_hi` of the range in their text `x` (`runs` when repeats are dropped, else
 * `events`), from the per-day positions — the day lists are searched only for a user with
 * events outside the range. A run cut by the range start still counts once, as the range's
 * first event of it would; a run spanning the whole range counts once too (hence `k1 < k2`,
 * not `x_lo <= x_hi`). `a`: the anchor, the first of its character at `x_lo` or after
 * (strpos). `w`: the path's characters — from the anchor on (start), up to it (end, at most
 * depth + 1 so `is_first` is known), or from `x_lo` (no anchor). `p`: one row per step. The
 * order is (ts, event_id), as on the exact path of compilePaths, so ties need nothing more.
 */
function timelineCtes(q: PathsQuery, dialect: SqlDialect, params: Params): string[] {
  const d = dialect;
  const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
  const from = params.bind(day(q.dateRange.from));
  const fromAgain = params.bind(day(q.dateRange.from));
  const to = params.bind(day(q.dateRange.to));
  const toAgain = params.bind(day(q.dateRange.to));
  const [x, first, last] = q.collapseRepeats
    ? ['runs', 'run_first', 'run_last']
    : ['events', 'ev_first', 'ev_last'];
  // k1: active days before the range; k2: active days up to its end.
  const k1 = `case when ${d.listAt('days', '1')} >= ${from} then 0 else ${d.listCount('days', (v) => `${v} < ${fromAgain}`)} end`;
  const k2 = `case when ${d.listAt('days', '-1')} <= ${to} then ${d.listLength('days')} else ${d.listCount('days', (v) => `${v} <= ${toAgain}`)} end`;
  const ctes = [
    `b as (\n  select user_id, ${x} as x,\n    ${d.listAt(first, 'k1 + 1')} as x_lo,\n    ${d.listAt(last, 'k2')} as x_hi\n  from (\n    select user_id, ${x}, ${first}, ${last}, ${k1} as k1, ${k2} as k2\n    from ${USER_TIMELINE}\n  ) as t\n  where k1 < k2\n)`,
  ];
  const anchor = q.start ?? q.end;
  const depth = q.depth;
  if (anchor) {
    ctes.push(
      `a as (\n  select user_id, x, x_lo, x_hi,\n    case when r1 = 0 then null when r1 >= x_lo then r1 else x_lo - 1 + nullif(strpos(substr(x, x_lo), c), 0) end as r\n  from (\n    select b.*, k.c, strpos(b.x, k.c) as r1\n    from b\n    cross join (select code as c from ${EVENT_CODES} where event_name = ${params.bind(anchor.event)}) as k\n  ) as b\n)`,
    );
    const path = q.start
      ? `substr(x, r, least(${depth}, x_hi - r + 1))`
      : `substr(x, greatest(x_lo, r - ${depth}), r - greatest(x_lo, r - ${depth}) + 1)`;
    ctes.push(
      d.materializedCte('w', `  select user_id, ${path} as path\n  from a\n  where r <= x_hi`),
    );
  } else {
    ctes.push(
      d.materializedCte(
        'w',
        `  select user_id, substr(x, x_lo, least(${depth}, x_hi - x_lo + 1)) as path\n  from b`,
      ),
    );
  }
  const steps = Array.from({ length: depth }, (_, i) => `(${i + 1})`).join(', ');
  // An end-anchored path is in time order with the anchor last: step n counts back from it.
  const cols = q.end
    ? `substr(w.path, length(w.path) - s.n + 1, 1) as event_name,\n    case when s.n > 1 then substr(w.path, length(w.path) - s.n + 2, 1) end as next_name,\n    s.n = length(w.path) as is_first, ${depth + 1} - s.n as step`
    : `substr(w.path, s.n, 1) as event_name, nullif(substr(w.path, s.n + 1, 1), '') as next_name, s.n as step`;
  ctes.push(
    `p as (\n  select w.user_id, ${cols}\n  from w\n  join (values ${steps}) as s (n) on s.n <= length(w.path)\n)`,
  );
  return ctes;
}

interface ScanOptions {
  head: string[];
  /** Only the anchor's events (no flag column): its name is pushed into the scan. */
  anchorOnly?: boolean;
  /** Restrict to the users of this CTE (user_id, t0), joined as `f`. */
  join?: string;
  where?: string[];
  tail?: string;
}

/** The range's events passing the filters (minus exclusions), with anchor flag `a`. */
function scan(q: PathsQuery, dialect: SqlDialect, params: Params, o: ScanOptions): string {
  const { start, end } = rangeBounds(q.dateRange);
  const anchor = q.start ?? q.end;
  const refs: PropertyRef[] = [
    ...filterRefs(q.filters),
    ...(anchor ? anchor.filters.map((f) => f.property) : []),
  ];
  // Restricted users by an inner join, so the engine can filter user_id in the scan.
  const from = [
    'fact_events as e',
    ...(o.join ? [`join ${o.join}${o.join === 'f' ? '' : ' as f'} on f.user_id = e.user_id`] : []),
    ...(usesUserProperty(refs) ? ['left join dim_users as u on u.user_id = e.user_id'] : []),
  ].join(' ');
  const head = [...o.head];
  const where = ['e.user_id is not null'];
  if (o.anchorOnly) {
    if (anchor) where.push(dialect.oneOf('e.event_name', [params.bind(anchor.event)]));
  } else {
    head.push(
      'e.event_name',
      `${
        anchor
          ? `coalesce(${[
              `e.event_name = ${params.bind(anchor.event)}`,
              ...anchor.filters.map((f) => filterExpr(f, params, dialect)),
            ].join(' and ')}, false)`
          : 'true'
      } as a`,
    );
  }
  where.push(
    `e.ts >= ${dialect.timestampParam(params.bind(start))}`,
    `e.ts < ${dialect.timestampParam(params.bind(end))}`,
  );
  if (o.anchorOnly && anchor)
    where.push(...anchor.filters.map((f) => filterExpr(f, params, dialect)));
  if (q.exclude.length)
    where.push(`e.event_name not in (${q.exclude.map((x) => params.bind(x)).join(', ')})`);
  where.push(...q.filters.map((f) => insightFilterExpr(f, params, dialect)), ...(o.where ?? []));
  return `  select ${head.join(', ')}\n  from ${from}\n  where ${where.join('\n    and ')}${o.tail ?? ''}`;
}

/**
 * `c${k}`: the events of `source` ordered by time with the previous event's name and flag and
 * `tie` (it shares the previous event's time); `s${k}`: the kept events numbered `n` from the
 * anchor (backwards in time for an end anchor), their count `kept`, the next event in time.
 */
function timeOrdered(q: PathsQuery, dialect: SqlDialect, k: string, source: string): string[] {
  const asc = 'partition by user_id order by t';
  const desc = 'partition by user_id order by t desc';
  const whole = 'rows between unbounded preceding and unbounded following';
  const kept = q.collapseRepeats
    ? `\n  where prev_name is null or prev_name <> event_name or (a and not prev_a)`
    : '';
  const order = q.end ? desc : asc;
  return [
    dialect.materializedCte(
      `c${k}`,
      `  select user_id, t, event_name, a,\n    lag(event_name) over (${asc}) as prev_name,\n    lag(a) over (${asc}) as prev_a,\n    lag(t) over (${asc}) = t as tie\n  from ${source}`,
    ),
    `s${k} as (\n  select user_id, event_name,\n    row_number() over (${order}) as n,\n    count(*) over (${order} ${whole}) as kept,\n    ${
      q.end
        ? `lag(event_name) over (${desc}) as next_name,\n    lead(event_name) over (${desc}) is null as is_first`
        : `lead(event_name) over (${asc}) as next_name`
    }\n  from c${k}${kept}\n)`,
  ];
}

/** The exact (ts, event_id)-ordered passes, `x`-prefixed, for the users in `u3`. */
function exactCtes(
  q: PathsQuery,
  dialect: SqlDialect,
  params: Params,
  anchored: boolean,
): string[] {
  const ctes = [
    `xr as (\n${scan(q, dialect, params, { head: ['e.user_id', 'e.event_id', 'e.ts'], join: 'u3' })}\n)`,
  ];
  let source = 'xr';
  if (anchored) {
    const side = q.start
      ? 'r.ts > f0.t0 or (r.ts = f0.t0 and r.event_id >= f0.e0)'
      : 'r.ts < f0.t0 or (r.ts = f0.t0 and r.event_id <= f0.e0)';
    ctes.push(
      `xf as (\n  select user_id, min(ts) as t0 from xr where a group by user_id\n)`,
      `xf0 as (\n  select r.user_id, f.t0, min(r.event_id) as e0\n  from xr as r\n  join xf as f on f.user_id = r.user_id and r.ts = f.t0\n  where r.a\n  group by r.user_id, f.t0\n)`,
      `xw as (\n  select r.* from xr as r\n  join xf0 as f0 on f0.user_id = r.user_id\n  where ${side}\n)`,
    );
    source = 'xw';
  }
  if (q.collapseRepeats) {
    ctes.push(
      `xc as (\n  select user_id, event_id, ts, event_name, a,\n    lag(event_name) over (${ASC}) as prev_name,\n    lag(a) over (${ASC}) as prev_a\n  from ${source}\n)`,
    );
    source = `xc\n  where prev_name is null or prev_name <> event_name or (a and not prev_a)`;
  }
  const depth = q.depth;
  // An end anchor numbers backwards from the anchor: the next event in time is the previous
  // row, and a path starts where there is no earlier row.
  ctes.push(
    q.end
      ? `xs as (\n  select user_id, event_name,\n    row_number() over (${DESC}) as n,\n    lag(event_name) over (${DESC}) as next_name,\n    lead(event_name) over (${DESC}) is null as is_first\n  from ${source}\n)`
      : `xs as (\n  select user_id, event_name,\n    row_number() over (${ASC}) as n,\n    lead(event_name) over (${ASC}) as next_name\n  from ${source}\n)`,
    `xp as (\n  select user_id, event_name, next_name, ${q.end ? `is_first, ${depth + 1} - n` : 'n'} as step\n  from xs\n  where n <= ${depth}\n)`,
  );
  return ctes;
}

export interface PathNode {
  /** `${step}:${event}` */
  id: string;
  /** 1-based; with an end anchor the anchor is at step `depth`. */
  step: number;
  event: string;
  users: number;
  /** Users whose path ends here (start/no anchor) or starts here (end anchor). */
  dropped: number;
}

export interface PathLink {
  source: string;
  target: string;
  users: number;
}

export interface PathsResult {
  nodes: PathNode[];
  links: PathLink[];
  /** Every step 1…depth: users at the step and users who dropped there (before pruning). */
  steps: Array<{ step: number; users: number; dropped: number }>;
  /** Users with a path (users at the anchor's step, or at step 1 without an anchor). */
  users: number;
}

/** Rows of compilePaths (node, step, event, next_event, users, dropped) → Sankey nodes and links. */
export function shapePaths(q: PathsQuery, rows: readonly unknown[][]): PathsResult {
  const id = (step: number, event: string) => `${step}:${event}`;
  const nodes = new Map<string, PathNode>();
  const links: PathLink[] = [];
  for (const [node, stepValue, eventValue, next, usersValue, droppedValue] of rows) {
    const step = Number(stepValue);
    const event = String(eventValue);
    const users = Number(usersValue);
    if (Number(node) === 1)
      nodes.set(id(step, event), {
        id: id(step, event),
        step,
        event,
        users,
        dropped: Number(droppedValue),
      });
    else links.push({ source: id(step, event), target: id(step + 1, String(next)), users });
  }
  const steps = Array.from({ length: q.depth }, (_, i) => ({ step: i + 1, users: 0, dropped: 0 }));
  for (const n of nodes.values()) {
    const s = steps[n.step - 1];
    if (!s) continue;
    s.users += n.users;
    s.dropped += n.dropped;
  }
  const kept = [...nodes.values()].filter((n) => n.users >= q.minUsers);
  kept.sort((a, b) => a.step - b.step || b.users - a.users || a.event.localeCompare(b.event));
  const keptIds = new Set(kept.map((n) => n.id));
  const keptLinks = links.filter((l) => keptIds.has(l.source) && keptIds.has(l.target));
  keptLinks.sort(
    (a, b) =>
      nodes.get(a.source)!.step - nodes.get(b.source)!.step ||
      b.users - a.users ||
      a.source.localeCompare(b.source) ||
      a.target.localeCompare(b.target),
  );
  const users = steps[q.end ? q.depth - 1 : 0]!.users;
  return { nodes: kept, links: keptLinks, steps, users };
}

export const pathsKind: InsightKind<PathsQuery, PathsResult> = {
  kind: 'paths',
  schema: ZPathsQuery,
  compile: compilePaths,
  shape: shapePaths,
  events: (q) => [
    ...(q.start ? [q.start.event] : []),
    ...(q.end ? [q.end.event] : []),
    ...q.exclude,
  ],
};
