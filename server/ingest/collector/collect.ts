// The HTTP collector behind POST /api/v1/batch, /capture and /identify. Order of checks: body
// size (413), JSON (400), ingestion key (401 missing / 403 invalid or revoked), workspace rate
// (429), then per-event validation; accepted rows are fsync'ed to the write-ahead log before
// the 200 is sent (503 when the log cannot take them). A client never gets a 2xx for an event
// that could then be lost. Publishing to the ingest bus is a side channel (see ingest-bus.ts).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Runtime } from '../../runtime';
import { AppError, HTTP_STATUS, isAppError } from '../../errors';
import { findWorkspaceByApiKey } from '../../auth/api-keys';
import { LIMITS } from './envelope';
import { normalizeBatch } from './normalize';
import { TokenBuckets } from './rate-limit';

export type CollectKind = 'batch' | 'capture' | 'identify';

const buckets = new TokenBuckets();
const lastUsedWrites = new Map<string, number>();

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

function errorJson(error: AppError): Response {
  const retry =
    typeof error.details?.retryAfterSeconds === 'number'
      ? { 'retry-after': String(error.details.retryAfterSeconds) }
      : undefined;
  return json(HTTP_STATUS[error.code], { error: error.toJSON() }, retry);
}

/**
 * What the collector reads of a request. Route handlers pass a web Request; the node:http hot
 * path (server/http/capture-route.ts) passes its IncomingMessage through `nodeCollectRequest`,
 * which skips the web-stream adapter (a measurable share of the per-batch cost).
 */
export interface CollectRequest {
  header(name: string): string | undefined;
  /** The body as bytes; throws PAYLOAD_TOO_LARGE as soon as it exceeds `limit`. */
  body(limit: number): Promise<Buffer>;
}

const tooLarge = () =>
  new AppError(
    'PAYLOAD_TOO_LARGE',
    `The request body is larger than ${LIMITS.batchBytes / 1024 / 1024} MiB; send smaller batches.`,
  );

export function webCollectRequest(req: Request): CollectRequest {
  return {
    header: (name) => req.headers.get(name) ?? undefined,
    async body(limit) {
      if (!req.body) return Buffer.alloc(0);
      const reader = req.body.getReader();
      const chunks: Uint8Array[] = [];
      let size = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > limit) {
          await reader.cancel();
          throw tooLarge();
        }
        chunks.push(value);
      }
      return Buffer.concat(chunks);
    },
  };
}

export function nodeCollectRequest(req: IncomingMessage): CollectRequest {
  return {
    header(name) {
      const value = req.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    body(limit) {
      return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const onData = (chunk: Buffer) => {
          size += chunk.length;
          if (size > limit) {
            cleanup();
            req.pause();
            reject(tooLarge());
            return;
          }
          chunks.push(chunk);
        };
        const onEnd = () => {
          cleanup();
          resolve(Buffer.concat(chunks, size));
        };
        const onError = (error: Error) => {
          cleanup();
          reject(error);
        };
        const cleanup = () => {
          req.off('data', onData);
          req.off('end', onEnd);
          req.off('error', onError);
        };
        req.on('data', onData);
        req.on('end', onEnd);
        req.on('error', onError);
      });
    },
  };
}

async function readBody(req: CollectRequest): Promise<string> {
  const declared = Number(req.header('content-length') ?? '0');
  if (declared > LIMITS.batchBytes) throw tooLarge();
  return (await req.body(LIMITS.batchBytes)).toString('utf8');
}

/** The key from Authorization (Bearer, or Basic as Segment SDKs send it) or from the body. */
function presentedKey(req: CollectRequest, body: unknown): string | undefined {
  const auth = req.header('authorization') ?? '';
  if (/^bearer /i.test(auth)) return auth.slice(7).trim();
  if (/^basic /i.test(auth))
    return Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8').split(':')[0];
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    for (const k of ['api_key', 'writeKey']) if (typeof b[k] === 'string') return b[k] as string;
  }
  return undefined;
}

function asBatch(kind: CollectKind, body: unknown): unknown {
  if (kind === 'batch' || !body || typeof body !== 'object' || Array.isArray(body)) return body;
  const { sent_at, sentAt, api_key: _k, writeKey: _w, ...item } = body as Record<string, unknown>;
  return { batch: [kind === 'identify' ? { type: 'identify', ...item } : item], sent_at, sentAt };
}

export async function collect(
  runtime: Runtime,
  input: Request | CollectRequest,
  kind: CollectKind,
): Promise<Response> {
  const req = input instanceof Request ? webCollectRequest(input) : input;
  try {
    const text = await readBody(req);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw new AppError('BAD_REQUEST', `The body is not valid JSON: ${(error as Error).message}`);
    }
    const key = presentedKey(req, body);
    if (!key)
      throw new AppError(
        'UNAUTHORIZED',
        'Missing ingestion key. Send it as "Authorization: Bearer <key>" (create one in Admin → Ingestion keys).',
      );
    const found = await findWorkspaceByApiKey(runtime.prisma, key);
    if (!found)
      throw new AppError(
        'FORBIDDEN',
        'This ingestion key is not valid or was revoked. Create a new one in Admin → Ingestion keys.',
      );

    const receivedAt = new Date();
    const batchId = randomUUID();
    const request = asBatch(kind, body);
    const batch = normalizeBatch(request, {
      workspaceId: found.workspaceId,
      receivedAt,
      source: 'api',
      batchId,
    });
    const count = batch.events.length + batch.identifies.length;
    const waitSeconds = buckets.take(
      found.workspaceId,
      count,
      runtime.config.ingest.rateLimitPerSecond,
    );
    if (waitSeconds > 0)
      throw new AppError(
        'TOO_MANY_REQUESTS',
        `This workspace sends more than ${runtime.config.ingest.rateLimitPerSecond} events per second. Retry after ${waitSeconds} s.`,
        { retryAfterSeconds: waitSeconds },
      );
    if (batch.rejected.length) {
      const items = (request as { batch: unknown[] }).batch;
      runtime.ingestBus.emit('rejected', {
        workspaceId: found.workspaceId,
        source: 'api',
        batchId,
        receivedAt,
        items: batch.rejected.map((r) => ({ ...r, payload: items[r.index] })),
      });
    }
    if (count === 0) {
      return json(400, {
        error: {
          code: 'BAD_REQUEST',
          message: 'No event in the request is valid; nothing was stored.',
          details: { rejected: batch.rejected },
        },
        accepted: 0,
        rejected: batch.rejected,
      });
    }
    await runtime.wal.append({ id: batchId, events: batch.events, identifies: batch.identifies });
    runtime.ingestBus.emit('accepted', {
      workspaceId: found.workspaceId,
      source: 'api',
      batchId,
      events: batch.events,
      identifies: batch.identifies,
    });
    runtime.flusher.nudge();
    touchKey(runtime, found.keyId);
    return json(200, { accepted: count, rejected: batch.rejected });
  } catch (error) {
    if (isAppError(error)) return errorJson(error);
    runtime.logger.error({ err: error }, 'collector failed');
    return json(500, {
      error: {
        code: 'INTERNAL',
        message: 'Something went wrong on the server; nothing was stored. Retry later.',
      },
    });
  }
}

/** lastUsedAt for the admin page, written at most once a minute per key. */
function touchKey(runtime: Runtime, keyId: string): void {
  const now = Date.now();
  if ((lastUsedWrites.get(keyId) ?? 0) > now - 60_000) return;
  lastUsedWrites.set(keyId, now);
  void runtime.prisma.apiKey
    .update({ where: { id: keyId }, data: { lastUsedAt: new Date(now) } })
    .catch(() => undefined);
}
