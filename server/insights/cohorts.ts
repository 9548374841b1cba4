// Cohorts: a named group of users defined by behaviour (did / did not do an event, how often, in
// a window) and by their current properties (dim_users). The definition is a plain zod object
// stored on the Cohort row; cohortUsersSql compiles it into a subquery selecting user_id, pure
// like the insight compilers, so a cohort can filter or break down any insight once the service
// has embedded its definition into the query (insight-filters.ts).
//
// Semantics:
// - A cohort is evaluated "as of" a UTC day (`asOf`): only events up to the end of that day count,
//   and only users first seen by then are members. Relative windows (`last N day|week|month`)
//   end with the asOf day and include it: `last 7 day` as of 2026-10-17 is 2026-10-11 … 2026-10-17;
//   months are calendar months back from the day after asOf. Absolute windows ({from, to},
//   inclusive days) are clipped to asOf. The service passes the marts' latest event day as asOf
//   (not the wall clock), so a cohort means the same thing until the next dbt run and results
//   are deterministic; size over time passes each day of the range.
// - performed: the user did `event` (matching its filters) in the window at least / at most /
//   exactly `count` times; "at most" and "exactly 0" include users who never did it.
// - not_performed: no matching event in the window.
// - property: a filter on the user's current dim_users columns (no history).
// - A group combines its conditions with its `match` (all = and, any = or); the cohort combines
//   its groups with the cohort's `match`.
import { z } from 'zod';
import { Params, type SqlDialect } from './dialect';
import { filterExpr, ZPropertyFilter } from './properties';

const ZDay = z.iso.date().describe('UTC day, YYYY-MM-DD');

export const ZCohortWindow = z.union([
  z.object({
    last: z.number().int().min(1).max(3650).describe('How many units back, including asOf'),
    unit: z.enum(['day', 'week', 'month']),
  }),
  z
    .object({ from: ZDay, to: ZDay })
    .refine((w) => w.from <= w.to, { message: '"from" is after "to"', path: ['from'] }),
]);
export type CohortWindow = z.infer<typeof ZCohortWindow>;

/** Event filters of a behavioural condition: event columns and JSON properties only. */
const ZEventFilters = z
  .array(ZPropertyFilter)
  .max(20)
  .default([])
  .refine((fs) => fs.every((f) => f.property.source !== 'user'), {
    message: 'Filter users by their properties with a "property" condition, not an event filter',
  });

const ZEventName = z.string().min(1).max(200).describe('Event name, e.g. "report_exported"');

export const ZCohortCondition = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('performed'),
    event: ZEventName,
    filters: ZEventFilters,
    operator: z.enum(['at_least', 'at_most', 'exactly']).default('at_least'),
    count: z.number().int().min(0).max(1_000_000).default(1),
    window: ZCohortWindow,
  }),
  z.object({
    type: z.literal('not_performed'),
    event: ZEventName,
    filters: ZEventFilters,
    window: ZCohortWindow,
  }),
  z.object({
    type: z.literal('property'),
    filter: ZPropertyFilter.refine((f) => f.property.source === 'user', {
      message: 'A property condition reads dim_users: use a property with source "user"',
      path: ['property'],
    }),
  }),
]);
export type CohortCondition = z.infer<typeof ZCohortCondition>;

export const ZCohortGroup = z.object({
  match: z.enum(['all', 'any']).default('all').describe('all = every condition, any = one'),
  conditions: z.array(ZCohortCondition).min(1).max(20),
});

export const ZCohortDefinition = z.object({
  match: z.enum(['all', 'any']).default('all').describe('How the groups combine'),
  groups: z.array(ZCohortGroup).min(1).max(10),
});
export type CohortDefinition = z.infer<typeof ZCohortDefinition>;
export type CohortDefinitionInput = z.input<typeof ZCohortDefinition>;

/** Every event name a definition relies on (checked against the schema registry). */
export function cohortEvents(def: CohortDefinition): string[] {
  return def.groups.flatMap((g) =>
    g.conditions.flatMap((c) => (c.type === 'property' ? [] : [c.event])),
  );
}

const DAY_MS = 86_400_000;

/** The window as [start, end) ISO instants, as of the end of UTC day `asOf`. */
export function windowBounds(w: CohortWindow, asOf: string): { start: string; end: string } {
  const horizon = Date.parse(asOf) + DAY_MS;
  if ('from' in w) {
    const end = Math.min(Date.parse(w.to) + DAY_MS, horizon);
    const start = Math.min(Date.parse(w.from), end);
    return { start: new Date(start).toISOString(), end: new Date(end).toISOString() };
  }
  const start = new Date(horizon);
  if (w.unit === 'month') start.setUTCMonth(start.getUTCMonth() - w.last);
  else start.setTime(horizon - w.last * (w.unit === 'week' ? 7 : 1) * DAY_MS);
  return { start: start.toISOString(), end: new Date(horizon).toISOString() };
}

/**
 * A subquery (no surrounding parentheses) selecting the user_id of every member of the cohort as
 * of UTC day `asOf`. It reads dim_users as `u` and fact_events as `e` in its own scope, so it can
 * sit inside any insight statement. Parameters are bound in textual order.
 */
export function cohortUsersSql(
  def: CohortDefinition,
  params: Params,
  dialect: SqlDialect,
  opts: { asOf: string },
): string {
  const horizon = new Date(Date.parse(opts.asOf) + DAY_MS).toISOString();
  const seen = `u.first_seen < ${dialect.timestampParam(params.bind(horizon))}`;
  const events = (
    c: Extract<CohortCondition, { type: 'performed' | 'not_performed' }>,
    having: string,
  ) => {
    const { start, end } = windowBounds(c.window, opts.asOf);
    const where = [
      `e.event_name = ${params.bind(c.event)}`,
      `e.ts >= ${dialect.timestampParam(params.bind(start))}`,
      `e.ts < ${dialect.timestampParam(params.bind(end))}`,
      'e.user_id is not null',
      ...c.filters.map((f) => filterExpr(f, params, dialect)),
    ];
    return `select e.user_id from fact_events as e where ${where.join(' and ')} group by e.user_id${having}`;
  };
  const condition = (c: CohortCondition): string => {
    switch (c.type) {
      case 'property':
        return `coalesce(${filterExpr(c.filter, params, dialect)}, false)`;
      case 'not_performed':
        return `u.user_id not in (${events(c, '')})`;
      case 'performed': {
        // "At most n" and "exactly 0" hold for users with no matching event: they are the
        // complement of the users above the bound.
        if (c.operator === 'at_least' && c.count === 0) return 'true';
        if (c.operator === 'at_most')
          return `u.user_id not in (${events(c, ` having count(*) > ${c.count}`)})`;
        if (c.operator === 'exactly' && c.count === 0) return `u.user_id not in (${events(c, '')})`;
        const cmp = c.operator === 'exactly' ? '=' : '>=';
        return `u.user_id in (${events(c, ` having count(*) ${cmp} ${c.count}`)})`;
      }
    }
  };
  const join = (match: 'all' | 'any', parts: string[]) =>
    parts.length === 1
      ? parts[0]!
      : `(${parts.join(match === 'all' ? '\n    and ' : '\n    or ')})`;
  const groups = def.groups.map((g) => join(g.match, g.conditions.map(condition)));
  return `select u.user_id from dim_users as u\n  where ${seen}\n    and ${join(def.match, groups)}`;
}

/**
 * One statement counting the cohort's members as of each day of `asOfs`: rows (index, users),
 * one per day. Each day is a separate evaluation (its own windows and horizon), so the cost grows
 * with the number of days; the service caps it.
 */
export function compileCohortSizes(
  def: CohortDefinition,
  asOfs: readonly string[],
  dialect: SqlDialect,
): { sql: string; params: unknown[] } {
  const params = new Params(dialect);
  const selects = asOfs.map(
    (asOf, i) =>
      `select ${i} as i, count(*) as users from (${cohortUsersSql(def, params, dialect, { asOf })}) as c${i}`,
  );
  return { sql: `${selects.join('\nunion all\n')}\norder by i`, params: params.values };
}
