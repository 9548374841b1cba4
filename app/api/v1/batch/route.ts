// POST /api/v1/batch — see docs/ingestion.md and docs/openapi.yaml.
import { collect } from '@/server/ingest/collector/collect';
import { findRuntime } from '@/server/runtime';
import { jsonError } from '@/server/http/json-error';

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
  return collect(runtime, req, 'batch');
}
