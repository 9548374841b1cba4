import type { Metadata } from 'next';
import { DashboardsSection } from '@/components/sections/dashboards-section';
import { getWorkspaceAccess } from '@/server/auth/workspace-access';

export const metadata: Metadata = { title: 'Dashboards' };

export default async function Page({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  const access = await getWorkspaceAccess(workspace);
  if (!access.current) return null;
  return <DashboardsSection workspaceSlug={workspace} role={access.current.role} />;
}
