// Reading the audit log for the admin page: newest first, keyset pagination.
import type { PrismaClient } from '../db/client';

export async function listAuditEntries(
  db: PrismaClient,
  workspaceId: string,
  opts: { limit: number; cursor?: string; action?: string },
) {
  const rows = await db.auditLog.findMany({
    where: {
      // Workspace actions, plus sign-ins of this workspace's members.
      OR: [
        { workspaceId },
        { workspaceId: null, actor: { memberships: { some: { workspaceId } } } },
      ],
      ...(opts.action ? { action: { startsWith: opts.action } } : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: opts.limit + 1,
    ...(opts.cursor ? { cursor: { id: opts.cursor }, skip: 1 } : {}),
    select: {
      id: true,
      action: true,
      actorEmail: true,
      targetType: true,
      targetId: true,
      details: true,
      ipAddress: true,
      createdAt: true,
    },
  });
  const nextCursor = rows.length > opts.limit ? rows[opts.limit - 1]?.id : undefined;
  return { entries: rows.slice(0, opts.limit), nextCursor };
}
