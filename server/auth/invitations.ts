// Invitations: an admin invites an email with a role and gets a link to share (shown once;
// only the token's SHA-256 is stored). Opening the link lets the invitee set a name and
// password; an existing account joins by signing in first.
import type { PrismaClient } from '../db/client';
import { AppError } from '../errors';
import { recordAudit } from '../audit/audit-log';
import type { Auth } from './auth';
import type { Actor } from './members';
import type { Role } from './roles';
import { generateToken, sha256 } from './secrets';
import { createPasswordUser } from './users';

export const INVITATION_TTL_DAYS = 7;

export async function createInvitation(
  db: PrismaClient,
  workspaceId: string,
  actor: Actor,
  input: { email: string; role: Role },
  baseUrl: string,
) {
  const email = input.email.trim().toLowerCase();
  const existing = await db.membership.findFirst({ where: { workspaceId, user: { email } } });
  if (existing)
    throw new AppError(
      'CONFLICT',
      `${email} is already a member of this workspace. Change their role instead.`,
    );
  const token = generateToken(32);
  const invitation = await db.$transaction(async (tx) => {
    // A new invitation for the same email replaces any pending one.
    await tx.invitation.updateMany({
      where: { workspaceId, email, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    const inv = await tx.invitation.create({
      data: {
        workspaceId,
        email,
        role: input.role,
        tokenHash: sha256(token),
        invitedById: actor.id,
        expiresAt: new Date(Date.now() + INVITATION_TTL_DAYS * 86_400_000),
      },
    });
    await recordAudit(tx, {
      action: 'invitation.created',
      workspaceId,
      actorId: actor.id,
      actorEmail: actor.email,
      ipAddress: actor.ip,
      targetType: 'invitation',
      targetId: inv.id,
      details: { email, role: input.role },
    });
    return inv;
  });
  return {
    id: invitation.id,
    email,
    role: invitation.role,
    expiresAt: invitation.expiresAt,
    url: `${baseUrl}/invite/${token}`,
  };
}

export async function listInvitations(db: PrismaClient, workspaceId: string) {
  return db.invitation.findMany({
    where: { workspaceId, acceptedAt: null, revokedAt: null },
    select: {
      id: true,
      email: true,
      role: true,
      expiresAt: true,
      createdAt: true,
      invitedBy: { select: { email: true } },
    },
    orderBy: { createdAt: 'desc' },
  });
}

export async function revokeInvitation(
  db: PrismaClient,
  workspaceId: string,
  actor: Actor,
  id: string,
) {
  const inv = await db.invitation.findFirst({
    where: { id, workspaceId, acceptedAt: null, revokedAt: null },
  });
  if (!inv)
    throw new AppError('NOT_FOUND', 'No pending invitation with that id in this workspace.');
  await db.$transaction(async (tx) => {
    await tx.invitation.update({ where: { id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, {
      action: 'invitation.revoked',
      workspaceId,
      actorId: actor.id,
      actorEmail: actor.email,
      ipAddress: actor.ip,
      targetType: 'invitation',
      targetId: id,
      details: { email: inv.email },
    });
  });
  return { id };
}

async function findUsableInvitation(db: PrismaClient, token: string) {
  const inv = await db.invitation.findUnique({
    where: { tokenHash: sha256(token) },
    include: { workspace: { select: { id: true, name: true, slug: true } } },
  });
  if (!inv || inv.revokedAt)
    throw new AppError(
      'NOT_FOUND',
      'This invitation link is not valid. Ask a workspace admin for a new one.',
    );
  if (inv.acceptedAt)
    throw new AppError('CONFLICT', 'This invitation has already been used. Sign in instead.');
  if (inv.expiresAt.getTime() < Date.now())
    throw new AppError(
      'NOT_FOUND',
      'This invitation has expired. Ask a workspace admin for a new one.',
    );
  return inv;
}

export async function inspectInvitation(db: PrismaClient, token: string) {
  const inv = await findUsableInvitation(db, token);
  const accountExists = (await db.user.count({ where: { email: inv.email } })) > 0;
  return {
    email: inv.email,
    role: inv.role,
    workspaceName: inv.workspace.name,
    workspaceSlug: inv.workspace.slug,
    expiresAt: inv.expiresAt,
    accountExists,
  };
}

/** New account: creates the user with the chosen password and joins the workspace. */
export async function acceptInvitationWithNewAccount(
  db: PrismaClient,
  auth: Auth,
  input: { token: string; name: string; password: string },
  ip: string | null,
) {
  const inv = await findUsableInvitation(db, input.token);
  const user = await createPasswordUser(auth, {
    email: inv.email,
    name: input.name,
    password: input.password,
  });
  await joinWorkspace(db, inv, user.id, user.email, ip);
  return { email: user.email, workspaceSlug: inv.workspace.slug };
}

/** Existing account: the signed-in user must be the invited email. */
export async function acceptInvitationAsUser(
  db: PrismaClient,
  token: string,
  user: { id: string; email: string },
  ip: string | null,
) {
  const inv = await findUsableInvitation(db, token);
  if (inv.email !== user.email.toLowerCase()) {
    throw new AppError(
      'FORBIDDEN',
      `This invitation is for ${inv.email}, but you are signed in as ${user.email}. Sign out and sign in as ${inv.email}.`,
    );
  }
  await joinWorkspace(db, inv, user.id, user.email, ip);
  return { email: user.email, workspaceSlug: inv.workspace.slug };
}

async function joinWorkspace(
  db: PrismaClient,
  inv: { id: string; workspaceId: string; role: Role; email: string },
  userId: string,
  email: string,
  ip: string | null,
) {
  await db.$transaction(async (tx) => {
    const claimed = await tx.invitation.updateMany({
      where: { id: inv.id, acceptedAt: null },
      data: { acceptedAt: new Date() },
    });
    if (claimed.count !== 1)
      throw new AppError('CONFLICT', 'This invitation has already been used. Sign in instead.');
    await tx.membership.upsert({
      where: { workspaceId_userId: { workspaceId: inv.workspaceId, userId } },
      update: { role: inv.role },
      create: { workspaceId: inv.workspaceId, userId, role: inv.role },
    });
    await recordAudit(tx, {
      action: 'invitation.accepted',
      workspaceId: inv.workspaceId,
      actorId: userId,
      actorEmail: email,
      ipAddress: ip,
      targetType: 'invitation',
      targetId: inv.id,
      details: { role: inv.role },
    });
  });
}
