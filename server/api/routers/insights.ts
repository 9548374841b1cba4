// Insights: typed product-analytics queries (trends, …) on the workspace's current marts. The
// query object is validated by its zod schema (the same object URLs and dashboard tiles store);
// every member may run one. Thin: the work is in server/insights/.
import { createTRPCRouter, workspaceProcedure } from '../trpc';
import { ZInsightQuery } from '../../insights/insight-service';

export const insightsRouter = createTRPCRouter({
  run: workspaceProcedure('viewer')
    .input(ZInsightQuery)
    .query(({ ctx, input }) => ctx.runtime.insights.run(ctx.workspace.id, input)),
});
