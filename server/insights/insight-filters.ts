// Filters and breakdowns an insight applies to all its events: a property filter
// (properties.ts) or a saved cohort. A cohort is referenced by id; before compiling, the
// InsightService looks the id up and embeds the cohort (`resolved`: name, definition, asOf) into
// the query object, so compilers stay pure and the result cache key changes when the cohort
// does. Compilers turn a resolved cohort into `e.user_id in (<cohort subquery>)`.
import { z } from 'zod';
import type { Params, SqlDialect } from './dialect';
import { cohortUsersSql, ZCohortDefinition } from './cohorts';
import {
  filterExpr,
  propertyExpr,
  ZPropertyFilter,
  ZPropertyRef,
  type PropertyRef,
} from './properties';

/** A cohort as the service embeds it; callers send only the id. */
export const ZResolvedCohort = z.object({
  name: z.string(),
  definition: ZCohortDefinition,
  asOf: z.iso.date().describe("UTC day the cohort is evaluated as of (the marts' latest day)"),
});
export type ResolvedCohort = z.infer<typeof ZResolvedCohort>;

const ZCohortId = z.string().min(1).max(100).describe('Id of a saved cohort');

export const ZCohortFilter = z.object({
  cohort: z.object({
    id: ZCohortId,
    negate: z.boolean().default(false).describe('true: users NOT in the cohort'),
    resolved: ZResolvedCohort.optional().describe('Filled by the server'),
  }),
});
export type CohortFilter = z.infer<typeof ZCohortFilter>;

export const ZInsightFilter = z.union([ZPropertyFilter, ZCohortFilter]);
export type InsightFilter = z.infer<typeof ZInsightFilter>;

const ZLimit = z.number().int().min(1).max(50).default(10);
export const ZInsightBreakdown = z.union([
  z.object({ property: ZPropertyRef, limit: ZLimit }),
  z.object({
    cohort: z.object({ id: ZCohortId, resolved: ZResolvedCohort.optional() }),
    limit: ZLimit,
  }),
]);
export type InsightBreakdown = z.infer<typeof ZInsightBreakdown>;

const isCohort = (f: InsightFilter): f is CohortFilter => 'cohort' in f;

/** The properties a set of filters reads (to know whether dim_users must be joined). */
export const filterRefs = (filters: readonly InsightFilter[]): PropertyRef[] =>
  filters.flatMap((f) => (isCohort(f) ? [] : [f.property]));

export const breakdownRefs = (b: InsightBreakdown | undefined): PropertyRef[] =>
  b && 'property' in b ? [b.property] : [];

function resolvedOf(c: { id: string; resolved?: ResolvedCohort }): ResolvedCohort {
  if (!c.resolved)
    throw new Error(`cohort "${c.id}" was not resolved before compiling (InsightService does it)`);
  return c.resolved;
}

/** The subquery of a resolved cohort's members. */
export function cohortSubquery(
  c: { id: string; resolved?: ResolvedCohort },
  params: Params,
  dialect: SqlDialect,
): string {
  const r = resolvedOf(c);
  return cohortUsersSql(r.definition, params, dialect, { asOf: r.asOf });
}

/** A filter as a boolean SQL expression; `userId` is the user column of the filtered rows. */
export function insightFilterExpr(
  f: InsightFilter,
  params: Params,
  dialect: SqlDialect,
  userId = 'e.user_id',
): string {
  if (!isCohort(f)) return filterExpr(f, params, dialect);
  return `${userId} ${f.cohort.negate ? 'not in' : 'in'} (${cohortSubquery(f.cohort, params, dialect)})`;
}

/**
 * The breakdown value of an event: the property, or — for a cohort — the cohort's name for its
 * members and null (shown as NONE) for everyone else.
 */
export function breakdownExpr(b: InsightBreakdown, params: Params, dialect: SqlDialect): string {
  if ('property' in b) return propertyExpr(b.property, params, dialect);
  const members = cohortSubquery(b.cohort, params, dialect);
  return `case when e.user_id in (${members}) then ${params.bind(resolvedOf(b.cohort).name)} end`;
}
