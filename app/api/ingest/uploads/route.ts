// POST /api/ingest/uploads?workspace=<slug>&name=<file name> — one file for an import from
// Admin → Ingestion, as the raw request body (the browser reports upload progress itself). The
// file is streamed to disk; the answer {uploadId, name, format, bytes} is then passed to the
// tRPC mutation ingestion.imports.start. Admins of the workspace only.
import { findRuntime } from '@/server/runtime';
import { errorResponse, jsonError } from '@/server/http/json-error';
import { requireWorkspaceRole } from '@/server/http/route-access';
import { MAX_UPLOAD_BYTES } from '@/server/ingest/import/import-jobs';

export const dynamic = 'force-dynamic';

export async function POST(req: Request): Promise<Response> {
  const runtime = findRuntime();
  if (!runtime)
    return jsonError(
      'SERVICE_UNAVAILABLE',
      'The server is still starting. Try again in a few seconds.',
      undefined,
      { 'retry-after': '5' },
    );
  const url = new URL(req.url);
  const access = await requireWorkspaceRole(
    runtime,
    req,
    url.searchParams.get('workspace') ?? '',
    'admin',
    'Importing files',
  );
  if (access instanceof Response) return access;
  if (Number(req.headers.get('content-length') ?? 0) > MAX_UPLOAD_BYTES)
    return jsonError(
      'PAYLOAD_TOO_LARGE',
      `The file is larger than ${MAX_UPLOAD_BYTES / 1024 ** 3} GiB; split it or use npm run tl -- import.`,
    );
  try {
    const saved = await runtime.importJobs.saveUpload(
      access.workspaceId,
      url.searchParams.get('name') ?? '',
      req.body,
    );
    return Response.json(saved, { status: 201, headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}
