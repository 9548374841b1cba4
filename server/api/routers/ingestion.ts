// Admin → Ingestion: throughput and lag, recent events, file imports, dead letters with replay.
import { z } from 'zod';
import { createTRPCRouter, workspaceProcedure } from '../trpc';
import { ingestionOverview } from '../../ingest/monitor/overview';
import { MAX_FILES_PER_IMPORT } from '../../ingest/import/import-jobs';
import { listDeadLetters, replayDeadLetter } from '../../ingest/monitor/dead-letters';

const adminProcedure = workspaceProcedure('admin');

export const ZRecentEventsRequestSchema = z.object({
  event: z.string().max(200).optional().describe('Only this event name'),
});
export const ZDeadLettersListRequestSchema = z.object({
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.string().max(100).optional(),
  includeReplayed: z.boolean().default(false).describe('Also list letters that were replayed'),
});
export const ZReplayRequestSchema = z.object({
  id: z.string().min(1).max(100),
  payload: z.unknown().optional().describe('A corrected event to replay instead of the stored one'),
});

const ZImportId = z.uuid('not an import id');
export const ZImportStartRequestSchema = z.object({
  uploadIds: z
    .array(z.uuid('not an upload id'))
    .min(1, 'choose at least one file')
    .max(MAX_FILES_PER_IMPORT, `an import takes at most ${MAX_FILES_PER_IMPORT} files`)
    .describe('Ids answered by POST /api/ingest/uploads'),
});
export const ZImportRequestSchema = z.object({ id: ZImportId });

export const ingestionRouter = createTRPCRouter({
  overview: adminProcedure.query(({ ctx }) => ingestionOverview(ctx.runtime, ctx.workspace)),
  recent: adminProcedure
    .input(ZRecentEventsRequestSchema)
    .query(({ ctx, input }) => ctx.runtime.liveHub.recentEvents(ctx.workspace.id, input.event)),
  imports: createTRPCRouter({
    list: adminProcedure.query(({ ctx }) => ctx.runtime.importJobs.list(ctx.workspace.id)),
    get: adminProcedure
      .input(ZImportRequestSchema)
      .query(({ ctx, input }) => ctx.runtime.importJobs.get(ctx.workspace.id, input.id)),
    start: adminProcedure
      .input(ZImportStartRequestSchema)
      .mutation(({ ctx, input }) =>
        ctx.runtime.importJobs.start(
          ctx.workspace.id,
          { id: ctx.user.id, email: ctx.user.email, ip: ctx.clientIp },
          input.uploadIds,
        ),
      ),
    cancel: adminProcedure
      .input(ZImportRequestSchema)
      .mutation(({ ctx, input }) => ctx.runtime.importJobs.cancel(ctx.workspace.id, input.id)),
  }),
  deadLetters: createTRPCRouter({
    list: adminProcedure
      .input(ZDeadLettersListRequestSchema)
      .query(({ ctx, input }) => listDeadLetters(ctx.runtime.prisma, ctx.workspace.id, input)),
    replay: adminProcedure
      .input(ZReplayRequestSchema)
      .mutation(({ ctx, input }) =>
        replayDeadLetter(
          { db: ctx.runtime.prisma, wal: ctx.runtime.wal, bus: ctx.runtime.ingestBus },
          ctx.workspace.id,
          { id: ctx.user.id, email: ctx.user.email, ip: ctx.clientIp },
          input,
        ),
      ),
  }),
});
