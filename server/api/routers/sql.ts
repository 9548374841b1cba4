// The SQL editor: run (or EXPLAIN) user SQL in the workspace, cancel a run, the user's own
// history, and saved queries. Analysts and admins only — viewers cannot open the editor. Thin:
// the work is in server/sql/sql-service.ts (and the engine's guardrails below it).
import { z } from 'zod';
import { createTRPCRouter, workspaceProcedure } from '../trpc';
import {
  createSavedQuery,
  deleteSavedQuery,
  getSavedQuery,
  listHistory,
  listSavedQueries,
  updateSavedQuery,
  ZHistoryInput,
  ZRunScriptInput,
  ZRunSqlInput,
  ZSavedQueryFields,
  ZSavedQueryPatch,
} from '../../sql/sql-service';
import { loadSqlSchema } from '../../sql/sql-schema';

const analystProcedure = workspaceProcedure('analyst');
const ZSavedQueryId = z.string().min(1).max(100).describe('Id of a saved query');

export const ZSqlRunRequestSchema = ZRunSqlInput;
export const ZSqlRunScriptRequestSchema = ZRunScriptInput;
export const ZSqlCancelRequestSchema = z.object({ runId: z.uuid() });
export const ZSqlHistoryRequestSchema = ZHistoryInput;
export const ZSavedQueryRequestSchema = z.object({ id: ZSavedQueryId });
export const ZSavedQueryCreateRequestSchema = ZSavedQueryFields;
export const ZSavedQueryUpdateRequestSchema = ZSavedQueryPatch.extend({ id: ZSavedQueryId });

export const sqlRouter = createTRPCRouter({
  /**
   * Streamed (the browser's httpBatchStreamLink, lib/trpc/client.tsx): the columns, rows as the
   * engine produces them, then the totals. A reader that goes away stops the query.
   */
  run: analystProcedure.input(ZSqlRunRequestSchema).mutation(async function* ({ ctx, input }) {
    for await (const event of ctx.runtime.sql.stream(ctx.workspace.id, ctx.user.id, input)) {
      // Rows go as one JSON text: they are plain JSON already (server/query/query-engine.ts),
      // and the transformer (superjson) walking every cell cost ~100 ms per 2,048-row batch
      // of fact_events — most of the time to the first rows (bench sql).
      yield event.type === 'rows'
        ? { type: 'rows' as const, rowsJson: JSON.stringify(event.rows) }
        : event;
    }
  }),
  /** Script mode: every statement in turn, stopping at the first failure. */
  runScript: analystProcedure.input(ZSqlRunScriptRequestSchema).mutation(async ({ ctx, input }) => {
    const { runId, statements } = await ctx.runtime.sql.runScript(
      ctx.workspace.id,
      ctx.user.id,
      input,
    );
    // Rows as JSON text, as in `run`.
    return {
      runId,
      statements: statements.map(({ result, ...statement }) => ({
        ...statement,
        result: result && { ...result, rows: [], rowsJson: JSON.stringify(result.rows) },
      })),
    };
  }),
  cancel: analystProcedure
    .input(ZSqlCancelRequestSchema)
    .output(z.object({ cancelled: z.boolean().describe('False when it was not running') }))
    .mutation(({ ctx, input }) => ({
      cancelled: ctx.runtime.sql.cancel(ctx.workspace.id, ctx.user.id, input.runId),
    })),
  schema: analystProcedure.query(({ ctx }) =>
    loadSqlSchema(
      {
        prisma: ctx.runtime.prisma,
        engine: ctx.runtime.queryEngine,
        dataDir: ctx.runtime.config.dataDir,
      },
      ctx.workspace.id,
    ),
  ),
  history: analystProcedure
    .input(ZSqlHistoryRequestSchema)
    .query(({ ctx, input }) =>
      listHistory(ctx.runtime.prisma, ctx.workspace.id, ctx.user.id, input),
    ),
  saved: createTRPCRouter({
    list: analystProcedure.query(({ ctx }) =>
      listSavedQueries(ctx.runtime.prisma, ctx.workspace.id, ctx.user.id),
    ),
    get: analystProcedure
      .input(ZSavedQueryRequestSchema)
      .query(({ ctx, input }) =>
        getSavedQuery(ctx.runtime.prisma, ctx.workspace.id, ctx.user.id, input.id),
      ),
    create: analystProcedure
      .input(ZSavedQueryCreateRequestSchema)
      .mutation(({ ctx, input }) =>
        createSavedQuery(ctx.runtime.prisma, ctx.workspace.id, ctx.user.id, input),
      ),
    update: analystProcedure
      .input(ZSavedQueryUpdateRequestSchema)
      .mutation(({ ctx, input: { id, ...patch } }) =>
        updateSavedQuery(
          ctx.runtime.prisma,
          ctx.workspace.id,
          { id: ctx.user.id, isAdmin: ctx.role === 'admin' },
          id,
          patch,
        ),
      ),
    delete: analystProcedure
      .input(ZSavedQueryRequestSchema)
      .mutation(({ ctx, input }) =>
        deleteSavedQuery(
          ctx.runtime.prisma,
          ctx.workspace.id,
          { id: ctx.user.id, isAdmin: ctx.role === 'admin' },
          input.id,
        ),
      ),
  }),
});
