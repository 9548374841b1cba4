// Better Auth's endpoints (sign-in, sign-out, session). Sign-up is disabled in its options.
import { findRuntime } from '@/server/runtime';
import { jsonError } from '@/server/http/json-error';

export const dynamic = 'force-dynamic';

function handler(req: Request): Promise<Response> | Response {
  const runtime = findRuntime();
  if (!runtime)
    return jsonError(
      'SERVICE_UNAVAILABLE',
      'The server is still starting. Try again in a few seconds.',
    );
  return runtime.auth.handler(req);
}

export { handler as GET, handler as POST };
