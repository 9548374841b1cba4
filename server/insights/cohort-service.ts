// Saved cohorts of a workspace: create, update, delete, list, get; their size now and over a
// range; and resolving cohort references inside insight queries. A definition's event names are
// checked against the workspace's schema registry when it is saved. Cohorts are evaluated as of
// the current marts' latest event day (cohorts.ts explains why), looked up once per dbt run.
import { z } from 'zod';
import type { PrismaClient } from '../db/client';
import { Prisma } from '../db/generated/client';
import { AppError } from '../errors';
import type { PipelineService } from '../pipelines/pipeline-service';
import type { QueryEngine } from '../query/query-engine';
import {
  cohortEvents,
  compileCohortSizes,
  ZCohortDefinition,
  type CohortDefinition,
} from './cohorts';
import { duckdbDialect, trinoDialect } from './dialect';
import type { ResolvedCohort } from './insight-filters';
import { bucketStarts } from './trends';
import { assertEventsExist } from './registry-check';

const ZDay = z.iso.date().describe('UTC day, YYYY-MM-DD');

export const ZCohortFieldsSchema = z.object({
  name: z.string().trim().min(1, 'Give the cohort a name').max(100).describe('Shown in filters'),
  description: z.string().max(1000).nullish().describe('What the cohort is for'),
  definition: ZCohortDefinition,
});
export type TCohortFields = z.infer<typeof ZCohortFieldsSchema>;

export const ZCohortSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  definition: ZCohortDefinition,
  createdBy: z.object({ name: z.string(), email: z.string() }).nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type TCohort = z.infer<typeof ZCohortSchema>;

export const ZCohortSizeResponseSchema = z.object({
  users: z.number().int().describe('Members as of `asOf`'),
  asOf: ZDay.describe("The marts' latest event day"),
});
export type TCohortSizeResponse = z.infer<typeof ZCohortSizeResponseSchema>;

/** At most this many points per size-over-time request (each point is one evaluation). */
export const MAX_SIZE_POINTS = 92;

export const ZCohortSizeOverTimeOptions = z
  .object({
    /** Inclusive UTC days. */
    dateRange: z.object({ from: ZDay, to: ZDay }),
    interval: z.enum(['day', 'week']).default('day'),
  })
  .refine((o) => o.dateRange.from <= o.dateRange.to, {
    message: '"from" is after "to"',
    path: ['dateRange'],
  });

export const ZCohortSizeOverTimeResponseSchema = z.object({
  interval: z.enum(['day', 'week']),
  points: z.array(
    z.object({
      date: z.string().describe('Bucket start (ISO instant, UTC; weeks start on Monday)'),
      asOf: ZDay.describe('The day the cohort was evaluated as of (bucket end, within the range)'),
      users: z.number().int(),
    }),
  ),
});
export type TCohortSizeOverTimeResponse = z.infer<typeof ZCohortSizeOverTimeResponseSchema>;

export interface CohortServiceOptions {
  prisma: PrismaClient;
  engine: QueryEngine;
  pipelines: Pick<PipelineService, 'schemaOf'>;
}

const select = {
  id: true,
  name: true,
  description: true,
  definition: true,
  createdAt: true,
  updatedAt: true,
  createdBy: { select: { name: true, email: true } },
} as const;

const notFound = (id: string) =>
  new AppError(
    'NOT_FOUND',
    `No cohort with id "${id}" in this workspace: it may have been deleted. Pick another cohort or remove it from the insight.`,
    { cohortId: id },
  );

export class CohortService {
  /** The marts' latest event day per dbt run (a run's marts never change). */
  private readonly asOfByRun = new Map<string, string>();

  constructor(private readonly o: CohortServiceOptions) {}

  async list(workspaceId: string): Promise<TCohort[]> {
    const rows = await this.o.prisma.cohort.findMany({
      where: { workspaceId },
      orderBy: { name: 'asc' },
      select,
    });
    return rows.map(toCohort);
  }

  async find(workspaceId: string, id: string): Promise<TCohort | undefined> {
    const row = await this.o.prisma.cohort.findFirst({ where: { workspaceId, id }, select });
    return row ? toCohort(row) : undefined;
  }

  async get(workspaceId: string, id: string): Promise<TCohort> {
    const cohort = await this.find(workspaceId, id);
    if (!cohort) throw notFound(id);
    return cohort;
  }

  async create(workspaceId: string, userId: string, fields: TCohortFields): Promise<TCohort> {
    await this.checkEvents(workspaceId, fields.definition);
    const row = await this.unique(fields.name, () =>
      this.o.prisma.cohort.create({
        data: {
          workspaceId,
          name: fields.name,
          description: fields.description ?? null,
          definition: fields.definition as Prisma.InputJsonValue,
          createdById: userId,
        },
        select,
      }),
    );
    return toCohort(row);
  }

  async update(workspaceId: string, id: string, fields: TCohortFields): Promise<TCohort> {
    await this.get(workspaceId, id);
    await this.checkEvents(workspaceId, fields.definition);
    const row = await this.unique(fields.name, () =>
      this.o.prisma.cohort.update({
        where: { id },
        data: {
          name: fields.name,
          description: fields.description ?? null,
          definition: fields.definition as Prisma.InputJsonValue,
        },
        select,
      }),
    );
    return toCohort(row);
  }

  async delete(workspaceId: string, id: string): Promise<void> {
    const { count } = await this.o.prisma.cohort.deleteMany({ where: { workspaceId, id } });
    if (!count) throw notFound(id);
  }

  /** Members now (as of the marts' latest event day). */
  async size(workspaceId: string, id: string): Promise<TCohortSizeResponse> {
    const cohort = await this.get(workspaceId, id);
    const runId = await this.currentRun(workspaceId);
    const asOf = await this.asOf(workspaceId, runId);
    const [users] = await this.sizes(workspaceId, runId, cohort.definition, [asOf]);
    return { users: users!, asOf };
  }

  /** Members as of the end of each day or week of the range (clipped to the range). */
  async sizeOverTime(
    workspaceId: string,
    id: string,
    options: z.input<typeof ZCohortSizeOverTimeOptions>,
  ): Promise<TCohortSizeOverTimeResponse> {
    const { dateRange, interval } = ZCohortSizeOverTimeOptions.parse(options);
    const cohort = await this.get(workspaceId, id);
    const starts = bucketStarts(dateRange, interval);
    if (starts.length > MAX_SIZE_POINTS)
      throw new AppError(
        'BAD_REQUEST',
        `A cohort's size over time has at most ${MAX_SIZE_POINTS} points; this range has ${starts.length}. Use a weekly interval or a shorter range.`,
      );
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const asOfs = starts.map((s) => {
      const last = day(Date.parse(s) + ((interval === 'week' ? 7 : 1) - 1) * 86_400_000);
      return last > dateRange.to ? dateRange.to : last;
    });
    const runId = await this.currentRun(workspaceId);
    const users = await this.sizes(workspaceId, runId, cohort.definition, asOfs);
    return {
      interval,
      points: starts.map((date, i) => ({ date, asOf: asOfs[i]!, users: users[i]! })),
    };
  }

  /**
   * The query with every cohort reference (`{ cohort: { id, … } }`, anywhere in it) carrying
   * the cohort's name, definition and asOf day, so compilers stay pure and cached results are
   * keyed by what the cohort means now. An unknown id is NOT_FOUND.
   */
  async resolve<Q>(workspaceId: string, runId: string, query: Q): Promise<Q> {
    const ids = new Set<string>();
    visit(query, (ref) => void ids.add(ref.id));
    if (!ids.size) return query;
    const rows = await this.o.prisma.cohort.findMany({
      where: { workspaceId, id: { in: [...ids] } },
      select: { id: true, name: true, definition: true },
    });
    const missing = [...ids].find((id) => !rows.some((r) => r.id === id));
    if (missing) throw notFound(missing);
    const asOf = await this.asOf(workspaceId, runId);
    const byId = new Map(
      rows.map((r): [string, ResolvedCohort] => [
        r.id,
        { name: r.name, definition: ZCohortDefinition.parse(r.definition), asOf },
      ]),
    );
    return visit(query, (ref) => ({ ...ref, resolved: byId.get(ref.id)! }));
  }

  private async sizes(
    workspaceId: string,
    runId: string,
    def: CohortDefinition,
    asOfs: string[],
  ): Promise<number[]> {
    const dialect = this.o.engine.dialect === 'trino' ? trinoDialect : duckdbDialect;
    const { sql, params } = compileCohortSizes(def, asOfs, dialect);
    const result = await this.o.engine.execute(sql, {
      params,
      schema: this.o.pipelines.schemaOf(workspaceId, runId),
    });
    const byIndex = new Map(result.rows.map(([i, users]) => [Number(i), Number(users)]));
    return asOfs.map((_, i) => byIndex.get(i) ?? 0);
  }

  private async currentRun(workspaceId: string): Promise<string> {
    const current = await this.o.prisma.pipelineRun.findFirst({
      where: { workspaceId, isCurrent: true },
      select: { id: true },
    });
    if (!current)
      throw new AppError(
        'NOT_FOUND',
        'This workspace has no marts yet: run the pipeline once (Admin → Pipelines → Run dbt build).',
      );
    return current.id;
  }

  /** The current marts' latest event day (today, UTC, when they hold no event). */
  private async asOf(workspaceId: string, runId: string): Promise<string> {
    const known = this.asOfByRun.get(runId);
    if (known) return known;
    const result = await this.o.engine.execute(
      'select cast(max(event_date) as varchar) from fact_events',
      { schema: this.o.pipelines.schemaOf(workspaceId, runId) },
    );
    const value = result.rows[0]?.[0];
    const asOf =
      typeof value === 'string' && value
        ? value.slice(0, 10)
        : new Date().toISOString().slice(0, 10);
    if (this.asOfByRun.size > 1000) this.asOfByRun.clear();
    this.asOfByRun.set(runId, asOf);
    return asOf;
  }

  /** Every event a definition names exists in the workspace's registry (a precise error if not). */
  private checkEvents(workspaceId: string, def: CohortDefinition): Promise<void> {
    return assertEventsExist(this.o.prisma, workspaceId, cohortEvents(def));
  }

  /** Runs a write; a duplicate name in the workspace is CONFLICT. */
  private async unique<T>(name: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')
        throw new AppError(
          'CONFLICT',
          `A cohort named "${name}" already exists in this workspace. Pick another name.`,
        );
      throw error;
    }
  }
}

function toCohort(row: {
  id: string;
  name: string;
  description: string | null;
  definition: Prisma.JsonValue;
  createdAt: Date;
  updatedAt: Date;
  createdBy: { name: string; email: string } | null;
}): TCohort {
  return { ...row, definition: ZCohortDefinition.parse(row.definition) };
}

type CohortRef = { id: string } & Record<string, unknown>;

/** Calls `fn` on every `{ cohort: { id } }` reference and returns the query with its results. */
function visit<T>(value: T, fn: (ref: CohortRef) => unknown): T {
  if (Array.isArray(value)) return value.map((v: unknown) => visit(v, fn)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const ref = v as { id?: unknown } | null;
    if (key === 'cohort' && typeof ref === 'object' && ref !== null && typeof ref.id === 'string') {
      const replaced = fn(ref as CohortRef);
      out[key] = replaced === undefined || typeof replaced !== 'object' ? v : replaced;
    } else out[key] = visit(v, fn);
  }
  return out as T;
}
