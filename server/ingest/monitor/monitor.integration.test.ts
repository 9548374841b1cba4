// Admin → Ingestion on a real runtime: throughput stats, live subscribers, dead letters and
// their replay after a fix.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCaller } from '@/server/api/root';
import { startFixture, type Fixture } from '@/test/runtime-fixture';
import { testDatabases } from '@/test/databases';
import { postBatch } from '@/test/post-batch';
import type { LiveEvent } from './live-hub';

let fx: Fixture;
let key: string;
let admin: ReturnType<typeof createCaller>;

const post = (body: unknown) => postBatch(fx.runtime, key, body);

beforeAll(async () => {
  fx = await startFixture(testDatabases()[0]!);
  admin = createCaller(
    await fx.context({
      cookie: await fx.cookieFor(fx.users.admin.email),
      workspace: fx.workspace.slug,
    }),
  );
  key = (await admin.admin.apiKeys.create({ name: 'monitor' })).secret;
});
afterAll(async () => fx?.dispose());

describe('ingestion monitor', () => {
  it('streams accepted events to live subscribers of the workspace, filtered by name', async () => {
    const seen: LiveEvent[] = [];
    const other: LiveEvent[] = [];
    const off = fx.runtime.liveHub.subscribe({
      workspaceId: fx.workspace.id,
      eventName: 'signed_up',
      send: (events) => seen.push(...events),
    });
    const offOther = fx.runtime.liveHub.subscribe({
      workspaceId: fx.other.id,
      send: (events) => other.push(...events),
    });
    await post({
      batch: [
        { event: 'signed_up', user_id: 'u1' },
        { event: 'page_viewed', user_id: 'u1' },
      ],
    });
    off();
    offOther();
    expect(seen.map((e) => e.event)).toEqual(['signed_up']);
    expect(other).toEqual([]);
    expect((await admin.ingestion.recent({})).map((e) => e.event)).toEqual([
      'page_viewed',
      'signed_up',
    ]);
  });

  it('keeps rejected events as dead letters and replays one after a fix', async () => {
    const res = await post({
      batch: [
        { event: 'feature_used', user_id: 'u2' },
        { event: 'feature_used', timestamp: 'last tuesday' },
      ],
    });
    expect((await res.json()).rejected).toHaveLength(1);
    const letters = await vi.waitFor(async () => {
      const l = await admin.ingestion.deadLetters.list({});
      expect(l.entries).toHaveLength(1);
      return l;
    });
    const letter = letters.entries[0]!;
    expect(letter.reason).toMatch(/user_id or anonymous_id is required|timestamp/);
    expect(await admin.ingestion.deadLetters.replay({ id: letter.id })).toMatchObject({
      replayed: false,
    });
    expect(
      await admin.ingestion.deadLetters.replay({
        id: letter.id,
        payload: { event: 'feature_used', user_id: 'u3', timestamp: '2026-11-01T09:00:00.000Z' },
      }),
    ).toEqual({ replayed: true });
    await expect(admin.ingestion.deadLetters.replay({ id: letter.id })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect((await admin.ingestion.deadLetters.list({})).pending).toBe(0);
    await fx.runtime.flusher.flush();
    expect(
      (
        await fx.runtime.engine.execute(
          `select count(*)::int from bronze.events where user_id = 'u3'`,
        )
      ).rows[0]?.[0],
    ).toBe(1);
    expect(
      await fx.runtime.prisma.auditLog.count({ where: { action: 'dead_letter.replayed' } }),
    ).toBe(1);
  });

  it('reports throughput per source and the lake writer lag', async () => {
    const overview = await admin.ingestion.overview();
    const api = overview.sources.find((s) => s.source === 'api');
    expect(api?.acceptedTotal).toBeGreaterThanOrEqual(3);
    expect(api?.rejectedTotal).toBe(1);
    expect(api?.lastEventAt).toBeInstanceOf(Date);
    expect(overview.lag.pendingSegments).toBe(0);
    expect(overview.lake).toMatchObject({ available: true, events: 4 });
  });
});
