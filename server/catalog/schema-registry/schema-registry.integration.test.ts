// The schema registry end to end on a real runtime: POST /api/v1/batch → WAL → flusher → Delta
// commit → commit hook → registry upsert, read and described through the data.* procedures
// with real sessions, on PGlite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '@/server/api/root';
import { postBatch } from '@/test/post-batch';
import { startFixture, type Fixture } from '@/test/runtime-fixture';
import { testDatabases } from '@/test/databases';

describe.each(testDatabases())('schema registry on $kind', (kind) => {
  let fx: Fixture;
  let key: string;
  let admin: ReturnType<typeof createCaller>;
  let viewer: ReturnType<typeof createCaller>;

  const post = async (batch: unknown[]) => {
    const res = await postBatch(fx.runtime, key, { batch });
    expect(res.status).toBe(200);
  };
  const at = (minute: number) => `2026-11-01T10:${String(minute).padStart(2, '0')}:00.000Z`;

  beforeAll(async () => {
    fx = await startFixture(kind);
    const callerAs = async (email: string, workspace = fx.workspace.slug) =>
      createCaller(await fx.context({ cookie: await fx.cookieFor(email), workspace }));
    admin = await callerAs(fx.users.admin.email);
    viewer = await callerAs(fx.users.viewer.email);
    key = (await admin.admin.apiKeys.create({ name: 'registry test' })).secret;

    // Batch 1: plan is a number; one event is sent twice with the same id (a client retry).
    const retried = {
      event_id: '0b7c6f5e-1d2a-4b3c-8d4e-5f6a7b8c9d99',
      event: 'feature_used',
      user_id: 'u_1',
      timestamp: at(1),
      properties: { feature_name: 'bulk_edit', duration_ms: 1200 },
    };
    await post([
      retried,
      retried,
      {
        event: 'feature_used',
        user_id: 'u_2',
        timestamp: at(2),
        properties: { feature_name: 'kanban_board', duration_ms: 300, long: 'x'.repeat(500) },
      },
      { event: 'signed_up', user_id: 'u_3', timestamp: at(3), properties: { plan: 3 } },
    ]);
    await fx.runtime.flusher.flush();
    // Batch 2, a later segment: plan becomes a string.
    await post([
      {
        event: 'feature_used',
        user_id: 'u_4',
        timestamp: at(10),
        properties: { feature_name: 'bulk_edit', duration_ms: 50 },
      },
      { event: 'signed_up', user_id: 'u_5', timestamp: at(11), properties: { plan: 'pro' } },
      { event: 'signed_up', user_id: 'u_6', timestamp: at(12), properties: { plan: 'free' } },
    ]);
    await fx.runtime.flusher.flush();
  });
  afterAll(async () => fx?.dispose());

  it('lists events with volumes summed over segments and retries counted once', async () => {
    const events = await viewer.data.events.list({});
    expect(events).toEqual([
      {
        name: 'feature_used',
        description: null,
        firstSeen: new Date(at(1)),
        lastSeen: new Date(at(10)),
        volume: 3,
        propertyCount: 3,
        hasTypeChange: false,
      },
      expect.objectContaining({
        name: 'signed_up',
        volume: 3,
        propertyCount: 1,
        hasTypeChange: true,
      }),
    ]);
    const byLastSeen = await viewer.data.events.list({ sort: 'lastSeen' });
    expect(byLastSeen.map((e) => e.name)).toEqual(['signed_up', 'feature_used']);
    expect((await viewer.data.events.list({ search: 'FEATURE' })).map((e) => e.name)).toEqual([
      'feature_used',
    ]);
    // LIKE wildcards in the search match themselves.
    expect(await viewer.data.events.list({ search: '%' })).toEqual([]);
    expect(await viewer.data.events.list({ search: 'signed_' })).toHaveLength(1);
  });

  it('describes properties: types, merged examples, volumes and the type-change flag', async () => {
    const signedUp = await viewer.data.events.get({ name: 'signed_up' });
    expect(signedUp.properties).toEqual([
      {
        name: 'plan',
        type: 'string',
        seenTypes: ['number', 'string'],
        flagged: true,
        examples: [3, 'pro', 'free'],
        volume: 3,
        firstSeen: new Date(at(3)),
        lastSeen: new Date(at(12)),
        description: null,
      },
    ]);
    const featureUsed = await viewer.data.events.get({ name: 'feature_used' });
    const props = Object.fromEntries(featureUsed.properties.map((p) => [p.name, p]));
    expect(props.feature_name).toMatchObject({
      type: 'string',
      flagged: false,
      volume: 3,
      examples: ['bulk_edit', 'kanban_board'],
    });
    expect(props.duration_ms).toMatchObject({ type: 'number', examples: [1200, 300, 50] });
    expect(props.long?.examples).toEqual(['x'.repeat(100)]);
  });

  it('lets admins describe events and properties, audited, and refuses viewers', async () => {
    await expect(
      viewer.data.events.updateDescription({ name: 'signed_up', description: 'nope' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      viewer.data.properties.updateDescription({
        eventName: 'signed_up',
        name: 'plan',
        description: 'nope',
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });

    expect(
      await admin.data.events.updateDescription({
        name: 'signed_up',
        description: '  A new account was created.  ',
      }),
    ).toEqual({ description: 'A new account was created.' });
    await admin.data.properties.updateDescription({
      eventName: 'signed_up',
      name: 'plan',
      description: 'Plan chosen at signup',
    });
    const signedUp = await viewer.data.events.get({ name: 'signed_up' });
    expect(signedUp.description).toBe('A new account was created.');
    expect(signedUp.properties[0]?.description).toBe('Plan chosen at signup');
    expect((await viewer.data.events.list({ search: 'signed' }))[0]?.description).toBe(
      'A new account was created.',
    );

    const audit = await fx.runtime.prisma.auditLog.findMany({
      where: { workspaceId: fx.workspace.id, action: { endsWith: '.described' } },
      orderBy: { createdAt: 'asc' },
    });
    expect(audit.map((a) => [a.action, a.actorEmail, a.details])).toEqual([
      [
        'event_definition.described',
        fx.users.admin.email,
        { event: 'signed_up', from: null, to: 'A new account was created.' },
      ],
      [
        'property_definition.described',
        fx.users.admin.email,
        { event: 'signed_up', property: 'plan', from: null, to: 'Plan chosen at signup' },
      ],
    ]);

    // An empty description clears it.
    await admin.data.events.updateDescription({ name: 'signed_up', description: '' });
    expect((await viewer.data.events.get({ name: 'signed_up' })).description).toBeNull();
  });

  it('keeps workspaces apart and says when an event is unknown', async () => {
    const outsider = createCaller(
      await fx.context({
        cookie: await fx.cookieFor(fx.users.outsider.email),
        workspace: fx.other.slug,
      }),
    );
    expect(await outsider.data.events.list({})).toEqual([]);
    await expect(outsider.data.events.get({ name: 'signed_up' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      outsider.data.events.updateDescription({ name: 'signed_up', description: 'hijack' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(viewer.data.events.get({ name: 'never_sent' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/No event "never_sent"/),
    });
  });
});
