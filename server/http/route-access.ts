// Access checks for REST route handlers (they get no tRPC middleware): the same rules as
// workspaceProcedure — a session, a membership in the workspace named by ?workspace=<slug>, and at
// least the given role — answered as the JSON error a handler returns as is.
import { hasRole, type Role } from '../auth/roles';
import type { Runtime } from '../runtime';
import { jsonError } from './json-error';

export interface RouteAccess {
  user: { id: string; email: string };
  workspaceId: string;
  role: Role;
}

export async function requireWorkspaceRole(
  runtime: Runtime,
  req: Request,
  slug: string,
  minRole: Role,
  what: string,
): Promise<RouteAccess | Response> {
  const session = await runtime.auth.api.getSession({ headers: req.headers });
  if (!session)
    return jsonError('UNAUTHORIZED', 'Sign in to continue. Your session may have expired.');
  const membership = await runtime.prisma.membership.findFirst({
    where: { userId: session.user.id, workspace: { slug } },
    select: { role: true, workspaceId: true },
  });
  if (!membership || !hasRole(membership.role, minRole))
    return jsonError('FORBIDDEN', `${what} needs the ${minRole} role in this workspace.`);
  return {
    user: { id: session.user.id, email: session.user.email },
    workspaceId: membership.workspaceId,
    role: membership.role,
  };
}
