// Per-request tRPC context: the runtime, the signed-in user (if any), the client IP and the
// workspace the request is about (x-tl-workspace header, set by the client from the URL).
import type { Runtime } from '../runtime';
import { getRuntime } from '../runtime';
import { CLIENT_IP_HEADER } from '../auth/auth';

export const WORKSPACE_HEADER = 'x-tl-workspace';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
}

export interface Context {
  runtime: Runtime;
  user: SessionUser | null;
  sessionId: string | null;
  workspaceSlug: string | null;
  clientIp: string | null;
  headers: Headers;
}

export async function createContext({ headers }: { headers: Headers }): Promise<Context> {
  const runtime = getRuntime();
  const session = await runtime.auth.api.getSession({ headers });
  return {
    runtime,
    user: session
      ? { id: session.user.id, email: session.user.email, name: session.user.name }
      : null,
    sessionId: session?.session.id ?? null,
    workspaceSlug: headers.get(WORKSPACE_HEADER),
    clientIp: headers.get(CLIENT_IP_HEADER),
    headers,
  };
}
