// Workspace ingestion keys: 32 random bytes, shown once, stored as SHA-256 with a short
// display prefix. Verification (used by the ingestion API) compares hashes in constant time.
import type { PrismaClient } from '../db/client';
import { AppError } from '../errors';
import { recordAudit } from '../audit/audit-log';
import type { Actor } from './members';
import { generateToken, safeEqualHex, sha256 } from './secrets';

export const API_KEY_PREFIX = 'tlk_';

export async function createApiKey(
  db: PrismaClient,
  workspaceId: string,
  actor: Actor,
  name: string,
) {
  const secret = `${API_KEY_PREFIX}${generateToken(32)}`;
  const prefix = secret.slice(0, API_KEY_PREFIX.length + 6);
  const key = await db.$transaction(async (tx) => {
    const k = await tx.apiKey.create({
      data: {
        workspaceId,
        name: name.trim(),
        prefix,
        keyHash: sha256(secret),
        createdById: actor.id,
      },
    });
    await recordAudit(tx, {
      action: 'api_key.created',
      workspaceId,
      actorId: actor.id,
      actorEmail: actor.email,
      ipAddress: actor.ip,
      targetType: 'api_key',
      targetId: k.id,
      details: { name: k.name, prefix },
    });
    return k;
  });
  return { id: key.id, name: key.name, prefix, secret, createdAt: key.createdAt };
}

export async function listApiKeys(db: PrismaClient, workspaceId: string) {
  return db.apiKey.findMany({
    where: { workspaceId },
    select: {
      id: true,
      name: true,
      prefix: true,
      createdAt: true,
      lastUsedAt: true,
      revokedAt: true,
      createdBy: { select: { email: true } },
    },
    orderBy: { createdAt: 'desc' },
  });
}

export async function revokeApiKey(
  db: PrismaClient,
  workspaceId: string,
  actor: Actor,
  id: string,
) {
  const key = await db.apiKey.findFirst({ where: { id, workspaceId } });
  if (!key) throw new AppError('NOT_FOUND', 'No ingestion key with that id in this workspace.');
  if (key.revokedAt) return { id };
  await db.$transaction(async (tx) => {
    await tx.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, {
      action: 'api_key.revoked',
      workspaceId,
      actorId: actor.id,
      actorEmail: actor.email,
      ipAddress: actor.ip,
      targetType: 'api_key',
      targetId: id,
      details: { name: key.name, prefix: key.prefix },
    });
  });
  return { id };
}

/** Resolves a presented key to its workspace; undefined when unknown or revoked. */
export async function findWorkspaceByApiKey(
  db: PrismaClient,
  presented: string,
): Promise<{ workspaceId: string; keyId: string } | undefined> {
  if (!presented.startsWith(API_KEY_PREFIX) || presented.length > 200) return undefined;
  const hash = sha256(presented);
  const key = await db.apiKey.findUnique({
    where: { keyHash: hash },
    select: { id: true, workspaceId: true, keyHash: true, revokedAt: true },
  });
  if (!key || key.revokedAt || !safeEqualHex(key.keyHash, hash)) return undefined;
  return { workspaceId: key.workspaceId, keyId: key.id };
}
