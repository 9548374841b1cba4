import type { Metadata } from 'next';
import { SqlSection } from '@/components/sections/sql-section';
import { getWorkspaceAccess } from '@/server/auth/workspace-access';

export const metadata: Metadata = { title: 'SQL' };

export default async function Page({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  const access = await getWorkspaceAccess(workspace);
  if (!access.current) return null;
  return <SqlSection workspaceSlug={workspace} role={access.current.role} />;
}
