// Creating workspaces. Sign-up is closed, so only someone who already administers a workspace
// may create another; they become its admin.
import type { PrismaClient } from '../db/client';
import { AppError } from '../errors';
import { recordAudit } from '../audit/audit-log';
import type { Actor } from './members';

export async function createWorkspace(
  db: PrismaClient,
  actor: Actor,
  input: { name: string; slug: string },
) {
  const adminSomewhere = await db.membership.count({ where: { userId: actor.id, role: 'admin' } });
  if (!adminSomewhere)
    throw new AppError(
      'FORBIDDEN',
      'Only workspace admins can create workspaces. Ask an admin to create one for you.',
    );
  if (await db.workspace.findUnique({ where: { slug: input.slug } })) {
    throw new AppError('CONFLICT', `The address "${input.slug}" is taken. Choose another slug.`);
  }
  return db.$transaction(async (tx) => {
    const ws = await tx.workspace.create({ data: { name: input.name.trim(), slug: input.slug } });
    await tx.membership.create({ data: { workspaceId: ws.id, userId: actor.id, role: 'admin' } });
    await recordAudit(tx, {
      action: 'workspace.created',
      workspaceId: ws.id,
      actorId: actor.id,
      actorEmail: actor.email,
      ipAddress: actor.ip,
      targetType: 'workspace',
      targetId: ws.id,
      details: { name: ws.name, slug: ws.slug },
    });
    return { id: ws.id, slug: ws.slug, name: ws.name, role: 'admin' as const };
  });
}
