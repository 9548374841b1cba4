import type { Metadata } from 'next';
import { AdminConsole } from '@/components/admin/admin-console';
import { EmptyState } from '@/components/empty-state';
import { PageHeader } from '@/components/layout/page-header';
import { getWorkspaceAccess } from '@/server/auth/workspace-access';
import { getQueryClient, HydrateClient, serverTrpc } from '@/lib/trpc/server';
import { ShieldAlert } from 'lucide-react';

export const metadata: Metadata = { title: 'Admin' };

export default async function AdminPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  const access = await getWorkspaceAccess(workspace);
  if (!access.current) return null;
  if (access.current.role !== 'admin') {
    return (
      <div className="mx-auto grid w-full max-w-6xl gap-6 p-6">
        <PageHeader
          title="Admin"
          description="Members, invitations, ingestion keys and the audit log."
        />
        <EmptyState
          data-testid="admin-forbidden"
          icon={ShieldAlert}
          title="Admins only"
          description={`You are ${access.current.role} in ${access.current.name}. Ask a workspace admin if you need to manage members or keys.`}
        />
      </div>
    );
  }
  const trpc = serverTrpc(workspace);
  const queryClient = getQueryClient();
  await Promise.all([
    queryClient.prefetchQuery(trpc.ingestion.overview.queryOptions()),
    queryClient.prefetchQuery(trpc.admin.members.list.queryOptions()),
  ]);
  return (
    <HydrateClient>
      <AdminConsole
        currentUserId={access.user.id}
        workspaceName={access.current.name}
        workspaceSlug={workspace}
      />
    </HydrateClient>
  );
}
