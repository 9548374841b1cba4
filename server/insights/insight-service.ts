// Running insights for a workspace: validate the query's event names against the workspace's
// schema registry, compile it for the engine's dialect, run it on the workspace's current marts
// (read-only, with the engine's timeout and row cap) and shape the rows for the chart. Results
// are cached by (workspace, marts version, query): the marts only change when a dbt run
// succeeds, so a dashboard opened again before the next run is answered from memory, and a new
// run makes every cached result of the workspace unreachable (its run id is in the key).
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { PrismaClient } from '../db/client';
import { AppError } from '../errors';
import type { PipelineService } from '../pipelines/pipeline-service';
import type { QueryEngine } from '../query/query-engine';
import { duckdbDialect, trinoDialect, type SqlDialect } from './dialect';
import { featureAdoptionKind, ZFeatureAdoptionQuery, type FeatureAdoptionResult } from './adoption';
import type { CohortService } from './cohort-service';
import {
  compileFunnelUsers,
  funnelsKind,
  ZFunnelsQuery,
  type FunnelsQuery,
  type FunnelsResult,
} from './funnels';
import type { InsightKind } from './kind';
import { lifecycleKind, ZLifecycleQuery, type LifecycleResult } from './lifecycle';
import { pathsKind, ZPathsQuery, type PathsResult } from './paths';
import { retentionKind, ZRetentionQuery, type RetentionResult } from './retention';
import { stickinessKind, ZStickinessQuery, type StickinessResult } from './stickiness';
import { trendsKind, ZTrendsQuery, type TrendsResult } from './trends';
import { ACCELERATOR_NAMES } from '../pipelines/accelerators';
import { assertEventsExist } from './registry-check';

// A new insight type adds its schema to ZInsightQuery, its result to InsightResult and its
// descriptor to KINDS.

/** Every insight type's query object. */
export const ZInsightQuery = z.discriminatedUnion('kind', [
  ZTrendsQuery,
  ZFunnelsQuery,
  ZPathsQuery,
  ZFeatureAdoptionQuery,
  ZRetentionQuery,
  ZLifecycleQuery,
  ZStickinessQuery,
]);
export type InsightQuery = z.infer<typeof ZInsightQuery>;

/** Each kind's result (`InsightResponse<TrendsResult>` when the caller knows the kind). */
export type InsightResult =
  | TrendsResult
  | FunnelsResult
  | PathsResult
  | FeatureAdoptionResult
  | RetentionResult
  | LifecycleResult
  | StickinessResult;

type KindOf<K extends InsightQuery['kind']> = InsightKind<
  Extract<InsightQuery, { kind: K }>,
  InsightResult
>;
const KINDS: { [K in InsightQuery['kind']]: KindOf<K> } = {
  trends: trendsKind,
  funnels: funnelsKind,
  paths: pathsKind,
  feature_adoption: featureAdoptionKind,
  retention: retentionKind,
  lifecycle: lifecycleKind,
  stickiness: stickinessKind,
};

function kindOf(q: InsightQuery): InsightKind<InsightQuery, InsightResult> {
  return KINDS[q.kind] as InsightKind<InsightQuery, InsightResult>;
}

export interface InsightResponse<R extends InsightResult = InsightResult> {
  kind: InsightQuery['kind'];
  result: R;
  /** The statement that ran and its bound values (shown on demand, "open in SQL editor"). */
  sql: string;
  params: unknown[];
  /** The dbt run whose marts answered, and when the result was computed. */
  runId: string;
  computedAt: string;
  cached: boolean;
  durationMs: number;
}

export interface FunnelUsersResponse {
  users: Array<{
    userId: string;
    plan: string | null;
    country: string | null;
    companySize: string | null;
    signupDate: string | null;
  }>;
  /** All users matching (the list holds at most the limit). */
  total: number;
  sql: string;
}

export interface InsightServiceOptions {
  prisma: PrismaClient;
  engine: QueryEngine;
  pipelines: Pick<PipelineService, 'schemaOf'>;
  /** Resolves cohort references (filters, breakdowns) before compiling; none: no cohorts. */
  cohorts?: Pick<CohortService, 'resolve'>;
  /** Cached results kept across all workspaces. */
  cacheEntries?: number;
}

export class InsightService {
  private readonly cache: LRUCache<string, Omit<InsightResponse, 'cached'>>;
  /** The marts of each run (run ids are never reused), for pre-aggregated tables. */
  private readonly martsOfRun = new LRUCache<string, ReadonlySet<string>>({ max: 100 });

  constructor(private readonly o: InsightServiceOptions) {
    this.cache = new LRUCache({ max: o.cacheEntries ?? 500 });
  }

  /**
   * The tables the workspace's current marts have (a run made before a mart existed lacks it).
   * Kept per run once its accelerators are there; until then (they are built just after the
   * switch; on Trino never) for a few seconds, so a query does not also pay a catalog query.
   */
  private async marts(workspaceId: string, runId: string): Promise<ReadonlySet<string>> {
    const known = this.martsOfRun.get(runId);
    if (known) return known;
    const schema = this.o.pipelines.schemaOf(workspaceId, runId);
    const rows = await this.o.engine.execute(
      `select table_name from information_schema.tables where table_schema = ${dialectOf(this.o.engine.dialect).placeholder(1)}`,
      { params: [schema], schema },
    );
    const marts = new Set(rows.rows.map((r) => String(r[0])));
    const complete = [...ACCELERATOR_NAMES].every((name) => marts.has(name));
    this.martsOfRun.set(runId, marts, complete ? {} : { ttl: 5_000 });
    return marts;
  }

  async run(workspaceId: string, input: InsightQuery): Promise<InsightResponse> {
    const current = await this.o.prisma.pipelineRun.findFirst({
      where: { workspaceId, isCurrent: true },
      select: { id: true },
    });
    if (!current)
      throw new AppError(
        'NOT_FOUND',
        'This workspace has no marts yet: run the pipeline once (Admin → Pipelines → Run dbt build).',
      );
    // Cohort references carry the cohort's current definition from here on: compilers stay pure
    // and a changed cohort is a different cache key.
    const query = this.o.cohorts
      ? await this.o.cohorts.resolve(workspaceId, current.id, input)
      : input;
    const key = `${workspaceId}\u0000${current.id}\u0000${JSON.stringify(query)}`;
    const hit = this.cache.get(key);
    if (hit) return { ...hit, cached: true };

    await this.checkEvents(workspaceId, query);
    const dialect = dialectOf(this.o.engine.dialect);
    const started = performance.now();
    const kind = kindOf(query);
    const compiled = kind.compile(query, dialect, {
      marts: await this.marts(workspaceId, current.id),
    });
    const rows = await this.o.engine.execute(compiled.sql, {
      params: compiled.params,
      schema: this.o.pipelines.schemaOf(workspaceId, current.id),
    });
    if (rows.truncated)
      throw new AppError(
        'BAD_REQUEST',
        'This insight has more points than can be drawn: use a longer interval, a shorter range or a smaller breakdown.',
      );
    const response = {
      kind: query.kind,
      result: kind.shape(query, rows.rows),
      sql: compiled.sql,
      params: compiled.params,
      runId: current.id,
      computedAt: new Date().toISOString(),
      durationMs: Math.round(performance.now() - started),
    };
    this.cache.set(key, response);
    return { ...response, cached: false };
  }

  /**
   * The users behind a funnel step: who reached `step` ('converted') or reached the step before
   * and not this one ('dropped'), at most `limit`, with the total. Not cached (a drill-down).
   */
  async funnelUsers(
    workspaceId: string,
    input: FunnelsQuery,
    who: { step: number; outcome: 'converted' | 'dropped'; limit: number },
  ): Promise<FunnelUsersResponse> {
    if (who.step >= input.steps.length)
      throw new AppError(
        'BAD_REQUEST',
        `Step ${who.step} does not exist: this funnel has steps 0–${input.steps.length - 1}`,
      );
    const current = await this.o.prisma.pipelineRun.findFirst({
      where: { workspaceId, isCurrent: true },
      select: { id: true },
    });
    if (!current)
      throw new AppError(
        'NOT_FOUND',
        'This workspace has no marts yet: run the pipeline once (Admin → Pipelines → Run dbt build).',
      );
    const query = (
      this.o.cohorts ? await this.o.cohorts.resolve(workspaceId, current.id, input) : input
    ) as FunnelsQuery;
    await this.checkEvents(workspaceId, query);
    const compiled = compileFunnelUsers(query, dialectOf(this.o.engine.dialect), who, {
      marts: await this.marts(workspaceId, current.id),
    });
    const rows = await this.o.engine.execute(compiled.sql, {
      params: compiled.params,
      schema: this.o.pipelines.schemaOf(workspaceId, current.id),
    });
    const users = rows.rows.map(([userId, plan, country, companySize, signupDate]) => ({
      userId: String(userId),
      plan: plan === null ? null : String(plan),
      country: country === null ? null : String(country),
      companySize: companySize === null ? null : String(companySize),
      signupDate: signupDate === null ? null : String(signupDate).slice(0, 10),
    }));
    return { users, total: rows.rows.length ? Number(rows.rows[0]![5]) : 0, sql: compiled.sql };
  }

  /** Every event the query names exists in the workspace's registry (a precise error if not). */
  private checkEvents(workspaceId: string, query: InsightQuery): Promise<void> {
    return assertEventsExist(this.o.prisma, workspaceId, kindOf(query).events(query));
  }
}

function dialectOf(name: QueryEngine['dialect']): SqlDialect {
  return name === 'trino' ? trinoDialect : duckdbDialect;
}
