// Feature adoption: for each feature of dim_features, which share of a segment's users used it in
// the date range, and how many of them kept using it — the product's "feature adoption patterns
// across user segments" (by signup cohort month, by plan, or by any other dim_users column).
// ZFeatureAdoptionQuery is the serialisable query object; compileFeatureAdoption turns it into
// one SQL statement (pure); shapeFeatureAdoption into a features × segments matrix.
//
// Semantics:
// - Segment: the user's current dim_users column (`plan` is the plan now, not at the time of use;
//   `cohort_month` the signup month); users whose value is unset are NONE.
// - Denominator (`users` of a cell): 'active_users' (default) = users of the segment with at
//   least one event in the range (fct_user_activity_daily); 'segment_users' = every user of the
//   segment first seen before the range ends (dim_users).
// - Adopters: users of the denominator with a feature_used event of the feature in the range
//   (fact_events: fct_feature_usage_daily counts distinct users per day, which cannot be summed
//   over days; user_features only describes the churn cut-off date). rate = adopters / users.
// - Kept using: adopters who used the feature in at least two different ISO weeks (UTC, Monday
//   start) of the range; keptRate = kept / adopters.
// - Filters: user properties and cohorts only (they choose the users, not their events).
import { z } from 'zod';
import { Params, type SqlDialect } from './dialect';
import {
  filterRefs,
  insightFilterExpr,
  ZInsightFilter,
  type InsightFilter,
} from './insight-filters';
import type { CompiledQuery, InsightKind } from './kind';
import { USER_COLUMNS } from './properties';
import { NONE, rangeBounds } from './trends';

const ZDay = z.iso.date().describe('UTC day, YYYY-MM-DD');

export const ZFeatureAdoptionQuery = z
  .object({
    kind: z.literal('feature_adoption'),
    /** Inclusive UTC days. */
    dateRange: z.object({ from: ZDay, to: ZDay }),
    segment: z
      .enum(USER_COLUMNS)
      .default('plan')
      .describe('dim_users column to segment by, e.g. "plan" or "cohort_month"'),
    denominator: z
      .enum(['active_users', 'segment_users'])
      .default('active_users')
      .describe('active_users: segment users active in the range; segment_users: all of them'),
    features: z
      .array(z.string().min(1).max(200))
      .max(100)
      .default([])
      .describe('Features to show (dim_features.feature_name); empty for all'),
    filters: z.array(ZInsightFilter).max(20).default([]),
  })
  .superRefine((q, ctx) => {
    if (q.dateRange.from > q.dateRange.to)
      ctx.addIssue({ code: 'custom', path: ['dateRange'], message: '"from" is after "to"' });
    const days = (Date.parse(q.dateRange.to) - Date.parse(q.dateRange.from)) / 86_400_000 + 1;
    if (days > 3660)
      ctx.addIssue({ code: 'custom', path: ['dateRange'], message: 'At most 10 years' });
    filterRefs(q.filters).forEach((ref) => {
      if (ref.source !== 'user')
        ctx.addIssue({
          code: 'custom',
          path: ['filters'],
          message: `Feature adoption filters users: use a user property or a cohort, not "${ref.name}" of an event`,
        });
    });
  });
export type FeatureAdoptionQuery = z.infer<typeof ZFeatureAdoptionQuery>;
/** What callers send (defaults not yet applied). */
export type FeatureAdoptionQueryInput = z.input<typeof ZFeatureAdoptionQuery>;

/**
 * One statement. `pop`: the denominator's users with their segment; `usage`: per (user, feature)
 * the number of distinct weeks of use in the range; `segments`: users per segment; `cells`:
 * adopters and kept users per (feature, segment). Rows are (feature, category, is_premium,
 * launched_at, segment, users, adopters, kept) for every feature × segment.
 */
export function compileFeatureAdoption(
  q: FeatureAdoptionQuery,
  dialect: SqlDialect,
): CompiledQuery {
  const params = new Params(dialect);
  const { start, end } = rangeBounds(q.dateRange);
  // Text order: population (range end, active days, filters), usage (bounds), feature list.
  const pop = [`u.first_seen < ${dialect.timestampParam(params.bind(end))}`];
  if (q.denominator === 'active_users')
    pop.push(
      `u.user_id in (select d.user_id from fct_user_activity_daily as d where d.event_date >= cast(${params.bind(q.dateRange.from)} as date) and d.event_date <= cast(${params.bind(q.dateRange.to)} as date))`,
    );
  pop.push(
    ...q.filters.map((f: InsightFilter) => insightFilterExpr(f, params, dialect, 'u.user_id')),
  );
  const usage = [
    `e.event_name = 'feature_used'`,
    'e.feature_name is not null',
    'e.user_id is not null',
    `e.ts >= ${dialect.timestampParam(params.bind(start))}`,
    `e.ts < ${dialect.timestampParam(params.bind(end))}`,
  ];
  const features = q.features.length
    ? `\n  where feature_name in (${q.features.map((f) => params.bind(f)).join(', ')})`
    : '';
  const ctes = [
    `pop as (\n  select u.user_id, coalesce(cast(u.${q.segment} as varchar), '${NONE}') as segment\n  from dim_users as u\n  where ${pop.join('\n    and ')}\n)`,
    `usage as (\n  select e.user_id, e.feature_name, count(distinct ${dialect.truncate('week', 'e.ts')}) as weeks\n  from fact_events as e\n  where ${usage.join('\n    and ')}\n  group by e.user_id, e.feature_name\n)`,
    `features as (\n  select feature_name, category, is_premium, launched_at from dim_features${features}\n)`,
    `segments as (\n  select segment, count(*) as users from pop group by segment\n)`,
    `cells as (\n  select g.feature_name, p.segment, count(*) as adopters, count(case when g.weeks >= 2 then 1 end) as kept\n  from usage as g\n  join pop as p on p.user_id = g.user_id\n  group by g.feature_name, p.segment\n)`,
  ];
  const sql = `with ${ctes.join(',\n')}\nselect f.feature_name, f.category, f.is_premium, cast(f.launched_at as varchar) as launched_at, s.segment, s.users, coalesce(c.adopters, 0) as adopters, coalesce(c.kept, 0) as kept\nfrom features as f\ncross join segments as s\nleft join cells as c on c.feature_name = f.feature_name and c.segment = s.segment\norder by f.feature_name, s.segment`;
  return { sql, params: params.values };
}

export interface AdoptionCell {
  /** Users in the denominator (active or all users of the segment). */
  users: number;
  adopters: number;
  /** adopters / users (0 when the segment is empty). */
  rate: number;
  /** Adopters who used the feature in ≥ 2 distinct weeks of the range. */
  kept: number;
  /** kept / adopters (0 without adopters). */
  keptRate: number;
}

export interface FeatureAdoptionResult {
  /** Columns of the matrix: segment values (NONE last) and their users. */
  segments: Array<{ segment: string; users: number }>;
  /** Rows: features by total adopters (most first); `cells` aligned with `segments`. */
  features: Array<{
    feature: string;
    category: string | null;
    isPremium: boolean;
    launchedAt: string | null;
    total: AdoptionCell;
    cells: AdoptionCell[];
  }>;
}

const cell = (users: number, adopters: number, kept: number): AdoptionCell => ({
  users,
  adopters,
  rate: users === 0 ? 0 : adopters / users,
  kept,
  keptRate: adopters === 0 ? 0 : kept / adopters,
});

/** Rows of compileFeatureAdoption → features × segments matrix with totals per feature. */
export function shapeFeatureAdoption(
  _q: FeatureAdoptionQuery,
  rows: readonly unknown[][],
): FeatureAdoptionResult {
  const segmentUsers = new Map<string, number>();
  const byFeature = new Map<
    string,
    {
      category: string | null;
      isPremium: boolean;
      launchedAt: string | null;
      cells: Map<string, [number, number]>;
    }
  >();
  for (const [feature, category, premium, launched, segment, users, adopters, kept] of rows) {
    const s = String(segment);
    segmentUsers.set(s, Number(users));
    const f = String(feature);
    let entry = byFeature.get(f);
    if (!entry)
      byFeature.set(
        f,
        (entry = {
          category: category === null || category === undefined ? null : String(category),
          isPremium: premium === true || premium === 'true',
          launchedAt:
            launched === null || launched === undefined ? null : String(launched).slice(0, 10),
          cells: new Map(),
        }),
      );
    entry.cells.set(s, [Number(adopters), Number(kept)]);
  }
  const segments = [...segmentUsers.entries()]
    .map(([segment, users]) => ({ segment, users }))
    .sort(
      (a, b) =>
        Number(a.segment === NONE) - Number(b.segment === NONE) ||
        a.segment.localeCompare(b.segment),
    );
  const totalUsers = segments.reduce((a, s) => a + s.users, 0);
  const features = [...byFeature.entries()].map(([feature, e]) => {
    const cells = segments.map((s) => {
      const [adopters, kept] = e.cells.get(s.segment) ?? [0, 0];
      return cell(s.users, adopters, kept);
    });
    const total = cell(
      totalUsers,
      cells.reduce((a, c) => a + c.adopters, 0),
      cells.reduce((a, c) => a + c.kept, 0),
    );
    return {
      feature,
      category: e.category,
      isPremium: e.isPremium,
      launchedAt: e.launchedAt,
      total,
      cells,
    };
  });
  features.sort(
    (a, b) => b.total.adopters - a.total.adopters || a.feature.localeCompare(b.feature),
  );
  return { segments, features };
}

export const featureAdoptionKind: InsightKind<FeatureAdoptionQuery, FeatureAdoptionResult> = {
  kind: 'feature_adoption',
  schema: ZFeatureAdoptionQuery,
  compile: compileFeatureAdoption,
  shape: shapeFeatureAdoption,
  // Every feature use is a feature_used event; without one the workspace has nothing to adopt.
  events: () => ['feature_used'],
};
