// POST /api/v1/{batch,capture,identify} straight from Node's http server to the collector,
// without Next.js's routing and request adaptation in between: the capture API is the hot path
// (tl bench ingest), and it renders nothing. Everything else goes to Next.js.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { collect, nodeCollectRequest, type CollectKind } from '../ingest/collector/collect';
import type { Runtime } from '../runtime';

const ROUTES: Record<string, CollectKind> = {
  '/api/v1/batch': 'batch',
  '/api/v1/capture': 'capture',
  '/api/v1/identify': 'identify',
};

/** The collector endpoint a request is for, or undefined. */
export function captureKind(method: string | undefined, pathname: string): CollectKind | undefined {
  return method === 'POST' ? ROUTES[pathname.replace(/\/$/, '')] : undefined;
}

export async function serveCapture(
  runtime: Runtime,
  kind: CollectKind,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const response = await collect(runtime, nodeCollectRequest(req), kind);
  const body = Buffer.from(await response.arrayBuffer());
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  res.setHeader('content-length', body.length);
  res.end(body);
  // The collector stops reading an oversized body: do not keep the rest of it coming.
  if (!req.complete) req.destroy();
}
