// The capture API as the server serves it (node:http → collector, not through Next.js): headers,
// bodies and status codes survive the adaptation, including a body too large to read.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '@/server/api/root';
import { startFixture, type Fixture } from '@/test/runtime-fixture';
import { testDatabases } from '@/test/databases';
import { LIMITS } from '../ingest/collector/envelope';
import { captureKind, serveCapture } from './capture-route';

let fx: Fixture;
let server: Server;
let base: string;
let key: string;

beforeAll(async () => {
  fx = await startFixture(testDatabases()[0]!);
  const admin = createCaller(
    await fx.context({
      cookie: await fx.cookieFor(fx.users.admin.email),
      workspace: fx.workspace.slug,
    }),
  );
  key = (await admin.admin.apiKeys.create({ name: 'capture-route' })).secret;
  server = createServer((req, res) => {
    const kind = captureKind(req.method, new URL(req.url ?? '/', 'http://x').pathname);
    if (!kind) {
      res.statusCode = 418;
      res.end();
      return;
    }
    void serveCapture(fx.runtime, kind, req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await fx?.dispose();
});

describe('capture route', () => {
  it('routes only POST to the three endpoints', () => {
    expect(captureKind('POST', '/api/v1/batch')).toBe('batch');
    expect(captureKind('POST', '/api/v1/capture/')).toBe('capture');
    expect(captureKind('POST', '/api/v1/identify')).toBe('identify');
    expect(captureKind('GET', '/api/v1/batch')).toBeUndefined();
    expect(captureKind('POST', '/api/v1/batches')).toBeUndefined();
  });

  it('answers the collector’s status, headers and JSON body', async () => {
    const ok = await fetch(`${base}/api/v1/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ batch: [{ event: 'x', user_id: 'u' }, { event: '' }] }),
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('no-store');
    expect(await ok.json()).toMatchObject({ accepted: 1, rejected: [{ index: 1 }] });

    const capture = await fetch(`${base}/api/v1/capture`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` },
      body: JSON.stringify({ type: 'track', event: 'y', userId: 'u' }),
    });
    expect(capture.status).toBe(200);

    const forbidden = await fetch(`${base}/api/v1/batch`, {
      method: 'POST',
      headers: { authorization: 'Bearer tlk_nope' },
      body: '{"batch":[{"event":"x","user_id":"u"}]}',
    });
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
  });

  it('answers 413 to a streamed body over the limit without reading all of it', async () => {
    const chunk = new Uint8Array(1024 * 1024).fill(0x20);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > LIMITS.batchBytes * 4) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await fetch(`${base}/api/v1/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body,
      duplex: 'half',
    } as RequestInit).catch((error: unknown) => error as Error);
    // Either the 413 arrives, or the server closed the upload after answering it.
    if (res instanceof Response) {
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
        'PAYLOAD_TOO_LARGE',
      );
    } else {
      expect(String(res)).toMatch(/fetch failed|socket|closed|reset/i);
    }
    expect(sent).toBeLessThan(LIMITS.batchBytes * 4);
  });
});
