import { redirect } from 'next/navigation';
import { getServerSession, getUserWorkspaces } from '@/server/auth/session';
import { NoWorkspace } from '@/components/auth/no-workspace';

export const dynamic = 'force-dynamic';

export default async function Home() {
  const session = await getServerSession();
  if (!session) redirect('/login');
  const workspaces = await getUserWorkspaces(session.user.id);
  const first = workspaces[0];
  if (!first) return <NoWorkspace email={session.user.email} />;
  redirect(`/w/${first.slug}`);
}
