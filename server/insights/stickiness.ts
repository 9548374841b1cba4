// Stickiness: how many users did the event on exactly N distinct days (or weeks) of the range,
// for N = 1 … the number of intervals in the range, and how many on at least N. ZStickinessQuery
// is the serialisable query object; compileStickiness turns it into one SQL statement for a
// dialect (pure) over the users' active periods (user-periods.ts); shapeStickiness returns
// every N with zeros in the gaps and the cumulative ("at least N") values.
//
// Semantics: the intervals are every UTC day or Monday-week containing a day of the range, whole
// (the first week may start before `from`), and nothing after `to` is read. A user counts once,
// under the number of intervals in which they did the event (with its filters and the insight's).
import { z } from 'zod';
import { Params, type SqlDialect } from './dialect';
import { USER_EVENT_DAYS } from './trends';
import type { CompiledQuery, InsightKind, CompileContext } from './kind';
import { nextDay, periodSpan, periodStartDay } from './periods';
import { ZPropertyFilter } from './properties';
import { checkRange, eventLabel, userPeriodsCte, ZActivityEvent, ZDay } from './user-periods';

export const ZStickinessQuery = z
  .object({
    kind: z.literal('stickiness'),
    event: ZActivityEvent,
    interval: z.enum(['day', 'week']).default('day'),
    /** Inclusive UTC days. */
    dateRange: z.object({ from: ZDay, to: ZDay }),
    filters: z.array(ZPropertyFilter).max(20).default([]),
  })
  .superRefine((q, ctx) => checkRange(q.dateRange, ctx));
export type StickinessQuery = z.infer<typeof ZStickinessQuery>;
/** What callers send (defaults not yet applied). */
export type StickinessQueryInput = z.input<typeof ZStickinessQuery>;

/**
 * One statement: `up` (each user's active intervals in the range), then users per number of
 * active intervals. Rows are (intervals, users), only for numbers some user has.
 */
export function compileStickiness(
  q: StickinessQuery,
  dialect: SqlDialect,
  ctx: CompileContext = {},
): CompiledQuery {
  // Parameters are bound in the order their placeholders appear in the text and never reused:
  // Trino's placeholders are positional `?`.
  const params = new Params(dialect);
  const { first } = periodSpan(q.dateRange, q.interval);
  const up = userPeriodsCte(
    {
      unit: q.interval,
      events: [{ event: q.event, since: periodStartDay(q.interval, first) }],
      until: nextDay(q.dateRange.to),
      filters: q.filters,
      userEventDays: !!ctx.marts?.has(USER_EVENT_DAYS),
    },
    params,
    dialect,
  );
  const sql = `with ${up},\nper_user as (\n  select user_id, count(*) as intervals from up group by user_id\n)\nselect intervals, count(*) as users\nfrom per_user\ngroup by intervals\norder by intervals`;
  return { sql, params: params.values };
}

export interface StickinessPoint {
  /** N: the number of distinct intervals. */
  intervals: number;
  /** "3 days", "1 week". */
  label: string;
  /** Users active on exactly N intervals. */
  users: number;
  /** Users active on at least N intervals. */
  atLeast: number;
}

export interface StickinessResult {
  label: string;
  interval: 'day' | 'week';
  /** N = 1 … the number of intervals of the range, every one present. */
  points: StickinessPoint[];
  /** Users active at least once (atLeast of N = 1). */
  totalUsers: number;
}

/** Rows of compileStickiness (intervals, users) → every N with exact and cumulative users. */
export function shapeStickiness(q: StickinessQuery, rows: readonly unknown[][]): StickinessResult {
  const { first, last } = periodSpan(q.dateRange, q.interval);
  const k = last - first + 1;
  const exact = new Array<number>(k + 1).fill(0);
  for (const [intervals, users] of rows) {
    const n = Number(intervals);
    if (n >= 1 && n <= k) exact[n] = Number(users);
  }
  const points: StickinessPoint[] = [];
  let atLeast = 0;
  for (let n = k; n >= 1; n--) {
    atLeast += exact[n]!;
    points.unshift({
      intervals: n,
      label: `${n} ${q.interval}${n === 1 ? '' : 's'}`,
      users: exact[n]!,
      atLeast,
    });
  }
  return { label: eventLabel(q.event), interval: q.interval, points, totalUsers: atLeast };
}

export const stickinessKind: InsightKind<StickinessQuery, StickinessResult> = {
  kind: 'stickiness',
  schema: ZStickinessQuery,
  compile: compileStickiness,
  shape: shapeStickiness,
  events: (q) => (q.event.event === null ? [] : [q.event.event]),
};
