// First start: the demo workspace opens on a "Product overview" dashboard. Created with the
// seed (only saved queries; results are computed when someone views it, once the demo data and
// the first dbt build are in) and pinned as home for the workspace's members.
import type { PrismaClient } from '../db/client';
import { createFromTemplate } from './dashboards';
import { PRODUCT_OVERVIEW } from './product-overview-template';

/** Creates and pins the dashboard unless the workspace already has one; returns its id. */
export async function seedDemoDashboard(
  prisma: PrismaClient,
  workspaceSlug: string,
  now = new Date(),
): Promise<string | undefined> {
  const workspace = await prisma.workspace.findUnique({
    where: { slug: workspaceSlug },
    select: {
      id: true,
      _count: { select: { dashboards: true } },
      memberships: { orderBy: { createdAt: 'asc' }, select: { userId: true } },
    },
  });
  if (!workspace || workspace._count.dashboards > 0) return undefined;
  const { id } = await createFromTemplate(
    prisma,
    workspace.id,
    workspace.memberships[0]?.userId ?? null,
    PRODUCT_OVERVIEW,
    { now },
  );
  await prisma.membership.updateMany({
    where: { workspaceId: workspace.id, homeDashboardId: null },
    data: { homeDashboardId: id },
  });
  return id;
}
