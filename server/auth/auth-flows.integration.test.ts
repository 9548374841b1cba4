// Sign-in, rate limiting, invitations, roles and ingestion keys against the real runtime.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '@/server/api/root';
import { findWorkspaceByApiKey } from './api-keys';
import { sha256 } from './secrets';
import { startFixture, PASSWORD, type Fixture } from '@/test/runtime-fixture';
import { testDatabases } from '@/test/databases';

describe.each(testDatabases())('auth flows on $kind', (kind) => {
  let fx: Fixture;
  let admin: ReturnType<typeof createCaller>;
  // Better Auth's in-memory rate-limit store is per process, so each database variant uses its
  // own client addresses.
  const ip = (suffix: string) => `${kind.kind === 'pglite' ? 10 : 11}.${suffix}`;

  beforeAll(async () => {
    fx = await startFixture(kind, { TL_LOGIN_RATE_LIMIT: '3' });
    admin = createCaller(
      await fx.context({
        cookie: await fx.cookieFor(fx.users.admin.email),
        workspace: fx.workspace.slug,
      }),
    );
  });
  afterAll(async () => fx?.dispose());

  it('rejects a wrong password with 401 and audits both outcomes', async () => {
    const bad = await fx.signIn(fx.users.viewer.email, 'wrong-password-xx', ip('2.0.1'));
    expect(bad.status).toBe(401);
    const good = await fx.signIn(fx.users.viewer.email, PASSWORD, ip('2.0.1'));
    expect(good.status).toBe(200);
    const actions = await fx.runtime.prisma.auditLog.findMany({
      where: { actorEmail: fx.users.viewer.email },
      select: { action: true, ipAddress: true },
    });
    expect(actions).toEqual(
      expect.arrayContaining([
        { action: 'auth.login_failed', ipAddress: ip('2.0.1') },
        { action: 'auth.login', ipAddress: ip('2.0.1') },
      ]),
    );
  });

  it('rate-limits sign-in attempts per client IP', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push(
        (await fx.signIn(fx.users.analyst.email, 'nope-nope-nope', ip('3.0.1'))).status,
      );
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses[3]).toBe(429);
    // Another client is not affected.
    expect((await fx.signIn(fx.users.analyst.email, PASSWORD, ip('3.0.2'))).status).toBe(200);
  });

  it('changes a password through Better Auth and audits it', async () => {
    const cookie = await fx.cookieFor(fx.users.analyst.email);
    const change = (currentPassword: string) =>
      fx.runtime.auth.handler(
        new Request(`${fx.runtime.config.baseUrl}/api/auth/change-password`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            origin: fx.runtime.config.baseUrl,
            cookie,
            'x-tl-client-ip': ip('6.0.1'),
          },
          body: JSON.stringify({ currentPassword, newPassword: 'another-password-1' }),
        }),
      );
    expect((await change('wrong-current-pw')).status).toBeGreaterThanOrEqual(400);
    expect((await change(PASSWORD)).status).toBe(200);
    expect(
      (await fx.signIn(fx.users.analyst.email, 'another-password-1', ip('6.0.2'))).status,
    ).toBe(200);
    const actions = await fx.runtime.prisma.auditLog.findMany({
      where: { actorId: fx.users.analyst.id, action: { startsWith: 'auth.password' } },
      select: { action: true },
      orderBy: { createdAt: 'asc' },
    });
    expect(actions.map((a) => a.action)).toEqual([
      'auth.password_change_failed',
      'auth.password_changed',
    ]);
  });

  it('has no public sign-up', async () => {
    const res = await fx.runtime.auth.handler(
      new Request(`${fx.runtime.config.baseUrl}/api/auth/sign-up/email`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: fx.runtime.config.baseUrl,
          'x-tl-client-ip': ip('4.0.1'),
        },
        body: JSON.stringify({
          email: 'new@example.com',
          password: 'some-password-1',
          name: 'New',
        }),
      }),
    );
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await fx.runtime.prisma.user.count({ where: { email: 'new@example.com' } })).toBe(0);
  });

  it('invites a new user who joins with the invited role; the link works once', async () => {
    const inv = await admin.admin.invitations.create({
      email: 'Newbie@Example.com',
      role: 'analyst',
    });
    const token = inv.url.split('/invite/')[1]!;
    expect(await fx.runtime.prisma.invitation.count({ where: { tokenHash: sha256(token) } })).toBe(
      1,
    );
    expect(await fx.runtime.prisma.invitation.count({ where: { tokenHash: token } })).toBe(0);

    const anon = createCaller(await fx.context({}));
    expect(await anon.invitation.inspect({ token })).toMatchObject({
      email: 'newbie@example.com',
      role: 'analyst',
      accountExists: false,
    });
    await expect(
      anon.invitation.accept({ token, name: 'Newbie', password: 'short' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await anon.invitation.accept({ token, name: 'Newbie', password: 'a-long-password' });
    await expect(
      anon.invitation.accept({ token, name: 'Again', password: 'a-long-password' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });

    expect((await fx.signIn('newbie@example.com', 'a-long-password', ip('5.0.1'))).status).toBe(
      200,
    );
    const members = await admin.admin.members.list();
    expect(members.find((m) => m.email === 'newbie@example.com')?.role).toBe('analyst');
    const audit = await admin.admin.audit.list({ limit: 50 });
    expect(audit.entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['invitation.created', 'invitation.accepted']),
    );
  });

  it('changes roles with an audit entry and never removes the last admin', async () => {
    await admin.admin.members.updateRole({ userId: fx.users.viewer.id, role: 'analyst' });
    const entry = await fx.runtime.prisma.auditLog.findFirst({
      where: { action: 'member.role_changed', targetId: fx.users.viewer.id },
    });
    expect(entry?.details).toMatchObject({ from: 'viewer', to: 'analyst' });
    // The seeded first admin and fx.users.admin are both admins; demote the seeded one, then
    // the remaining admin cannot demote or remove themselves.
    const seeded = await fx.runtime.prisma.user.findUniqueOrThrow({
      where: { email: fx.runtime.config.admin.email },
    });
    await admin.admin.members.updateRole({ userId: seeded.id, role: 'viewer' });
    await expect(
      admin.admin.members.updateRole({ userId: fx.users.admin.id, role: 'viewer' }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/at least one admin/),
    });
    await expect(admin.admin.members.remove({ userId: fx.users.admin.id })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('creates ingestion keys that are shown once, stored hashed, scoped and revocable', async () => {
    const key = await admin.admin.apiKeys.create({ name: 'web' });
    expect(key.secret).toMatch(/^tlk_[A-Za-z0-9_-]{43}$/);
    const stored = await fx.runtime.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(stored.keyHash).toBe(sha256(key.secret));
    expect(JSON.stringify(stored)).not.toContain(key.secret);
    expect(
      (await admin.admin.apiKeys.list()).map((k) => k).find((k) => k.id === key.id),
    ).not.toHaveProperty('secret');

    expect(await findWorkspaceByApiKey(fx.runtime.prisma, key.secret)).toEqual({
      workspaceId: fx.workspace.id,
      keyId: key.id,
    });
    expect(await findWorkspaceByApiKey(fx.runtime.prisma, `${key.secret}x`)).toBeUndefined();
    await admin.admin.apiKeys.revoke({ id: key.id });
    expect(await findWorkspaceByApiKey(fx.runtime.prisma, key.secret)).toBeUndefined();

    // A key id of workspace A cannot be revoked from workspace B.
    const other = createCaller(
      await fx.context({
        cookie: await fx.cookieFor(fx.users.outsider.email),
        workspace: fx.other.slug,
      }),
    );
    const keyA = await admin.admin.apiKeys.create({ name: 'second' });
    await expect(other.admin.apiKeys.revoke({ id: keyA.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('answers malformed input with the zod issues in a readable message', async () => {
    await expect(
      admin.admin.invitations.create({ email: 'not-an-email', role: 'viewer' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
