import 'server-only';
// Session and membership lookups for server components (pages and layouts). Procedures have
// their own checks in server/api/trpc.ts; pages check again so nothing renders without access.
import { headers } from 'next/headers';
import { cache } from 'react';
import { getRuntime } from '../runtime';
import { listWorkspacesForUser } from './members';

export const getServerSession = cache(async () => {
  const runtime = getRuntime();
  const session = await runtime.auth.api.getSession({ headers: await headers() });
  return session
    ? { user: { id: session.user.id, email: session.user.email, name: session.user.name } }
    : null;
});

export const getUserWorkspaces = cache(async (userId: string) =>
  listWorkspacesForUser(getRuntime().prisma, userId),
);
