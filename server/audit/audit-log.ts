// Append-only audit trail: every admin action and every sign-in (successful or not).
import type { PrismaClient } from '../db/client';
import type { Prisma } from '../db/generated/client';

export interface AuditEntry {
  action: string;
  workspaceId?: string | null;
  actorId?: string | null;
  actorEmail?: string | null;
  targetType?: string;
  targetId?: string;
  details?: Prisma.InputJsonValue;
  ipAddress?: string | null;
}

export async function recordAudit(
  db: PrismaClient | Prisma.TransactionClient,
  entry: AuditEntry,
): Promise<void> {
  await db.auditLog.create({
    data: {
      action: entry.action,
      workspaceId: entry.workspaceId ?? null,
      actorId: entry.actorId ?? null,
      actorEmail: entry.actorEmail ?? null,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      details: entry.details,
      ipAddress: entry.ipAddress ?? null,
    },
  });
}
