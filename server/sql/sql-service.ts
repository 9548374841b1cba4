// The SQL editor's runs: user SQL on the query engine of the active mode, inside the user's
// workspace (ExecuteOptions.scoped: the workspace schema's tables only, decided on the engine's
// parse tree), read-only, with the timeout and row cap, a limited number at a time per user (one
// user's long queries must not hold every engine connection), cancellable by the client's run id
// (the engine's interrupt), and recorded in the user's history whatever the outcome.
import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { PrismaClient } from '../db/client';
import { Prisma } from '../db/generated/client';
import { AppError, isAppError } from '../errors';
import { lineAndColumn } from '../query/duckdb-errors';
import type { QueryEngine, QueryResult, QueryStreamEvent } from '../query/query-engine';
import {
  guessParamType,
  renderTemplate,
  splitStatements,
  templateParams,
  ZDateRange,
  type DateRange,
  ZParamDeclaration,
  ZParamValues,
  type ParamDeclaration,
  type RenderedSql,
} from './sql-template';
import { ZSqlChartConfig, type SqlChartConfig } from './sql-chart';

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
  /** Values of the query's `{{ name }}` parameters, as typed (server/sql/sql-template.ts). */
  values: ZParamValues.optional(),
  /** The parameters' types and defaults (undeclared ones: guessed from the name). */
  declared: z.array(ZParamDeclaration).max(50).optional(),
  /** The date range `{{ filters }}` applies (none: TRUE). */
  range: ZDateRange.optional(),
});
export type RunSqlInput = z.infer<typeof ZRunSqlInput>;

/** Statements one script may have. */
export const MAX_SCRIPT_STATEMENTS = 50;

export const ZRunScriptInput = ZRunSqlInput.omit({ explain: true });
export type RunScriptInput = z.infer<typeof ZRunScriptInput>;

/** One statement of a script run: its place in the script and how it went. */
export interface ScriptStatement {
  index: number;
  /** Where it starts in the script. */
  offset: number;
  sql: string;
  status: 'succeeded' | 'failed' | 'skipped';
  result?: QueryResult;
  /** Its position, line and column are in the whole script. */
  error?: { code: string; message: string; position?: number; line?: number; column?: number };
}

/** What a streamed run yields: the engine's events, the first one carrying the run id. */
export type SqlStreamEvent =
  | (Extract<QueryStreamEvent, { type: 'columns' }> & { runId: string })
  | Exclude<QueryStreamEvent, { type: 'columns' }>;

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

/** Rows a saved query's dashboard tile reads at most (a chart draws 5,000 points). */
export const TILE_MAX_ROWS = 10_000;

export interface SavedQueryTileRun {
  query: SavedQueryView;
  result: QueryResult;
  /** The range `{{ filters }}` (and start/end date parameters) followed, if any. */
  range: DateRange | null;
  cached: boolean;
  computedAt: string;
}

export class SqlService {
  private readonly running = new Map<string, Running>();
  /** Script runs by their run id: the statement running now, and whether to stop. */
  private readonly scripts = new Map<
    string,
    { userId: string; workspaceId: string; current: string; cancelled: boolean }
  >();
  /** Dashboard tiles' results by (workspace, marts run, query, values): a new dbt run moves on. */
  private readonly tileCache = new LRUCache<string, Omit<SavedQueryTileRun, 'cached'>>({
    max: 200,
  });

  constructor(private readonly deps: SqlServiceDeps) {}

  /**
   * A shared saved query as its dashboard tile shows it, for any member (viewers included: the
   * SQL is an analyst's, saved; it runs under the same guardrails and workspace scope). Its
   * declared defaults fill the parameters, except that date parameters named start_date / from
   * and end_date / to take the dashboard's range, and `{{ filters }}` follows the range. Not
   * recorded in anyone's history; cached until the next dbt run.
   */
  async runForTile(
    workspaceId: string,
    savedQueryId: string,
    range: DateRange | undefined,
  ): Promise<SavedQueryTileRun> {
    const row = await this.deps.prisma.savedQuery.findFirst({
      where: { id: savedQueryId, workspaceId },
      select: SAVED_SELECT,
    });
    if (!row) throw new AppError('NOT_FOUND', 'The saved query of this tile no longer exists.');
    const query = toSavedQueryView(row);
    if (!query.shared) {
      throw new AppError(
        'FORBIDDEN',
        `"${query.name}" is private to its owner now; share it with the workspace to show it on a dashboard.`,
      );
    }
    const values: Record<string, string> = {};
    const declared = new Map(query.params.map((p) => [p.name, p]));
    if (range) {
      for (const name of templateParams(query.sql)) {
        const type = declared.get(name)?.type ?? guessParamType(name);
        if (type !== 'date') continue;
        if (/^(start_date|from|from_date|since)$/i.test(name)) values[name] = range.from;
        if (/^(end_date|to|to_date|until)$/i.test(name)) values[name] = range.to;
      }
    }
    const current = await this.deps.prisma.pipelineRun.findFirst({
      where: { workspaceId, isCurrent: true },
      select: { id: true },
    });
    const key = JSON.stringify([
      workspaceId,
      current?.id ?? null,
      query.sql,
      query.params,
      values,
      range ?? null,
    ]);
    const hit = this.tileCache.get(key);
    if (hit) return { ...hit, cached: true };
    const rendered = renderTemplate(query.sql, { declared: query.params, values, range });
    const result = await this.deps.engine.execute(rendered.sql, {
      schema: await this.deps.schemaFor(workspaceId),
      scoped: true,
      params: rendered.params,
      maxRows: TILE_MAX_ROWS,
    });
    const run = { query, result, range: range ?? null, computedAt: new Date().toISOString() };
    this.tileCache.set(key, run);
    return { ...run, cached: false };
  }

  /** A whole run, collected (the CLI, tests); the browser streams it with `stream`. */
  async run(
    workspaceId: string,
    userId: string,
    input: RunSqlInput,
  ): Promise<QueryResult & { runId: string }> {
    const result: QueryResult & { runId: string } = {
      runId: input.runId,
      columns: [],
      rows: [],
      rowCount: 0,
      truncated: false,
      durationMs: 0,
      statementType: '',
    };
    for await (const event of this.stream(workspaceId, userId, input)) {
      if (event.type === 'columns') {
        result.columns = event.columns;
        result.statementType = event.statementType;
      } else if (event.type === 'rows') {
        for (const row of event.rows) result.rows.push(row);
      } else {
        result.rowCount = event.rowCount;
        result.truncated = event.truncated;
        result.durationMs = event.durationMs;
      }
    }
    return result;
  }

  /**
   * A run, streamed: the columns, then rows while the engine produces them, then the totals.
   * Recorded in the history when it ends — finished, failed, or stopped by the reader
   * (a closed browser tab counts as cancelled).
   */
  async *stream(
    workspaceId: string,
    userId: string,
    input: RunSqlInput,
  ): AsyncGenerator<SqlStreamEvent, void, undefined> {
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
    let outcome: Outcome = { status: 'cancelled', error: 'Stopped by the reader.' };
    let rendered: RenderedSql | undefined;
    try {
      rendered = renderTemplate(input.sql, {
        declared: input.declared,
        values: input.values,
        range: input.range,
      });
      const stream = this.deps.engine.stream(statementOf(input.explain, rendered.sql), {
        schema: await this.deps.schemaFor(workspaceId),
        scoped: true,
        params: rendered.params,
        maxRows: input.maxRows,
        signal: controller.signal,
      });
      for await (const event of stream) {
        if (event.type === 'columns') yield { ...event, runId: input.runId };
        else yield event;
        if (event.type === 'end') {
          outcome = {
            status: 'succeeded',
            rowCount: event.rowCount,
            truncated: event.truncated,
            durationMs: event.durationMs,
          };
        }
      }
    } catch (error) {
      const located = atAnalystText(error, input, rendered);
      outcome = {
        status: statusOf(located),
        error: located instanceof Error ? located.message : String(located),
      };
      throw located;
    } finally {
      this.running.delete(input.runId);
      await this.record(workspaceId, userId, input, outcome);
    }
  }

  /**
   * Script mode: the statements of `input.sql` one after another (each checked and guarded like
   * a single run, each in the history), stopping at the first that fails; the rest are
   * skipped. Cancelling the script's run id stops the statement running and skips the rest.
   */
  async runScript(
    workspaceId: string,
    userId: string,
    input: RunScriptInput,
  ): Promise<{ runId: string; statements: ScriptStatement[] }> {
    const pieces = splitStatements(input.sql);
    if (pieces.length === 0) {
      throw new AppError(
        'QUERY_REJECTED',
        'The script has no statements (only whitespace or comments).',
      );
    }
    if (pieces.length > MAX_SCRIPT_STATEMENTS) {
      throw new AppError(
        'BAD_REQUEST',
        `A script runs at most ${MAX_SCRIPT_STATEMENTS} statements; this one has ${pieces.length}. Split it.`,
        { statements: pieces.length },
      );
    }
    if (this.scripts.has(input.runId) || this.running.has(input.runId)) {
      throw new AppError('CONFLICT', 'A run with this id is already in flight.', {
        runId: input.runId,
      });
    }
    const script = { userId, workspaceId, current: '', cancelled: false };
    this.scripts.set(input.runId, script);
    const statements: ScriptStatement[] = [];
    try {
      let stop = false;
      for (const [index, piece] of pieces.entries()) {
        if (stop || script.cancelled) {
          statements.push({ index, ...piece, status: 'skipped' });
          continue;
        }
        script.current = randomUUID();
        try {
          const { runId: _runId, ...result } = await this.run(workspaceId, userId, {
            ...input,
            sql: piece.sql,
            runId: script.current,
          });
          statements.push({ index, ...piece, status: 'succeeded', result });
        } catch (error) {
          if (!isAppError(error)) throw error;
          const at = error.details?.position;
          const position = typeof at === 'number' ? piece.offset + at : undefined;
          statements.push({
            index,
            ...piece,
            status: 'failed',
            error: {
              code: error.code,
              message: error.message,
              ...(position === undefined
                ? {}
                : { position, ...lineAndColumn(input.sql, position) }),
            },
          });
          stop = true;
        }
      }
    } finally {
      this.scripts.delete(input.runId);
    }
    return { runId: input.runId, statements };
  }

  /** Interrupts the user's own run; false when it is not running (finished, or not theirs). */
  cancel(workspaceId: string, userId: string, runId: string): boolean {
    const script = this.scripts.get(runId);
    if (script && script.userId === userId && script.workspaceId === workspaceId) {
      script.cancelled = true;
      this.cancel(workspaceId, userId, script.current);
      return true;
    }
    const run = this.running.get(runId);
    if (!run || run.userId !== userId || run.workspaceId !== workspaceId) return false;
    run.controller.abort();
    return true;
  }

  private async record(
    workspaceId: string,
    userId: string,
    input: RunSqlInput,
    outcome: Outcome,
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
        sql: statementOf(input.explain, input.sql),
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

interface Outcome {
  status: QueryRunStatus;
  rowCount?: number;
  truncated?: boolean;
  durationMs?: number;
  error?: string;
}

/** What runs: the SQL, or EXPLAIN [ANALYZE] of it. */
function statementOf(explain: RunSqlInput['explain'], sql: string): string {
  return explain ? `${explainPrefix(explain)}${sql}` : sql;
}

function explainPrefix(explain: 'plan' | 'analyze'): string {
  return explain === 'analyze' ? 'EXPLAIN ANALYZE ' : 'EXPLAIN ';
}

/**
 * An error whose position is in the text that ran (EXPLAIN prefix, rendered template tags)
 * moved to the same place in the analyst's text, with its line and column there.
 */
function atAnalystText(error: unknown, input: RunSqlInput, rendered: RenderedSql | undefined) {
  if (!isAppError(error) || rendered === undefined) return error;
  const position = error.details?.position;
  if (typeof position !== 'number') return error;
  const inRendered = input.explain
    ? Math.max(0, position - explainPrefix(input.explain).length)
    : position;
  const original = Math.min(input.sql.length, rendered.originalPosition(inRendered));
  return new AppError(
    error.code,
    error.message,
    { ...error.details, position: original, ...lineAndColumn(input.sql, original) },
    { cause: error },
  );
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
  params: z.array(ZParamDeclaration).max(50).optional(),
  chart: ZSqlChartConfig.nullable().optional(),
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
  params: ParamDeclaration[];
  chart: SqlChartConfig | null;
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
  params: true,
  chart: true,
  createdAt: true,
  updatedAt: true,
  owner: { select: { id: true, name: true } },
} as const;

type SavedQueryRow = Prisma.SavedQueryGetPayload<{ select: typeof SAVED_SELECT }>;

/** The stored JSON read back through its schemas (a bad stored value reads as none). */
function toSavedQueryView(row: SavedQueryRow): SavedQueryView {
  const params = z.array(ZParamDeclaration).safeParse(row.params);
  const chart = ZSqlChartConfig.safeParse(row.chart);
  return {
    ...row,
    params: params.success ? params.data : [],
    chart: chart.success ? chart.data : null,
  };
}

/** Patch fields as Prisma data (JSON columns need their input type). */
function savedQueryData(data: z.infer<typeof ZSavedQueryPatch>) {
  const { params, chart, ...rest } = data;
  return {
    ...rest,
    ...(params !== undefined && { params: params as Prisma.InputJsonValue }),
    ...(chart !== undefined && {
      chart: chart === null ? Prisma.DbNull : (chart as Prisma.InputJsonValue),
    }),
  };
}

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
  const rows = await prisma.savedQuery.findMany({
    where: { workspaceId, OR: [{ shared: true }, { ownerId: userId }] },
    orderBy: [{ folder: 'asc' }, { name: 'asc' }],
    select: SAVED_SELECT,
  });
  return rows.map(toSavedQueryView);
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
  return toSavedQueryView(found);
}

export async function createSavedQuery(
  prisma: PrismaClient,
  workspaceId: string,
  userId: string,
  fields: SavedQueryFields,
): Promise<SavedQueryView> {
  const data = ZSavedQueryFields.parse(fields);
  const row = await prisma.savedQuery.create({
    data: {
      ...savedQueryData(data),
      name: data.name,
      sql: data.sql,
      description: data.description ?? null,
      workspaceId,
      ownerId: userId,
    },
    select: SAVED_SELECT,
  });
  return toSavedQueryView(row);
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
  const row = await prisma.savedQuery.update({
    where: { id },
    data: savedQueryData(data),
    select: SAVED_SELECT,
  });
  return toSavedQueryView(row);
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
