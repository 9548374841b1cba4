import type { Metadata } from 'next';
import { DataSection } from '@/components/sections/data-section';
import { getWorkspaceAccess } from '@/server/auth/workspace-access';

export const metadata: Metadata = { title: 'Data' };

export default async function Page({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  const access = await getWorkspaceAccess(workspace);
  if (!access.current) return null;
  return <DataSection workspaceSlug={workspace} role={access.current.role} />;
}
