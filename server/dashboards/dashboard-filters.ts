// A dashboard's date range and property filters, and how they apply to each insight tile: the
// dashboard's range replaces the tile query's own range, its filters are appended to the query's
// filters (both must hold). Pure: "today" is passed in, so a relative range ("last 30 days") is
// resolved once per request and every tile of a dashboard sees the same days.
import { z } from 'zod';
import { AppError } from '../errors';
import { ZInsightQuery, type InsightQuery } from '../insights/insight-service';
import { ZPropertyFilter, type PropertyFilter } from '../insights/properties';

const ZDay = z.iso.date().describe('UTC day, YYYY-MM-DD');

export const ZDashboardDateRange = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('relative'),
    days: z.number().int().min(1).max(3660).describe('The last N UTC days, today included'),
  }),
  z
    .object({ kind: z.literal('absolute'), from: ZDay, to: ZDay })
    .refine((r) => r.from <= r.to, { message: '"from" is after "to"', path: ['from'] }),
]);
export type DashboardDateRange = z.infer<typeof ZDashboardDateRange>;

export const ZDashboardFilters = z.object({
  dateRange: ZDashboardDateRange.optional().describe(
    'Replaces every insight tile’s own date range; absent keeps each tile’s range',
  ),
  filters: z
    .array(ZPropertyFilter)
    .max(20)
    .default([])
    .describe('Property filters added to every insight tile'),
});
export type DashboardFilters = z.infer<typeof ZDashboardFilters>;

/** Inclusive UTC days of a dashboard range on the day `now` falls on. */
export function resolveDateRange(
  range: DashboardDateRange,
  now: Date,
): { from: string; to: string } {
  if (range.kind === 'absolute') return { from: range.from, to: range.to };
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { from: day(today - (range.days - 1) * 86_400_000), to: day(today) };
}

/** Reads a stored filters value; anything unreadable counts as "no dashboard filters". */
export function readDashboardFilters(value: unknown): DashboardFilters {
  const parsed = ZDashboardFilters.safeParse(value ?? {});
  return parsed.success ? parsed.data : { filters: [] };
}

/**
 * The tile's query as the dashboard runs it. Throws BAD_REQUEST when the combination is not a
 * valid query (e.g. an hourly tile on a range longer than 31 days) with the query's own reason.
 */
export function applyDashboardFilters(
  query: InsightQuery,
  dashboard: DashboardFilters,
  now: Date,
): InsightQuery {
  const next: Record<string, unknown> = { ...query };
  if (dashboard.dateRange && 'dateRange' in query)
    next.dateRange = resolveDateRange(dashboard.dateRange, now);
  if (dashboard.filters.length && 'filters' in query)
    next.filters = [...(query.filters as unknown[]), ...dashboard.filters];
  const parsed = ZInsightQuery.safeParse(next);
  if (!parsed.success)
    throw new AppError(
      'BAD_REQUEST',
      `This tile cannot use the dashboard's date range or filters: ${parsed.error.issues
        .map((i) => `${i.path.join('.') || 'query'}: ${i.message}`)
        .join('; ')}.`,
      {
        issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
      },
    );
  return parsed.data;
}

export type { PropertyFilter };
