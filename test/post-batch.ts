// POST /api/v1/batch through the real collector on a runtime, without an HTTP server: what the
// integration tests that ingest events call. Returns the collector's Response.
import { collect } from '@/server/ingest/collector/collect';
import type { Runtime } from '@/server/runtime';

export function postBatch(runtime: Runtime, key: string, body: unknown): Promise<Response> {
  return collect(
    runtime,
    new Request('http://x/api/v1/batch', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    }),
    'batch',
  );
}
