// Insights: typed product-analytics queries (trends, funnels, …) on the workspace's current
// marts. The query object is validated by its zod schema (the same object URLs and dashboard
// tiles store); every member may run one. Thin: the work is in server/insights/.
import { z } from 'zod';
import { createTRPCRouter, workspaceProcedure } from '../trpc';
import { ZInsightQuery } from '../../insights/insight-service';
import { ZFunnelsQuery } from '../../insights/funnels';

export const ZFunnelUsersRequestSchema = z.object({
  query: ZFunnelsQuery,
  step: z.number().int().min(0).max(19).describe('0-based step of the funnel'),
  outcome: z
    .enum(['converted', 'dropped'])
    .describe('converted: reached the step; dropped: reached the step before, not this one'),
  limit: z.number().int().min(1).max(1000).default(100),
});

export const insightsRouter = createTRPCRouter({
  run: workspaceProcedure('viewer')
    .input(ZInsightQuery)
    .query(({ ctx, input }) => ctx.runtime.insights.run(ctx.workspace.id, input)),
  funnelUsers: workspaceProcedure('viewer')
    .input(ZFunnelUsersRequestSchema)
    .query(({ ctx, input: { query, ...who } }) =>
      ctx.runtime.insights.funnelUsers(ctx.workspace.id, query, who),
    ),
});
