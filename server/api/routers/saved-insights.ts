// Saved insights: named insight queries that dashboards show as tiles. Every member reads them;
// analysts create, edit and delete. Thin: the work is in server/dashboards/saved-insights.ts.
import { z } from 'zod';
import { createTRPCRouter, workspaceProcedure } from '../trpc';
import type { InsightQuery } from '../../insights/insight-service';
import {
  createSavedInsight,
  deleteSavedInsight,
  getSavedInsight,
  listSavedInsights,
  updateSavedInsight,
  ZChartType,
  ZSavedInsightInput,
} from '../../dashboards/saved-insights';

const ZInsightId = z.string().min(1).max(100).describe('Id of a saved insight');

export const ZSavedInsightSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  query: z.custom<InsightQuery>().describe('The insight query object (ZInsightQuery)'),
  chartType: ZChartType.nullable(),
  createdBy: z.object({ name: z.string(), email: z.string() }).nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  tileCount: z.number().int().describe('Dashboard tiles showing this insight'),
});

export const ZSavedInsightListResponseSchema = z.array(ZSavedInsightSchema);
export const ZSavedInsightGetRequestSchema = z.object({ id: ZInsightId });
export const ZSavedInsightCreateRequestSchema = ZSavedInsightInput;
export const ZSavedInsightUpdateRequestSchema = ZSavedInsightInput.partial().extend({
  id: ZInsightId,
});
export const ZSavedInsightDeleteRequestSchema = z.object({ id: ZInsightId });
export const ZSavedInsightDeleteResponseSchema = z.object({
  id: z.string(),
  tilesRemoved: z.number().int().describe('Dashboard tiles that showed it and were removed'),
});
export type TSavedInsightCreateRequest = z.input<typeof ZSavedInsightCreateRequestSchema>;
export type TSavedInsightResponse = z.infer<typeof ZSavedInsightSchema>;

export const savedInsightsRouter = createTRPCRouter({
  list: workspaceProcedure('viewer')
    .output(ZSavedInsightListResponseSchema)
    .query(({ ctx }) => listSavedInsights(ctx.runtime.prisma, ctx.workspace.id)),
  get: workspaceProcedure('viewer')
    .input(ZSavedInsightGetRequestSchema)
    .output(ZSavedInsightSchema)
    .query(({ ctx, input }) => getSavedInsight(ctx.runtime.prisma, ctx.workspace.id, input.id)),
  create: workspaceProcedure('analyst')
    .input(ZSavedInsightCreateRequestSchema)
    .output(ZSavedInsightSchema)
    .mutation(({ ctx, input }) =>
      createSavedInsight(ctx.runtime.prisma, ctx.workspace.id, ctx.user.id, input),
    ),
  update: workspaceProcedure('analyst')
    .input(ZSavedInsightUpdateRequestSchema)
    .output(ZSavedInsightSchema)
    .mutation(({ ctx, input: { id, ...patch } }) =>
      updateSavedInsight(ctx.runtime.prisma, ctx.workspace.id, id, patch),
    ),
  delete: workspaceProcedure('analyst')
    .input(ZSavedInsightDeleteRequestSchema)
    .output(ZSavedInsightDeleteResponseSchema)
    .mutation(({ ctx, input }) =>
      deleteSavedInsight(ctx.runtime.prisma, ctx.workspace.id, input.id),
    ),
});
