// Every Prisma model round-trips through Prisma Client on a freshly migrated database, on PGlite
// and on PostgreSQL. The migrations are written by hand, so this is what catches drift between
// schema.prisma and prisma/migrations (a missing column, a wrong type or default).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { createDatabase, type DatabaseHandle } from './client';
import { migrate, readMigrations } from './migrator';
import { Prisma } from './generated/client';
import { testDatabases, type TestDatabase } from '@/test/databases';

const MIGRATIONS = path.resolve('prisma/migrations');

describe.each(testDatabases())('models on $kind', (kind) => {
  let database: TestDatabase;
  let db: DatabaseHandle;

  beforeAll(async () => {
    database = await kind.create();
    db = createDatabase(database.url, { embedded: kind.kind === 'pglite' });
    const client = await db.pool.connect();
    try {
      const result = await migrate(client, MIGRATIONS);
      expect(result.applied.length).toBeGreaterThan(0);
    } finally {
      client.release();
    }
  });

  afterAll(async () => {
    await db?.close();
    await database?.dispose();
  });

  it('records migrations like prisma migrate does, and re-running applies nothing', async () => {
    const files = await readMigrations(MIGRATIONS);
    const { rows } = await db.pool.query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      applied_steps_count: number;
    }>(
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(
      files.map((f) => [f.name, f.checksum]),
    );
    expect(rows.every((r) => r.finished_at && r.applied_steps_count === 1)).toBe(true);
    const client = await db.pool.connect();
    try {
      const again = await migrate(client, MIGRATIONS);
      expect(again.applied).toEqual([]);
      expect(again.alreadyApplied).toEqual(files.map((f) => f.name));
    } finally {
      client.release();
    }
  });

  it('round-trips every model with every field', async () => {
    const p = db.prisma;
    const now = new Date('2026-11-01T10:00:00.123Z');
    const later = new Date('2026-11-08T10:00:00.456Z');
    const seen = new Set<string>();

    const user = await p.user.create({
      data: {
        id: 'u1',
        name: 'Ada',
        email: 'ada@example.com',
        emailVerified: true,
        image: 'https://example.com/a.png',
      },
    });
    expect(await p.user.findUniqueOrThrow({ where: { email: 'ada@example.com' } })).toEqual(user);
    expect(user.createdAt).toBeInstanceOf(Date);
    seen.add('User');

    const session = await p.session.create({
      data: {
        id: 's1',
        token: 'tok',
        expiresAt: later,
        userId: user.id,
        ipAddress: '127.0.0.1',
        userAgent: 'vitest',
      },
    });
    expect(await p.session.findUniqueOrThrow({ where: { token: 'tok' } })).toEqual(session);
    seen.add('Session');

    const account = await p.account.create({
      data: {
        id: 'a1',
        accountId: 'u1',
        providerId: 'credential',
        userId: user.id,
        accessToken: 'at',
        refreshToken: 'rt',
        idToken: 'it',
        accessTokenExpiresAt: now,
        refreshTokenExpiresAt: later,
        scope: 'openid',
        password: 'hash',
      },
    });
    expect(await p.account.findUniqueOrThrow({ where: { id: 'a1' } })).toEqual(account);
    seen.add('Account');

    const verification = await p.verification.create({
      data: { id: 'v1', identifier: 'x', value: 'y', expiresAt: later },
    });
    expect(await p.verification.findUniqueOrThrow({ where: { id: 'v1' } })).toEqual(verification);
    seen.add('Verification');

    const ws = await p.workspace.create({ data: { slug: 'acme', name: 'Acme' } });
    expect(ws.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await p.workspace.findUniqueOrThrow({ where: { slug: 'acme' } })).toEqual(ws);
    seen.add('Workspace');

    const membership = await p.membership.create({
      data: { workspaceId: ws.id, userId: user.id, role: 'analyst' },
    });
    expect(
      await p.membership.findUniqueOrThrow({
        where: { workspaceId_userId: { workspaceId: ws.id, userId: user.id } },
      }),
    ).toEqual(membership);
    await expect(
      p.membership.create({ data: { workspaceId: ws.id, userId: user.id, role: 'viewer' } }),
    ).rejects.toThrow();
    seen.add('Membership');

    const invitation = await p.invitation.create({
      data: {
        workspaceId: ws.id,
        email: 'bob@example.com',
        role: 'viewer',
        tokenHash: 'h1',
        invitedById: user.id,
        expiresAt: later,
        acceptedAt: now,
        revokedAt: now,
      },
    });
    expect(await p.invitation.findUniqueOrThrow({ where: { tokenHash: 'h1' } })).toEqual(
      invitation,
    );
    seen.add('Invitation');

    const key = await p.apiKey.create({
      data: {
        workspaceId: ws.id,
        name: 'web',
        prefix: 'tlk_abcdef',
        keyHash: 'kh',
        createdById: user.id,
        lastUsedAt: now,
        revokedAt: later,
      },
    });
    expect(await p.apiKey.findUniqueOrThrow({ where: { keyHash: 'kh' } })).toEqual(key);
    seen.add('ApiKey');

    const audit = await p.auditLog.create({
      data: {
        workspaceId: ws.id,
        actorId: user.id,
        actorEmail: user.email,
        action: 'test.action',
        targetType: 'user',
        targetId: user.id,
        details: { nested: { a: [1, 'b', null] } },
        ipAddress: '::1',
      },
    });
    expect(await p.auditLog.findUniqueOrThrow({ where: { id: audit.id } })).toEqual(audit);
    seen.add('AuditLog');

    const def = await p.eventDefinition.create({
      data: {
        workspaceId: ws.id,
        name: 'feature_used',
        description: 'A feature was used',
        firstSeen: now,
        lastSeen: later,
        volume: 12345678901n,
      },
    });
    expect(
      await p.eventDefinition.findUniqueOrThrow({
        where: { workspaceId_name: { workspaceId: ws.id, name: 'feature_used' } },
      }),
    ).toEqual(def);
    seen.add('EventDefinition');

    const prop = await p.propertyDefinition.create({
      data: {
        workspaceId: ws.id,
        eventName: 'feature_used',
        name: 'feature_name',
        type: 'string',
        seenTypes: ['string', 'number'],
        examples: ['bulk_edit', 3],
        description: 'Which feature',
        firstSeen: now,
        lastSeen: later,
        volume: 7n,
      },
    });
    expect(
      await p.propertyDefinition.findUniqueOrThrow({
        where: {
          workspaceId_eventName_name: {
            workspaceId: ws.id,
            eventName: 'feature_used',
            name: 'feature_name',
          },
        },
      }),
    ).toEqual(prop);
    seen.add('PropertyDefinition');

    const dead = await p.deadLetter.create({
      data: {
        workspaceId: ws.id,
        source: 'api',
        batchId: 'b1',
        itemIndex: 3,
        reason: 'event: required',
        payload: { event: '' },
        receivedAt: now,
        replayedAt: later,
      },
    });
    expect(await p.deadLetter.findUniqueOrThrow({ where: { id: dead.id } })).toEqual(dead);
    seen.add('DeadLetter');

    const run = await p.pipelineRun.create({
      data: {
        workspaceId: ws.id,
        status: 'succeeded',
        selector: '+fact_events',
        trigger: 'manual',
        requestedById: user.id,
        startedAt: now,
        finishedAt: later,
        nodesTotal: 3,
        nodesDone: 3,
        results: [{ name: 'fact_events', status: 'success' }],
        isCurrent: true,
      },
    });
    expect(await p.pipelineRun.findUniqueOrThrow({ where: { id: run.id } })).toEqual(run);
    seen.add('PipelineRun');
    // The database allows one queued or running run per workspace.
    await p.pipelineRun.create({
      data: { workspaceId: ws.id, status: 'running', trigger: 'manual' },
    });
    await expect(
      p.pipelineRun.create({ data: { workspaceId: ws.id, status: 'queued', trigger: 'manual' } }),
    ).rejects.toThrow();
    const schedule = await p.pipelineSchedule.create({
      data: { workspaceId: ws.id, cron: '0 * * * *', selector: null },
    });
    expect(await p.pipelineSchedule.findUniqueOrThrow({ where: { id: schedule.id } })).toEqual(
      schedule,
    );
    seen.add('PipelineSchedule');

    const compaction = await p.compactionRun.create({
      data: {
        trigger: 'manual',
        status: 'succeeded',
        startedAt: now,
        finishedAt: later,
        durationMs: 1234,
        filesRemoved: 30,
        filesAdded: 3,
        filesVacuumed: 2,
        tables: [{ table: 'events', partitions: ['event_date=2026-11-01'] }],
        interrupted: true,
        error: 'identifies: failed',
      },
    });
    expect(await p.compactionRun.findUniqueOrThrow({ where: { id: compaction.id } })).toEqual(
      compaction,
    );
    // One queued or running compaction at a time.
    await p.compactionRun.create({ data: { trigger: 'interval', status: 'running' } });
    await expect(
      p.compactionRun.create({ data: { trigger: 'manual', status: 'queued' } }),
    ).rejects.toThrow();
    seen.add('CompactionRun');

    const importJob = await p.importJob.create({
      data: {
        workspaceId: ws.id,
        state: 'done',
        createdById: user.id,
        createdByEmail: user.email,
        createdByIp: '10.0.0.1',
        startedAt: now,
        finishedAt: later,
        uploadIds: ['0b7d3c1e-1111-4c4c-9a9a-000000000001'],
        files: [{ name: 'a.ndjson', format: 'ndjson', bytes: 10 }],
        bytesRead: 5_000_000_000n,
        bytesTotal: 5_000_000_000n,
        accepted: 7,
        rejected: 1,
        currentFile: 'a.ndjson',
        summary: { events: 7, rejectedByReason: [{ reason: 'x', count: 1 }] },
        error: 'none',
      },
    });
    expect(await p.importJob.findUniqueOrThrow({ where: { id: importJob.id } })).toEqual(importJob);
    seen.add('ImportJob');

    const insight = await p.savedInsight.create({
      data: {
        workspaceId: ws.id,
        name: 'Signups',
        description: 'Daily signups',
        query: { kind: 'trends', series: [{ event: 'signed_up' }] },
        chartType: 'line',
        createdById: user.id,
      },
    });
    expect(await p.savedInsight.findUniqueOrThrow({ where: { id: insight.id } })).toEqual(insight);
    seen.add('SavedInsight');

    const dashboard = await p.dashboard.create({
      data: {
        workspaceId: ws.id,
        name: 'Overview',
        description: 'The product at a glance',
        filters: { dateRange: { kind: 'relative', days: 30 } },
        template: 'product-overview',
        createdById: user.id,
      },
    });
    expect(await p.dashboard.findUniqueOrThrow({ where: { id: dashboard.id } })).toEqual(dashboard);
    expect((await p.dashboard.create({ data: { workspaceId: ws.id, name: 'x' } })).filters).toEqual(
      {},
    );
    seen.add('Dashboard');

    const tile = await p.dashboardTile.create({
      data: {
        dashboardId: dashboard.id,
        type: 'insight',
        insightId: insight.id,
        x: 0,
        y: 0,
        w: 6,
        h: 4,
      },
    });
    const note = await p.dashboardTile.create({
      data: { dashboardId: dashboard.id, type: 'text', text: 'Hello', x: 6, y: 0, w: 6, h: 2 },
    });
    expect(await p.dashboardTile.findUniqueOrThrow({ where: { id: tile.id } })).toEqual(tile);
    expect(await p.dashboardTile.findUniqueOrThrow({ where: { id: note.id } })).toEqual(note);
    seen.add('DashboardTile');
    const pinned = await p.membership.update({
      where: { id: membership.id },
      data: { homeDashboardId: dashboard.id },
    });
    expect(pinned.homeDashboardId).toBe(dashboard.id);

    const cohort = await p.cohort.create({
      data: {
        workspaceId: ws.id,
        name: 'Power users',
        description: 'Exported 3+ reports in the last 30 days',
        definition: {
          match: 'all',
          groups: [{ match: 'all', conditions: [{ type: 'performed', event: 'report_exported' }] }],
        },
        createdById: user.id,
      },
    });
    expect(await p.cohort.findUniqueOrThrow({ where: { id: cohort.id } })).toEqual(cohort);
    // Names are unique per workspace.
    await expect(
      p.cohort.create({ data: { workspaceId: ws.id, name: 'Power users', definition: {} } }),
    ).rejects.toThrow();
    seen.add('Cohort');

    const saved = await p.savedQuery.create({
      data: {
        workspaceId: ws.id,
        ownerId: user.id,
        name: 'Daily signups',
        description: 'Signups per UTC day',
        folder: 'Growth',
        sql: "select event_date, count(*) from fact_events where event_name = 'signed_up' group by 1",
        shared: false,
      },
    });
    expect(await p.savedQuery.findUniqueOrThrow({ where: { id: saved.id } })).toEqual(saved);
    expect(
      await p.savedQuery.create({ data: { workspaceId: ws.id, name: 'x', sql: 'select 1' } }),
    ).toMatchObject({ folder: '', shared: true, ownerId: null });
    seen.add('SavedQuery');

    const queryRun = await p.queryRun.create({
      data: {
        workspaceId: ws.id,
        userId: user.id,
        sql: saved.sql,
        status: 'succeeded',
        rowCount: 90,
        truncated: false,
        durationMs: 41,
        savedQueryId: saved.id,
      },
    });
    const failedRun = await p.queryRun.create({
      data: {
        workspaceId: ws.id,
        userId: user.id,
        sql: 'select * from nope',
        status: 'rejected',
        error: 'Table nope does not exist in this workspace.',
      },
    });
    expect(await p.queryRun.findUniqueOrThrow({ where: { id: queryRun.id } })).toEqual(queryRun);
    expect(failedRun).toMatchObject({ rowCount: null, durationMs: null, truncated: false });
    seen.add('QueryRun');
    // Deleting a saved query keeps its runs in the history.
    await p.savedQuery.delete({ where: { id: saved.id } });
    expect(
      (await p.queryRun.findUniqueOrThrow({ where: { id: queryRun.id } })).savedQueryId,
    ).toBeNull();

    const conversation = await p.askConversation.create({
      data: { workspaceId: ws.id, userId: user.id, title: 'How many exports last month?' },
    });
    expect(await p.askConversation.findUniqueOrThrow({ where: { id: conversation.id } })).toEqual(
      conversation,
    );
    seen.add('AskConversation');
    const message = await p.askMessage.create({
      data: {
        conversationId: conversation.id,
        question: 'How many exports last month?',
        refused: false,
        result: { refused: false, rows: [[12]] },
        rating: 'down',
        correction: 'How many users exported reports last month?',
        ratedAt: later,
      },
    });
    expect(await p.askMessage.findUniqueOrThrow({ where: { id: message.id } })).toEqual(message);
    seen.add('AskMessage');
    const example = await p.askExample.create({
      data: {
        workspaceId: ws.id,
        question: message.question,
        answerAs: message.correction!,
        kind: 'correction',
        messageId: message.id,
        createdById: user.id,
      },
    });
    expect(await p.askExample.findUniqueOrThrow({ where: { id: example.id } })).toEqual(example);
    // One example per question and workspace.
    await expect(
      p.askExample.create({
        data: { workspaceId: ws.id, question: message.question, answerAs: 'x', kind: 'up' },
      }),
    ).rejects.toThrow();
    seen.add('AskExample');

    // A model added to schema.prisma must be added here too.
    expect([...seen].sort()).toEqual(Object.values(Prisma.ModelName).sort());

    // Deleting a saved insight removes its tiles; deleting a dashboard unpins it and removes
    // its tiles.
    await p.savedInsight.delete({ where: { id: insight.id } });
    expect(await p.dashboardTile.findUnique({ where: { id: tile.id } })).toBeNull();
    await p.dashboard.delete({ where: { id: dashboard.id } });
    expect(await p.dashboardTile.count({ where: { dashboardId: dashboard.id } })).toBe(0);
    expect(
      (await p.membership.findUniqueOrThrow({ where: { id: membership.id } })).homeDashboardId,
    ).toBeNull();

    // Referential actions from the schema: deleting the user cascades and nulls as declared.
    await p.user.delete({ where: { id: user.id } });
    expect(await p.session.count()).toBe(0);
    expect(await p.membership.count()).toBe(0);
    expect((await p.apiKey.findUniqueOrThrow({ where: { keyHash: 'kh' } })).createdById).toBeNull();
    expect((await p.auditLog.findUniqueOrThrow({ where: { id: audit.id } })).actorId).toBeNull();
    expect(
      (await p.pipelineRun.findUniqueOrThrow({ where: { id: run.id } })).requestedById,
    ).toBeNull();
    expect(await p.importJob.findUniqueOrThrow({ where: { id: importJob.id } })).toMatchObject({
      createdById: null,
      createdByEmail: 'ada@example.com',
    });
    expect((await p.cohort.findUniqueOrThrow({ where: { id: cohort.id } })).createdById).toBeNull();
    // A user's query history goes with them, and so do their Ask conversations; the examples
    // their feedback taught stay (they belong to the workspace), without the message.
    expect(await p.queryRun.count({ where: { userId: user.id } })).toBe(0);
    expect(await p.askConversation.count({ where: { userId: user.id } })).toBe(0);
    expect(await p.askMessage.count({ where: { id: message.id } })).toBe(0);
    expect(await p.askExample.findUniqueOrThrow({ where: { id: example.id } })).toMatchObject({
      createdById: null,
      messageId: null,
    });
  });
});
