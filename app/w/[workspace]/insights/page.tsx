import type { Metadata } from 'next';
import { InsightsSection } from '@/components/sections/insights-section';
import { getWorkspaceAccess } from '@/server/auth/workspace-access';

export const metadata: Metadata = { title: 'Insights' };

export default async function Page({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  const access = await getWorkspaceAccess(workspace);
  if (!access.current) return null;
  return <InsightsSection workspaceSlug={workspace} role={access.current.role} />;
}
