import 'server-only';
// Page-level access for /w/<slug>/…: the signed-in user's membership, or a redirect/deny.
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { getServerSession, getUserWorkspaces } from './session';
import { hasRole, type Role } from './roles';

export const getWorkspaceAccess = cache(async (slug: string, nextPath: string) => {
  const session = await getServerSession();
  if (!session) redirect(`/login?next=${encodeURIComponent(nextPath)}`);
  const workspaces = await getUserWorkspaces(session.user.id);
  const current = workspaces.find((w) => w.slug === slug);
  return { user: session.user, workspaces, current };
});

export function canAccess(role: Role | undefined, min: Role): boolean {
  return hasRole(role, min);
}
