import 'server-only';
// Page-level access for /w/<slug>/…: the signed-in user's membership, or a redirect/deny.
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { getServerSession, getUserWorkspaces } from './session';
import { currentPath } from '@/lib/current-path';

export const getWorkspaceAccess = cache(async (slug: string) => {
  const session = await getServerSession();
  if (!session) redirect(`/login?next=${encodeURIComponent(await currentPath(`/w/${slug}`))}`);
  const workspaces = await getUserWorkspaces(session.user.id);
  const current = workspaces.find((w) => w.slug === slug);
  return { user: session.user, workspaces, current };
});
