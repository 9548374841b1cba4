// Properties an insight can filter or break down by, and how they become SQL. Three sources:
// a column of fact_events (`event`), a column of dim_users (`user`, the user's current
// properties) and a key inside an event's JSON `properties` (`event_property`). Column names
// come from the allowlists below, never from input; JSON keys and every compared value are bound
// parameters. Compiled expressions read `e` (fact_events) and `u` (dim_users, joined only when a
// user property is used).
import { z } from 'zod';
import type { Params, SqlDialect } from './dialect';

/** fact_events columns that describe an event (telemetry-model.md, the marts). */
export const EVENT_COLUMNS = [
  'event_name',
  'platform',
  'device_type',
  'country',
  'app_version',
  'os',
  'browser',
  'locale',
  'page_path',
  'feature_name',
  'plan_at_event',
  'error_code',
  'error_type',
] as const;

/** dim_users columns that describe a user as they are now. */
export const USER_COLUMNS = [
  'plan',
  'signup_plan',
  'company_size',
  'industry',
  'country',
  'platform',
  'cohort_month',
  'signup_date',
  'is_churned',
] as const;

export const ZPropertyRef = z.discriminatedUnion('source', [
  z.object({ source: z.literal('event'), name: z.enum(EVENT_COLUMNS) }),
  z.object({ source: z.literal('user'), name: z.enum(USER_COLUMNS) }),
  z.object({
    source: z.literal('event_property'),
    name: z.string().min(1).max(200).describe('Key inside the event properties, e.g. "plan"'),
  }),
]);
export type PropertyRef = z.infer<typeof ZPropertyRef>;

const ZScalar = z.union([z.string().max(1000), z.number().finite(), z.boolean()]);

export const ZPropertyFilter = z
  .object({
    property: ZPropertyRef,
    op: z.enum(['eq', 'neq', 'in', 'not_in', 'contains', 'gt', 'lt', 'is_set', 'is_not_set']),
    value: z.union([ZScalar, z.array(ZScalar).min(1).max(100)]).optional(),
  })
  .superRefine((f, ctx) => {
    const list = Array.isArray(f.value);
    const needsList = f.op === 'in' || f.op === 'not_in';
    const needsNone = f.op === 'is_set' || f.op === 'is_not_set';
    if (needsNone && f.value !== undefined)
      ctx.addIssue({ code: 'custom', path: ['value'], message: `"${f.op}" takes no value` });
    else if (!needsNone && f.value === undefined)
      ctx.addIssue({ code: 'custom', path: ['value'], message: `"${f.op}" needs a value` });
    else if (needsList && !list)
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: `"${f.op}" needs a list of values`,
      });
    else if (!needsList && !needsNone && list)
      ctx.addIssue({ code: 'custom', path: ['value'], message: `"${f.op}" needs a single value` });
  });
export type PropertyFilter = z.infer<typeof ZPropertyFilter>;

export const usesUserProperty = (refs: readonly PropertyRef[]) =>
  refs.some((r) => r.source === 'user');

/** The SQL value of a property (text for JSON properties, the column's type otherwise). */
export function propertyExpr(ref: PropertyRef, params: Params, dialect: SqlDialect): string {
  switch (ref.source) {
    case 'event':
      return `e.${ref.name}`;
    case 'user':
      return `u.${ref.name}`;
    case 'event_property':
      return dialect.jsonText('e.properties', params.bind(dialect.jsonPath(ref.name)));
  }
}

/**
 * A filter as a boolean SQL expression. Values are compared as text (cast on the column side)
 * except for gt/lt with a number, which compare numerically, so `plan = 'pro'`,
 * `is_churned = true` and `duration_ms > 1000` all mean what they say.
 */
export function filterExpr(f: PropertyFilter, params: Params, dialect: SqlDialect): string {
  const column = propertyExpr(f.property, params, dialect);
  const text = `cast(${column} as varchar)`;
  const one = (v: unknown) => params.bind(String(v));
  switch (f.op) {
    case 'is_set':
      return `${column} is not null`;
    case 'is_not_set':
      return `${column} is null`;
    case 'eq':
      return `${text} = ${one(f.value)}`;
    // Each expression names the property once: a JSON property's path is one positional
    // parameter on Trino. An unset property is "not equal" to every value.
    case 'neq':
      return `${text} is distinct from ${one(f.value)}`;
    case 'in':
      return `${text} in (${(f.value as unknown[]).map(one).join(', ')})`;
    case 'not_in':
      return `coalesce(${text} not in (${(f.value as unknown[]).map(one).join(', ')}), true)`;
    case 'contains':
      return `strpos(lower(${text}), lower(${one(f.value)})) > 0`;
    case 'gt':
    case 'lt': {
      const cmp = f.op === 'gt' ? '>' : '<';
      return typeof f.value === 'number'
        ? `try_cast(${column} as double) ${cmp} ${params.bind(f.value)}`
        : `${text} ${cmp} ${one(f.value)}`;
    }
  }
}
