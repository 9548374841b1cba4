// Workspace members: list, change role, remove. A workspace always keeps at least one admin.
import type { PrismaClient } from '../db/client';
import { AppError } from '../errors';
import { recordAudit } from '../audit/audit-log';
import type { Role } from './roles';

export interface Actor {
  id: string;
  email: string;
  ip: string | null;
}

export async function listWorkspacesForUser(db: PrismaClient, userId: string) {
  const rows = await db.membership.findMany({
    where: { userId },
    select: { role: true, workspace: { select: { id: true, slug: true, name: true } } },
    orderBy: { createdAt: 'asc' },
  });
  return rows.map((r) => ({ ...r.workspace, role: r.role }));
}

export async function listMembers(db: PrismaClient, workspaceId: string) {
  const rows = await db.membership.findMany({
    where: { workspaceId },
    select: {
      id: true,
      role: true,
      createdAt: true,
      user: { select: { id: true, name: true, email: true } },
    },
    orderBy: { createdAt: 'asc' },
  });
  return rows.map((r) => ({
    membershipId: r.id,
    userId: r.user.id,
    name: r.user.name,
    email: r.user.email,
    role: r.role,
    joinedAt: r.createdAt,
  }));
}

async function getMembershipOrThrow(db: PrismaClient, workspaceId: string, userId: string) {
  const m = await db.membership.findUnique({
    where: { workspaceId_userId: { workspaceId, userId } },
    include: { user: { select: { email: true } } },
  });
  if (!m) throw new AppError('NOT_FOUND', 'That user is not a member of this workspace.');
  return m;
}

async function assertNotLastAdmin(
  db: PrismaClient,
  workspaceId: string,
  userId: string,
): Promise<void> {
  const admins = await db.membership.findMany({
    where: { workspaceId, role: 'admin' },
    select: { userId: true },
  });
  if (admins.length === 1 && admins[0]?.userId === userId) {
    throw new AppError(
      'CONFLICT',
      'A workspace needs at least one admin. Make another member admin first.',
    );
  }
}

export async function updateMemberRole(
  db: PrismaClient,
  workspaceId: string,
  actor: Actor,
  userId: string,
  role: Role,
) {
  const m = await getMembershipOrThrow(db, workspaceId, userId);
  if (m.role === role) return { userId, role };
  if (m.role === 'admin') await assertNotLastAdmin(db, workspaceId, userId);
  await db.$transaction(async (tx) => {
    await tx.membership.update({ where: { id: m.id }, data: { role } });
    await recordAudit(tx, {
      action: 'member.role_changed',
      workspaceId,
      actorId: actor.id,
      actorEmail: actor.email,
      ipAddress: actor.ip,
      targetType: 'user',
      targetId: userId,
      details: { email: m.user.email, from: m.role, to: role },
    });
  });
  return { userId, role };
}

export async function removeMember(
  db: PrismaClient,
  workspaceId: string,
  actor: Actor,
  userId: string,
) {
  const m = await getMembershipOrThrow(db, workspaceId, userId);
  if (m.role === 'admin') await assertNotLastAdmin(db, workspaceId, userId);
  await db.$transaction(async (tx) => {
    await tx.membership.delete({ where: { id: m.id } });
    await recordAudit(tx, {
      action: 'member.removed',
      workspaceId,
      actorId: actor.id,
      actorEmail: actor.email,
      ipAddress: actor.ip,
      targetType: 'user',
      targetId: userId,
      details: { email: m.user.email, role: m.role },
    });
  });
  return { userId };
}
