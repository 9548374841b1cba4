// The collector end to end on a real runtime: HTTP request → WAL (fsync) → flusher → Delta
// bronze table → queryable through the locked DuckDB engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '@/server/api/root';
import { startFixture, type Fixture } from '@/test/runtime-fixture';
import { testDatabases } from '@/test/databases';
import { collect, type CollectKind } from './collect';

let fx: Fixture;
let key: string;
let keyId: string;

const post = (kind: CollectKind, body: unknown, headers: Record<string, string> = {}) =>
  collect(
    fx.runtime,
    new Request(`http://x/api/v1/${kind}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
    kind,
  );
const auth = () => ({ authorization: `Bearer ${key}` });
const count = async (sql: string) => Number((await fx.runtime.engine.execute(sql)).rows[0]?.[0]);

beforeAll(async () => {
  fx = await startFixture(testDatabases()[0]!);
  const admin = createCaller(
    await fx.context({
      cookie: await fx.cookieFor(fx.users.admin.email),
      workspace: fx.workspace.slug,
    }),
  );
  const created = await admin.admin.apiKeys.create({ name: 'test' });
  key = created.secret;
  keyId = created.id;
});
afterAll(async () => fx?.dispose());

const event = (i: number, extra: Record<string, unknown> = {}) => ({
  event: 'feature_used',
  user_id: `u_${i}`,
  timestamp: '2026-11-01T10:00:00.000Z',
  properties: { feature_name: 'bulk_edit' },
  context: { platform: 'web' },
  ...extra,
});

describe('collector', () => {
  it('stores the valid events of a mixed batch and explains the rejected one', async () => {
    const res = await post(
      'batch',
      { batch: [event(1), event(2), { event: 'x' }, event(3)] },
      auth(),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      accepted: 3,
      rejected: [{ index: 2, reason: expect.stringMatching(/user_id or anonymous_id/) }],
    });
    await fx.runtime.flusher.flush();
    expect(
      await count(`select count(*) from bronze.events where user_id in ('u_1','u_2','u_3')`),
    ).toBe(3);
  });

  // Client retries: the same batch three times adds no row after dedup by event_id.
  it('keeps client event ids so retries deduplicate', async () => {
    const batch = {
      batch: [
        event(10, { event_id: '0b7c6f5e-1d2a-4b3c-8d4e-5f6a7b8c9d01' }),
        event(11, { event_id: '0b7c6f5e-1d2a-4b3c-8d4e-5f6a7b8c9d02' }),
      ],
    };
    for (let i = 0; i < 3; i++) expect((await post('batch', batch, auth())).status).toBe(200);
    await fx.runtime.flusher.flush();
    expect(
      await count(
        `select count(distinct event_id) from bronze.events where user_id in ('u_10','u_11')`,
      ),
    ).toBe(2);
  });

  it('accepts /capture, /identify and Segment SDKs with Basic auth', async () => {
    expect(
      (await post('capture', { ...event(20), sent_at: '2026-11-01T10:00:00.000Z' }, auth())).status,
    ).toBe(200);
    expect(
      (
        await post(
          'identify',
          { user_id: 'u_20', anonymous_id: 'a_20', traits: { plan: 'pro' } },
          auth(),
        )
      ).status,
    ).toBe(200);
    const basic = { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` };
    expect(
      (
        await post(
          'batch',
          {
            batch: [
              {
                type: 'track',
                event: 'report_exported',
                userId: 'u_21',
                properties: { format: 'csv' },
              },
            ],
          },
          basic,
        )
      ).status,
    ).toBe(200);
    await fx.runtime.flusher.flush();
    expect(await count(`select count(*) from bronze.events where user_id in ('u_20','u_21')`)).toBe(
      2,
    );
    expect(
      await count(
        `select count(*) from bronze.identifies where user_id = 'u_20' and anonymous_id = 'a_20'`,
      ),
    ).toBe(1);
    // The identify with both ids links the anonymous history to the user.
    expect(
      await count(
        `select count(*) from bronze.identity_map where anonymous_id = 'a_20' and user_id = 'u_20'`,
      ),
    ).toBe(1);
    expect(
      (await fx.runtime.prisma.apiKey.findUniqueOrThrow({ where: { id: keyId } })).lastUsedAt,
    ).toBeInstanceOf(Date);
  });

  it('answers bad requests with the right status and a JSON error', async () => {
    const cases: [Promise<Response>, number, RegExp][] = [
      [post('batch', { batch: [event(1)] }), 401, /Missing ingestion key/],
      [
        post('batch', { batch: [event(1)] }, { authorization: 'Bearer tlk_not-a-real-key' }),
        403,
        /not valid or was revoked/,
      ],
      [post('batch', '{"batch": [', auth()), 400, /not valid JSON/],
      [post('batch', { events: [] }, auth()), 400, /not a valid batch/],
      [post('batch', { batch: [{ event: '' }] }, auth()), 400, /No event in the request is valid/],
      [
        post(
          'batch',
          { batch: [event(1, { properties: { blob: 'x'.repeat(5.1 * 1024 * 1024) } })] },
          auth(),
        ),
        413,
        /larger than 5 MiB/,
      ],
    ];
    for (const [response, status, message] of cases) {
      const res = await response;
      expect(res.status).toBe(status);
      expect(JSON.stringify(await res.json())).toMatch(message);
    }
  });

  it('stops accepting a revoked key at once', async () => {
    const admin = createCaller(
      await fx.context({
        cookie: await fx.cookieFor(fx.users.admin.email),
        workspace: fx.workspace.slug,
      }),
    );
    const other = await admin.admin.apiKeys.create({ name: 'short-lived' });
    expect(
      (await post('batch', { batch: [event(30)] }, { authorization: `Bearer ${other.secret}` }))
        .status,
    ).toBe(200);
    await admin.admin.apiKeys.revoke({ id: other.id });
    expect(
      (await post('batch', { batch: [event(31)] }, { authorization: `Bearer ${other.secret}` }))
        .status,
    ).toBe(403);
  });

  it('stamps the workspace of the key on every row', async () => {
    await fx.runtime.flusher.flush();
    const rows = await fx.runtime.engine.execute(`select distinct workspace_id from bronze.events`);
    expect(rows.rows).toEqual([[fx.workspace.id]]);
  });
});
