import type { Metadata } from 'next';
import { DashboardView } from '@/components/dashboards/dashboard-view';
import { getWorkspaceAccess } from '@/server/auth/workspace-access';
import { getQueryClient, HydrateClient, serverTrpc } from '@/lib/trpc/server';

export const metadata: Metadata = { title: 'Dashboard' };

export default async function Page({
  params,
}: {
  params: Promise<{ workspace: string; id: string }>;
}) {
  const { workspace, id } = await params;
  const access = await getWorkspaceAccess(workspace);
  if (!access.current) return null;
  // The dashboard (tiles and their queries) comes with the page; tiles then run in parallel.
  await getQueryClient().prefetchQuery(serverTrpc(workspace).dashboards.get.queryOptions({ id }));
  return (
    <HydrateClient>
      <div className="mx-auto grid w-full max-w-7xl gap-4 p-6" data-testid="section-dashboard">
        <DashboardView workspaceSlug={workspace} role={access.current.role} dashboardId={id} />
      </div>
    </HydrateClient>
  );
}
