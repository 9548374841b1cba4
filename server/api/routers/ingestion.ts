// Admin → Ingestion: throughput and lag, recent events, dead letters with replay.
import { z } from 'zod';
import { createTRPCRouter, workspaceProcedure } from '../trpc';
import { ingestionOverview } from '../../ingest/monitor/overview';
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

export const ingestionRouter = createTRPCRouter({
  overview: adminProcedure.query(({ ctx }) => ingestionOverview(ctx.runtime, ctx.workspace.id)),
  recent: adminProcedure
    .input(ZRecentEventsRequestSchema)
    .query(({ ctx, input }) => ctx.runtime.liveHub.recentEvents(ctx.workspace.id, input.event)),
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
