import { createTRPCRouter, publicProcedure } from '../trpc';
import { ZHealthResponseSchema } from '../schemas';

export const systemRouter = createTRPCRouter({
  health: publicProcedure.output(ZHealthResponseSchema).query(async ({ ctx }) => {
    const engine = await ctx.runtime.engine.health();
    return {
      ok: engine.ok,
      metadata: ctx.runtime.mode.metadata,
      queryEngine: ctx.runtime.mode.queryEngine,
      intake: ctx.runtime.mode.intake,
      engine,
      startedAt: ctx.runtime.startedAt,
    };
  }),
});
