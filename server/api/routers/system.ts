import { createTRPCRouter, publicProcedure, workspaceProcedure } from '../trpc';
import { ZHealthResponseSchema, ZSystemPartsResponseSchema } from '../schemas';
import { systemParts } from '../../system/parts';

export const systemRouter = createTRPCRouter({
  health: publicProcedure.output(ZHealthResponseSchema).query(async ({ ctx }) => {
    const engine = await ctx.runtime.queryEngine.health();
    return {
      ok: engine.ok,
      metadata: ctx.runtime.mode.metadata,
      queryEngine: ctx.runtime.mode.queryEngine,
      intake: ctx.runtime.mode.intake,
      engine,
      startedAt: ctx.runtime.startedAt,
    };
  }),
  /** Admin → System: each part's implementation and health. */
  parts: workspaceProcedure('admin')
    .output(ZSystemPartsResponseSchema)
    .query(({ ctx }) => systemParts(ctx.runtime, ctx.workspace.id)),
});
