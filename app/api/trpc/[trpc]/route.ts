import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { createContext } from '@/server/api/context';
import { appRouter } from '@/server/api/root';
import { findRuntime } from '@/server/runtime';
import { jsonError } from '@/server/http/json-error';

export const dynamic = 'force-dynamic';

function handler(req: Request): Promise<Response> | Response {
  if (!findRuntime())
    return jsonError(
      'SERVICE_UNAVAILABLE',
      'The server is still starting. Try again in a few seconds.',
    );
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: () => createContext({ headers: req.headers }),
  });
}

export { handler as GET, handler as POST };
