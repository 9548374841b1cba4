// Dashboards: grids of saved-insight and text tiles with a shared date range and filters. Every
// member views them, runs their tiles and pins one as their own home; analysts create, arrange
// and delete. Thin: the work is in server/dashboards/dashboards.ts.
import { z } from 'zod';
import { createTRPCRouter, workspaceProcedure } from '../trpc';
import type { InsightQuery, InsightResponse } from '../../insights/insight-service';
import {
  addTile,
  createDashboard,
  createFromTemplate,
  deleteDashboard,
  duplicateDashboard,
  getDashboard,
  homeDashboard,
  listDashboards,
  pinHome,
  removeTile,
  runQueryTile,
  runTile,
  updateDashboard,
  updateLayout,
  ZDashboardInput,
  ZLayoutItem,
  ZNewTile,
  ZRunOverrides,
} from '../../dashboards/dashboards';
import { ZDashboardFilters } from '../../dashboards/dashboard-filters';
import { ZTileLayout } from '../../dashboards/layout';
import { TEMPLATES } from '../../dashboards/product-overview-template';
import { ZSavedInsightSchema } from './saved-insights';

const ZDashboardId = z.string().min(1).max(100).describe('Id of a dashboard');
const ZTileId = z.string().min(1).max(100).describe('Id of a tile on the dashboard');
const ZCreatedBy = z.object({ name: z.string(), email: z.string() }).nullable();

export const ZDashboardSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  template: z.string().nullable().describe('Template it was created from'),
  tileCount: z.number().int(),
  createdBy: ZCreatedBy,
  createdAt: z.date(),
  updatedAt: z.date(),
  isHome: z.boolean().describe("Whether it is the caller's pinned home dashboard"),
});

export const ZDashboardTileSchema = ZTileLayout.extend({
  id: z.string(),
  type: z.enum(['insight', 'text', 'query']),
  text: z.string().nullable(),
  insight: ZSavedInsightSchema.nullable(),
  savedQuery: z
    .object({ id: z.string(), name: z.string(), description: z.string().nullable() })
    .nullable()
    .describe('A SQL query tile’s saved query'),
});

export const ZDashboardResponseSchema = ZDashboardSummarySchema.omit({ tileCount: true }).extend({
  filters: ZDashboardFilters,
  tiles: z.array(ZDashboardTileSchema),
});

export const ZDashboardListResponseSchema = z.array(ZDashboardSummarySchema);
export const ZDashboardGetRequestSchema = z.object({ id: ZDashboardId });
export const ZDashboardCreateRequestSchema = ZDashboardInput;
export const ZDashboardUpdateRequestSchema = ZDashboardInput.partial().extend({ id: ZDashboardId });
export const ZDashboardDeleteRequestSchema = z.object({ id: ZDashboardId });
export const ZDashboardDuplicateRequestSchema = z.object({
  id: ZDashboardId,
  name: z
    .string()
    .trim()
    .max(200)
    .optional()
    .describe('Name of the copy; "<name> (copy)" if absent'),
});
export const ZDashboardAddTileRequestSchema = z.object({
  dashboardId: ZDashboardId,
  tile: ZNewTile,
  size: ZTileLayout.pick({ w: true, h: true }).optional().describe('Defaults by tile type'),
});
export const ZDashboardUpdateLayoutRequestSchema = z.object({
  dashboardId: ZDashboardId,
  layout: z.array(ZLayoutItem).max(200).describe('Every tile of the dashboard with its position'),
});
export const ZDashboardRemoveTileRequestSchema = z.object({
  dashboardId: ZDashboardId,
  tileId: ZTileId,
});
export const ZDashboardRunTileRequestSchema = ZRunOverrides.extend({
  dashboardId: ZDashboardId,
  tileId: ZTileId,
});
export const ZDashboardRunTileResponseSchema = z.object({
  tileId: z.string(),
  query: z.custom<InsightQuery>().describe('The tile query with the dashboard range and filters'),
  response: z.custom<InsightResponse>().describe('Result, SQL, run id, computedAt and cached'),
});
export const ZDashboardHomeResponseSchema = z.object({
  dashboard: ZDashboardResponseSchema.nullable().describe('null when the workspace has none'),
  pinned: z.boolean().describe('false when it is the workspace’s first dashboard, not a pin'),
});
export const ZDashboardPinRequestSchema = z.object({
  dashboardId: ZDashboardId.nullable().describe('null unpins'),
});
export const ZDashboardPinResponseSchema = z.object({ homeDashboardId: z.string().nullable() });
export const ZDashboardFromTemplateRequestSchema = z.object({
  template: z.enum(Object.keys(TEMPLATES) as [string, ...string[]]).describe('Template id'),
  name: z.string().trim().max(200).optional(),
  pin: z.boolean().default(false).describe("Also pin it as the caller's home"),
});
export type TDashboardResponse = z.infer<typeof ZDashboardResponseSchema>;
export type TDashboardRunTileResponse = z.infer<typeof ZDashboardRunTileResponseSchema>;

const viewer = workspaceProcedure('viewer');
const analyst = workspaceProcedure('analyst');

export const dashboardsRouter = createTRPCRouter({
  list: viewer
    .output(ZDashboardListResponseSchema)
    .query(({ ctx }) => listDashboards(ctx.runtime.prisma, ctx.workspace.id, ctx.user.id)),
  get: viewer
    .input(ZDashboardGetRequestSchema)
    .output(ZDashboardResponseSchema)
    .query(({ ctx, input }) =>
      getDashboard(ctx.runtime.prisma, ctx.workspace.id, ctx.user.id, input.id),
    ),
  home: viewer
    .output(ZDashboardHomeResponseSchema)
    .query(({ ctx }) => homeDashboard(ctx.runtime.prisma, ctx.workspace.id, ctx.user.id)),
  runTile: viewer
    .input(ZDashboardRunTileRequestSchema)
    .output(ZDashboardRunTileResponseSchema)
    .query(({ ctx, input: { dashboardId, tileId, ...overrides } }) =>
      runTile(ctx.runtime, ctx.workspace.id, dashboardId, tileId, overrides),
    ),
  runQueryTile: viewer
    .input(ZDashboardRunTileRequestSchema)
    .query(({ ctx, input: { dashboardId, tileId, ...overrides } }) =>
      runQueryTile(ctx.runtime, ctx.workspace.id, dashboardId, tileId, overrides),
    ),
  pin: viewer
    .input(ZDashboardPinRequestSchema)
    .output(ZDashboardPinResponseSchema)
    .mutation(({ ctx, input }) =>
      pinHome(ctx.runtime.prisma, ctx.workspace.id, ctx.user.id, input.dashboardId),
    ),
  create: analyst
    .input(ZDashboardCreateRequestSchema)
    .output(ZDashboardResponseSchema)
    .mutation(({ ctx, input }) =>
      createDashboard(ctx.runtime.prisma, ctx.workspace.id, ctx.user.id, input),
    ),
  update: analyst
    .input(ZDashboardUpdateRequestSchema)
    .output(ZDashboardResponseSchema)
    .mutation(({ ctx, input: { id, ...patch } }) =>
      updateDashboard(ctx.runtime.prisma, ctx.workspace.id, ctx.user.id, id, patch),
    ),
  delete: analyst
    .input(ZDashboardDeleteRequestSchema)
    .output(z.object({ id: z.string() }))
    .mutation(({ ctx, input }) => deleteDashboard(ctx.runtime.prisma, ctx.workspace.id, input.id)),
  duplicate: analyst
    .input(ZDashboardDuplicateRequestSchema)
    .output(ZDashboardResponseSchema)
    .mutation(({ ctx, input }) =>
      duplicateDashboard(ctx.runtime.prisma, ctx.workspace.id, ctx.user.id, input.id, input.name),
    ),
  addTile: analyst
    .input(ZDashboardAddTileRequestSchema)
    .output(ZDashboardResponseSchema)
    .mutation(({ ctx, input }) =>
      addTile(
        ctx.runtime.prisma,
        ctx.workspace.id,
        ctx.user.id,
        input.dashboardId,
        input.tile,
        input.size,
      ),
    ),
  updateLayout: analyst
    .input(ZDashboardUpdateLayoutRequestSchema)
    .output(ZDashboardResponseSchema)
    .mutation(({ ctx, input }) =>
      updateLayout(
        ctx.runtime.prisma,
        ctx.workspace.id,
        ctx.user.id,
        input.dashboardId,
        input.layout,
      ),
    ),
  removeTile: analyst
    .input(ZDashboardRemoveTileRequestSchema)
    .output(ZDashboardResponseSchema)
    .mutation(({ ctx, input }) =>
      removeTile(
        ctx.runtime.prisma,
        ctx.workspace.id,
        ctx.user.id,
        input.dashboardId,
        input.tileId,
      ),
    ),
  fromTemplate: analyst
    .input(ZDashboardFromTemplateRequestSchema)
    .output(ZDashboardResponseSchema)
    .mutation(async ({ ctx, input }) => {
      const { id } = await createFromTemplate(
        ctx.runtime.prisma,
        ctx.workspace.id,
        ctx.user.id,
        input.template,
        { name: input.name },
      );
      if (input.pin) await pinHome(ctx.runtime.prisma, ctx.workspace.id, ctx.user.id, id);
      return getDashboard(ctx.runtime.prisma, ctx.workspace.id, ctx.user.id, id);
    }),
});
