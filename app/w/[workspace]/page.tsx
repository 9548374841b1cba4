import type { Metadata } from 'next';
import { HomeDashboard } from '@/components/dashboards/home-dashboard';
import { getWorkspaceAccess } from '@/server/auth/workspace-access';
import { getQueryClient, HydrateClient, serverTrpc } from '@/lib/trpc/server';

export const metadata: Metadata = { title: 'Home' };

/** The workspace home: the member's pinned dashboard. */
export default async function WorkspaceHome({
  params,
}: {
  params: Promise<{ workspace: string }>;
}) {
  const { workspace } = await params;
  const access = await getWorkspaceAccess(workspace);
  if (!access.current) return null;
  const queryClient = getQueryClient();
  const trpc = serverTrpc(workspace);
  const home = await queryClient.fetchQuery(trpc.dashboards.home.queryOptions()).catch(() => null);
  // The home's dashboard is the same object dashboards.get returns: seed its cache too.
  if (home?.dashboard)
    queryClient.setQueryData(
      trpc.dashboards.get.queryKey({ id: home.dashboard.id }),
      home.dashboard,
    );
  return (
    <HydrateClient>
      <HomeDashboard workspaceSlug={workspace} role={access.current.role} />
    </HydrateClient>
  );
}
