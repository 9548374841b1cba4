// Dashboards: grids of tiles (saved insights and text notes) with a date range and property
// filters that apply to every insight tile, a personal pinned home dashboard per member, and the
// "Product overview" template. Running a tile applies the dashboard's range and filters to the
// tile's query (dashboard-filters.ts) and hands it to the InsightService, whose cache is keyed by
// (workspace, marts run, query): a dashboard opened again before the next dbt run is answered
// from memory. Every read and write is scoped by workspace id; another workspace's ids are
// NOT_FOUND.
import { z } from 'zod';
import type { PrismaClient } from '../db/client';
import type { Prisma } from '../db/generated/client';
import { AppError } from '../errors';
import type { InsightQuery, InsightResponse, InsightService } from '../insights/insight-service';
import {
  applyDashboardFilters,
  readDashboardFilters,
  ZDashboardFilters,
  type DashboardFilters,
} from './dashboard-filters';
import { DEFAULT_SIZE, placeBelow, validateLayout, ZTileLayout, type TileLayout } from './layout';
import {
  createSavedInsight,
  toSavedInsight,
  ZSavedInsightInput,
  type SavedInsight,
} from './saved-insights';
import { TEMPLATES } from './product-overview-template';
import { resolveDateRange, ZDashboardDateRange } from './dashboard-filters';
import { ZPropertyFilter } from '../insights/properties';
import type { SavedQueryTileRun, SqlService } from '../sql/sql-service';

export interface DashboardDeps {
  prisma: PrismaClient;
  insights: Pick<InsightService, 'run'>;
  sql: Pick<SqlService, 'runForTile'>;
}

export const ZDashboardInput = z.object({
  name: z.string().trim().min(1, 'Give the dashboard a name').max(200),
  description: z.string().trim().max(2000).nullish(),
  filters: ZDashboardFilters.optional(),
});
export type DashboardInput = z.input<typeof ZDashboardInput>;

export const ZNewTile = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('insight'),
    insightId: z.string().min(1).max(100).describe('A saved insight of this workspace'),
  }),
  z.object({
    type: z.literal('new_insight'),
    insight: ZSavedInsightInput.describe('Saved on the way, then added'),
  }),
  z.object({
    type: z.literal('text'),
    text: z.string().trim().min(1, 'Write some text').max(5000).describe('Plain text, shown as is'),
  }),
  z.object({
    type: z.literal('query'),
    savedQueryId: z
      .string()
      .min(1)
      .max(100)
      .describe('A shared saved SQL query of this workspace, charted as it was saved'),
  }),
]);
export type NewTile = z.input<typeof ZNewTile>;

export interface DashboardTile extends TileLayout {
  id: string;
  type: 'insight' | 'text' | 'query';
  text: string | null;
  insight: SavedInsight | null;
  /** A query tile's saved query (its SQL runs through dashboards.runQueryTile). */
  savedQuery: { id: string; name: string; description: string | null } | null;
}

export interface DashboardSummary {
  id: string;
  name: string;
  description: string | null;
  template: string | null;
  tileCount: number;
  createdBy: { name: string; email: string } | null;
  createdAt: Date;
  updatedAt: Date;
  /** Whether it is the caller's pinned home dashboard. */
  isHome: boolean;
}

export interface Dashboard extends Omit<DashboardSummary, 'tileCount'> {
  filters: DashboardFilters;
  tiles: DashboardTile[];
}

const insightSelect = {
  id: true,
  name: true,
  description: true,
  query: true,
  chartType: true,
  createdAt: true,
  updatedAt: true,
  createdBy: { select: { name: true, email: true } },
  _count: { select: { tiles: true } },
} as const;

const dashboardSelect = {
  id: true,
  name: true,
  description: true,
  template: true,
  filters: true,
  createdAt: true,
  updatedAt: true,
  createdBy: { select: { name: true, email: true } },
  tiles: {
    orderBy: [{ y: 'asc' }, { x: 'asc' }],
    select: {
      id: true,
      type: true,
      text: true,
      x: true,
      y: true,
      w: true,
      h: true,
      insight: { select: insightSelect },
      savedQuery: { select: { id: true, name: true, description: true } },
    },
  },
} as const satisfies Prisma.DashboardSelect;

type DashboardRow = Prisma.DashboardGetPayload<{ select: typeof dashboardSelect }>;

const notFound = () =>
  new AppError(
    'NOT_FOUND',
    'No such dashboard in this workspace. It may have been deleted; open Dashboards to pick another.',
  );
const tileNotFound = () =>
  new AppError('NOT_FOUND', 'No such tile on this dashboard. It may have been removed; reload.');

function toDashboard(row: DashboardRow, homeId: string | null): Dashboard {
  const { tiles, filters, ...rest } = row;
  return {
    ...rest,
    filters: readDashboardFilters(filters),
    isHome: row.id === homeId,
    tiles: tiles.map((t) => ({
      ...t,
      type: t.type === 'text' ? 'text' : t.type === 'query' ? 'query' : 'insight',
      insight: t.insight ? toSavedInsight(t.insight) : null,
    })),
  };
}

async function homeIdOf(prisma: PrismaClient, workspaceId: string, userId: string) {
  const m = await prisma.membership.findFirst({
    where: { workspaceId, userId },
    select: { homeDashboardId: true },
  });
  return m?.homeDashboardId ?? null;
}

export async function listDashboards(
  prisma: PrismaClient,
  workspaceId: string,
  userId: string,
): Promise<DashboardSummary[]> {
  const [rows, homeId] = await Promise.all([
    prisma.dashboard.findMany({
      where: { workspaceId },
      orderBy: { createdAt: 'asc' },
      select: {
        id: true,
        name: true,
        description: true,
        template: true,
        createdAt: true,
        updatedAt: true,
        createdBy: { select: { name: true, email: true } },
        _count: { select: { tiles: true } },
      },
    }),
    homeIdOf(prisma, workspaceId, userId),
  ]);
  return rows.map(({ _count, ...r }) => ({
    ...r,
    tileCount: _count.tiles,
    isHome: r.id === homeId,
  }));
}

export async function findDashboard(
  prisma: PrismaClient,
  workspaceId: string,
  userId: string,
  id: string,
): Promise<Dashboard | undefined> {
  const [row, homeId] = await Promise.all([
    prisma.dashboard.findFirst({ where: { id, workspaceId }, select: dashboardSelect }),
    homeIdOf(prisma, workspaceId, userId),
  ]);
  return row ? toDashboard(row, homeId) : undefined;
}

export async function getDashboard(
  prisma: PrismaClient,
  workspaceId: string,
  userId: string,
  id: string,
): Promise<Dashboard> {
  const found = await findDashboard(prisma, workspaceId, userId, id);
  if (!found) throw notFound();
  return found;
}

/** Throws NOT_FOUND unless the dashboard belongs to the workspace. */
async function assertDashboard(
  prisma: Pick<PrismaClient, 'dashboard'>,
  workspaceId: string,
  id: string,
): Promise<void> {
  const n = await prisma.dashboard.count({ where: { id, workspaceId } });
  if (!n) throw notFound();
}

export async function createDashboard(
  prisma: PrismaClient,
  workspaceId: string,
  userId: string,
  input: DashboardInput,
): Promise<Dashboard> {
  const data = ZDashboardInput.parse(input);
  const row = await prisma.dashboard.create({
    data: {
      workspaceId,
      createdById: userId,
      name: data.name,
      description: data.description ?? null,
      filters: (data.filters ?? { filters: [] }) as Prisma.InputJsonValue,
    },
    select: { id: true },
  });
  return getDashboard(prisma, workspaceId, userId, row.id);
}

export async function updateDashboard(
  prisma: PrismaClient,
  workspaceId: string,
  userId: string,
  id: string,
  patch: Partial<DashboardInput>,
): Promise<Dashboard> {
  const data = ZDashboardInput.partial().parse(patch);
  const { count } = await prisma.dashboard.updateMany({
    where: { id, workspaceId },
    data: {
      ...(data.name !== undefined && { name: data.name }),
      ...(data.description !== undefined && { description: data.description }),
      ...(data.filters !== undefined && { filters: data.filters as Prisma.InputJsonValue }),
    },
  });
  if (!count) throw notFound();
  return getDashboard(prisma, workspaceId, userId, id);
}

export async function deleteDashboard(
  prisma: PrismaClient,
  workspaceId: string,
  id: string,
): Promise<{ id: string }> {
  const { count } = await prisma.dashboard.deleteMany({ where: { id, workspaceId } });
  if (!count) throw notFound();
  return { id };
}

/** A copy with the same filters and tiles (tiles show the same saved insights). */
export async function duplicateDashboard(
  prisma: PrismaClient,
  workspaceId: string,
  userId: string,
  id: string,
  name?: string,
): Promise<Dashboard> {
  const source = await getDashboard(prisma, workspaceId, userId, id);
  const copy = await prisma.dashboard.create({
    data: {
      workspaceId,
      createdById: userId,
      name: (name?.trim() || `${source.name} (copy)`).slice(0, 200),
      description: source.description,
      template: source.template,
      filters: source.filters as Prisma.InputJsonValue,
      tiles: {
        create: source.tiles.map((t) => ({
          type: t.type,
          insightId: t.insight?.id ?? null,
          savedQueryId: t.savedQuery?.id ?? null,
          text: t.text,
          x: t.x,
          y: t.y,
          w: t.w,
          h: t.h,
        })),
      },
    },
    select: { id: true },
  });
  return getDashboard(prisma, workspaceId, userId, copy.id);
}

/** Adds a tile on a new row below the others (the grid lets the user move it after). */
export async function addTile(
  prisma: PrismaClient,
  workspaceId: string,
  userId: string,
  dashboardId: string,
  tile: NewTile,
  size?: { w: number; h: number },
): Promise<Dashboard> {
  const parsed = ZNewTile.parse(tile);
  await assertDashboard(prisma, workspaceId, dashboardId);
  const existing = await prisma.dashboardTile.findMany({
    where: { dashboardId },
    select: { x: true, y: true, w: true, h: true },
  });
  const kind = parsed.type === 'text' ? 'text' : parsed.type === 'query' ? 'query' : 'insight';
  const layout = placeBelow(existing, size ?? DEFAULT_SIZE[kind]);
  validateLayout([{ id: 'new', ...layout }]);
  await prisma.$transaction(async (tx) => {
    let insightId: string | null = null;
    if (parsed.type === 'insight') {
      const found = await tx.savedInsight.count({ where: { id: parsed.insightId, workspaceId } });
      if (!found)
        throw new AppError(
          'NOT_FOUND',
          'No such saved insight in this workspace. Save the insight first, then add it.',
        );
      insightId = parsed.insightId;
    } else if (parsed.type === 'new_insight')
      insightId = (await createSavedInsight(tx, workspaceId, userId, parsed.insight)).id;
    if (parsed.type === 'query') {
      const query = await tx.savedQuery.findFirst({
        where: { id: parsed.savedQueryId, workspaceId },
        select: { shared: true, name: true },
      });
      if (!query)
        throw new AppError(
          'NOT_FOUND',
          'No such saved query in this workspace. Save the query first, then add it.',
        );
      if (!query.shared)
        throw new AppError(
          'BAD_REQUEST',
          `"${query.name}" is private: share it with the workspace before putting it on a dashboard, so everyone who sees the dashboard can see it.`,
        );
    }
    await tx.dashboardTile.create({
      data: {
        dashboardId,
        type: kind,
        insightId,
        savedQueryId: parsed.type === 'query' ? parsed.savedQueryId : null,
        text: parsed.type === 'text' ? parsed.text : null,
        ...layout,
      },
    });
    await tx.dashboard.update({ where: { id: dashboardId }, data: { updatedAt: new Date() } });
  });
  return getDashboard(prisma, workspaceId, userId, dashboardId);
}

export const ZLayoutItem = ZTileLayout.extend({ id: z.string().min(1).max(100) });

/** Stores a new arrangement; it must list every tile of the dashboard exactly once. */
export async function updateLayout(
  prisma: PrismaClient,
  workspaceId: string,
  userId: string,
  dashboardId: string,
  layout: readonly z.input<typeof ZLayoutItem>[],
): Promise<Dashboard> {
  await assertDashboard(prisma, workspaceId, dashboardId);
  const tiles = await prisma.dashboardTile.findMany({
    where: { dashboardId },
    select: { id: true },
  });
  const ids = new Set(tiles.map((t) => t.id));
  const given = new Set<string>();
  for (const item of layout) {
    if (!ids.has(item.id))
      throw new AppError(
        'BAD_REQUEST',
        `Tile ${item.id} is not on this dashboard. Reload the dashboard and arrange it again.`,
        { tileId: item.id },
      );
    if (given.has(item.id))
      throw new AppError('BAD_REQUEST', `Tile ${item.id} appears twice in the layout.`, {
        tileId: item.id,
      });
    given.add(item.id);
  }
  const missing = [...ids].filter((id) => !given.has(id));
  if (missing.length)
    throw new AppError(
      'BAD_REQUEST',
      `The layout leaves out ${missing.length} tile(s) of this dashboard (${missing.join(', ')}): send every tile's position.`,
      { tileIds: missing },
    );
  validateLayout(layout);
  await prisma.$transaction([
    ...layout.map((t) =>
      prisma.dashboardTile.update({
        where: { id: t.id },
        data: { x: t.x, y: t.y, w: t.w, h: t.h },
      }),
    ),
    prisma.dashboard.update({ where: { id: dashboardId }, data: { updatedAt: new Date() } }),
  ]);
  return getDashboard(prisma, workspaceId, userId, dashboardId);
}

export async function removeTile(
  prisma: PrismaClient,
  workspaceId: string,
  userId: string,
  dashboardId: string,
  tileId: string,
): Promise<Dashboard> {
  await assertDashboard(prisma, workspaceId, dashboardId);
  const { count } = await prisma.dashboardTile.deleteMany({ where: { id: tileId, dashboardId } });
  if (!count) throw tileNotFound();
  return getDashboard(prisma, workspaceId, userId, dashboardId);
}

/** Pins the dashboard as the caller's home in this workspace (null unpins). */
export async function pinHome(
  prisma: PrismaClient,
  workspaceId: string,
  userId: string,
  dashboardId: string | null,
): Promise<{ homeDashboardId: string | null }> {
  if (dashboardId) await assertDashboard(prisma, workspaceId, dashboardId);
  await prisma.membership.updateMany({
    where: { workspaceId, userId },
    data: { homeDashboardId: dashboardId },
  });
  return { homeDashboardId: dashboardId };
}

/**
 * The workspace home: the caller's pinned dashboard, else the workspace's first dashboard
 * (members invited after the demo dashboard was pinned still land on it), else null.
 */
export async function homeDashboard(
  prisma: PrismaClient,
  workspaceId: string,
  userId: string,
): Promise<{ dashboard: Dashboard | null; pinned: boolean }> {
  const homeId = await homeIdOf(prisma, workspaceId, userId);
  if (homeId) {
    const pinned = await findDashboard(prisma, workspaceId, userId, homeId);
    if (pinned) return { dashboard: pinned, pinned: true };
  }
  const first = await prisma.dashboard.findFirst({
    where: { workspaceId },
    orderBy: { createdAt: 'asc' },
    select: { id: true },
  });
  return {
    dashboard: first ? await getDashboard(prisma, workspaceId, userId, first.id) : null,
    pinned: false,
  };
}

/** Creates a dashboard (and its saved insights) from a template, in one transaction. */
export async function createFromTemplate(
  prisma: PrismaClient,
  workspaceId: string,
  userId: string | null,
  templateId: string,
  opts: { now?: Date; name?: string } = {},
): Promise<{ id: string }> {
  const make = TEMPLATES[templateId];
  if (!make)
    throw new AppError(
      'NOT_FOUND',
      `No dashboard template "${templateId}". Templates: ${Object.keys(TEMPLATES).join(', ')}.`,
    );
  const template = make();
  const range = template.filters.dateRange
    ? resolveDateRange(template.filters.dateRange, opts.now ?? new Date())
    : resolveDateRange({ kind: 'relative', days: 30 }, opts.now ?? new Date());
  return prisma.$transaction(async (tx) => {
    const dashboard = await tx.dashboard.create({
      data: {
        workspaceId,
        createdById: userId,
        name: opts.name?.trim() || template.name,
        description: template.description,
        template: template.id,
        filters: template.filters as Prisma.InputJsonValue,
      },
      select: { id: true },
    });
    if (template.text)
      await tx.dashboardTile.create({
        data: {
          dashboardId: dashboard.id,
          type: 'text',
          text: template.text.text,
          ...template.text.layout,
        },
      });
    for (const t of template.tiles) {
      const insight = await createSavedInsight(tx, workspaceId, userId, {
        name: t.name,
        description: t.description,
        chartType: t.chartType,
        query: t.query(range),
      });
      await tx.dashboardTile.create({
        data: { dashboardId: dashboard.id, type: 'insight', insightId: insight.id, ...t.layout },
      });
    }
    return dashboard;
  });
}

export const ZRunOverrides = z.object({
  dateRange: ZDashboardDateRange.optional().describe(
    'Replaces the dashboard’s saved date range for this run (an unsaved change in the UI)',
  ),
  // No default here: absent means "the dashboard's saved filters", [] means "none".
  filters: z
    .array(ZPropertyFilter)
    .max(20)
    .optional()
    .describe('Replaces the dashboard’s saved filters for this run'),
});

export interface TileRun {
  tileId: string;
  /** The query that ran: the tile's insight with the dashboard's range and filters applied. */
  query: InsightQuery;
  response: InsightResponse;
}

/** A tile with its dashboard's saved filters; NOT_FOUND outside the workspace. */
async function tileOf(
  deps: DashboardDeps,
  workspaceId: string,
  dashboardId: string,
  tileId: string,
) {
  const dashboard = await deps.prisma.dashboard.findFirst({
    where: { id: dashboardId, workspaceId },
    select: { filters: true },
  });
  if (!dashboard) throw notFound();
  const tile = await deps.prisma.dashboardTile.findFirst({
    where: { id: tileId, dashboardId },
    select: { type: true, savedQueryId: true, insight: { select: { query: true } } },
  });
  if (!tile) throw tileNotFound();
  return { dashboard, tile };
}

/**
 * Runs one insight tile with the dashboard's range and filters (or the overrides the viewer
 * picked without saving them).
 */
export async function runTile(
  deps: DashboardDeps,
  workspaceId: string,
  dashboardId: string,
  tileId: string,
  overrides: z.input<typeof ZRunOverrides> = {},
  now = new Date(),
): Promise<TileRun> {
  const { dashboard, tile } = await tileOf(deps, workspaceId, dashboardId, tileId);
  if (tile.type !== 'insight' || !tile.insight)
    throw new AppError(
      'BAD_REQUEST',
      tile.type === 'query'
        ? 'This is a SQL query tile: run it with runQueryTile.'
        : 'This is a text tile; only insight and query tiles run a query.',
    );
  const saved = readDashboardFilters(dashboard.filters);
  const o = ZRunOverrides.parse(overrides);
  const filters: DashboardFilters = {
    dateRange: o.dateRange ?? saved.dateRange,
    filters: o.filters ?? saved.filters,
  };
  const query = applyDashboardFilters(tile.insight.query as unknown as InsightQuery, filters, now);
  const response = await deps.insights.run(workspaceId, query);
  return { tileId, query, response };
}

export interface QueryTileRun extends SavedQueryTileRun {
  tileId: string;
}

/**
 * Runs a SQL query tile: its saved query with the dashboard's date range (or the viewer's
 * unsaved one) through `{{ filters }}` and start/end date parameters. The dashboard's property
 * filters do not apply to SQL tiles (the query's author decides its conditions).
 */
export async function runQueryTile(
  deps: DashboardDeps,
  workspaceId: string,
  dashboardId: string,
  tileId: string,
  overrides: z.input<typeof ZRunOverrides> = {},
  now = new Date(),
): Promise<QueryTileRun> {
  const { dashboard, tile } = await tileOf(deps, workspaceId, dashboardId, tileId);
  if (tile.type !== 'query' || !tile.savedQueryId)
    throw new AppError('BAD_REQUEST', 'This tile is not a SQL query tile.');
  const o = ZRunOverrides.parse(overrides);
  const dateRange = o.dateRange ?? readDashboardFilters(dashboard.filters).dateRange;
  const range = dateRange ? resolveDateRange(dateRange, now) : undefined;
  const run = await deps.sql.runForTile(workspaceId, tile.savedQueryId, range);
  return { ...run, tileId };
}
