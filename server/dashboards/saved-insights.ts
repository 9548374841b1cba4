// Saved insights: a named insight query (the same ZInsightQuery object the Insights page and the
// URL carry) that dashboards show as tiles. Scoped by workspace on every read and write: an id
// from another workspace is NOT_FOUND, exactly like an id that does not exist.
import { z } from 'zod';
import type { PrismaClient } from '../db/client';
import type { Prisma } from '../db/generated/client';
import { AppError } from '../errors';
import { ZInsightQuery, type InsightQuery } from '../insights/insight-service';

export const CHART_TYPES = ['line', 'bar', 'area', 'number', 'table', 'funnel'] as const;
export const ZChartType = z.enum(CHART_TYPES).describe('How a tile draws the insight');
export type ChartType = z.infer<typeof ZChartType>;

export const ZSavedInsightInput = z.object({
  name: z.string().trim().min(1, 'Give the insight a name').max(200),
  description: z.string().trim().max(2000).nullish(),
  query: ZInsightQuery,
  chartType: ZChartType.nullish(),
});
export type SavedInsightInput = z.input<typeof ZSavedInsightInput>;

export interface SavedInsight {
  id: string;
  name: string;
  description: string | null;
  query: InsightQuery;
  chartType: ChartType | null;
  createdBy: { name: string; email: string } | null;
  createdAt: Date;
  updatedAt: Date;
  /** Tiles showing it, across the workspace's dashboards. */
  tileCount: number;
}

const select = {
  id: true,
  name: true,
  description: true,
  query: true,
  chartType: true,
  createdAt: true,
  updatedAt: true,
  createdBy: { select: { name: true, email: true } },
  _count: { select: { tiles: true } },
} as const satisfies Prisma.SavedInsightSelect;

type Row = Prisma.SavedInsightGetPayload<{ select: typeof select }>;

export function toSavedInsight(row: Row): SavedInsight {
  const { _count, chartType, query, ...rest } = row;
  return {
    ...rest,
    // Stored after validation; re-validated when it runs (applyDashboardFilters), where a query
    // that an older version saved and this one no longer accepts gets a precise error.
    query: query as unknown as InsightQuery,
    chartType: ZChartType.safeParse(chartType).success ? (chartType as ChartType) : null,
    tileCount: _count.tiles,
  };
}

const notFound = () =>
  new AppError(
    'NOT_FOUND',
    'No such saved insight in this workspace. It may have been deleted; reload the list.',
  );

export async function listSavedInsights(
  prisma: PrismaClient,
  workspaceId: string,
): Promise<SavedInsight[]> {
  const rows = await prisma.savedInsight.findMany({
    where: { workspaceId },
    orderBy: { updatedAt: 'desc' },
    select,
  });
  return rows.map(toSavedInsight);
}

export async function findSavedInsight(
  prisma: PrismaClient,
  workspaceId: string,
  id: string,
): Promise<SavedInsight | undefined> {
  const row = await prisma.savedInsight.findFirst({ where: { id, workspaceId }, select });
  return row ? toSavedInsight(row) : undefined;
}

export async function getSavedInsight(
  prisma: PrismaClient,
  workspaceId: string,
  id: string,
): Promise<SavedInsight> {
  const found = await findSavedInsight(prisma, workspaceId, id);
  if (!found) throw notFound();
  return found;
}

export async function createSavedInsight(
  prisma: Pick<PrismaClient, 'savedInsight'>,
  workspaceId: string,
  userId: string | null,
  input: SavedInsightInput,
): Promise<SavedInsight> {
  const data = ZSavedInsightInput.parse(input);
  const row = await prisma.savedInsight.create({
    data: {
      workspaceId,
      createdById: userId,
      name: data.name,
      description: data.description ?? null,
      query: data.query as Prisma.InputJsonValue,
      chartType: data.chartType ?? null,
    },
    select,
  });
  return toSavedInsight(row);
}

export async function updateSavedInsight(
  prisma: PrismaClient,
  workspaceId: string,
  id: string,
  patch: Partial<SavedInsightInput>,
): Promise<SavedInsight> {
  const data = ZSavedInsightInput.partial().parse(patch);
  const { count } = await prisma.savedInsight.updateMany({
    where: { id, workspaceId },
    data: {
      ...(data.name !== undefined && { name: data.name }),
      ...(data.description !== undefined && { description: data.description }),
      ...(data.query !== undefined && { query: data.query as Prisma.InputJsonValue }),
      ...(data.chartType !== undefined && { chartType: data.chartType }),
    },
  });
  if (!count) throw notFound();
  return getSavedInsight(prisma, workspaceId, id);
}

/** Deletes the insight and every tile that shows it. */
export async function deleteSavedInsight(
  prisma: PrismaClient,
  workspaceId: string,
  id: string,
): Promise<{ id: string; tilesRemoved: number }> {
  const found = await getSavedInsight(prisma, workspaceId, id);
  await prisma.savedInsight.deleteMany({ where: { id, workspaceId } });
  return { id, tilesRemoved: found.tileCount };
}
