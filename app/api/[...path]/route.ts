// Unknown API routes answer JSON, not the HTML 404 page.
import { jsonError } from '@/server/http/json-error';

export const dynamic = 'force-dynamic';

function notFound(req: Request): Response {
  const { pathname } = new URL(req.url);
  return jsonError(
    'NOT_FOUND',
    `No API route ${req.method} ${pathname}. See docs/architecture.md for the API.`,
  );
}

export {
  notFound as GET,
  notFound as POST,
  notFound as PUT,
  notFound as PATCH,
  notFound as DELETE,
};
