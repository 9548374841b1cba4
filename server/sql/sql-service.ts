// The SQL editor's runs: user SQL on the query engine of the active mode, inside the user's
// workspace (ExecuteOptions.scoped: the workspace schema's tables only, decided on the engine's
// parse tree), read-only, with the timeout and row cap, a limited number at a time per user (one
// user's long queries must not hold every engine connection), cancellable by the client's run id
// (the engine's interrupt), and recorded in the user's history whatever the outcome.
import { z } from 'zod';
import type { PrismaClient } from '../db/client';
import { AppError, isAppError } from '../errors';
import type { QueryEngine, QueryResult } from '../query/query-engine';

/**
 * Runs one user may have in flight — more are refused (TOO_MANY_REQUESTS), not queued: all
 * but one of the engine's connections, so that another user's query always finds one.
 */
export function maxRunningPerUser(enginePoolSize: number): number {
  return Math.max(1, enginePoolSize - 1);
}
/** The largest row cap a run may ask for (results travel to the browser). */
export const MAX_RESULT_ROWS = 100_000;
export const MAX_SQL_CHARS = 200_000;

export const ZSqlText = z
  .string()
  .max(MAX_SQL_CHARS, `A query is at most ${MAX_SQL_CHARS.toLocaleString('en-US')} characters.`)
  .refine((s) => s.trim() !== '', 'Write a query first: the SQL is empty.');

export const ZRunSqlInput = z.object({
  sql: ZSqlText,
  /** Chosen by the client before it sends the run, so it can cancel a run still in flight. */
  runId: z.uuid().describe('Client-chosen id of this run (cancel with it)'),
  maxRows: z.number().int().min(1).max(MAX_RESULT_ROWS).optional(),
  /** `plan` = EXPLAIN, `analyze` = EXPLAIN ANALYZE (runs the query). */
  explain: z.enum(['plan', 'analyze']).optional(),
  savedQueryId: z.string().min(1).max(100).optional(),
});
export type RunSqlInput = z.infer<typeof ZRunSqlInput>;

export type QueryRunStatus = 'succeeded' | 'failed' | 'rejected' | 'cancelled' | 'timeout';

export interface SqlServiceDeps {
  prisma: PrismaClient;
  engine: QueryEngine;
  /** The workspace's schema (its marts), created empty before the first build. */
  schemaFor(workspaceId: string): Promise<string>;
  /** maxRunningPerUser(the engine's pool size). */
  maxRunningPerUser: number;
}

interface Running {
  controller: AbortController;
  userId: string;
  workspaceId: string;
}

export class SqlService {
  private readonly running = new Map<string, Running>();

  constructor(private readonly deps: SqlServiceDeps) {}

  async run(
    workspaceId: string,
    userId: string,
    input: RunSqlInput,
  ): Promise<QueryResult & { runId: string }> {
    if (this.running.has(input.runId)) {
      throw new AppError('CONFLICT', 'A run with this id is already in flight.', {
        runId: input.runId,
      });
    }
    const mine = [...this.running.values()].filter((r) => r.userId === userId).length;
    const limit = this.deps.maxRunningPerUser;
    if (mine >= limit) {
      throw new AppError(
        'TOO_MANY_REQUESTS',
        `You already have ${mine === 1 ? 'a query' : `${mine} queries`} running; wait for it to finish or cancel it.`,
        { running: mine, limit },
      );
    }
    const controller = new AbortController();
    this.running.set(input.runId, { controller, userId, workspaceId });
    const sql = statementOf(input);
    try {
      const result = await this.deps.engine.execute(sql, {
        schema: await this.deps.schemaFor(workspaceId),
        scoped: true,
        maxRows: input.maxRows,
        signal: controller.signal,
      });
      await this.record(workspaceId, userId, input, {
        status: 'succeeded',
        rowCount: result.rowCount,
        truncated: result.truncated,
        durationMs: result.durationMs,
      });
      return { ...result, runId: input.runId };
    } catch (error) {
      await this.record(workspaceId, userId, input, {
        status: statusOf(error),
        error: error instanceof Error ? error.message : String(error),
      });
      throw error;
    } finally {
      this.running.delete(input.runId);
    }
  }

  /** Interrupts the user's own run; false when it is not running (finished, or not theirs). */
  cancel(workspaceId: string, userId: string, runId: string): boolean {
    const run = this.running.get(runId);
    if (!run || run.userId !== userId || run.workspaceId !== workspaceId) return false;
    run.controller.abort();
    return true;
  }

  private async record(
    workspaceId: string,
    userId: string,
    input: RunSqlInput,
    outcome: {
      status: QueryRunStatus;
      rowCount?: number;
      truncated?: boolean;
      durationMs?: number;
      error?: string;
    },
  ): Promise<void> {
    const savedQueryId =
      input.savedQueryId === undefined
        ? null
        : ((
            await this.deps.prisma.savedQuery.findFirst({
              where: { id: input.savedQueryId, workspaceId },
              select: { id: true },
            })
          )?.id ?? null);
    await this.deps.prisma.queryRun.create({
      data: {
        workspaceId,
        userId,
        sql: statementOf(input),
        status: outcome.status,
        rowCount: outcome.rowCount ?? null,
        truncated: outcome.truncated ?? false,
        durationMs: outcome.durationMs ?? null,
        error: outcome.error?.slice(0, 2_000) ?? null,
        savedQueryId,
      },
    });
  }
}

/** What runs: the SQL, or EXPLAIN [ANALYZE] of it. */
function statementOf(input: RunSqlInput): string {
  if (!input.explain) return input.sql;
  return `EXPLAIN ${input.explain === 'analyze' ? 'ANALYZE ' : ''}${input.sql}`;
}

function statusOf(error: unknown): QueryRunStatus {
  if (!isAppError(error)) return 'failed';
  switch (error.code) {
    case 'QUERY_REJECTED':
      return 'rejected';
    case 'CANCELLED':
      return 'cancelled';
    case 'TIMEOUT':
      return 'timeout';
    default:
      return 'failed';
  }
}

// ---- History and saved queries ----

export const ZHistoryInput = z.object({
  search: z.string().max(200).optional().describe('Only runs whose SQL contains this text'),
  limit: z.number().int().min(1).max(200).default(50),
  before: z.date().optional().describe('Runs older than this (the next page)'),
});
export type HistoryInput = z.input<typeof ZHistoryInput>;

/** A change to a saved query: only the fields given (no defaults, so nothing else resets). */
export const ZSavedQueryPatch = z.object({
  name: z.string().trim().min(1, 'Give the query a name.').max(200).optional(),
  description: z.string().max(2_000).nullish(),
  folder: z.string().trim().max(100).optional(),
  sql: ZSqlText.optional(),
  shared: z.boolean().optional(),
});
export type SavedQueryPatch = z.input<typeof ZSavedQueryPatch>;

export const ZSavedQueryFields = ZSavedQueryPatch.extend({
  name: z.string().trim().min(1, 'Give the query a name.').max(200),
  folder: z.string().trim().max(100).default(''),
  sql: ZSqlText,
  shared: z.boolean().default(true),
});
export type SavedQueryFields = z.input<typeof ZSavedQueryFields>;

export interface SavedQueryView {
  id: string;
  name: string;
  description: string | null;
  folder: string;
  sql: string;
  shared: boolean;
  owner: { id: string; name: string } | null;
  createdAt: Date;
  updatedAt: Date;
}

const SAVED_SELECT = {
  id: true,
  name: true,
  description: true,
  folder: true,
  sql: true,
  shared: true,
  createdAt: true,
  updatedAt: true,
  owner: { select: { id: true, name: true } },
} as const;

/** Each user's runs, newest first. */
export async function listHistory(
  prisma: PrismaClient,
  workspaceId: string,
  userId: string,
  input: HistoryInput,
) {
  const { search, limit, before } = ZHistoryInput.parse(input);
  return prisma.queryRun.findMany({
    where: {
      workspaceId,
      userId,
      ...(search ? { sql: { contains: search, mode: 'insensitive' as const } } : {}),
      ...(before ? { createdAt: { lt: before } } : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit,
    select: {
      id: true,
      sql: true,
      status: true,
      rowCount: true,
      truncated: true,
      durationMs: true,
      error: true,
      savedQueryId: true,
      createdAt: true,
    },
  });
}

/** The workspace's shared queries and the user's own, by folder and name. */
export async function listSavedQueries(
  prisma: PrismaClient,
  workspaceId: string,
  userId: string,
): Promise<SavedQueryView[]> {
  return prisma.savedQuery.findMany({
    where: { workspaceId, OR: [{ shared: true }, { ownerId: userId }] },
    orderBy: [{ folder: 'asc' }, { name: 'asc' }],
    select: SAVED_SELECT,
  });
}

export async function getSavedQuery(
  prisma: PrismaClient,
  workspaceId: string,
  userId: string,
  id: string,
): Promise<SavedQueryView> {
  const found = await prisma.savedQuery.findFirst({
    where: { id, workspaceId, OR: [{ shared: true }, { ownerId: userId }] },
    select: SAVED_SELECT,
  });
  if (!found) throw new AppError('NOT_FOUND', 'No saved query with this id in this workspace.');
  return found;
}

export async function createSavedQuery(
  prisma: PrismaClient,
  workspaceId: string,
  userId: string,
  fields: SavedQueryFields,
): Promise<SavedQueryView> {
  const data = ZSavedQueryFields.parse(fields);
  return prisma.savedQuery.create({
    data: { ...data, description: data.description ?? null, workspaceId, ownerId: userId },
    select: SAVED_SELECT,
  });
}

/** Its owner changes or deletes a saved query; so may a workspace admin. */
async function editable(
  prisma: PrismaClient,
  workspaceId: string,
  user: { id: string; isAdmin: boolean },
  id: string,
) {
  const found = await prisma.savedQuery.findFirst({
    where: { id, workspaceId, OR: [{ shared: true }, { ownerId: user.id }] },
    select: { ownerId: true },
  });
  if (!found) throw new AppError('NOT_FOUND', 'No saved query with this id in this workspace.');
  if (found.ownerId !== user.id && !user.isAdmin) {
    throw new AppError(
      'FORBIDDEN',
      'Only the owner of a saved query (or a workspace admin) can change or delete it. Save a copy instead.',
    );
  }
}

export async function updateSavedQuery(
  prisma: PrismaClient,
  workspaceId: string,
  user: { id: string; isAdmin: boolean },
  id: string,
  patch: SavedQueryPatch,
): Promise<SavedQueryView> {
  const data = ZSavedQueryPatch.parse(patch);
  await editable(prisma, workspaceId, user, id);
  return prisma.savedQuery.update({ where: { id }, data, select: SAVED_SELECT });
}

export async function deleteSavedQuery(
  prisma: PrismaClient,
  workspaceId: string,
  user: { id: string; isAdmin: boolean },
  id: string,
): Promise<{ id: string }> {
  await editable(prisma, workspaceId, user, id);
  await prisma.savedQuery.delete({ where: { id } });
  return { id };
}
