// Data → Catalog: the dbt project's sources, models, columns, tests and lineage as of the
// workspace's current run, the kept versions of its marts, and a preview of a mart's rows —
// as of the current run or an earlier kept one (time travel). Every member may read it.
import { z } from 'zod';
import { createTRPCRouter, workspaceProcedure } from '../trpc';
import { loadCatalog } from '../../catalog/dbt-catalog';
import { AppError } from '../../errors';

const viewerProcedure = workspaceProcedure('viewer');

export const ZCatalogPreviewRequestSchema = z.object({
  name: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'not a mart name')
    .describe('A mart, e.g. fact_events'),
  limit: z.number().int().min(1).max(200).default(50),
  runId: z
    .uuid('not a run id')
    .nullish()
    .describe('Read the marts as of this kept run (default: the current run)'),
});

export const catalogRouter = createTRPCRouter({
  get: viewerProcedure.query(async ({ ctx }) => {
    const { prisma, queryEngine, config } = ctx.runtime;
    return loadCatalog(prisma, queryEngine, config.dataDir, ctx.workspace.id);
  }),
  versions: viewerProcedure.query(({ ctx }) => ctx.runtime.pipelines.versions(ctx.workspace.id)),
  preview: viewerProcedure.input(ZCatalogPreviewRequestSchema).query(async ({ ctx, input }) => {
    const { prisma, queryEngine: engine, config, pipelines } = ctx.runtime;
    const catalog = await loadCatalog(prisma, engine, config.dataDir, ctx.workspace.id);
    const node = catalog.nodes.find((n) => n.name === input.name && n.queryable);
    if (!node)
      throw new AppError(
        'NOT_FOUND',
        `"${input.name}" cannot be queried in this workspace: only the marts, the stored staging models and the workspace's bronze rows can (intermediate models and views dbt inlines are not stored).`,
      );
    const schema = await pipelines.schemaAt(ctx.workspace.id, input.runId);
    return engine.execute(`select * from "${node.relation}" limit ${input.limit}`, {
      schema,
      maxRows: input.limit,
    });
  }),
});
