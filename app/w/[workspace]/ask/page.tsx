import type { Metadata } from 'next';
import { AskSection } from '@/components/sections/ask-section';
import { getWorkspaceAccess } from '@/server/auth/workspace-access';

export const metadata: Metadata = { title: 'Ask' };

export default async function Page({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  const access = await getWorkspaceAccess(workspace);
  if (!access.current) return null;
  return <AskSection workspaceSlug={workspace} role={access.current.role} />;
}
