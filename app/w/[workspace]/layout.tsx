import Link from 'next/link';
import { AppShell } from '@/components/layout/app-shell';
import { AuthCard } from '@/components/layout/auth-card';
import { getWorkspaceAccess } from '@/server/auth/workspace-access';

export const dynamic = 'force-dynamic';

export default async function WorkspaceLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ workspace: string }>;
}) {
  const { workspace } = await params;
  const access = await getWorkspaceAccess(workspace);
  if (!access.current) {
    return (
      <AuthCard
        title="No access to this workspace"
        description={`You are not a member of "${workspace}", or it does not exist.`}
      >
        <p className="text-sm text-muted-foreground">Ask one of its admins for an invitation.</p>
        <Link
          className="text-sm font-medium text-primary underline-offset-4 hover:underline"
          href="/"
        >
          Go to your workspaces
        </Link>
      </AuthCard>
    );
  }
  return (
    <AppShell
      workspace={{ slug: access.current.slug, name: access.current.name }}
      workspaces={access.workspaces.map((w) => ({ slug: w.slug, name: w.name, role: w.role }))}
      user={{ name: access.user.name, email: access.user.email }}
      role={access.current.role}
    >
      {children}
    </AppShell>
  );
}
